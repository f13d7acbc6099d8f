package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"concierge/messaging"
	"concierge/salon"
	"concierge/store"
)

// defaultNumber is TWILIO_FROM in the Twilio test server: the sending number of every
// venue without its own.
const defaultNumber = "+61400000000"

// fakeTwilioAPI stands in for Twilio's REST API: the app's real Twilio sender talks to
// it, and it remembers every text it was asked to send.
type fakeTwilioAPI struct {
	mu   sync.Mutex
	sent []url.Values
}

func (f *fakeTwilioAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f.mu.Lock()
	f.sent = append(f.sent, r.PostForm)
	n := len(f.sent)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, `{"sid":"SMapi%04d","status":"queued"}`, n)
}

// texts lists what was sent to a phone, as "from: body".
func (f *fakeTwilioAPI) texts(to string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, v := range f.sent {
		if v.Get("To") == to {
			out = append(out, v.Get("From")+": "+v.Get("Body"))
		}
	}
	return out
}

// toTest sends every request to the test server: twilio-go has no base-URL setting.
type toTest struct{ target *url.URL }

func (r toTest) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host = r.target.Scheme, r.target.Host
	return http.DefaultTransport.RoundTrip(req)
}

// newTwilioEnv is newEnv with Twilio configured: webhooks signed with "testtoken",
// TWILIO_FROM defaultNumber, and SMS sent through the real Twilio sender to a fake API.
func newTwilioEnv(t *testing.T) (*env, *fakeTwilioAPI) {
	t.Helper()
	e := newEnv(t, func(c *envConfig) {
		c.SMSProvider, c.TwilioAuthToken, c.TwilioFrom = "twilio", "testtoken", defaultNumber
	})
	api := &fakeTwilioAPI{}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	e.dispatch.Senders.SMS = messaging.NewTwilio(messaging.TwilioConfig{AccountSID: "ACtest123", AuthToken: "testtoken", From: defaultNumber,
		HTTPClient: &http.Client{Transport: toTest{u}, Timeout: 5 * time.Second}})
	return e, api
}

