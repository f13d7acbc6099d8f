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
	if err != nil {
		return sv, mapErr(err, "service")
	}
	list := []salon.Service{sv}
	err = s.attachVariants(ctx, venueID, list)
	return list[0], err
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

// SaveVariant creates (id 0) or updates a variant of one of the venue's services. A
// name the service already has is refused beside the field.
func (s *Store) SaveVariant(ctx context.Context, venueID, actorID, serviceID, id int64, in salon.VariantInput) (int64, error) {
	in.Name = strings.TrimSpace(in.Name)
	if err := in.Validate(); err != nil {
		return 0, err
	}
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM services WHERE venue_id = ? AND id = ?`, venueID, serviceID).Scan(&n); err != nil || n == 0 {
			return salon.ErrNotFound
		}
		if id != 0 {
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM service_variants WHERE venue_id = ? AND service_id = ? AND id = ?`,
				venueID, serviceID, id).Scan(&n); err != nil || n == 0 {
				return salon.ErrNotFound
			}
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM service_variants WHERE service_id = ? AND name = ? AND id <> ?`,
			serviceID, in.Name, id).Scan(&n); err != nil {
			return fmt.Errorf("store: variant name: %w", err)
		}
		if n > 0 {
			return salon.Invalid(map[string]string{"variant_name": "This service already has an option called " + in.Name + "."})
		}
		event := "variant_updated"
		if id == 0 {
			res, err := tx.ExecContext(ctx, `INSERT INTO service_variants (venue_id, service_id, name, extra_min, extra_price_minor) VALUES (?, ?, ?, ?, ?)`,
				venueID, serviceID, in.Name, in.ExtraMin, in.ExtraPriceMinor)
			if err != nil {
				return mapErr(err, "variant")
			}
			id, _ = res.LastInsertId()
			event = "variant_created"
		} else if _, err := tx.ExecContext(ctx, `UPDATE service_variants SET name = ?, extra_min = ?, extra_price_minor = ? WHERE venue_id = ? AND id = ?`,
			in.Name, in.ExtraMin, in.ExtraPriceMinor, venueID, id); err != nil {
			return mapErr(err, "variant")
		}
		return audit(ctx, tx, s.now(), venueID, actorID, "service", serviceID, event, nil, map[string]any{"variant": id, "input": in})
	})
	return id, err
}

// SetVariantArchived archives a variant (no longer offered) or restores it; bookings
// that have it keep it.
func (s *Store) SetVariantArchived(ctx context.Context, venueID, actorID, serviceID, id int64, archived bool) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE service_variants SET archived = ? WHERE venue_id = ? AND service_id = ? AND id = ?`,
			b2i(archived), venueID, serviceID, id)
		if err != nil {
			return fmt.Errorf("store: archive variant: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return salon.ErrNotFound
		}
		event := "variant_restored"
		if archived {
			event = "variant_archived"
		}
		return audit(ctx, tx, s.now(), venueID, actorID, "service", serviceID, event, nil, id)
	})
}

// Packages lists the venue's packages with their services, by name.
func (s *Store) Packages(ctx context.Context, venueID int64, includeArchived bool) ([]salon.Package, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.id, p.name, p.price_minor, p.archived,
		coalesce((SELECT group_concat(service_id) FROM (SELECT ps.service_id FROM package_services ps JOIN services sv ON sv.id = ps.service_id
			WHERE ps.package_id = p.id ORDER BY sv.name)), '')
		FROM packages p WHERE p.venue_id = ? AND (p.archived = 0 OR ? = 1) ORDER BY p.name`, venueID, b2i(includeArchived))
	if err != nil {
		return nil, fmt.Errorf("store: packages: %w", err)
	}
	defer rows.Close()
	var out []salon.Package
	for rows.Next() {
		p := salon.Package{VenueID: venueID}
		var ids string
		if err := rows.Scan(&p.ID, &p.Name, &p.PriceMinor, &p.Archived, &ids); err != nil {
			return nil, err
		}
		p.ServiceIDs = parseIDs(ids)
		out = append(out, p)
	}
	return out, rows.Err()
}

// Package loads one of the venue's packages (archived too).
func (s *Store) Package(ctx context.Context, venueID, id int64) (salon.Package, error) {
	all, err := s.Packages(ctx, venueID, true)
	if err != nil {
		return salon.Package{}, err
	}
	for _, p := range all {
		if p.ID == id {
			return p, nil
		}
	}
	return salon.Package{}, salon.ErrNotFound
}

// SavePackage creates (id 0) or updates a package: its name, price and services (the
// venue's, not archived). Bookings already made keep their services and price.
func (s *Store) SavePackage(ctx context.Context, venueID, actorID, id int64, in salon.PackageInput) (int64, error) {
	in.Name = strings.TrimSpace(in.Name)
	in.ServiceIDs = salon.DistinctIDs(in.ServiceIDs)
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var n int
		if id != 0 {
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM packages WHERE venue_id = ? AND id = ?`, venueID, id).Scan(&n); err != nil || n == 0 {
				return salon.ErrNotFound
			}
		}
		found := true
		for _, sid := range in.ServiceIDs {
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM services WHERE venue_id = ? AND id = ? AND archived = 0`, venueID, sid).Scan(&n); err != nil {
				return fmt.Errorf("store: package service: %w", err)
			}
			found = found && n == 1
		}
		if err := in.Validate(found); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM packages WHERE venue_id = ? AND name = ? AND id <> ?`, venueID, in.Name, id).Scan(&n); err != nil {
			return fmt.Errorf("store: package name: %w", err)
		}
		if n > 0 {
			return salon.Invalid(map[string]string{"name": "There is already a package called " + in.Name + "."})
		}
		event := "updated"
		if id == 0 {
			res, err := tx.ExecContext(ctx, `INSERT INTO packages (venue_id, name, price_minor) VALUES (?, ?, ?)`, venueID, in.Name, in.PriceMinor)
			if err != nil {
				return mapErr(err, "package")
			}
			id, _ = res.LastInsertId()
			event = "created"
		} else {
			if _, err := tx.ExecContext(ctx, `UPDATE packages SET name = ?, price_minor = ? WHERE venue_id = ? AND id = ?`,
				in.Name, in.PriceMinor, venueID, id); err != nil {
				return mapErr(err, "package")
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM package_services WHERE package_id = ?`, id); err != nil {
				return fmt.Errorf("store: clear package services: %w", err)
			}
		}
		for _, sid := range in.ServiceIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO package_services (package_id, service_id) VALUES (?, ?)`, id, sid); err != nil {
				return fmt.Errorf("store: package service: %w", err)
			}
		}
		return audit(ctx, tx, s.now(), venueID, actorID, "package", id, event, nil, in)
	})
	return id, err
}

// SetPackageArchived archives a package (no longer bookable) or restores it.
func (s *Store) SetPackageArchived(ctx context.Context, venueID, actorID, id int64, archived bool) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE packages SET archived = ? WHERE venue_id = ? AND id = ?`, b2i(archived), venueID, id)
		if err != nil {
			return fmt.Errorf("store: archive package: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return salon.ErrNotFound
		}
		event := "restored"
		if archived {
			event = "archived"
		}
		return audit(ctx, tx, s.now(), venueID, actorID, "package", id, event, nil, nil)
	})
}
