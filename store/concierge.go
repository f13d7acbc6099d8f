package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"concierge/salon"
)

// Turn is one chat message, the user's or the Concierge's.
type Turn struct {
	ID        int64
	Author    string // user or concierge
	Body      string
	ClientID  int64               // the client the turn was about (the next turn's "her")
	Choice    *salon.ClientChoice // the Concierge asked which client
	CreatedAt time.Time
}

// AddTurn stores a chat turn for a user in a venue.
func (s *Store) AddTurn(ctx context.Context, venueID, userID int64, author, body string, clientID int64) (Turn, error) {
	return s.AddTurnWithChoice(ctx, venueID, userID, author, body, clientID, nil)
}

// AddTurnWithChoice stores a Concierge turn that asks which client (choice nil: none).
func (s *Store) AddTurnWithChoice(ctx context.Context, venueID, userID int64, author, body string, clientID int64, choice *salon.ClientChoice) (Turn, error) {
	now := s.now()
	choices := ""
	if choice != nil {
		b, err := json.Marshal(choice)
		if err != nil {
			return Turn{}, err
		}
		choices = string(b)
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO chat_turns (venue_id, user_id, author, body, client_id, choices, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		venueID, userID, author, body, nullID(clientID), choices, now.Unix())
	if err != nil {
		return Turn{}, mapErr(err, "chat turn")
	}
	id, _ := res.LastInsertId()
	return Turn{ID: id, Author: author, Body: body, ClientID: clientID, Choice: choice, CreatedAt: now.UTC()}, nil
}

// scanTurn reads a turn selected with turnCols.
func scanTurn(r row) (Turn, error) {
	var t Turn
	var at int64
	var choices string
	if err := r.Scan(&t.ID, &t.Author, &t.Body, &t.ClientID, &choices, &at); err != nil {
		return t, err
	}
	if choices != "" {
		t.Choice = &salon.ClientChoice{}
		if err := json.Unmarshal([]byte(choices), t.Choice); err != nil {
			return t, fmt.Errorf("store: turn %d choices: %w", t.ID, err)
		}
	}
	t.CreatedAt = time.Unix(at, 0).UTC()
	return t, nil
}

const turnCols = `id, author, body, coalesce(client_id, 0), choices, created_at`

// LastConciergeTurn is the Concierge's latest answer to this user in this venue in the
// current conversation (the previous turn a pronoun or a choice refers to); ok is false
// when there is none.
func (s *Store) LastConciergeTurn(ctx context.Context, venueID, userID int64) (Turn, bool, error) {
	t, err := scanTurn(s.db.QueryRowContext(ctx, `SELECT `+turnCols+` FROM chat_turns WHERE venue_id = ?1 AND user_id = ?2 AND author = 'concierge'
		AND id > `+chatStartSQL+` ORDER BY id DESC LIMIT 1`, venueID, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return t, false, nil
	}
	return t, err == nil, mapErr(err, "last turn")
}

// AnswerChoice marks a turn's "which client?" as answered, once: false when it was
// answered already (a replayed or double-clicked choice), or asked nothing.
func (s *Store) AnswerChoice(ctx context.Context, venueID, userID, turnID int64) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE chat_turns SET choices = json_set(choices, '$.answered', json('true'))
		WHERE venue_id = ? AND user_id = ? AND id = ? AND author = 'concierge' AND choices <> '' AND json_extract(choices, '$.answered') IS NULL`,
		venueID, userID, turnID)
	if err != nil {
		return false, fmt.Errorf("store: answer choice: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ConciergeTurn loads one of the Concierge's turns to this user in this venue.
func (s *Store) ConciergeTurn(ctx context.Context, venueID, userID, id int64) (Turn, error) {
	t, err := scanTurn(s.db.QueryRowContext(ctx, `SELECT `+turnCols+` FROM chat_turns WHERE venue_id = ? AND user_id = ? AND id = ?
		AND author = 'concierge'`, venueID, userID, id))
	return t, mapErr(err, "chat turn")
}

// ClientNamesVersion is a number that moves whenever a client of the venue is added,
// renamed or removed (kept by triggers): a cache of names is good while it stands.
func (s *Store) ClientNamesVersion(ctx context.Context, venueID int64) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, `SELECT version FROM client_name_versions WHERE venue_id = ?`, venueID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, mapErr(err, "client names version")
}

// ClientNames lists every client of the venue by name (the chat's name matching).
func (s *Store) ClientNames(ctx context.Context, venueID int64) ([]salon.ClientName, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, first_name, last_name FROM clients WHERE venue_id = ? ORDER BY id`, venueID)
	if err != nil {
		return nil, fmt.Errorf("store: client names: %w", err)
	}
	return collect(rows, func(r row) (salon.ClientName, error) {
		var n salon.ClientName
		err := r.Scan(&n.ID, &n.First, &n.Last)
		return n, err
	})
}

