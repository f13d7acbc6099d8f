package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"concierge/salon"
)

const venueCols = `id, slug, name, country, time_zone, quiet_start, quiet_end, solo, wallet_e4, sparks,
	sms_price_e4, storefront_url, review_link, created_at, reconnect_grace_pct, sms_from, spark_allowance,
	address, phone, booking_intro, cancel_window_hours, coalesce((SELECT updated_at FROM venue_logos WHERE venue_id = venues.id), 0)`

func scanVenue(row interface{ Scan(...any) error }) (salon.Venue, error) {
	var v salon.Venue
	var country string
	var qs, qe int
	var created int64
	err := row.Scan(&v.ID, &v.Slug, &v.Name, &country, &v.TimeZone, &qs, &qe, &v.Solo, &v.WalletE4,
		&v.Sparks, &v.SMSPriceE4, &v.StorefrontURL, &v.ReviewLink, &created, &v.ReconnectGracePct, &v.SMSFrom, &v.SparkAllowance,
		&v.Profile.Address, &v.Profile.Phone, &v.Profile.BookingIntro, &v.Profile.CancelWindowHours, &v.LogoVersion)
	v.Country, v.QuietStart, v.QuietEnd = salon.Country(country), salon.Clock(qs), salon.Clock(qe)
	v.CreatedAt = fromUnix(sql.NullInt64{Int64: created, Valid: true})
	return v, err
}

// NewVenue is what creating a venue needs (salon.NewVenue, with its validation).
type NewVenue = salon.NewVenue

// CreateVenue adds a venue with the defaults: quiet hours 20:00–09:00, the
// country's SMS price, 200 Sparks.
func (s *Store) CreateVenue(ctx context.Context, n NewVenue) (salon.Venue, error) {
	if errs := n.Validate(); len(errs) > 0 {
		return salon.Venue{}, salon.Invalid(errs)
	}
	var v salon.Venue
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		v, err = s.createVenue(ctx, tx, n)
		return err
	})
	return v, err
}

func (s *Store) createVenue(ctx context.Context, tx *sql.Tx, n NewVenue) (salon.Venue, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO venues
		(slug, name, country, time_zone, quiet_start, quiet_end, sms_price_e4, sparks, spark_allowance, spark_month, storefront_url, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.Slug, strings.TrimSpace(n.Name), n.Country, n.TimeZone, salon.DefaultQuietStart, salon.DefaultQuietEnd,
		n.Country.DefaultSMSPriceE4(), salon.DefaultSparkAllowance, salon.DefaultSparkAllowance, sparkMonth(s.now(), n.TimeZone),
		"/book/"+n.Slug, s.now().Unix())
	if err != nil {
		return salon.Venue{}, mapErr(err, "venue "+n.Slug)
	}
	id, _ := res.LastInsertId()
	v, err := scanVenue(tx.QueryRowContext(ctx, `SELECT `+venueCols+` FROM venues WHERE id = ?`, id))
	return v, mapErr(err, "venue")
}

// Venue loads a venue by id.
func (s *Store) Venue(ctx context.Context, id int64) (salon.Venue, error) {
	v, err := scanVenue(s.db.QueryRowContext(ctx, `SELECT `+venueCols+` FROM venues WHERE id = ?`, id))
	return v, mapErr(err, "venue")
}

// VenueBySlug loads a venue by slug.
func (s *Store) VenueBySlug(ctx context.Context, slug string) (salon.Venue, error) {
	v, err := scanVenue(s.db.QueryRowContext(ctx, `SELECT `+venueCols+` FROM venues WHERE slug = ?`, slug))
	return v, mapErr(err, "venue")
}

