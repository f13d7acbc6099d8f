package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"concierge/salon"
)

// refreshRhythms recomputes client_category_rhythms (migration 00009) for one client,
// or the whole venue when clientID is 0: per service category, the completed visits
// that included a service of it (directly or inside a package) and the latest booked
// appointment in it.
func refreshRhythms(ctx context.Context, q queryer, venueID, clientID int64) error {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT b.client_id, sv.category_id, b.id, b.start_at, b.status
		FROM bookings b JOIN booking_services bs ON bs.booking_id = b.id JOIN services sv ON sv.id = bs.service_id
		WHERE b.venue_id = ?1 AND b.status IN ('completed', 'booked') AND (?2 = 0 OR b.client_id = ?2)
		ORDER BY b.client_id, sv.category_id`, venueID, clientID)
	if err != nil {
		return fmt.Errorf("store: rhythm visits: %w", err)
	}
	type key struct{ client, category int64 }
	visits := map[key][]time.Time{}
	booked := map[key]int64{}
	var order []key
	for rows.Next() {
		var k key
		var id, start int64
		var status string
		if err := rows.Scan(&k.client, &k.category, &id, &start, &status); err != nil {
			rows.Close()
			return err
		}
		if _, seen := visits[k]; !seen {
			if _, seenB := booked[k]; !seenB {
				order = append(order, k)
			}
		}
		if status == "completed" {
			visits[k] = append(visits[k], time.Unix(start, 0))
		} else if start > booked[k] {
			booked[k] = start
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM client_category_rhythms WHERE venue_id = ?1 AND (?2 = 0 OR client_id = ?2)`, venueID, clientID); err != nil {
		return fmt.Errorf("store: clear rhythms: %w", err)
	}
	const cols, chunk = 7, 500
	var batch []any
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		n := len(batch) / cols
		_, err := q.ExecContext(ctx, `INSERT INTO client_category_rhythms (client_id, category_id, venue_id, visits, interval_days, last_visit_at,
			next_booked_at) VALUES `+strings.TrimSuffix(strings.Repeat("(?,?,?,?,?,?,?),", n), ","), batch...)
		batch = batch[:0]
		if err != nil {
			return fmt.Errorf("store: write rhythms: %w", err)
		}
		return nil
	}
	for _, k := range order {
		interval, last, ok := salon.Rhythm(visits[k])
		if !ok {
			continue
		}
		var next any
		if b := booked[k]; b != 0 {
			next = b
		}
		batch = append(batch, k.client, k.category, venueID, len(visits[k]), interval, last.Unix(), next)
		if len(batch) >= chunk*cols {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// overdueSQL is Client Reconnect's overdue test on a rhythm row r: nothing booked ahead,
// last visit within the horizon, and longer ago than the usual interval plus the venue's
// grace. ?2 is now.
func overdueSQL(gracePct int) string {
	return fmt.Sprintf(`(r.next_booked_at IS NULL OR r.next_booked_at <= ?2) AND r.last_visit_at >= ?2 - %d
		AND (?2 - r.last_visit_at) > r.interval_days * 86400 * %g`, int(salon.ReconnectHorizon.Seconds()), 1+float64(gracePct)/100)
}

// overdueCohortSQL is the overdue cohort (category 0: every category) as a condition on
// clients c, for the Audiences machinery.
// freshOnly keeps clients not yet sent a reconnect in the category since their last
// visit in it (the daily automation's "newly overdue").
func overdueCohortSQL(gracePct int, categoryID int64, freshOnly bool) string {
	fresh := ""
	if freshOnly {
		fresh = freshSQL
	}
	return fmt.Sprintf(`c.id IN (SELECT r.client_id FROM client_category_rhythms r WHERE r.venue_id = ?1 AND (%d = 0 OR r.category_id = %d) AND %s%s)`,
		categoryID, categoryID, overdueSQL(gracePct), fresh)
}

// CategoryNames maps the venue's service category ids to their names.
func (s *Store) CategoryNames(ctx context.Context, venueID int64) (map[int64]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name FROM service_categories WHERE venue_id = ?`, venueID)
	if err != nil {
		return nil, fmt.Errorf("store: categories: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

// ReconnectCategory is one service category on the Client Reconnect page.
type ReconnectCategory struct {
	ID           int64
	Name         string
	Overdue      int
	Sent         int   // reconnect messages sent (first and follow-up), last 90 days
	Reconnected  int   // clients who booked the category within 30 days of a message
	RevenueMinor int64 // the price of those bookings
}

// ReconnectCategories lists every service category of the venue with its overdue count
// and its results over the last 90 days.
func (s *Store) ReconnectCategories(ctx context.Context, v salon.Venue) ([]ReconnectCategory, error) {
	if err := s.ensureYearStats(ctx, v); err != nil {
		return nil, err
	}
	now := s.now()
	rows, err := s.db.QueryContext(ctx, `WITH overdue AS (SELECT r.category_id, count(*) AS n FROM client_category_rhythms r
			WHERE r.venue_id = ?1 AND `+overdueSQL(v.ReconnectGracePct)+` GROUP BY r.category_id)
		SELECT sc.id, sc.name, coalesce(o.n, 0) FROM service_categories sc LEFT JOIN overdue o ON o.category_id = sc.id
		WHERE sc.venue_id = ?1 ORDER BY sc.name`, v.ID, now.Unix())
	if err != nil {
		return nil, fmt.Errorf("store: reconnect categories: %w", err)
	}
	var out []ReconnectCategory
	for rows.Next() {
		var c ReconnectCategory
		if err := rows.Scan(&c.ID, &c.Name, &c.Overdue); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	results, err := s.ReconnectResults(ctx, v.ID, now.AddDate(0, 0, -90))
	if err != nil {
		return nil, err
	}
	for i := range out {
		r := results[out[i].ID]
		out[i].Sent, out[i].Reconnected, out[i].RevenueMinor = r.Sent, r.Reconnected, r.RevenueMinor
	}
	return out, nil
}

// OverdueClient is one overdue client in a category.
type OverdueClient struct {
	ClientID     int64
	Name         string
	CategoryID   int64
	LastVisit    time.Time
	IntervalDays float64
	DaysOverdue  int
}

// OverdueClients lists the clients overdue in a category (0: every category), most
// overdue first.
func (s *Store) OverdueClients(ctx context.Context, v salon.Venue, categoryID int64, limit int) ([]OverdueClient, error) {
	if err := s.ensureYearStats(ctx, v); err != nil {
		return nil, err
	}
	now := s.now()
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.first_name || ' ' || c.last_name, r.category_id, r.last_visit_at, r.interval_days
		FROM client_category_rhythms r JOIN clients c ON c.id = r.client_id
		WHERE r.venue_id = ?1 AND (?3 = 0 OR r.category_id = ?3) AND `+overdueSQL(v.ReconnectGracePct)+`
		ORDER BY (?2 - r.last_visit_at) / r.interval_days DESC, c.id LIMIT ?4`, v.ID, now.Unix(), categoryID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: overdue clients: %w", err)
	}
	defer rows.Close()
	var out []OverdueClient
	for rows.Next() {
		var o OverdueClient
		var last int64
		if err := rows.Scan(&o.ClientID, &o.Name, &o.CategoryID, &last, &o.IntervalDays); err != nil {
			return nil, err
		}
		o.LastVisit = time.Unix(last, 0).UTC()
		o.DaysOverdue = salon.DaysOverdue(o.IntervalDays, o.LastVisit, v.ReconnectGracePct, now)
		out = append(out, o)
	}
	return out, rows.Err()
}

// ReconnectResult is what reconnect messages achieved in one category.
type ReconnectResult struct {
	Sent, Reconnected int
	RevenueMinor      int64
}

// ReconnectResults counts, per category, reconnect messages sent since a time and the
// successful reconnects: a booking made after the message and within 30 days of
// it that includes a service of the category, directly or inside a package.
func (s *Store) ReconnectResults(ctx context.Context, venueID int64, since time.Time) (map[int64]ReconnectResult, error) {
	out := map[int64]ReconnectResult{}
	rows, err := s.db.QueryContext(ctx, `WITH sent AS (SELECT rs.client_id, rs.category_id, rs.created_at FROM reconnect_sends rs
			JOIN messages m ON m.id = rs.message_id WHERE rs.venue_id = ?1 AND rs.created_at >= ?2 AND m.status IN ('sent', 'delivered')),
		won AS (SELECT DISTINCT sent.category_id, b.id, b.client_id, b.price_minor FROM sent
			JOIN bookings b ON b.venue_id = ?1 AND b.client_id = sent.client_id AND b.status <> 'cancelled'
				AND b.created_at > sent.created_at AND b.created_at <= sent.created_at + 30 * 86400
			WHERE EXISTS (SELECT 1 FROM booking_services bs JOIN services sv ON sv.id = bs.service_id
				WHERE bs.booking_id = b.id AND sv.category_id = sent.category_id))
		SELECT c, sum(sent_n), sum(won_n), sum(revenue) FROM (
			SELECT category_id AS c, count(*) AS sent_n, 0 AS won_n, 0 AS revenue FROM sent GROUP BY category_id
			UNION ALL
			SELECT category_id, 0, count(DISTINCT client_id), coalesce(sum(price_minor), 0) FROM won GROUP BY category_id)
		GROUP BY c`,
		venueID, since.Unix())
	if err != nil {
		return nil, fmt.Errorf("store: reconnect results: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cat int64
		var r ReconnectResult
		if err := rows.Scan(&cat, &r.Sent, &r.Reconnected, &r.RevenueMinor); err != nil {
			return nil, err
		}
		out[cat] = r
	}
	return out, rows.Err()
}

// freshSQL keeps, on a rhythm row r, only categories the client has not yet been sent a
// reconnect about since their last visit in it (the daily automation's "newly overdue").
const freshSQL = ` AND NOT EXISTS (SELECT 1 FROM reconnect_sends rs WHERE rs.venue_id = ?1 AND rs.client_id = r.client_id
	AND rs.category_id = r.category_id AND rs.created_at >= r.last_visit_at)`

// RecordReconnectSends links an action's queued reconnect messages to the categories
// each client is overdue in: the one category of the action, or, when it covered every
// category, each category the client is overdue for (the message names them all), so
// each category counts the message as sent and follows it up. An action for the newly
// overdue (FreshOnly) records only the categories not yet sent about.
func (s *Store) RecordReconnectSends(ctx context.Context, v salon.Venue, actionID, categoryID int64) error {
	a, err := s.Action(ctx, v.ID, actionID)
	if err != nil {
		return err
	}
	fresh := ""
	if a.Params.FreshOnly {
		fresh = freshSQL
	}
	_, err = s.db.ExecContext(ctx, `INSERT OR IGNORE INTO reconnect_sends (message_id, venue_id, client_id, category_id, created_at)
		SELECT m.id, m.venue_id, m.client_id, r.category_id, m.created_at
		FROM messages m JOIN client_category_rhythms r ON r.venue_id = ?1 AND r.client_id = m.client_id
		WHERE m.venue_id = ?1 AND m.action_id = ?4 AND m.client_id IS NOT NULL
			AND (?3 = 0 OR r.category_id = ?3) AND `+overdueSQL(v.ReconnectGracePct)+fresh,
		v.ID, s.now().Unix(), categoryID, actionID)
	return mapErr(err, "reconnect sends")
}

// OverdueCategories lists, per client, the categories they are overdue in (category 0:
// every category; freshOnly: only those not yet sent a reconnect about since the last
// visit), most overdue first: what one reconnect message to them names.
func (s *Store) OverdueCategories(ctx context.Context, v salon.Venue, categoryID int64, freshOnly bool) (map[int64][]int64, error) {
	if err := s.ensureYearStats(ctx, v); err != nil {
		return nil, err
	}
	fresh := ""
	if freshOnly {
		fresh = freshSQL
	}
	rows, err := s.db.QueryContext(ctx, `SELECT r.client_id, r.category_id FROM client_category_rhythms r
		WHERE r.venue_id = ?1 AND (?3 = 0 OR r.category_id = ?3) AND `+overdueSQL(v.ReconnectGracePct)+fresh+`
		ORDER BY r.client_id, (?2 - r.last_visit_at) / r.interval_days DESC, r.category_id`, v.ID, s.now().Unix(), categoryID)
	if err != nil {
		return nil, fmt.Errorf("store: overdue categories: %w", err)
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var client, cat int64
		if err := rows.Scan(&client, &cat); err != nil {
			return nil, err
		}
		out[client] = append(out[client], cat)
	}
	return out, rows.Err()
}

// ReconnectSettings are salon's; the alias keeps the store's callers compiling.
type ReconnectSettings = salon.ReconnectSettings

// Reconnect reads the venue's reconnect settings.
func (s *Store) Reconnect(ctx context.Context, venueID int64) (ReconnectSettings, error) {
	var r ReconnectSettings
	err := s.db.QueryRowContext(ctx, `SELECT reconnect_automation, reconnect_grace_pct, reconnect_channel, reconnect_followup_days, reconnect_time,
		reconnect_template, reconnect_followup_template, reconnect_subject, reconnect_followup_subject FROM venues WHERE id = ?`, venueID).
		Scan(&r.Automatic, &r.GracePct, &r.Channel, &r.FollowupDays, &r.TimeMin, &r.Template, &r.FollowupTemplate, &r.Subject, &r.FollowupSubject)
	return r, mapErr(err, "reconnect settings")
}

// SaveReconnect saves the reconnect settings (the caller has validated them with
// salon.ReconnectSettings.Validate).
func (s *Store) SaveReconnect(ctx context.Context, v salon.Venue, actor int64, r ReconnectSettings) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE venues SET reconnect_automation = ?, reconnect_grace_pct = ?, reconnect_channel = ?,
			reconnect_followup_days = ?, reconnect_time = ?, reconnect_template = ?, reconnect_followup_template = ?,
			reconnect_subject = ?, reconnect_followup_subject = ? WHERE id = ?`,
			b2i(r.Automatic), r.GracePct, r.Channel, r.FollowupDays, r.TimeMin, strings.TrimSpace(r.Template), strings.TrimSpace(r.FollowupTemplate),
			strings.TrimSpace(r.Subject), strings.TrimSpace(r.FollowupSubject), v.ID); err != nil {
			return fmt.Errorf("store: reconnect settings: %w", err)
		}
		return audit(ctx, tx, s.now(), v.ID, actor, "venue", v.ID, "reconnect_set", nil, r)
	})
}

// FollowUpDue is a first reconnect message whose follow-up is due, with the categories
// it named that the client has not booked since (one follow-up names them all).
type FollowUpDue struct {
	MessageID   int64
	ClientID    int64
	CategoryIDs []int64
	Channel     salon.Channel
}

// DueFollowUps lists first reconnect messages handed over at least days ago with no
// follow-up yet, with the categories of each that the client has not booked since (a
// message whose every category was rebooked needs none).
func (s *Store) DueFollowUps(ctx context.Context, venueID int64, days int) ([]FollowUpDue, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT rs.message_id, rs.client_id, rs.category_id, m.channel
		FROM reconnect_sends rs JOIN messages m ON m.id = rs.message_id
		WHERE rs.venue_id = ?1 AND rs.followup = 0 AND rs.followed_up_at IS NULL AND m.status IN ('sent', 'delivered')
			AND rs.created_at <= ?2
			AND NOT EXISTS (SELECT 1 FROM bookings b JOIN booking_services bs ON bs.booking_id = b.id JOIN services sv ON sv.id = bs.service_id
				WHERE b.venue_id = ?1 AND b.client_id = rs.client_id AND b.status <> 'cancelled' AND b.created_at > rs.created_at
				AND sv.category_id = rs.category_id)
		ORDER BY rs.message_id, rs.category_id`, venueID, s.now().Add(-time.Duration(days)*24*time.Hour).Unix())
	if err != nil {
		return nil, fmt.Errorf("store: due follow-ups: %w", err)
	}
	defer rows.Close()
	var out []FollowUpDue
	for rows.Next() {
		var f FollowUpDue
		var cat int64
		var ch string
		if err := rows.Scan(&f.MessageID, &f.ClientID, &cat, &ch); err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].MessageID == f.MessageID {
			out[n-1].CategoryIDs = append(out[n-1].CategoryIDs, cat)
			continue
		}
		f.Channel, f.CategoryIDs = salon.Channel(ch), []int64{cat}
		out = append(out, f)
	}
	return out, rows.Err()
}

