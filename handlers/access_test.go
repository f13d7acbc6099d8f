package handlers_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"concierge/handlers"
	"concierge/messaging"
	"concierge/static"
)

// appRoutes lists every route under /app/:slug from the real route table.
func appRoutes(t *testing.T, e *env) [][2]string {
	t.Helper()
	srv := handlers.NewServer(e.st, &messaging.Dispatcher{Store: e.st}, handlers.Config{SessionKey: []byte("0123456789abcdef0123456789abcdef")},
		static.FS, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var out [][2]string
	for _, r := range srv.Echo().Routes() {
		if strings.HasPrefix(r.Path, "/app/:slug") {
			out = append(out, [2]string{r.Method, r.Path})
		}
	}
	if len(out) < 15 {
		t.Fatalf("expected the whole /app/:slug surface, found %d routes", len(out))
	}
	return out
}

func fill(path, slug string, e *env) string {
	r := strings.NewReplacer(":slug", slug, ":id", fmt.Sprint(e.ids[slug+".client"]), ":user", "1")
	return r.Replace(path)
}

func TestMemberOfOneVenueGets404ForEveryRouteOfAnother(t *testing.T) {
	e := newEnv(t)
	for _, role := range []string{"owner", "manager", "staff"} {
		u := e.login(role, "bella")
		for _, rt := range appRoutes(t, e) {
			path := fill(rt[1], "kiwi", e)
			var res *http.Response
			if rt[0] == http.MethodGet {
				res = u.get(path)
			} else {
				res = u.post(path, url.Values{"first_name": {"Hacked"}, "status": {"cancelled"}, "role": {"owner"}, "amount": {"50"}})
			}
			res.Body.Close()
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s of bella: %s %s = %d, want 404", role, rt[0], path, res.StatusCode)
			}
		}
	}
	// Nothing of kiwi changed.
	c, _ := e.st.Client(t.Context(), e.venues["kiwi"].ID, e.ids["kiwi.client"])
	if c.FirstName != "Sarah" {
		t.Fatalf("kiwi's client was changed by a bella member: %+v", c)
	}
	v, _ := e.st.Venue(t.Context(), e.venues["kiwi"].ID)
	if v.WalletE4 != 1000*100 { // the A$10.00 top-up of newEnv
		t.Fatalf("kiwi's wallet changed: %d", v.WalletE4)
	}
}

func TestSignedOutVisitorsAreSentToLogin(t *testing.T) {
	e := newEnv(t)
	u := e.anon()
	for _, rt := range appRoutes(t, e) {
		if rt[0] != http.MethodGet {
			continue
		}
		res := u.get(fill(rt[1], "bella", e))
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
			t.Errorf("GET %s signed out = %d %s", rt[1], res.StatusCode, res.Header.Get("Location"))
		}
	}
}

func TestRolesOnSettings(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		role     string
		method   string
		path     string
		form     url.Values
		wantCode int
	}{
		{"staff", "GET", "/app/bella/settings", nil, 403},
		{"staff", "GET", "/app/bella/settings/team", nil, 403},
		{"staff", "GET", "/app/bella/settings/import", nil, 403},
		{"staff", "POST", "/app/bella/settings/venue", url.Values{"name": {"Mine now"}}, 403},
		{"staff", "POST", "/app/bella/settings/wallet", url.Values{"amount": {"10"}}, 403},
		{"staff", "POST", "/app/bella/settings/team", url.Values{"email": {"x@y.com"}}, 403},
		{"manager", "GET", "/app/bella/settings", nil, 200},
		{"manager", "GET", "/app/bella/settings/team", nil, 403},
		{"manager", "POST", "/app/bella/settings/team/1", url.Values{"role": {"owner"}}, 403},
		{"owner", "GET", "/app/bella/settings/team", nil, 200},
		{"staff", "GET", "/app/bella/clients", nil, 200},
		{"staff", "GET", "/app/bella/calendar", nil, 200},
	}
	for _, tc := range cases {
		t.Run(tc.role+" "+tc.method+" "+tc.path, func(t *testing.T) {
			u := e.login(tc.role, "bella")
			var res *http.Response
			if tc.method == "GET" {
				res = u.get(tc.path)
			} else {
				res = u.post(tc.path, tc.form)
			}
			res.Body.Close()
			if res.StatusCode != tc.wantCode {
				t.Fatalf("got %d, want %d", res.StatusCode, tc.wantCode)
			}
		})
	}
	v, _ := e.st.Venue(t.Context(), e.venues["bella"].ID)
	if v.Name != "Bella" {
		t.Fatalf("a refused request changed the venue: %q", v.Name)
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	u := e.login("owner", "bella")
	path := fmt.Sprintf("/app/bella/clients/%d", e.ids["bella.client"])
	form := url.Values{"first_name": {"Sarah"}, "last_name": {"Jones"}}

	// No token and no Sec-Fetch-Site: refused, nothing changes.
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res := u.do(req)
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest && res.StatusCode != http.StatusForbidden {
		t.Fatalf("no token: got %d", res.StatusCode)
	}
	// A cross-site browser request is refused even with a cookie.
	req, _ = http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res = u.do(req)
	res.Body.Close()
	if res.StatusCode < 400 {
		t.Fatalf("cross-site: got %d", res.StatusCode)
	}
	c, _ := e.st.Client(t.Context(), e.venues["bella"].ID, e.ids["bella.client"])
	if c.LastName != "Smith" {
		t.Fatal("a forged request changed the client")
	}
	// A same-origin browser request passes without the token.
	req, _ = http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res = u.do(req)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("same-origin: got %d", res.StatusCode)
	}
	// The real token passes (form field, and the htmx header).
	res = u.post(path, url.Values{"first_name": {"Sarah"}, "last_name": {"Brown"}})
	res.Body.Close()
	res = u.htmxPost(path, url.Values{"first_name": {"Sarah"}, "last_name": {"Green"}})
	res.Body.Close()
	c, _ = e.st.Client(t.Context(), e.venues["bella"].ID, e.ids["bella.client"])
	if c.LastName != "Green" {
		t.Fatalf("token paths failed: last name %q", c.LastName)
	}
}

func TestSessionIdleTimeout(t *testing.T) {
	e := newEnv(t)
	u := e.login("owner", "bella")
	res := u.get("/app/bella")
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatal(res.StatusCode)
	}
	e.clk.Advance(13 * 3600e9)
	res = u.get("/app/bella")
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("idle session should end, got %d", res.StatusCode)
	}
}

func TestHealthzAndHtmxEmbedded(t *testing.T) {
	e := newEnv(t)
	u := e.anon()
	res := u.get("/healthz")
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("healthz %d", res.StatusCode)
	}
	res = u.get("/static/htmx.min.js")
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `version:"2.0.11"`) {
		t.Fatalf("htmx 2.0.11 must be embedded (run make assets): status %d, %d bytes", res.StatusCode, len(body))
	}
}
