package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"concierge/salon"
)

// chat sends one message as htmx would and returns the appended fragment.
func (u *user) chat(t *testing.T, slug, message string) *goquery.Document {
	t.Helper()
	res := u.htmxPost("/app/"+slug+"/concierge/turns", url.Values{"message": {message}})
	if res.StatusCode != 200 {
		t.Fatalf("chat %q: %d", message, res.StatusCode)
	}
	return doc(t, res)
}

func cardOf(d *goquery.Document, action string) *goquery.Selection {
	return d.Find(`[data-testid="action-card"][data-action="` + action + `"]`)
}

func cardID(t *testing.T, card *goquery.Selection) string {
	t.Helper()
	id, ok := card.Attr("id")
	if !ok {
		t.Fatal("card without id")
	}
	return strings.TrimPrefix(id, "action-")
}

// lapsedClient adds a client whose only visit was 100 days ago.
func (e *env) lapsedClient(t *testing.T, slug, name, phone string) salon.Client {
	t.Helper()
	ctx := context.Background()
	v := e.venues[slug]
	c, err := e.st.CreateClient(ctx, v.ID, 0, salon.ClientInput{FirstName: name, LastName: "Lapsed", Phone: phone, Email: strings.ToLower(name) + "@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	start := e.clk.Now().Add(-100 * 24 * time.Hour)
	if _, err := e.st.DB().Exec(`INSERT INTO bookings (venue_id, client_id, staff_id, start_at, end_at, price_minor, status, created_at)
		VALUES (?, ?, ?, ?, ?, 9000, 'completed', ?)`, v.ID, c.ID, e.ids[slug+".staff"], start.Unix(), start.Add(time.Hour).Unix(), start.Unix()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.DB().Exec(`UPDATE clients SET last_visit_at = ?, first_visit_at = ? WHERE id = ?`, start.Unix(), start.Unix(), c.ID); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFlashDealCardForStaffAndGateWithoutBookings(t *testing.T) {
	e := newEnv(t)
	// Daytime in Sydney, so the working hours tomorrow have gaps.
	d := e.login("staff", "bella").chat(t, "bella", "fill my gaps tomorrow")
	card := cardOf(d, "flash_deal")
	if card.Length() != 1 || card.AttrOr("data-tier", "") != "draft" {
		t.Fatalf("want a draft flash-deal card, got %d cards: %s", card.Length(), d.Text())
	}
	if !strings.Contains(d.Text(), "open slot") {
		t.Fatalf("the reply states the data: %s", d.Text())
	}
	// A venue with no future bookings gets no card and an explanation.
	if _, err := e.st.DB().Exec(`UPDATE bookings SET status = 'cancelled' WHERE venue_id = ?`, e.venues["kiwi"].ID); err != nil {
		t.Fatal(err)
	}
	d = e.login("staff", "kiwi").chat(t, "kiwi", "fill my gaps tomorrow")
	if d.Find(`[data-testid="action-card"]`).Length() != 0 || !strings.Contains(d.Text(), "no future bookings") {
		t.Fatalf("no card and a reason: %s", d.Text())
	}
}

func TestWinBackApprovalFlow(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour) // 09:00 in Sydney: outside quiet hours
	e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	e.lapsedClient(t, "bella", "Max", "0412 555 002")

	staff := e.login("staff", "bella")
	d := staff.chat(t, "bella", "win back lapsed clients")
	if d.Find(`[data-testid="action-card"]`).Length() != 0 || !strings.Contains(d.Text(), "Only an Owner or Manager") {
		t.Fatalf("staff get no card and are told who can: %s", d.Text())
	}

	manager := e.login("manager", "bella")
	d = manager.chat(t, "bella", "win back lapsed clients")
	card := cardOf(d, "win_back")
	if card.Length() != 1 || card.AttrOr("data-tier", "") != "approval" {
		t.Fatalf("manager gets an approval card: %s", d.Text())
	}
	if !strings.Contains(d.Text(), "2 clients haven't visited in 60+ days") {
		t.Fatalf("the reply states the data: %s", d.Text())
	}
	id := cardID(t, card)
	body := card.Find("textarea[name=body]").Text()
	res := manager.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"title": {"Win back"}, "body": {body}})
	d = doc(t, res)
	if res.StatusCode != 200 || d.Find(`[data-testid="action-status"]`).Text() != "Waiting for approval" {
		t.Fatalf("send queues it: %d %s", res.StatusCode, d.Text())
	}
	res = manager.post("/app/bella/concierge/pending/"+id+"/approve", nil)
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("the manager cannot approve their own action: %d", res.StatusCode)
	}
	owner := e.login("owner", "bella")
	pd := doc(t, owner.get("/app/bella/concierge/pending"))
	if pd.Find(`[data-testid="pending-row"]`).Length() != 1 {
		t.Fatal("the owner sees it in the queue")
	}
	res = owner.post("/app/bella/concierge/pending/"+id+"/approve", url.Values{"hold_confirmed": {""}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner approves: %d", res.StatusCode)
	}
	a, _ := e.st.Action(t.Context(), e.venues["bella"].ID, mustInt(t, id))
	if a.Status != salon.StatusScheduled || a.DeciderName == "" {
		t.Fatalf("approved win-back waits out its cancel window: %s", a.Status)
	}
	e.clk.Advance(31 * time.Second)
	res = owner.htmxPost("/app/bella/concierge/actions/"+id+"/fire", nil)
	res.Body.Close()
	e.waitSends()
	a, _ = e.st.Action(t.Context(), e.venues["bella"].ID, mustInt(t, id))
	if a.Status != salon.StatusExecuted || a.ResultSummary != "Sent 2, failed 0" {
		t.Fatalf("fired after the countdown: %s %q", a.Status, a.ResultSummary)
	}
	// Each lapsed client got exactly one message, stamped for the wave cap.
	msgs := e.count(`SELECT count(*) FROM messages WHERE action_id = ?`, a.ID)
	stamped := e.count(`SELECT count(*) FROM clients WHERE last_reconnect_sent_at IS NOT NULL AND venue_id = ?`, e.venues["bella"].ID)
	if msgs != 2 || stamped != 2 {
		t.Fatalf("want 2 messages and 2 stamps, got %d and %d", msgs, stamped)
	}
	// The manager is told.
	nd := doc(t, manager.get("/app/bella/notifications"))
	if !strings.Contains(nd.Text(), "approved") {
		t.Fatalf("the creator is notified: %s", nd.Text())
	}
	// History shows who approved.
	hd := doc(t, owner.get("/app/bella/concierge/actions/"+id))
	if !strings.Contains(hd.Find(`[data-testid="action-history"]`).Text(), "approve") {
		t.Fatal("the action's history lists the approval")
	}
	// ... as sentences, oldest first, with no JSON.
	summary := hd.Find(`[data-testid="action-history-summary"]`).Text()
	want := "edited, queued · bella owner approved"
	if !strings.Contains(summary, want) || !strings.HasSuffix(summary, "sent to 2") {
		t.Fatalf("history reads as sentences: %q", summary)
	}
	if h := hd.Find(`[data-testid="action-history"]`).Text(); strings.Contains(h, "{") || strings.Contains(h, `"status"`) {
		t.Fatalf("history shows no JSON: %s", h)
	}
}

// A batch send's Engage page shows the message that went out, what followed it
// (replies, bookings, revenue within 7 days) and its recipients a page at a time.
func TestEngageSendShowsMessageOutcomeAndPages(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	lena := e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	e.lapsedClient(t, "bella", "Max", "0412 555 002")
	owner := e.login("owner", "bella")
	card := cardOf(owner.chat(t, "bella", "win back lapsed clients"), "win_back")
	id := cardID(t, card)
	body := card.Find("textarea[name=body]").Text()
	res := owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"title": {"Win back"}, "body": {body}, "hold_confirmed": {""}})
	res.Body.Close()
	e.clk.Advance(31 * time.Second)
	owner.htmxPost("/app/bella/concierge/actions/"+id+"/fire", nil).Body.Close()
	e.waitSends()
	if n := e.count(`SELECT count(*) FROM messages WHERE action_id = ? AND status IN ('sent', 'delivered')`, mustInt(t, id)); n != 2 {
		t.Fatalf("the send went to 2, got %d", n)
	}
	// Lena replies an hour later and books; a booking 8 days later does not count.
	v := e.venues["bella"]
	at := e.clk.Now().Add(time.Hour).Unix()
	if _, err := e.st.DB().Exec(`INSERT INTO messages (venue_id, client_id, channel, direction, purpose, body, status, created_at, updated_at)
		VALUES (?, ?, 'sms', 'in', 'inbound', 'Yes please', 'received', ?, ?)`, v.ID, lena.ID, at, at); err != nil {
		t.Fatal(err)
	}
	for _, when := range []int64{at, e.clk.Now().Add(8 * 24 * time.Hour).Unix()} {
		if _, err := e.st.DB().Exec(`INSERT INTO bookings (venue_id, client_id, staff_id, start_at, end_at, price_minor, status, created_at)
			VALUES (?, ?, ?, ?, ?, 12000, 'booked', ?)`, v.ID, lena.ID, e.ids["bella.staff"], when+86400, when+90000, when); err != nil {
			t.Fatal(err)
		}
	}
	d := doc(t, owner.get("/app/bella/engage/"+id))
	if got := strings.TrimSpace(d.Find(`[data-testid="engage-message"] .draft-quote`).Text()); got == "" || got != strings.TrimSpace(body) {
		t.Fatalf("the message that went out is shown: %q want %q", got, body)
	}
	replied := strings.TrimSpace(d.Find(`[data-testid="engage-replied"]`).Text())
	booked := strings.TrimSpace(d.Find(`[data-testid="engage-booked"]`).Text())
	revenue := d.Find(`[data-testid="engage-revenue"]`).Text()
	if !strings.Contains(replied, "1") || !strings.Contains(booked, "1") || !strings.Contains(revenue, "120") {
		t.Fatalf("outcomes: replied %q booked %q revenue %q", replied, booked, revenue)
	}
	if !strings.Contains(d.Find(`[data-testid="engage-pager"]`).Text(), "1–2 of 2") || d.Find(`[data-testid="engage-next"]`).Length() != 0 {
		t.Fatalf("one page of two recipients: %s", d.Find(`[data-testid="engage-pager"]`).Text())
	}
	d = doc(t, owner.get("/app/bella/engage/"+id+"?page=2"))
	if d.Find(`[data-testid="engage-recipient"]`).Length() != 0 {
		t.Fatal("page 2 of a two-recipient send is empty")
	}
}

