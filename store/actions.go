package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"concierge/salon"
)

const actionCols = `a.id, a.venue_id, a.kind, a.status, a.tier, a.created_by, cu.name, coalesce(a.turn_id, 0), a.title, a.channel, a.subject,
	a.body, a.notes, a.destination, coalesce(a.client_id, 0), coalesce(c.first_name || ' ' || c.last_name, ''), coalesce(c.external_id, ''), coalesce(a.booking_id, 0),
	a.params, a.refines, a.audience, a.cost_e4, a.result_summary, a.result_link, coalesce(a.decided_by, 0), coalesce(du.name, ''),
	a.decided_at, a.reject_reason, a.created_at, a.updated_at, a.queued_at, a.expires_at, a.executed_at, a.scheduled_for`

const actionFrom = ` FROM actions a JOIN users cu ON cu.id = a.created_by LEFT JOIN users du ON du.id = a.decided_by
	LEFT JOIN clients c ON c.id = a.client_id `

func scanAction(row interface{ Scan(...any) error }) (salon.ConciergeAction, error) {
	var a salon.ConciergeAction
	var kind, status, tier, channel, params string
	var created, updated int64
	var decided, queued, expires, executed, scheduled sql.NullInt64
	err := row.Scan(&a.ID, &a.VenueID, &kind, &status, &tier, &a.CreatedBy, &a.CreatorName, &a.TurnID, &a.Title, &channel, &a.Subject,
		&a.Body, &a.Notes, &a.Destination, &a.ClientID, &a.ClientName, &a.ClientExternalID, &a.BookingID, &params, &a.Refines, &a.Audience, &a.CostE4,
		&a.ResultSummary, &a.ResultLink, &a.DecidedBy, &a.DeciderName, &decided, &a.RejectReason, &created, &updated, &queued, &expires, &executed,
		&scheduled)
	if err != nil {
		return a, err
	}
	a.Kind, a.Status, a.Tier, a.Channel = salon.ActionID(kind), salon.ActionStatus(status), salon.Tier(tier), salon.Channel(channel)
	a.ClientName = strings.TrimSpace(a.ClientName)
	json.Unmarshal([]byte(params), &a.Params)
	a.CreatedAt, a.UpdatedAt = time.Unix(created, 0).UTC(), time.Unix(updated, 0).UTC()
	a.DecidedAt, a.QueuedAt, a.ExpiresAt, a.ExecutedAt = fromUnix(decided), fromUnix(queued), fromUnix(expires), fromUnix(executed)
	a.ScheduledFor = fromUnix(scheduled)
	return a, nil
}

// actionSnapshot is what the audit records as an action's before/after draft.
func actionSnapshot(a salon.ConciergeAction) map[string]any {
	return map[string]any{"status": a.Status, "title": a.Title, "subject": a.Subject, "body": a.Body, "notes": a.Notes}
}

// NewAction is a card the Concierge proposes.
type NewAction struct {
	Kind        salon.ActionID
	Tier        salon.Tier
	CreatedBy   int64
	TurnID      int64
	Title       string
	Channel     salon.Channel
	Subject     string
	Body        string
	Notes       string
	Destination string
	ClientID    int64
	BookingID   int64
	Params      salon.ActionParams
	Audience    int
	CostE4      int64
}

