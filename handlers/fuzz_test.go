package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestEveryRouteSurvivesGarbage walks the whole URL surface (read from the router, so
// new routes are covered without touching this test) as every role, a stranger and
// another venue's Owner, with ids of this venue, another venue's, absurd and
// non-numeric ones, and junk forms. Nothing may answer 5xx.
func TestEveryRouteSurvivesGarbage(t *testing.T) {
	e := newEnv(t)
	who := map[string]*user{"anon": e.anon(), "staff": e.login("staff", "bella"), "manager": e.login("manager", "bella"),
		"owner": e.login("owner", "bella"), "kiwi-owner": e.login("owner", "kiwi")}
	own := func(key string) string { return fmt.Sprint(e.ids["bella."+key]) }
	other := func(key string) string { return fmt.Sprint(e.ids["kiwi."+key]) }
	absurd := []string{"0", "-1", "99999999999999999999", "abc", "1%00"}
	ids := map[string][]string{
		":client": append([]string{own("client"), other("client")}, absurd...),
		":staff":  append([]string{own("staff"), other("staff")}, absurd...),
		":user":   append([]string{fmt.Sprint(e.userID("staff@bella.test")), fmt.Sprint(e.userID("staff@kiwi.test"))}, absurd...),
		":id":     append([]string{own("booking"), other("booking"), own("client"), "1", "2"}, absurd...),
	}
	junk := []url.Values{
		{},
		{"name": {strings.Repeat("x", 5000)}, "slug": {"../../etc"}, "email": {"a@"}, "phone": {"+999"}, "role": {"god"},
			"password": {strings.Repeat("p", 200)}, "code": {"000000"}, "slot": {"4102444800:1"}, "service": {"1", "-5"},
			"staff": {"-1"}, "date": {"9999-99-99"}, "time": {"99:99"}, "channel": {"fax"}, "status": {"exploded"},
			"body": {"\x00\xff"}, "message": {strings.Repeat("fill my gaps ", 400)}, "client_id": {"1e9"}, "price": {"NaN"},
			"amount": {"-1e308"}, "quiet_start": {"25:00"}, "tz": {"Mars/Olympus"}, "time_zone": {"Mars/Olympus"},
			"country": {"US"}, "category": {"'; DROP TABLE clients; --"}, "template": {"{{.}}{{"}, "draft": {"-1"}},
	}
	routes := e.app.Echo().Routes()
	requests, failures := 0, 0
	codes := map[int]int{}
	for _, r := range routes {
		// Signing out (or out everywhere) would turn the rest of the walk anonymous.
		if (r.Method != http.MethodGet && r.Method != http.MethodPost) || r.Path == "/logout" || strings.HasSuffix(r.Path, "/signout") {
			continue
		}
		for _, path := range expandRoute(r.Path, ids) {
			for name, u := range who {
				forms := []url.Values{nil}
				if r.Method == http.MethodPost {
					forms = junk
				}
				for _, form := range forms {
					var res *http.Response
					if form == nil {
						res = u.get(path)
					} else {
						res = u.post(path, form)
					}
					res.Body.Close()
					requests++
					codes[res.StatusCode]++
					if res.StatusCode >= 500 {
						failures++
						t.Errorf("%s %s as %s: %d", r.Method, path, name, res.StatusCode)
					}
				}
			}
		}
	}
	t.Logf("%d requests over %d routes, %d × 5xx; statuses %v", requests, len(routes), failures, codes)
	// CSRF refusals (403 from the middleware) must not be what the walk mostly sees.
	if codes[http.StatusForbidden] > requests/3 {
		t.Fatalf("%d of %d requests were 403: the walk is not reaching the handlers", codes[http.StatusForbidden], requests)
	}
	for name, u := range who {
		if name != "anon" && name != "kiwi-owner" && !signedIn(t, u) {
			t.Errorf("%s was signed out during the walk, so it did not walk as %s", name, name)
		}
	}
	if requests < 1000 {
		t.Fatalf("only %d requests: the route walk is not reaching the surface", requests)
	}
}

// expandRoute fills a route's parameters: the venue slug (own, other, unknown), and
// each id parameter with the ids given for its name (":id" for any other name).
func expandRoute(path string, ids map[string][]string) []string {
	out := []string{path}
	for _, seg := range strings.Split(path, "/") {
		if !strings.HasPrefix(seg, ":") && seg != "*" {
			continue
		}
		var values []string
		switch seg {
		case ":slug":
			values = []string{"bella", "kiwi", "nowhere"}
		case ":token":
			values = []string{"not-a-token", strings.Repeat("a", 64)}
		case "*":
			values = []string{"app.js", "../../main.go"}
		default:
			values = ids[seg]
			if values == nil {
				values = ids[":id"]
			}
		}
		var next []string
		for _, p := range out {
			for _, v := range values {
				next = append(next, strings.Replace(p, seg, url.PathEscape(v), 1))
			}
		}
		out = next
	}
	return out
}
