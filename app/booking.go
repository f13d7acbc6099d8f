package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"concierge/salon"
	"concierge/store"
)

// Online booking: which times the page offers, and the confirm that books a client's
// live draft once, only at a time the page would offer right now.

// BookableSlots are the free start times on a venue day (local midnight) for the chosen
// services and team-member choice (0: any), from the venue's services.
func (s *Service) BookableSlots(ctx context.Context, v salon.Venue, day time.Time, serviceIDs []int64, staffPref int64, services []salon.Service) ([]salon.Slot, error) {
	return s.BookableSlotsFor(ctx, v, day, salon.ServiceChoice{ServiceIDs: serviceIDs}, staffPref, services)
}

// BookableSlotsFor is BookableSlots for a whole choice: services with their options.
func (s *Service) BookableSlotsFor(ctx context.Context, v salon.Venue, day time.Time, ch salon.ServiceChoice, staffPref int64, services []salon.Service) ([]salon.Slot, error) {
	q, err := s.slotQuery(ctx, v, day, ch, staffPref, services)
	if err != nil {
		return nil, err
	}
	return q.Starts(), nil
}

// SlotOffered reports whether the page would offer this start with this team member
// right now, for these services and team-member choice (0: any): the one check Review
// and confirm make against a posted slot.
func (s *Service) SlotOffered(ctx context.Context, v salon.Venue, serviceIDs []int64, staffPref int64, start time.Time, staffID int64) (bool, error) {
	return s.SlotOfferedFor(ctx, v, salon.ServiceChoice{ServiceIDs: serviceIDs}, staffPref, start, staffID)
}

// SlotOfferedFor is SlotOffered for a whole choice: services with their options.
func (s *Service) SlotOfferedFor(ctx context.Context, v salon.Venue, ch salon.ServiceChoice, staffPref int64, start time.Time, staffID int64) (bool, error) {
	if staffPref != 0 && staffPref != staffID {
		return false, nil
	}
	services, err := s.Store.Services(ctx, v.ID, false)
	if err != nil {
		return false, err
	}
	services = salon.OnlineServices(services)
	l := start.In(v.Location())
	q, err := s.slotQuery(ctx, v, time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, v.Location()), ch, staffPref, services)
	if err != nil {
		return false, err
	}
	return q.Offers(start, staffID), nil
}

// slotQuery is availability for one venue day: team members who perform every chosen
// service (and are the one asked for, if any), their working hours minus their
// bookings, inside the online booking window.
func (s *Service) slotQuery(ctx context.Context, v salon.Venue, day time.Time, ch salon.ServiceChoice, staffPref int64, services []salon.Service) (salon.SlotQuery, error) {
	pkg, err := s.onlinePackage(ctx, v.ID, ch, services)
	if err != nil {
		return salon.SlotQuery{}, err
	}
	dur, canDoAll := salon.ChoicePlan(services, ch, pkg)
	notBefore, until := salon.OnlineWindow(s.Store.Now(), v.Location())
	q := salon.SlotQuery{Duration: dur, NotBefore: notBefore, Until: until,
		CanDo: func(staffID int64) bool { return canDoAll(staffID) && (staffPref == 0 || staffPref == staffID) }}
	if dur == 0 || !day.Before(until) || !day.AddDate(0, 0, 1).After(notBefore) {
		return q, nil // nothing to ask the store: outside the window
	}
	q.Gaps, err = s.Store.Gaps(ctx, v, day, day.AddDate(0, 0, 1))
	return q, err
}

// ConfirmOutcome is what confirming a draft came to.
type ConfirmOutcome int

// The outcomes of a confirm.
const (
	ConfirmBooked      ConfirmOutcome = iota // booked and confirmed to the client
	ConfirmReviewAgain                       // the form no longer matches the draft: show Review again
	ConfirmTimedOut                          // the draft's 10 minutes ran out: Review says pick again
	ConfirmPickAgain                         // the time cannot be booked: the picker, with Problem
)

// ConfirmResult is the outcome of a confirm, with the booking or the problem to show.
type ConfirmResult struct {
	Outcome ConfirmOutcome
	Draft   salon.BookingDraft
	Booking salon.Booking
	Problem string
}

