package app

import (
	"context"
	"io"

	"concierge/store"
)

// CSV import of a venue's clients and bookings: a dry run reports what would happen,
// a real run applies everything or, on any row error, nothing.

// ImportResult reports what an import did (or, for a dry run, would do).
type ImportResult = store.ImportResult

// ImportCSV parses clients.csv and bookings.csv (either may be nil) and imports them.
func (s *Service) ImportCSV(ctx context.Context, venueID, actorID int64, clients, bookings io.Reader, dryRun bool) (ImportResult, error) {
	return s.Store.ImportCSV(ctx, venueID, actorID, clients, bookings, dryRun)
}
