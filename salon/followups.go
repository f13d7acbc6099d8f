package salon

import (
	"fmt"
	"time"
)

// Follow-ups: the reminder to a client who left an online booking unfinished, and the
// waitlist of clients waiting for a slot.

// IncompleteReminder is the venue's automatic reminder to finish a booking.
type IncompleteReminder struct {
	SMS, Email bool
	Template   string
}

// Validate checks the reminder for the venue: no texts from an email-only venue, and a
// text within the draft limit using only the reminder's merge fields.
func (r IncompleteReminder) Validate(v Venue) error {
	if r.SMS && !v.Country.SendsSMS() {
		return Invalid(map[string]string{"reminder_sms": v.Name + " is email-only: no texts are sent."})
	}
	if OverSMSLimit(r.Template) {
		return Invalid(map[string]string{"reminder_template": fmt.Sprintf("Keep the message under %d characters.", SMSDraftLimit)})
	}
	if msg := CheckTemplate(r.Template, "FirstName", "ServiceName", "BusinessName", "ResumeBookingLink"); msg != "" {
		return Invalid(map[string]string{"reminder_template": msg})
	}
	return nil
}

// WaitlistEntry is a client waiting for a slot.
type WaitlistEntry struct {
	ID         int64
	ClientID   int64
	ClientName string
	Phone      string
	ServiceIDs []int64
	Days       []int    // weekdays (Sunday = 0); empty = any
	Bands      []string // morning, afternoon, evening; empty = any
	Notes      string
	CreatedAt  time.Time
}

// Suits reports whether an open gap suits the entry (seed 000: backfill scores "against
// the waitlist"): the gap's team member performs every service asked for (the waitlist
// takes any team member), the gap is long enough for them all, and it starts on a
// preferred weekday and in a preferred time band (none chosen: any), in the venue's zone.
func (e WaitlistEntry) Suits(g Gap, services []Service, loc *time.Location) bool {
	dur, canDoAll := ServicePlan(services, e.ServiceIDs)
	if dur == 0 || !canDoAll(g.StaffID) || g.End.Sub(g.Start) < dur {
		return false
	}
	local := g.Start.In(loc)
	dayOK, bandOK := len(e.Days) == 0, len(e.Bands) == 0
	for _, d := range e.Days {
		dayOK = dayOK || d == int(local.Weekday())
	}
	for _, b := range e.Bands {
		bandOK = bandOK || b == TimeBandNames[TimeBand(local)]
	}
	return dayOK && bandOK
}

// Validate checks a new entry, every field at once. Whether the client is the venue's
// and every service is on offer takes a query: the caller says.
func (e WaitlistEntry) Validate(clientKnown, servicesAvailable bool) error {
	errs := map[string]string{}
	if !clientKnown {
		errs["client_id"] = "Choose a client."
	}
	if len(e.ServiceIDs) == 0 {
		errs["services"] = "Choose at least one service."
	}
	if !servicesAvailable {
		errs["services"] = "One of the chosen services is not available."
	}
	if len(errs) > 0 {
		return Invalid(errs)
	}
	return nil
}
