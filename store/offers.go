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

// NewOffer is a gap offered to a few ranked clients.
type NewOffer struct {
	StaffID   int64
	ServiceID int64
	Start     time.Time
	Body      string // with {{name}} merged per recipient by the caller
	CreatedBy int64
}

// OfferRecipient is one client an offer goes to, with their own text.
type OfferRecipient struct {
	ClientID int64
	To       string
	Body     string
}

// CreateOffer records the offer and queues one message per recipient, in one
// transaction: the slot must still be free, and each recipient is stamped as contacted.
// It returns the offer id and the queued message ids.
func (s *Store) CreateOffer(ctx context.Context, v salon.Venue, n NewOffer, to []OfferRecipient) (int64, []int64, error) {
	if err := salon.ValidateOffer(len(to), n.Body, n.Start, s.now()); err != nil {
		return 0, nil, err
	}
	ch := v.Channel()
	now := s.now().Unix()
	var offerID int64
	var ids []int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var dur int
		if err := tx.QueryRowContext(ctx, `SELECT sv.duration_min FROM services sv JOIN service_staff ss ON ss.service_id = sv.id
			WHERE sv.venue_id = ? AND sv.id = ? AND sv.archived = 0 AND ss.staff_id = ?`, v.ID, n.ServiceID, n.StaffID).Scan(&dur); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return salon.ErrStaffDoesNotPerform
			}
			return fmt.Errorf("store: offer service: %w", err)
		}
		end := n.Start.Add(time.Duration(dur) * time.Minute)
		if err := checkFree(ctx, tx, v.ID, n.StaffID, n.Start, end, 0, v.Location()); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO gap_offers (venue_id, staff_id, service_id, start_at, end_at, body, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, v.ID, n.StaffID, n.ServiceID, n.Start.Unix(), end.Unix(), n.Body, nullID(n.CreatedBy), now)
		if err != nil {
			return mapErr(err, "offer")
		}
		offerID, _ = res.LastInsertId()
		for _, r := range to {
			segments, cost := salon.MessageCost(v, ch, r.Body)
			res, err := tx.ExecContext(ctx, `INSERT INTO messages (venue_id, client_id, channel, direction, purpose, marketing, to_addr,
				subject, body, segments, cost_e4, status, offer_id, created_at, updated_at)
				VALUES (?, ?, ?, 'out', ?, 1, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)`, v.ID, r.ClientID, ch, salon.PurposeBackfill, r.To,
				"An opening at "+v.Name, r.Body, segments, cost, offerID, now, now)
			if err != nil {
				return mapErr(err, "offer message")
			}
			id, _ := res.LastInsertId()
			ids = append(ids, id)
			if err := stampContact(ctx, tx, v.ID, r.ClientID, salon.PurposeBackfill, now); err != nil {
				return err
			}
		}
		return audit(ctx, tx, s.now(), v.ID, n.CreatedBy, "gap_offer", offerID, "created", nil, n)
	})
	return offerID, ids, err
}

// OfferOutcome is what a YES reply did.
type OfferOutcome int

// The outcomes of a YES.
const (
	NoOpenOffer       OfferOutcome = iota // the client was not offered a slot still ahead: an ordinary reply
	OfferBooked                           // this YES booked the slot
	OfferTaken                            // someone else was first, or the slot filled otherwise
	OfferAlreadyYours                     // a second YES from the client who booked it
)

// OfferResult is a YES's outcome with what the reply needs.
type OfferResult struct {
	Outcome     OfferOutcome
	BookingID   int64
	Start       time.Time
	StaffName   string
	ServiceName string
}

// OpenOffer is the offer a client's reply answers: the latest gap offer texted to
// them whose slot is still ahead, taken or not (a late YES hears it was taken).
type OpenOffer struct {
	OfferID     int64
	MessageID   int64 // the offer text sent to this client
	Start       time.Time
	StaffName   string
	ServiceName string
	// Asked says we have already sent this client a question about this offer since it
	// was texted (PurposeOfferQuestion): they get one, never a conversation with a bot.
	Asked bool
}

// openOfferSQL finds a client's open offer; AcceptOffer books the same one.
const openOfferSQL = `SELECT o.id, m.id, o.staff_id, o.service_id, o.start_at, o.booking_id, st.name, sv.name,
		EXISTS (SELECT 1 FROM messages q WHERE q.venue_id = m.venue_id AND q.client_id = m.client_id AND q.purpose = 'offer_question' AND q.id > m.id)
	FROM messages m JOIN gap_offers o ON o.id = m.offer_id JOIN staff st ON st.id = o.staff_id JOIN services sv ON sv.id = o.service_id
	WHERE m.venue_id = ? AND m.client_id = ? AND m.status IN ('sent', 'delivered', 'unknown') AND o.start_at > ?
	ORDER BY m.created_at DESC, m.id DESC LIMIT 1`

