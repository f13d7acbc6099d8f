package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"concierge/salon"
	"concierge/store"
)

// overdueRegular is a Cut & Style client with four visits 42 days apart, the last one
// lastAgo days ago (overdue after 50.4 days with the default 20% grace).
func (e *env) overdueRegular(t *testing.T, name, phone string, lastAgo int) salon.Client {
	t.Helper()
	ctx := context.Background()
	v := e.venues["bella"]
	c, err := e.st.CreateClient(ctx, v.ID, 0, salon.ClientInput{FirstName: name, LastName: "Overdue", Phone: phone,
		Email: strings.ToLower(name) + "@example.com", NotifySMS: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		start := e.clk.Now().AddDate(0, 0, -lastAgo-42*i).Add(time.Duration(len(name)) * time.Hour)
		b, err := e.st.CreateBooking(ctx, v.ID, 0, store.BookingInput{ClientID: c.ID, StaffID: e.ids["bella.staff"], Start: start,
			ServiceIDs: []int64{e.ids["bella.service"]}})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.st.SetBookingStatus(ctx, v.ID, 0, b.ID, salon.Completed); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestReconnectPageContactAndFollowUp(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-2 * time.Hour) // 10:00 in Sydney
	ann := e.overdueRegular(t, "Ann", "0412 900 001", 55)
	bob := e.overdueRegular(t, "Bob", "0412 900 002", 60)
	e.overdueRegular(t, "Cy", "0412 900 003", 45) // not yet due
	owner := e.login("owner", "bella")
	d := doc(t, owner.get("/app/bella/marketing/reconnect"))
	count := d.Find(`[data-testid="overdue-count"][data-category="Cut & Style"]`).Text()
	if count != "2" {
		t.Fatalf("two overdue for Cut & Style, got %q: %s", count, d.Find("main").Text())
	}
	// Staff get 403.
	res := e.login("staff", "bella").get("/app/bella/marketing/reconnect")
	res.Body.Close()
	if res.StatusCode != 403 {
		t.Fatalf("staff: %d", res.StatusCode)
	}
	// Contact Overdue Clients opens a card with the audience preview.
	var catID string
	e.st.DB().QueryRow(`SELECT category_id FROM services WHERE id = ?`, e.ids["bella.service"]).Scan(&catID)
	res = owner.post("/app/bella/marketing/reconnect/contact", url.Values{"category_id": {catID}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/concierge/actions/") {
		t.Fatalf("contact: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	card := doc(t, owner.get(res.Header.Get("Location")))
	if card.Find(`[data-testid="audience-sendable"]`).Text() != "2" {
		t.Fatalf("the preview: %s", card.Find(`[data-testid="action-card"]`).Text())
	}
	id := card.Find(`[data-testid="action-card"]`).AttrOr("id", "")
	body := card.Find("textarea[name=body]").Text()
	res = owner.htmxPost("/app/bella/concierge/actions/"+strings.TrimPrefix(id, "action-")+"/send", url.Values{"body": {body},
		"title": {card.Find("input[name=title]").AttrOr("value", "Reconnect")}, "subject": {"Your next visit"}})
	res.Body.Close()
	e.waitSends()
	var sent int
	sent = e.count(`SELECT count(*) FROM messages m JOIN reconnect_sends rs ON rs.message_id = m.id
		WHERE m.purpose = 'reconnect' AND m.body LIKE 'Hi Ann, it''s been a while since your last Cut & Style visit at Bella.%'`)
	var total int
	total = e.count(`SELECT count(*) FROM reconnect_sends`)
	if sent != 1 || total != 2 {
		t.Fatalf("one personal message each, linked to the category: %d, %d rows", sent, total)
	}
	// Bob rebooks his cut three days later.
	e.clk.Advance(3 * 24 * time.Hour)
	if _, err := e.st.CreateBooking(t.Context(), e.venues["bella"].ID, 0, store.BookingInput{ClientID: bob.ID, StaffID: e.ids["bella.staff"],
		Start: e.clk.Now().Add(72 * time.Hour), ServiceIDs: []int64{e.ids["bella.service"]}}); err != nil {
		t.Fatal(err)
	}
	svc := e.app.ConciergeService()
	followups := func() int {
		var n int
		n = e.count(`SELECT count(*) FROM messages WHERE purpose = 'reconnect_followup'`)
		return n
	}
	// Day 6: not yet.
	e.clk.Advance(3 * 24 * time.Hour)
	svc.SendReconnectFollowUps(t.Context())
	if followups() != 0 {
		t.Fatal("no follow-up before 7 days")
	}
	// Day 7, 21:00 in Sydney: quiet hours, nothing.
	e.clk.Advance(24*time.Hour + 11*time.Hour)
	svc.SendReconnectFollowUps(t.Context())
	if followups() != 0 {
		t.Fatal("no follow-up in quiet hours")
	}
	// The next morning: Ann gets one follow-up, Bob (rebooked) none; running again sends nothing more.
	e.clk.Advance(13 * time.Hour)
	svc.SendReconnectFollowUps(t.Context())
	svc.SendReconnectFollowUps(t.Context())
	var toAnn int
	toAnn = e.count(`SELECT count(*) FROM messages WHERE purpose = 'reconnect_followup' AND client_id = ?`, ann.ID)
	if followups() != 1 || toAnn != 1 {
		t.Fatalf("one follow-up, to Ann: %d (Ann %d)", followups(), toAnn)
	}
	// The page counts Bob as reconnected.
	owner = e.login("owner", "bella")
	d = doc(t, owner.get("/app/bella/marketing/reconnect"))
	if got := d.Find(`[data-testid="reconnected"][data-category="Cut & Style"]`).Text(); got != "1" {
		t.Fatalf("reconnected: %q", got)
	}
}

func TestReconnectAutomationAndRebookPrompt(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-4 * time.Hour) // 08:00 in Sydney: quiet hours until 09:00
	e.overdueRegular(t, "Ann", "0412 900 001", 55)
	owner := e.login("owner", "bella")
	res := owner.post("/app/bella/settings/reconnect", url.Values{"reconnect": {"true"}, "time": {"08:30"}, "grace_pct": {"20"},
		"channel": {"both"}, "followup_days": {"7"}})
	res.Body.Close()
	if res.StatusCode != 422 {
		t.Fatalf("a daily time inside quiet hours is refused: %d", res.StatusCode)
	}
	res = owner.post("/app/bella/settings/reconnect", url.Values{"reconnect": {"true"}, "time": {"10:00"}, "grace_pct": {"20"},
		"channel": {"both"}, "followup_days": {"7"}, "template": {"Hi {{FirstName}}, time for your {{CategoryName}}? {{BusinessName}}"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("settings saved: %d", res.StatusCode)
	}
	svc := e.app.ConciergeService()
	run := func() int {
		if err := svc.RunReconnectAutomation(t.Context()); err != nil {
			t.Fatal(err)
		}
		e.waitSends()
		var n int
		n = e.count(`SELECT count(*) FROM messages WHERE purpose = 'reconnect'`)
		return n
	}
	if run() != 0 {
		t.Fatal("nothing before 10:00")
	}
	e.clk.Advance(2 * time.Hour)
	if n := run(); n != 2 {
		t.Fatalf("at 10:00 Ann gets a text and an email (both): %d", n)
	}
	var body string
	e.st.DB().QueryRow(`SELECT body FROM messages WHERE purpose = 'reconnect' AND channel = 'sms'`).Scan(&body)
	if body != "Hi Ann, time for your Cut & Style? Bella" {
		t.Fatalf("the venue's template: %q", body)
	}
	if n := run(); n != 2 {
		t.Fatalf("once a day: %d", n)
	}
	e.clk.Advance(24 * time.Hour)
	if n := run(); n != 2 {
		t.Fatalf("the next day Ann is not newly overdue: %d", n)
	}
	// A day with nobody to send to leaves no action behind (one card: the first day's).
	if n := e.count(`SELECT count(*) FROM actions WHERE venue_id = ?`, e.venues["bella"].ID); n != 1 {
		t.Fatalf("the automation recorded %d actions over two days, one of them with nobody to send to", n)
	}

	// Rebook nudge: 3 days after a completed visit with nothing booked ahead, once.
	owner = e.login("owner", "bella") // the session has idled out over the simulated days
	res = owner.post("/app/bella/automations", url.Values{"rebook_on": {"true"}, "rebook_prompt_days": {"3"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("rebook nudge saved: %d", res.StatusCode)
	}
	v := e.venues["bella"]
	c, _ := e.st.CreateClient(t.Context(), v.ID, 0, salon.ClientInput{FirstName: "Dee", LastName: "Visit", Phone: "0412 900 010", NotifySMS: true})
	b, err := e.st.CreateBooking(t.Context(), v.ID, 0, store.BookingInput{ClientID: c.ID, StaffID: e.ids["bella.staff"],
		Start: e.clk.Now().Add(-time.Hour), ServiceIDs: []int64{e.ids["bella.service"]}})
	if err != nil {
		t.Fatal(err)
	}
	e.st.SetBookingStatus(t.Context(), v.ID, 0, b.ID, salon.Completed)
	nudges := func() int {
		if err := svc.SendRebookPrompts(t.Context()); err != nil {
			t.Fatal(err)
		}
		var n int
		n = e.count(`SELECT count(*) FROM messages WHERE client_id = ? AND body LIKE 'Hi Dee, thanks for visiting Bella!%'`, c.ID)
		return n
	}
	e.clk.Advance(2 * 24 * time.Hour)
	if nudges() != 0 {
		t.Fatal("not before 3 days")
	}
	e.clk.Advance(24 * time.Hour)
	if nudges() != 1 || nudges() != 1 {
		t.Fatal("one nudge on day 3, never twice")
	}
}
