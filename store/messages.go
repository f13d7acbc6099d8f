package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"concierge/salon"
)

const messageCols = `m.id, m.venue_id, coalesce(m.client_id, 0), coalesce(c.first_name || ' ' || c.last_name, ''), m.channel, m.direction,
	m.purpose, m.to_addr, m.from_addr, m.subject, m.body, m.segments, m.cost_e4, coalesce(m.provider_id, ''), m.status, m.error,
	coalesce(m.action_id, 0), coalesce(m.wave_id, 0), m.created_at, m.updated_at`

const messageFrom = ` FROM messages m LEFT JOIN clients c ON c.id = m.client_id `

func scanMessage(row interface{ Scan(...any) error }) (salon.Message, error) {
	var m salon.Message
	var ch, dir, purpose, status string
	var created, updated int64
	err := row.Scan(&m.ID, &m.VenueID, &m.ClientID, &m.ClientName, &ch, &dir, &purpose, &m.To, &m.From, &m.Subject, &m.Body,
		&m.Segments, &m.CostE4, &m.ProviderID, &status, &m.Error, &m.ActionID, &m.WaveID, &created, &updated)
	m.Channel, m.Direction, m.Purpose, m.Status = salon.Channel(ch), salon.Direction(dir), salon.Purpose(purpose), salon.MessageStatus(status)
	m.CreatedAt, m.UpdatedAt = time.Unix(created, 0).UTC(), time.Unix(updated, 0).UTC()
	return m, err
}

// NewOutbound is a message to queue for sending.
type NewOutbound struct {
	ClientID int64
	Channel  salon.Channel
	Purpose  salon.Purpose
	To       string
	Subject  string
	Body     string
	ActionID int64
	WaveID   int64
}

