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

// ensureStaff finds or creates the staff member of that name in the venue.
func ensureStaff(ctx context.Context, tx *sql.Tx, venueID int64, name string, now int64) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM staff WHERE venue_id = ? AND name = ?`, venueID, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		res, err := tx.ExecContext(ctx, `INSERT INTO staff (venue_id, name, created_at) VALUES (?, ?, ?)`, venueID, name, now)
		if err != nil {
			return 0, mapErr(err, "staff "+name)
		}
		id, _ = res.LastInsertId()
		// A new staff member works Tuesday to Saturday, 09:00–17:00, until edited.
		for wd := time.Tuesday; wd <= time.Saturday; wd++ {
			if _, err := tx.ExecContext(ctx, `INSERT INTO staff_hours (staff_id, weekday, start_min, end_min) VALUES (?, ?, 540, 1020)`, id, int(wd)); err != nil {
				return 0, fmt.Errorf("store: default hours: %w", err)
			}
		}
		return id, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: find staff: %w", err)
	}
	return id, nil
}

// EnsureStaff finds or creates a staff member by name.
func (s *Store) EnsureStaff(ctx context.Context, venueID int64, name string) (int64, error) {
	name = strings.TrimSpace(name)
	if msg := salon.CheckName(name); msg != "" {
		return 0, salon.Invalid(map[string]string{"name": msg})
	}
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = ensureStaff(ctx, tx, venueID, name, s.now().Unix())
		return err
	})
	return id, err
}

// StaffMembers lists the venue's staff with their working hours.
func (s *Store) StaffMembers(ctx context.Context, venueID int64, activeOnly bool) ([]salon.StaffMember, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, active, coalesce(user_id, 0) FROM staff
		WHERE venue_id = ? AND (active = 1 OR ? = 0) ORDER BY name`, venueID, b2i(activeOnly))
	if err != nil {
		return nil, fmt.Errorf("store: staff: %w", err)
	}
	var out []salon.StaffMember
	idx := map[int64]int{}
	for rows.Next() {
		st := salon.StaffMember{VenueID: venueID}
		if err := rows.Scan(&st.ID, &st.Name, &st.Active, &st.UserID); err != nil {
			rows.Close()
			return nil, err
		}
		idx[st.ID] = len(out)
		out = append(out, st)
	}
	rows.Close()
	hrs, err := s.db.QueryContext(ctx, `SELECT h.staff_id, h.weekday, h.start_min, h.end_min FROM staff_hours h
		JOIN staff s ON s.id = h.staff_id WHERE s.venue_id = ? ORDER BY h.staff_id, h.weekday`, venueID)
	if err != nil {
		return nil, fmt.Errorf("store: staff hours: %w", err)
	}
	defer hrs.Close()
	for hrs.Next() {
		var id int64
		var wd, st, en int
		if err := hrs.Scan(&id, &wd, &st, &en); err != nil {
			return nil, err
		}
		if i, ok := idx[id]; ok {
			out[i].Hours = append(out[i].Hours, salon.WorkingHours{Weekday: time.Weekday(wd), Start: salon.Clock(st), End: salon.Clock(en)})
		}
	}
	return out, hrs.Err()
}

// SetStaffHours replaces a staff member's weekly hours.
func (s *Store) SetStaffHours(ctx context.Context, venueID, actorID, staffID int64, hours []salon.WorkingHours) error {
	if err := validateHours(hours); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM staff WHERE id = ? AND venue_id = ?`, staffID, venueID).Scan(&n); err != nil || n == 0 {
			return salon.ErrNotFound
		}
		if err := replaceHours(ctx, tx, staffID, hours); err != nil {
			return err
		}
		return audit(ctx, tx, s.now(), venueID, actorID, "staff", staffID, "hours_set", nil, hours)
	})
}

// StaffMember loads one staff member with their hours.
func (s *Store) StaffMember(ctx context.Context, venueID, staffID int64) (salon.StaffMember, error) {
	all, err := s.StaffMembers(ctx, venueID, false)
	if err != nil {
		return salon.StaffMember{}, err
	}
	for _, st := range all {
		if st.ID == staffID {
			return st, nil
		}
	}
	return salon.StaffMember{}, salon.ErrNotFound
}

// UpdateStaff sets a staff member's active flag and weekly hours in one transaction.
// A solo venue keeps exactly one active staff member.
func (s *Store) UpdateStaff(ctx context.Context, venueID, actorID, staffID int64, active bool, hours []salon.WorkingHours) error {
	if err := validateHours(hours); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var before bool
		if err := tx.QueryRowContext(ctx, `SELECT active FROM staff WHERE id = ? AND venue_id = ?`, staffID, venueID).Scan(&before); err != nil {
			return mapErr(err, "staff")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE staff SET active = ? WHERE id = ? AND venue_id = ?`, b2i(active), staffID, venueID); err != nil {
			return fmt.Errorf("store: staff active: %w", err)
		}
		var solo bool
		var activeCount int
		if err := tx.QueryRowContext(ctx, `SELECT v.solo, (SELECT count(*) FROM staff WHERE venue_id = v.id AND active = 1) FROM venues v WHERE v.id = ?`,
			venueID).Scan(&solo, &activeCount); err != nil {
			return fmt.Errorf("store: solo check: %w", err)
		}
		if solo && activeCount != 1 {
			return salon.SoloKeepsOneActiveError()
		}
		if err := replaceHours(ctx, tx, staffID, hours); err != nil {
			return err
		}
		return audit(ctx, tx, s.now(), venueID, actorID, "staff", staffID, "updated", before, map[string]any{"active": active, "hours": hours})
	})
}

// validateHours refuses a shift that ends before it starts (salon.CheckHours).
func validateHours(hours []salon.WorkingHours) error { return salon.CheckHours(hours) }

// replaceHours swaps a staff member's weekly hours inside the caller's transaction.
func replaceHours(ctx context.Context, tx *sql.Tx, staffID int64, hours []salon.WorkingHours) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM staff_hours WHERE staff_id = ?`, staffID); err != nil {
		return fmt.Errorf("store: clear hours: %w", err)
	}
	for _, h := range hours {
		if _, err := tx.ExecContext(ctx, `INSERT INTO staff_hours (staff_id, weekday, start_min, end_min) VALUES (?, ?, ?, ?)`,
			staffID, int(h.Weekday), int(h.Start), int(h.End)); err != nil {
			return fmt.Errorf("store: set hours: %w", err)
		}
	}
	return nil
}