// CreateAction records a suggested action; with a body it is drafted at once (both
// transitions are audited) and expires 7 days after creation.
func (s *Store) CreateAction(ctx context.Context, venueID int64, n NewAction) (salon.ConciergeAction, error) {
	now := s.now()
	params, _ := json.Marshal(n.Params)
	status := salon.StatusSuggested
	var expires any
	if n.Tier != salon.Navigate {
		status = salon.StatusDrafted
		expires = now.Add(salon.DraftLife * time.Second).Unix()
	}
	if n.Channel == "" {
		n.Channel = salon.SMS
	}
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO actions (venue_id, kind, status, tier, created_by, turn_id, title, channel, subject, body, notes,
			destination, client_id, booking_id, params, audience, cost_e4, created_at, updated_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			venueID, n.Kind, status, n.Tier, n.CreatedBy, nullID(n.TurnID), n.Title, n.Channel, n.Subject, n.Body, n.Notes, n.Destination,
			nullID(n.ClientID), nullID(n.BookingID), string(params), n.Audience, n.CostE4, now.Unix(), now.Unix(), expires)
		if err != nil {
			return mapErr(err, "action")
		}
		id, _ = res.LastInsertId()
		snap := map[string]any{"kind": n.Kind, "tier": n.Tier, "title": n.Title}
		if err := audit(ctx, tx, now, venueID, n.CreatedBy, "action", id, "suggest", nil, snap); err != nil {
			return err
		}
		if status == salon.StatusDrafted {
			return audit(ctx, tx, now, venueID, n.CreatedBy, "action", id, "draft", nil,
				map[string]any{"title": n.Title, "subject": n.Subject, "body": n.Body, "notes": n.Notes})
		}
		return nil
	})
	if err != nil {
		return salon.ConciergeAction{}, err
	}
	return s.Action(ctx, venueID, id)
}

// Action loads one action of the venue.
func (s *Store) Action(ctx context.Context, venueID, id int64) (salon.ConciergeAction, error) {
	a, err := scanAction(s.db.QueryRowContext(ctx, `SELECT `+actionCols+actionFrom+` WHERE a.venue_id = ? AND a.id = ?`, venueID, id))
	return a, mapErr(err, "action")
}

func (s *Store) listActions(ctx context.Context, where string, args ...any) ([]salon.ConciergeAction, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+actionCols+actionFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list actions: %w", err)
	}
	return collect(rows, scanAction)
}

// TurnActions lists the actions proposed in the given turns.
func (s *Store) TurnActions(ctx context.Context, venueID int64, turnIDs []int64) (map[int64][]salon.ConciergeAction, error) {
	out := map[int64][]salon.ConciergeAction{}
	if len(turnIDs) == 0 {
		return out, nil
	}
	ids := make([]string, len(turnIDs))
	for i, id := range turnIDs {
		ids[i] = fmt.Sprint(id)
	}
	list, err := s.listActions(ctx, `WHERE a.venue_id = ? AND a.turn_id IN (`+strings.Join(ids, ",")+`) ORDER BY a.id`, venueID)
	for _, a := range list {
		out[a.TurnID] = append(out[a.TurnID], a)
	}
	return out, err
}

// PendingActions lists the approval queue, oldest first.
func (s *Store) PendingActions(ctx context.Context, venueID int64) ([]salon.ConciergeAction, error) {
	return s.listActions(ctx, `WHERE a.venue_id = ? AND a.status = 'pending' ORDER BY a.queued_at, a.id`, venueID)
}

