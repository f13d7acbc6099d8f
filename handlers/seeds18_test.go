package handlers_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"concierge/jobs"
	"concierge/messaging"
	"concierge/salon"
	"concierge/store"
)

// refusingSender is a provider that refuses every message (an unreachable number).
type refusingSender struct{}

func (refusingSender) Name() string { return "refusing" }
func (refusingSender) Send(context.Context, messaging.Envelope) (messaging.Receipt, error) {
	return messaging.Receipt{}, errors.New("21211: invalid 'To' phone number")
}

// contactOverdueCard opens the Contact Overdue Clients card (category "" = Contact All)
// and returns the card page and the action id.
func contactOverdueCard(t *testing.T, e *env, u *user, category string) (string, *http.Response) {
	t.Helper()
	res := u.post("/app/bella/marketing/reconnect/contact", url.Values{"category_id": {category}})
	res.Body.Close()
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "/concierge/actions/") {
		t.Fatalf("contact: %d %s", res.StatusCode, loc)
	}
	return loc[strings.LastIndex(loc, "/")+1:], u.get(loc)
}

// Item 1. Seed 000's FAQ: "Three filters that aren't always obvious: recently-messaged
// dedup (any outbound in last 30 days), …". SPEC §5: replies and confirmations count,
// and so does a send in an unknown state; one the provider refused does not.
func TestRecentlyMessagedIsAnyOutboundTheProviderTook(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-2 * time.Hour) // 10:00 in Sydney
	ann := e.overdueRegular(t, "Ann", "0412 900 001", 55)
	bob := e.overdueRegular(t, "Bob", "0412 900 002", 60)
	e.overdueRegular(t, "Cy", "0412 900 003", 65)
	owner := e.login("owner", "bella")
	reply := func(id int64, body string) {
		t.Helper()
		res := owner.post(fmt.Sprintf("/app/bella/inbox/%d/reply", id), url.Values{"body": {body}})
		res.Body.Close()
		res = owner.post(fmt.Sprintf("/app/bella/inbox/%d/status", id), url.Values{"status": {"closed"}})
		res.Body.Close()
	}
	// Ann gets an ordinary reply from the inbox (not marketing); Bob's reply is refused
	// by the provider.
	reply(ann.ID, "Thanks Ann, see you soon!")
	e.dispatch.Senders.SMS = refusingSender{}
	reply(bob.ID, "Thanks Bob!")
	e.dispatch.Senders.SMS = messaging.Outbox{}
	if n := e.count(`SELECT count(*) FROM messages WHERE client_id = ? AND status = 'failed'`, bob.ID); n != 1 {
		t.Fatalf("Bob's reply should have been refused: %d failed", n)
	}
	if n := e.count(`SELECT count(*) FROM messages WHERE client_id = ? AND direction = 'out' AND status = 'delivered'`, ann.ID); n != 1 {
		t.Fatalf("Ann's reply should have gone: %d", n)
	}
	e.clk.Advance(48 * time.Hour) // past the 24-hour cooldown, well inside 30 days
	owner = e.login("owner", "bella")
	var cat string
	e.st.DB().QueryRow(`SELECT category_id FROM services WHERE id = ?`, e.ids["bella.service"]).Scan(&cat)
	_, res := contactOverdueCard(t, e, owner, cat)
	d := doc(t, res)
	if got := d.Find(`[data-testid="audience-count"]`).Text(); got != "3" {
		t.Fatalf("three overdue, got %q", got)
	}
	if got := d.Find(`[data-testid="audience-excluded"][data-reason="recently_messaged"]`).Text(); !strings.HasPrefix(got, "1 ") {
		t.Fatalf("Ann (an inbox reply 2 days ago) is recently messaged; Bob's refused reply does not count: %q", got)
	}
	if got := d.Find(`[data-testid="audience-sendable"]`).Text(); got != "2" {
		t.Fatalf("Bob and Cy can be messaged, got %q: %s", got, d.Find(`[data-testid="audience-samples"]`).Text())
	}
	if s := d.Find(`[data-testid="audience-samples"]`).Text(); strings.Contains(s, "Ann") || !strings.Contains(s, "Bob") {
		t.Fatalf("samples: %q", s)
	}
	// A send whose outcome is unknown (the app stopped mid-send) counts: it may have
	// reached the phone.
	if _, err := e.st.DB().Exec(`UPDATE messages SET status = 'unknown' WHERE id = (SELECT max(id) FROM messages WHERE client_id = ?)`, ann.ID); err != nil {
		t.Fatal(err)
	}
	_, res = contactOverdueCard(t, e, owner, cat)
	if got := doc(t, res).Find(`[data-testid="audience-sendable"]`).Text(); got != "2" {
		t.Fatalf("an unknown send still counts: sendable %q", got)
	}
}

