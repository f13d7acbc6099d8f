// Package messaging is the providers and nothing else: the outbox (default: recorded
// and shown in the app, nothing leaves the machine), Twilio for SMS and Resend for
// email, their rate limits and Twilio's webhook signatures. It knows nothing of the
// database or the salon: the send pipeline (app/sending.go) hands it envelopes.
package messaging

import "context"

// Channel is how a message travels.
type Channel string

// The channels.
const (
	SMS   Channel = "sms"
	Email Channel = "email"
)

// The statuses a provider reports for a hand-over.
const (
	StatusSent      = "sent"
	StatusDelivered = "delivered" // the outbox: recorded, so delivered at once
)

// Envelope is what a provider needs to deliver one message.
type Envelope struct {
	MessageID int64 // our id: the idempotency key where the provider supports one
	Channel   Channel
	From      string // the venue's SMS sending number; "" sends from the provider's default
	To        string
	Subject   string
	Body      string
}

// Receipt is a provider's answer to a hand-over.
type Receipt struct {
	Provider   string // "outbox", "twilio", "resend"
	ProviderID string // the provider's message id, for status callbacks
	Status     string // StatusSent, or StatusDelivered from the outbox
	From       string
}

// Sender delivers messages of one channel.
type Sender interface {
	Send(ctx context.Context, e Envelope) (Receipt, error)
	Name() string
}

// Senders picks the sender per channel.
type Senders struct {
	SMS   Sender
	Email Sender
}

// For returns the sender of a channel.
func (s Senders) For(ch Channel) Sender {
	if ch == Email {
		return s.Email
	}
	return s.SMS
}