// CountPendingActions counts the approval queue (the rows PendingActions lists): the
// menu's Approvals badge on every page of an Owner or Manager.
func (s *Store) CountPendingActions(ctx context.Context, venueID int64) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM actions WHERE venue_id = ? AND status = 'pending'`, venueID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count pending actions: %w", err)
	}
	return n, nil
}

// DecidedActions lists the approval history: who approved or rejected what and when.
func (s *Store) DecidedActions(ctx context.Context, venueID int64, limit int) ([]salon.ConciergeAction, error) {
	return s.listActions(ctx, `WHERE a.venue_id = ? AND a.decided_by IS NOT NULL ORDER BY a.decided_at DESC, a.id DESC LIMIT ?`, venueID, limit)
}

// transition moves an action from one of `from` to `to` atomically, with the extra
// column assignments in set, and audits it. It fails with ErrActionExpired when the
// action's time ran out (marking it expired) and ErrActionClosed when it is no longer
// in a `from` status: of concurrent callers exactly one wins.
//
// check, when given, runs inside the transaction on the current row (limits such as
// the refine count); to == "" keeps the status.
func (s *Store) transition(ctx context.Context, venueID, id, actor int64, event string, from []salon.ActionStatus, to salon.ActionStatus,
	check func(salon.ConciergeAction) error, set string, args ...any) (salon.ConciergeAction, error) {
	now := s.now()
	var after salon.ConciergeAction
	expiredNow := false
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		before, err := scanAction(tx.QueryRowContext(ctx, `SELECT `+actionCols+actionFrom+` WHERE a.venue_id = ? AND a.id = ?`, venueID, id))
		if err != nil {
			return mapErr(err, "action")
		}
		ok := false
		for _, f := range from {
			ok = ok || before.Status == f
		}
		if !ok {
			if before.Status == salon.StatusExpired {
				return salon.ErrActionExpired
			}
			return salon.ErrActionClosed
		}
		if before.Expired(now) && to != salon.StatusExpired && to != salon.StatusDiscarded && before.Status != salon.StatusExecuting &&
			before.Status != salon.StatusApproved && before.Status != salon.StatusScheduled {
			// Commit the expiry this late attempt discovered, then refuse.
			expiredNow = true
			return expireTx(ctx, tx, now, venueID, before)
		}
		if check != nil {
			if err := check(before); err != nil {
				return err
			}
		}
		if to == "" {
			to = before.Status
		}
		q := `UPDATE actions SET status = ?, updated_at = ?`
		if set != "" {
			q += ", " + set
		}
		q += ` WHERE venue_id = ? AND id = ? AND status = ?`
		all := append([]any{to, now.Unix()}, args...)
		all = append(all, venueID, id, before.Status)
		res, err := tx.ExecContext(ctx, q, all...)
		if err != nil {
			return fmt.Errorf("store: action %d %s: %w", id, event, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return salon.ErrActionClosed
		}
		after, err = scanAction(tx.QueryRowContext(ctx, `SELECT `+actionCols+actionFrom+` WHERE a.venue_id = ? AND a.id = ?`, venueID, id))
		if err != nil {
			return err
		}
		return audit(ctx, tx, now, venueID, actor, "action", id, event, actionSnapshot(before), actionSnapshot(after))
	})
	if err == nil && expiredNow {
		return salon.ConciergeAction{}, salon.ErrActionExpired
	}
	return after, err
}

func expireTx(ctx context.Context, tx *sql.Tx, now time.Time, venueID int64, a salon.ConciergeAction) error {
	if _, err := tx.ExecContext(ctx, `UPDATE actions SET status = 'expired', updated_at = ? WHERE venue_id = ? AND id = ? AND status = ?`,
		now.Unix(), venueID, a.ID, a.Status); err != nil {
		return fmt.Errorf("store: expire action %d: %w", a.ID, err)
	}
	after := a
	after.Status = salon.StatusExpired
	return audit(ctx, tx, now, venueID, 0, "action", a.ID, "expire", actionSnapshot(a), actionSnapshot(after))
}

// EditDraft saves a hand edit of an open draft (drafted or pending).
func (s *Store) EditDraft(ctx context.Context, venueID, id, actor int64, title, subject, body, notes string) (salon.ConciergeAction, error) {
	a, err := s.Action(ctx, venueID, id)
	if err != nil {
		return a, err
	}
	if a.Title == title && a.Subject == subject && a.Body == body && a.Notes == notes {
		return a, nil
	}
	return s.transition(ctx, venueID, id, actor, "edit", []salon.ActionStatus{salon.StatusDrafted, salon.StatusPending}, "", nil,
		`title = ?, subject = ?, body = ?, notes = ?`, title, subject, body, notes)
}

// Refine replaces the body with a refined one, at most salon.MaxRefines times.
func (s *Store) Refine(ctx context.Context, venueID, id, actor int64, body string) (salon.ConciergeAction, error) {
	return s.transition(ctx, venueID, id, actor, "refine", []salon.ActionStatus{salon.StatusDrafted, salon.StatusPending}, "",
		func(a salon.ConciergeAction) error {
			if a.Refines >= salon.MaxRefines {
				return salon.ErrRefineLimit
			}
			return nil
		}, `body = ?, refines = refines + 1`, body)
}

// Discard closes a draft.
func (s *Store) Discard(ctx context.Context, venueID, id, actor int64) (salon.ConciergeAction, error) {
	return s.transition(ctx, venueID, id, actor, "discard", []salon.ActionStatus{salon.StatusDrafted, salon.StatusSuggested}, salon.StatusDiscarded, nil, "")
}

// Queue sends a draft to the approval queue: pending for 24 hours.
func (s *Store) Queue(ctx context.Context, venueID, id, actor int64, audience int, costE4 int64) (salon.ConciergeAction, error) {
	now := s.now()
	return s.transition(ctx, venueID, id, actor, "queue", []salon.ActionStatus{salon.StatusDrafted}, salon.StatusPending, nil,
		`queued_at = ?, expires_at = ?, audience = ?, cost_e4 = ?, tier = 'approval'`, now.Unix(), now.Add(salon.PendingLife*time.Second).Unix(), audience, costE4)
}

// ClaimExecution takes a drafted (direct send) or approved action for execution. Only
// one caller ever gets it; the others get ErrActionClosed.
func (s *Store) ClaimExecution(ctx context.Context, venueID, id, actor int64) (salon.ConciergeAction, error) {
	return s.transition(ctx, venueID, id, actor, "send", []salon.ActionStatus{salon.StatusDrafted, salon.StatusApproved, salon.StatusSuggested},
		salon.StatusExecuting, nil, "")
}

// FinishExecution records the outcome: executed or failed, with the result card's
// summary and link.
func (s *Store) FinishExecution(ctx context.Context, venueID, id, actor int64, ok bool, summary, link string, params *salon.ActionParams) (salon.ConciergeAction, error) {
	to, event := salon.StatusExecuted, "success"
	if !ok {
		to, event = salon.StatusActFailed, "failure"
	}
	set, args := `result_summary = ?, result_link = ?, executed_at = ?`, []any{summary, link, s.now().Unix()}
	if params != nil {
		b, _ := json.Marshal(params)
		set += `, params = ?`
		args = append(args, string(b))
	}
	return s.transition(ctx, venueID, id, actor, event, []salon.ActionStatus{salon.StatusExecuting}, to, nil, set, args...)
}

// Approve approves a pending action that has not expired; of concurrent approvals (and
// a racing reject) exactly one wins.
func (s *Store) Approve(ctx context.Context, venueID, id, approver int64) (salon.ConciergeAction, error) {
	return s.transition(ctx, venueID, id, approver, "approve", []salon.ActionStatus{salon.StatusPending}, salon.StatusApproved, nil,
		`decided_by = ?, decided_at = ?`, approver, s.now().Unix())
}

// Reject rejects a pending action with an optional reason.
func (s *Store) Reject(ctx context.Context, venueID, id, approver int64, reason string) (salon.ConciergeAction, error) {
	return s.transition(ctx, venueID, id, approver, "reject", []salon.ActionStatus{salon.StatusPending}, salon.StatusRejected, nil,
		`decided_by = ?, decided_at = ?, reject_reason = ?`, approver, s.now().Unix(), strings.TrimSpace(reason))
}

// ExpireDue marks drafts and pending actions whose time ran out as expired (the sweep
// job); it returns how many.
func (s *Store) ExpireDue(ctx context.Context) (int, error) {
	now := s.now()
	n := 0
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+actionCols+actionFrom+` WHERE a.status IN ('drafted', 'pending') AND a.expires_at <= ?`, now.Unix())
		if err != nil {
			return fmt.Errorf("store: due actions: %w", err)
		}
		var due []salon.ConciergeAction
		for rows.Next() {
			a, err := scanAction(rows)
			if err != nil {
				rows.Close()
				return err
			}
			due = append(due, a)
		}
		rows.Close()
		for _, a := range due {
			if err := expireTx(ctx, tx, now, a.VenueID, a); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// SetActionParams updates an open draft's parameters (the card's pickers).
func (s *Store) SetActionParams(ctx context.Context, venueID, id, actor int64, p salon.ActionParams, audience int, costE4 int64) (salon.ConciergeAction, error) {
	b, _ := json.Marshal(p)
	return s.transition(ctx, venueID, id, actor, "edit", []salon.ActionStatus{salon.StatusDrafted, salon.StatusPending}, "", nil,
		`params = ?, audience = ?, cost_e4 = ?`, string(b), audience, costE4)
}

// SpendSparks takes n Sparks from the venue if it has them; false means the balance is
// too low (the model is then not called and templates take over). A new venue month
// refills the allowance first; the spend that reaches salon.SparkAlertPct of the
// allowance notifies the business, once a month.
func (s *Store) SpendSparks(ctx context.Context, venueID int64, n int) (bool, error) {
	spent := false
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		u, month, alerted, err := refillSparks(ctx, tx, venueID, s.now())
		if err != nil {
			return err
		}
		if u.Left < int64(n) {
			return nil
		}
		u.Left -= int64(n)
		if _, err := tx.ExecContext(ctx, `UPDATE venues SET sparks = ? WHERE id = ?`, u.Left, venueID); err != nil {
			return fmt.Errorf("store: spend sparks: %w", err)
		}
		spent = true
		if !u.Alert() || alerted == month {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE venues SET spark_alerted = ? WHERE id = ?`, month, venueID); err != nil {
			return fmt.Errorf("store: spark alert: %w", err)
		}
		var slug string
		if err := tx.QueryRowContext(ctx, `SELECT slug FROM venues WHERE id = ?`, venueID).Scan(&slug); err != nil {
			return fmt.Errorf("store: spark alert: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO notifications (venue_id, user_id, kind, body, link, created_at) VALUES (?, NULL, ?, ?, ?, ?)`,
			venueID, salon.NoticeSparksLow, fmt.Sprintf("%d%% of this month's Sparks are used (%s). At zero the Concierge carries on without the language model until the allowance refills.",
				salon.SparkAlertPct, u), "/app/"+slug+"/settings#sparks", s.now().Unix())
		return mapErr(err, "spark notification")
	})
	return spent && err == nil, err
}