// Venues lists every venue (for the inbound webhook and the CLI).
func (s *Store) Venues(ctx context.Context) ([]salon.Venue, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+venueCols+` FROM venues ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: venues: %w", err)
	}
	defer rows.Close()
	var out []salon.Venue
	for rows.Next() {
		v, err := scanVenue(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// VenueSettings is the editable part of a venue (salon.VenueSettings, with its validation).
type VenueSettings = salon.VenueSettings

// UpdateVenueSettings saves the venue form. A solo venue (it skips every approval) must
// have exactly one active staff member, checked in the same transaction.
func (s *Store) UpdateVenueSettings(ctx context.Context, venueID, userID int64, in VenueSettings) error {
	if errs := in.Validate(); len(errs) > 0 {
		return salon.Invalid(errs)
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if in.Solo {
			var active int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM staff WHERE venue_id = ? AND active = 1`, venueID).Scan(&active); err != nil {
				return fmt.Errorf("store: count staff: %w", err)
			}
			if err := salon.SoloStaffCountError(active); err != nil {
				return err
			}
		}
		before, err := scanVenue(tx.QueryRowContext(ctx, `SELECT `+venueCols+` FROM venues WHERE id = ?`, venueID))
		if err != nil {
			return mapErr(err, "venue")
		}
		// A new country brings its own currency and SMS price (zero for email-only NZ).
		price := before.SMSPriceE4
		if before.Country != in.Country {
			price = in.Country.DefaultSMSPriceE4()
		}
		_, err = tx.ExecContext(ctx, `UPDATE venues SET name = ?, country = ?, time_zone = ?, quiet_start = ?, quiet_end = ?,
			solo = ?, storefront_url = ?, review_link = ?, sms_price_e4 = ? WHERE id = ?`,
			strings.TrimSpace(in.Name), in.Country, in.TimeZone, in.QuietStart, in.QuietEnd, b2i(in.Solo),
			strings.TrimSpace(in.StorefrontURL), strings.TrimSpace(in.ReviewLink), price, venueID)
		if err != nil {
			return fmt.Errorf("store: update venue: %w", err)
		}
		return audit(ctx, tx, s.now(), venueID, userID, "venue", venueID, "settings_updated", before, in)
	})
}

// SetSMSPrice sets the per-segment SMS price (e4). NZ venues never send SMS, so their
// price stays zero.
func (s *Store) SetSMSPrice(ctx context.Context, venueID, userID int64, priceE4 int64) error {
	// The range first, before the venue is looked up; its country's rule after.
	if err := salon.CheckSMSPrice("", priceE4); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var country string
		if err := tx.QueryRowContext(ctx, `SELECT country FROM venues WHERE id = ?`, venueID).Scan(&country); err != nil {
			return mapErr(err, "venue")
		}
		if err := salon.CheckSMSPrice(salon.Country(country), priceE4); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE venues SET sms_price_e4 = ? WHERE id = ?`, priceE4, venueID); err != nil {
			return fmt.Errorf("store: set sms price: %w", err)
		}
		return audit(ctx, tx, s.now(), venueID, userID, "venue", venueID, "sms_price_set", nil, priceE4)
	})
}

// SetSMSNumber sets the venue's SMS sending number (salon.ParseSendingNumber; empty
// returns the venue to the default number).
func (s *Store) SetSMSNumber(ctx context.Context, venueID, userID int64, number string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var country, before string
		if err := tx.QueryRowContext(ctx, `SELECT country, sms_from FROM venues WHERE id = ?`, venueID).Scan(&country, &before); err != nil {
			return mapErr(err, "venue")
		}
		e164, err := salon.ParseSendingNumber(number, salon.Country(country))
		if err != nil {
			return salon.Invalid(map[string]string{"sms_from": err.Error()})
		}
		if _, err := tx.ExecContext(ctx, `UPDATE venues SET sms_from = ? WHERE id = ?`, e164, venueID); err != nil {
			return fmt.Errorf("store: set sms number: %w", err)
		}
		return audit(ctx, tx, s.now(), venueID, userID, "venue", venueID, "sms_number_set", before, e164)
	})
}

// SetReviewLink sets the venue's review link (the review request's {{ReviewLink}}).
func (s *Store) SetReviewLink(ctx context.Context, venueID, userID int64, link string) error {
	link = strings.TrimSpace(link)
	if msg := salon.CheckWebLink(link); msg != "" {
		return salon.Invalid(map[string]string{"review_link": msg})
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE venues SET review_link = ? WHERE id = ?`, link, venueID); err != nil {
			return fmt.Errorf("store: set review link: %w", err)
		}
		return audit(ctx, tx, s.now(), venueID, userID, "venue", venueID, "review_link_set", nil, link)
	})
}
