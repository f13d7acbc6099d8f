package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"concierge/salon"
)

// BatchSend is one batch action's sending, for the Engage feed.
type BatchSend struct {
	ActionID   int64
	Kind       salon.ActionID
	Title      string
	Body       string // the message that went out, before merge fields were filled
	By         string
	Channel    salon.Channel
	At         time.Time
	Recipients int
	Delivered  int
	Sent       int
	Failed     int
	Unknown    int
	Pending    int // queued or sending
	CostE4     int64
}

var batchKinds = func() string {
	var ids []string
	for _, a := range salon.Catalogue {
		if a.Batch {
			ids = append(ids, "'"+string(a.ID)+"'")
		}
	}
	return strings.Join(ids, ",")
}()

const batchSendCols = `a.id, a.kind, a.title, a.body, u.name, max(m.channel), min(m.created_at), count(m.id),
	coalesce(sum(m.status = 'delivered'), 0), coalesce(sum(m.status = 'sent'), 0), coalesce(sum(m.status = 'failed'), 0),
	coalesce(sum(m.status = 'unknown'), 0), coalesce(sum(m.status IN ('queued', 'sending')), 0), coalesce(sum(m.cost_e4), 0)`

func scanBatchSend(row interface{ Scan(...any) error }) (BatchSend, error) {
	var b BatchSend
	var kind, channel string
	var at int64
	err := row.Scan(&b.ActionID, &kind, &b.Title, &b.Body, &b.By, &channel, &at, &b.Recipients, &b.Delivered, &b.Sent, &b.Failed, &b.Unknown, &b.Pending, &b.CostE4)
	b.Kind, b.Channel, b.At = salon.ActionID(kind), salon.Channel(channel), time.Unix(at, 0).UTC()
	return b, err
}

// BatchSends lists the venue's batch sends, newest first.
func (s *Store) BatchSends(ctx context.Context, venueID int64, limit int) ([]BatchSend, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+batchSendCols+` FROM actions a JOIN users u ON u.id = a.created_by
		JOIN messages m ON m.action_id = a.id WHERE a.venue_id = ? AND a.kind IN (`+batchKinds+`)
		GROUP BY a.id ORDER BY a.id DESC LIMIT ?`, venueID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: batch sends: %w", err)
	}
	return collect(rows, scanBatchSend)
}

// BatchSend loads one batch send's totals.
func (s *Store) BatchSend(ctx context.Context, venueID, actionID int64) (BatchSend, error) {
	b, err := scanBatchSend(s.db.QueryRowContext(ctx, `SELECT `+batchSendCols+` FROM actions a JOIN users u ON u.id = a.created_by
		JOIN messages m ON m.action_id = a.id WHERE a.venue_id = ? AND a.id = ? GROUP BY a.id`, venueID, actionID))
	return b, mapErr(err, "batch send")
}

// SendOutcome is what followed a batch send: the recipients who replied, and the
// bookings they made, within salon.OutcomeWindow of their message.
type SendOutcome struct {
	Replied      int   // recipients who texted back
	Booked       int   // recipients who booked (not cancelled)
	Bookings     int   // those bookings
	RevenueMinor int64 // the price of those bookings
}

// BatchOutcome counts the replies and bookings that followed one batch send: a reply is
// an inbound message from a recipient after their message was handed over, a booking one
// they made then (not cancelled), each within the window.
func (s *Store) BatchOutcome(ctx context.Context, venueID, actionID int64, window time.Duration) (SendOutcome, error) {
	var o SendOutcome
	err := s.db.QueryRowContext(ctx, `WITH sent AS (SELECT client_id, min(created_at) AS at FROM messages
			WHERE venue_id = ?1 AND action_id = ?2 AND direction = 'out' AND status IN ('sent', 'delivered') AND client_id IS NOT NULL
			GROUP BY client_id),
		replied AS (SELECT DISTINCT m.client_id FROM messages m JOIN sent ON sent.client_id = m.client_id
			WHERE m.venue_id = ?1 AND m.direction = 'in' AND m.created_at >= sent.at AND m.created_at < sent.at + ?3),
		won AS (SELECT DISTINCT b.id, b.client_id, b.price_minor FROM bookings b JOIN sent ON sent.client_id = b.client_id
			WHERE b.venue_id = ?1 AND b.status <> 'cancelled' AND b.created_at >= sent.at AND b.created_at < sent.at + ?3)
		SELECT (SELECT count(*) FROM replied), (SELECT count(DISTINCT client_id) FROM won), (SELECT count(*) FROM won),
			(SELECT coalesce(sum(price_minor), 0) FROM won)`, venueID, actionID, int64(window/time.Second)).
		Scan(&o.Replied, &o.Booked, &o.Bookings, &o.RevenueMinor)
	return o, mapErr(err, "batch outcome")
}

// ActionMessages lists the messages an action sent, one per recipient, a page at a
// time (limit and offset), ordered by client name.
func (s *Store) ActionMessages(ctx context.Context, venueID, actionID int64, limit, offset int) ([]salon.Message, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+messageCols+messageFrom+` WHERE m.venue_id = ? AND m.action_id = ?
		ORDER BY c.last_name, c.first_name, m.id LIMIT ? OFFSET ?`, venueID, actionID, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("store: action messages: %w", err)
	}
	return collectMessages(rows)
}

// StalledExecutions lists actions still executing (being sent) that have not changed
// since before a time: a send interrupted by a crash or restart.
func (s *Store) StalledExecutions(ctx context.Context, before time.Time) ([]salon.ConciergeAction, error) {
	return s.listActions(ctx, `WHERE a.status = 'executing' AND a.updated_at < ? ORDER BY a.id`, before.Unix())
}

// ActionMessageCounts counts an action's messages by outcome.
func (s *Store) ActionMessageCounts(ctx context.Context, venueID, actionID int64) (sent, failed, unknown, queued int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT coalesce(sum(status IN ('sent', 'delivered')), 0), coalesce(sum(status = 'failed'), 0),
		coalesce(sum(status IN ('unknown', 'sending')), 0), coalesce(sum(status = 'queued'), 0)
		FROM messages WHERE venue_id = ? AND action_id = ?`, venueID, actionID).Scan(&sent, &failed, &unknown, &queued)
	return sent, failed, unknown, queued, mapErr(err, "action message counts")
}
