package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"

	"concierge/salon"
)

// ImportResult reports what an import did (or, for a dry run, would do).
type ImportResult struct {
	ClientsAdded, ClientsExisting   int
	BookingsAdded, BookingsExisting int
	StaffCreated, ServicesCreated   int
	Errors                          []salon.LineError
	DryRun                          bool
}

// Applied reports whether the import changed the database.
func (r ImportResult) Applied() bool { return !r.DryRun && len(r.Errors) == 0 }

// Import applies parsed clients and bookings in one transaction. Rows whose external id
// is already in the venue are left as they are, so re-importing the same files changes
// nothing. Any row error rolls the whole import back; a dry run always rolls back.
func (s *Store) Import(ctx context.Context, venueID, actorID int64, clients []salon.ImportClient, bookings []salon.ImportBooking, parseErrs []salon.LineError, dryRun bool) (ImportResult, error) {
	res := ImportResult{DryRun: dryRun, Errors: parseErrs}
	v, err := s.Venue(ctx, venueID)
	if err != nil {
		return res, err
	}
	now := s.now()
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		clientIDs := map[string]int64{}
		for _, ic := range clients {
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM clients WHERE venue_id = ? AND external_id = ?`, venueID, ic.Client.ExternalID).Scan(&id)
			if err == nil {
				clientIDs[ic.Client.ExternalID] = id
				res.ClientsExisting++
				continue
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("store: import find client: %w", err)
			}
			if id, err = insertClient(ctx, tx, venueID, ic.Client, now); err != nil {
				res.Errors = append(res.Errors, salon.LineError{File: "clients.csv", Line: ic.Line, Field: "external_id", Reason: err.Error()})
				continue
			}
			clientIDs[ic.Client.ExternalID] = id
			res.ClientsAdded++
		}
		staffIDs := map[string]int64{}
		serviceIDs := map[string]int64{}
		for _, ib := range bookings {
			lineErr := func(field, reason string) {
				res.Errors = append(res.Errors, salon.LineError{File: "bookings.csv", Line: ib.Line, Field: field, Reason: reason})
			}
			var existing int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM bookings WHERE venue_id = ? AND external_id = ?`, venueID, ib.ExternalID).Scan(&existing)
			if err == nil {
				res.BookingsExisting++
				continue
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("store: import find booking: %w", err)
			}
			clientID, ok := clientIDs[ib.ClientExternalID]
			if !ok {
				if err := tx.QueryRowContext(ctx, `SELECT id FROM clients WHERE venue_id = ? AND external_id = ?`, venueID, ib.ClientExternalID).Scan(&clientID); err != nil {
					lineErr("client_external_id", salon.UnknownImportClient(ib.ClientExternalID))
					continue
				}
				clientIDs[ib.ClientExternalID] = clientID
			}
			staffID, ok := staffIDs[ib.StaffName]
			if !ok {
				var n int
				tx.QueryRowContext(ctx, `SELECT count(*) FROM staff WHERE venue_id = ? AND name = ?`, venueID, ib.StaffName).Scan(&n)
				if staffID, err = ensureStaff(ctx, tx, venueID, ib.StaffName, now.Unix()); err != nil {
					return err
				}
				if n == 0 {
					res.StaffCreated++
				}
				staffIDs[ib.StaffName] = staffID
			}
			serviceID, ok := serviceIDs[ib.Service]
			if !ok {
				var n int
				tx.QueryRowContext(ctx, `SELECT count(*) FROM services WHERE venue_id = ? AND name = ?`, venueID, ib.Service).Scan(&n)
				if serviceID, err = ensureService(ctx, tx, venueID, NewService{Name: ib.Service, Category: ib.Category,
					DurationMin: ib.DurationMin, PriceMinor: ib.PriceMinor, StaffIDs: []int64{staffID}}); err != nil {
					return err
				}
				if n == 0 {
					res.ServicesCreated++
				}
				serviceIDs[ib.Service] = serviceID
			} else if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO service_staff (service_id, staff_id) VALUES (?, ?)`, serviceID, staffID); err != nil {
				return fmt.Errorf("store: import link staff: %w", err)
			}
			end := ib.Start.Add(time.Duration(ib.DurationMin) * time.Minute)
			if ib.Status != salon.Cancelled {
				if err := checkFree(ctx, tx, venueID, staffID, ib.Start, end, 0, v.Location()); err != nil {
					var de *salon.Error
					if errors.As(err, &de) {
						lineErr("start", de.Message)
						continue
					}
					return err
				}
			}
			r, err := tx.ExecContext(ctx, `INSERT INTO bookings (venue_id, external_id, client_id, staff_id, start_at, end_at, price_minor, status, source, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'import', ?)`, venueID, ib.ExternalID, clientID, staffID, ib.Start.Unix(), end.Unix(),
				ib.PriceMinor, ib.Status, ib.Created.Unix())
			if err != nil {
				return mapErr(err, "booking")
			}
			bid, _ := r.LastInsertId()
			if err := insertBookingServices(ctx, tx, bid, []int64{serviceID}, nil); err != nil {
				return err
			}
			res.BookingsAdded++
		}
		if len(res.Errors) > 0 || dryRun {
			return errRollback
		}
		if err := refreshRhythms(ctx, tx, v.ID, 0); err != nil {
			return err
		}
		if err := refreshAllVisits(ctx, tx, now, v); err != nil {
			return err
		}
		return audit(ctx, tx, now, venueID, actorID, "venue", venueID, "imported", nil,
			map[string]int{"clients": res.ClientsAdded, "bookings": res.BookingsAdded})
	})
	if errors.Is(err, errRollback) {
		err = nil
	}
	return res, err
}

// ImportCSV parses clients.csv and bookings.csv (either may be nil) and imports them.
func (s *Store) ImportCSV(ctx context.Context, venueID, actorID int64, clients, bookings io.Reader, dryRun bool) (ImportResult, error) {
	v, err := s.Venue(ctx, venueID)
	if err != nil {
		return ImportResult{}, err
	}
	var ics []salon.ImportClient
	var ibs []salon.ImportBooking
	var errs []salon.LineError
	if clients != nil {
		var e []salon.LineError
		ics, e = salon.ParseClientsCSV(clients, v.Country)
		errs = append(errs, e...)
	}
	if bookings != nil {
		var e []salon.LineError
		ibs, e = salon.ParseBookingsCSV(bookings, v.Location())
		errs = append(errs, e...)
	}
	return s.Import(ctx, venueID, actorID, ics, ibs, errs, dryRun)
}

// Summary says in one sentence what happened.
func (r ImportResult) Summary() string {
	if len(r.Errors) > 0 {
		return fmt.Sprintf("%d problem(s) found. Nothing was imported; fix the rows below and try again.", len(r.Errors))
	}
	verb := "Imported"
	if r.DryRun {
		verb = "Dry run, nothing changed. Would import"
	}
	return fmt.Sprintf("%s %d new clients (%d already here) and %d new bookings (%d already here); %d new staff and %d new services.",
		verb, r.ClientsAdded, r.ClientsExisting, r.BookingsAdded, r.BookingsExisting, r.StaffCreated, r.ServicesCreated)
}