// ConfirmDraft books the signed-in client's live draft: its services, time and notes,
// once, and only at a time the page would offer right now (the slot was never held,
// so the first confirm wins). start, staffID and the choice are what the form posted;
// a form that no longer matches the draft is reviewed again.
func (s *Service) ConfirmDraft(ctx context.Context, v salon.Venue, clientID, draftID int64, start time.Time, staffID int64, serviceIDs []int64, staffPref int64) (ConfirmResult, error) {
	d, err := s.Store.Draft(ctx, v.ID, draftID)
	if err != nil || d.ClientID != clientID {
		return ConfirmResult{Outcome: ConfirmReviewAgain}, nil
	}
	r := ConfirmResult{Draft: d}
	if d.Status == "converted" {
		r.Outcome, r.Problem = ConfirmPickAgain, "This booking has already been made. To book another appointment, pick a time."
		return r, nil
	}
	if d.Status != "active" || !s.Store.Now().Before(d.ReviewStartedAt.Add(salon.DraftAbandon)) {
		r.Outcome = ConfirmTimedOut
		return r, nil
	}
	if !start.Equal(d.Start) || !sameIDs(serviceIDs, d.ServiceIDs) || staffPref != d.StaffID {
		r.Outcome = ConfirmReviewAgain
		return r, nil
	}
	offered, err := s.SlotOfferedFor(ctx, v, d.Choice(), d.StaffID, d.Start, staffID)
	if err != nil {
		return r, err
	}
	if !offered {
		r.Outcome, r.Problem = ConfirmPickAgain, "Sorry, that time is no longer available. Please pick another time."
		return r, nil
	}
	b, err := s.Store.ConfirmDraft(ctx, v.ID, d.ID, salon.BookingInput{ClientID: clientID, StaffID: staffID, Start: d.Start, ServiceIDs: d.ServiceIDs,
		Variants: d.Variants, PackageID: d.PackageID, Notes: d.Notes, Source: salon.SourceOnline})
	switch {
	case errors.Is(err, store.ErrDraftClosed):
		r.Outcome, r.Problem = ConfirmPickAgain, "This booking is no longer open: it was already made, or its 10 minutes ran out. Please pick a time."
		return r, nil
	case err != nil && (salon.ErrorCode(err) == salon.CodeConflict || salon.FieldErrors(err) != nil):
		r.Outcome, r.Problem = ConfirmPickAgain, "Sorry, that time has just been booked by someone else. Please pick another time."
		return r, nil
	case err != nil:
		return r, err
	}
	r.Outcome, r.Booking = ConfirmBooked, b
	s.confirmBooking(ctx, v, clientID, b)
	return r, nil
}

// confirmBooking tells the client what they booked, on the venue's channel when they
// have an address for it; a failed send is logged (the booking stands).
func (s *Service) confirmBooking(ctx context.Context, v salon.Venue, clientID int64, b salon.Booking) {
	cl, err := s.Store.Client(ctx, v.ID, clientID)
	if err != nil {
		return
	}
	var names []string
	for _, sv := range b.Services {
		names = append(names, sv.Label())
	}
	when := b.Start.In(v.Location()).Format("Monday 2 January, 15:04")
	msg := fmt.Sprintf("You're booked at %s: %s with %s, %s. See you then!", v.Name, strings.Join(names, ", "), b.StaffName, when)
	ch := v.Channel()
	if ch == salon.SMS && cl.Phone == "" || ch == salon.Email && cl.Email == "" {
		return
	}
	if _, err := s.Dispatch.SendToClient(ctx, v.ID, cl, ch, salon.PurposeBookingConfirm, "Your booking at "+v.Name, msg); err != nil {
		s.logger().Warn("booking confirmation failed", "err", err)
	}
}

// sameIDs reports whether two id lists hold the same ids, in any order.
func sameIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[int64]int{}
	for _, id := range a {
		seen[id]++
	}
	for _, id := range b {
		if seen[id] == 0 {
			return false
		}
		seen[id]--
	}
	return true
}

// BookingVenue is the venue of a public booking page (/book/:slug).
func (s *Service) BookingVenue(ctx context.Context, slug string) (salon.Venue, error) {
	return s.Store.VenueBySlug(ctx, slug)
}

// BookingDraft loads one of the venue's drafts (the caller checks whose it is).
func (s *Service) BookingDraft(ctx context.Context, venueID, id int64) (salon.BookingDraft, error) {
	return s.Store.Draft(ctx, venueID, id)
}

// StartReview captures the client's choice as their live draft as they reach Review:
// their 10 minutes start now (one live draft per client; a new choice replaces it).
func (s *Service) StartReview(ctx context.Context, venueID int64, n salon.NewBookingDraft) (salon.BookingDraft, error) {
	if err := n.Validate(); err != nil {
		return salon.BookingDraft{}, err
	}
	return s.Store.SaveDraft(ctx, venueID, n)
}

// ReviewDetails are what Review lists: the chosen services still on offer (in the
// menu's order) and the name of the team member with the slot ("" when not found).
func (s *Service) ReviewDetails(ctx context.Context, venueID int64, serviceIDs []int64, staffID int64) ([]salon.Service, string, error) {
	services, err := s.Store.Services(ctx, venueID, false)
	if err != nil {
		return nil, "", err
	}
	var chosen []salon.Service
	for _, sv := range services {
		for _, id := range serviceIDs {
			if sv.ID == id {
				chosen = append(chosen, sv)
			}
		}
	}
	// The name is a nicety: Review shows without it rather than fail.
	var with string
	if staff, err := s.Store.StaffMembers(ctx, venueID, true); err == nil {
		for _, st := range staff {
			if st.ID == staffID {
				with = st.Name
			}
		}
	}
	return chosen, with, nil
}

// ResumeStaff is the team member for a resumed draft's time: the one asked for, or
// whoever is free then (0: nobody is any more).
func (s *Service) ResumeStaff(ctx context.Context, v salon.Venue, d salon.BookingDraft) (int64, error) {
	if d.StaffID != 0 {
		return d.StaffID, nil
	}
	services, err := s.Store.Services(ctx, v.ID, false)
	if err != nil {
		return 0, err
	}
	l := d.Start.In(v.Location())
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, v.Location())
	var staff int64
	if slots, err := s.BookableSlotsFor(ctx, v, day, d.Choice(), 0, services); err == nil {
		for _, sl := range slots {
			if sl.Start.Equal(d.Start) {
				staff = sl.StaffID
			}
		}
	}
	return staff, nil
}
