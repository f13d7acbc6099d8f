package messaging

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"time"

	"github.com/twilio/twilio-go"
	tclient "github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"
)

// Twilio sends SMS through Twilio's REST API.
type Twilio struct {
	rest           *twilio.RestClient
	from           string
	statusCallback string
}

// TwilioConfig configures the Twilio sender. HTTPClient may redirect requests to a test
// server (twilio-go has no base-URL setting); its Timeout bounds every call, because
// twilio-go calls take no context.
type TwilioConfig struct {
	AccountSID, AuthToken, From string
	StatusCallbackURL           string
	HTTPClient                  *http.Client
}

// NewTwilio builds the Twilio sender.
func NewTwilio(cfg TwilioConfig) *Twilio {
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 15 * time.Second}
	}
	c := &tclient.Client{Credentials: tclient.NewCredentials(cfg.AccountSID, cfg.AuthToken), HTTPClient: hc}
	c.SetAccountSid(cfg.AccountSID)
	rest := twilio.NewRestClientWithParams(twilio.ClientParams{Client: c})
	return &Twilio{rest: rest, from: cfg.From, statusCallback: cfg.StatusCallbackURL}
}

// Name is "twilio".
func (t *Twilio) Name() string { return "twilio" }

// Send creates the message at Twilio. Message creation is not idempotent, so the
// dispatcher never retries a send whose outcome is unknown.
func (t *Twilio) Send(_ context.Context, e Envelope) (Receipt, error) {
	from := t.from
	if e.From != "" { // the venue's own number (several venues may share one)
		from = e.From
	}
	p := &openapi.CreateMessageParams{}
	p.SetTo(e.To)
	p.SetFrom(from)
	p.SetBody(e.Body)
	if t.statusCallback != "" {
		p.SetStatusCallback(t.statusCallback)
	}
	resp, err := t.rest.Api.CreateMessage(p)
	if err != nil {
		var rest *tclient.TwilioRestError
		if errors.As(err, &rest) && rest.Status == 429 {
			// Too many requests: Twilio created nothing, so it is safe to hand over again.
			return Receipt{}, &ErrRetryLater{After: time.Second, Cause: err}
		}
		return Receipt{}, fmt.Errorf("twilio: create message: %w", err)
	}
	r := Receipt{Provider: "twilio", From: from}
	if resp.Sid != nil {
		r.ProviderID = *resp.Sid
	}
	r.Status = "sent"
	return r, nil
}

// TwilioValidator checks X-Twilio-Signature on webhooks against the exact public URL
// from configuration (never the request's Host, which a proxy or attacker controls).
type TwilioValidator struct {
	v tclient.RequestValidator
}

// NewTwilioValidator builds a validator for the auth token.
func NewTwilioValidator(authToken string) *TwilioValidator {
	return &TwilioValidator{v: tclient.NewRequestValidator(authToken)}
}

// Valid reports whether signature signs publicURL with the posted form values.
func (tv *TwilioValidator) Valid(publicURL string, form url.Values, signature string) bool {
	if signature == "" {
		return false
	}
	params := make(map[string]string, len(form))
	for k, vs := range form {
		if len(vs) > 0 {
			params[k] = vs[0]
		}
	}
	return tv.v.Validate(publicURL, params, signature)
}

// SignTwilio computes the signature Twilio would send, for tests and the outbox's
// "simulate a reply": base64(HMAC-SHA1(token, url + sorted key+value pairs)).
func SignTwilio(authToken, publicURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := publicURL
	for _, k := range keys {
		s += k + form.Get(k)
	}
	return hmacSHA1Base64(authToken, s)
}
