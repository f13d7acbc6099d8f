package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"concierge/messaging"
	"concierge/salon"
	"concierge/store"
)

// The send pipeline: one message runs queue → claim → provider → result, so it is sent
// at most once and the wallet pays only for SMS actually sent. Single messages go
// through SendToClient; batches queue per recipient and deliver through the same
// Deliver.

// Dispatcher sends queued messages through the senders, recording the outcome.
type Dispatcher struct {
	Store   *store.Store
	Senders messaging.Senders
	Log     *slog.Logger
}

// ErrNoContact is returned when a client has no address for the channel.
var ErrNoContact = salon.Conflict("This client has no contact details for that channel.")

// Deliver claims a queued message and hands it to the channel's provider. A message
// already claimed by someone else is left alone (nil error, returns the stored row).
// A provider error marks the message failed and refunds its cost.
func (d *Dispatcher) Deliver(ctx context.Context, venueID, messageID int64) (salon.Message, error) {
	return d.deliver(ctx, venueID, messageID, "")
}

// DeliverCode is Deliver for a one-time code: the stored body holds salon.CodeMask and
// only the provider gets the real code. When the provider is the outbox (nothing is
// really sent) the code is kept aside as the demo aid Owners see in Messages.
func (d *Dispatcher) DeliverCode(ctx context.Context, venueID, messageID int64, code string) (salon.Message, error) {
	return d.deliver(ctx, venueID, messageID, code)
}

func (d *Dispatcher) deliver(ctx context.Context, venueID, messageID int64, code string) (salon.Message, error) {
	m, claimed, err := d.Store.ClaimMessage(ctx, venueID, messageID)
	if err != nil && !errors.Is(err, store.ErrWalletShort) {
		return salon.Message{}, err
	}
	if !claimed {
		m, merr := d.Store.Message(ctx, venueID, messageID)
		if merr != nil {
			return m, merr
		}
		return m, err
	}
	sender := d.Senders.For(messaging.Channel(m.Channel))
	env := messaging.Envelope{MessageID: m.ID, Channel: messaging.Channel(m.Channel), To: m.To, Subject: m.Subject, Body: m.Body}
	if code != "" {
		env.Body = salon.RevealCode(env.Body, code)
	}
	if m.Channel == salon.SMS {
		env.From = m.From // the venue's own number, when it has one
	}
	rcpt, serr := sender.Send(ctx, env)
	if serr != nil {
		d.logger().Warn("message send failed", "message_id", m.ID, "provider", sender.Name(), "err", serr)
		if err := d.Store.MarkFailed(ctx, venueID, m.ID, serr.Error()); err != nil {
			return m, err
		}
		if fresh, err := d.Store.Message(ctx, venueID, m.ID); err == nil {
			m = fresh // the failed row, as stored; if it cannot be read the claimed copy will do
		}
		return m, fmt.Errorf("messaging: %s: %w", sender.Name(), serr)
	}
	if rcpt.Status == "" {
		rcpt.Status = messaging.StatusSent
	}
	if err := d.Store.MarkSent(ctx, venueID, m.ID, rcpt.Provider, rcpt.ProviderID, salon.MessageStatus(rcpt.Status), rcpt.From); err != nil {
		return m, err
	}
	if code != "" && sender.Name() == (messaging.Outbox{}).Name() {
		if err := d.Store.SaveOutboxCode(ctx, venueID, m.ID, code); err != nil {
			return m, err
		}
	}
	// MarkSent changed exactly these: no need to read the row again.
	m.Status, m.ProviderID, m.From = salon.MessageStatus(rcpt.Status), rcpt.ProviderID, rcpt.From
	return m, nil
}

// SendToClient queues and delivers one message to a client on a channel, using the
// client's phone or email. It is for single messages (replies, confirmations); batch
// sends queue per recipient and deliver through the same Deliver. Nothing is queued for
// a client the reachability rule says cannot get this message on this channel (the
// error says why: "Sofia has muted SMS."), nor a message that fails the outbound checks
// (no text, an email without a subject, a merge field or link left empty).
func (d *Dispatcher) SendToClient(ctx context.Context, venueID int64, c salon.Client, ch salon.Channel, purpose salon.Purpose, subject, body string) (salon.Message, error) {
	return d.SendSecretToClient(ctx, venueID, c, ch, purpose, subject, body, "")
}

// SendSecretToClient is SendToClient for a body that carries a secret (a resume
// link's signature): the stored message, which staff can read, has it masked, and only
// the provider gets the real text.
func (d *Dispatcher) SendSecretToClient(ctx context.Context, venueID int64, c salon.Client, ch salon.Channel, purpose salon.Purpose, subject, body, secret string) (salon.Message, error) {
	if secret == "" || !strings.Contains(body, secret) {
		secret = ""
	}
	v, err := d.Store.Venue(ctx, venueID)
	if err != nil {
		return salon.Message{}, err
	}
	switch why := v.Reach(c, ch, purpose); why {
	case salon.Reachable:
	case salon.UnreachableNoAddr:
		return salon.Message{}, ErrNoContact
	default:
		return salon.Message{}, salon.Conflict(salon.WhyUnreachable(c.FirstName, []salon.ChannelReason{{Channel: ch, Why: why}}) + ".")
	}
	if errs := salon.CheckOutbound(ch, subject, body); errs != nil {
		return salon.Message{}, salon.Invalid(errs)
	}
	to := c.Phone
	if ch == salon.Email {
		to = c.Email
	}
	m, _, err := d.Store.QueueOutbound(ctx, venueID, store.NewOutbound{ClientID: c.ID, Channel: ch, Purpose: purpose, To: to, Subject: subject,
		Body: strings.Replace(body, secret, salon.MaskSecret(secret), 1)})
	if err != nil {
		return m, err
	}
	return d.deliver(ctx, venueID, m.ID, secret)
}

func (d *Dispatcher) logger() *slog.Logger {
	if d.Log != nil {
		return d.Log
	}
	return slog.Default()
}
