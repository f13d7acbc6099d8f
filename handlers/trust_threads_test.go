package handlers_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"concierge/salon"
	"concierge/store"
)

// Item 15: a win-back never goes to a client whose inbox thread (charged twice) is
// escalated; the preview says why they are left out.
func TestWinBackSkipsClientsInAnOpenComplaint(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	v := e.venues["bella"]
	ctx := t.Context()
	lena := e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	cara := e.lapsedClient(t, "bella", "Cara", "0412 555 002")
	if _, _, err := e.st.RecordInbound(ctx, v.ID, store.InboundMessage{ClientID: cara.ID, Channel: salon.SMS, From: cara.Phone,
		Body: "You charged me twice for my last visit!", Provider: "twilio", ProviderID: "SMc1"}); err != nil {
		t.Fatal(err)
	}
	owner := e.login("owner", "bella")
	res := owner.post(fmt.Sprintf("/app/bella/inbox/%d/status", cara.ID), url.Values{"status": {"escalated"}})
	res.Body.Close()
	if st, _ := e.st.ConversationStatus(ctx, v.ID, cara.ID); st != "escalated" {
		t.Fatalf("escalated: %q (%d)", st, res.StatusCode)
	}
	d := owner.chat(t, "bella", "win back lapsed clients")
	card := cardOf(d, "win_back")
	excluded := card.Find(`[data-testid="audience-excluded"][data-reason="open_thread"]`)
	if card.Find(`[data-testid="audience-sendable"]`).Text() != "1" || !strings.HasPrefix(excluded.Text(), "1 in an open or escalated inbox conversation") {
		t.Fatalf("the preview leaves Cara out and says why: %s", card.Find(`.audience-preview`).Text())
	}
	id := cardID(t, card)
	res = owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {card.Find("textarea[name=body]").Text()}})
	res.Body.Close()
	e.clk.Advance(time.Minute)
	if _, err := e.app.ConciergeService().Fire(ctx, v, mustInt(t, id)); err != nil {
		t.Fatal(err)
	}
	e.waitSends()
	if n := e.count(`SELECT count(*) FROM messages WHERE client_id = ? AND direction = 'out'`, cara.ID); n != 0 {
		t.Fatalf("the win-back went to a client in an escalated complaint: %d", n)
	}
	if n := e.count(`SELECT count(*) FROM messages WHERE client_id = ? AND purpose = 'win_back'`, lena.ID); n != 1 {
		t.Fatalf("Lena gets hers: %d", n)
	}
}

// Item 15: "reply to the inbox" quotes the client's latest message, never our own text
// sent after it, and drafts no canned reply to an escalated thread.
func TestInboxReplyQuotesTheClientAndLeavesComplaintsToAPerson(t *testing.T) {
	e := newEnv(t)
	v := e.venues["bella"]
	ctx := t.Context()
	cara, err := e.st.CreateClient(ctx, v.ID, 0, salon.ClientInput{FirstName: "Cara", LastName: "Twice", Phone: "0412 555 002", NotifySMS: true})
	if err != nil {
		t.Fatal(err)
	}
	sarah, _ := e.st.Client(ctx, v.ID, e.ids["bella.client"])
	inbound := func(c salon.Client, id, body string) {
		t.Helper()
		if _, _, err := e.st.RecordInbound(ctx, v.ID, store.InboundMessage{ClientID: c.ID, Channel: salon.SMS, From: c.Phone, Body: body,
			Provider: "twilio", ProviderID: id}); err != nil {
			t.Fatal(err)
		}
		e.clk.Advance(time.Minute)
	}
	inbound(cara, "SMc1", "You charged me twice for my last visit!")
	if err := e.st.SetConversationStatus(ctx, v.ID, cara.ID, 0, "escalated"); err != nil {
		t.Fatal(err)
	}
	inbound(sarah, "SMs1", "Can I move my cut to Friday?")
	// Something of ours goes to Sarah after her question (her booking confirmation).
	if _, err := e.dispatch.SendToClient(ctx, v.ID, sarah, salon.SMS, salon.PurposeBookingConfirm, "", "You're booked at Bella: Cut, Tue 24 Nov."); err != nil {
		t.Fatal(err)
	}
	owner := e.login("owner", "bella")
	d := owner.chat(t, "bella", "reply to the inbox")
	text := d.Find(`[data-testid="turn-concierge"]`).Text()
	cards := d.Find(`[data-testid="action-card"][data-action="inbox_reply"]`)
	if cards.Length() != 1 || !strings.Contains(cards.Find("textarea[name=notes]").Text(), "Can I move my cut to Friday?") {
		t.Fatalf("one reply card, for Sarah, quoting her: %d cards: %s", cards.Length(), d.Text())
	}
	if !strings.Contains(text, `Sarah Smith wrote: "Can I move my cut to Friday?"`) || strings.Contains(text, "You're booked at Bella") {
		t.Fatalf("the chat quotes the client, not us: %s", text)
	}
	if !strings.HasPrefix(cards.Find(`textarea[name=body]`).Text(), "Hi Sarah,") {
		t.Fatalf("the card is Sarah's: %s", cards.Text())
	}
	if !strings.Contains(text, "Escalated: Cara Twice") || strings.Contains(cards.Text(), "Cara") {
		t.Fatalf("Cara's complaint is pointed to, not answered by a template: %s", text)
	}
	// A thread escalated after its reply was drafted is not answered by that draft.
	id := cardID(t, cards)
	if err := e.st.SetConversationStatus(ctx, v.ID, sarah.ID, 0, "escalated"); err != nil {
		t.Fatal(err)
	}
	res := owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {"Thanks! We'll take care of that."}})
	rd := doc(t, res)
	if !strings.Contains(rd.Text(), "escalated") || e.count(`SELECT count(*) FROM messages WHERE client_id = ? AND purpose = 'inbox_reply'`, sarah.ID) != 0 {
		t.Fatalf("a canned reply went to an escalated thread: %d %s", res.StatusCode, rd.Text())
	}
	if st, _ := e.st.ConversationStatus(ctx, v.ID, sarah.ID); st != "escalated" {
		t.Fatalf("the thread stays escalated: %s", st)
	}
}