// QueueOutbound records an outbound message as queued, with its segments and cost
// worked out from the venue's price. With an action id, (action, client) is unique: a
// second queue for the same pair returns the existing row and created=false.
func (s *Store) QueueOutbound(ctx context.Context, venueID int64, n NewOutbound) (msg salon.Message, created bool, err error) {
	v, err := s.Venue(ctx, venueID)
	if err != nil {
		return msg, false, err
	}
	if n.Channel == salon.SMS && !v.Country.SendsSMS() {
		return msg, false, salon.Conflict(v.Name + " is email-only: SMS is never sent from an NZ venue.")
	}
	segments, cost := salon.MessageCost(v, n.Channel, n.Body)
	var client, action, wave any
	if n.ClientID != 0 {
		client = n.ClientID
	}
	if n.ActionID != 0 {
		action = n.ActionID
	}
	if n.WaveID != 0 {
		wave = n.WaveID
	}
	now := s.now().Unix()
	var id int64
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		if n.ActionID != 0 {
			err := tx.QueryRowContext(ctx, `SELECT id FROM messages WHERE action_id = ? AND client_id IS ? AND channel = ?`, n.ActionID, client, n.Channel).Scan(&id)
			if err == nil {
				return nil
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("store: find action message: %w", err)
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO messages (venue_id, client_id, channel, direction, purpose, marketing, to_addr,
			subject, body, segments, cost_e4, status, action_id, wave_id, created_at, updated_at)
			VALUES (?, ?, ?, 'out', ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)`,
			venueID, client, n.Channel, n.Purpose, b2i(n.Purpose.IsMarketing()), n.To, n.Subject, n.Body, segments, cost,
			action, wave, now, now)
		if err != nil {
			return mapErr(err, "message")
		}
		id, _ = res.LastInsertId()
		created = true
		return stampContact(ctx, tx, venueID, n.ClientID, n.Purpose, now)
	})
	if err != nil {
		return msg, false, err
	}
	msg, err = s.Message(ctx, venueID, id)
	return msg, created, err
}

// stampContact records on the client that a message to them was queued (the
// recently-messaged and cooldown filters read these stamps).
func stampContact(ctx context.Context, tx *sql.Tx, venueID, clientID int64, p salon.Purpose, now int64) error {
	if clientID == 0 {
		return nil
	}
	q := `UPDATE clients SET last_outbound_at = max(coalesce(last_outbound_at, 0), ?1),
		last_messaged_at = max(coalesce(last_messaged_at, 0), ?1) WHERE venue_id = ?2 AND id = ?3`
	if p.IsMarketing() {
		q = `UPDATE clients SET last_outbound_at = max(coalesce(last_outbound_at, 0), ?1),
			last_messaged_at = max(coalesce(last_messaged_at, 0), ?1),
			last_marketing_at = max(coalesce(last_marketing_at, 0), ?1) WHERE venue_id = ?2 AND id = ?3`
	}
	if _, err := tx.ExecContext(ctx, q, now, venueID, clientID); err != nil {
		return fmt.Errorf("store: stamp contact: %w", err)
	}
	return nil
}

// Message loads one message.
func (s *Store) Message(ctx context.Context, venueID, id int64) (salon.Message, error) {
	m, err := scanMessage(s.db.QueryRowContext(ctx, `SELECT `+messageCols+messageFrom+` WHERE m.venue_id = ? AND m.id = ?`, venueID, id))
	return m, mapErr(err, "message")
}

// ErrWalletShort is returned when an SMS costs more than the wallet holds.
var ErrWalletShort = salon.Conflict("Wallet balance is short, top up before sending.")

// ClaimForSending moves a queued message to sending and debits its cost from the
// wallet, in one transaction. Only one caller can claim a message; the wallet never
// goes below zero (ErrWalletShort, and the message is marked failed). claimed=false
// means someone else has it already.
func (s *Store) ClaimForSending(ctx context.Context, venueID, id int64) (claimed bool, err error) {
	_, claimed, err = s.ClaimMessage(ctx, venueID, id)
	return claimed, err
}

const (
	claimMessageSQL = `UPDATE messages SET status = 'sending', updated_at = ?
		WHERE venue_id = ? AND id = ? AND status = 'queued'
		RETURNING id, venue_id, coalesce(client_id, 0), channel, purpose, to_addr, subject, body, segments, cost_e4,
			coalesce(action_id, 0), coalesce(wave_id, 0), created_at, (SELECT sms_from FROM venues WHERE venues.id = messages.venue_id)`
	debitWalletSQL = `UPDATE venues SET wallet_e4 = wallet_e4 - ? WHERE id = ? AND wallet_e4 >= ?`
	debitLedgerSQL = `INSERT INTO wallet_ledger (venue_id, amount_e4, kind, message_id, created_at) VALUES (?, ?, 'sms', ?, ?)`
	markSentSQL    = `UPDATE messages SET status = ?, provider = ?, provider_id = ?, from_addr = ?, updated_at = ?
		WHERE venue_id = ? AND id = ? AND status = 'sending'`
)

// ClaimMessage is ClaimForSending that also returns the claimed row (without the
// client's name), so the sender needs no second read; its From is the venue's own
// SMS sending number ("" for the default), the number the text must go out from. It
// runs on every message of a batch, so its statements are prepared once.
func (s *Store) ClaimMessage(ctx context.Context, venueID, id int64) (m salon.Message, claimed bool, err error) {
	now := s.now().Unix()
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		claim, err := s.prepared(ctx, tx, claimMessageSQL)
		if err != nil {
			return err
		}
		var ch, purpose string
		var created int64
		err = claim.QueryRowContext(ctx, now, venueID, id).Scan(&m.ID, &m.VenueID, &m.ClientID, &ch, &purpose, &m.To, &m.Subject,
			&m.Body, &m.Segments, &m.CostE4, &m.ActionID, &m.WaveID, &created, &m.From)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: claim message %d: %w", id, err)
		}
		m.Channel, m.Purpose, m.Direction, m.Status = salon.Channel(ch), salon.Purpose(purpose), salon.Outbound, salon.StatusSending
		m.CreatedAt, m.UpdatedAt = time.Unix(created, 0).UTC(), time.Unix(now, 0).UTC()
		claimed = true
		if m.CostE4 == 0 {
			return nil
		}
		debit, err := s.prepared(ctx, tx, debitWalletSQL)
		if err != nil {
			return err
		}
		res, err := debit.ExecContext(ctx, m.CostE4, venueID, m.CostE4)
		if err != nil {
			return fmt.Errorf("store: debit wallet: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrWalletShort
		}
		ledger, err := s.prepared(ctx, tx, debitLedgerSQL)
		if err != nil {
			return err
		}
		_, err = ledger.ExecContext(ctx, venueID, -m.CostE4, id, now)
		return err
	})
	if err == ErrWalletShort {
		claimed = false
		if ferr := s.markFailed(ctx, venueID, id, "Wallet balance is short, top up before sending.", false); ferr != nil {
			return m, false, ferr
		}
	}
	return m, claimed, err
}

// MarkSent records the provider's id and status after a successful hand-over.
func (s *Store) MarkSent(ctx context.Context, venueID, id int64, provider, providerID string, status salon.MessageStatus, from string) error {
	var pid any
	if providerID != "" {
		pid = providerID
	}
	mark, err := s.prepared(ctx, nil, markSentSQL)
	if err != nil {
		return err
	}
	_, err = mark.ExecContext(ctx, status, provider, pid, from, s.now().Unix(), venueID, id)
	return mapErr(err, "mark sent")
}

// MarkFailed records a provider refusal and refunds the wallet: only SMS actually sent
// is paid for.
func (s *Store) MarkFailed(ctx context.Context, venueID, id int64, reason string) error {
	return s.markFailed(ctx, venueID, id, reason, true)
}

func (s *Store) markFailed(ctx context.Context, venueID, id int64, reason string, refund bool) error {
	now := s.now().Unix()
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var cost int64
		var client int64
		err := tx.QueryRowContext(ctx, `UPDATE messages SET status = 'failed', error = ?, updated_at = ?
			WHERE venue_id = ? AND id = ? AND status IN ('queued', 'sending') RETURNING cost_e4, coalesce(client_id, 0)`, reason, now, venueID, id).
			Scan(&cost, &client)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: mark failed: %w", err)
		}
		if err := restampMessaged(ctx, tx, venueID, client); err != nil {
			return err
		}
		if !refund || cost == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE venues SET wallet_e4 = wallet_e4 + ? WHERE id = ?`, cost, venueID); err != nil {
			return fmt.Errorf("store: refund: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO wallet_ledger (venue_id, amount_e4, kind, message_id, created_at) VALUES (?, ?, 'refund', ?, ?)`,
			venueID, cost, id, now)
		return err
	})
}