// sparkMonth is salon.SparkMonth for a venue's zone by name (UTC if it cannot be loaded).
func sparkMonth(now time.Time, tz string) string {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	return salon.SparkMonth(now, loc)
}

// refillSparks reads a venue's Spark usage, refilling the allowance first when the
// venue month has changed; it returns the month and the month last alerted.
func refillSparks(ctx context.Context, tx *sql.Tx, venueID int64, now time.Time) (u salon.SparkUsage, month, alerted string, err error) {
	var tz, stored string
	if err = tx.QueryRowContext(ctx, `SELECT time_zone, spark_allowance, sparks, spark_month, spark_alerted FROM venues WHERE id = ?`, venueID).
		Scan(&tz, &u.Allowance, &u.Left, &stored, &alerted); err != nil {
		return u, "", "", mapErr(err, "sparks")
	}
	if month = sparkMonth(now, tz); month == stored {
		return u, month, alerted, nil
	}
	u.Left = u.Allowance
	if _, err = tx.ExecContext(ctx, `UPDATE venues SET sparks = spark_allowance, spark_month = ? WHERE id = ?`, month, venueID); err != nil {
		return u, "", "", fmt.Errorf("store: refill sparks: %w", err)
	}
	return u, month, alerted, nil
}

// RefillSparks refills the venue's Spark allowance if its month has changed (the day
// job calls it, so the balance shown is this month's before anything is spent).
func (s *Store) RefillSparks(ctx context.Context, venueID int64) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		_, _, _, err := refillSparks(ctx, tx, venueID, s.now())
		return err
	})
}

