package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
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
	if err := flush(); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `UPDATE venues SET profiles_version = profiles_version + 1 WHERE id = ?`, venueID); err != nil {
		return fmt.Errorf("store: profiles version: %w", err)
	}
	return nil
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

// RankGap returns the top n eligible clients for a gap, best first. Eligibility:
// 3+ completed visits in 12 months (so 3+ lifetime: only they have a profile); not
// blocked; not opted out of the venue's channel; a contact for it; not in an open inbox
// conversation; no outbound message in the last 24 hours; no booking overlapping the
// gap. The factors are worked out per client from their profile (salon.ScoreGap).
//
// Speed: the venue's profiles are held in memory (reloaded when a booking write or the
// daily refresh changes them), and the ineligible are looked up as the small sets they
// are — the unreachable by a partial index, the recently contacted and the booked by
// time-range indexes — instead of reading every client row.
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
	profiles, err := s.venueProfiles(ctx, v.ID, loc)
	if err != nil {
		return nil, err
	}
	ch := v.Channel()
	out := map[int64]bool{}
	collect := func(what, q string, args ...any) error {
		rows, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("store: rank gap %s: %w", what, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var skip bool
			if err := rows.Scan(&id, &skip); err != nil {
				return err
			}
			if skip {
				out[id] = true
			}
		}
		return rows.Err()
	}
	if err := collect("unreachable", `SELECT id, blocked = 1 OR (?2 = 'sms' AND (sms_opt_out = 1 OR phone = '')) OR (?2 = 'email' AND (email_opt_out = 1 OR email = ''))
		FROM clients WHERE venue_id = ?1 AND (blocked = 1 OR sms_opt_out = 1 OR email_opt_out = 1 OR phone = '' OR email = '')`, v.ID, string(ch)); err != nil {
		return nil, err
	}
	// Clients in an inbox conversation that is not closed get no offer (salon.HoldsMarketing).
	if err := collect("in conversation", `SELECT client_id, 1 FROM conversations WHERE venue_id = ? AND status <> 'closed'`, v.ID); err != nil {
		return nil, err
	}
	// Any outbound message queued in the last 24 hours (failed ones too: the contact
	// stamps count them, erring towards not messaging twice).
	if err := collect("recently contacted", `SELECT DISTINCT client_id, 1 FROM messages WHERE venue_id = ? AND created_at >= ? AND direction = 'out'
		AND client_id IS NOT NULL`, v.ID, now.Add(-24*time.Hour).Unix()); err != nil {
		return nil, err
	}
	// A booking lasts less than a day, so bounding start_at keeps the index range short.
	if err := collect("booked", `SELECT DISTINCT client_id, 1 FROM bookings WHERE venue_id = ? AND status <> 'cancelled'
		AND start_at < ? AND start_at > ? AND end_at > ?`, v.ID, g.End.Unix(), g.Start.Add(-24*time.Hour).Unix(), g.Start.Unix()); err != nil {
		return nil, err
	}
	offer := salon.GapOffer{StaffID: g.StaffID, Start: g.Start.In(loc), End: g.End.In(loc), ServiceIDs: services, Now: now.In(loc)}
	cands := make([]salon.Candidate, 0, len(profiles))
	for _, p := range profiles {
		if out[p.clientID] {
			continue
		}
		c := salon.Candidate{ClientID: p.clientID, Factors: salon.ScoreGap(p.Profile, offer), LastVisit: p.LastVisit, Interval: p.IntervalDays}
		c.Score = c.Factors.Score()
		c.Band = salon.Band(c.Score)
		cands = append(cands, c)
	}
	top := salon.RankCandidates(cands, n)
	// Names and contacts of the chosen few, in one query.
	if len(top) == 0 {
		return top, nil
	}
	args := []any{string(ch), v.ID}
	at := map[int64]int{}
	for i, c := range top {
		args = append(args, c.ClientID)
		at[c.ClientID] = i
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, coalesce(external_id, ''), first_name, last_name, CASE WHEN ? = 'sms' THEN phone ELSE email END
		FROM clients WHERE venue_id = ? AND id IN (?`+strings.Repeat(`, ?`, len(top)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: candidates: %w", err)
	}
	defer rows.Close()
	found := 0
	for rows.Next() {
		var id int64
		var ext, first, last, contact string
		if err := rows.Scan(&id, &ext, &first, &last, &contact); err != nil {
			return nil, fmt.Errorf("store: candidate: %w", err)
		}
		c := &top[at[id]]
		c.ExternalID, c.FirstName, c.LastName, c.Contact = ext, first, last, contact
		found++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: candidates: %w", err)
	}
	if found != len(top) {
		return nil, fmt.Errorf("store: candidates: %d of %d ranked clients found", found, len(top))
	}
	return top, nil
}

type clientProfile struct {
	clientID int64
	salon.Profile
}

// profileCache holds each venue's decoded profiles with the version they were read at.
type profileCache struct {
	mu     sync.Mutex
	venues map[int64]cachedProfiles
}

type cachedProfiles struct {
	version  int64
	profiles []clientProfile
}

// venueProfiles returns the venue's profiles, from memory when they are current.
func (s *Store) venueProfiles(ctx context.Context, venueID int64, loc *time.Location) ([]clientProfile, error) {
	var version int64
	if err := s.db.QueryRowContext(ctx, `SELECT profiles_version FROM venues WHERE id = ?`, venueID).Scan(&version); err != nil {
		return nil, mapErr(err, "profiles version")
	}
	s.profiles.mu.Lock()
	cached, ok := s.profiles.venues[venueID]
	s.profiles.mu.Unlock()
	if ok && cached.version == version {
		return cached.profiles, nil
	}
	// Rows written after the version was read are stored under the older version, so
	// the next call reloads: a stale copy is never kept, at worst one load is repeated.
	rows, err := s.db.QueryContext(ctx, `SELECT client_id, visits, interval_days, usual_minutes, lead_hours, weekdays, bands, staff, services,
		last_visit_at FROM client_profiles WHERE venue_id = ?`, venueID)
	if err != nil {
		return nil, fmt.Errorf("store: profiles: %w", err)
	}
	defer rows.Close()
	var out []clientProfile
	for rows.Next() {
		var p clientProfile
		var weekdays, bands, staff, svcs string
		var last int64
		if err := rows.Scan(&p.clientID, &p.Visits, &p.IntervalDays, &p.UsualMinutes, &p.LeadHours, &weekdays, &bands, &staff, &svcs, &last); err != nil {
			return nil, err
		}
		splitInts(weekdays, p.Weekdays[:])
		splitInts(bands, p.Bands[:])
		p.Staff, p.Services, p.LastVisit = decodeCounts(staff), decodeCounts(svcs), time.Unix(last, 0).In(loc)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.profiles.mu.Lock()
	if s.profiles.venues == nil {
		s.profiles.venues = map[int64]cachedProfiles{}
	}
	s.profiles.venues[venueID] = cachedProfiles{version: version, profiles: out}
	s.profiles.mu.Unlock()
	return out, nil
}

func (s *Store) staffServiceIDs(ctx context.Context, venueID, staffID int64) ([]int64, error) {
	return s.ids(ctx, "staff services", `SELECT ss.service_id FROM service_staff ss JOIN services sv ON sv.id = ss.service_id
		WHERE sv.venue_id = ? AND ss.staff_id = ? AND sv.archived = 0 ORDER BY ss.service_id`, venueID, staffID)
}
