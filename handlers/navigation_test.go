package handlers_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

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

// TestBellCountDropsWhenSeen: opening the notifications page marks them seen for the
// person who opened it: their bell's count drops on the next page, nobody else's does,
// and a notification that arrives later counts again.
func TestBellCountDropsWhenSeen(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	manager := e.login("manager", "bella")
	card := cardOf(manager.chat(t, "bella", "win back lapsed clients"), "win_back")
	manager.htmxPost("/app/bella/concierge/actions/"+cardID(t, card)+"/send", url.Values{"body": {card.Find("textarea[name=body]").Text()}}).Body.Close()
	bell := func(u *user, path string) string {
		t.Helper()
		res := u.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		return strings.TrimSpace(doc(t, res).Find(`[data-testid="notification-bell"] .badge`).Text())
	}
	managerBefore := bell(manager, "/app/bella")
	if managerBefore == "" {
		t.Fatal("the Manager has notifications to see")
	}
	owner := e.login("owner", "bella")
	before := bell(owner, "/app/bella")
	if before == "" || before == "0" {
		t.Fatalf("the Owner has an approval request to see, bell %q", before)
	}
	if d := doc(t, owner.get("/app/bella/notifications")); d.Find(`[data-testid="notification-new"]`).Length() == 0 {
		t.Error("the notifications page marks what was new")
	}
	if got := bell(owner, "/app/bella"); got != "" {
		t.Errorf("after viewing notifications the Owner's bell says %q, want no count", got)
	}
	if d := doc(t, owner.get("/app/bella/notifications")); d.Find(`[data-testid="notification-new"]`).Length() != 0 {
		t.Error("seen notifications are no longer new")
	}
	// The business-wide notices stay unread for the Manager, who has not looked.
	if got := bell(manager, "/app/bella"); got != managerBefore {
		t.Errorf("the Owner's viewing changed the Manager's bell from %q to %q", managerBefore, got)
	}
}

// TestApprovalsInMenu: Owners and Managers reach the approval queue from the menu, its
// badge counting the actions waiting (with words for screen readers); Staff, who do not
// approve, have no such link.
func TestApprovalsInMenu(t *testing.T) {
	e := newEnv(t)
	pendingInBella := func() int {
		return e.count(`SELECT count(*) FROM actions a JOIN venues v ON v.id = a.venue_id WHERE v.slug = 'bella' AND a.status = 'pending'`)
	}
	menu := func(u *user) (link *goquery.Selection, count string) {
		t.Helper()
		res := u.get("/app/bella/clients")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("clients page: %d", res.StatusCode)
		}
		a := doc(t, res).Find(`nav.mainnav [data-testid="nav-approvals"]`)
		return a, strings.TrimSpace(a.Find(`[data-testid="approvals-count"]`).Text())
	}
	before := pendingInBella()
	e.clk.Advance(-3 * time.Hour)
	e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	manager := e.login("manager", "bella")
	card := cardOf(manager.chat(t, "bella", "win back lapsed clients"), "win_back")
	manager.htmxPost("/app/bella/concierge/actions/"+cardID(t, card)+"/send", url.Values{"body": {card.Find("textarea[name=body]").Text()}}).Body.Close()
	want := pendingInBella()
	if want != before+1 {
		t.Fatalf("the Manager's win-back must queue for approval: %d pending, was %d", want, before)
	}
	for _, role := range []string{"owner", "manager"} {
		u := e.login(role, "bella")
		link, count := menu(u)
		if link.Length() != 1 || link.AttrOr("href", "") != "/app/bella/concierge/pending" {
			t.Fatalf("%s: Approvals link %d, href %q", role, link.Length(), link.AttrOr("href", ""))
		}
		if count != fmt.Sprint(want) {
			t.Errorf("%s: badge %q, want %d", role, count, want)
		}
		if !strings.Contains(link.Find(".visually-hidden").Text(), "waiting for approval") {
			t.Errorf("%s: the badge has no words for screen readers: %q", role, link.Text())
		}
		if rows := doc(t, u.get("/app/bella/concierge/pending")).Find(`[data-testid="pending-row"]`).Length(); rows != want {
			t.Errorf("%s: the page lists %d, the badge says %d", role, rows, want)
		}
	}
	if link, _ := menu(e.login("staff", "bella")); link.Length() != 0 {
		t.Error("Staff do not approve: no Approvals link")
	}
}
