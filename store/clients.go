package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"concierge/salon"
)

const clientCols = `c.id, c.venue_id, coalesce(c.external_id, ''), c.first_name, c.last_name, c.phone, c.email,
	c.birth_day, c.birth_month, c.birth_year, c.sms_opt_out, c.email_opt_out, c.blocked, c.notify_sms, c.notify_email,
	c.tags, coalesce(c.assigned_staff_id, 0), c.created_at, c.last_reconnect_sent_at, c.last_campaign_sent_at`

func scanClient(row interface{ Scan(...any) error }) (salon.Client, error) {
	var c salon.Client
	var tags string
	var created int64
	var lr, lc sql.NullInt64
	err := row.Scan(&c.ID, &c.VenueID, &c.ExternalID, &c.FirstName, &c.LastName, &c.Phone, &c.Email,
		&c.Birthday.Day, &c.Birthday.Month, &c.Birthday.Year, &c.SMSOptOut, &c.EmailOptOut, &c.Blocked,
		&c.NotifySMS, &c.NotifyEmail, &tags, &c.AssignedStaffID, &created, &lr, &lc)
	c.Tags = salon.ParseTags(tags)
	c.CreatedAt = time.Unix(created, 0).UTC()
	c.LastReconnectSentAt, c.LastCampaignSentAt = fromUnix(lr), fromUnix(lc)
	return c, err
}

// Client loads one client of the venue.
func (s *Store) Client(ctx context.Context, venueID, id int64) (salon.Client, error) {
	c, err := scanClient(s.db.QueryRowContext(ctx, `SELECT `+clientCols+` FROM clients c WHERE c.venue_id = ? AND c.id = ?`, venueID, id))
	return c, mapErr(err, "client")
}

// ClientsByPhone lists the clients (in any venue) with this E.164 phone, for inbound SMS.
func (s *Store) ClientsByPhone(ctx context.Context, phone string) ([]salon.Client, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+clientCols+` FROM clients c JOIN venues v ON v.id = c.venue_id
		WHERE c.phone = ? AND v.country IN ('AU','GB') ORDER BY c.id`, phone)
	if err != nil {
		return nil, fmt.Errorf("store: clients by phone: %w", err)
	}
	return collectClients(rows)
}

// PhoneMatch is a client with the phone an inbound text came from, in one venue.
type PhoneMatch struct {
	Client salon.Client
	// Texted says the client's venue has texted them from the number the inbound text
	// was sent to: the conversation is that venue's.
	Texted bool
}

// ClientsByPhoneTo lists the clients of venues that text (AU, GB) with this E.164
// phone, each saying whether their venue has texted them from ourNumber.
func (s *Store) ClientsByPhoneTo(ctx context.Context, phone, ourNumber string) ([]PhoneMatch, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+clientCols+`, EXISTS (SELECT 1 FROM messages m WHERE m.venue_id = c.venue_id
			AND m.client_id = c.id AND m.direction = 'out' AND m.channel = 'sms' AND m.from_addr = ?2)
		FROM clients c JOIN venues v ON v.id = c.venue_id
		WHERE c.phone = ?1 AND v.country IN ('AU','GB') ORDER BY c.id`, phone, ourNumber)
	if err != nil {
		return nil, fmt.Errorf("store: clients by phone: %w", err)
	}
	defer rows.Close()
	var out []PhoneMatch
	for rows.Next() {
		var m PhoneMatch
		var texted bool
		c, err := scanClient(scanPlus{rows, &texted})
		if err != nil {
			return nil, err
		}
		m.Client, m.Texted = c, texted
		out = append(out, m)
	}
	return out, rows.Err()
}

// scanPlus scans a row of clientCols followed by extra columns.
type scanPlus struct {
	row   interface{ Scan(...any) error }
	extra any
}

func (p scanPlus) Scan(dest ...any) error { return p.row.Scan(append(dest, p.extra)...) }

// collectClients reads client rows (selected with clientCols) and closes them.
func collectClients(rows *sql.Rows) ([]salon.Client, error) { return collect(rows, scanClient) }

