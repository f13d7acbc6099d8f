package messaging_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"concierge/messaging"
)

// rewrite sends every request to the test server, as twilio-go has no base-URL setting.
type rewrite struct{ target *url.URL }

func (r rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host = r.target.Scheme, r.target.Host
	return http.DefaultTransport.RoundTrip(req)
}

func TestTwilioSendsThroughTheAPI(t *testing.T) {
	var got url.Values
	var path, user string
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		got, path = r.PostForm, r.URL.Path
		user, _, _ = r.BasicAuth()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		io.WriteString(w, `{"sid":"SM123","status":"queued"}`)
	}))
	defer fake.Close()
	u, _ := url.Parse(fake.URL)
	tw := messaging.NewTwilio(messaging.TwilioConfig{AccountSID: "ACtest123", AuthToken: "secret", From: "+61400000000",
		StatusCallbackURL: "https://x.example.com/webhooks/twilio/status", HTTPClient: &http.Client{Transport: rewrite{u}, Timeout: 5 * time.Second}})
	r, err := tw.Send(context.Background(), messaging.Envelope{MessageID: 1, Channel: messaging.SMS, To: "+61412345678", Body: "Hello"})
	if err != nil {
		t.Fatal(err)
	}
	if r.ProviderID != "SM123" || got.Get("To") != "+61412345678" || got.Get("From") != "+61400000000" || got.Get("Body") != "Hello" ||
		got.Get("StatusCallback") == "" || !strings.Contains(path, "ACtest123/Messages.json") || user != "ACtest123" {
		t.Fatalf("unexpected request: %s %v user=%s receipt=%+v", path, got, user, r)
	}
}

func TestTwilioErrorIsReturned(t *testing.T) {
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		io.WriteString(w, `{"code":21211,"message":"The 'To' number is not a valid phone number.","status":400}`)
	}))
	defer fake.Close()
	u, _ := url.Parse(fake.URL)
	tw := messaging.NewTwilio(messaging.TwilioConfig{AccountSID: "ACtest123", AuthToken: "secret", From: "+61400000000",
		HTTPClient: &http.Client{Transport: rewrite{u}, Timeout: 5 * time.Second}})
	if _, err := tw.Send(context.Background(), messaging.Envelope{To: "+61412345678", Body: "Hello"}); err == nil || !strings.Contains(err.Error(), "21211") {
		t.Fatalf("want the Twilio error, got %v", err)
	}
}

func TestResendSendsWithIdempotencyKey(t *testing.T) {
	var calls atomic.Int32
	var key string
	var body map[string]any
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		key = r.Header.Get("Idempotency-Key")
		json.NewDecoder(r.Body).Decode(&body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"email-1"}`)
	}))
	defer fake.Close()
	rs, err := messaging.NewResend(messaging.ResendConfig{APIKey: "re_test", From: "Kiwi Cuts <hi@kiwi.example>", BaseURL: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	r, err := rs.Send(context.Background(), messaging.Envelope{MessageID: 77, Channel: messaging.Email, To: "a@example.com", Subject: "Hi", Body: "Hello <there>"})
	if err != nil {
		t.Fatal(err)
	}
	if r.ProviderID != "email-1" || key != "concierge-message-77" || body["subject"] != "Hi" || !strings.Contains(body["html"].(string), "&lt;there&gt;") {
		t.Fatalf("unexpected: receipt %+v key %q body %v", r, key, body)
	}
}

func TestSignatureRoundTrip(t *testing.T) {
	form := url.Values{"Body": {"STOP"}, "From": {"+61412345678"}, "MessageSid": {"SM1"}}
	sig := messaging.SignTwilio("token", "https://a.example.com/webhooks/twilio/sms", form)
	v := messaging.NewTwilioValidator("token")
	if !v.Valid("https://a.example.com/webhooks/twilio/sms", form, sig) {
		t.Fatal("our signature must validate with twilio-go's validator")
	}
	form.Set("Body", "START")
	if v.Valid("https://a.example.com/webhooks/twilio/sms", form, sig) {
		t.Fatal("a changed body must not validate")
	}
}

func TestTwilio429BecomesRetryLater(t *testing.T) {
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(429)
		io.WriteString(w, `{"code":20429,"message":"Too Many Requests","status":429}`)
	}))
	defer fake.Close()
	u, _ := url.Parse(fake.URL)
	tw := messaging.NewTwilio(messaging.TwilioConfig{AccountSID: "ACtest123", AuthToken: "secret", From: "+61400000000",
		HTTPClient: &http.Client{Transport: rewrite{u}, Timeout: 5 * time.Second}})
	_, err := tw.Send(context.Background(), messaging.Envelope{To: "+61412345678", Body: "Hello"})
	var later *messaging.ErrRetryLater
	if !errors.As(err, &later) {
		t.Fatalf("a Twilio 429 is safe to retry later, got %v", err)
	}
}
