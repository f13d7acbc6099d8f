package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"concierge/salon"
)

// The catalogue pages' writes: categories, services with their performers (staff
// skills) and archive flag. Each validates with its salon rule inside the write, so
// a reference to another venue's row is refused like a missing one.

// CategoryRow is a category with how many services (archived included) it holds.
type CategoryRow struct {
	salon.ServiceCategory
	Services int
}

// Categories lists the venue's service categories by name.
func (s *Store) Categories(ctx context.Context, venueID int64) ([]CategoryRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.name, (SELECT count(*) FROM services s WHERE s.category_id = c.id)
		FROM service_categories c WHERE c.venue_id = ? ORDER BY c.name`, venueID)
	if err != nil {
		return nil, fmt.Errorf("store: categories: %w", err)
	}
	defer rows.Close()
	var out []CategoryRow
	for rows.Next() {
		r := CategoryRow{ServiceCategory: salon.ServiceCategory{VenueID: venueID}}
		if err := rows.Scan(&r.ID, &r.Name, &r.Services); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SaveCategory creates a category (id 0) or renames one of the venue's. A name the
// venue already uses is refused beside the field.
func (s *Store) SaveCategory(ctx context.Context, venueID, actorID, id int64, name string) (int64, error) {
	name = strings.TrimSpace(name)
	if m := salon.CheckCatalogueName(name); m != "" {
		return 0, salon.Invalid(map[string]string{"name": m})
	}
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var before string
		if id != 0 {
			if err := tx.QueryRowContext(ctx, `SELECT name FROM service_categories WHERE venue_id = ? AND id = ?`, venueID, id).Scan(&before); err != nil {
				return mapErr(err, "category")
			}
		}
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM service_categories WHERE venue_id = ? AND name = ? AND id <> ?`,
			venueID, name, id).Scan(&taken); err != nil {
			return fmt.Errorf("store: category name: %w", err)
		}
		if taken > 0 {
			return salon.Invalid(map[string]string{"name": "There is already a category called " + name + "."})
		}
		if id == 0 {
			res, err := tx.ExecContext(ctx, `INSERT INTO service_categories (venue_id, name) VALUES (?, ?)`, venueID, name)
			if err != nil {
				return mapErr(err, "category")
			}
			id, _ = res.LastInsertId()
			return audit(ctx, tx, s.now(), venueID, actorID, "category", id, "created", nil, name)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE service_categories SET name = ? WHERE venue_id = ? AND id = ?`, name, venueID, id); err != nil {
			return mapErr(err, "category")
		}
		return audit(ctx, tx, s.now(), venueID, actorID, "category", id, "renamed", before, name)
	})
	return id, err
}

// Service loads one of the venue's services (archived too).
func (s *Store) Service(ctx context.Context, venueID, id int64) (salon.Service, error) {
	sv, err := scanService(s.db.QueryRowContext(ctx, `SELECT `+serviceCols+serviceFrom+` WHERE s.venue_id = ? AND s.id = ?`, venueID, id))
	return sv, mapErr(err, "service")
}

// SaveService creates a service (id 0) or updates one of the venue's, with its
// performers. Bookings already made keep their time and price.
func (s *Store) SaveService(ctx context.Context, venueID, actorID, id int64, in salon.ServiceInput) (int64, error) {
	in.Name = strings.TrimSpace(in.Name)
	in.StaffIDs = salon.DistinctIDs(in.StaffIDs)
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var rec salon.ServiceRecords
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM service_categories WHERE venue_id = ? AND id = ?`, venueID, in.CategoryID).Scan(&n); err != nil {
			return fmt.Errorf("store: service category: %w", err)
		}
		rec.CategoryFound = n == 1
		rec.StaffFound = true
		for _, st := range in.StaffIDs {
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM staff WHERE venue_id = ? AND id = ?`, venueID, st).Scan(&n); err != nil {
				return fmt.Errorf("store: service staff: %w", err)
			}
			rec.StaffFound = rec.StaffFound && n == 1
		}
		if err := in.Validate(rec); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM services WHERE venue_id = ? AND name = ? AND id <> ?`, venueID, in.Name, id).Scan(&n); err != nil {
			return fmt.Errorf("store: service name: %w", err)
		}
		if n > 0 {
			return salon.Invalid(map[string]string{"name": "There is already a service called " + in.Name + "."})
		}
		var before any
		if id == 0 {
			res, err := tx.ExecContext(ctx, `INSERT INTO services (venue_id, category_id, name, duration_min, price_minor, buffer_min, online_bookable)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, venueID, in.CategoryID, in.Name, in.DurationMin, in.PriceMinor, in.BufferMin, b2i(in.OnlineBookable))
			if err != nil {
				return mapErr(err, "service")
			}
			id, _ = res.LastInsertId()
		} else {
			old, err := scanService(tx.QueryRowContext(ctx, `SELECT `+serviceCols+serviceFrom+` WHERE s.venue_id = ? AND s.id = ?`, venueID, id))
			if err != nil {
				return mapErr(err, "service")
			}
			before = old
			if _, err := tx.ExecContext(ctx, `UPDATE services SET category_id = ?, name = ?, duration_min = ?, price_minor = ?, buffer_min = ?,
				online_bookable = ? WHERE venue_id = ? AND id = ?`, in.CategoryID, in.Name, in.DurationMin, in.PriceMinor, in.BufferMin,
				b2i(in.OnlineBookable), venueID, id); err != nil {
				return mapErr(err, "service")
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM service_staff WHERE service_id = ?`, id); err != nil {
				return fmt.Errorf("store: clear performers: %w", err)
			}
		}
		for _, st := range in.StaffIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO service_staff (service_id, staff_id) VALUES (?, ?)`, id, st); err != nil {
				return fmt.Errorf("store: performer: %w", err)
			}
		}
		event := "updated"
		if before == nil {
			event = "created"
		}
		return audit(ctx, tx, s.now(), venueID, actorID, "service", id, event, before, in)
	})
	return id, err
}

// SetServiceArchived archives a service (no new bookings, online or by staff) or
// restores it. Past and booked appointments keep it.
func (s *Store) SetServiceArchived(ctx context.Context, venueID, actorID, id int64, archived bool) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE services SET archived = ? WHERE venue_id = ? AND id = ?`, b2i(archived), venueID, id)
		if err != nil {
			return fmt.Errorf("store: archive service: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return salon.ErrNotFound
		}
		event := "restored"
		if archived {
			event = "archived"
		}
		return audit(ctx, tx, s.now(), venueID, actorID, "service", id, event, nil, nil)
	})
}