// SetSparkAllowance sets the venue's monthly allowance (checked by
// salon.ParseSparkAllowance); this month's balance moves by the difference, so what was
// used stays used (salon.SparkUsage.WithAllowance).
func (s *Store) SetSparkAllowance(ctx context.Context, venueID, actor, allowance int64) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		u, _, _, err := refillSparks(ctx, tx, venueID, s.now())
		if err != nil {
			return err
		}
		after := u.WithAllowance(allowance)
		if _, err := tx.ExecContext(ctx, `UPDATE venues SET spark_allowance = ?, sparks = ? WHERE id = ?`, after.Allowance, after.Left, venueID); err != nil {
			return fmt.Errorf("store: spark allowance: %w", err)
		}
		return audit(ctx, tx, s.now(), venueID, actor, "venue", venueID, "spark_allowance_set", u, after)
	})
}

// RecentlySuggested reports whether an action of this kind was proposed to the user
// since a time (so self-surfacing cards do not repeat every turn).
func (s *Store) RecentlySuggested(ctx context.Context, venueID, userID int64, kind salon.ActionID, since time.Time) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM actions WHERE venue_id = ? AND created_by = ? AND kind = ? AND created_at >= ?`,
		venueID, userID, kind, since.Unix()).Scan(&n)
	return n > 0, mapErr(err, "recently suggested")
}

// Schedule puts a drafted (direct) or approved win-back in the scheduled-sends queue,
// due after the venue's delay.
func (s *Store) Schedule(ctx context.Context, venueID, id, actor int64, delay time.Duration) (salon.ConciergeAction, error) {
	return s.transition(ctx, venueID, id, actor, "schedule", []salon.ActionStatus{salon.StatusDrafted, salon.StatusApproved}, salon.StatusScheduled, nil,
		`scheduled_for = ?`, s.now().Add(delay).Unix())
}

// CancelScheduled cancels a scheduled send before it fires. Racing a fire, exactly one
// of the two wins: the action ends cancelled or sent, never both.
func (s *Store) CancelScheduled(ctx context.Context, venueID, id, actor int64) (salon.ConciergeAction, error) {
	return s.transition(ctx, venueID, id, actor, "cancel", []salon.ActionStatus{salon.StatusScheduled}, salon.StatusCancelled, nil, "")
}

// ClaimScheduled takes a due scheduled send for firing; only one caller gets it.
func (s *Store) ClaimScheduled(ctx context.Context, venueID, id, actor int64) (salon.ConciergeAction, error) {
	now := s.now()
	return s.transition(ctx, venueID, id, actor, "fire", []salon.ActionStatus{salon.StatusScheduled}, salon.StatusExecuting,
		func(a salon.ConciergeAction) error {
			if now.Before(a.ScheduledFor) {
				return salon.Conflict("Not due yet.")
			}
			return nil
		}, "")
}

// DueScheduled lists scheduled sends due now, in every venue (the worker's queue).
func (s *Store) DueScheduled(ctx context.Context) ([]salon.ConciergeAction, error) {
	return s.listActions(ctx, `WHERE a.status = 'scheduled' AND a.scheduled_for <= ? ORDER BY a.scheduled_for, a.id`, s.now().Unix())
}

// SendDelay is the venue's scheduled-sends cancel window.
func (s *Store) SendDelay(ctx context.Context, venueID int64) (time.Duration, error) {
	var secs int
	err := s.db.QueryRowContext(ctx, `SELECT send_delay_seconds FROM venues WHERE id = ?`, venueID).Scan(&secs)
	return time.Duration(secs) * time.Second, mapErr(err, "send delay")
}

// SetSendDelay sets the cancel window (0 to 300 seconds).
func (s *Store) SetSendDelay(ctx context.Context, venueID, actor int64, secs int) error {
	if err := salon.CheckSendDelay(secs); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE venues SET send_delay_seconds = ? WHERE id = ?`, secs, venueID); err != nil {
			return fmt.Errorf("store: send delay: %w", err)
		}
		return audit(ctx, tx, s.now(), venueID, actor, "venue", venueID, "send_delay_set", nil, secs)
	})
}
