package store

import (
	"context"
	"database/sql"
	"fmt"

	"concierge/salon"
)

// SaveVenueProfile saves the venue's public profile (checked and cleaned by
// salon.VenueProfile.Normalise first).
func (s *Store) SaveVenueProfile(ctx context.Context, venueID, actorID int64, p salon.VenueProfile) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		before, err := scanVenue(tx.QueryRowContext(ctx, `SELECT `+venueCols+` FROM venues WHERE id = ?`, venueID))
		if err != nil {
			return mapErr(err, "venue")
		}
		p, err := p.Normalise(before.Country)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE venues SET address = ?, phone = ?, booking_intro = ?, cancel_window_hours = ? WHERE id = ?`,
			p.Address, p.Phone, p.BookingIntro, p.CancelWindowHours, venueID); err != nil {
			return fmt.Errorf("store: save profile: %w", err)
		}
		return audit(ctx, tx, s.now(), venueID, actorID, "venue", venueID, "profile_saved", before.Profile, p)
	})
}

// SetVenueLogo stores the venue's logo, replacing any before (salon.LogoType checks it).
func (s *Store) SetVenueLogo(ctx context.Context, venueID, actorID int64, data []byte) error {
	ct, err := salon.LogoType(data)
	if err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		// A new version each time, even within one second, so the page's image URL changes.
		if _, err := tx.ExecContext(ctx, `INSERT INTO venue_logos (venue_id, content_type, data, updated_at) VALUES (?1, ?2, ?3, ?4)
			ON CONFLICT (venue_id) DO UPDATE SET content_type = ?2, data = ?3, updated_at = max(?4, updated_at + 1)`,
			venueID, ct, data, s.now().Unix()); err != nil {
			return fmt.Errorf("store: set logo: %w", err)
		}
		return audit(ctx, tx, s.now(), venueID, actorID, "venue", venueID, "logo_set", nil, map[string]any{"type": ct, "bytes": len(data)})
	})
}

// RemoveVenueLogo removes the venue's logo.
func (s *Store) RemoveVenueLogo(ctx context.Context, venueID, actorID int64) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM venue_logos WHERE venue_id = ?`, venueID)
		if err != nil {
			return fmt.Errorf("store: remove logo: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit(ctx, tx, s.now(), venueID, actorID, "venue", venueID, "logo_removed", nil, nil)
	})
}

// VenueLogo is the venue's logo: its bytes and content type (ErrNotFound without one).
func (s *Store) VenueLogo(ctx context.Context, venueID int64) (data []byte, contentType string, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT data, content_type FROM venue_logos WHERE venue_id = ?`, venueID).Scan(&data, &contentType)
	return data, contentType, mapErr(err, "logo")
}
