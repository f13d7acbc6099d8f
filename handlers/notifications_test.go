package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"concierge/jobs"
)

// TestIncompleteBookingNoticeOnlyForManageWaitlist: an abandoned online booking is
// announced to those who may work the Follow-ups panel — Owner, Manager, Staff given
// Manage Waitlist — and to nobody else, neither on the notifications page nor in the
// bell's unread count.
func TestIncompleteBookingNoticeOnlyForManageWaitlist(t *testing.T) {
	e := newEnv(t)
	signedInGuest(t, e, "0412 553 101")
	e.clk.Advance(10 * time.Minute)
	if err := (jobs.Drafts{Concierge: e.app.ConciergeService()}).Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	const notice = "did not finish"
	sees := func(u *user) (onPage bool, unread string) {
		t.Helper()
		res := u.get("/app/bella/notifications")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("notifications: %d", res.StatusCode)
		}
		d := doc(t, res)
		return strings.Contains(d.Find("main").Text(), notice), strings.TrimSpace(d.Find(`[data-testid="notification-bell"] .badge`).Text())
	}
	for _, role := range []string{"owner", "manager"} {
		if on, unread := sees(e.login(role, "bella")); !on || unread != "1" {
			t.Errorf("%s: on page %v, unread %q; want the notice", role, on, unread)
		}
	}
	staff := e.login("staff", "bella")
	if on, unread := sees(staff); on || unread != "" {
		t.Errorf("staff without Manage Waitlist: on page %v, unread %q; want nothing", on, unread)
	}
	// Given Manage Waitlist, the same Staff member hears of it.
	res := e.login("owner", "bella").post("/app/bella/settings/team/"+itoa(mustUser(t, e, "staff@bella.test")),
		url.Values{"role": {"staff"}, "manage_waitlist": {"true"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("grant Manage Waitlist: %d", res.StatusCode)
	}
	if on, unread := sees(staff); !on || unread != "1" {
		t.Errorf("staff with Manage Waitlist: on page %v, unread %q; want the notice", on, unread)
	}
}

// Attack review: "X asks for approval: <title>" reached every member, so Staff read
// the titles of actions they may not see. Approval requests go to those who approve.
func TestApprovalRequestsOnlyForApprovers(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	manager := e.login("manager", "bella")
	card := cardOf(manager.chat(t, "bella", "win back lapsed clients"), "win_back")
	res := manager.htmxPost("/app/bella/concierge/actions/"+cardID(t, card)+"/send", url.Values{"body": {card.Find("textarea[name=body]").Text()}})
	res.Body.Close()
	const notice = "asks for approval"
	if d := doc(t, e.login("owner", "bella").get("/app/bella/notifications")); !strings.Contains(d.Find("main").Text(), notice) {
		t.Fatal("the Owner must be asked to approve")
	}
	d := doc(t, e.login("staff", "bella").get("/app/bella/notifications"))
	if strings.Contains(d.Find("main").Text(), notice) || strings.TrimSpace(d.Find(`[data-testid="notification-bell"] .badge`).Text()) != "" {
		t.Fatal("Staff must not hear of others' actions waiting for approval")
	}
}