// Item 7. Seeds 002/003: "Click on Marketing > Client Reconnect." Reconnect, Engage and
// Automations sit under one Marketing menu, open on its own pages; Staff see only what
// they may open (Engage).
func TestMarketingMenuGroupsReconnectEngageAutomations(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	for _, tc := range []struct {
		path string
		open bool
	}{{"/app/bella", false}, {"/app/bella/marketing/reconnect", true}, {"/app/bella/engage", true}, {"/app/bella/automations", true}} {
		d := doc(t, owner.get(tc.path))
		menu := d.Find(`nav.mainnav [data-testid="nav-marketing"]`)
		if strings.TrimSpace(menu.Find("summary").Text()) != "Marketing" {
			t.Fatalf("%s: no Marketing menu: %s", tc.path, d.Find("nav.mainnav").Text())
		}
		var links []string
		menu.Find("a.navlink").Each(func(_ int, a *goquery.Selection) { links = append(links, a.Text()+"="+a.AttrOr("href", "")) })
		want := "Client Reconnect=/app/bella/marketing/reconnect Engage=/app/bella/engage Automations=/app/bella/automations"
		if strings.Join(links, " ") != want {
			t.Fatalf("%s: Marketing holds %v", tc.path, links)
		}
		// On its own pages the menu button is marked current, and the page's link in it.
		if menu.Find("summary").HasClass("current") != tc.open || (tc.open && menu.Find(`a[aria-current="page"]`).AttrOr("href", "") != tc.path) {
			t.Fatalf("%s: menu current %v, want %v", tc.path, menu.Find("summary").HasClass("current"), tc.open)
		}
		// They are no longer loose in the main bar.
		if n := d.Find(`nav.mainnav > a.navlink[href="/app/bella/engage"], nav.mainnav > a.navlink[href="/app/bella/marketing/reconnect"]`).Length(); n != 0 {
			t.Fatalf("%s: %d marketing links outside the menu", tc.path, n)
		}
	}
	d := doc(t, e.login("staff", "bella").get("/app/bella"))
	if got := d.Find(`[data-testid="nav-marketing"] a.navlink`).Text(); got != "Engage" {
		t.Fatalf("staff see %q under Marketing", got)
	}
}

// overdueIn gives a client four completed visits in a service, every `every` days, the
// last one lastAgo days ago, at hour h of the day (so histories never overlap).
func (e *env) overdueIn(t *testing.T, c salon.Client, service int64, every, lastAgo, h int) {
	t.Helper()
	v := e.venues["bella"]
	for i := 0; i < 4; i++ {
		start := e.clk.Now().AddDate(0, 0, -lastAgo-every*i).Add(time.Duration(h) * time.Hour)
		b, err := e.st.CreateBooking(t.Context(), v.ID, 0, store.BookingInput{ClientID: c.ID, StaffID: e.ids["bella.staff"], Start: start,
			ServiceIDs: []int64{service}})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.st.SetBookingStatus(t.Context(), v.ID, 0, b.ID, salon.Completed); err != nil {
			t.Fatal(err)
		}
	}
}

