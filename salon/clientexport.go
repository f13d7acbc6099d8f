package salon

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// formulaStarts are the first characters that make a spreadsheet read a cell as a
// formula (OWASP's CSV injection list): "=SUM(…)", "+1+1", "-2+3", "@cmd", and a tab or
// carriage return that some programs skip before one of those.
const formulaStarts = "=+-@\t\r"

// CSVSafe neutralises a cell that a spreadsheet would run as a formula by putting an
// apostrophe in front ("=HYPERLINK(…)" → "'=HYPERLINK(…)"); every export of client data
// writes its cells through it. Phone numbers ("+61…") and month-day birthdays ("--12-25")
// get the apostrophe too; the CSV import takes it off again (CSVUnsafe), so an export
// re-imports exactly.
func CSVSafe(s string) string {
	if s != "" && strings.ContainsRune(formulaStarts, rune(s[0])) {
		return "'" + s
	}
	return s
}

// CSVUnsafe undoes CSVSafe: an apostrophe before a formula character is dropped. Any
// other apostrophe (O'Brien, 'quoted') is kept.
func CSVUnsafe(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.ContainsRune(formulaStarts, rune(s[1])) {
		return s[1:]
	}
	return s
}

// ExportClientID is a client's external_id in an export: the one it was imported with,
// or one made from its id (a client added in Concierge has none), so that bookings.csv
// can name it and a re-import recognises it.
func ExportClientID(external string, id int64) string {
	if external != "" {
		return external
	}
	return "concierge-client-" + strconv.FormatInt(id, 10)
}

// ExportBookingID is ExportClientID for a booking.
func ExportBookingID(external string, id int64) string {
	if external != "" {
		return external
	}
	return "concierge-booking-" + strconv.FormatInt(id, 10)
}

// ClientCSVRow is a client as a clients.csv row (ClientColumns, not yet neutralised).
func ClientCSVRow(c Client) []string {
	return []string{ExportClientID(c.ExternalID, c.ID), c.FirstName, c.LastName, c.Phone, c.Email, c.Birthday.String(),
		strconv.FormatBool(c.SMSOptOut), strconv.FormatBool(c.EmailOptOut), strconv.FormatBool(c.Blocked), strings.Join(c.Tags, ";")}
}

// ExportBooking is what bookings.csv says about one booking.
type ExportBooking struct {
	ID, ClientID                 int64
	ExternalID, ClientExternalID string
	StaffName, Service, Category string
	Start, End, Created          time.Time
	PriceMinor                   int64
	Status                       BookingStatus
}

// CSVTime writes a time in the venue's zone with its offset ("2026-10-01T10:00:00+10:00"):
// readable, and exact across daylight-saving changes, where a bare local time is not.
func CSVTime(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.RFC3339) }

// FormatDecimal writes an amount in minor units with two decimals (9500 → "95.00"),
// as ParseDecimal reads it.
func FormatDecimal(minor int64) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	return fmt.Sprintf("%s%d.%02d", sign, minor/100, minor%100)
}

// BookingCSVRow is a booking as a bookings.csv row (BookingColumns, not yet neutralised).
func BookingCSVRow(b ExportBooking, loc *time.Location) []string {
	return []string{ExportBookingID(b.ExternalID, b.ID), ExportClientID(b.ClientExternalID, b.ClientID), b.StaffName, b.Service,
		b.Category, CSVTime(b.Start, loc), strconv.Itoa(int(b.End.Sub(b.Start) / time.Minute)), FormatDecimal(b.PriceMinor),
		string(b.Status), CSVTime(b.Created, loc)}
}

// CSVSafeRow neutralises every cell of a row.
func CSVSafeRow(row []string) []string {
	out := make([]string, len(row))
	for i, c := range row {
		out[i] = CSVSafe(c)
	}
	return out
}

// ForgottenName is what a forgotten client is called from then on.
const ForgottenName = "Forgotten client"

// Forgotten replaces personal text in free-text fields of a forgotten client.
const Forgotten = "[forgotten]"

// CanExportClientData says who may download a client's data or the whole client list:
// Owners and Managers, who already see and edit every client.
func (m Membership) CanExportClientData() bool { return m.CanManageVenue() }

// CanForgetClient says who may anonymise a client for good: the Owner alone, as the
// one answerable for the business's records.
func (m Membership) CanForgetClient() bool { return m.Role == Owner }

// Forgotten says whether the client was anonymised ("Forget this client").
func (c Client) Forgotten() bool {
	return c.FirstName == ForgottenName && c.LastName == "" && c.Phone == "" && c.Email == ""
}
