package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Item 10: every response carries a policy that allows only our own scripts and
// styles; signed-in pages are never cached; HSTS only for an https public address.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	for _, tc := range []struct {
		name, path string
		u          *user
		noStore    bool
	}{
		{"sign-in page", "/login", e.anon(), false},
		{"public booking", "/book/bella", e.anon(), false},
		{"dashboard", "/app/bella", owner, true},
		{"clients", "/app/bella/clients", owner, true},
	} {
		res := tc.u.get(tc.path)
		res.Body.Close()
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", tc.name, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline code: %q", tc.name, csp)
		}
		if got := h.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
			t.Errorf("%s: HSTS %q with an https PUBLIC_URL", tc.name, got)
		}
		if got := strings.Contains(h.Get("Cache-Control"), "no-store"); got != tc.noStore {
			t.Errorf("%s: Cache-Control %q, want no-store %v", tc.name, h.Get("Cache-Control"), tc.noStore)
		}
	}
	plain := newEnv(t, func(c *envConfig) { c.PublicURL = "http://localhost:8080" })
	res := plain.anon().get("/login")
	res.Body.Close()
	if got := res.Header.Get("Strict-Transport-Security"); got != "" {
		t.Fatalf("no HSTS over plain http, got %q", got)
	}
}

// Item 10: the policy holds only if no page needs inline code: no <script> without
// src, no on* handler, no style attribute or <style>, no hx-on, on every page a
// person can open.
func TestPagesHaveNoInlineScriptOrStyle(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	pages := []string{"/app/bella", "/app/bella/concierge", "/app/bella/calendar", "/app/bella/clients", "/app/bella/clients/new",
		"/app/bella/inbox", "/app/bella/engage", "/app/bella/outbox", "/app/bella/backfill", "/app/bella/marketing/reconnect",
		"/app/bella/automations", "/app/bella/settings", "/app/bella/settings/team", "/app/bella/settings/messages",
		"/app/bella/settings/reconnect", "/app/bella/settings/import", "/app/bella/account", "/app/bella/bookings/new",
		"/app/bella/concierge/pending", "/app/bella/notifications"}
	for _, p := range pages {
		checkNoInline(t, owner.get(p), p)
	}
	anon := e.anon()
	for _, p := range []string{"/login", "/book/bella"} {
		checkNoInline(t, anon.get(p), p)
	}
}

func checkNoInline(t *testing.T, res *http.Response, path string) {
	t.Helper()
	d := doc(t, res)
	if res.StatusCode != http.StatusOK {
		t.Errorf("%s: status %d", path, res.StatusCode)
		return
	}
	if n := d.Find("script:not([src]), style").Length(); n > 0 {
		t.Errorf("%s: %d inline <script>/<style> elements", path, n)
	}
	d.Find("*").Each(func(_ int, sel *goquery.Selection) {
		for _, a := range sel.Nodes[0].Attr {
			if strings.HasPrefix(a.Key, "on") || a.Key == "style" || strings.HasPrefix(a.Key, "hx-on") {
				t.Errorf("%s: <%s %s=%q> breaks the Content-Security-Policy", path, goquery.NodeName(sel), a.Key, a.Val)
			}
		}
	})
}
