package handlers_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestPublicErrorPagesStayPublic: a client who follows a wrong booking or deal link gets
// a public error page, not one that sends them to the staff app's sign-in.
func TestPublicErrorPagesStayPublic(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/book/no-such-salon", "/book/no-such-salon/review", "/deals/no-such-token", "/book/bella/nothing-here"} {
		for name, u := range map[string]*user{"client": e.anon(), "signed-in owner": e.login("owner", "bella")} {
			res := u.get(path)
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s: status %d, want 404", name, path, res.StatusCode)
			}
			d := doc(t, res)
			if d.Find(`[data-testid="error-page"]`).Length() != 1 {
				t.Errorf("%s %s: no error page", name, path)
			}
			d.Find("a[href], form[action]").Each(func(_ int, s *goquery.Selection) {
				target := s.AttrOr("href", s.AttrOr("action", ""))
				if strings.HasPrefix(target, "/app") || strings.HasPrefix(target, "/login") || strings.HasPrefix(target, "/logout") {
					t.Errorf("%s %s: links into the staff app: %s", name, path, target)
				}
			})
			if body := d.Text(); !strings.Contains(body, "could not find that page") {
				t.Errorf("%s %s: wording %q", name, path, strings.Join(strings.Fields(body), " "))
			}
		}
	}
}

// TestFaviconServed: every page links the favicon and /static serves it.
func TestFaviconServed(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/login", "/book/bella"} {
		href := doc(t, e.anon().get(path)).Find(`link[rel="icon"]`).AttrOr("href", "")
		if href != "/static/favicon.svg" {
			t.Errorf("%s: icon link %q", path, href)
		}
	}
	res := e.anon().get("/static/favicon.svg")
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "image/svg+xml") || !strings.Contains(string(body), "<svg") {
		t.Errorf("favicon: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
}