func TestOwnerAndSoloSendDirectly(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	d := e.login("owner", "bella").chat(t, "bella", "win back lapsed clients")
	if cardOf(d, "win_back").AttrOr("data-tier", "") != "draft" {
		t.Fatalf("owner-originated win-back is direct: %s", d.Text())
	}
	// Solo venue: even a manager sends directly.
	if _, err := e.st.DB().Exec(`UPDATE venues SET solo = 1 WHERE id = ?`, e.venues["bella"].ID); err != nil {
		t.Fatal(err)
	}
	d = e.login("manager", "bella").chat(t, "bella", "win back lapsed clients")
	if cardOf(d, "win_back").AttrOr("data-tier", "") != "draft" {
		t.Fatalf("solo venues bypass approval: %s", d.Text())
	}
}

func TestExpiredPendingCannotBeApprovedOverHTTP(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	manager := e.login("manager", "bella")
	card := cardOf(manager.chat(t, "bella", "win back lapsed clients"), "win_back")
	id := cardID(t, card)
	res := manager.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {card.Find("textarea[name=body]").Text()}})
	res.Body.Close()
	e.clk.Advance(25 * time.Hour)
	owner := e.login("owner", "bella")
	res = owner.post("/app/bella/concierge/pending/"+id+"/approve", nil)
	d := doc(t, res)
	if res.StatusCode != http.StatusConflict || !strings.Contains(d.Text(), "expired") {
		t.Fatalf("want a clear expired message, got %d", res.StatusCode)
	}
	a, _ := e.st.Action(t.Context(), e.venues["bella"].ID, mustInt(t, id))
	if a.Status != salon.StatusExpired {
		t.Fatalf("status %s", a.Status)
	}
	if msgs := e.count(`SELECT count(*) FROM messages WHERE action_id = ?`, a.ID); msgs != 0 {
		t.Fatal("nothing may be sent")
	}
}