// RecentTurns lists a user's latest turns in a venue, oldest first.
func (s *Store) RecentTurns(ctx context.Context, venueID, userID int64, limit int) ([]Turn, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+turnCols+` FROM
		(SELECT * FROM chat_turns WHERE venue_id = ?1 AND user_id = ?2 AND id > `+chatStartSQL+` ORDER BY id DESC LIMIT ?3) ORDER BY id`,
		venueID, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: turns: %w", err)
	}
	return collect(rows, scanTurn)
}

// ContextClient returns the client most recently looked up in this user's chat since
// a time, or 0: client outreach needs the client in recent chat context.
func (s *Store) ContextClient(ctx context.Context, venueID, userID int64, since time.Time) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT client_id FROM chat_turns WHERE venue_id = ?1 AND user_id = ?2 AND client_id IS NOT NULL
		AND created_at >= ?3 AND id > `+chatStartSQL+` ORDER BY id DESC LIMIT 1`, venueID, userID, since.Unix()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, mapErr(err, "context client")
}

// FindClients looks clients up by name (for "text Sarah"); at most limit matches.
func (s *Store) FindClients(ctx context.Context, venueID int64, name string, limit int) ([]salon.Client, error) {
	page, err := s.SearchClients(ctx, venueID, name, 1)
	if err != nil {
		return nil, err
	}
	if len(page.Clients) > limit {
		page.Clients = page.Clients[:limit]
	}
	return page.Clients, nil
}

// OwnClient reports whether the client is a staff member's own: explicitly assigned,
// or their most frequent provider over completed bookings.
func (s *Store) OwnClient(ctx context.Context, venueID, clientID, staffID int64) (bool, error) {
	if staffID == 0 {
		return false, nil
	}
	var assigned sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT assigned_staff_id FROM clients WHERE venue_id = ? AND id = ?`, venueID, clientID).Scan(&assigned); err != nil {
		return false, mapErr(err, "client")
	}
	if assigned.Valid {
		return assigned.Int64 == staffID, nil
	}
	var top sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT staff_id FROM bookings WHERE venue_id = ? AND client_id = ? AND status = 'completed'
		GROUP BY staff_id ORDER BY count(*) DESC, max(start_at) DESC LIMIT 1`, venueID, clientID).Scan(&top)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return top.Valid && top.Int64 == staffID, mapErr(err, "own client")
}

// Gaps finds the open slots between from and to: every active staff member's
// working hours minus their bookings, at least as long as the shortest service they
// perform.
func (s *Store) Gaps(ctx context.Context, v salon.Venue, from, to time.Time) ([]salon.Gap, error) {
	staff, err := s.StaffMembers(ctx, v.ID, true)
	if err != nil {
		return nil, err
	}
	minDur := map[int64]time.Duration{}
	rows, err := s.db.QueryContext(ctx, `SELECT ss.staff_id, min(sv.duration_min) FROM service_staff ss JOIN services sv ON sv.id = ss.service_id
		WHERE sv.venue_id = ? AND sv.archived = 0 GROUP BY ss.staff_id`, v.ID)
	if err != nil {
		return nil, fmt.Errorf("store: min durations: %w", err)
	}
	for rows.Next() {
		var id int64
		var m int
		if err := rows.Scan(&id, &m); err != nil {
			rows.Close()
			return nil, err
		}
		minDur[id] = time.Duration(m) * time.Minute
	}
	rows.Close()
	busy := map[int64][]salon.Interval{}
	// A booking lasts less than a day, so bounding start_at from below keeps the
	// index range to the window instead of all history.
	brows, err := s.db.QueryContext(ctx, `SELECT staff_id, start_at, end_at FROM bookings WHERE venue_id = ? AND status <> 'cancelled'
		AND start_at < ? AND start_at > ? AND end_at > ?`, v.ID, to.Unix(), from.Add(-24*time.Hour).Unix(), from.Unix())
	if err != nil {
		return nil, fmt.Errorf("store: busy: %w", err)
	}
	defer brows.Close()
	for brows.Next() {
		var id, st, en int64
		if err := brows.Scan(&id, &st, &en); err != nil {
			return nil, err
		}
		busy[id] = append(busy[id], salon.Interval{Start: time.Unix(st, 0), End: time.Unix(en, 0)})
	}
	return salon.FindGaps(staff, busy, minDur, from, to, v.Location()), brows.Err()
}

// HasFutureBookings reports whether any booked appointment lies ahead (for staffID ≠ 0,
// only theirs).
func (s *Store) HasFutureBookings(ctx context.Context, venueID, staffID int64) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM bookings WHERE venue_id = ? AND status = 'booked' AND start_at > ?
		AND (? = 0 OR staff_id = ?) LIMIT 1)`, venueID, s.now().Unix(), staffID, staffID).Scan(&n)
	return n > 0, mapErr(err, "future bookings")
}

