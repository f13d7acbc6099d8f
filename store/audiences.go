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

// AudienceRequest says which clients an action is for.
type AudienceRequest struct {
	Cohort     salon.Cohort
	WindowDays int           // lapsed: days without a completed visit (default 60)
	Week       bool          // birthdays: the next 7 days instead of today; no-shows: the last 7 days
	WaveCap    bool          // win-back: exclude clients sent a win-back in the last 90 days
	CategoryID int64         // overdue: the service category (0: every category)
	FreshOnly  bool          // overdue: only clients not yet sent a reconnect since their last visit
	Channel    salon.Channel // "" = the venue's channel
}

func (r AudienceRequest) channel(v salon.Venue) salon.Channel {
	if r.Channel != "" {
		return r.Channel
	}
	return v.Channel()
}

// ExclusionReasons are salon's; the alias keeps the store's callers compiling.
var ExclusionReasons = salon.ExclusionReasons

// AudienceMember is one client who can be messaged.
type AudienceMember struct {
	ClientID            int64
	FirstName, LastName string
	Contact             string // phone or email, by the venue's channel
}

// Audience is a resolved cohort: everyone in it, who can be messaged, and why the
// others cannot.
type Audience struct {
	Channel       salon.Channel
	Count         int
	SendableCount int
	Sendable      []AudienceMember // nil from AudienceCounts
	Excluded      map[string]int
}

// cohortSQL returns a cohort as a condition on the clients row c (so the audience filters read
// each member's row once, no join). Parameters are numbered: ?1 venue, ?2 now, ?3
// lapsed cutoff, ?4 twelve months ago, ?5 start of this month, ?6 start of today, ?7
// end of today, ?8 seven days ago (all unix seconds).
func cohortSQL(c salon.Cohort) (string, error) {
	// The top 10% by 12-month spend are the ⌈n/10⌉ highest of the n clients who spent
	// anything, plus anyone tied with the last of them: everyone at or above that
	// client's spend. The figures live on clients (migration 00004), so this reads the
	// clients_spend index instead of ranking every spender.
	const threshold = `(SELECT spend_12m FROM clients WHERE venue_id = ?1 AND spend_12m > 0 ORDER BY spend_12m DESC LIMIT 1
			OFFSET (SELECT (count(*) + 9) / 10 - 1 FROM clients WHERE venue_id = ?1 AND spend_12m > 0))`
	const topSpend = `c.spend_12m > 0 AND c.spend_12m >= ` + threshold
	switch c {
	case salon.CohortLapsed:
		// At least one completed visit ever, none since the cutoff, nothing booked ahead.
		return `c.last_visit_at < ?3 AND (c.last_booked_at IS NULL OR c.last_booked_at <= ?2)`, nil
	case salon.CohortVIPs:
		// Tagged VIP (on the clients_vip_tag expression index), or a top spender with 3+ visits.
		return `c.id IN (SELECT id FROM clients WHERE venue_id = ?1 AND instr(';' || lower(tags) || ';', ';vip;') > 0
			UNION SELECT id FROM clients c WHERE venue_id = ?1 AND ` + topSpend + ` AND visits_12m >= 3)`, nil
	case salon.CohortTopSpenders:
		return topSpend, nil
	case salon.CohortRegulars:
		// Six or more completed visits in 12 months, and not lapsed (60 days).
		return `c.visits_12m >= 6 AND (c.last_visit_at >= ?2 - 60 * 86400 OR c.last_booked_at > ?2)`, nil
	case salon.CohortNewMonth:
		return `c.first_visit_at >= ?5 AND c.first_visit_at < ?2`, nil
	case salon.CohortCompleted:
		return `c.id IN (SELECT client_id FROM bookings WHERE venue_id = ?1 AND status = 'completed'
			AND start_at >= ?6 AND start_at < ?7 AND review_request_sent_at IS NULL)`, nil
	case salon.CohortNoShows:
		return `c.id IN (SELECT client_id FROM bookings WHERE venue_id = ?1 AND status = 'no_show'
			AND start_at >= ?8 AND start_at < ?2 AND no_show_followup_sent_at IS NULL)`, nil
	}
	return "", fmt.Errorf("store: unknown cohort %q", c)
}

