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

// Item 14: a batch nobody in its audience can receive is neither queued for approval
// nor approved ("Approve and send to 0"); the card says so and its button is off.
func TestNothingToSendIsNeverQueuedOrApproved(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	lena := e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	optOut := func(out bool) {
		t.Helper()
		if _, err := e.st.DB().Exec(`UPDATE clients SET sms_opt_out = ? WHERE id = ?`, out, lena.ID); err != nil {
			t.Fatal(err)
		}
	}
	manager := e.login("manager", "bella")
	card := cardOf(manager.chat(t, "bella", "win back lapsed clients"), "win_back")
	id := cardID(t, card)
	body := card.Find("textarea[name=body]").Text()
	status := func() string {
		t.Helper()
		var st string
		e.st.DB().QueryRow(`SELECT status FROM actions WHERE id = ?`, id).Scan(&st)
		return st
	}
	// Lena opts out after the card was drafted: Send for approval is refused.
	optOut(true)
	res := manager.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {body}})
	d := doc(t, res)
	if res.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="action-error"]`).Text(), "Nobody in this audience can be messaged now (1 opted out)") {
		t.Fatalf("queued with nobody to send to: %d %s", res.StatusCode, d.Find(`[data-testid="action-error"]`).Text())
	}
	if st := status(); st != string(salon.StatusDrafted) {
		t.Fatalf("the action went to %s", st)
	}
	if _, disabled := d.Find(`[data-testid="send-button"]`).Attr("disabled"); !disabled || d.Find(`[data-testid="audience-empty"]`).Length() != 1 {
		t.Fatalf("the card's Send is off and says why: %s", d.Text())
	}
	// She opts back in; it goes for approval; she opts out again before the approval.
	optOut(false)
	res = manager.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {body}})
	res.Body.Close()
	if st := status(); st != string(salon.StatusPending) {
		t.Fatalf("with Lena reachable it waits for approval: %s (%d)", st, res.StatusCode)
	}
	optOut(true)
	owner := e.login("owner", "bella")
	page := doc(t, owner.get("/app/bella/concierge/actions/"+id))
	button := page.Find(`[data-testid="send-button"]`)
	if _, disabled := button.Attr("disabled"); !disabled || page.Find(`[data-testid="audience-empty"]`).Length() != 1 {
		t.Fatalf("the approver's button is off: %q %s", button.Text(), page.Find(`[data-testid="action-card"]`).Text())
	}
	res = owner.post("/app/bella/concierge/pending/"+id+"/approve", url.Values{"body": {body}})
	d = doc(t, res)
	if res.StatusCode != 409 || !strings.Contains(d.Find(`[data-testid="action-error"]`).Text(), "Nobody in this audience can be messaged now") {
		t.Fatalf("approved with nobody to send to: %d %s", res.StatusCode, d.Find(`[data-testid="action-error"]`).Text())
	}
	if st, n := status(), e.count(`SELECT count(*) FROM messages WHERE action_id = ?`, id); st != string(salon.StatusPending) || n != 0 {
		t.Fatalf("after the refused approval: %s, %d messages", st, n)
	}
}

// Item 14: a review request from a venue with no review link is not sent ending in
// "leave us a review here:"; the card asks for the link beside the message, saves it to
// the venue, and the messages then carry it.
func TestReviewRequestAsksForTheMissingLink(t *testing.T) {
	e := newEnv(t)
	v := e.venues["bella"]
	start := e.clk.Now().Add(-3 * time.Hour)
	if _, err := e.st.DB().Exec(`INSERT INTO bookings (venue_id, client_id, staff_id, start_at, end_at, price_minor, status, created_at)
		VALUES (?, ?, ?, ?, ?, 9000, 'completed', ?)`, v.ID, e.ids["bella.client"], e.ids["bella.staff"], start.Unix(), start.Add(time.Hour).Unix(),
		start.Unix()); err != nil {
		t.Fatal(err)
	}
	owner := e.login("owner", "bella")
	card := cardOf(owner.chat(t, "bella", "ask today's clients for a review"), "review_request")
	if card.Length() != 1 || card.Find(`[data-testid="review-link-field"] input[name=review_link]`).Length() != 1 {
		t.Fatalf("the card asks for the review link: %s", card.Text())
	}
	id := cardID(t, card)
	body := card.Find("textarea[name=body]").Text()
	sent := func() int { return e.count(`SELECT count(*) FROM messages WHERE action_id = ?`, id) }
	res := owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {body}})
	d := doc(t, res)
	if res.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="error-review_link"]`).Text(), "no review link") {
		t.Fatalf("sent without a review link: %d %s", res.StatusCode, d.Text())
	}
	if n := sent(); n != 0 {
		t.Fatalf("%d messages with an empty link", n)
	}
	// A hand-written ending with an empty link is caught too.
	res = owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {"Hi {{name}}, leave us a review here:"}})
	d = doc(t, res)
	if res.StatusCode != 422 || d.Find(`[data-testid="error-body"]`).Length() != 1 || sent() != 0 {
		t.Fatalf("a message ending in 'here:': %d %s", res.StatusCode, d.Text())
	}
	res = owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {body}, "review_link": {"g.page/bella"}})
	d = doc(t, res)
	if res.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="error-review_link"]`).Text(), "https://") {
		t.Fatalf("a link that is not one: %d %s", res.StatusCode, d.Text())
	}
	res = owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {body}, "review_link": {"https://g.page/r/bella"}})
	res.Body.Close()
	e.waitSends()
	var msg string
	e.st.DB().QueryRow(`SELECT body FROM messages WHERE action_id = ?`, id).Scan(&msg)
	if sent() != 1 || !strings.HasSuffix(msg, "leave us a review here: https://g.page/r/bella") {
		t.Fatalf("sent with the link: %d %q", sent(), msg)
	}
	if got, _ := e.st.Venue(t.Context(), v.ID); got.ReviewLink != "https://g.page/r/bella" {
		t.Fatalf("the link is kept on the venue: %q", got.ReviewLink)
	}
}

// Item 14: an email never goes without a subject; the error shows beside the field.
func TestEmailWithoutSubjectIsRefused(t *testing.T) {
	e := newEnv(t)
	tui := e.lapsedClient(t, "kiwi", "Tui", "021 555 0101")
	owner := e.login("owner", "kiwi")
	card := cardOf(owner.chat(t, "kiwi", "win back lapsed clients"), "win_back")
	id := cardID(t, card)
	res := owner.htmxPost("/app/kiwi/concierge/actions/"+id+"/send", url.Values{"subject": {"  "}, "body": {card.Find("textarea[name=body]").Text()}})
	d := doc(t, res)
	if res.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="error-subject"]`).Text(), "An email needs a subject") {
		t.Fatalf("an email without a subject: %d %s", res.StatusCode, d.Text())
	}
	var st string
	e.st.DB().QueryRow(`SELECT status FROM actions WHERE id = ?`, id).Scan(&st)
	if st != string(salon.StatusDrafted) || e.count(`SELECT count(*) FROM messages WHERE client_id = ?`, tui.ID) != 0 {
		t.Fatalf("nothing scheduled or sent: %s", st)
	}
	if card.Find(`input[name=subject]`).AttrOr("value", "") == "" {
		t.Fatalf("an email draft starts with a subject: %s", card.Text())
	}
	// The dispatcher refuses one too, whoever calls it.
	c, _ := e.st.Client(t.Context(), e.venues["kiwi"].ID, tui.ID)
	if _, err := e.dispatch.SendToClient(t.Context(), e.venues["kiwi"].ID, c, salon.Email, salon.PurposeInboxReply, "", "Hello"); salon.FieldErrors(err)["subject"] == "" {
		t.Fatalf("SendToClient without a subject: %v", err)
	}
}

