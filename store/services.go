package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"concierge/salon"
)

// ensureCategory finds or creates a service category by name.
func ensureCategory(ctx context.Context, tx *sql.Tx, venueID int64, name string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM service_categories WHERE venue_id = ? AND name = ?`, venueID, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		res, err := tx.ExecContext(ctx, `INSERT INTO service_categories (venue_id, name) VALUES (?, ?)`, venueID, name)
		if err != nil {
			return 0, mapErr(err, "category "+name)
		}
		return res.LastInsertId()
	}
	return id, err
}

// NewService is a service to create (by the seeder, the importer or settings).
type NewService struct {
	Name, Category string
	DurationMin    int
	PriceMinor     int64
	StaffIDs       []int64
}

// ensureService finds a service by name or creates it in its category, linking the
// given staff as performers.
func ensureService(ctx context.Context, tx *sql.Tx, venueID int64, n NewService) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM services WHERE venue_id = ? AND name = ?`, venueID, n.Name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		catID, err := ensureCategory(ctx, tx, venueID, n.Category)
		if err != nil {
			return 0, err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO services (venue_id, category_id, name, duration_min, price_minor) VALUES (?, ?, ?, ?, ?)`,
			venueID, catID, n.Name, n.DurationMin, n.PriceMinor)
		if err != nil {
			return 0, mapErr(err, "service "+n.Name)
		}
		id, _ = res.LastInsertId()
	} else if err != nil {
		return 0, fmt.Errorf("store: find service: %w", err)
	}
	for _, st := range n.StaffIDs {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO service_staff (service_id, staff_id) VALUES (?, ?)`, id, st); err != nil {
			return 0, fmt.Errorf("store: link service staff: %w", err)
		}
	}
	return id, nil
}

// EnsureService finds or creates a service.
func (s *Store) EnsureService(ctx context.Context, venueID int64, n NewService) (int64, error) {
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = ensureService(ctx, tx, venueID, n)
		return err
	})
	return id, err
}

// Services lists the venue's services with category and performers.
func (s *Store) Services(ctx context.Context, venueID int64, includeArchived bool) ([]salon.Service, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+serviceCols+serviceFrom+`
		WHERE s.venue_id = ? AND (s.archived = 0 OR ? = 1) ORDER BY c.name, s.name`, venueID, b2i(includeArchived))
	if err != nil {
		return nil, fmt.Errorf("store: services: %w", err)
	}
	defer rows.Close()
	var out []salon.Service
	for rows.Next() {
		sv, err := scanService(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sv)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return out, s.attachVariants(ctx, venueID, out)
}

// attachVariants loads the venue's service variants (archived too) onto services.
func (s *Store) attachVariants(ctx context.Context, venueID int64, services []salon.Service) error {
	rows, err := s.db.QueryContext(ctx, `SELECT id, service_id, name, extra_min, extra_price_minor, archived FROM service_variants
		WHERE venue_id = ? ORDER BY service_id, name`, venueID)
	if err != nil {
		return fmt.Errorf("store: variants: %w", err)
	}
	defer rows.Close()
	idx := map[int64]int{}
	for i, sv := range services {
		idx[sv.ID] = i
	}
	for rows.Next() {
		var v salon.Variant
		if err := rows.Scan(&v.ID, &v.ServiceID, &v.Name, &v.ExtraMin, &v.ExtraPriceMinor, &v.Archived); err != nil {
			return err
		}
		if i, ok := idx[v.ServiceID]; ok {
			services[i].Variants = append(services[i].Variants, v)
		}
	}
	return rows.Err()
}

const serviceCols = `s.id, s.venue_id, s.category_id, c.name, s.name, s.duration_min, s.price_minor, s.archived, s.buffer_min, s.online_bookable,
	coalesce((SELECT group_concat(staff_id) FROM service_staff WHERE service_id = s.id), '')`

const serviceFrom = ` FROM services s JOIN service_categories c ON c.id = s.category_id `

func scanService(row interface{ Scan(...any) error }) (salon.Service, error) {
	var sv salon.Service
	var staff string
	err := row.Scan(&sv.ID, &sv.VenueID, &sv.CategoryID, &sv.CategoryName, &sv.Name, &sv.DurationMin, &sv.PriceMinor, &sv.Archived,
		&sv.BufferMin, &sv.OnlineBookable, &staff)
	sv.StaffIDs = parseIDs(staff)
	return sv, err
}

func parseIDs(s string) []int64 {
	var out []int64
	var n int64
	has := false
	for _, r := range s + "," {
		if r >= '0' && r <= '9' {
			n, has = n*10+int64(r-'0'), true
		} else if has {
			out = append(out, n)
			n, has = 0, false
		}
	}
	return out
}

// CreatePackage creates a package (or special offer) bundling services at one price.
func (s *Store) CreatePackage(ctx context.Context, venueID int64, name string, priceMinor int64, serviceIDs []int64) (int64, error) {
	var id int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO packages (venue_id, name, price_minor) VALUES (?, ?, ?)`, venueID, name, priceMinor)
		if err != nil {
			return mapErr(err, "package "+name)
		}
		id, _ = res.LastInsertId()
		for _, sid := range serviceIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO package_services (package_id, service_id)
				SELECT ?, id FROM services WHERE id = ? AND venue_id = ?`, id, sid, venueID); err != nil {
				return fmt.Errorf("store: package service: %w", err)
			}
		}
		return nil
	})
	return id, err
}
