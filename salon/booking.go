package salon

import (
	"strings"
	"time"
)

// BookingStatus is where a booking stands.
type BookingStatus string

// The booking statuses.
const (
	Booked    BookingStatus = "booked"
	Completed BookingStatus = "completed"
	NoShow    BookingStatus = "no_show"
	Cancelled BookingStatus = "cancelled"
)

// ParseBookingStatus accepts booked, completed, no_show (or no-show) and cancelled.
func ParseBookingStatus(s string) (BookingStatus, bool) {
	switch s {
	case "booked", "completed", "no_show", "cancelled":
		return BookingStatus(s), true
	case "no-show":
		return NoShow, true
	}
	return "", false
}

// Label is the status for display.
func (s BookingStatus) Label() string {
	switch s {
	case Completed:
		return "Completed"
	case NoShow:
		return "No-show"
	case Cancelled:
		return "Cancelled"
	default:
		return "Booked"
	}
}

// HoldsSlot reports whether a booking in this status occupies its staff member's time:
// every status but cancelled (a no-show still used the slot).
func (s BookingStatus) HoldsSlot() bool { return s != Cancelled }

// BookingSource says where a booking came from.
type BookingSource string

// The booking sources.
const (
	SourceStaff     BookingSource = "staff"
	SourceOnline    BookingSource = "online"
	SourceFlashDeal BookingSource = "flash_deal"
	SourceBackfill  BookingSource = "backfill"
	SourceReconnect BookingSource = "reconnect"
	SourceImport    BookingSource = "import"
)

// Booking is one appointment of one client with one staff member.
type Booking struct {
	ID                   int64
	VenueID              int64
	ExternalID           string
	ClientID             int64
	ClientName           string
	StaffID              int64
	StaffName            string
	Start, End           time.Time
	PriceMinor           int64
	Status               BookingStatus
	Source               BookingSource
	Notes                string
	CreatedAt            time.Time
	ReviewRequestSentAt  time.Time
	NoShowFollowupSentAt time.Time
	Services             []BookingService
}

// BookingService is one service inside a booking (possibly part of a package).
type BookingService struct {
	ServiceID    int64
	Name         string
	CategoryName string
	PackageID    int64
}

// Overlaps reports whether [s1,e1) and [s2,e2) share any instant.
func Overlaps(s1, e1, s2, e2 time.Time) bool { return s1.Before(e2) && s2.Before(e1) }

// StaffMember is someone who performs services; they may or may not have a login.
type StaffMember struct {
	ID      int64
	VenueID int64
	Name    string
	Active  bool
	UserID  int64
	Hours   []WorkingHours
}

// WorkingHours is one weekday's shift for a staff member.
type WorkingHours struct {
	Weekday    time.Weekday
	Start, End Clock
}

// ServiceCategory groups services for Client Reconnect.
type ServiceCategory struct {
	ID      int64
	VenueID int64
	Name    string
}

// Service is something a venue sells.
type Service struct {
	ID           int64
	VenueID      int64
	CategoryID   int64
	CategoryName string
	Name         string
	DurationMin  int
	PriceMinor   int64
	Archived     bool
	StaffIDs     []int64
}

// Package bundles several services at one price (packages and special offers).
type Package struct {
	ID         int64
	VenueID    int64
	Name       string
	PriceMinor int64
	Archived   bool
	ServiceIDs []int64
}

// WorksDuring reports whether [start, end) lies inside one of the staff member's
// shifts on that venue day (loc). An appointment outside them is possible only when
// someone at the venue says so (staff-side booking), never online.
func (st StaffMember) WorksDuring(start, end time.Time, loc *time.Location) bool {
	l := start.In(loc)
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	for _, h := range st.Hours {
		if h.Weekday != l.Weekday() {
			continue
		}
		open, close := day.Add(time.Duration(h.Start)*time.Minute), day.Add(time.Duration(h.End)*time.Minute)
		if !start.Before(open) && !end.After(close) {
			return true
		}
	}
	return false
}

// HoursOn describes the staff member's shifts on a weekday ("09:00–17:00", or "").
func (st StaffMember) HoursOn(wd time.Weekday) string {
	var parts []string
	for _, h := range st.Hours {
		if h.Weekday == wd {
			parts = append(parts, h.Start.String()+"–"+h.End.String())
		}
	}
	return strings.Join(parts, ", ")
}

// MaxNotesLength is the most a booking's notes may hold (characters).
const MaxNotesLength = 1000

// DistinctIDs returns ids without repeats, in their first order: a service chosen twice
// is one service, not twice the length and price.
func DistinctIDs(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