func TestClientOutreachOwnClientsForStaff(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	ctx := context.Background()
	v := e.venues["bella"]
	// Sarah's provider is "bella staff" (a staff record without a login): not the Staff user's own.
	d := e.login("staff", "bella").chat(t, "bella", "text Sarah")
	if cardOf(d, "client_outreach").Length() != 0 || !strings.Contains(d.Text(), "own clients") {
		t.Fatalf("staff may only message their own clients: %s", d.Text())
	}
	// Assign Sarah to the Staff user: now it is an approval card.
	m, _ := e.st.Membership(ctx, mustUser(t, e, "staff@bella.test"), v.ID)
	e.st.DB().Exec(`UPDATE clients SET assigned_staff_id = ? WHERE id = ?`, m.StaffID, e.ids["bella.client"])
	d = e.login("staff", "bella").chat(t, "bella", "text Sarah")
	if cardOf(d, "client_outreach").AttrOr("data-tier", "") != "approval" {
		t.Fatalf("own client: approval card, got %s", d.Text())
	}
	// The owner sends directly; the message goes out and stamps last_campaign_sent_at only.
	owner := e.login("owner", "bella")
	card := cardOf(owner.chat(t, "bella", "text Sarah"), "client_outreach")
	id := cardID(t, card)
	res := owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"title": {"Hi"}, "body": {"Hi Sarah, we have a colour slot on Friday. Fancy it?"}})
	d = doc(t, res)
	if d.Find(`[data-testid="result-summary"]`).Text() != "Sent to Sarah Smith" || d.Find(`[data-testid="result-link"]`).Text() != "Open Messages" {
		t.Fatalf("result card: %s", d.Text())
	}
	c, _ := e.st.Client(ctx, v.ID, e.ids["bella.client"])
	if c.LastCampaignSentAt.IsZero() || !c.LastReconnectSentAt.IsZero() {
		t.Fatal("outreach stamps last_campaign_sent_at only")
	}
	// A draft over 280 characters is refused on the card.
	card = cardOf(owner.chat(t, "bella", "text Sarah"), "client_outreach")
	res = owner.htmxPost("/app/bella/concierge/actions/"+cardID(t, card)+"/send", url.Values{"body": {strings.Repeat("a", 281)}})
	d = doc(t, res)
	if res.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="action-error"]`).Text(), "280") {
		t.Fatalf("over-long SMS refused: %d %s", res.StatusCode, d.Text())
	}
}

func TestActionsAreVenueAndCreatorScoped(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	card := cardOf(owner.chat(t, "bella", "make a flash deal for tomorrow"), "flash_deal")
	id := cardID(t, card)
	// Another person of the same venue cannot send someone else's draft.
	res := e.login("manager", "bella").htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {"x"}})
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("someone else's card: %d", res.StatusCode)
	}
	// Kiwi's owner cannot see it at all.
	res = e.login("owner", "kiwi").get("/app/kiwi/concierge/actions/" + id)
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("other venue: %d", res.StatusCode)
	}
	// The owner creates the deal: a public page at its shareable URL.
	res = owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"title": {"Deal"}, "body": {card.Find("textarea[name=body]").Text()}})
	d := doc(t, res)
	link, _ := d.Find(`[data-testid="result-link"]`).Attr("href")
	if !strings.HasPrefix(link, "/deals/") || d.Find(`[data-testid="result-link"]`).Text() != "View Flash Deal" {
		t.Fatalf("result card links to the deal: %q %s", link, d.Text())
	}
	pd := doc(t, e.anon().get(link))
	if pd.Find(`[data-testid="deal-page"]`).Length() != 1 || !strings.Contains(pd.Text(), "20% off") {
		t.Fatalf("public deal page: %s", pd.Text())
	}
	// The online booking link opens a real page, on the deal's service and day.
	book, _ := pd.Find(`a[href^="/book/"]`).Attr("href")
	br := e.anon().get(book)
	br.Body.Close()
	if book == "" || br.StatusCode != 200 {
		t.Fatalf("the deal links to online booking: %q %d", book, br.StatusCode)
	}
	if q := d.Find(".draft-quote").Text(); !strings.Contains(q, "https://concierge.example.com"+link) || strings.Contains(q, "{{") {
		t.Fatalf("the share text carries the deal's link: %q", q)
	}
}

func mustInt(t *testing.T, s string) int64 {
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func mustUser(t *testing.T, e *env, email string) int64 {
	var id int64
	if err := e.st.DB().QueryRow(`SELECT id FROM users WHERE email = ?`, email).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
