package salon

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
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
	PackageName  string // the package it was booked in, if any
	VariantID    int64  // the option chosen, if any
	VariantName  string // "Long hair"
}

// Label is the service with its option: "Women's Cut (Long hair)".
func (bs BookingService) Label() string {
	if bs.VariantName != "" {
		return bs.Name + " (" + bs.VariantName + ")"
	}
	return bs.Name
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
	StaffIDs     []int64 // who performs it (staff skills): availability offers only them
	// BufferMin is how long the team member stays busy after the service (clean-up,
	// processing): part of the booking's time, never of its price.
	BufferMin int
	// OnlineBookable is whether clients may choose it on the public booking page.
	OnlineBookable bool
	// Variants are its options, archived ones included (old bookings name them).
	Variants []Variant
}

// Minutes is how long a booking of the service holds its team member: the service
// and its buffer.
func (sv Service) Minutes() int { return sv.DurationMin + sv.BufferMin }

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

// The booking forms' field messages (staff booking, online booking, the waitlist).
const (
	MsgChooseClient       = "Choose a client."
	MsgChooseTeamMember   = "Choose a team member."
	MsgChooseDateTime     = "Choose a date and time."
	MsgChooseTime         = "Choose a time."
	MsgChooseService      = "Choose at least one service."
	MsgServiceUnavailable = "One of the chosen services is not available."
	MsgPackageUnavailable = "That package is not available."
)

// BookingInput is a booking to create or the new state of one to edit.
type BookingInput struct {
	ClientID   int64
	StaffID    int64
	Start      time.Time
	ServiceIDs []int64
	PackageID  int64           // a package or special offer: its services, at its price
	Variants   map[int64]int64 // service id → the option (variant) chosen for it
	Notes      string
	Source     BookingSource
	// WasAt, on a move, is where the booking was when the move was planned (a reschedule
	// card): the move is refused if the booking has moved since. Zero: no such check.
	WasAt time.Time
}

// ErrBookingMoved refuses a move planned for a booking that has moved since: two
// reschedule cards for one booking move it (and text the client) once.
var ErrBookingMoved = Conflict("This booking has moved since these times were proposed, so nothing was changed. Ask again for times around its new slot.")

// BookingRecords is what the venue's records say about a booking input's references;
// the store looks them up inside the booking's write.
type BookingRecords struct {
	ClientFound       bool // the client is the venue's
	StaffActive       bool // the team member is the venue's and active
	ServicesAvailable bool // every chosen service is the venue's and not archived
	PackageAvailable  bool // the package, when one is chosen, is the venue's, not archived, has services and none archived
	// VariantsAvailable: every chosen option is a live variant of a chosen service.
	VariantsAvailable bool
}

// Validate checks a booking input and what the records say of it. The error is Invalid
// with every problem keyed by its form field, so the form shows them all at once.
func (in BookingInput) Validate(r BookingRecords) error {
	errs := map[string]string{}
	if !r.ClientFound {
		errs["client_id"] = MsgChooseClient
	}
	if !r.StaffActive {
		errs["staff_id"] = MsgChooseTeamMember
	}
	if in.Start.IsZero() {
		errs["start"] = MsgChooseDateTime
	}
	if len(in.ServiceIDs) == 0 && in.PackageID == 0 {
		errs["services"] = MsgChooseService
	}
	if utf8.RuneCountInString(in.Notes) > MaxNotesLength {
		errs["notes"] = fmt.Sprintf("Notes: at most %d characters.", MaxNotesLength)
	}
	if len(in.ServiceIDs) > 0 && !r.ServicesAvailable {
		errs["services"] = MsgServiceUnavailable
	} else if len(in.Variants) > 0 && !r.VariantsAvailable {
		errs["services"] = MsgVariantUnavailable
	}
	if in.PackageID != 0 && !r.PackageAvailable {
		errs["package_id"] = MsgPackageUnavailable
	}
	if len(errs) > 0 {
		return Invalid(errs)
	}
	return nil
}

// OutsideHoursWarning is the staff booking form's warning about an appointment
// [start, end) outside the team member's shifts on that venue day, or "" when it lies
// inside one. Nothing is saved until staff tick "book outside their hours".
func (st StaffMember) OutsideHoursWarning(start, end time.Time, loc *time.Location) string {
	if st.WorksDuring(start, end, loc) {
		return ""
	}
	local := start.In(loc)
	var w string
	if hours := st.HoursOn(local.Weekday()); hours == "" {
		w = fmt.Sprintf("%s does not work on %ss.", st.Name, local.Weekday())
	} else {
		w = fmt.Sprintf("That is outside %s's hours on %ss (%s).", st.Name, local.Weekday(), hours)
	}
	return w + " Nothing was saved: tick the box below to book it anyway."
}

// OverlapConflict is the refusal of a booking that would overlap b, an appointment of
// the same team member (times shown in loc).
func (b Booking) OverlapConflict(loc *time.Location) error {
	return Conflict(fmt.Sprintf("%s is already booked from %s to %s (%s). Choose another time or team member.",
		b.StaffName, b.Start.In(loc).Format("15:04"), b.End.In(loc).Format("15:04"), b.ClientName))
}

// CheckChange says whether the booking may be moved or edited: only while booked.
func (b Booking) CheckChange() error {
	if b.Status != Booked {
		return Conflict("Only a booked appointment can be changed; this one is " + strings.ToLower(b.Status.Label()) + ".")
	}
	return nil
}

// CheckStatusChange says whether the booking may go from its status to another at now:
// a cancelled booking stays cancelled, and an appointment is completed or marked a
// no-show only once it has started. Staying in the same status is always allowed.
func (b Booking) CheckStatusChange(to BookingStatus, now time.Time) error {
	switch {
	case b.Status == to:
		return nil
	case b.Status == Cancelled:
		return Conflict("This booking was cancelled and cannot be changed.")
	case (to == Completed || to == NoShow) && b.Start.After(now):
		return Conflict("An appointment can only be completed or marked as a no-show once it has started.")
	}
	return nil
}