// Item 2. Seed 003: "You can also click the Contact All Overdue Clients button to send
// the prompt to all overdue clients for every service you offer." and "The follow-up
// message is sent automatically, provided the overdue client hasn't already rebooked."
// A client overdue in two categories gets one message naming both; each category
// counts it as sent, counts its own rebooking, and is followed up on its own.
func TestContactAllNamesEveryOverdueCategoryAndKeepsFiguresPerCategory(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-2 * time.Hour) // 10:00 in Sydney
	v := e.venues["bella"]
	colour, err := e.st.EnsureService(t.Context(), v.ID, store.NewService{Name: "Full colour", Category: "Colour", DurationMin: 60,
		PriceMinor: 15000, StaffIDs: []int64{e.ids["bella.staff"]}})
	if err != nil {
		t.Fatal(err)
	}
	e.overdueRegular(t, "Ann", "0412 900 001", 55) // Cut & Style only
	dee, err := e.st.CreateClient(t.Context(), v.ID, 0, salon.ClientInput{FirstName: "Dee", LastName: "Both", Phone: "0412 900 004", NotifySMS: true})
	if err != nil {
		t.Fatal(err)
	}
	e.overdueIn(t, dee, e.ids["bella.service"], 42, 56, 7) // Cut & Style: 56/42 = 1.33 of her rhythm
	e.overdueIn(t, dee, colour, 30, 41, 9)                 // Colour: 41/30 = 1.37, the more overdue
	owner := e.login("owner", "bella")
	id, res := contactOverdueCard(t, e, owner, "0")
	card := doc(t, res)
	if got := card.Find(`[data-testid="audience-sendable"]`).Text(); got != "2" {
		t.Fatalf("Ann and Dee, once each: %q", got)
	}
	res = owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {card.Find("textarea[name=body]").Text()},
		"title": {card.Find("input[name=title]").AttrOr("value", "")}})
	res.Body.Close()
	e.waitSends()
	bodies := map[string]string{}
	rows, _ := e.st.DB().Query(`SELECT c.first_name, m.body FROM messages m JOIN clients c ON c.id = m.client_id WHERE m.purpose = 'reconnect'`)
	for rows.Next() {
		var n, b string
		rows.Scan(&n, &b)
		if _, dup := bodies[n]; dup {
			t.Fatalf("%s got two messages", n)
		}
		bodies[n] = b
	}
	rows.Close()
	if !strings.HasPrefix(bodies["Dee"], "Hi Dee, it's been a while since your last Colour and Cut & Style visit at Bella.") {
		t.Fatalf("Dee's one message names both categories: %q", bodies["Dee"])
	}
	if !strings.HasPrefix(bodies["Ann"], "Hi Ann, it's been a while since your last Cut & Style visit at Bella.") {
		t.Fatalf("Ann's: %q", bodies["Ann"])
	}
	figures := func(testid, category string) string {
		t.Helper()
		d := doc(t, e.login("owner", "bella").get("/app/bella/marketing/reconnect"))
		return strings.TrimSpace(d.Find(fmt.Sprintf(`[data-testid=%q][data-category=%q]`, testid, category)).Text())
	}
	if s, c := figures("sent", "Cut & Style"), figures("sent", "Colour"); s != "2" || c != "1" {
		t.Fatalf("sent per category: Cut & Style %s (Ann, Dee), Colour %s (Dee)", s, c)
	}
	// Two days later Dee books her colour: a reconnect in Colour, not in Cut & Style.
	e.clk.Advance(48 * time.Hour)
	if _, err := e.st.CreateBooking(t.Context(), v.ID, 0, store.BookingInput{ClientID: dee.ID, StaffID: e.ids["bella.staff"],
		Start: e.clk.Now().Add(72 * time.Hour), ServiceIDs: []int64{colour}}); err != nil {
		t.Fatal(err)
	}
	if r, c := figures("reconnected", "Colour"), figures("reconnected", "Cut & Style"); r != "1" || c != "0" {
		t.Fatalf("reconnected: Colour %s, Cut & Style %s", r, c)
	}
	if r := figures("revenue", "Colour"); !strings.Contains(r, "150") {
		t.Fatalf("Colour revenue: %q", r)
	}
	// Day 7: one follow-up each, Dee's naming only the category she has not rebooked.
	e.clk.Advance(5 * 24 * time.Hour)
	svc := e.app.ConciergeService()
	for range 2 {
		if err := svc.SendReconnectFollowUps(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	var follow []string
	rows, _ = e.st.DB().Query(`SELECT c.first_name || ': ' || m.body FROM messages m JOIN clients c ON c.id = m.client_id
		WHERE m.purpose = 'reconnect_followup' ORDER BY c.first_name`)
	for rows.Next() {
		var s string
		rows.Scan(&s)
		follow = append(follow, s)
	}
	rows.Close()
	if len(follow) != 2 || !strings.HasPrefix(follow[1], "Dee: Hi Dee, just checking in from Bella: your next Cut & Style appointment is due.") {
		t.Fatalf("follow-ups: %q", follow)
	}
	if s, c := figures("sent", "Cut & Style"), figures("sent", "Colour"); s != "4" || c != "1" {
		t.Fatalf("follow-ups counted per category: Cut & Style %s, Colour %s", s, c)
	}
}

// Item 3. Seeds 002/003: "You can then send a simple SMS or Email (or both) to those
// clients". With both, the preview and the Send button count texts and emails apart
// (only texts cost anything), and every email has a subject: the venue's, or the
// built-in one when the setting is left empty.
func TestReconnectByBothChannelsCountsEachAndEmailsHaveASubject(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-2 * time.Hour)                         // 10:00 in Sydney
	e.overdueRegular(t, "Ann", "0412 900 001", 55)        // phone and email
	bob := e.overdueRegular(t, "Bob", "0412 900 002", 60) // phone only
	cy := e.overdueRegular(t, "Cy", "0412 900 003", 65)   // email only (opted out of SMS)
	e.st.DB().Exec(`UPDATE clients SET email = '' WHERE id = ?`, bob.ID)
	e.st.DB().Exec(`UPDATE clients SET sms_opt_out = 1 WHERE id = ?`, cy.ID)
	owner := e.login("owner", "bella")
	settings := url.Values{"time": {"10:00"}, "grace_pct": {"20"}, "channel": {"both"}, "followup_days": {"7"},
		"subject": {"{{FirstName}}, your {{Colour}} awaits"}, "followup_subject": {""}}
	before := e.snapshot()
	res := owner.post("/app/bella/settings/reconnect", settings)
	d := doc(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity || d.Find(`[data-testid="error-subject"]`).Length() != 1 {
		t.Fatalf("an unknown merge field in the subject is refused beside the field: %d", res.StatusCode)
	}
	if e.snapshot() != before {
		t.Fatal("a refused save changed something")
	}
	settings.Set("subject", "{{FirstName}}, your {{CategoryName}} at {{BusinessName}}")
	res = owner.post("/app/bella/settings/reconnect", settings)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saved: %d", res.StatusCode)
	}
	// The empty follow-up subject shows (and works) as the built-in one.
	d = doc(t, owner.get("/app/bella/settings/reconnect"))
	if got := d.Find(`#f-followup_subject`).AttrOr("value", ""); got != "Your next {{CategoryName}} visit at {{BusinessName}}" {
		t.Fatalf("follow-up subject shown as %q", got)
	}
	var cat string
	e.st.DB().QueryRow(`SELECT category_id FROM services WHERE id = ?`, e.ids["bella.service"]).Scan(&cat)
	id, res := contactOverdueCard(t, e, owner, cat)
	card := doc(t, res)
	if s, m := card.Find(`[data-testid="audience-sendable"]`).Text(), card.Find(`[data-testid="audience-sendable-email"]`).Text(); s != "2" || m != "2" {
		t.Fatalf("texts to Ann and Bob, emails to Ann and Cy: SMS %q, email %q", s, m)
	}
	label := strings.TrimSpace(card.Find(`[data-testid="send-button"]`).Text())
	v, _ := e.st.Venue(t.Context(), e.venues["bella"].ID)
	_, smsCost := salon.MessageCost(v, salon.SMS, "Hi Bob, it's been a while since your last Cut & Style visit at Bella. Shall we book you in? https://concierge.example.com/book/bella")
	if want := "Send to 2 by SMS and 2 by email · " + salon.FormatE4(salon.AU, 2*smsCost); label != want {
		t.Fatalf("Send button %q, want %q", label, want)
	}
	// The card shows the email's subject (the venue's setting) for editing beside the text.
	subject := card.Find(`input[name="subject"]`).AttrOr("value", "")
	if subject != "{{FirstName}}, your {{CategoryName}} at {{BusinessName}}" {
		t.Fatalf("the card's email subject: %q", subject)
	}
	walletBefore := v.WalletE4
	res = owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {card.Find("textarea[name=body]").Text()},
		"title": {card.Find("input[name=title]").AttrOr("value", "")}, "subject": {subject}})
	res.Body.Close()
	e.waitSends()
	var sent []string
	rows, _ := e.st.DB().Query(`SELECT c.first_name || ' ' || m.channel || CASE m.channel WHEN 'email' THEN ': ' || m.subject ELSE '' END
		FROM messages m JOIN clients c ON c.id = m.client_id WHERE m.purpose = 'reconnect' ORDER BY c.first_name, m.channel`)
	for rows.Next() {
		var s string
		rows.Scan(&s)
		sent = append(sent, s)
	}
	rows.Close()
	got := strings.Join(sent, "\n")
	want := "Ann email: Ann, your Cut & Style at Bella\nAnn sms\nBob sms\nCy email: Cy, your Cut & Style at Bella"
	if got != want {
		t.Fatalf("sent:\n%s\nwant:\n%s", got, want)
	}
	v, _ = e.st.Venue(t.Context(), v.ID)
	if spent := walletBefore - v.WalletE4; spent != 2*smsCost {
		t.Fatalf("only the two texts are paid for: %d, want %d", spent, 2*smsCost)
	}
	// The follow-up email, with no subject set, carries the built-in one.
	e.clk.Advance(7*24*time.Hour + time.Hour)
	if err := e.app.ConciergeService().SendReconnectFollowUps(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM messages WHERE purpose = 'reconnect_followup' AND channel = 'email'
		AND subject = 'Your next Cut & Style visit at Bella'`); n != 2 {
		t.Fatalf("follow-up emails with the built-in subject: %d\n%s", n, e.dump(`SELECT channel, subject FROM messages WHERE purpose = 'reconnect_followup'`))
	}
}

// Item 6. SPEC §10: "Settings: … Spark budget." and §4: "model calls stop at zero
// Sparks and fallback templates take over". A monthly allowance per venue set by the
// Owner, this month's use on the Concierge page and the dashboard, one notification at
// 80%, rule-based at zero, and the allowance refilled in the next venue month.
func TestSparkBudgetMonthlyAllowance(t *testing.T) {
	f := newFakeModel(t, scriptedModel)
	e := newEnv(t, withModel(f.srv.URL, 5*time.Second))
	owner := e.login("owner", "bella")
	// Bad input is refused beside the field and changes nothing; a Manager may not set it.
	before := e.snapshot()
	res := owner.post("/app/bella/settings/sparks", url.Values{"spark_allowance": {"-5"}})
	d := doc(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity || d.Find(`[data-testid="error-spark_allowance"]`).Length() != 1 || e.snapshot() != before {
		t.Fatalf("a negative allowance: %d", res.StatusCode)
	}
	manager := e.login("manager", "bella")
	before = e.snapshot()
	res = manager.post("/app/bella/settings/sparks", url.Values{"spark_allowance": {"1000"}})
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden || e.snapshot() != before {
		t.Fatalf("a Manager setting the allowance: %d", res.StatusCode)
	}
	res = owner.post("/app/bella/settings/sparks", url.Values{"spark_allowance": {"10"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("allowance saved: %d", res.StatusCode)
	}
	if got := doc(t, owner.get("/app/bella/settings")).Find(`[data-testid="spark-use"]`).Text(); got != "0 of 10 Sparks used this month" {
		t.Fatalf("settings: %q", got)
	}
	notices := func(role string) int {
		t.Helper()
		d := doc(t, e.login(role, "bella").get("/app/bella/notifications"))
		return strings.Count(d.Find("main").Text(), "of this month's Sparks are used")
	}
	for i := 1; i <= 5; i++ { // 2 Sparks a turn: the selector and the draft
		owner.chat(t, "bella", "Sarah hasn't been in for ages, could you nudge her?")
		if i == 3 && notices("owner") != 0 {
			t.Fatal("no notice at 60%")
		}
		if i == 4 && notices("owner") != 1 {
			t.Fatal("one notice at 80% (8 of 10)")
		}
	}
	if notices("owner") != 1 || notices("staff") != 0 {
		t.Fatalf("one notice a month, for Owners and Managers: owner %d, staff %d", notices("owner"), notices("staff"))
	}
	if got := doc(t, owner.get("/app/bella/concierge")).Find(`[data-testid="sparks"]`).Text(); got != "0 Sparks left · 10 of 10 Sparks used this month" {
		t.Fatalf("the Concierge page: %q", got)
	}
	kpi := doc(t, owner.get("/app/bella")).Find(`[data-testid="kpi-sparks"]`)
	if kpi.Find(".kpi-value").Text() != "0" || !strings.Contains(kpi.Text(), "10 of 10 Sparks used this month") {
		t.Fatalf("the dashboard: %q", kpi.Text())
	}
	// At zero: rule-based, no model call.
	calls := f.calls.Load()
	d = owner.chat(t, "bella", "text Sarah")
	if cardOf(d, "client_outreach").Length() != 1 || f.calls.Load() != calls {
		t.Fatalf("at zero the router answers without the model: %d calls", f.calls.Load()-calls)
	}
	// The next venue month (1 December in Sydney) refills the allowance.
	e.clk.Advance(8 * 24 * time.Hour)
	owner = e.login("owner", "bella")
	if got := doc(t, owner.get("/app/bella/concierge")).Find(`[data-testid="sparks"]`).Text(); got != "10 Sparks left · 0 of 10 Sparks used this month" {
		t.Fatalf("refilled: %q", got)
	}
	owner.chat(t, "bella", "Sarah hasn't been in for ages, could you nudge her?")
	if f.calls.Load() == calls {
		t.Fatal("the model is used again after the refill")
	}
}

// Item 5. Seed 004, "Reading an Incomplete Booking Card": "Client name (tap to call, tap
// to email)", "Last activity timestamp — shows how long ago they last interacted", and
// "Book for client — Opens the appointment-create flow prefilled with the client, the
// selected services, the team member (if the client chose one), and the requested date
// and start time." For "Any team member" the form gets someone free then who performs
// the services, not whoever is signed in.
func TestFollowUpsCardLastActivityContactLinksAndBookForAnyone(t *testing.T) {
	e := newEnv(t)
	v := e.venues["bella"]
	ctx := t.Context()
	// Aaron (first by name, the Manager's own column) does not do cuts; Mia does; the
	// venue's first stylist is busy at the requested time.
	aaron, _ := e.st.EnsureStaff(ctx, v.ID, "Aaron")
	mia, _ := e.st.EnsureStaff(ctx, v.ID, "Mia")
	if _, err := e.st.DB().Exec(`INSERT INTO service_staff (service_id, staff_id) VALUES (?, ?)`, e.ids["bella.service"], mia); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.DB().Exec(`UPDATE memberships SET staff_id = ? WHERE user_id = ? AND venue_id = ?`, aaron, e.userID("manager@bella.test"), v.ID); err != nil {
		t.Fatal(err)
	}
	c, draft := incompleteFor(t, e, salon.ClientInput{FirstName: "Nina", LastName: "Left", Phone: "0412 661 002", Email: "nina@example.com", NotifySMS: true})
	d0, _ := e.st.Draft(ctx, v.ID, draft)
	busy, _ := e.st.CreateClient(ctx, v.ID, 0, salon.ClientInput{FirstName: "Busy", LastName: "Chair", Phone: "0412 661 003"})
	if _, err := e.st.CreateBooking(ctx, v.ID, 0, store.BookingInput{ClientID: busy.ID, StaffID: e.ids["bella.staff"], Start: d0.Start,
		ServiceIDs: []int64{e.ids["bella.service"]}}); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(11 * time.Minute)
	if err := (jobs.Drafts{Concierge: e.app.ConciergeService()}).Run(ctx); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(time.Minute) // last active 12 minutes ago
	manager := e.login("manager", "bella")
	d := doc(t, manager.get("/app/bella/calendar?panel=incomplete"))
	card := d.Find(`[data-testid="incomplete-card"]`)
	if card.Length() != 1 {
		t.Fatalf("one incomplete card: %s", d.Find("#follow-ups").Text())
	}
	last := card.Find(`[data-testid="last-activity"]`)
	exact := d0.LastEngagedAt.In(v.Location()).Format("Mon 2 Jan 2006, 15:04")
	if last.Text() != "12 min ago" || last.AttrOr("title", "") != exact || last.AttrOr("datetime", "") != d0.LastEngagedAt.UTC().Format(time.RFC3339) {
		t.Fatalf("last activity %q (title %q, want %q)", last.Text(), last.AttrOr("title", ""), exact)
	}
	if a := card.Find(`[data-testid="incomplete-phone"]`); a.AttrOr("href", "") != "tel:"+c.Phone || a.Text() != salon.FormatPhone(c.Phone) {
		t.Fatalf("tap to call beside the name: %q %q", a.AttrOr("href", ""), a.Text())
	}
	if a := card.Find(`[data-testid="incomplete-email"]`); a.AttrOr("href", "") != "mailto:nina@example.com" || a.Text() != "nina@example.com" {
		t.Fatalf("tap to email beside the name: %q", a.AttrOr("href", ""))
	}
	book := card.Find(`[data-testid="book-for-client"]`).AttrOr("href", "")
	u, _ := url.Parse(book)
	if u.Query().Get("staff") != fmt.Sprint(mia) {
		t.Fatalf("Book for client picks Mia (free, does cuts), not the Manager's own column or the busy stylist: %s", book)
	}
	form := doc(t, manager.get(book))
	if sel := form.Find(`select[name="staff_id"] option[selected]`).AttrOr("value", ""); sel != fmt.Sprint(mia) {
		t.Fatalf("the form has Mia selected, got %q", sel)
	}
	// Once Mia is booked too, nobody who does cuts is free: the form asks rather than
	// defaulting to the signed-in Manager.
	if _, err := e.st.CreateBooking(ctx, v.ID, 0, store.BookingInput{ClientID: busy.ID, StaffID: mia, Start: d0.Start,
		ServiceIDs: []int64{e.ids["bella.service"]}}); err != nil {
		t.Fatal(err)
	}
	d = doc(t, manager.get("/app/bella/calendar?panel=incomplete"))
	card = d.Find(`[data-testid="incomplete-card"]`)
	book = card.Find(`[data-testid="book-for-client"]`).AttrOr("href", "")
	if u, _ = url.Parse(book); u.Query().Get("staff") != "0" || card.Find(`[data-testid="nobody-free"]`).Length() != 1 {
		t.Fatalf("nobody free: %s", book)
	}
	form = doc(t, manager.get(book))
	if sel := form.Find(`select[name="staff_id"] option[selected]`).AttrOr("value", ""); sel == fmt.Sprint(aaron) {
		t.Fatal("the form fell back to the signed-in Manager")
	}
}

// Item 4. Seed 000: "When the Concierge identifies an open slot worth filling, it runs
// the backfill ranking system to find the best client to offer it to. Pure SQL scoring
// against the waitlist and recent client history." Waitlist clients whose request suits
// the gap come first on its page ("Waiting for this"), are flagged on their ranked row,
// and are preselected ahead of the ranked clients — under every contact rule.
func TestBackfillGapShowsTheWaitlistFirst(t *testing.T) {
	e := newEnv(t)
	v := e.venues["bella"]
	ava := e.regular(t, "bella", "Ava", "0412 600 001")
	e.regular(t, "bella", "Ben", "0412 600 002")
	e.regular(t, "bella", "Cal", "0412 600 003")
	mk := func(name, phone string) salon.Client {
		c, err := e.st.CreateClient(t.Context(), v.ID, 0, salon.ClientInput{FirstName: name, LastName: "Waiting", Phone: phone, NotifySMS: true})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	wes, xena, yan := mk("Wes", "0412 600 010"), mk("Xena", "0412 600 011"), mk("Yan", "0412 600 012")
	e.st.DB().Exec(`UPDATE clients SET sms_opt_out = 1 WHERE id = ?`, yan.ID)
	manager := e.login("manager", "bella")
	cut := fmt.Sprint(e.ids["bella.service"])
	tuesday := fmt.Sprint(int(e.clk.Now().In(v.Location()).AddDate(0, 0, 1).Weekday()))
	for _, w := range []url.Values{
		{"client_id": {fmt.Sprint(wes.ID)}, "service_id": {cut}, "band": {"morning"}},                     // suits: any day, mornings
		{"client_id": {fmt.Sprint(xena.ID)}, "service_id": {cut}, "band": {"evening"}},                    // evenings only: not this gap
		{"client_id": {fmt.Sprint(ava.ID)}, "service_id": {cut}, "day": {tuesday}},                        // also ranked
		{"client_id": {fmt.Sprint(yan.ID)}, "service_id": {cut}},                                          // opted out of SMS
		{"client_id": {fmt.Sprint(e.ids["bella.client"])}, "service_id": {cut}, "day": {"0"}, "band": {}}, // Sundays only
	} {
		res := manager.post("/app/bella/followups/waitlist", w)
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("waitlist add: %d", res.StatusCode)
		}
	}
	d := doc(t, manager.get("/app/bella/backfill?"+e.gapQuery("bella").Encode()))
	var waiting []string
	d.Find(`[data-testid="waiting"]`).Each(func(_ int, s *goquery.Selection) {
		box := s.Find(`input[name="client"]`)
		state := "off"
		if _, ok := box.Attr("checked"); ok {
			state = "chosen"
		}
		if _, ok := box.Attr("disabled"); ok {
			state = "cannot"
		}
		waiting = append(waiting, strings.Fields(s.Find("label span").First().Text())[0]+":"+state)
	})
	if strings.Join(waiting, " ") != "Wes:chosen Ava:chosen Yan:cannot" {
		t.Fatalf("waiting for this gap: %v", waiting)
	}
	// The section comes before the ranked clients, and Ava's ranked row says she is waiting.
	html, _ := d.Find("#offer-form").Html()
	if strings.Index(html, `data-testid="waiting-for-gap"`) > strings.Index(html, "Ranked clients") {
		t.Fatal("Waiting for this comes first")
	}
	avaRow := d.Find(fmt.Sprintf(`[data-testid="candidate"][data-client-id="%d"]`, ava.ID))
	if avaRow.Find(`[data-testid="waiting-flag"]`).Length() != 1 || avaRow.Find(`input[name="client"]`).Length() != 0 {
		t.Fatalf("Ava's ranked row is flagged, chosen above: %s", avaRow.Text())
	}
	// Preselected: the two waiting who can be offered, then the best ranked, five at most.
	var chosen []string
	d.Find(`#offer-form input[name="client"][checked]`).Each(func(_ int, s *goquery.Selection) { chosen = append(chosen, s.AttrOr("value", "")) })
	if len(chosen) != 4 || chosen[0] != fmt.Sprint(wes.ID) || chosen[1] != fmt.Sprint(ava.ID) {
		t.Fatalf("chosen: %v (Wes %d, Ava %d first, then Ben and Cal)", chosen, wes.ID, ava.ID)
	}
	// Sending as preselected reaches Wes; Yan (opted out) is never offered, even when ticked by hand.
	form := e.gapQuery("bella")
	form.Set("service_id", cut)
	form.Set("body", d.Find("#f-body").Text())
	for _, id := range append(chosen, fmt.Sprint(yan.ID)) {
		form.Add("client", id)
	}
	res := manager.post("/app/bella/backfill/offers", form)
	res.Body.Close()
	offered := func(c salon.Client) int {
		return e.count(`SELECT count(*) FROM messages WHERE client_id = ? AND purpose = 'backfill'`, c.ID)
	}
	if offered(wes) != 1 || offered(ava) != 1 || offered(yan) != 0 || offered(xena) != 0 {
		t.Fatalf("offers: Wes %d, Ava %d, Yan %d, Xena %d (status %d)", offered(wes), offered(ava), offered(yan), offered(xena), res.StatusCode)
	}
}

