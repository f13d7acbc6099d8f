package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"concierge/salon"
)

// Online booking: one-time sign-in codes, drafts and the waitlist.

// OTP limits, each per hour: codes to one destination (a phone texted, an address
// emailed) across venues; codes for one phone at one venue; codes from one client
// network (an IPv6 /64) across venues; codes one venue sends in total.
const (
	OTPLife       = 5 * time.Minute
	OTPMaxTries   = 5
	OTPPerPhoneHr = 3
	OTPPerDestHr  = 3
	OTPPerIPHr    = 10
	OTPPerVenueHr = 60
	DraftAbandon  = salon.DraftAbandon  // Review's countdown: after it a draft is incomplete
	DraftLifetime = salon.DraftLifetime // after the client's last engagement a draft expires
	otpWindow     = time.Hour
)

func hashCode(code string) string {
	h := sha256.Sum256([]byte(code))
	return hex.EncodeToString(h[:])
}

// ErrTooManyCodes says when another code may be asked for, and which field the limit
// is about ("phone" or "email").
type ErrTooManyCodes struct {
	RetryIn time.Duration
	Field   string
}

func (e *ErrTooManyCodes) Error() string {
	return fmt.Sprintf("Too many codes asked for: try again in %d minutes.", int(e.RetryIn.Minutes())+1)
}

// CodeRequest is a sign-in code to record.
type CodeRequest struct {
	Phone   string // E.164: who signs in
	Email   string // where the code goes at an email-only venue; "" when it is texted to Phone
	Network string // the requester's network (salon.ClientNetwork)
	Code    string
}

// IssueCode records a new sign-in code, refusing it when any hourly limit is reached.
// The rate limits look across venues on purpose (a victim's phone, address or an
// attacker's network is the same whichever venue is used), so those counts do not
// filter by venue.
func (s *Store) IssueCode(ctx context.Context, venueID int64, r CodeRequest) error {
	now := s.now()
	r.Email = strings.ToLower(strings.TrimSpace(r.Email))
	dest := struct {
		q     string
		arg   any
		field string
	}{`SELECT count(*), coalesce(min(created_at), 0) FROM otp_codes WHERE phone = ? AND email = '' AND created_at > ?`, r.Phone, "phone"}
	if r.Email != "" {
		dest.q, dest.arg, dest.field = `SELECT count(*), coalesce(min(created_at), 0) FROM otp_codes WHERE email = ? AND created_at > ?`, r.Email, "email"
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		since := now.Add(-otpWindow).Unix()
		for _, lim := range []struct {
			q     string
			args  []any
			max   int
			field string
		}{
			{dest.q, []any{dest.arg, since}, OTPPerDestHr, dest.field},
			{`SELECT count(*), coalesce(min(created_at), 0) FROM otp_codes WHERE venue_id = ? AND phone = ? AND created_at > ?`,
				[]any{venueID, r.Phone, since}, OTPPerPhoneHr, "phone"},
			{`SELECT count(*), coalesce(min(created_at), 0) FROM otp_codes WHERE ip = ? AND created_at > ?`, []any{r.Network, since}, OTPPerIPHr, "phone"},
			{`SELECT count(*), coalesce(min(created_at), 0) FROM otp_codes WHERE venue_id = ? AND created_at > ?`, []any{venueID, since}, OTPPerVenueHr, "phone"},
		} {
			var n int
			var oldest int64
			if err := tx.QueryRowContext(ctx, lim.q, lim.args...).Scan(&n, &oldest); err != nil {
				return fmt.Errorf("store: code limits: %w", err)
			}
			if n >= lim.max {
				return &ErrTooManyCodes{RetryIn: time.Unix(oldest, 0).Add(otpWindow).Sub(now), Field: lim.field}
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO otp_codes (venue_id, phone, email, code_hash, ip, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			venueID, r.Phone, r.Email, hashCode(r.Code), r.Network, now.Unix(), now.Add(OTPLife).Unix())
		return mapErr(err, "code")
	})
}

// ErrBadCode is a wrong, used or expired code, or one tried too often.
var ErrBadCode = salon.Invalid(map[string]string{"code": "That code is not right or has expired. Check the text, or ask for a new code."})

// ErrCodeLocked is a code tried OTPMaxTries times.
var ErrCodeLocked = salon.Invalid(map[string]string{"code": "Too many wrong tries for this code: ask for a new one."})

// VerifyCode checks the latest code for the phone and the email it was sent to ("" for
// a texted code): single use, within its life, at most OTPMaxTries guesses (the 6th is
// refused even if right).
func (s *Store) VerifyCode(ctx context.Context, venueID int64, phone, email, code string) error {
	now := s.now().Unix()
	email = strings.ToLower(strings.TrimSpace(email))
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var id int64
		var hash string
		var tries int
		var expires int64
		var used sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT id, code_hash, tries, expires_at, used_at FROM otp_codes WHERE venue_id = ? AND phone = ?
			AND email = ? ORDER BY id DESC LIMIT 1`, venueID, phone, email).Scan(&id, &hash, &tries, &expires, &used)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrBadCode
		}
		if err != nil {
			return fmt.Errorf("store: code: %w", err)
		}
		if used.Valid || now >= expires {
			return ErrBadCode
		}
		if tries >= OTPMaxTries {
			return ErrCodeLocked
		}
		if _, err := tx.ExecContext(ctx, `UPDATE otp_codes SET tries = tries + 1 WHERE id = ?`, id); err != nil {
			return fmt.Errorf("store: code try: %w", err)
		}
		if hashCode(strings.TrimSpace(code)) != hash {
			return errCommitAnyway{ErrBadCode}
		}
		_, err = tx.ExecContext(ctx, `UPDATE otp_codes SET used_at = ? WHERE id = ?`, now, id)
		return err
	})
}

// SignInClient finds the venue's client a verified sign-in belongs to: by the phone a
// code was texted to, or by the address a code was emailed to (pass "" for the one
// not verified). The oldest such client wins; none is salon.ErrNotFound.
func (s *Store) SignInClient(ctx context.Context, venueID int64, phone, email string) (salon.Client, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if phone == "" && email == "" {
		return salon.Client{}, salon.ErrNotFound
	}
	c, err := scanClient(s.db.QueryRowContext(ctx, `SELECT `+clientCols+` FROM clients c WHERE c.venue_id = ?1
		AND ((?2 <> '' AND c.phone = ?2) OR (?3 <> '' AND lower(c.email) = ?3)) ORDER BY c.id LIMIT 1`, venueID, phone, email))
	return c, mapErr(err, "sign-in client")
}

// SaveOutboxCode keeps the real one-time code of a message handed to the outbox
// provider (the demo aid; nothing is really sent then).
func (s *Store) SaveOutboxCode(ctx context.Context, venueID, messageID int64, code string) error {
	_, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO outbox_codes (message_id, venue_id, code) VALUES (?, ?, ?)`, messageID, venueID, code)
	return mapErr(err, "outbox code")
}

