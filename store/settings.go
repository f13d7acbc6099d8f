package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Install-wide settings share the app_secrets table (name → value) with the session key:
// a setting is a row there whose name starts "setting_".

// Setting reads an install-wide setting; "" when it was never saved.
func (s *Store) Setting(ctx context.Context, name string) (string, error) {
	var v []byte
	err := s.db.QueryRowContext(ctx, `SELECT value FROM app_secrets WHERE name = ?`, "setting_"+name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: setting %s: %w", name, err)
	}
	return string(v), nil
}

// SaveSetting writes an install-wide setting, recording who changed it in the audit of
// venueID (the venue the change was made from).
func (s *Store) SaveSetting(ctx context.Context, venueID, actorID int64, name, value string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var before []byte
		tx.QueryRowContext(ctx, `SELECT value FROM app_secrets WHERE name = ?`, "setting_"+name).Scan(&before)
		if _, err := tx.ExecContext(ctx, `INSERT INTO app_secrets (name, value) VALUES (?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, "setting_"+name, []byte(value)); err != nil {
			return fmt.Errorf("store: save setting %s: %w", name, err)
		}
		if venueID == 0 {
			return nil
		}
		return audit(ctx, tx, s.now(), venueID, actorID, "setting", 0, name, map[string]string{"value": string(before)},
			map[string]string{"value": value})
	})
}
