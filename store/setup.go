package store

import (
	"context"
	"database/sql"
	"fmt"

	"concierge/salon"
)

// HasVenue reports whether any venue exists (a new install has none and shows the
// first-run page).
func (s *Store) HasVenue(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM venues LIMIT 1)`).Scan(&n); err != nil {
		return false, fmt.Errorf("store: has venue: %w", err)
	}
	return n > 0, nil
}

// ErrAlreadySetUp is returned by CreateFirstVenue once any venue exists.
var ErrAlreadySetUp = salon.ErrAlreadySetUp

// CreateFirstVenue (field errors: the venue's slug, name, country, time_zone and the
// Owner's owner_name, owner_email, owner_password) creates the installation's first venue and its Owner in one
// transaction, and only while no venue exists: two racing first-run forms make one
// venue, and the page can never be used again to add an Owner.
func (s *Store) CreateFirstVenue(ctx context.Context, nv NewVenue, owner NewUser) (salon.Venue, salon.User, error) {
	owner.Role = salon.Owner
	if errs := salon.FirstVenueErrors(nv, owner); len(errs) > 0 {
		return salon.Venue{}, salon.User{}, salon.Invalid(errs)
	}
	email, hash, err := checked(&owner)
	if err != nil {
		return salon.Venue{}, salon.User{}, err
	}
	var v salon.Venue
	var u salon.User
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM venues`).Scan(&n); err != nil {
			return fmt.Errorf("store: count venues: %w", err)
		}
		if n > 0 {
			return ErrAlreadySetUp
		}
		if v, err = s.createVenue(ctx, tx, nv); err != nil {
			return err
		}
		u, err = s.addUser(ctx, tx, v.ID, 0, owner, email, hash)
		return err
	})
	return v, u, err
}