// OutboxCodes returns the demo codes of the venue's listed messages, by message id.
func (s *Store) OutboxCodes(ctx context.Context, venueID int64, messageIDs []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(messageIDs) == 0 {
		return out, nil
	}
	marks := make([]string, len(messageIDs))
	args := []any{venueID}
	for i, id := range messageIDs {
		marks[i] = "?"
		args = append(args, id)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT message_id, code FROM outbox_codes WHERE venue_id = ? AND message_id IN (`+
		strings.Join(marks, ",")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: outbox codes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, err
		}
		out[id] = code
	}
	return out, rows.Err()
}

// errCommitAnyway is returned from a transaction whose writes must stay (a counted
// wrong guess) while the caller still sees the error.
type errCommitAnyway struct{ err error }

func (e errCommitAnyway) Error() string { return e.err.Error() }
func (e errCommitAnyway) Unwrap() error { return e.err }

// Draft is a client's booking in progress.
type Draft = salon.BookingDraft

// NewDraft is what Review captures.
type NewDraft = salon.NewBookingDraft

// SaveDraft captures (or updates: one live draft per client) a draft as the client
// reaches Review: their 10 minutes start now, and a fresh abandonment may earn a fresh
// reminder.
func (s *Store) SaveDraft(ctx context.Context, venueID int64, n NewDraft) (Draft, error) {
	if err := n.Validate(); err != nil {
		return Draft{}, err
	}
	now := s.now().Unix()
	ids := make([]string, len(n.ServiceIDs))
	for i, id := range n.ServiceIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	var id int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO booking_drafts (venue_id, client_id, service_ids, variant_ids, package_id, staff_id, start_at, notes, status,
			review_started_at, last_engaged_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)
		ON CONFLICT (venue_id, client_id) WHERE status IN ('active', 'incomplete', 'dismissed') DO UPDATE SET
			service_ids = excluded.service_ids, variant_ids = excluded.variant_ids, package_id = excluded.package_id, staff_id = excluded.staff_id, start_at = excluded.start_at, notes = excluded.notes,
			status = 'active', review_started_at = excluded.review_started_at, last_engaged_at = excluded.last_engaged_at,
			incomplete_at = NULL, reminder_sent_at = NULL, reminder_channels = '', reminder_note = ''
		RETURNING id`, venueID, n.ClientID, strings.Join(ids, ","), salon.FormatVariants(n.Variants), n.PackageID, n.StaffID, n.Start.Unix(), strings.TrimSpace(n.Notes), now, now, now).Scan(&id)
	if err != nil {
		return Draft{}, mapErr(err, "draft")
	}
	return s.Draft(ctx, venueID, id)
}

const draftCols = `d.id, d.venue_id, d.client_id, c.first_name || ' ' || c.last_name, c.phone, c.email, d.service_ids, d.staff_id,
	coalesce(st.name, ''), d.start_at, d.notes, d.status, d.review_started_at, d.last_engaged_at, coalesce(d.reminder_sent_at, 0),
	d.reminder_channels, d.reminder_note, c.first_name, c.sms_opt_out, c.email_opt_out, c.blocked, c.notify_sms, c.notify_email, d.variant_ids, d.package_id`

const draftFrom = ` FROM booking_drafts d JOIN clients c ON c.id = d.client_id LEFT JOIN staff st ON st.id = d.staff_id `

func scanDraft(row interface{ Scan(...any) error }) (Draft, error) {
	var d Draft
	var ids string
	var start, review, engaged, reminder int64
	var channels, variants string
	r := &d.Reach
	err := row.Scan(&d.ID, &d.VenueID, &d.ClientID, &d.ClientName, &d.Phone, &d.Email, &ids, &d.StaffID, &d.StaffName, &start, &d.Notes,
		&d.Status, &review, &engaged, &reminder, &channels, &d.ReminderNote, &r.FirstName, &r.SMSOptOut, &r.EmailOptOut, &r.Blocked,
		&r.NotifySMS, &r.NotifyEmail, &variants, &d.PackageID)
	d.Variants = salon.ParseVariants(variants)
	r.ID, r.VenueID, r.Phone, r.Email = d.ClientID, d.VenueID, d.Phone, d.Email
	for _, ch := range strings.Split(channels, ",") {
		if ch != "" {
			d.ReminderChannels = append(d.ReminderChannels, salon.Channel(ch))
		}
	}
	d.ServiceIDs = parseIDs(ids)
	d.Start, d.ReviewStartedAt, d.LastEngagedAt = time.Unix(start, 0).UTC(), time.Unix(review, 0).UTC(), time.Unix(engaged, 0).UTC()
	if reminder != 0 {
		d.ReminderSentAt = time.Unix(reminder, 0).UTC()
	}
	return d, err
}

// Draft loads one draft.
func (s *Store) Draft(ctx context.Context, venueID, id int64) (Draft, error) {
	d, err := scanDraft(s.db.QueryRowContext(ctx, `SELECT `+draftCols+draftFrom+` WHERE d.venue_id = ? AND d.id = ?`, venueID, id))
	return d, mapErr(err, "draft")
}

// IncompleteDrafts lists the venue's incomplete drafts, most recent activity first.
func (s *Store) IncompleteDrafts(ctx context.Context, venueID int64) ([]Draft, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+draftCols+draftFrom+` WHERE d.venue_id = ? AND d.status = 'incomplete'
		ORDER BY d.last_engaged_at DESC`, venueID)
	if err != nil {
		return nil, fmt.Errorf("store: incomplete drafts: %w", err)
	}
	defer rows.Close()
	var out []Draft
	for rows.Next() {
		d, err := scanDraft(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// CountIncomplete counts the venue's incomplete drafts (the badge and the KPI card).
func (s *Store) CountIncomplete(ctx context.Context, venueID int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM booking_drafts WHERE venue_id = ? AND status = 'incomplete'`, venueID).Scan(&n)
	return n, mapErr(err, "count incomplete")
}

// MarkAbandoned turns drafts whose 10 minutes have run out into incomplete ones and
// returns them (each exactly once: the status change is the claim).
func (s *Store) MarkAbandoned(ctx context.Context) ([]Draft, error) {
	now := s.now().Unix()
	rows, err := s.db.QueryContext(ctx, `UPDATE booking_drafts SET status = 'incomplete', incomplete_at = ?
		WHERE status = 'active' AND review_started_at <= ? RETURNING id, venue_id`, now, now-int64(DraftAbandon.Seconds()))
	if err != nil {
		return nil, fmt.Errorf("store: abandon drafts: %w", err)
	}
	type ref struct{ id, venue int64 }
	var refs []ref
	for rows.Next() {
		var r ref
		if err := rows.Scan(&r.id, &r.venue); err != nil {
			rows.Close()
			return nil, err
		}
		refs = append(refs, r)
	}
	rows.Close()
	var out []Draft
	for _, r := range refs {
		d, err := s.Draft(ctx, r.venue, r.id)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// ClaimReminder claims a draft's automatic reminder for this abandonment; one caller
// wins. RecordReminder then says what it did.
func (s *Store) ClaimReminder(ctx context.Context, venueID, draftID int64) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE booking_drafts SET reminder_sent_at = ?, reminder_channels = '', reminder_note = ''
		WHERE venue_id = ? AND id = ? AND reminder_sent_at IS NULL`,
		s.now().Unix(), venueID, draftID)
	if err != nil {
		return false, fmt.Errorf("store: claim reminder: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// RecordReminder records what a draft's reminder did, now: the channels it went on, or
// none and why not.
func (s *Store) RecordReminder(ctx context.Context, venueID, draftID int64, sentOn []salon.Channel, note string) error {
	chs := make([]string, len(sentOn))
	for i, ch := range sentOn {
		chs[i] = string(ch)
	}
	_, err := s.db.ExecContext(ctx, `UPDATE booking_drafts SET reminder_sent_at = ?, reminder_channels = ?, reminder_note = ?
		WHERE venue_id = ? AND id = ?`, s.now().Unix(), strings.Join(chs, ","), note, venueID, draftID)
	return mapErr(err, "reminded")
}

// DismissDraft takes an incomplete draft off the panel (it still expires as usual).
func (s *Store) DismissDraft(ctx context.Context, venueID, draftID int64) error {
	res, err := s.db.ExecContext(ctx, `UPDATE booking_drafts SET status = 'dismissed' WHERE venue_id = ? AND id = ? AND status = 'incomplete'`, venueID, draftID)
	if err != nil {
		return fmt.Errorf("store: dismiss: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return salon.ErrNotFound
	}
	return nil
}

// ExpireDrafts removes drafts 24 hours after the client's last engagement.
func (s *Store) ExpireDrafts(ctx context.Context) (int64, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE booking_drafts SET status = 'expired' WHERE status IN ('active', 'incomplete', 'dismissed')
		AND last_engaged_at <= ?`, s.now().Add(-DraftLifetime).Unix())
	if err != nil {
		return 0, fmt.Errorf("store: expire drafts: %w", err)
	}
	return res.RowsAffected()
}

// ErrDraftClosed is a confirm of a draft that is no longer live: already booked, past
// its 10 minutes, or gone.
var ErrDraftClosed = salon.ErrDraftClosed

// ConfirmDraft books a client's live draft, once: the draft is claimed (active and
// within its 10 minutes, turned converted) in the same transaction as the booking, so
// of two confirms of one draft only the first books; a refused booking leaves the
// draft live.
func (s *Store) ConfirmDraft(ctx context.Context, venueID, draftID int64, in BookingInput) (salon.Booking, error) {
	v, err := s.Venue(ctx, venueID)
	if err != nil {
		return salon.Booking{}, err
	}
	now := s.now()
	var id int64
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE booking_drafts SET status = 'converted' WHERE venue_id = ? AND id = ? AND client_id = ?
			AND status = 'active' AND review_started_at > ?`, venueID, draftID, in.ClientID, now.Add(-DraftAbandon).Unix())
		if err != nil {
			return fmt.Errorf("store: claim draft %d: %w", draftID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrDraftClosed
		}
		if id, err = s.insertBooking(ctx, tx, v, 0, in, -1); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE booking_drafts SET booking_id = ? WHERE venue_id = ? AND id = ?`, id, venueID, draftID)
		return err
	})
	if err != nil {
		return salon.Booking{}, err
	}
	return s.Booking(ctx, venueID, id)
}

// convertDrafts marks a client's live draft converted when they book (inside the
// booking's transaction).
func convertDrafts(ctx context.Context, tx *sql.Tx, venueID, clientID, bookingID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE booking_drafts SET status = 'converted', booking_id = ? WHERE venue_id = ? AND client_id = ?
		AND status IN ('active', 'incomplete', 'dismissed')`, bookingID, venueID, clientID)
	if err != nil {
		return fmt.Errorf("store: convert draft: %w", err)
	}
	return nil
}

// IncompleteReminder and WaitlistEntry are salon's; the aliases keep the store's
// callers compiling.
type (
	IncompleteReminder = salon.IncompleteReminder
	WaitlistEntry      = salon.WaitlistEntry
)

// IncompleteReminderSettings reads the reminder setting.
func (s *Store) IncompleteReminderSettings(ctx context.Context, venueID int64) (IncompleteReminder, error) {
	var r IncompleteReminder
	err := s.db.QueryRowContext(ctx, `SELECT incomplete_reminder_sms, incomplete_reminder_email, incomplete_reminder_template FROM venues WHERE id = ?`,
		venueID).Scan(&r.SMS, &r.Email, &r.Template)
	return r, mapErr(err, "incomplete reminder")
}

// SaveIncompleteReminder saves the reminder setting (the caller has validated it with
// salon.IncompleteReminder.Validate).
func (s *Store) SaveIncompleteReminder(ctx context.Context, v salon.Venue, actor int64, r IncompleteReminder) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE venues SET incomplete_reminder_sms = ?, incomplete_reminder_email = ?, incomplete_reminder_template = ?
			WHERE id = ?`, b2i(r.SMS), b2i(r.Email), strings.TrimSpace(r.Template), v.ID); err != nil {
			return fmt.Errorf("store: incomplete reminder: %w", err)
		}
		return audit(ctx, tx, s.now(), v.ID, actor, "venue", v.ID, "incomplete_reminder_set", nil, r)
	})
}

// AddWaitlist adds an entry, once salon.WaitlistEntry.Validate accepts it with what
// only a query can tell: the client is the venue's and every service is on offer.
func (s *Store) AddWaitlist(ctx context.Context, venueID, actor int64, e WaitlistEntry) (int64, error) {
	var n int
	s.db.QueryRowContext(ctx, `SELECT count(*) FROM clients WHERE venue_id = ? AND id = ?`, venueID, e.ClientID).Scan(&n)
	clientKnown, servicesAvailable := n > 0, true
	for _, id := range e.ServiceIDs {
		if s.db.QueryRowContext(ctx, `SELECT count(*) FROM services WHERE venue_id = ? AND id = ? AND archived = 0`, venueID, id).Scan(&n); n == 0 {
			servicesAvailable = false
		}
	}
	if err := e.Validate(clientKnown, servicesAvailable); err != nil {
		return 0, err
	}
	days := make([]string, len(e.Days))
	for i, d := range e.Days {
		days[i] = strconv.Itoa(d)
	}
	ids := make([]string, len(e.ServiceIDs))
	for i, id := range e.ServiceIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO waitlist_entries (venue_id, client_id, service_ids, days, times, notes, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, venueID, e.ClientID, strings.Join(ids, ","), strings.Join(days, ","), strings.Join(e.Bands, ","),
			strings.TrimSpace(e.Notes), s.now().Unix())
		if err != nil {
			return mapErr(err, "waitlist")
		}
		id, _ = res.LastInsertId()
		return audit(ctx, tx, s.now(), venueID, actor, "waitlist", id, "added", nil, e)
	})
	return id, err
}

// RemoveWaitlist removes an entry.
func (s *Store) RemoveWaitlist(ctx context.Context, venueID, actor, id int64) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM waitlist_entries WHERE venue_id = ? AND id = ?`, venueID, id)
		if err != nil {
			return fmt.Errorf("store: remove waitlist: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return salon.ErrNotFound
		}
		return audit(ctx, tx, s.now(), venueID, actor, "waitlist", id, "removed", nil, nil)
	})
}

// Waitlist lists the venue's entries, oldest first.
func (s *Store) Waitlist(ctx context.Context, venueID int64) ([]WaitlistEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT w.id, w.client_id, c.first_name || ' ' || c.last_name, c.phone, w.service_ids, w.days, w.times,
		w.notes, w.created_at FROM waitlist_entries w JOIN clients c ON c.id = w.client_id WHERE w.venue_id = ? ORDER BY w.id`, venueID)
	if err != nil {
		return nil, fmt.Errorf("store: waitlist: %w", err)
	}
	defer rows.Close()
	var out []WaitlistEntry
	for rows.Next() {
		var e WaitlistEntry
		var ids, days, times string
		var created int64
		if err := rows.Scan(&e.ID, &e.ClientID, &e.ClientName, &e.Phone, &ids, &days, &times, &e.Notes, &created); err != nil {
			return nil, err
		}
		e.ServiceIDs = parseIDs(ids)
		for _, d := range parseIDs(days) {
			e.Days = append(e.Days, int(d))
		}
		if times != "" {
			e.Bands = strings.Split(times, ",")
		}
		e.CreatedAt = time.Unix(created, 0).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}