// ClientPage is one page of search results.
type ClientPage struct {
	Clients []salon.Client
	Total   int
	Page    int
	PerPage int
}

// Pages is the number of pages.
func (p ClientPage) Pages() int {
	if p.Total == 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

// SearchClients finds clients by name, phone (either form) or email, 25 a page, in
// name order. search_text is kept lower-cased with phone digits at write time, so the
// filter is a plain substring test (instr) over the covering index clients_search:
// one index-only pass counts, a second stops after the page's ids, and only those 25
// rows are read from the table.
func (s *Store) SearchClients(ctx context.Context, venueID int64, query string, page int) (ClientPage, error) {
	const perPage = 25
	if page < 1 {
		page = 1
	}
	term := salon.SearchTerm(query)
	out := ClientPage{Page: page, PerPage: perPage}
	filter, args := `venue_id = ?`, []any{venueID}
	if term != "" {
		filter, args = `venue_id = ? AND instr(search_text, ?) > 0`, []any{venueID, term}
	}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM clients INDEXED BY clients_search WHERE `+filter, args...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("store: count clients: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM clients INDEXED BY clients_search WHERE `+filter+`
		ORDER BY last_name, first_name, id LIMIT ? OFFSET ?`, append(args, perPage, (page-1)*perPage)...)
	if err != nil {
		return out, fmt.Errorf("store: search clients: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return out, err
		}
		ids = append(ids, fmt.Sprint(id))
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return out, err
	}
	// The ids are integers we formatted, so joining them into the query is safe.
	crows, err := s.db.QueryContext(ctx, `SELECT `+clientCols+` FROM clients c WHERE c.venue_id = ? AND c.id IN (`+strings.Join(ids, ",")+`)
		ORDER BY c.last_name, c.first_name, c.id`, venueID)
	if err != nil {
		return out, fmt.Errorf("store: load clients: %w", err)
	}
	out.Clients, err = collectClients(crows)
	return out, err
}

// CreateClient validates and adds a client.
func (s *Store) CreateClient(ctx context.Context, venueID, actorID int64, in salon.ClientInput) (salon.Client, error) {
	v, err := s.Venue(ctx, venueID)
	if err != nil {
		return salon.Client{}, err
	}
	c, err := in.Check(v.Country)
	if err != nil {
		return salon.Client{}, err
	}
	var id int64
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		id, err = insertClient(ctx, tx, venueID, c, s.now())
		if err != nil {
			return err
		}
		return audit(ctx, tx, s.now(), venueID, actorID, "client", id, "created", nil, c)
	})
	if err != nil {
		return salon.Client{}, err
	}
	return s.Client(ctx, venueID, id)
}

