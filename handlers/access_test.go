package handlers_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"concierge/app"
	"concierge/handlers"
	"concierge/static"
)

// appRoutes lists every route under /app/:slug from the real route table.
func appRoutes(t *testing.T, e *env) [][2]string {
	t.Helper()
	cfg := handlers.Config{SessionKey: []byte("0123456789abcdef0123456789abcdef")}
	srv := handlers.NewServer(newService(e.st, &app.Dispatcher{Store: e.st}, cfg, nil), cfg, static.FS, slog.New(slog.NewTextHandler(io.Discard, nil)))
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

// Every settings route, taken from the route table, for every role: Staff are refused
// all of them, Managers the team pages, and a refusal changes nothing; the roles let
// through reach the handler (its own answer to the form below).
func TestRolesOnSettings(t *testing.T) {
	e := newEnv(t)
	// What an Owner and a Manager get where they are let in; the form is the same for
	// every POST, so a refused one would have changed the venue, the team or the wallet.
	form := url.Values{"name": {"Mine now"}, "amount": {"10"}, "email": {"x@y.test"}, "role": {"owner"}, "sms_price": {"0.09"}}
	allowed := map[string]int{
		"GET /app/:slug/settings":                     200,
		"GET /app/:slug/settings/messages":            200,
		"GET /app/:slug/settings/reconnect":           200,
		"GET /app/:slug/settings/import":              200,
		"GET /app/:slug/settings/export/:file":        200,
		"POST /app/:slug/settings/public-url":         422, // PUBLIC_URL decides in this env
		"GET /app/:slug/settings/team":                200,
		"GET /app/:slug/settings/team/staff/:staff":   200,
		"POST /app/:slug/settings/venue":              422,
		"POST /app/:slug/settings/sms-price":          303,
		"POST /app/:slug/settings/sms-number":         303,
		"POST /app/:slug/settings/wallet":             303,
		"POST /app/:slug/settings/sparks":             422,
		"POST /app/:slug/settings/send-delay":         422,
		"POST /app/:slug/settings/messages":           303,
		"POST /app/:slug/settings/reconnect":          422,
		"POST /app/:slug/settings/import":             422,
		"POST /app/:slug/settings/team":               422,
		"POST /app/:slug/settings/team/:user":         303,
		"POST /app/:slug/settings/team/:user/signout": 303,
		"POST /app/:slug/settings/team/staff/:staff":  303,
		// The catalogue: Managers read it, the Owner changes it. :category is no
		// category of bella's (the form's name would clash with the one just added).
		"GET /app/:slug/settings/catalogue":                                              200,
		"POST /app/:slug/settings/catalogue/categories":                                  303,
		"POST /app/:slug/settings/catalogue/categories/:category":                        404,
		"GET /app/:slug/settings/catalogue/services/new":                                 200,
		"POST /app/:slug/settings/catalogue/services":                                    422,
		"GET /app/:slug/settings/catalogue/services/:service":                            200,
		"POST /app/:slug/settings/catalogue/services/:service":                           422,
		"POST /app/:slug/settings/catalogue/services/:service/archive":                   303,
		"POST /app/:slug/settings/catalogue/services/:service/variants":                  422, // the form has no option name
		"POST /app/:slug/settings/catalogue/services/:service/variants/:variant/archive": 404, // :variant is none of Cut's
		"GET /app/:slug/settings/catalogue/packages/new":                                 200,
		"POST /app/:slug/settings/catalogue/packages":                                    422, // no services in the form
		"GET /app/:slug/settings/catalogue/packages/:package":                            404, // :package is none of bella's
		"POST /app/:slug/settings/catalogue/packages/:package":                           404,
		"POST /app/:slug/settings/catalogue/packages/:package/archive":                   404,
		"GET /app/:slug/settings/profile":                                                200,
		"POST /app/:slug/settings/profile":                                               422, // no cancellation window in the form
		"POST /app/:slug/settings/profile/logo":                                          422, // no file
		"POST /app/:slug/settings/profile/logo/remove":                                   303,
	}
	// :user is a member none of the logins below is, so a role change there changes no login's role.
	if _, err := e.st.AddUser(t.Context(), e.venues["bella"].ID, 0, storeNewUser("member@bella.test", "Bella member", salonRole("staff"))); err != nil {
		t.Fatal(err)
	}
	fill := strings.NewReplacer(":slug", "bella", ":user", fmt.Sprint(e.userID("member@bella.test")), ":staff", fmt.Sprint(e.ids["bella.staff"]),
		":file", "clients.csv", ":category", "999999", ":variant", "999999", ":package", "999999", ":service", fmt.Sprint(e.ids["bella.service"]))
	seen := map[string]bool{}
	for _, r := range e.app.Echo().Routes() {
		if !strings.HasPrefix(r.Path, "/app/:slug/settings") || (r.Method != http.MethodGet && r.Method != http.MethodPost) {
			continue
		}
		route := r.Method + " " + r.Path
		seen[route] = true
		ok, known := allowed[route]
		if !known {
			t.Errorf("%s: a settings route without an expectation here", route)
			continue
		}
		for _, role := range []string{"owner", "manager", "staff"} {
			want := ok
			ownerOnly := strings.HasPrefix(r.Path, "/app/:slug/settings/team") || r.Path == "/app/:slug/settings/sms-number" ||
				r.Path == "/app/:slug/settings/public-url" ||
				r.Path == "/app/:slug/settings/sparks" ||
				(strings.HasPrefix(r.Path, "/app/:slug/settings/catalogue") || strings.HasPrefix(r.Path, "/app/:slug/settings/profile")) &&
					(r.Method == http.MethodPost || strings.HasSuffix(r.Path, "/new"))
			if role == "staff" || (role == "manager" && ownerOnly) {
				want = http.StatusForbidden
			}
			t.Run(role+" "+route, func(t *testing.T) {
				u := e.login(role, "bella")
				before := e.snapshot()
				var res *http.Response
				if r.Method == http.MethodGet {
					res = u.get(fill.Replace(r.Path))
				} else {
					res = u.post(fill.Replace(r.Path), form)
				}
				res.Body.Close()
				if res.StatusCode != want {
					t.Errorf("got %d, want %d", res.StatusCode, want)
				}
				if want == http.StatusForbidden {
					if after := e.snapshot(); after != before {
						t.Errorf("a refused request changed the database:\n%s", diffLines(before, after))
					}
				}
			})
		}
	}
	for route := range allowed {
		if !seen[route] {
			t.Errorf("%s: expected in the route table", route)
		}
	}
}

// diffLines lists the lines of a that b lacks (-) and of b that a lacks (+).
func diffLines(a, b string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	ina, inb := in(a), in(b)
	var out []string
	for _, l := range strings.Split(a, "\n") {
		if !inb[l] {
			out = append(out, "- "+l)
		}
	}
	for _, l := range strings.Split(b, "\n") {
		if !ina[l] {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}

// A forged request is refused on every state-changing route, whatever kind (an /app
// form, an htmx post, the public booking, deal and sign-in forms, sign out): without
// the token, with a wrong one in the form or the htmx header, or sent cross-site by
// the browser — one refusal, 403 — and nothing in the database changes. Each route
// then answers the same request with the real token, so the refusal was the token's.
func TestCSRF(t *testing.T) {
	e := newEnv(t)
	fill := strings.NewReplacer(":slug", "bella", ":id", fmt.Sprint(e.ids["bella.client"]), ":client", fmt.Sprint(e.ids["bella.client"]),
		":user", fmt.Sprint(e.userID("staff@bella.test")), ":staff", fmt.Sprint(e.ids["bella.staff"]), ":token", "not-a-deal")
	form := url.Values{"first_name": {"Forged"}, "last_name": {"Forged"}, "name": {"Forged"}, "role": {"owner"}, "amount": {"50"}}
	forged := []struct {
		name   string
		want   int
		header map[string]string
		field  string
	}{
		{"no token", http.StatusForbidden, nil, ""},
		{"wrong token in the form", http.StatusForbidden, nil, "wrong-token"},
		{"wrong token in the htmx header", http.StatusForbidden, map[string]string{"HX-Request": "true", "X-CSRF-Token": "wrong-token"}, ""},
		{"cross-site browser request", http.StatusForbidden, map[string]string{"Sec-Fetch-Site": "cross-site"}, ""},
		{"same-site browser request without a token", http.StatusForbidden, map[string]string{"Sec-Fetch-Site": "same-site"}, ""},
	}
	var posts []string
	for _, r := range e.app.Echo().Routes() {
		if r.Method == http.MethodPost && !strings.HasPrefix(r.Path, "/webhooks/") { // webhooks are signed by the provider instead
			posts = append(posts, r.Path)
		}
	}
	if len(posts) < 40 {
		t.Fatalf("expected every POST route, found %d", len(posts))
	}
	victim := e.login("owner", "bella") // forged requests carry the victim's cookies
	victim.csrf()
	before := e.snapshot()
	for _, path := range posts {
		for _, f := range forged {
			body := cloneForm(form)
			if f.field != "" {
				body.Set("_csrf", f.field)
			}
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+fill.Replace(path), strings.NewReader(body.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range f.header {
				req.Header.Set(k, v)
			}
			res := victim.do(req)
			res.Body.Close()
			if res.StatusCode != f.want {
				t.Errorf("POST %s, %s: %d, want %d", path, f.name, res.StatusCode, f.want)
			}
		}
	}
	if after := e.snapshot(); after != before {
		t.Fatalf("a forged request changed the database:\n%s", diffLines(before, after))
	}
	if !signedIn(t, victim) {
		t.Fatal("a forged sign-out ended the session")
	}
	for _, path := range posts {
		res := e.login("owner", "bella").post(fill.Replace(path), url.Values{})
		res.Body.Close()
		if res.StatusCode == http.StatusBadRequest || res.StatusCode == http.StatusForbidden {
			t.Errorf("POST %s with the real token: %d, so the forged refusals above prove nothing", path, res.StatusCode)
		}
	}

	// A same-origin browser request passes without the token; the real token passes in
	// the form field and in the htmx header.
	path := fmt.Sprintf("/app/bella/clients/%d", e.ids["bella.client"])
	u := e.login("owner", "bella")
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(url.Values{"first_name": {"Sarah"}, "last_name": {"Jones"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res := u.do(req)
	res.Body.Close()
	if c, _ := e.st.Client(t.Context(), e.venues["bella"].ID, e.ids["bella.client"]); res.StatusCode != http.StatusSeeOther || c.LastName != "Jones" {
		t.Fatalf("same-origin: %d, last name %q", res.StatusCode, c.LastName)
	}
	res = u.post(path, url.Values{"first_name": {"Sarah"}, "last_name": {"Brown"}})
	res.Body.Close()
	if c, _ := e.st.Client(t.Context(), e.venues["bella"].ID, e.ids["bella.client"]); res.StatusCode != http.StatusSeeOther || c.LastName != "Brown" {
		t.Fatalf("token in the form: %d, last name %q", res.StatusCode, c.LastName)
	}
	res = u.htmxPost(path, url.Values{"first_name": {"Sarah"}, "last_name": {"Green"}})
	res.Body.Close()
	if c, _ := e.st.Client(t.Context(), e.venues["bella"].ID, e.ids["bella.client"]); res.StatusCode >= 300 || c.LastName != "Green" {
		t.Fatalf("token in the htmx header: %d, last name %q", res.StatusCode, c.LastName)
	}
}

// A session ends 12 hours after its last request, not after sign-in: 12 hours idle is
// still in, each request starts the 12 hours again, and a second more ends it on the
// server, so the sign-in page follows and a copy of the cookie is worthless too.
func TestSessionIdleTimeout(t *testing.T) {
	e := newEnv(t)
	u := e.login("owner", "bella")
	captured := copyOf(e, u)
	ownerID := e.userID("owner@bella.test")
	for i, idle := range []time.Duration{12 * time.Hour, 12 * time.Hour} {
		e.clk.Advance(idle)
		if !signedIn(t, u) {
			t.Fatalf("request %d after %s idle: signed out, want still in (idle time slides with each request)", i+1, idle)
		}
	}
	e.clk.Advance(12*time.Hour + time.Second)
	res := u.get("/app/bella")
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Fatalf("after 12h 1s idle: %d to %q, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
	}
	if n := e.count(`SELECT count(*) FROM sessions WHERE user_id = ?`, ownerID); n != 0 {
		t.Fatalf("the idle session must end on the server: %d sessions left", n)
	}
	if signedIn(t, captured) {
		t.Fatal("a copy of the idle session's cookie still works")
	}
	if !signedIn(t, e.login("owner", "bella")) {
		t.Fatal("signing in again works")
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