// UpcomingBookings lists booked appointments ahead (for staffID ≠ 0, only theirs),
// optionally of one client, soonest first.
func (s *Store) UpcomingBookings(ctx context.Context, venueID, staffID, clientID int64, limit int) ([]salon.Booking, error) {
	return s.listBookings(ctx, `WHERE b.venue_id = ? AND b.status = 'booked' AND b.start_at > ? AND (? = 0 OR b.staff_id = ?)
		AND (? = 0 OR b.client_id = ?) ORDER BY b.start_at LIMIT ?`, venueID, s.now().Unix(), staffID, staffID, clientID, clientID, limit)
}

// Deal and NewDeal are salon's; the aliases keep the store's callers compiling.
type (
	Deal    = salon.Deal
	NewDeal = salon.NewDeal
)

// CreateDeal creates a flash deal for a slot that is still free; it expires when the
// slot starts.
func (s *Store) CreateDeal(ctx context.Context, v salon.Venue, n NewDeal) (Deal, error) {
	if err := n.Validate(s.now()); err != nil {
		return Deal{}, err
	}
	tok := make([]byte, 15)
	rand.Read(tok)
	token := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(tok))
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var dur int
		var price int64
		if err := tx.QueryRowContext(ctx, `SELECT sv.duration_min, sv.price_minor FROM services sv JOIN service_staff ss ON ss.service_id = sv.id
			WHERE sv.venue_id = ? AND sv.id = ? AND sv.archived = 0 AND ss.staff_id = ?`, v.ID, n.ServiceID, n.StaffID).Scan(&dur, &price); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return salon.ErrStaffDoesNotPerform
			}
			return fmt.Errorf("store: deal service: %w", err)
		}
		end := n.Start.Add(time.Duration(dur) * time.Minute)
		if err := checkFree(ctx, tx, v.ID, n.StaffID, n.Start, end, 0, v.Location()); err != nil {
			return err
		}
		dealPrice := price * int64(100-n.DiscountPct) / 100
		res, err := tx.ExecContext(ctx, `INSERT INTO deals (venue_id, token, action_id, staff_id, service_id, start_at, end_at, price_minor,
			discount_pct, deal_price_minor, expires_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			v.ID, token, nullID(n.ActionID), n.StaffID, n.ServiceID, n.Start.Unix(), end.Unix(), price, n.DiscountPct, dealPrice,
			n.Start.Unix(), nullID(n.CreatedBy), s.now().Unix())
		if err != nil {
			return mapErr(err, "deal")
		}
		id, _ = res.LastInsertId()
		return audit(ctx, tx, s.now(), v.ID, n.CreatedBy, "deal", id, "created", nil, n)
	})
	if err != nil {
		return Deal{}, err
	}
	return s.DealByToken(ctx, token)
}

// DealByToken loads a deal for its public page (no venue scope: the token is the key).
func (s *Store) DealByToken(ctx context.Context, token string) (Deal, error) {
	var d Deal
	var country string
	var st, en, exp int64
	var booking sql.NullInt64
	var action sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT d.id, d.venue_id, v.slug, v.name, v.country, v.time_zone, d.token, d.action_id, d.staff_id, s.name,
		d.service_id, sv.name, d.start_at, d.end_at, d.price_minor, d.discount_pct, d.deal_price_minor, d.expires_at, d.booking_id
		FROM deals d JOIN venues v ON v.id = d.venue_id JOIN staff s ON s.id = d.staff_id JOIN services sv ON sv.id = d.service_id
		WHERE d.token = ?`, token).Scan(&d.ID, &d.VenueID, &d.VenueSlug, &d.VenueName, &country, &d.TimeZone, &d.Token, &action, &d.StaffID,
		&d.StaffName, &d.ServiceID, &d.ServiceName, &st, &en, &d.PriceMinor, &d.DiscountPct, &d.DealPriceMinor, &exp, &booking)
	d.Country, d.ActionID, d.BookingID = salon.Country(country), action.Int64, booking.Int64
	d.Start, d.End, d.ExpiresAt = time.Unix(st, 0).UTC(), time.Unix(en, 0).UTC(), time.Unix(exp, 0).UTC()
	return d, mapErr(err, "deal")
}