// cohortQuery returns a cohort's condition on clients c and its eight numbered arguments.
func (s *Store) cohortQuery(ctx context.Context, v salon.Venue, req AudienceRequest) (string, []any, error) {
	if err := s.ensureYearStats(ctx, v); err != nil {
		return "", nil, err
	}
	now := s.now()
	loc := v.Location()
	l := now.In(loc)
	today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	if req.WindowDays <= 0 {
		req.WindowDays = 60
	}
	var cohort string
	if req.Cohort == salon.CohortBirthdays {
		days := 1
		if req.Week {
			days = 7
		}
		var pairs []string
		for i := 0; i < days; i++ {
			d := today.AddDate(0, 0, i)
			pairs = append(pairs, fmt.Sprintf("(c.birth_month = %d AND c.birth_day = %d)", int(d.Month()), d.Day()))
		}
		cohort = `(` + strings.Join(pairs, " OR ") + `)`
	} else if req.Cohort == salon.CohortOverdue {
		cohort = overdueCohortSQL(v.ReconnectGracePct, req.CategoryID, req.FreshOnly)
	} else {
		var err error
		if cohort, err = cohortSQL(req.Cohort); err != nil {
			return "", nil, err
		}
	}
	noShowFrom := today
	if req.Week {
		noShowFrom = now.AddDate(0, 0, -7)
	}
	args := []any{v.ID, now.Unix(), now.AddDate(0, 0, -req.WindowDays).Unix(), now.AddDate(-1, 0, 0).Unix(),
		time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, loc).Unix(), today.Unix(), today.AddDate(0, 0, 1).Unix(), noShowFrom.Unix()}
	return cohort, args, nil
}

