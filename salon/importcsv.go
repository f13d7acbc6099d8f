package salon

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// LineError is one problem in an import file, reported as "line N: field: reason"
// where N is the line in the file (the header is line 1).
type LineError struct {
	File   string
	Line   int
	Field  string
	Reason string
}

func (e LineError) String() string {
	prefix := ""
	if e.File != "" {
		prefix = e.File + " "
	}
	return fmt.Sprintf("%sline %d: %s: %s", prefix, e.Line, e.Field, e.Reason)
}

// ClientColumns and BookingColumns are the import files' headers, in order.
var (
	ClientColumns  = []string{"external_id", "first_name", "last_name", "phone", "email", "birthday", "sms_opt_out", "email_opt_out", "blocked", "tags"}
	BookingColumns = []string{"external_id", "client_external_id", "staff_name", "service", "category", "start", "duration_min", "price", "status", "created"}
)

// ImportClient is a validated clients.csv row.
type ImportClient struct {
	Line   int
	Client Client
}

// ImportBooking is a validated bookings.csv row.
type ImportBooking struct {
	Line             int
	ExternalID       string
	ClientExternalID string
	StaffName        string
	Service          string
	Category         string
	Start            time.Time
	DurationMin      int
	PriceMinor       int64
	Status           BookingStatus
	Created          time.Time
}

// csvRows reads a CSV with the expected header and calls fn for each record with its
// line number and a lookup by column name.
func csvRows(r io.Reader, file string, cols []string, fn func(line int, get func(string) string)) []LineError {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return []LineError{{File: file, Line: 1, Field: "header", Reason: "the file is empty"}}
	}
	if err != nil {
		return []LineError{{File: file, Line: 1, Field: "header", Reason: err.Error()}}
	}
	idx := map[string]int{}
	for i, h := range header {
		idx[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	var missing []string
	for _, c := range cols {
		if _, ok := idx[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return []LineError{{File: file, Line: 1, Field: "header", Reason: "missing columns " + strings.Join(missing, ", ")}}
	}
	var errs []LineError
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			errs = append(errs, LineError{File: file, Line: line, Field: "row", Reason: err.Error()})
			if len(errs) > 200 {
				return errs
			}
			continue
		}
		get := func(col string) string {
			if i := idx[col]; i < len(rec) {
				// A cell our own export neutralised ("'+61…") reads as written.
				return CSVUnsafe(strings.TrimSpace(rec[i]))
			}
			return ""
		}
		fn(line, get)
	}
	return errs
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "", "false", "no", "0":
		return false, true
	case "true", "yes", "1":
		return true, true
	}
	return false, false
}

// ParseClientsCSV reads clients.csv for a venue in country.
func ParseClientsCSV(r io.Reader, country Country) ([]ImportClient, []LineError) {
	var out []ImportClient
	var rowErrsAll []LineError
	seen := map[string]int{}
	errs := csvRows(r, "clients.csv", ClientColumns, func(line int, get func(string) string) {
		var rowErrs []LineError
		add := func(field, reason string) {
			rowErrs = append(rowErrs, LineError{File: "clients.csv", Line: line, Field: field, Reason: reason})
		}
		in := ClientInput{ExternalID: get("external_id"), FirstName: get("first_name"), LastName: get("last_name"),
			Phone: get("phone"), Email: get("email"), Birthday: get("birthday"), Tags: get("tags"), NotifySMS: true, NotifyEmail: true}
		if in.ExternalID == "" {
			add("external_id", "required")
		} else if prev, dup := seen[in.ExternalID]; dup {
			add("external_id", fmt.Sprintf("%q is also on line %d", in.ExternalID, prev))
		}
		seen[in.ExternalID] = line
		for _, f := range []struct {
			name string
			dst  *bool
		}{{"sms_opt_out", &in.SMSOptOut}, {"email_opt_out", &in.EmailOptOut}, {"blocked", &in.Blocked}} {
			v, ok := parseBool(get(f.name))
			if !ok {
				add(f.name, "use true or false")
			}
			*f.dst = v
		}
		c, fieldErrs := in.Validate(country)
		for _, name := range ClientColumns {
			if msg, ok := fieldErrs[name]; ok {
				add(name, strings.TrimSuffix(msg, "."))
			}
		}
		if len(rowErrs) > 0 {
			rowErrsAll = append(rowErrsAll, rowErrs...)
			return
		}
		out = append(out, ImportClient{Line: line, Client: c})
	})
	return out, sortLineErrors(append(errs, rowErrsAll...))
}

// parseLocalTime reads ISO 8601 in venue local time ("2026-03-04T10:30", with seconds,
// with a space instead of T, or with an explicit offset).
func parseLocalTime(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("use ISO 8601 like 2026-03-04T10:30")
}

// ParseBookingsCSV reads bookings.csv with times in the venue's zone.
func ParseBookingsCSV(r io.Reader, loc *time.Location) ([]ImportBooking, []LineError) {
	var out []ImportBooking
	var rowErrsAll []LineError
	seen := map[string]int{}
	errs := csvRows(r, "bookings.csv", BookingColumns, func(line int, get func(string) string) {
		var rowErrs []LineError
		add := func(field, reason string) {
			rowErrs = append(rowErrs, LineError{File: "bookings.csv", Line: line, Field: field, Reason: reason})
		}
		b := ImportBooking{Line: line, ExternalID: get("external_id"), ClientExternalID: get("client_external_id"),
			StaffName: get("staff_name"), Service: get("service"), Category: get("category")}
		if b.ExternalID == "" {
			add("external_id", "required")
		} else if prev, dup := seen[b.ExternalID]; dup {
			add("external_id", fmt.Sprintf("%q is also on line %d", b.ExternalID, prev))
		}
		seen[b.ExternalID] = line
		for field, val := range map[string]string{"client_external_id": b.ClientExternalID, "staff_name": b.StaffName, "service": b.Service, "category": b.Category} {
			if val == "" {
				add(field, "required")
			}
		}
		var err error
		if b.Start, err = parseLocalTime(get("start"), loc); err != nil {
			add("start", err.Error())
		}
		if b.Created, err = parseLocalTime(get("created"), loc); err != nil {
			if get("created") == "" {
				b.Created = b.Start
			} else {
				add("created", err.Error())
			}
		}
		if b.DurationMin, err = strconv.Atoi(get("duration_min")); err != nil || b.DurationMin <= 0 || b.DurationMin > 24*60 {
			add("duration_min", "a whole number of minutes between 1 and 1440")
		}
		if b.PriceMinor, err = ParseDecimal(get("price"), 2); err != nil {
			add("price", err.Error())
		}
		var ok bool
		if b.Status, ok = ParseBookingStatus(strings.ToLower(get("status"))); !ok {
			add("status", "one of booked, completed, no_show, cancelled")
		}
		if len(rowErrs) > 0 {
			rowErrsAll = append(rowErrsAll, rowErrs...)
			return
		}
		out = append(out, b)
	})
	return out, sortLineErrors(append(errs, rowErrsAll...))
}

func sortLineErrors(errs []LineError) []LineError {
	sort.SliceStable(errs, func(i, j int) bool {
		if errs[i].File != errs[j].File {
			return errs[i].File < errs[j].File
		}
		return errs[i].Line < errs[j].Line
	})
	return errs
}
