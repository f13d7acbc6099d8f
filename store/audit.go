package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// AuditEvent is one recorded state change.
type AuditEvent struct {
	ID       int64
	UserID   int64
	UserName string
	Entity   string
	EntityID int64
	Event    string
	Before   string
	After    string
	At       time.Time
}

// audit records a state change inside the caller's transaction, with the before and
// after states as JSON (nil is recorded as empty).
func audit(ctx context.Context, tx *sql.Tx, now time.Time, venueID, userID int64, entity string, entityID int64, event string, before, after any) error {
	enc := func(v any) string {
		if v == nil {
			return ""
		}
		b, _ := json.Marshal(v)
		return string(b)
	}
	var uid any
	if userID != 0 {
		uid = userID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_events (venue_id, user_id, entity, entity_id, event, before_json, after_json, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, venueID, uid, entity, entityID, event, enc(before), enc(after), now.Unix())
	if err != nil {
		return fmt.Errorf("store: audit %s %d %s: %w", entity, entityID, event, err)
	}
	return nil
}

// AuditTrail lists the events of one entity, newest first.
func (s *Store) AuditTrail(ctx context.Context, venueID int64, entity string, entityID int64) ([]AuditEvent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, coalesce(a.user_id, 0), coalesce(u.name, 'System'), a.entity, a.entity_id,
		a.event, a.before_json, a.after_json, a.created_at
		FROM audit_events a LEFT JOIN users u ON u.id = a.user_id
		WHERE a.venue_id = ? AND a.entity = ? AND a.entity_id = ? ORDER BY a.id DESC LIMIT 200`, venueID, entity, entityID)
	if err != nil {
		return nil, fmt.Errorf("store: audit trail: %w", err)
	}
	return collect(rows, func(r row) (AuditEvent, error) {
		var e AuditEvent
		var at int64
		err := r.Scan(&e.ID, &e.UserID, &e.UserName, &e.Entity, &e.EntityID, &e.Event, &e.Before, &e.After, &at)
		e.At = time.Unix(at, 0).UTC()
		return e, err
	})
}
