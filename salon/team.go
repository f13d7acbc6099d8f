package salon

import "fmt"

// Staff hours and the solo venue's one active team member: the rules the Staff and
// roles pages save under.

// ShiftProblem is what is wrong with one day's working hours, or "" when nothing is.
func ShiftProblem(h WorkingHours) string {
	if h.End <= h.Start {
		return "The end time must be after the start time."
	}
	return ""
}

// HoursField is the form field of one weekday's hours (hours_0 is Sunday).
func HoursField(h WorkingHours) string { return fmt.Sprintf("hours_%d", h.Weekday) }

// CheckHours refuses weekly hours with a shift that ends before it starts, naming the
// first such day's field.
func CheckHours(hours []WorkingHours) error {
	for _, h := range hours {
		if msg := ShiftProblem(h); msg != "" {
			return Invalid(map[string]string{HoursField(h): msg})
		}
	}
	return nil
}

// SoloKeepsOneActiveError refuses a staff change that leaves a solo venue without
// exactly one active team member; how many are left is counted in the store.
func SoloKeepsOneActiveError() error {
	return Invalid(map[string]string{"active": "This is a solo venue: it keeps exactly one active team member. Turn solo off in Venue settings first."})
}
