package messaging

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"strings"
	"time"

	"github.com/resend/resend-go/v2"
)

// Resend sends email through Resend.
type Resend struct {
	client *resend.Client
	from   string
}

// ResendConfig configures the Resend sender; BaseURL (with trailing slash) points it at
// a test server.
type ResendConfig struct {
	APIKey, From, BaseURL string
	HTTPClient            *http.Client
}

// NewResend builds the Resend sender.
func NewResend(cfg ResendConfig) (*Resend, error) {
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 15 * time.Second}
	}
	c := resend.NewCustomClient(hc, cfg.APIKey)
	if cfg.BaseURL != "" {
		u, err := parseBaseURL(cfg.BaseURL)
		if err != nil {
			return nil, err
		}
		c.BaseURL = u
	}
	return &Resend{client: c, from: cfg.From}, nil
}

// Name is "resend".
func (r *Resend) Name() string { return "resend" }

// Send sends one email. Our message id is the idempotency key: Resend keeps keys for 24
// hours, which makes an email retry safe.
func (r *Resend) Send(ctx context.Context, e Envelope) (Receipt, error) {
	subject := e.Subject
	if subject == "" {
		subject = firstLine(e.Body)
	}
	req := &resend.SendEmailRequest{
		From:    r.from,
		To:      []string{e.To},
		Subject: subject,
		Text:    e.Body,
		Html:    "<p>" + strings.ReplaceAll(html.EscapeString(e.Body), "\n", "<br>") + "</p>",
	}
	resp, err := r.client.Emails.SendWithOptions(ctx, req, &resend.SendEmailOptions{IdempotencyKey: fmt.Sprintf("concierge-message-%d", e.MessageID)})
	if err != nil {
		var limited *resend.RateLimitError
		if errors.As(err, &limited) {
			return Receipt{}, &ErrRetryLater{After: retryAfter(limited.RetryAfter), Cause: err}
		}
		return Receipt{}, fmt.Errorf("resend: send: %w", err)
	}
	return Receipt{Provider: "resend", ProviderID: resp.Id, Status: "sent", From: r.from}, nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 60 {
		s = s[:60]
	}
	return s
}
