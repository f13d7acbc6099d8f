package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"concierge/app"
	"concierge/messaging"
	"concierge/salon"
	"concierge/store"
)

// twilioPost sends a webhook signed for the configured public URL (or with sig when given).
func (e *env) twilioPost(path string, form url.Values, sig string) *http.Response {
	e.t.Helper()
	if sig == "" {
		sig = messaging.SignTwilio("testtoken", "https://concierge.example.com"+path, form)
	}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", sig)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Errorf("POST %s: %v", path, err) // not Fatal: racing tests post from goroutines
		return noAnswer()
	}
	res.Body.Close()
	return res
}

func TestInboundWebhookRejectsBadSignature(t *testing.T) {
	e, _ := newTwilioEnv(t)
	form := url.Values{"MessageSid": {"SM1"}, "From": {"+61412345678"}, "To": {"+61400000000"}, "Body": {"STOP"}}
	for name, sig := range map[string]string{
		"wrong token": messaging.SignTwilio("other", "https://concierge.example.com/webhooks/twilio/sms", form),
		"wrong URL":   messaging.SignTwilio("testtoken", "https://evil.example.com/webhooks/twilio/sms", form),
		"garbage":     "bm90IGEgc2lnbmF0dXJl",
	} {
		if res := e.twilioPost("/webhooks/twilio/sms", form, sig); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: got %d, want 403", name, res.StatusCode)
		}
	}
	c, _ := e.st.Client(t.Context(), e.venues["bella"].ID, e.ids["bella.client"])
	msgs, _ := e.st.ClientMessages(t.Context(), e.venues["bella"].ID, c.ID)
	if c.SMSOptOut || len(msgs) != 0 {
		t.Fatalf("a forged webhook changed something: opt-out %v, %d messages", c.SMSOptOut, len(msgs))
	}
}

func TestStopOptsOutOnceWithOneConfirmation(t *testing.T) {
	e, _ := newTwilioEnv(t)
	ctx := t.Context()
	venueID, clientID := e.venues["bella"].ID, e.ids["bella.client"]
	form := url.Values{"MessageSid": {"SMstop1"}, "From": {"+61412345678"}, "To": {"+61400000000"}, "Body": {"Stop"}}
	for i := 0; i < 2; i++ { // the second is a replay of the same webhook
		if res := e.twilioPost("/webhooks/twilio/sms", form, ""); res.StatusCode != 200 {
			t.Fatalf("webhook %d: %d", i, res.StatusCode)
		}
	}
	c, _ := e.st.Client(ctx, venueID, clientID)
	if !c.SMSOptOut {
		t.Fatal("STOP must opt the client out of SMS")
	}
	msgs, _ := e.st.ClientMessages(ctx, venueID, clientID)
	in, confirmations := 0, 0
	for _, m := range msgs {
		if m.Direction == salon.Inbound {
			in++
		}
		if m.Purpose == salon.PurposeOptOutConfirm {
			confirmations++
		}
	}
	if in != 1 || confirmations != 1 {
		t.Fatalf("want 1 inbound and 1 confirmation, got %d and %d", in, confirmations)
	}
	// START opts back in.
	e.twilioPost("/webhooks/twilio/sms", url.Values{"MessageSid": {"SMstart"}, "From": {"+61412345678"}, "To": {"+61400000000"}, "Body": {"START"}}, "")
	c, _ = e.st.Client(ctx, venueID, clientID)
	if c.SMSOptOut {
		t.Fatal("START must opt back in")
	}
	// Other text joins the conversation without touching opt-out.
	e.twilioPost("/webhooks/twilio/sms", url.Values{"MessageSid": {"SMhello"}, "From": {"+61412345678"}, "To": {"+61400000000"}, "Body": {"Can I come at 3?"}}, "")
	msgs, _ = e.st.ClientMessages(ctx, venueID, clientID)
	if last := msgs[len(msgs)-1]; last.Body != "Can I come at 3?" || last.Direction != salon.Inbound {
		t.Fatalf("the text should join the thread, got %+v", last)
	}
}