// CohortClients lists the members of a cohort, 25 a page in name order (the Clients
// page's cohort filter).
func (s *Store) CohortClients(ctx context.Context, v salon.Venue, req AudienceRequest, page int) (ClientPage, error) {
	const perPage = 25
	if page < 1 {
		page = 1
	}
	out := ClientPage{Page: page, PerPage: perPage}
	cohort, args, err := s.cohortQuery(ctx, v, req)
	if err != nil {
		return out, err
	}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM clients c WHERE c.venue_id = ?1 AND `+cohort, args...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("store: count cohort: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+clientCols+` FROM clients c WHERE c.venue_id = ?1 AND `+cohort+`
		ORDER BY c.last_name, c.first_name, c.id LIMIT ?9 OFFSET ?10`,
		append(args, perPage, (page-1)*perPage)...)
	if err != nil {
		return out, fmt.Errorf("store: cohort clients: %w", err)
	}
	out.Clients, err = collectClients(rows)
	return out, err
}

// ResolveAudience resolves a cohort and applies the audience filters (audienceSQL). It is run
// live for every preview and again at send time.
func (s *Store) ResolveAudience(ctx context.Context, v salon.Venue, req AudienceRequest) (Audience, error) {
	cohort, args, err := s.cohortQuery(ctx, v, req)
	if err != nil {
		return Audience{}, err
	}
	ch := req.channel(v)
	rows, err := s.db.QueryContext(ctx, audienceSQL(cohort, false), append(args, string(ch), b2i(req.WaveCap))...)
	if err != nil {
		return Audience{}, fmt.Errorf("store: audience %s: %w", req.Cohort, err)
	}
	defer rows.Close()
	a := Audience{Channel: ch, Excluded: map[string]int{}}
	for rows.Next() {
		var m AudienceMember
		var phone, email, reason string
		if err := rows.Scan(&m.ClientID, &m.FirstName, &m.LastName, &phone, &email, &reason); err != nil {
			return a, err
		}
		a.Count++
		if reason != "" {
			a.Excluded[reason]++
			continue
		}
		m.Contact = phone
		if ch == salon.Email {
			m.Contact = email
		}
		a.Sendable = append(a.Sendable, m)
	}
	a.SendableCount = len(a.Sendable)
	return a, rows.Err()
}

// AudienceCounts is ResolveAudience without the member list: the counts the chat
// states and the gates check, grouped in SQL.
func (s *Store) AudienceCounts(ctx context.Context, v salon.Venue, req AudienceRequest) (Audience, error) {
	cohort, args, err := s.cohortQuery(ctx, v, req)
	if err != nil {
		return Audience{}, err
	}
	ch := req.channel(v)
	rows, err := s.db.QueryContext(ctx, audienceSQL(cohort, true), append(args, string(ch), b2i(req.WaveCap))...)
	if err != nil {
		return Audience{}, fmt.Errorf("store: audience counts %s: %w", req.Cohort, err)
	}
	defer rows.Close()
	a := Audience{Channel: ch, Excluded: map[string]int{}}
	for rows.Next() {
		var reason string
		var n int
		if err := rows.Scan(&reason, &n); err != nil {
			return a, err
		}
		a.Count += n
		if reason == "" {
			a.SendableCount = n
		} else {
			a.Excluded[reason] = n
		}
	}
	return a, rows.Err()
}

// AudienceSample is AudienceCounts plus the first few sendable clients in name order
// (the preview's sample names), without reading the whole member list: one statement
// that resolves the audience once for both (a card preview on every page view).
func (s *Store) AudienceSample(ctx context.Context, v salon.Venue, req AudienceRequest, n int) (Audience, error) {
	cohort, args, err := s.cohortQuery(ctx, v, req)
	if err != nil {
		return Audience{}, err
	}
	ch := req.channel(v)
	q := flaggedSQL(cohort) + `, counts AS (SELECT reason, count(*) AS n FROM flagged GROUP BY reason),
		sample AS (SELECT id, first_name, last_name FROM flagged WHERE reason = '' ORDER BY last_name, first_name, id LIMIT ?11)
		SELECT reason, n, 0, '', '' FROM counts UNION ALL SELECT NULL, 0, id, first_name, last_name FROM sample`
	rows, err := s.db.QueryContext(ctx, q, append(args, string(ch), b2i(req.WaveCap), n)...)
	if err != nil {
		return Audience{}, fmt.Errorf("store: audience sample %s: %w", req.Cohort, err)
	}
	defer rows.Close()
	a := Audience{Channel: ch, Excluded: map[string]int{}}
	for rows.Next() {
		var reason sql.NullString
		var count int
		var m AudienceMember
		if err := rows.Scan(&reason, &count, &m.ClientID, &m.FirstName, &m.LastName); err != nil {
			return a, err
		}
		switch {
		case !reason.Valid:
			a.Sendable = append(a.Sendable, m)
		case reason.String == "":
			a.Count += count
			a.SendableCount = count
		default:
			a.Count += count
			a.Excluded[reason.String] = count
		}
	}
	return a, rows.Err()
}

// AddSample adds up to n sendable clients in name order to counts already made.
func (s *Store) AddSample(ctx context.Context, v salon.Venue, req AudienceRequest, a Audience, n int) (Audience, error) {
	a.Sendable = nil
	if a.SendableCount == 0 {
		return a, nil
	}
	cohort, args, err := s.cohortQuery(ctx, v, req)
	if err != nil {
		return a, err
	}
	q := strings.Replace(audienceSQL(cohort, false), "ORDER BY id", "", 1)
	rows, err := s.db.QueryContext(ctx, `SELECT id, first_name, last_name FROM (`+q+`) WHERE reason = ''
		ORDER BY last_name, first_name, id LIMIT ?11`, append(args, string(req.channel(v)), b2i(req.WaveCap), n)...)
	if err != nil {
		return a, fmt.Errorf("store: audience sample: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m AudienceMember
		if err := rows.Scan(&m.ClientID, &m.FirstName, &m.LastName); err != nil {
			return a, err
		}
		a.Sendable = append(a.Sendable, m)
	}
	return a, rows.Err()
}

// audienceSQL applies the audience filters to a cohort, reading the contact stamps kept on
// each client (last outbound message that counts as recently messaged — salon.Message.
// CountsAsRecentlyMessaged —, last outbound message of any outcome, last win-back wave); each
// client is given the first filter that removes them (” = sendable). ?9 is the
// channel, ?10 the wave cap. Members come in client id order: the order sends go out
// in, and the order the message indexes are cheapest to fill in.
//
// The reachability reasons follow salon.Client.Reach for a marketing purpose (opted
// out, blocked, no address; notification mutes do not apply to marketing), and
// open_thread follows salon.HoldsMarketing: the clients with a conversation that is not
// closed are one small set, read once through the conversations index, not per member.
func audienceSQL(cohort string, counts bool) string {
	q := flaggedSQL(cohort) + ` `
	if counts {
		return q + `SELECT reason, count(*) FROM flagged GROUP BY reason`
	}
	return q + `SELECT id, first_name, last_name, phone, email, reason FROM flagged ORDER BY id`
}

// flaggedSQL is the cohort's members with the first filter that removes each ("" =
// sendable), as the CTE "flagged" (see audienceSQL).
func flaggedSQL(cohort string) string {
	return `WITH flagged AS (SELECT c.id, c.first_name, c.last_name, c.phone, c.email,
			CASE
				WHEN (?9 = 'sms' AND c.sms_opt_out = 1) OR (?9 = 'email' AND c.email_opt_out = 1) THEN 'opted_out'
				WHEN c.blocked = 1 THEN 'blocked'
				WHEN (?9 = 'sms' AND c.phone = '') OR (?9 = 'email' AND c.email = '') THEN 'no_contact'
				WHEN c.id IN (SELECT client_id FROM conversations WHERE venue_id = ?1 AND status <> 'closed') THEN 'open_thread'
				WHEN c.last_messaged_at >= ?2 - 30 * 86400 THEN 'recently_messaged'
				WHEN ?10 = 1 AND c.last_reconnect_sent_at >= ?2 - 90 * 86400 THEN 'wave_cap'
				WHEN c.last_outbound_at >= ?2 - 86400 THEN 'cooldown'
				ELSE '' END AS reason
			FROM clients c WHERE c.venue_id = ?1 AND ` + cohort + `)`
}

// Conversation is an inbox thread with its latest message.
type Conversation struct {
	ClientID    int64
	ClientName  string
	Status      string // unread, open, escalated, closed
	LastBody    string // the latest message either way (the inbox list)
	LastInbound string // the client's latest message to us: what a reply answers
	LastAt      time.Time
}

// Conversations lists the inbox; status "" means every open thread (not closed).
func (s *Store) Conversations(ctx context.Context, venueID int64, status string) ([]Conversation, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT cv.client_id, c.first_name || ' ' || c.last_name, cv.status,
		coalesce((SELECT body FROM messages m WHERE m.venue_id = cv.venue_id AND m.client_id = cv.client_id ORDER BY m.created_at DESC, m.id DESC LIMIT 1), ''),
		coalesce((SELECT body FROM messages m WHERE m.venue_id = cv.venue_id AND m.client_id = cv.client_id AND m.direction = 'in'
			ORDER BY m.created_at DESC, m.id DESC LIMIT 1), ''),
		cv.last_message_at
		FROM conversations cv JOIN clients c ON c.id = cv.client_id
		WHERE cv.venue_id = ? AND ((? = '' AND cv.status <> 'closed') OR cv.status = ?)
		ORDER BY CASE cv.status WHEN 'escalated' THEN 0 WHEN 'unread' THEN 1 ELSE 2 END, cv.last_message_at DESC LIMIT 200`, venueID, status, status)
	if err != nil {
		return nil, fmt.Errorf("store: conversations: %w", err)
	}
	defer rows.Close()
	var out []Conversation
	for rows.Next() {
		var cv Conversation
		var at int64
		if err := rows.Scan(&cv.ClientID, &cv.ClientName, &cv.Status, &cv.LastBody, &cv.LastInbound, &at); err != nil {
			return nil, err
		}
		cv.LastAt = time.Unix(at, 0).UTC()
		out = append(out, cv)
	}
	return out, rows.Err()
}

