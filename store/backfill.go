package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"concierge/salon"
)

// refreshProfiles recomputes the backfill rhythm (client_profiles, migration 00007) of
// one client, or of every client of the venue when clientID is 0, from their completed
// visits of the last 12 months. Clients under the eligibility floor get no row.
func refreshProfiles(ctx context.Context, q queryer, now time.Time, venueID, clientID int64) error {
	var tz string
	if err := q.QueryRowContext(ctx, `SELECT time_zone FROM venues WHERE id = ?`, venueID).Scan(&tz); err != nil {
		return fmt.Errorf("store: profile venue: %w", err)
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	// The services of each visit, folded into one text column so a visit is one row.
	rows, err := q.QueryContext(ctx, `SELECT b.client_id, b.start_at, b.end_at, b.created_at, b.staff_id,
			coalesce((SELECT group_concat(service_id) FROM booking_services bs WHERE bs.booking_id = b.id), '')
		FROM bookings b WHERE b.venue_id = ?1 AND b.status = 'completed' AND b.start_at >= ?2 AND (?3 = 0 OR b.client_id = ?3)
		ORDER BY b.client_id`, venueID, yearAgo(now), clientID)
	if err != nil {
		return fmt.Errorf("store: profile visits: %w", err)
	}
	visits := map[int64][]salon.Visit{}
	var order []int64
	for rows.Next() {
		var cid, st, en, cr, staff int64
		var svcs string
		if err := rows.Scan(&cid, &st, &en, &cr, &staff, &svcs); err != nil {
			rows.Close()
			return err
		}
		if _, ok := visits[cid]; !ok {
			order = append(order, cid)
		}
		visits[cid] = append(visits[cid], salon.Visit{Start: time.Unix(st, 0).In(loc), End: time.Unix(en, 0).In(loc),
			Created: time.Unix(cr, 0).In(loc), StaffID: staff, ServiceIDs: parseIDs(svcs)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM client_profiles WHERE venue_id = ?1 AND (?2 = 0 OR client_id = ?2)`, venueID, clientID); err != nil {
		return fmt.Errorf("store: clear profiles: %w", err)
	}
	const cols = 11
	const chunk = 500
	var batch []any
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		n := len(batch) / cols
		_, err := q.ExecContext(ctx, `INSERT INTO client_profiles (client_id, venue_id, visits, interval_days, usual_minutes, lead_hours,
			weekdays, bands, staff, services, last_visit_at) VALUES `+strings.TrimSuffix(strings.Repeat("(?,?,?,?,?,?,?,?,?,?,?),", n), ","), batch...)
		batch = batch[:0]
		if err != nil {
			return fmt.Errorf("store: write profiles: %w", err)
		}
		return nil
	}
	for _, cid := range order {
		vs := visits[cid]
		if len(vs) < salon.MinBackfillVisits {
			continue
		}
		p := salon.BuildProfile(vs)
		batch = append(batch, cid, venueID, p.Visits, p.IntervalDays, p.UsualMinutes, p.LeadHours, joinInts(p.Weekdays[:]),
			joinInts(p.Bands[:]), encodeCounts(p.Staff), encodeCounts(p.Services), p.LastVisit.Unix())
		if len(batch) >= chunk*cols {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(x)
	}
	return strings.Join(parts, ",")
}

func splitInts(s string, out []int) {
	for i, part := range strings.Split(s, ",") {
		if i < len(out) {
			out[i], _ = strconv.Atoi(part)
		}
	}
}

// encodeCounts writes id:n pairs in id order (so a recomputation gives the same text).
func encodeCounts(m map[int64]int) string {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("%d:%d", id, m[id])
	}
	return strings.Join(parts, ",")
}

func decodeCounts(s string) map[int64]int {
	m := map[int64]int{}
	if s == "" {
		return m
	}
	for _, part := range strings.Split(s, ",") {
		id, n, ok := strings.Cut(part, ":")
		if !ok {
			continue
		}
		i, _ := strconv.ParseInt(id, 10, 64)
		m[i], _ = strconv.Atoi(n)
	}
	return m
}

// ProfileRow is one stored profile as text, for the drift test.
type ProfileRow struct {
	ClientID                         int64
	Visits, UsualMinutes             int
	IntervalDays, LeadHours          float64
	Weekdays, Bands, Staff, Services string
	LastVisitAt                      int64
}

// Profiles lists a venue's stored profiles in client order.
func (s *Store) Profiles(ctx context.Context, venueID int64) ([]ProfileRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT client_id, visits, usual_minutes, interval_days, lead_hours, weekdays, bands, staff, services,
		last_visit_at FROM client_profiles WHERE venue_id = ? ORDER BY client_id`, venueID)
	if err != nil {
		return nil, fmt.Errorf("store: profiles: %w", err)
	}
	defer rows.Close()
	var out []ProfileRow
	for rows.Next() {
		var p ProfileRow
		if err := rows.Scan(&p.ClientID, &p.Visits, &p.UsualMinutes, &p.IntervalDays, &p.LeadHours, &p.Weekdays, &p.Bands, &p.Staff,
			&p.Services, &p.LastVisitAt); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// RecomputeProfiles rebuilds every profile of the venue from its bookings.
func (s *Store) RecomputeProfiles(ctx context.Context, venueID int64) error {
	return s.withTx(ctx, func(tx *sql.Tx) error { return refreshProfiles(ctx, tx, s.now(), venueID, 0) })
}

// GapRequest is the slot to rank clients for.
type GapRequest struct {
	StaffID   int64
	Start     time.Time
	End       time.Time
	ServiceID int64 // 0: any service the staff member performs
}

// RankGap returns the top n eligible clients for a gap (§7), best first. Eligibility is
// read in SQL (3+ completed visits in 12 months, so 3+ lifetime; not blocked; not opted
// out of the venue's channel; a contact for it; no outbound message in 24 hours); clients
// with a booking overlapping the gap are left out; the factors are worked out per client
// from their stored profile (salon.ScoreGap).
func (s *Store) RankGap(ctx context.Context, v salon.Venue, g GapRequest, n int) ([]salon.Candidate, error) {
	if err := s.ensureYearStats(ctx, v); err != nil {
		return nil, err
	}
	now := s.now()
	loc := v.Location()
	services := []int64{g.ServiceID}
	if g.ServiceID == 0 {
		var err error
		if services, err = s.staffServiceIDs(ctx, v.ID, g.StaffID); err != nil {
			return nil, err
		}
	}
	busy := map[int64]bool{}
	brows, err := s.db.QueryContext(ctx, `SELECT DISTINCT client_id FROM bookings WHERE venue_id = ? AND status <> 'cancelled'
		AND start_at < ? AND start_at > ? AND end_at > ?`, v.ID, g.End.Unix(), g.Start.Add(-24*time.Hour).Unix(), g.Start.Unix())
	if err != nil {
		return nil, fmt.Errorf("store: gap overlaps: %w", err)
	}
	for brows.Next() {
		var id int64
		if err := brows.Scan(&id); err != nil {
			brows.Close()
			return nil, err
		}
		busy[id] = true
	}
	brows.Close()
	ch := v.Channel()
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, coalesce(c.external_id, ''), c.first_name, c.last_name,
			CASE WHEN ?2 = 'sms' THEN c.phone ELSE c.email END,
			p.visits, p.interval_days, p.usual_minutes, p.lead_hours, p.weekdays, p.bands, p.staff, p.services, p.last_visit_at
		FROM client_profiles p JOIN clients c ON c.id = p.client_id
		WHERE p.venue_id = ?1 AND c.venue_id = ?1 AND c.blocked = 0
			AND ((?2 = 'sms' AND c.sms_opt_out = 0 AND c.phone <> '') OR (?2 = 'email' AND c.email_opt_out = 0 AND c.email <> ''))
			AND coalesce(c.last_outbound_at, 0) < ?3 - 86400`, v.ID, string(ch), now.Unix())
	if err != nil {
		return nil, fmt.Errorf("store: rank gap: %w", err)
	}
	defer rows.Close()
	offer := salon.GapOffer{StaffID: g.StaffID, Start: g.Start.In(loc), End: g.End.In(loc), ServiceIDs: services, Now: now.In(loc)}
	var cands []salon.Candidate
	for rows.Next() {
		var c salon.Candidate
		var p salon.Profile
		var weekdays, bands, staff, svcs string
		var last int64
		if err := rows.Scan(&c.ClientID, &c.ExternalID, &c.FirstName, &c.LastName, &c.Contact, &p.Visits, &p.IntervalDays, &p.UsualMinutes,
			&p.LeadHours, &weekdays, &bands, &staff, &svcs, &last); err != nil {
			return nil, err
		}
		if busy[c.ClientID] {
			continue
		}
		splitInts(weekdays, p.Weekdays[:])
		splitInts(bands, p.Bands[:])
		p.Staff, p.Services, p.LastVisit = decodeCounts(staff), decodeCounts(svcs), time.Unix(last, 0).In(loc)
		c.Factors = salon.ScoreGap(p, offer)
		c.Score, c.LastVisit, c.Interval = c.Factors.Score(), p.LastVisit, p.IntervalDays
		c.Band = salon.Band(c.Score)
		cands = append(cands, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return salon.RankCandidates(cands, n), nil
}

func (s *Store) staffServiceIDs(ctx context.Context, venueID, staffID int64) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT ss.service_id FROM service_staff ss JOIN services sv ON sv.id = ss.service_id
		WHERE sv.venue_id = ? AND ss.staff_id = ? AND sv.archived = 0 ORDER BY ss.service_id`, venueID, staffID)
	if err != nil {
		return nil, fmt.Errorf("store: staff services: %w", err)
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