func insertClient(ctx context.Context, tx *sql.Tx, venueID int64, c salon.Client, now time.Time) (int64, error) {
	var ext any
	if c.ExternalID != "" {
		ext = c.ExternalID
	}
	var assigned any
	if c.AssignedStaffID != 0 {
		assigned = c.AssignedStaffID
	}
	created := c.CreatedAt
	if created.IsZero() {
		created = now
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO clients (venue_id, external_id, first_name, last_name, phone, email,
		birth_day, birth_month, birth_year, sms_opt_out, email_opt_out, blocked, notify_sms, notify_email, tags,
		assigned_staff_id, search_text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		venueID, ext, c.FirstName, c.LastName, c.Phone, c.Email, c.Birthday.Day, c.Birthday.Month, c.Birthday.Year,
		b2i(c.SMSOptOut), b2i(c.EmailOptOut), b2i(c.Blocked), b2i(c.NotifySMS), b2i(c.NotifyEmail),
		strings.Join(c.Tags, ";"), assigned, c.SearchText(), created.Unix())
	if err != nil {
		return 0, mapErr(err, "client")
	}
	return res.LastInsertId()
}

// UpdateClient validates the form and saves it; on any error nothing changes.
func (s *Store) UpdateClient(ctx context.Context, venueID, actorID, id int64, in salon.ClientInput) (salon.Client, error) {
	v, err := s.Venue(ctx, venueID)
	if err != nil {
		return salon.Client{}, err
	}
	c, err := in.Check(v.Country)
	if err != nil {
		return salon.Client{}, err
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		before, err := scanClient(tx.QueryRowContext(ctx, `SELECT `+clientCols+` FROM clients c WHERE c.venue_id = ? AND c.id = ?`, venueID, id))
		if err != nil {
			return mapErr(err, "client")
		}
		_, err = tx.ExecContext(ctx, `UPDATE clients SET first_name = ?, last_name = ?, phone = ?, email = ?,
			birth_day = ?, birth_month = ?, birth_year = ?, sms_opt_out = ?, email_opt_out = ?, blocked = ?,
			notify_sms = ?, notify_email = ?, tags = ?, search_text = ? WHERE venue_id = ? AND id = ?`,
			c.FirstName, c.LastName, c.Phone, c.Email, c.Birthday.Day, c.Birthday.Month, c.Birthday.Year,
			b2i(c.SMSOptOut), b2i(c.EmailOptOut), b2i(c.Blocked), b2i(c.NotifySMS), b2i(c.NotifyEmail),
			strings.Join(c.Tags, ";"), c.SearchText(), venueID, id)
		if err != nil {
			return mapErr(err, "client")
		}
		c.ID, c.VenueID = id, venueID
		return audit(ctx, tx, s.now(), venueID, actorID, "client", id, "updated", before, c)
	})
	if err != nil {
		return salon.Client{}, err
	}
	return s.Client(ctx, venueID, id)
}

// SetSMSOptOut records an opt-out or opt-in (from a STOP/START text); it reports whether
// anything changed so a replay does nothing twice.
func (s *Store) SetSMSOptOut(ctx context.Context, venueID, clientID int64, optOut bool) (bool, error) {
	var changed bool
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE clients SET sms_opt_out = ? WHERE venue_id = ? AND id = ? AND sms_opt_out <> ?`,
			b2i(optOut), venueID, clientID, b2i(optOut))
		if err != nil {
			return fmt.Errorf("store: opt out: %w", err)
		}
		n, _ := res.RowsAffected()
		changed = n > 0
		if !changed {
			return nil
		}
		return audit(ctx, tx, s.now(), venueID, 0, "client", clientID, map[bool]string{true: "sms_opted_out", false: "sms_opted_in"}[optOut], nil, nil)
	})
	return changed, err
}

// ClientStats summarises a client's history for their page.
type ClientStats struct {
	Completed, NoShows, Upcoming int
	SpendMinor                   int64
	LastVisit                    time.Time
}

// ClientStats counts a client's bookings.
func (s *Store) ClientStats(ctx context.Context, venueID, clientID int64) (ClientStats, error) {
	var st ClientStats
	var last sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT
		coalesce(sum(status = 'completed'), 0), coalesce(sum(status = 'no_show'), 0),
		coalesce(sum(status = 'booked' AND start_at >= ?), 0),
		coalesce(sum(CASE WHEN status = 'completed' THEN price_minor END), 0),
		max(CASE WHEN status = 'completed' THEN start_at END)
		FROM bookings WHERE venue_id = ? AND client_id = ?`, s.now().Unix(), venueID, clientID).
		Scan(&st.Completed, &st.NoShows, &st.Upcoming, &st.SpendMinor, &last)
	st.LastVisit = fromUnix(last)
	return st, mapErr(err, "client stats")
}

// ClientsByID loads the venue's clients with these ids, in the order given (ids of
// another venue or of nobody are left out).
func (s *Store) ClientsByID(ctx context.Context, venueID int64, ids []int64) ([]salon.Client, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{venueID}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+clientCols+` FROM clients c WHERE c.venue_id = ? AND c.id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: clients by id: %w", err)
	}
	found, err := collectClients(rows)
	if err != nil {
		return nil, err
	}
	byID := map[int64]salon.Client{}
	for _, c := range found {
		byID[c.ID] = c
	}
	out := make([]salon.Client, 0, len(found))
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			out = append(out, c)
			delete(byID, id)
		}
	}
	return out, nil
}