// OpenOffer returns the client's open offer in the venue; found is false when they
// hold none (their texts are then ordinary conversation).
func (s *Store) OpenOffer(ctx context.Context, venueID, clientID int64) (o OpenOffer, found bool, err error) {
	var staffID, serviceID, start int64
	var booking sql.NullInt64
	err = s.db.QueryRowContext(ctx, openOfferSQL, venueID, clientID, s.now().Unix()).
		Scan(&o.OfferID, &o.MessageID, &staffID, &serviceID, &start, &booking, &o.StaffName, &o.ServiceName, &o.Asked)
	if errors.Is(err, sql.ErrNoRows) {
		return o, false, nil
	}
	if err != nil {
		return o, false, fmt.Errorf("store: open offer: %w", err)
	}
	o.Start = time.Unix(start, 0).UTC()
	return o, true, nil
}

// AcceptOffer handles a YES from a client: their latest offer whose slot is still ahead
// is booked for them if nobody has taken it — the first YES wins, inside one
// transaction — and otherwise reported taken.
func (s *Store) AcceptOffer(ctx context.Context, v salon.Venue, clientID int64) (OfferResult, error) {
	var r OfferResult
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var offerID, messageID, staffID, serviceID, start int64
		var booking sql.NullInt64
		var asked bool
		err := tx.QueryRowContext(ctx, openOfferSQL, v.ID, clientID, s.now().Unix()).
			Scan(&offerID, &messageID, &staffID, &serviceID, &start, &booking, &r.StaffName, &r.ServiceName, &asked)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: find offer: %w", err)
		}
		r.Start = time.Unix(start, 0).UTC()
		if booking.Valid {
			var owner int64
			tx.QueryRowContext(ctx, `SELECT client_id FROM bookings WHERE id = ?`, booking.Int64).Scan(&owner)
			r.Outcome, r.BookingID = OfferTaken, booking.Int64
			if owner == clientID {
				r.Outcome = OfferAlreadyYours
			}
			return nil
		}
		id, err := s.insertBooking(ctx, tx, v, 0, BookingInput{ClientID: clientID, StaffID: staffID, Start: r.Start,
			ServiceIDs: []int64{serviceID}, Source: salon.SourceBackfill, Notes: "Booked by replying YES to a gap offer."}, -1)
		if salon.ErrorCode(err) == salon.CodeConflict {
			r.Outcome = OfferTaken // the slot filled some other way
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE gap_offers SET booking_id = ? WHERE id = ? AND booking_id IS NULL`, id, offerID); err != nil {
			return fmt.Errorf("store: close offer: %w", err)
		}
		r.Outcome, r.BookingID = OfferBooked, id
		return nil
	})
	return r, err
}

// ErrDealTaken is salon's refusal of a deal already claimed or past its slot.
var ErrDealTaken = salon.ErrDealTaken

// ClaimDeal books a flash deal's slot for whoever claims it first, at the deal price,
// for a client of the deal's venue who has signed in with a code (the caller proves
// the client; nothing is created here). The deal then closes.
func (s *Store) ClaimDeal(ctx context.Context, token string, clientID int64) (Deal, error) {
	d, err := s.DealByToken(ctx, token)
	if err != nil {
		return d, err
	}
	v, err := s.Venue(ctx, d.VenueID)
	if err != nil {
		return d, err
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		var booking sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT booking_id FROM deals WHERE venue_id = ? AND id = ?`, v.ID, d.ID).Scan(&booking); err != nil {
			return fmt.Errorf("store: deal: %w", err)
		}
		if booking.Valid || !d.Start.After(s.now()) {
			return ErrDealTaken
		}
		id, err := s.insertBooking(ctx, tx, v, 0, BookingInput{ClientID: clientID, StaffID: d.StaffID, Start: d.Start,
			ServiceIDs: []int64{d.ServiceID}, Source: salon.SourceFlashDeal, Notes: fmt.Sprintf("Flash deal, %d%% off.", d.DiscountPct)}, d.DealPriceMinor)
		if salon.ErrorCode(err) == salon.CodeConflict && salon.FieldErrors(err) == nil {
			return ErrDealTaken
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE deals SET booking_id = ? WHERE venue_id = ? AND id = ? AND booking_id IS NULL`, id, v.ID, d.ID)
		return err
	})
	if err != nil {
		return d, err
	}
	return s.DealByToken(ctx, token)
}

// Recovery is what backfill brought back over a period.
type Recovery struct {
	Sent         int   // backfill messages handed over
	Messaged     int   // distinct clients they went to
	Booked       int   // of those, clients who booked within 7 days of their message
	RevenueMinor int64 // the price of those bookings
}

// ConversionPct is booked clients per messaged client, in whole percent.
func (r Recovery) ConversionPct() int {
	if r.Messaged == 0 {
		return 0
	}
	return (r.Booked*100 + r.Messaged/2) / r.Messaged
}

// RecoveryMetrics counts backfill messages sent since a time and the bookings that
// followed within 7 days of a client's message (made then, not cancelled).
func (s *Store) RecoveryMetrics(ctx context.Context, venueID int64, since time.Time) (Recovery, error) {
	var r Recovery
	err := s.db.QueryRowContext(ctx, `WITH sent AS (SELECT client_id, created_at FROM messages
			WHERE venue_id = ?1 AND purpose = 'backfill' AND direction = 'out' AND status IN ('sent', 'delivered') AND created_at >= ?2),
		won AS (SELECT DISTINCT b.id, b.client_id, b.price_minor FROM bookings b JOIN sent ON sent.client_id = b.client_id
			WHERE b.venue_id = ?1 AND b.status <> 'cancelled' AND b.created_at >= sent.created_at AND b.created_at < sent.created_at + 7 * 86400)
		SELECT (SELECT count(*) FROM sent), (SELECT count(DISTINCT client_id) FROM sent),
			(SELECT count(DISTINCT client_id) FROM won), (SELECT coalesce(sum(price_minor), 0) FROM won)`, venueID, since.Unix()).
		Scan(&r.Sent, &r.Messaged, &r.Booked, &r.RevenueMinor)
	return r, mapErr(err, "recovery metrics")
}

// OfferAudience checks the clients chosen for a gap offer against the backfill
// eligibility as it stands now: each one left out gets the first reason that
// applies (opted out, blocked, no contact, in an open inbox conversation, contacted in
// 24 hours, booked over the gap).
func (s *Store) OfferAudience(ctx context.Context, v salon.Venue, g GapRequest, clientIDs []int64) (Audience, error) {
	ch := v.Channel()
	a := Audience{Channel: ch, Excluded: map[string]int{}}
	if len(clientIDs) == 0 {
		return a, nil
	}
	args := []any{v.ID, string(ch), s.now().Unix(), g.Start.Unix(), g.End.Unix()}
	marks := make([]string, len(clientIDs))
	for i, id := range clientIDs {
		marks[i] = "?"
		args = append(args, id)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.first_name, c.last_name, CASE WHEN ?2 = 'sms' THEN c.phone ELSE c.email END,
			CASE
				WHEN (?2 = 'sms' AND c.sms_opt_out = 1) OR (?2 = 'email' AND c.email_opt_out = 1) THEN 'opted_out'
				WHEN c.blocked = 1 THEN 'blocked'
				WHEN (?2 = 'sms' AND c.phone = '') OR (?2 = 'email' AND c.email = '') THEN 'no_contact'
				WHEN EXISTS (SELECT 1 FROM conversations cv WHERE cv.venue_id = ?1 AND cv.client_id = c.id AND cv.status <> 'closed') THEN 'open_thread'
				WHEN c.last_outbound_at >= ?3 - 86400 THEN 'cooldown'
				WHEN EXISTS (SELECT 1 FROM bookings b WHERE b.venue_id = ?1 AND b.client_id = c.id AND b.status <> 'cancelled'
					AND b.start_at < ?5 AND b.end_at > ?4) THEN 'busy'
				ELSE '' END
		FROM clients c WHERE c.venue_id = ?1 AND c.id IN (`+strings.Join(marks, ",")+`) ORDER BY c.last_name, c.first_name, c.id`, args...)
	if err != nil {
		return a, fmt.Errorf("store: offer audience: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m AudienceMember
		var reason string
		if err := rows.Scan(&m.ClientID, &m.FirstName, &m.LastName, &m.Contact, &reason); err != nil {
			return a, err
		}
		a.Count++
		if reason != "" {
			a.Excluded[reason]++
			continue
		}
		a.Sendable = append(a.Sendable, m)
	}
	a.SendableCount = len(a.Sendable)
	return a, rows.Err()
}