// ClaimFollowUp marks a first message's follow-up as taken, for every category it
// named: only one caller gets true, so the follow-up goes once (a crash after the claim
// loses it rather than doubling it).
func (s *Store) ClaimFollowUp(ctx context.Context, messageID int64) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE reconnect_sends SET followed_up_at = ? WHERE message_id = ? AND followed_up_at IS NULL`,
		s.now().Unix(), messageID)
	if err != nil {
		return false, fmt.Errorf("store: claim follow-up: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// RecordFollowUp links a sent follow-up message to each category it named.
func (s *Store) RecordFollowUp(ctx context.Context, venueID, messageID, clientID int64, categoryIDs []int64) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		for _, cat := range categoryIDs {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO reconnect_sends (message_id, venue_id, client_id, category_id, followup, created_at)
				VALUES (?, ?, ?, ?, 1, ?)`, messageID, venueID, clientID, cat, s.now().Unix()); err != nil {
				return mapErr(err, "follow-up")
			}
		}
		return nil
	})
}

// ClaimReconnectRun marks the venue's daily automatic reconnect as run for a venue day;
// only the first caller that day gets true.
func (s *Store) ClaimReconnectRun(ctx context.Context, venueID int64, day string) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE venues SET reconnect_last_run = ? WHERE id = ? AND reconnect_last_run <> ?`, day, venueID, day)
	if err != nil {
		return false, fmt.Errorf("store: claim reconnect run: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// RebookDue is a completed visit owed its rebook nudge.
type RebookDue struct {
	BookingID int64
	ClientID  int64
}

// DueRebookPrompts lists completed visits that ended days ago (within the following
// week, so switching the nudge on does not reach back to old visits) with no nudge yet,
// whose client has nothing booked ahead.
func (s *Store) DueRebookPrompts(ctx context.Context, venueID int64, days int) ([]RebookDue, error) {
	due := s.now().Add(-time.Duration(days) * 24 * time.Hour)
	rows, err := s.db.QueryContext(ctx, `SELECT b.id, b.client_id FROM bookings b
		WHERE b.venue_id = ?1 AND b.status = 'completed' AND b.rebook_prompt_sent_at IS NULL AND b.end_at <= ?2 AND b.end_at > ?3
			AND NOT EXISTS (SELECT 1 FROM bookings f WHERE f.venue_id = ?1 AND f.client_id = b.client_id AND f.status = 'booked' AND f.start_at > ?4)
		ORDER BY b.id`, venueID, due.Unix(), due.AddDate(0, 0, -7).Unix(), s.now().Unix())
	if err != nil {
		return nil, fmt.Errorf("store: due rebook prompts: %w", err)
	}
	defer rows.Close()
	var out []RebookDue
	for rows.Next() {
		var r RebookDue
		if err := rows.Scan(&r.BookingID, &r.ClientID); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ClaimRebookPrompt marks a visit's nudge as sent; only one caller gets true.
func (s *Store) ClaimRebookPrompt(ctx context.Context, venueID, bookingID int64) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE bookings SET rebook_prompt_sent_at = ? WHERE venue_id = ? AND id = ? AND rebook_prompt_sent_at IS NULL`,
		s.now().Unix(), venueID, bookingID)
	if err != nil {
		return false, fmt.Errorf("store: claim rebook prompt: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// RebookTemplate is the venue's rebook nudge text (” = the built-in one).
func (s *Store) RebookTemplate(ctx context.Context, venueID int64) (string, error) {
	var t string
	err := s.db.QueryRowContext(ctx, `SELECT rebook_prompt_template FROM venues WHERE id = ?`, venueID).Scan(&t)
	return t, mapErr(err, "rebook template")
}

// SetRebookTemplate saves the rebook nudge text (checked by salon.CheckRebookTemplate).
func (s *Store) SetRebookTemplate(ctx context.Context, venueID int64, t string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE venues SET rebook_prompt_template = ? WHERE id = ?`, strings.TrimSpace(t), venueID)
	return mapErr(err, "rebook template")
}

// VenueOwner is the first Owner of the venue (the automation acts in their name).
func (s *Store) VenueOwner(ctx context.Context, venueID int64) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT user_id FROM memberships WHERE venue_id = ? AND role = 'owner' ORDER BY user_id LIMIT 1`, venueID).Scan(&id)
	return id, mapErr(err, "venue owner")
}
