package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"concierge/salon"
)

// BulkBooking is one generated booking of a bulk load; Client indexes the clients slice.
type BulkBooking struct {
	Client     int
	StaffID    int64
	Start, End time.Time
	PriceMinor int64
	Status     salon.BookingStatus
	Source     salon.BookingSource
	Created    time.Time
	ServiceIDs []int64
	ReviewSent time.Time
}

// BulkLoad inserts generated clients and bookings in one transaction with prepared
// statements: the demo seeder and benchmark fixtures (10k clients, 125k bookings in
// seconds). The generator guarantees bookings of one staff member never overlap, so
// the per-row overlap check of CreateBooking is skipped here. Returns the client ids.
func (s *Store) BulkLoad(ctx context.Context, venueID int64, clients []salon.Client, bookings []BulkBooking) ([]int64, error) {
	ids := make([]int64, len(clients))
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		cst, err := tx.PrepareContext(ctx, `INSERT INTO clients (venue_id, external_id, first_name, last_name, phone, email,
			birth_day, birth_month, birth_year, sms_opt_out, email_opt_out, blocked, notify_sms, notify_email, tags,
			assigned_staff_id, search_text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("store: bulk prepare clients: %w", err)
		}
		defer cst.Close()
		for i, c := range clients {
			var ext, assigned any
			if c.ExternalID != "" {
				ext = c.ExternalID
			}
			if c.AssignedStaffID != 0 {
				assigned = c.AssignedStaffID
			}
			res, err := cst.ExecContext(ctx, venueID, ext, c.FirstName, c.LastName, c.Phone, c.Email, c.Birthday.Day, c.Birthday.Month,
				c.Birthday.Year, b2i(c.SMSOptOut), b2i(c.EmailOptOut), b2i(c.Blocked), b2i(c.NotifySMS), b2i(c.NotifyEmail),
				strings.Join(c.Tags, ";"), assigned, c.SearchText(), c.CreatedAt.Unix())
			if err != nil {
				return mapErr(err, "client")
			}
			ids[i], _ = res.LastInsertId()
		}
		bst, err := tx.PrepareContext(ctx, `INSERT INTO bookings (venue_id, client_id, staff_id, start_at, end_at, price_minor, status,
			source, created_at, review_request_sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("store: bulk prepare bookings: %w", err)
		}
		defer bst.Close()
		sst, err := tx.PrepareContext(ctx, `INSERT INTO booking_services (booking_id, service_id) VALUES (?, ?)`)
		if err != nil {
			return fmt.Errorf("store: bulk prepare booking services: %w", err)
		}
		defer sst.Close()
		for _, b := range bookings {
			res, err := bst.ExecContext(ctx, venueID, ids[b.Client], b.StaffID, b.Start.Unix(), b.End.Unix(), b.PriceMinor, b.Status,
				b.Source, b.Created.Unix(), unix(b.ReviewSent))
			if err != nil {
				return fmt.Errorf("store: bulk booking: %w", err)
			}
			bid, _ := res.LastInsertId()
			for _, sid := range b.ServiceIDs {
				if _, err := sst.ExecContext(ctx, bid, sid); err != nil {
					return fmt.Errorf("store: bulk booking service: %w", err)
				}
			}
		}
		v, err := scanVenue(tx.QueryRowContext(ctx, `SELECT `+venueCols+` FROM venues WHERE id = ?`, venueID))
		if err != nil {
			return mapErr(err, "venue")
		}
		if err := refreshAllVisits(ctx, tx, s.now(), v); err != nil {
			return err
		}
		return refreshRhythms(ctx, tx, v.ID, 0)
	})
	if err != nil {
		return nil, err
	}
	_, err = s.db.ExecContext(ctx, `ANALYZE`)
	return ids, err
}

// SeedBalances sets the wallet and Sparks of a venue (seeding only).
func (s *Store) SeedBalances(ctx context.Context, venueID, walletE4, sparks int64) error {
	_, err := s.db.ExecContext(ctx, `UPDATE venues SET wallet_e4 = ?, sparks = ? WHERE id = ?`, walletE4, sparks, venueID)
	return mapErr(err, "seed balances")
}

// SeedInbound records an inbound message at a given time (seeding only).
func (s *Store) SeedInbound(ctx context.Context, venueID, clientID int64, body string, at time.Time, status string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var phone string
		if err := tx.QueryRowContext(ctx, `SELECT phone FROM clients WHERE venue_id = ? AND id = ?`, venueID, clientID).Scan(&phone); err != nil {
			return mapErr(err, "client")
		}
		channel := "sms"
		if phone == "" {
			channel = "email"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO messages (venue_id, client_id, channel, direction, purpose, from_addr, body, status, created_at, updated_at)
			VALUES (?, ?, ?, 'in', 'inbound', ?, ?, 'received', ?, ?)`, venueID, clientID, channel, phone, body, at.Unix(), at.Unix()); err != nil {
			return fmt.Errorf("store: seed inbound: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO conversations (venue_id, client_id, status, last_message_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (venue_id, client_id) DO UPDATE SET status = excluded.status, last_message_at = excluded.last_message_at`,
			venueID, clientID, status, at.Unix())
		return err
	})
}

// SeedOutbound records a delivered outbox message at a given time (seeding only).
func (s *Store) SeedOutbound(ctx context.Context, venueID, clientID int64, purpose salon.Purpose, to, body string, at time.Time) error {
	info := salon.MeasureSMS(body)
	if err := s.withTx(ctx, func(tx *sql.Tx) error { return stampContact(ctx, tx, venueID, clientID, purpose, at.Unix()) }); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO messages (venue_id, client_id, channel, direction, purpose, marketing, to_addr, from_addr, body,
		segments, cost_e4, provider, status, created_at, updated_at)
		SELECT ?, ?, 'sms', 'out', ?, ?, ?, 'outbox', ?, ?, ? * sms_price_e4, 'outbox', 'delivered', ?, ? FROM venues WHERE id = ?`,
		venueID, clientID, purpose, b2i(purpose.IsMarketing()), to, body, info.Segments, info.Segments, at.Unix(), at.Unix(), venueID)
	return mapErr(err, "seed outbound")
}