// OfferRow is a gap offer with who it went to and who took it.
type OfferRow struct {
	ID         int64
	StaffName  string
	Start      time.Time
	Recipients string // first names
	BookedBy   string // "" while open
	CreatedAt  time.Time
}

// Offers lists a staff member's offers for slots starting in [from, to), newest first.
func (s *Store) Offers(ctx context.Context, venueID, staffID int64, from, to time.Time) ([]OfferRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT o.id, st.name, o.start_at, o.created_at,
			coalesce((SELECT group_concat(c.first_name, ', ') FROM messages m JOIN clients c ON c.id = m.client_id WHERE m.offer_id = o.id), ''),
			coalesce((SELECT c.first_name || ' ' || c.last_name FROM bookings b JOIN clients c ON c.id = b.client_id WHERE b.id = o.booking_id), '')
		FROM gap_offers o JOIN staff st ON st.id = o.staff_id
		WHERE o.venue_id = ? AND o.staff_id = ? AND o.start_at >= ? AND o.start_at < ? ORDER BY o.id DESC`, venueID, staffID, from.Unix(), to.Unix())
	if err != nil {
		return nil, fmt.Errorf("store: offers: %w", err)
	}
	defer rows.Close()
	var out []OfferRow
	for rows.Next() {
		var o OfferRow
		var st, cr int64
		if err := rows.Scan(&o.ID, &o.StaffName, &st, &cr, &o.Recipients, &o.BookedBy); err != nil {
			return nil, err
		}
		o.Start, o.CreatedAt = time.Unix(st, 0).UTC(), time.Unix(cr, 0).UTC()
		out = append(out, o)
	}
	return out, rows.Err()
}