// The press-and-hold for 50 or more recipients counts everyone who will receive
// something: 26 clients by SMS and by email are 52 messages, so Send needs the hold on
// the server as the page says (it counted the texts only).
func TestHoldCountsTextsAndEmailsOfBoth(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-2 * time.Hour) // 10:00 in Sydney
	for i := range 26 {
		e.overdueRegular(t, fmt.Sprintf("Hold%02d", i), fmt.Sprintf("0412 901 %03d", i), 55+i)
	}
	if err := e.st.TopUpWallet(t.Context(), e.venues["bella"].ID, 0, 10000, "test"); err != nil {
		t.Fatal(err)
	}
	owner := e.login("owner", "bella")
	res := owner.post("/app/bella/settings/reconnect", url.Values{"time": {"10:00"}, "grace_pct": {"20"}, "channel": {"both"}, "followup_days": {"7"}})
	res.Body.Close()
	var cat string
	e.st.DB().QueryRow(`SELECT category_id FROM services WHERE id = ?`, e.ids["bella.service"]).Scan(&cat)
	id, res := contactOverdueCard(t, e, owner, cat)
	card := doc(t, res)
	form := url.Values{"title": {card.Find(`input[name=title]`).AttrOr("value", "")}, "subject": {card.Find(`input[name=subject]`).AttrOr("value", "")},
		"body": {card.Find(`textarea[name=body]`).Text()}}
	send := owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", form)
	d := doc(t, send)
	if send.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(`[data-testid="action-error"]`).Text(), "press and hold") || e.count(`SELECT count(*) FROM messages WHERE purpose = 'reconnect'`) != 0 {
		t.Fatalf("52 messages without the hold: %d %s", send.StatusCode, strings.Join(strings.Fields(d.Text()), " "))
	}
	form.Set("hold_confirmed", "1")
	send = owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", form)
	send.Body.Close()
	e.waitSends()
	if n := e.count(`SELECT count(*) FROM messages WHERE purpose = 'reconnect'`); n != 52 {
		t.Fatalf("with the hold: %d messages (%d)", n, send.StatusCode)
	}
}