// ConversationStatus returns a client's thread status, or "" when there is none.
func (s *Store) ConversationStatus(ctx context.Context, venueID, clientID int64) (string, error) {
	var st string
	err := s.db.QueryRowContext(ctx, `SELECT status FROM conversations WHERE venue_id = ? AND client_id = ?`, venueID, clientID).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return st, mapErr(err, "conversation")
}

// SetConversationStatus opens (creating if needed), escalates or closes a thread.
func (s *Store) SetConversationStatus(ctx context.Context, venueID, clientID, actor int64, status string) error {
	if err := salon.CheckConversationStatus(status); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO conversations (venue_id, client_id, status, last_message_at)
		SELECT ?, id, ?, ? FROM clients WHERE venue_id = ? AND id = ?
		ON CONFLICT (venue_id, client_id) DO UPDATE SET status = excluded.status`, venueID, status, s.now().Unix(), venueID, clientID)
	return mapErr(err, "conversation status")
}

// CountOpenConversations counts unread and escalated threads (the inbox reply gate).
func (s *Store) CountOpenConversations(ctx context.Context, venueID int64) (unread, escalated int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT coalesce(sum(status = 'unread'), 0), coalesce(sum(status = 'escalated'), 0) FROM conversations WHERE venue_id = ?`,
		venueID).Scan(&unread, &escalated)
	return unread, escalated, mapErr(err, "open conversations")
}

// CountLapsed counts lapsed clients (no completed visit in windowDays, nothing booked
// ahead) who have not opted out of the venue's channel.
func (s *Store) CountLapsed(ctx context.Context, v salon.Venue, windowDays int) (int, error) {
	now := s.now()
	optOut := "sms_opt_out"
	if v.Channel() == salon.Email {
		optOut = "email_opt_out"
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM clients WHERE venue_id = ? AND last_visit_at < ?
		AND (last_booked_at IS NULL OR last_booked_at <= ?) AND `+optOut+` = 0`,
		v.ID, now.AddDate(0, 0, -windowDays).Unix(), now.Unix()).Scan(&n)
	return n, mapErr(err, "count lapsed")
}
