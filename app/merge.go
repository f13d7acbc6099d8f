package app

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"concierge/salon"
	"concierge/store"
)

// Filling a draft's merge fields (salon/mergefields.go) for its recipients: the send
// fills each message for its client; the card's counter and the checks before a send
// fill it for one client the same way.

// sampleFirstName is the name a draft is checked and priced with before its recipients
// are known: a longish first name, so the estimate errs on the long side.
const sampleFirstName = "Charlotte"

// mergeValues are the merge fields of a message to one client. appt is the appointment
// the message is about (zero: none, and {{Date}} then has nothing to fill it).
func (s *Service) mergeValues(v salon.Venue, first, category, service string, appt store.Appointment) map[string]string {
	staff := appt.StaffName
	if staff == "" {
		staff = "the team"
	}
	date := ""
	if !appt.Start.IsZero() {
		date = appt.Start.In(v.Location()).Format("Mon 2 Jan")
	}
	return map[string]string{salon.FieldFirstName: first, salon.FieldServiceName: service, salon.FieldStaffName: staff, salon.FieldDate: date,
		salon.FieldCategoryName: category, salon.FieldBusinessName: v.Name, salon.FieldBookingLink: BookingLink(v, s.publicURL()),
		salon.FieldReviewLink: v.ReviewLink}
}

// sampleValues are the merge fields filled for a sample client (the checks before a send).
func (s *Service) sampleValues(v salon.Venue, category string) map[string]string {
	return s.mergeValues(v, sampleFirstName, category, "appointment", store.Appointment{StaffName: "Mia", Start: s.Store.Now()})
}

// usesAppointment reports whether a draft needs each recipient's appointment.
func usesAppointment(a salon.ConciergeAction) bool {
	for _, text := range []string{a.Body, a.Subject} {
		if salon.UsesMergeField(text, salon.FieldStaffName) || salon.UsesMergeField(text, salon.FieldDate) {
			return true
		}
	}
	return false
}

// appointmentsFor finds, for a batch's recipients, the appointment each message is about:
// the missed one (no-shows, in the card's window), today's visit (review requests), the
// last visit otherwise. Nothing is read when the draft uses neither field.
func (s *Service) appointmentsFor(ctx context.Context, v salon.Venue, a salon.ConciergeAction, clientIDs []int64) (map[int64]store.Appointment, error) {
	if !usesAppointment(a) || len(clientIDs) == 0 {
		return nil, nil
	}
	now := s.Store.Now()
	l := now.In(v.Location())
	today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, v.Location())
	status, from, to := salon.Completed, time.Unix(0, 0), now
	switch a.Params.Cohort {
	case salon.CohortNoShows:
		status, from = salon.NoShow, today
		if a.Params.Week {
			from = now.AddDate(0, 0, -7)
		}
	case salon.CohortCompleted:
		from, to = today, today.AddDate(0, 0, 1)
	}
	return s.Store.LatestAppointments(ctx, v.ID, clientIDs, status, from, to)
}

// MergeSample fills a card's draft for one real client, as the send will: the first of
// the audience the preview found (sample, for a batch) or the card's own client. It
// returns that client's first name and the values ("" and nil: nobody to fill it for).
func (s *Service) MergeSample(ctx context.Context, v salon.Venue, a salon.ConciergeAction, sample *store.AudienceMember) (string, map[string]string) {
	act, _ := salon.LookupAction(a.Kind)
	switch {
	case act.Batch && sample != nil:
		appts, err := s.appointmentsFor(ctx, v, a, []int64{sample.ClientID})
		if err != nil {
			return "", nil
		}
		return sample.FirstName, s.mergeValues(v, sample.FirstName, "", "", appts[sample.ClientID])
	case a.Kind == salon.Reschedule && a.ClientName != "":
		var appt store.Appointment
		if a.Params.Choice >= 0 && a.Params.Choice < len(a.Params.Slots) {
			sl := a.Params.Slots[a.Params.Choice]
			appt = store.Appointment{StaffName: sl.StaffName, Start: time.Unix(sl.Start, 0)}
		}
		values := s.mergeValues(v, firstName(a.ClientName), "", "", appt)
		if !appt.Start.IsZero() {
			values[salon.FieldDate] = appt.Start.In(v.Location()).Format("Mon 2 Jan at 15:04")
		}
		return firstName(a.ClientName), values
	case !act.Batch && a.ClientName != "":
		return firstName(a.ClientName), s.mergeValues(v, firstName(a.ClientName), "", "", store.Appointment{})
	}
	return "", nil
}

// todayRe finds the word "today" in a draft.
var todayRe = regexp.MustCompile(`(?i)\btoday\b`)

// windowWordingErr refuses a draft that says "today" to a week's audience (birthdays
// this week, no-shows of the last 7 days): most of them it would be wrong for.
func windowWordingErr(a salon.ConciergeAction) error {
	if !a.Params.Week || (a.Kind != salon.BirthdayOutreach && a.Kind != salon.NoShowFollowup) {
		return nil
	}
	for field, text := range map[string]string{"body": a.Body, "subject": a.Subject} {
		if todayRe.MatchString(text) {
			who := "everyone with a birthday this week"
			if a.Kind == salon.NoShowFollowup {
				who = "no-shows of the last 7 days"
			}
			return salon.Invalid(map[string]string{field: fmt.Sprintf("This goes to %s, so it can't say “today”: reword it, or pick Today for the window.", who)})
		}
	}
	return nil
}

// rewordForWindow makes a birthday or no-show draft follow its card's window: the
// untouched template of the other window becomes this window's, and a hand-edited draft
// has its "today" swapped for the week's words (and back).
func rewordForWindow(kind salon.ActionID, v salon.Venue, body string, week bool) string {
	d := draftData{Venue: v.Name, Week: !week}
	if _, old := templateDraft(kind, d); old == body {
		d.Week = week
		_, now := templateDraft(kind, d)
		return now
	}
	weekWords := "this week"
	if kind == salon.NoShowFollowup {
		weekWords = "on {{Date}}"
	}
	if week {
		return todayRe.ReplaceAllString(body, weekWords)
	}
	return regexp.MustCompile(`\b`+regexp.QuoteMeta(weekWords)).ReplaceAllString(body, "today")
}

// windowTitle is a birthday or no-show card's title for its window, when the title is
// still the template's.
func windowTitle(kind salon.ActionID, v salon.Venue, title string, week bool) string {
	if old, _ := templateDraft(kind, draftData{Venue: v.Name, Week: !week}); old == title {
		now, _ := templateDraft(kind, draftData{Venue: v.Name, Week: week})
		return now
	}
	return title
}