// MarkStuckUnknown turns messages left in 'sending' (by a crash mid-send) older than
// the cutoff into 'unknown': shown to people, never re-sent, because SMS creation is
// not idempotent.
func (s *Store) MarkStuckUnknown(ctx context.Context, olderThan time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE messages SET status = 'unknown', error = 'The app stopped while sending; check with the provider before resending.',
		updated_at = ? WHERE status = 'sending' AND updated_at < ?`, s.now().Unix(), olderThan.Unix())
	if err != nil {
		return 0, fmt.Errorf("store: mark unknown: %w", err)
	}
	return res.RowsAffected()
}

// ApplyProviderStatus applies a delivery callback. A status only moves forward (by
// salon.MessageStatus.Rank), so a replayed or late callback changes nothing; changed
// reports whether the row moved.
func (s *Store) ApplyProviderStatus(ctx context.Context, provider, providerID string, status salon.MessageStatus, errText string) (changed bool, err error) {
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		var venueID, client int64
		err := tx.QueryRowContext(ctx, `UPDATE messages SET status = ?, error = CASE WHEN ? <> '' THEN ? ELSE error END, updated_at = ?
			WHERE provider = ? AND provider_id = ? AND direction = 'out' AND
			(CASE status WHEN 'queued' THEN 0 WHEN 'sending' THEN 1 WHEN 'sent' THEN 2 WHEN 'unknown' THEN 2 ELSE 3 END) < ?
			RETURNING venue_id, coalesce(client_id, 0)`,
			status, errText, errText, s.now().Unix(), provider, providerID, status.Rank()).Scan(&venueID, &client)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: apply status: %w", err)
		}
		changed = true
		if status == salon.StatusFailed { // refused after all: it no longer counts as contact
			return restampMessaged(ctx, tx, venueID, client)
		}
		return nil
	})
	return changed, err
}

// restampMessaged works a client's "recently messaged" stamp out again from their
// messages after one failed: the latest outbound message that counts
// (salon.Message.CountsAsRecentlyMessaged: any outbound the provider did not refuse).
func restampMessaged(ctx context.Context, tx *sql.Tx, venueID, clientID int64) error {
	if clientID == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE clients SET last_messaged_at = (SELECT max(created_at) FROM messages m
		WHERE m.venue_id = ?1 AND m.client_id = ?2 AND m.direction = 'out' AND m.status <> 'failed')
		WHERE venue_id = ?1 AND id = ?2`, venueID, clientID)
	if err != nil {
		return fmt.Errorf("store: restamp messaged: %w", err)
	}
	return nil
}

