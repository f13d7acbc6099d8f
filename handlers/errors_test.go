package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A missing or wrong CSRF token is one refusal, recognised without matching the
// middleware's wording: 403 and a page that says to reload, for forms and htmx alike.
func TestCSRFRefusalsReadTheSame(t *testing.T) {
	e := newEnv(t)
	u := e.login("staff", "bella")
	for name, tc := range map[string]struct {
		token string
		htmx  bool
	}{"missing in a form": {"", false}, "wrong in a form": {"forged", false}, "missing in htmx": {"", true}, "wrong in htmx": {"forged", true}} {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/app/bella/clients", strings.NewReader(url.Values{"_csrf": {tc.token}, "first_name": {"X"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if tc.htmx {
			req.Header.Set("HX-Request", "true")
			req.Header.Set("X-CSRF-Token", tc.token)
		}
		res := u.do(req)
		body := doc(t, res).Text()
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, res.StatusCode)
		}
		if !tc.htmx && !strings.Contains(body, "Reload the page") {
			t.Errorf("%s: the page should say to reload: %q", name, body)
		}
		if tc.htmx && !strings.Contains(res.Header.Get("HX-Trigger"), "Reload the page") {
			t.Errorf("%s: the toast should say to reload: %q", name, res.Header.Get("HX-Trigger"))
		}
	}
	var n int
	if err := e.st.DB().QueryRow(`SELECT count(*) FROM clients WHERE first_name = 'X'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a refused form created %d clients (%v)", n, err)
	}
}
