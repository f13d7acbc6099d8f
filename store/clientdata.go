package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"concierge/salon"
)

// ClientRecord is everything the venue holds about one client: the profile and its
// consents (opt-outs, notification choices), every booking and every message.
type ClientRecord struct {
	Client   salon.Client
	Bookings []salon.Booking
	Messages []salon.Message
}

// ClientRecord loads one client's whole record, oldest first, without the page limits
// of the client page.
func (s *Store) ClientRecord(ctx context.Context, venueID, clientID int64) (ClientRecord, error) {
	var r ClientRecord
	var err error
	if r.Client, err = s.Client(ctx, venueID, clientID); err != nil {
		return r, err
	}
	if r.Bookings, err = s.listBookings(ctx, `WHERE b.venue_id = ? AND b.client_id = ? ORDER BY b.start_at, b.id`, venueID, clientID); err != nil {
		return r, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+messageCols+messageFrom+` WHERE m.venue_id = ? AND m.client_id = ? ORDER BY m.id`, venueID, clientID)
	if err != nil {
		return r, fmt.Errorf("store: client record messages: %w", err)
	}
	r.Messages, err = collectMessages(rows)
	return r, err
}

// ExportClients lists every client of the venue, by id.
func (s *Store) ExportClients(ctx context.Context, venueID int64) ([]salon.Client, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+clientCols+` FROM clients c WHERE c.venue_id = ? ORDER BY c.id`, venueID)
	if err != nil {
		return nil, fmt.Errorf("store: export clients: %w", err)
	}
	return collectClients(rows)
}