// InboundMessage is a message received from a client.
type InboundMessage struct {
	ClientID   int64
	Channel    salon.Channel
	From, To   string
	Body       string
	Provider   string
	ProviderID string
}

// RecordInbound stores a received message and puts it in the client's conversation
// (unread). The provider id is unique, so a replayed webhook returns created=false and
// changes nothing.
func (s *Store) RecordInbound(ctx context.Context, venueID int64, in InboundMessage) (id int64, created bool, err error) {
	now := s.now().Unix()
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		var pid any
		if in.ProviderID != "" {
			pid = in.ProviderID
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO messages (venue_id, client_id, channel, direction, purpose, to_addr, from_addr, body,
			provider, provider_id, status, created_at, updated_at) VALUES (?, ?, ?, 'in', 'inbound', ?, ?, ?, ?, ?, 'received', ?, ?)
			ON CONFLICT DO NOTHING`, venueID, in.ClientID, in.Channel, in.To, in.From, in.Body, in.Provider, pid, now, now)
		if err != nil {
			return fmt.Errorf("store: record inbound: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		id, _ = res.LastInsertId()
		created = true
		_, err = tx.ExecContext(ctx, `INSERT INTO conversations (venue_id, client_id, status, last_message_at) VALUES (?, ?, 'unread', ?)
			ON CONFLICT (venue_id, client_id) DO UPDATE SET status = CASE WHEN status = 'escalated' THEN 'escalated' ELSE 'unread' END,
			last_message_at = excluded.last_message_at`, venueID, in.ClientID, now)
		return err
	})
	return id, created, err
}

// ClientMessages lists a client's thread, oldest first (the latest 200).
func (s *Store) ClientMessages(ctx context.Context, venueID, clientID int64) ([]salon.Message, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT * FROM (SELECT `+messageCols+messageFrom+` WHERE m.venue_id = ? AND m.client_id = ?
		ORDER BY m.id DESC LIMIT 200) ORDER BY 1`, venueID, clientID)
	if err != nil {
		return nil, fmt.Errorf("store: client messages: %w", err)
	}
	return collectMessages(rows)
}

// OutboxMessages lists the venue's newest messages (in and out), 100 a page.
func (s *Store) OutboxMessages(ctx context.Context, venueID int64, page int) ([]salon.Message, error) {
	if page < 1 {
		page = 1
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+messageCols+messageFrom+` WHERE m.venue_id = ? ORDER BY m.created_at DESC, m.id DESC LIMIT 100 OFFSET ?`,
		venueID, (page-1)*100)
	if err != nil {
		return nil, fmt.Errorf("store: outbox: %w", err)
	}
	return collectMessages(rows)
}

func collectMessages(rows *sql.Rows) ([]salon.Message, error) { return collect(rows, scanMessage) }

// TopUpWallet records a manual wallet top-up (minor units).
func (s *Store) TopUpWallet(ctx context.Context, venueID, userID, amountMinor int64, note string) error {
	if err := salon.CheckTopUp(amountMinor); err != nil {
		return err
	}
	e4 := amountMinor * salon.E4PerMinor
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE venues SET wallet_e4 = wallet_e4 + ? WHERE id = ?`, e4, venueID); err != nil {
			return fmt.Errorf("store: top up: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO wallet_ledger (venue_id, amount_e4, kind, note, user_id, created_at) VALUES (?, ?, 'top_up', ?, ?, ?)`,
			venueID, e4, note, nullID(userID), s.now().Unix()); err != nil {
			return fmt.Errorf("store: ledger: %w", err)
		}
		return audit(ctx, tx, s.now(), venueID, userID, "venue", venueID, "wallet_top_up", nil, amountMinor)
	})
}

// LedgerEntry is one wallet movement.
type LedgerEntry struct {
	AmountE4 int64
	Kind     string
	Note     string
	At       time.Time
}