// Item 14 and 15 on the backfill page: an offer with a merge field nothing fills is
// refused beside the message, and a client in an escalated conversation is not offered
// the gap.
func TestGapOfferHolesAndComplaints(t *testing.T) {
	e := newEnv(t)
	v := e.venues["bella"]
	rita := e.regular(t, "bella", "Rita", "0412 600 001")
	owner := e.login("owner", "bella")
	form := e.gapQuery("bella")
	form.Set("service_id", fmt.Sprint(e.ids["bella.service"]))
	form.Set("body", "Hi {{name}}, a slot opened up. Grab it here: {{deal_link}}")
	form["client"] = []string{fmt.Sprint(rita.ID)}
	res := owner.post("/app/bella/backfill/offers", form)
	d := doc(t, res)
	if res.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="error-body"]`).Text(), "{{deal_link}}") {
		t.Fatalf("an offer with an unfilled field: %d %s", res.StatusCode, d.Find(".field-error").Text())
	}
	if n := e.count(`SELECT count(*) FROM messages WHERE client_id = ?`, rita.ID); n != 0 {
		t.Fatalf("%d messages", n)
	}
	if _, _, err := e.st.RecordInbound(t.Context(), v.ID, store.InboundMessage{ClientID: rita.ID, Channel: salon.SMS, From: rita.Phone,
		Body: "I was charged twice", Provider: "twilio", ProviderID: "SMr1"}); err != nil {
		t.Fatal(err)
	}
	if err := e.st.SetConversationStatus(t.Context(), v.ID, rita.ID, 0, "escalated"); err != nil {
		t.Fatal(err)
	}
	form.Set("body", "Hi {{name}}, a slot opened up tomorrow at 10. Reply YES to book it.")
	res = owner.post("/app/bella/backfill/offers", form)
	d = doc(t, res)
	if res.StatusCode != 422 || e.count(`SELECT count(*) FROM messages WHERE client_id = ? AND direction = 'out'`, rita.ID) != 0 {
		t.Fatalf("an offer to a client in an escalated complaint: %d %s", res.StatusCode, d.Find(".field-error").Text())
	}
}

// Item 14: a saved reminder template with a merge field its send does not fill is
// refused beside the field, so no reminder goes out with a hole.
func TestReminderTemplateWithAnUnfilledField(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	res := owner.post("/app/bella/settings/messages", url.Values{"reminder_sms": {"true"},
		"reminder_template": {"Hi {{FirstName}}, finish booking and review us: {{ReviewLink}}"}})
	d := doc(t, res)
	if res.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="error-reminder_template"]`).Text(), "{{ReviewLink}}") {
		t.Fatalf("saved a template with a hole: %d %s", res.StatusCode, d.Find(".field-error").Text())
	}
	if rs, _ := e.st.IncompleteReminderSettings(t.Context(), e.venues["bella"].ID); rs.SMS || rs.Template != "" {
		t.Fatalf("nothing saved: %+v", rs)
	}
}