// ExportBookings lists every booking of the venue in the import's terms, by start.
// bookings.csv has one service a row, so a booking of several services is exported
// with its first (the one it was booked with first); its price is the booking's own.
func (s *Store) ExportBookings(ctx context.Context, venueID int64) ([]salon.ExportBooking, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT b.id, coalesce(b.external_id, ''), b.client_id, coalesce(c.external_id, ''), st.name,
			coalesce(sv.name, 'Appointment'), coalesce(cat.name, 'Other'), b.start_at, b.end_at, b.price_minor, b.status, b.created_at
		FROM bookings b
		JOIN clients c ON c.id = b.client_id
		JOIN staff st ON st.id = b.staff_id
		-- the booking's first service, in the order it was added
		LEFT JOIN services sv ON sv.id = (SELECT bs.service_id FROM booking_services bs WHERE bs.booking_id = b.id ORDER BY bs.rowid LIMIT 1)
		LEFT JOIN service_categories cat ON cat.id = sv.category_id
		WHERE b.venue_id = ? ORDER BY b.start_at, b.id`, venueID)
	if err != nil {
		return nil, fmt.Errorf("store: export bookings: %w", err)
	}
	defer rows.Close()
	var out []salon.ExportBooking
	for rows.Next() {
		var b salon.ExportBooking
		var start, end, created int64
		if err := rows.Scan(&b.ID, &b.ExternalID, &b.ClientID, &b.ClientExternalID, &b.StaffName, &b.Service, &b.Category,
			&start, &end, &b.PriceMinor, &b.Status, &created); err != nil {
			return nil, fmt.Errorf("store: export bookings: %w", err)
		}
		b.Start, b.End, b.Created = fromUnix(sql.NullInt64{Int64: start, Valid: true}), fromUnix(sql.NullInt64{Int64: end, Valid: true}),
			fromUnix(sql.NullInt64{Int64: created, Valid: true})
		out = append(out, b)
	}
	return out, rows.Err()
}

// Forgotten is what forgetting a client changed.
type Forgotten struct {
	Bookings, Messages, Mentions int64
}

// ForgetClient anonymises a client in one transaction: the profile loses name, phone,
// email, birthday and tags (and can never be messaged again); their bookings lose
// their notes but keep times, staff, services, price and status, so revenue reports do
// not change; their messages lose bodies, subjects, addresses and provider errors, and
// any still queued is cancelled; their sign-in codes are deleted. Then every text column
// of every table that belongs to the venue is swept for the full name, the phone (as
// stored and as written locally) and the email: notifications, chat turns, actions,
// audit entries, offers and anything added later. The external id is kept, so that
// re-importing the old system's file does not bring the person back. The audit records
// who forgot whom (by id) and how much changed, nothing personal.
func (s *Store) ForgetClient(ctx context.Context, venueID, actorID, clientID int64) (Forgotten, error) {
	var f Forgotten
	c, err := s.Client(ctx, venueID, clientID)
	if err != nil {
		return f, err
	}
	needles := forgetNeedles(c)
	now := s.now()
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE clients SET first_name = ?, last_name = '', phone = '', email = '',
			birth_day = 0, birth_month = 0, birth_year = 0, tags = '', search_text = '',
			sms_opt_out = 1, email_opt_out = 1, notify_sms = 0, notify_email = 0
			WHERE venue_id = ? AND id = ?`, salon.ForgottenName, venueID, clientID); err != nil {
			return fmt.Errorf("store: forget client: %w", err)
		}
		r, err := tx.ExecContext(ctx, `UPDATE bookings SET notes = '' WHERE venue_id = ? AND client_id = ?`, venueID, clientID)
		if err != nil {
			return fmt.Errorf("store: forget bookings: %w", err)
		}
		f.Bookings, _ = r.RowsAffected()
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET status = 'failed', error = ''
			WHERE venue_id = ? AND client_id = ? AND status = 'queued'`, venueID, clientID); err != nil {
			return fmt.Errorf("store: forget queued messages: %w", err)
		}
		r, err = tx.ExecContext(ctx, `UPDATE messages SET body = ?, subject = '', to_addr = '', from_addr = '', error = ''
			WHERE venue_id = ? AND client_id = ?`, salon.Forgotten, venueID, clientID)
		if err != nil {
			return fmt.Errorf("store: forget messages: %w", err)
		}
		f.Messages, _ = r.RowsAffected()
		for _, q := range []string{
			`DELETE FROM outbox_codes WHERE venue_id = ? AND message_id IN (SELECT id FROM messages WHERE venue_id = ? AND client_id = ?)`,
			`UPDATE booking_drafts SET notes = '', reminder_note = '' WHERE venue_id = ? AND client_id = ? AND ? > 0`,
			`UPDATE waitlist_entries SET notes = '' WHERE venue_id = ? AND client_id = ? AND ? > 0`,
			// Audit entries about the client hold their profile before and after each edit.
			`UPDATE audit_events SET before_json = '', after_json = '' WHERE venue_id = ? AND entity = 'client' AND entity_id = ? AND ? > 0`,
			// and those about their bookings hold the bookings' notes.
			`UPDATE audit_events SET before_json = '', after_json = '' WHERE venue_id = ?1 AND entity = 'booking'
				AND entity_id IN (SELECT id FROM bookings WHERE venue_id = ?1 AND client_id = ?2) AND ?3 > 0`,
		} {
			args := []any{venueID, clientID, clientID}
			if strings.HasPrefix(q, "DELETE FROM outbox_codes") {
				args = []any{venueID, venueID, clientID}
			}
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("store: forget: %w", err)
			}
		}
		if c.Phone != "" || c.Email != "" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM otp_codes WHERE venue_id = ? AND ((phone <> '' AND phone = ?) OR (email <> '' AND email = ?))`,
				venueID, c.Phone, c.Email); err != nil {
				return fmt.Errorf("store: forget sign-in codes: %w", err)
			}
		}
		// What was said about this client in the chat and on their action cards may use
		// the first name alone ("Text Sarah"): there it is theirs.
		if first := strings.TrimSpace(c.FirstName); len(first) >= 2 {
			for _, q := range []string{
				`UPDATE chat_turns SET body = replace(body, ?1, ?2) WHERE venue_id = ?3 AND client_id = ?4`,
				`UPDATE actions SET title = replace(title, ?1, ?2), subject = replace(subject, ?1, ?2), body = replace(body, ?1, ?2),
					notes = replace(notes, ?1, ?2), result_summary = replace(result_summary, ?1, ?2), params = replace(params, ?1, ?2)
					WHERE venue_id = ?3 AND client_id = ?4`,
			} {
				if _, err := tx.ExecContext(ctx, q, first, salon.Forgotten, venueID, clientID); err != nil {
					return fmt.Errorf("store: forget chat mentions: %w", err)
				}
			}
		}
		n, err := sweepMentions(ctx, tx, venueID, needles)
		if err != nil {
			return err
		}
		f.Mentions = n
		return audit(ctx, tx, now, venueID, actorID, "client", clientID, "forgotten", nil,
			map[string]int64{"bookings_kept": f.Bookings, "messages_cleared": f.Messages, "mentions_removed": f.Mentions})
	})
	return f, err
}

