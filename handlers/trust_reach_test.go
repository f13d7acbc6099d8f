package handlers_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"concierge/jobs"
	"concierge/salon"
	"concierge/store"
)

// incompleteFor gives a new client of bella an incomplete booking (their 10 minutes ran
// out) and returns the client and the draft id.
func incompleteFor(t *testing.T, e *env, in salon.ClientInput) (salon.Client, int64) {
	t.Helper()
	v := e.venues["bella"]
	c, err := e.st.CreateClient(t.Context(), v.ID, 0, in)
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.st.SaveDraft(t.Context(), v.ID, store.NewDraft{ClientID: c.ID, ServiceIDs: []int64{e.ids["bella.service"]},
		Start: e.clk.Now().Add(48 * time.Hour).Truncate(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	return c, d.ID
}

// Item 13: a client who muted SMS and email gets no incomplete-booking reminder, neither
// the automatic one nor Send reminder by hand; the card says the automatic one was not
// sent and why, the button is off and says why, and the toast names the reason.
func TestReminderNeverGoesToMutedChannels(t *testing.T) {
	e := newEnv(t)
	v := e.venues["bella"]
	if err := e.st.SaveIncompleteReminder(t.Context(), v, 0, store.IncompleteReminder{SMS: true, Email: true}); err != nil {
		t.Fatal(err)
	}
	sofia, draft := incompleteFor(t, e, salon.ClientInput{FirstName: "Sofia", LastName: "Muted", Phone: "0412 661 001", Email: "sofia@example.com"})
	e.clk.Advance(11 * time.Minute)
	if err := (jobs.Drafts{Concierge: e.app.ConciergeService()}).Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	sent := func() int {
		return e.count(`SELECT count(*) FROM messages WHERE client_id = ? AND purpose = 'incomplete_booking_reminder'`, sofia.ID)
	}
	if n := sent(); n != 0 {
		t.Fatalf("the automatic reminder went to a client who muted both channels: %d messages", n)
	}
	owner := e.login("owner", "bella")
	card := doc(t, owner.get("/app/bella/calendar?panel=incomplete")).Find(`[data-testid="incomplete-card"]`)
	status := card.Find(`[data-testid="reminder-status"]`).Text()
	if strings.Contains(status, "Reminder sent") || !strings.Contains(status, "Not sent: Sofia has muted SMS and email") {
		t.Fatalf("the card says what happened: %q", status)
	}
	if _, disabled := card.Find(`[data-testid="send-reminder"]`).Attr("disabled"); !disabled ||
		!strings.Contains(card.Find(`[data-testid="reminder-unreachable"]`).Text(), "Sofia has muted SMS and email") {
		t.Fatalf("Send reminder is off and says why: %s", card.Text())
	}
	// By hand (the button is off, but a stale page or a script may still post).
	res := owner.htmxPost(fmt.Sprintf("/app/bella/followups/incomplete/%d/remind", draft), nil)
	res.Body.Close()
	if trig := res.Header.Get("HX-Trigger"); res.StatusCode != 200 || !strings.Contains(trig, "Not sent: Sofia has muted SMS and email") {
		t.Fatalf("toast: %d %q", res.StatusCode, trig)
	}
	if n := sent(); n != 0 {
		t.Fatalf("Send reminder texted and emailed a client who muted both: %d messages", n)
	}
}

// Item 13: the toast for an opted-out client says so, not "no phone or email"; a client
// who muted one channel is reminded on the other, and the card says which.
func TestReminderSaysWhyAndWhere(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	olga, olgaDraft := incompleteFor(t, e, salon.ClientInput{FirstName: "Olga", LastName: "Out", Phone: "0412 661 002", Email: "olga@example.com",
		SMSOptOut: true, EmailOptOut: true, NotifySMS: true, NotifyEmail: true})
	e.clk.Advance(11 * time.Minute)
	(jobs.Drafts{Concierge: e.app.ConciergeService()}).Run(t.Context())
	res := owner.htmxPost(fmt.Sprintf("/app/bella/followups/incomplete/%d/remind", olgaDraft), nil)
	res.Body.Close()
	trig := res.Header.Get("HX-Trigger")
	if !strings.Contains(trig, "Not sent: Olga has opted out of SMS and email") || strings.Contains(trig, "no phone") {
		t.Fatalf("toast: %q", trig)
	}
	if n := e.count(`SELECT count(*) FROM messages WHERE client_id = ? AND direction = 'out'`, olga.ID); n != 0 {
		t.Fatalf("%d messages to an opted-out client", n)
	}

	mia, miaDraft := incompleteFor(t, e, salon.ClientInput{FirstName: "Mia", LastName: "Half", Phone: "0412 661 003", Email: "mia@example.com",
		NotifyEmail: true})
	e.clk.Advance(11 * time.Minute)
	(jobs.Drafts{Concierge: e.app.ConciergeService()}).Run(t.Context())
	res = owner.htmxPost(fmt.Sprintf("/app/bella/followups/incomplete/%d/remind", miaDraft), nil)
	res.Body.Close()
	if trig := res.Header.Get("HX-Trigger"); !strings.Contains(trig, "Reminder sent by email.") {
		t.Fatalf("toast: %q", trig)
	}
	if sms, email := e.count(`SELECT count(*) FROM messages WHERE client_id = ? AND channel = 'sms'`, mia.ID),
		e.count(`SELECT count(*) FROM messages WHERE client_id = ? AND channel = 'email'`, mia.ID); sms != 0 || email != 1 {
		t.Fatalf("muted SMS, email on: %d texts, %d emails", sms, email)
	}
	d := doc(t, owner.get("/app/bella/calendar?panel=incomplete"))
	var status string
	d.Find(`[data-testid="incomplete-card"]`).EachWithBreak(func(_ int, card *goquery.Selection) bool {
		if strings.Contains(card.Text(), "Mia Half") {
			status = card.Find(`[data-testid="reminder-status"]`).Text()
			return false
		}
		return true
	})
	if !strings.HasPrefix(status, "Reminder sent by email ") {
		t.Fatalf("Mia's card: %q", status)
	}
}