func TestStatusCallbackAppliesOnce(t *testing.T) {
	e, _ := newTwilioEnv(t)
	ctx := context.Background()
	venueID := e.venues["bella"].ID
	m, _, err := e.st.QueueOutbound(ctx, venueID, store.NewOutbound{ClientID: e.ids["bella.client"], Channel: salon.SMS,
		Purpose: salon.PurposeOutreach, To: "+61412345678", Body: "Hi"})
	if err != nil {
		t.Fatal(err)
	}
	e.st.ClaimForSending(ctx, venueID, m.ID)
	e.st.MarkSent(ctx, venueID, m.ID, "twilio", "SMout1", salon.StatusSent, "+61400000000")
	form := url.Values{"MessageSid": {"SMout1"}, "MessageStatus": {"delivered"}}
	if res := e.twilioPost("/webhooks/twilio/status", form, ""); res.StatusCode != http.StatusNoContent {
		t.Fatalf("status: %d", res.StatusCode)
	}
	first, _ := e.st.Message(ctx, venueID, m.ID)
	e.clk.Advance(time.Minute)
	e.twilioPost("/webhooks/twilio/status", form, "")
	e.twilioPost("/webhooks/twilio/status", url.Values{"MessageSid": {"SMout1"}, "MessageStatus": {"sent"}}, "")
	second, _ := e.st.Message(ctx, venueID, m.ID)
	if first.Status != salon.StatusDelivered || !second.UpdatedAt.Equal(first.UpdatedAt) || second.Status != salon.StatusDelivered {
		t.Fatalf("want delivered once: first %s@%v, then %s@%v", first.Status, first.UpdatedAt, second.Status, second.UpdatedAt)
	}
	if res := e.twilioPost("/webhooks/twilio/status", url.Values{"MessageSid": {"SMout1"}, "MessageStatus": {"failed"}}, "bad"); res.StatusCode != 403 {
		t.Fatalf("unsigned status: %d", res.StatusCode)
	}
}

func TestSimulateReplyInOutboxMode(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	venueID := e.venues["bella"].ID
	c, _ := e.st.Client(ctx, venueID, e.ids["bella.client"])
	d := &app.Dispatcher{Store: e.st, Senders: messaging.Senders{SMS: messaging.Outbox{}, Email: messaging.Outbox{}}}
	m, err := d.SendToClient(ctx, venueID, c, salon.SMS, salon.PurposeOutreach, "", "Hi Sarah, we have a 3pm opening tomorrow.")
	if err != nil || m.Status != salon.StatusDelivered {
		t.Fatalf("outbox send: %v %s", err, m.Status)
	}
	u := e.login("staff", "bella")
	res := u.post("/app/bella/outbox/simulate", url.Values{"message_id": {itoa(m.ID)}, "body": {"STOP"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("simulate: %d", res.StatusCode)
	}
	c, _ = e.st.Client(ctx, venueID, c.ID)
	if !c.SMSOptOut {
		t.Fatal("a simulated STOP takes the same path as a real one")
	}
	// Another venue's message cannot be used.
	res = e.login("staff", "kiwi").post("/app/kiwi/outbox/simulate", url.Values{"message_id": {itoa(m.ID)}, "body": {"hi"}})
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("cross-venue simulate: %d", res.StatusCode)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestSimulateTextFromAnyClient(t *testing.T) {
	e := newEnv(t)
	u := e.login("staff", "bella")
	res := u.post("/app/bella/outbox/simulate", url.Values{"client_id": {itoa(e.ids["bella.client"])}, "body": {"Do you have anything Saturday?"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("simulate: %d", res.StatusCode)
	}
	msgs, _ := e.st.ClientMessages(t.Context(), e.venues["bella"].ID, e.ids["bella.client"])
	if len(msgs) != 1 || msgs[0].Direction != salon.Inbound || msgs[0].Body != "Do you have anything Saturday?" {
		t.Fatalf("want the simulated text in the thread, got %+v", msgs)
	}
	for name, form := range map[string]url.Values{
		"no client":            {"body": {"hi"}},
		"no body":              {"client_id": {itoa(e.ids["bella.client"])}},
		"other venue's client": {"client_id": {itoa(e.ids["kiwi.client"])}, "body": {"hi"}},
	} {
		res := u.post("/app/bella/outbox/simulate", form)
		res.Body.Close()
		if res.StatusCode != 422 {
			t.Errorf("%s: %d, want 422", name, res.StatusCode)
		}
	}
	// An email-only venue has no texts to simulate.
	res = e.login("staff", "kiwi").post("/app/kiwi/outbox/simulate", url.Values{"client_id": {itoa(e.ids["kiwi.client"])}, "body": {"hi"}})
	res.Body.Close()
	if res.StatusCode != 422 {
		t.Fatalf("kiwi: %d", res.StatusCode)
	}
}