// forgetNeedles are the strings that identify the person in free text: the full name
// (a name shorter than 5 letters would match inside other words and is left out), the
// phone as stored and as written locally, and the email.
func forgetNeedles(c salon.Client) []string {
	var out []string
	add := func(s string, minLen int) {
		s = strings.TrimSpace(s)
		if len(s) < minLen {
			return
		}
		for _, have := range out {
			if have == s {
				return
			}
		}
		out = append(out, s)
	}
	add(c.FullName(), 5)
	for _, p := range salon.PhoneSpellings(c.Phone) {
		add(p, 6)
	}
	add(c.Email, 3)
	return out
}

// sweepMentions replaces the needles in every TEXT column of every table with a
// venue_id, reading the schema so tables added later are swept too. The clients table
// is left out: other clients of the same name keep theirs (the forgotten one's row was
// cleared above).
func sweepMentions(ctx context.Context, tx *sql.Tx, venueID int64, needles []string) (int64, error) {
	if len(needles) == 0 {
		return 0, nil
	}
	tables, err := venueTables(ctx, tx)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, t := range tables {
		if t.name == "clients" || len(t.text) == 0 {
			continue
		}
		var sets, conds []string
		var setArgs, condArgs []any
		for _, col := range t.text {
			expr := `"` + col + `"`
			for _, n := range needles {
				expr = `replace(` + expr + `, ?, ?)`
				setArgs = append(setArgs, n, salon.Forgotten)
				conds = append(conds, `instr("`+col+`", ?) > 0`)
				condArgs = append(condArgs, n)
			}
			sets = append(sets, `"`+col+`" = `+expr)
		}
		q := `UPDATE "` + t.name + `" SET ` + strings.Join(sets, ", ") + ` WHERE venue_id = ? AND (` + strings.Join(conds, " OR ") + `)`
		args := append(append(setArgs, venueID), condArgs...)
		r, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return 0, fmt.Errorf("store: forget mentions in %s: %w", t.name, err)
		}
		n, _ := r.RowsAffected()
		total += n
	}
	return total, nil
}

type venueTable struct {
	name string
	text []string // TEXT columns
}

// venueTables lists the tables that have a venue_id column, with their TEXT columns.
func venueTables(ctx context.Context, q queryer) ([]venueTable, error) {
	rows, err := q.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'goose_%' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: list tables: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	var out []venueTable
	for _, n := range names {
		cols, err := q.QueryContext(ctx, `SELECT name, upper(type) FROM pragma_table_info(?)`, n)
		if err != nil {
			return nil, fmt.Errorf("store: columns of %s: %w", n, err)
		}
		t := venueTable{name: n}
		hasVenue := false
		for cols.Next() {
			var col, typ string
			cols.Scan(&col, &typ)
			if col == "venue_id" {
				hasVenue = true
			}
			if strings.Contains(typ, "TEXT") || strings.Contains(typ, "CHAR") || strings.Contains(typ, "CLOB") {
				t.text = append(t.text, col)
			}
		}
		cols.Close()
		if hasVenue {
			out = append(out, t)
		}
	}
	return out, nil
}

// Audit records an event that changes nothing else (an export, say) in the audit.
func (s *Store) Audit(ctx context.Context, venueID, userID int64, entity string, entityID int64, event string, after any) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		return audit(ctx, tx, s.now(), venueID, userID, entity, entityID, event, nil, after)
	})
}
