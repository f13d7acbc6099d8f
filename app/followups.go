package app

import (
	"context"
	"time"

	"concierge/salon"
	"concierge/store"
)

// Follow-ups: the calendar's Waitlist and Incomplete panel, the incomplete booking
// reminder's settings, and the waitlist itself.

// Incomplete is an unfinished online booking as the Incomplete panel shows it.
type Incomplete = store.Draft

// FollowUps is the calendar's Follow-ups panel: how many bookings are unfinished, the
// venue's services, and the open tab — the unfinished bookings with the reminder
// setting, or the waitlist with the open gaps between from and to.
type FollowUps struct {
	IncompleteCount int
	Services        []salon.Service // archived ones too: old entries name them
	Packages        []salon.Package // archived ones too
	Incomplete      []Incomplete
	Reminder        salon.IncompleteReminder
	Waitlist        []salon.WaitlistEntry
	Gaps            []salon.Gap // only when someone is waiting
}

// FollowUps loads the panel; incomplete picks the Incomplete tab over the Waitlist.
func (s *Service) FollowUps(ctx context.Context, v salon.Venue, incomplete bool, from, to time.Time) (FollowUps, error) {
	var f FollowUps
	var err error
	if f.IncompleteCount, err = s.Store.CountIncomplete(ctx, v.ID); err != nil {
		return f, err
	}
	if f.Services, err = s.Store.Services(ctx, v.ID, true); err != nil {
		return f, err
	}
	if f.Packages, err = s.Store.Packages(ctx, v.ID, true); err != nil {
		return f, err
	}
	if incomplete {
		if f.Incomplete, err = s.Store.IncompleteDrafts(ctx, v.ID); err != nil {
			return f, err
		}
		f.Reminder, err = s.Store.IncompleteReminderSettings(ctx, v.ID)
		return f, err
	}
	if f.Waitlist, err = s.Store.Waitlist(ctx, v.ID); err != nil {
		return f, err
	}
	if len(f.Waitlist) > 0 {
		f.Gaps, err = s.Store.Gaps(ctx, v, from, to)
	}
	return f, err
}

// DismissIncomplete takes an unfinished booking off the panel.
func (s *Service) DismissIncomplete(ctx context.Context, venueID, draftID int64) error {
	return s.Store.DismissDraft(ctx, venueID, draftID)
}

// AddToWaitlist puts a client on the waitlist (the store checks the client and the
// services are the venue's, by salon.WaitlistEntry.Validate).
func (s *Service) AddToWaitlist(ctx context.Context, w Who, e salon.WaitlistEntry) (int64, error) {
	return s.Store.AddWaitlist(ctx, w.Venue.ID, w.User.ID, e)
}

// RemoveFromWaitlist removes a waitlist entry.
func (s *Service) RemoveFromWaitlist(ctx context.Context, w Who, id int64) error {
	return s.Store.RemoveWaitlist(ctx, w.Venue.ID, w.User.ID, id)
}

// IncompleteReminder is the venue's incomplete booking reminder setting.
func (s *Service) IncompleteReminder(ctx context.Context, venueID int64) (salon.IncompleteReminder, error) {
	return s.Store.IncompleteReminderSettings(ctx, venueID)
}

// SaveIncompleteReminder validates and saves the reminder setting.
func (s *Service) SaveIncompleteReminder(ctx context.Context, w Who, r salon.IncompleteReminder) error {
	if err := r.Validate(w.Venue); err != nil {
		return err
	}
	return s.Store.SaveIncompleteReminder(ctx, w.Venue, w.User.ID, r)
}

// BookForStaff is the team member "Book for client" fills in for an incomplete booking
// (seed 004: the appointment form "prefilled with … the team member (if the client
// chose one)"): the one the client chose, or for "Any team member" whoever is free at
// the requested time and performs every chosen service, the first by name as online
// booking picks (salon.SlotQuery.Starts); 0 when nobody is.
func (s *Service) BookForStaff(ctx context.Context, v salon.Venue, d Incomplete) (int64, error) {
	if d.StaffID != 0 {
		return d.StaffID, nil
	}
	services, err := s.Store.Services(ctx, v.ID, false)
	if err != nil {
		return 0, err
	}
	dur, canDoAll := salon.ServicePlan(services, d.ServiceIDs)
	if dur == 0 {
		return 0, nil
	}
	l := d.Start.In(v.Location())
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, v.Location())
	gaps, err := s.Store.Gaps(ctx, v, day, day.AddDate(0, 0, 1))
	if err != nil {
		return 0, err
	}
	for _, sl := range (salon.SlotQuery{Duration: dur, CanDo: canDoAll, Gaps: gaps}).Starts() {
		if sl.Start.Equal(d.Start) {
			return sl.StaffID, nil
		}
	}
	return 0, nil
}