// WalletLedger lists the latest wallet movements.
func (s *Store) WalletLedger(ctx context.Context, venueID int64, limit int) ([]LedgerEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT amount_e4, kind, note, created_at FROM wallet_ledger WHERE venue_id = ? ORDER BY id DESC LIMIT ?`, venueID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: ledger: %w", err)
	}
	defer rows.Close()
	var out []LedgerEntry
	for rows.Next() {
		var e LedgerEntry
		var at int64
		if err := rows.Scan(&e.AmountE4, &e.Kind, &e.Note, &at); err != nil {
			return nil, err
		}
		e.At = time.Unix(at, 0).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// Notification is an in-app notice.
type Notification struct {
	ID        int64
	Kind      string
	Body      string
	Link      string
	CreatedAt time.Time
	Read      bool
}

// Notify adds an in-app notification for one user, or the whole business when userID is 0.
func (s *Store) Notify(ctx context.Context, venueID, userID int64, kind, body, link string) error {
	var uid any
	if userID != 0 {
		uid = userID
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO notifications (venue_id, user_id, kind, body, link, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		venueID, uid, kind, body, link, s.now().Unix())
	return mapErr(err, "notification")
}

// Notifications lists the latest notifications a user sees in a venue: their own and
// the business-wide ones, less the kinds hidden from them (salon.Membership.HiddenNotices).
func (s *Store) Notifications(ctx context.Context, venueID, userID int64, hidden []string) ([]Notification, error) {
	where, args := notificationsFor(venueID, userID, hidden)
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind, body, link, created_at, NOT (`+notificationUnread+`) FROM notifications
		WHERE `+where+` ORDER BY id DESC LIMIT 30`, append([]any{userID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: notifications: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var at int64
		if err := rows.Scan(&n.ID, &n.Kind, &n.Body, &n.Link, &at, &n.Read); err != nil {
			return nil, err
		}
		n.CreatedAt = time.Unix(at, 0).UTC()
		out = append(out, n)
	}
	return out, rows.Err()
}

// UnreadNotifications counts the unread notifications a user sees in a venue (the
// bell's badge on every page): one count, not the list.
func (s *Store) UnreadNotifications(ctx context.Context, venueID, userID int64, hidden []string) (int, error) {
	where, args := notificationsFor(venueID, userID, hidden)
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE `+where+` AND `+notificationUnread, append(args, userID)...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: unread notifications: %w", err)
	}
	return n, nil
}

// notificationUnread is true for a notification the user (its one argument) has not
// seen: seen is per person (notification_reads), since a business-wide notification
// is one row for everyone.
const notificationUnread = `(notifications.read_at IS NULL AND NOT EXISTS (SELECT 1 FROM notification_reads r
	WHERE r.notification_id = notifications.id AND r.user_id = ?))`

// MarkNotificationsSeen records that a user has seen the notifications they see in a
// venue up to and including upToID (the newest one shown to them), so their bell's
// count drops; nobody else's does.
func (s *Store) MarkNotificationsSeen(ctx context.Context, venueID, userID, upToID int64, hidden []string) error {
	where, args := notificationsFor(venueID, userID, hidden)
	args = append([]any{userID, s.now().Unix()}, args...)
	args = append(args, upToID)
	_, err := s.db.ExecContext(ctx, `INSERT INTO notification_reads (notification_id, user_id, read_at)
		SELECT id, ?, ? FROM notifications WHERE `+where+` AND id <= ? ON CONFLICT DO NOTHING`, args...)
	if err != nil {
		return fmt.Errorf("store: mark notifications seen: %w", err)
	}
	return nil
}

// notificationsFor is the condition of the notifications a user sees in a venue: their
// own and the business-wide ones, less the hidden kinds.
func notificationsFor(venueID, userID int64, hidden []string) (string, []any) {
	args := []any{venueID, userID}
	where := `venue_id = ? AND (user_id IS NULL OR user_id = ?)`
	if len(hidden) > 0 {
		where += ` AND kind NOT IN (?` + strings.Repeat(`, ?`, len(hidden)-1) + `)`
		for _, k := range hidden {
			args = append(args, k)
		}
	}
	return where, args
}

// EnqueueBatch queues one message per recipient of an action in one transaction.
// (action, client) is unique, so recipients already queued for the action (a retry
// after a crash) are skipped, never queued twice. It returns how many were queued now.
func (s *Store) EnqueueBatch(ctx context.Context, v salon.Venue, actionID int64, msgs []NewOutbound) (int, error) {
	if len(msgs) == 0 {
		return 0, nil
	}
	for _, n := range msgs {
		if n.Purpose != msgs[0].Purpose {
			return 0, fmt.Errorf("store: one batch, one purpose: %s and %s", msgs[0].Purpose, n.Purpose)
		}
	}
	if msgs[0].Channel == salon.SMS && !v.Country.SendsSMS() {
		return 0, salon.Conflict(v.Name + " is email-only: SMS is never sent from an NZ venue.")
	}
	now := s.now().Unix()
	queued := 0
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		// Multi-row inserts, 200 rows a statement: far fewer round trips than one
		// statement per recipient.
		const chunk = 200
		for start := 0; start < len(msgs); start += chunk {
			part := msgs[start:min(start+chunk, len(msgs))]
			var q strings.Builder
			q.WriteString(`INSERT INTO messages (venue_id, client_id, channel, direction, purpose, marketing, to_addr,
				subject, body, segments, cost_e4, status, action_id, created_at, updated_at) VALUES `)
			args := make([]any, 0, len(part)*13)
			for i, n := range part {
				if i > 0 {
					q.WriteString(",")
				}
				q.WriteString("(?, ?, ?, 'out', ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)")
				segments, cost := salon.MessageCost(v, n.Channel, n.Body)
				args = append(args, v.ID, n.ClientID, n.Channel, n.Purpose, b2i(n.Purpose.IsMarketing()), n.To, n.Subject, n.Body,
					segments, cost, actionID, now, now)
			}
			q.WriteString(" ON CONFLICT DO NOTHING")
			var res sql.Result
			var err error
			if len(part) == chunk { // every full chunk has the same text: parse it once
				var stmt *sql.Stmt
				if stmt, err = s.prepared(ctx, tx, q.String()); err != nil {
					return err
				}
				res, err = stmt.ExecContext(ctx, args...)
			} else {
				res, err = tx.ExecContext(ctx, q.String(), args...)
			}
			if err != nil {
				return fmt.Errorf("store: enqueue: %w", err)
			}
			k, _ := res.RowsAffected()
			queued += int(k)
		}
		// Stamp every recipient's contact in one statement (a batch has one purpose).
		marketing := msgs[0].Purpose.IsMarketing()
		if _, err := tx.ExecContext(ctx, `UPDATE clients SET last_outbound_at = max(coalesce(last_outbound_at, 0), ?1),
			last_messaged_at = max(coalesce(last_messaged_at, 0), ?1),
			last_marketing_at = CASE WHEN ?2 THEN max(coalesce(last_marketing_at, 0), ?1) ELSE last_marketing_at END
			WHERE venue_id = ?3 AND id IN (SELECT client_id FROM messages WHERE venue_id = ?3 AND action_id = ?4)`,
			now, marketing, v.ID, actionID); err != nil {
			return fmt.Errorf("store: stamp batch contact: %w", err)
		}
		return nil
	})
	return queued, err
}

// QueuedMessages lists an action's messages still waiting to be handed over.
func (s *Store) QueuedMessages(ctx context.Context, venueID, actionID int64) ([]int64, error) {
	return s.ids(ctx, "queued messages", `SELECT id FROM messages WHERE venue_id = ? AND action_id = ? AND status = 'queued' ORDER BY id`,
		venueID, actionID)
}

// ids runs a query of one integer column.
func (s *Store) ids(ctx context.Context, what, query string, args ...any) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// CountTroubledSends counts the venue's outbound messages since the given time that
// failed or whose fate is unknown (the app stopped mid-send): the dashboard's "check
// these" row. Uses messages_venue_time.
func (s *Store) CountTroubledSends(ctx context.Context, venueID int64, since time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM messages
		WHERE venue_id = ? AND created_at >= ? AND direction = 'out' AND status IN ('failed', 'unknown')`,
		venueID, since.Unix()).Scan(&n)
	return n, mapErr(err, "troubled sends")
}