// addAUVenue adds an AU venue with its own sending number ("" for the default), an
// owner, a staff member, a service and a client with the given phone.
func (e *env) addAUVenue(t *testing.T, slug, number, phone string) {
	t.Helper()
	ctx := context.Background()
	v, err := e.st.CreateVenue(ctx, store.NewVenue{Slug: slug, Name: strings.ToUpper(slug[:1]) + slug[1:], Country: salon.AU, TimeZone: "Australia/Sydney"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.AddUser(ctx, v.ID, 0, store.NewUser{Email: "owner@" + slug + ".test", Name: slug + " owner", Password: password, Role: salon.Owner}); err != nil {
		t.Fatal(err)
	}
	if err := e.st.SetSMSNumber(ctx, v.ID, 0, number); err != nil {
		t.Fatal(err)
	}
	staffID, _ := e.st.EnsureStaff(ctx, v.ID, slug+" staff")
	svc, err := e.st.EnsureService(ctx, v.ID, store.NewService{Name: "Cut", Category: "Cut & Style", DurationMin: 60, PriceMinor: 9000, StaffIDs: []int64{staffID}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.st.CreateClient(ctx, v.ID, 0, salon.ClientInput{FirstName: "Sarah", LastName: "Smith", Phone: phone, NotifySMS: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.TopUpWallet(ctx, v.ID, 0, 1000, "test"); err != nil {
		t.Fatal(err)
	}
	e.venues[slug], _ = e.st.Venue(ctx, v.ID)
	e.ids[slug+".client"], e.ids[slug+".staff"], e.ids[slug+".service"] = c.ID, staffID, svc
}

// text has the venue text its client, through the app's dispatcher.
func (e *env) text(t *testing.T, slug, body string) {
	t.Helper()
	ctx := context.Background()
	v := e.venues[slug]
	c, err := e.st.Client(ctx, v.ID, e.ids[slug+".client"])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.dispatch.SendToClient(ctx, v.ID, c, salon.SMS, salon.PurposeInboxReply, "", body); err != nil {
		t.Fatal(err)
	}
}

// offer has the venue offer its client a gap at the given hour tomorrow (Sydney).
func (e *env) offer(t *testing.T, slug string, hour int) {
	t.Helper()
	ctx := context.Background()
	v := e.venues[slug]
	c, _ := e.st.Client(ctx, v.ID, e.ids[slug+".client"])
	d := e.clk.Now().In(v.Location()).AddDate(0, 0, 1)
	start := time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, v.Location())
	_, ids, err := e.st.CreateOffer(ctx, v, store.NewOffer{StaffID: e.ids[slug+".staff"], ServiceID: e.ids[slug+".service"], Start: start,
		Body: "An opening. Reply YES to book."}, []store.OfferRecipient{{ClientID: c.ID, To: c.Phone, Body: "Hi Sarah, an opening tomorrow. Reply YES to book."}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if _, err := e.dispatch.Deliver(ctx, v.ID, id); err != nil {
			t.Fatal(err)
		}
	}
}

// inboundOf lists the bodies of the texts a venue's client has sent, as recorded.
func (e *env) inboundOf(t *testing.T, slug string) []string {
	t.Helper()
	msgs, err := e.st.ClientMessages(context.Background(), e.venues[slug].ID, e.ids[slug+".client"])
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if m.Direction == salon.Inbound {
			out = append(out, m.Body)
		}
	}
	return out
}

func (e *env) optedOut(t *testing.T, slug string) bool {
	t.Helper()
	c, err := e.st.Client(context.Background(), e.venues[slug].ID, e.ids[slug+".client"])
	if err != nil {
		t.Fatal(err)
	}
	return c.SMSOptOut
}

func (e *env) bookings(t *testing.T, slug string) int {
	t.Helper()
	return e.count(`SELECT count(*) FROM bookings WHERE venue_id = ? AND source = 'backfill'`, e.venues[slug].ID)
}

// inbound posts a signed text from phone to one of our numbers.
func (e *env) inbound(sid, phone, to, body string) int {
	return e.twilioPost("/webhooks/twilio/sms", url.Values{"MessageSid": {sid}, "From": {phone}, "To": {to}, "Body": {body}}, "").StatusCode
}

// Outbox mode has no Twilio secret: the webhooks accept nothing, whoever signs them
// with whatever (the public constant the outbox used to sign with included).
func TestWebhooksAcceptNothingInOutboxMode(t *testing.T) {
	e := newEnv(t, func(c *envConfig) { c.SMSProvider, c.TwilioAuthToken = "outbox", "" })
	venueID, clientID := e.venues["bella"].ID, e.ids["bella.client"]
	m, _, err := e.st.QueueOutbound(t.Context(), venueID, store.NewOutbound{ClientID: clientID, Channel: salon.SMS, Purpose: salon.PurposeOutreach,
		To: "+61412345678", Body: "Hi"})
	if err != nil {
		t.Fatal(err)
	}
	e.st.ClaimForSending(t.Context(), venueID, m.ID)
	e.st.MarkSent(t.Context(), venueID, m.ID, "twilio", "SMout1", salon.StatusSent, defaultNumber)
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{"/webhooks/twilio/sms", url.Values{"MessageSid": {"SMforged"}, "From": {"+61412345678"}, "To": {defaultNumber}, "Body": {"STOP"}}},
		{"/webhooks/twilio/status", url.Values{"MessageSid": {"SMout1"}, "MessageStatus": {"failed"}, "ErrorCode": {"30003"}}},
	} {
		for name, token := range map[string]string{"the outbox constant": "concierge-outbox-simulator", "empty token": "", "test token": "testtoken"} {
			sig := messaging.SignTwilio(token, "https://concierge.example.com"+tc.path, tc.form)
			if res := e.twilioPost(tc.path, tc.form, sig); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s signed with %s: %d, want 404", tc.path, name, res.StatusCode)
			}
		}
	}
	if e.optedOut(t, "bella") || len(e.inboundOf(t, "bella")) != 0 {
		t.Fatal("a forged STOP changed the client")
	}
	if after, _ := e.st.Message(t.Context(), venueID, m.ID); after.Status != salon.StatusSent {
		t.Fatalf("a forged status callback changed the message: %s", after.Status)
	}
}

// "Simulate a reply" acts in the simulating user's venue only, even when clients of
// other venues share the phone.
func TestSimulatedReplyStaysInItsVenue(t *testing.T) {
	e := newEnv(t)
	e.addAUVenue(t, "luxe", "", "0412 345 678") // bella's client's phone
	e.text(t, "luxe", "Hi from Luxe")
	u := e.login("staff", "bella")
	for _, body := range []string{"STOP", "Is Saturday free?"} {
		res := u.post("/app/bella/outbox/simulate", url.Values{"client_id": {itoa(e.ids["bella.client"])}, "body": {body}})
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("simulate %q: %d", body, res.StatusCode)
		}
	}
	if !e.optedOut(t, "bella") || len(e.inboundOf(t, "bella")) != 2 {
		t.Fatalf("bella's client: opted out %v, inbound %q", e.optedOut(t, "bella"), e.inboundOf(t, "bella"))
	}
	if e.optedOut(t, "luxe") || len(e.inboundOf(t, "luxe")) != 0 {
		t.Fatalf("a simulation in bella reached luxe: opted out %v, inbound %q", e.optedOut(t, "luxe"), e.inboundOf(t, "luxe"))
	}
}

// With Twilio, a text is routed by the number it was sent to: a STOP applies to
// every venue sending from that number, other texts go to the venues that texted the
// client from it.
func TestInboundRoutedByTheNumberItWasSentTo(t *testing.T) {
	e, api := newTwilioEnv(t)
	const phone, luxeNumber = "+61412345678", "+61400000999"
	e.addAUVenue(t, "luxe", luxeNumber, phone) // its own number
	e.addAUVenue(t, "glam", "", phone)         // shares the default number with bella
	e.text(t, "bella", "Hi from Bella")
	e.text(t, "luxe", "Hi from Luxe")
	if got := api.texts(phone); len(got) != 2 || !strings.HasPrefix(got[0], defaultNumber+": ") || !strings.HasPrefix(got[1], luxeNumber+": ") {
		t.Fatalf("each venue texts from its number: %q", got)
	}
	// An ordinary text to the default number: bella texted the client from it, glam did not.
	if code := e.inbound("SM1", phone, defaultNumber, "Running 5 min late"); code != 200 {
		t.Fatalf("inbound: %d", code)
	}
	if got := e.inboundOf(t, "bella"); len(got) != 1 || got[0] != "Running 5 min late" {
		t.Fatalf("bella's inbox: %q", got)
	}
	if n := len(e.inboundOf(t, "glam")) + len(e.inboundOf(t, "luxe")); n != 0 {
		t.Fatalf("the text reached venues that did not text the client from that number: glam %q luxe %q", e.inboundOf(t, "glam"), e.inboundOf(t, "luxe"))
	}
	// A STOP to luxe's number stops luxe only.
	e.inbound("SM2", phone, luxeNumber, "STOP")
	if !e.optedOut(t, "luxe") || e.optedOut(t, "bella") || e.optedOut(t, "glam") {
		t.Fatalf("STOP to luxe's number: luxe %v bella %v glam %v", e.optedOut(t, "luxe"), e.optedOut(t, "bella"), e.optedOut(t, "glam"))
	}
	// A STOP to the default number stops both venues sending from it, each confirming once.
	e.inbound("SM3", phone, defaultNumber, "stop")
	e.inbound("SM3", phone, defaultNumber, "stop") // replayed
	if !e.optedOut(t, "bella") || !e.optedOut(t, "glam") {
		t.Fatalf("STOP to the shared number: bella %v glam %v", e.optedOut(t, "bella"), e.optedOut(t, "glam"))
	}
	confirmations := 0
	for _, s := range api.texts(phone) {
		if strings.Contains(s, "unsubscribed") {
			confirmations++
		}
	}
	if confirmations != 3 {
		t.Fatalf("one confirmation per venue stopped: %d in %q", confirmations, api.texts(phone))
	}
	// A text to a number no venue sends from reaches nobody.
	e.inbound("SM4", phone, "+61400000555", "hello?")
	if n := len(e.inboundOf(t, "bella")) + len(e.inboundOf(t, "glam")) + len(e.inboundOf(t, "luxe")); n != 4 {
		t.Fatalf("an unknown number reached a venue: %d inbound in all", n)
	}
}

// A YES books only at the venue holding an open offer for that client; when two
// venues sharing the number both do, one short question asks which, and the named
// venue's offer is booked.
func TestYesGoesToTheVenueHoldingTheOffer(t *testing.T) {
	e, api := newTwilioEnv(t)
	const phone = "+61412345678"
	e.addAUVenue(t, "glam", "", phone) // shares the default number with bella
	e.text(t, "glam", "Hi from Glam")
	e.offer(t, "bella", 14)
	if code := e.inbound("SMy1", phone, defaultNumber, "Yes please!"); code != 200 {
		t.Fatalf("inbound: %d", code)
	}
	if e.bookings(t, "bella") != 1 || e.bookings(t, "glam") != 0 {
		t.Fatalf("bookings: bella %d glam %d", e.bookings(t, "bella"), e.bookings(t, "glam"))
	}
	if n := len(e.inboundOf(t, "glam")); n != 0 {
		t.Fatalf("the YES to bella's offer landed in glam's inbox: %q", e.inboundOf(t, "glam"))
	}
	// Both venues hold an offer: a YES asks which, once per YES, and books nothing.
	e.offer(t, "bella", 16)
	e.offer(t, "glam", 15)
	before := len(api.texts(phone))
	e.inbound("SMy2", phone, defaultNumber, "YES")
	got := api.texts(phone)[before:]
	if len(got) != 1 || !strings.Contains(got[0], "Bella and Glam") || !strings.Contains(got[0], "YES Glam") {
		t.Fatalf("one question naming both venues: %q", got)
	}
	if e.bookings(t, "bella") != 1 || e.bookings(t, "glam") != 0 {
		t.Fatalf("an ambiguous YES booked: bella %d glam %d", e.bookings(t, "bella"), e.bookings(t, "glam"))
	}
	e.inbound("SMy3", phone, defaultNumber, "yes glam :)")
	if e.bookings(t, "bella") != 1 || e.bookings(t, "glam") != 1 {
		t.Fatalf("YES Glam books glam's offer: bella %d glam %d", e.bookings(t, "bella"), e.bookings(t, "glam"))
	}
	if last := api.texts(phone)[len(api.texts(phone))-1]; !strings.HasPrefix(last, defaultNumber+": You're booked") || !strings.Contains(last, "Glam") {
		t.Fatalf("glam confirms: %q", last)
	}
}

// Tolerant YES, and one short clarifying answer to an unclear reply instead of silence.
func TestUnclearReplyToAnOfferGetsOneQuestion(t *testing.T) {
	e, api := newTwilioEnv(t)
	const phone = "+61412345678"
	e.offer(t, "bella", 14)
	sent := func() []string { return api.texts(phone)[1:] } // after the offer itself
	e.inbound("SMq1", phone, defaultNumber, "maybe, what time?")
	if got := sent(); len(got) != 1 || !strings.Contains(got[0], "Reply YES to book Cut with bella staff") || !strings.Contains(got[0], "14:00") {
		t.Fatalf("one clarifying answer: %q", got)
	}
	e.inbound("SMq2", phone, defaultNumber, "hmm not sure")
	if got := sent(); len(got) != 1 {
		t.Fatalf("a second unclear reply gets no second question: %q", got)
	}
	if got := e.inboundOf(t, "bella"); len(got) != 2 || e.bookings(t, "bella") != 0 {
		t.Fatalf("unclear replies land in the inbox and book nothing: %q, %d bookings", got, e.bookings(t, "bella"))
	}
	// Opted out since the offer: an unclear reply gets no question.
	e.offer(t, "bella", 17)
	e.st.SetSMSOptOut(t.Context(), e.venues["bella"].ID, e.ids["bella.client"], true)
	before := len(sent())
	e.inbound("SMq4", phone, defaultNumber, "what's this?")
	if got := sent(); len(got) != before {
		t.Fatalf("a question to an opted-out client: %q", got[before:])
	}
	e.st.SetSMSOptOut(t.Context(), e.venues["bella"].ID, e.ids["bella.client"], false)
	e.inbound("SMq3", phone, defaultNumber, "Yep :)")
	if e.bookings(t, "bella") != 1 {
		t.Fatal("'Yep :)' accepts the offer")
	}
	if got := sent(); len(got) != 3 || !strings.HasPrefix(got[2], defaultNumber+": You're booked") || !strings.Contains(got[2], "17:00") {
		t.Fatalf("the confirmation of the latest offer: %q", got)
	}
}

// The sending number is set in Settings, validated next to the field, and used.
func TestVenueSendingNumberSetting(t *testing.T) {
	e, api := newTwilioEnv(t)
	owner := e.login("owner", "bella")
	d := doc(t, owner.get("/app/bella/settings"))
	if !strings.Contains(d.Find(`[data-testid="sms-number"]`).Text(), defaultNumber) {
		t.Fatalf("the default number is shown: %q", d.Find(`[data-testid="sms-number"]`).Text())
	}
	for _, bad := range []string{"12345", "not a number", "+61 4"} {
		res := owner.post("/app/bella/settings/sms-number", url.Values{"sms_from": {bad}})
		d := doc(t, res)
		if res.StatusCode != http.StatusUnprocessableEntity || d.Find(`[data-testid="error-sms_from"]`).Length() != 1 {
			t.Errorf("%q: %d, want 422 with the error next to the field", bad, res.StatusCode)
		}
	}
	// The number decides where replies and STOPs land: only the Owner sets it.
	for _, role := range []string{"staff", "manager"} {
		res := e.login(role, "bella").post("/app/bella/settings/sms-number", url.Values{"sms_from": {"+61400000999"}})
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("%s set the number: %d", role, res.StatusCode)
		}
	}
	if v, _ := e.st.Venue(t.Context(), e.venues["bella"].ID); v.SMSFrom != "" {
		t.Fatalf("a refused request changed the number: %q", v.SMSFrom)
	}
	res := e.login("owner", "bella").post("/app/bella/settings/sms-number", url.Values{"sms_from": {"+61 400 000 999"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner sets the number: %d", res.StatusCode)
	}
	if v, _ := e.st.Venue(t.Context(), e.venues["bella"].ID); v.SMSFrom != "+61400000999" {
		t.Fatalf("stored in E.164: %q", v.SMSFrom)
	}
	e.text(t, "bella", "Hi")
	if got := api.texts("+61412345678"); len(got) != 1 || !strings.HasPrefix(got[0], "+61400000999: ") {
		t.Fatalf("sent from the venue's number: %q", got)
	}
	// An email-only venue has no sending number.
	res = e.login("owner", "kiwi").post("/app/kiwi/settings/sms-number", url.Values{"sms_from": {"+61400000999"}})
	res.Body.Close()
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("kiwi: %d", res.StatusCode)
	}
	// Back to the default.
	res = owner.post("/app/bella/settings/sms-number", url.Values{"sms_from": {""}})
	res.Body.Close()
	if v, _ := e.st.Venue(t.Context(), e.venues["bella"].ID); res.StatusCode != http.StatusSeeOther || v.SMSFrom != "" {
		t.Fatalf("cleared: %d %q", res.StatusCode, v.SMSFrom)
	}
}
