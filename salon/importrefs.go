package salon

import "fmt"

// UnknownImportClient is the reason a bookings.csv row is refused when its
// client_external_id names no client of clients.csv nor of the venue.
func UnknownImportClient(externalID string) string {
	return fmt.Sprintf("no client %q in clients.csv or the venue", externalID)
}
