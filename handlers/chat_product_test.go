package handlers_test

import (
	"github.com/PuerkitoBio/goquery"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Item 7: the empty chat offers suggestion chips, only for what the person may do,
// and each chip posts its request.
func TestSuggestionChipsByRole(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	chips := func(u *user) map[string]string {
		d := doc(t, u.get("/app/bella/concierge"))
		out := map[string]string{}
		d.Find(`[data-testid="suggestion"]`).Each(func(_ int, b *goquery.Selection) {
			out[strings.TrimSpace(b.Text())] = b.Closest("form").Find(`input[name=message]`).AttrOr("value", "")
		})
		return out
	}
	owner := e.login("owner", "bella")
	got := chips(owner)
	for _, want := range []string{"Fill tomorrow's gaps", "Win back lapsed clients", "Follow up no-shows", "Reply to the inbox"} {
		if got[want] == "" {
			t.Fatalf("owner chips %v lack %q", got, want)
		}
	}
	staff := chips(e.login("staff", "bella"))
	// Staff fill gaps with a flash deal: texting the ranked clients is an Owner's or Manager's.
	if staff["A deal for tomorrow's free slots"] == "" || staff["Reply to the inbox"] == "" || staff["Fill tomorrow's gaps"] != "" {
		t.Fatalf("staff chips: %v", staff)
	}
	for _, never := range []string{"Win back lapsed clients", "Ask today's clients for a review", "Follow up no-shows", "Show me my VIPs"} {
		if _, ok := staff[never]; ok {
			t.Fatalf("staff are offered %q, which only an Owner or Manager may do", never)
		}
	}
	// A chip posts its request: the win-back chip gives a win-back card.
	d := owner.chat(t, "bella", got["Win back lapsed clients"])
	if cardOf(d, "win_back").Length() != 1 {
		t.Fatalf("the chip's request: %s", d.Text())
	}
	if d := doc(t, owner.get("/app/bella/concierge")); d.Find(`[data-testid="chat-suggestions"]`).Length() != 0 {
		t.Fatal("chips belong to the empty chat only")
	}
}

// Item 7: "New conversation" clears the visible history (the turns stay in the
// database) and nothing said before carries over.
func TestNewConversation(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	if cardOf(owner.chat(t, "bella", "text Sarah Smith"), "client_outreach").Length() != 1 {
		t.Fatal("outreach card")
	}
	res := owner.post("/app/bella/concierge/new", url.Values{})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app/bella/concierge" {
		t.Fatalf("new conversation: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	d := doc(t, owner.get("/app/bella/concierge"))
	if d.Find(`[data-testid^="turn-"]`).Length() != 0 || d.Find(`[data-testid="chat-suggestions"]`).Length() != 1 {
		t.Fatalf("a fresh chat with its chips: %s", d.Find(`[data-testid="chat-log"]`).Text())
	}
	if n := e.count(`SELECT count(*) FROM chat_turns WHERE venue_id = ?`, e.venues["bella"].ID); n != 2 {
		t.Fatalf("the old turns are kept: %d", n)
	}
	// Sarah was the client in context; after the boundary she is not.
	d = owner.chat(t, "bella", "send my booking link")
	if d.Find(`[data-testid="action-card"]`).Length() != 0 {
		t.Fatalf("nothing carries over a new conversation: %s", d.Text())
	}
	// htmx gets a redirect header; another person's chat is untouched.
	manager := e.login("manager", "bella")
	manager.chat(t, "bella", "show me my VIPs")
	res = owner.htmxPost("/app/bella/concierge/new", url.Values{})
	res.Body.Close()
	if res.Header.Get("HX-Redirect") != "/app/bella/concierge" {
		t.Fatalf("htmx: %v", res.Header)
	}
	if d := doc(t, manager.get("/app/bella/concierge")); d.Find(`[data-testid^="turn-"]`).Length() != 2 {
		t.Fatal("another person's conversation stays")
	}
}

// Item 7: the enable-reconnect suggestion comes at most once a day per person.
func TestReconnectSuggestionOnceADay(t *testing.T) {
	e := newEnv(t)
	e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	manager := e.login("manager", "bella")
	surfaced := func(u *user, msg string) bool {
		d := u.chat(t, "bella", msg)
		return cardOf(d, "enable_reconnect").Length() == 1 || strings.Contains(d.Text(), "Reconnect automation is off")
	}
	if !surfaced(manager, "how are we doing?") {
		t.Fatal("the suggestion surfaces once")
	}
	for _, msg := range []string{"show me my VIPs", "how are we doing?", "text Sarah Smith"} {
		if surfaced(manager, msg) {
			t.Fatalf("again on %q the same day", msg)
		}
	}
	res := manager.post("/app/bella/concierge/new", url.Values{})
	res.Body.Close()
	if surfaced(manager, "how are we doing?") {
		t.Fatal("a new conversation does not bring it back the same day")
	}
	if !surfaced(e.login("owner", "bella"), "how are we doing?") {
		t.Fatal("another person gets it once too")
	}
	e.clk.Advance(25 * time.Hour)
	if !surfaced(e.login("manager", "bella"), "how are we doing?") {
		t.Fatal("the next day it may come again")
	}
}

// Item 7: approval-tier cards say so before Send, and result links go where they say.
func TestApprovalBadgeAndResultLinks(t *testing.T) {
	e := newEnv(t)
	e.noShow(t, "bella", "Tara", "0412 555 101", 2*time.Hour)
	manager := e.login("manager", "bella")
	card := cardOf(manager.chat(t, "bella", "follow up no-shows"), "no_show_followup")
	if card.Find(`[data-testid="approval-badge"]`).Text() != "Approval needed" {
		t.Fatalf("a manager's no-show card needs approval: %s", card.Text())
	}
	owner := e.login("owner", "bella")
	card = cardOf(owner.chat(t, "bella", "follow up no-shows"), "no_show_followup")
	if card.Find(`[data-testid="approval-badge"]`).Length() != 0 {
		t.Fatal("the owner's own card goes straight out: no badge")
	}
	id := cardID(t, card)
	res := owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"title": {"No-shows"}, "body": {card.Find("textarea[name=body]").Text()}})
	res.Body.Close()
	e.waitSends()
	d := doc(t, owner.htmxGet("/app/bella/concierge/actions/"+id+"/card"))
	link := d.Find(`[data-testid="result-link"]`)
	if link.Text() != "View bookings" || link.AttrOr("href", "") != "/app/bella/calendar?date=2026-11-23" {
		t.Fatalf("View bookings opens the bookings: %q → %q", link.Text(), link.AttrOr("href", ""))
	}
	if res := owner.get(link.AttrOr("href", "")); res.StatusCode != 200 {
		t.Fatalf("the calendar: %d", res.StatusCode)
	}
	// A message to one client: "Open Messages" opens the messages with them.
	card = cardOf(owner.chat(t, "bella", "text Sarah Smith"), "client_outreach")
	d = doc(t, owner.htmxPost("/app/bella/concierge/actions/"+cardID(t, card)+"/send", url.Values{"title": {"Hi"}, "body": {"Hi Sarah, see you soon!"}}))
	link = d.Find(`[data-testid="result-link"]`)
	if link.Text() != "Open Messages" || link.AttrOr("href", "") != "/app/bella/inbox/"+itoa(e.ids["bella.client"]) {
		t.Fatalf("Open Messages: %q → %q", link.Text(), link.AttrOr("href", ""))
	}
	if td := doc(t, owner.get(link.AttrOr("href", ""))); !strings.Contains(td.Find(`[data-testid="message-thread"]`).Text(), "see you soon") {
		t.Fatal("the thread shows the message")
	}
}