// SlotTaken reports whether the staff member has a booking overlapping [start, end).
func (s *Store) SlotTaken(ctx context.Context, venueID, staffID int64, start, end time.Time) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM bookings WHERE venue_id = ? AND staff_id = ? AND status <> 'cancelled'
		AND start_at < ? AND end_at > ?`, venueID, staffID, end.Unix(), start.Unix()).Scan(&n)
	return n > 0, mapErr(err, "slot taken")
}

// StampCampaign records that a client got a one-to-one campaign message (client
// outreach): last_campaign_sent_at only, so they stay eligible for win-back.
func (s *Store) StampCampaign(ctx context.Context, venueID, clientID int64) error {
	_, err := s.db.ExecContext(ctx, `UPDATE clients SET last_campaign_sent_at = ? WHERE venue_id = ? AND id = ?`, s.now().Unix(), venueID, clientID)
	return mapErr(err, "stamp campaign")
}

// SetAutomation switches the venue's reconnect automation and rebook prompt (the delay
// checked by salon.CheckRebookPromptDays).
func (s *Store) SetAutomation(ctx context.Context, venueID, actor int64, reconnect bool, rebookDays int) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE venues SET reconnect_automation = ?, rebook_prompt_days = ? WHERE id = ?`, b2i(reconnect), rebookDays, venueID); err != nil {
			return fmt.Errorf("store: automation: %w", err)
		}
		return audit(ctx, tx, s.now(), venueID, actor, "venue", venueID, "automation_set", nil, map[string]any{"reconnect": reconnect, "rebook_prompt_days": rebookDays})
	})
}

// Automation returns the venue's automation switches.
func (s *Store) Automation(ctx context.Context, venueID int64) (reconnect bool, rebookDays int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT reconnect_automation, rebook_prompt_days FROM venues WHERE id = ?`, venueID).Scan(&reconnect, &rebookDays)
	return reconnect, rebookDays, mapErr(err, "automation")
}

// StampBatch records a batch send on its recipients (and their bookings), in one
// statement per batch: win-back → last_reconnect_sent_at; cohort and spotlight →
// last_campaign_sent_at; review request → today's completed bookings'
// review_request_sent_at; no-show → no_show_followup_sent_at. A recipient counts when
// their message was handed over or may have been (unknown); failed ones do not.
func (s *Store) StampBatch(ctx context.Context, venueID int64, kind salon.ActionID, actionID int64) error {
	const recipients = `(SELECT client_id FROM messages WHERE venue_id = ?2 AND action_id = ?3
		AND status IN ('sent', 'delivered', 'unknown', 'sending'))`
	var q string
	switch kind {
	case salon.WinBack:
		q = `UPDATE clients SET last_reconnect_sent_at = ?1 WHERE venue_id = ?2 AND id IN ` + recipients
	case salon.CohortOutreach, salon.ServiceSpotlight:
		q = `UPDATE clients SET last_campaign_sent_at = ?1 WHERE venue_id = ?2 AND id IN ` + recipients
	case salon.ReviewRequest:
		q = `UPDATE bookings SET review_request_sent_at = ?1 WHERE venue_id = ?2 AND client_id IN ` + recipients + `
			AND status = 'completed' AND review_request_sent_at IS NULL AND start_at >= ?1 - 86400`
	case salon.NoShowFollowup:
		q = `UPDATE bookings SET no_show_followup_sent_at = ?1 WHERE venue_id = ?2 AND client_id IN ` + recipients + `
			AND status = 'no_show' AND no_show_followup_sent_at IS NULL AND start_at >= ?1 - 8 * 86400`
	default:
		return nil
	}
	_, err := s.db.ExecContext(ctx, q, s.now().Unix(), venueID, actionID)
	return mapErr(err, "stamp")
}

// ClientsWith reports which of these clients of the venue have something: an
// appointment booked ahead ("upcoming") or an inbox conversation ("thread"). One query
// for a whole "which one?" list.
func (s *Store) ClientsWith(ctx context.Context, venueID int64, what string, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	in := "?" + strings.Repeat(", ?", len(ids)-1)
	args := []any{venueID}
	for _, id := range ids {
		args = append(args, id)
	}
	var q string
	switch what {
	case "upcoming":
		q = `SELECT DISTINCT client_id FROM bookings WHERE venue_id = ? AND client_id IN (` + in + `) AND status = 'booked' AND start_at > ?`
		args = append(args, s.now().Unix())
	case "thread":
		q = `SELECT client_id FROM conversations WHERE venue_id = ? AND client_id IN (` + in + `)`
	default:
		return nil, fmt.Errorf("store: clients with %q", what)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: clients with %s: %w", what, err)
	}
	ok, err := collect(rows, func(r row) (int64, error) {
		var id int64
		err := r.Scan(&id)
		return id, err
	})
	for _, id := range ok {
		out[id] = true
	}
	return out, err
}
