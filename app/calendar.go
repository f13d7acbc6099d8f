package app

import (
	"context"
	"time"

	"concierge/salon"
)

// Staff bookings: the calendar's day, the booking form's choices, and booking, moving
// and closing appointments (an appointment outside the team member's hours only once
// staff say so).

// CalendarDay is one venue day of the calendar: the active team and the bookings that
// start that day.
type CalendarDay struct {
	Staff    []salon.StaffMember
	Bookings []salon.Booking
}

// CalendarDay loads the venue day starting at day (local midnight).
func (s *Service) CalendarDay(ctx context.Context, venueID int64, day time.Time) (CalendarDay, error) {
	staff, err := s.Store.StaffMembers(ctx, venueID, true)
	if err != nil {
		return CalendarDay{}, err
	}
	bookings, err := s.Store.BookingsBetween(ctx, venueID, day, day.AddDate(0, 0, 1))
	if err != nil {
		return CalendarDay{}, err
	}
	return CalendarDay{Staff: staff, Bookings: bookings}, nil
}

// BookingChoices are what a booking can be made with: the active team and the services
// on offer (archived ones left out).
type BookingChoices struct {
	Staff    []salon.StaffMember
	Services []salon.Service
	Packages []salon.Package // not archived
}

// BookingChoices loads the venue's team and services for a booking form.
func (s *Service) BookingChoices(ctx context.Context, venueID int64) (BookingChoices, error) {
	var ch BookingChoices
	var err error
	if ch.Staff, err = s.Store.StaffMembers(ctx, venueID, true); err != nil {
		return ch, err
	}
	if ch.Services, err = s.Store.Services(ctx, venueID, false); err != nil {
		return ch, err
	}
	pkgs, err := s.Store.Packages(ctx, venueID, false)
	ch.Packages = salon.LivePackages(pkgs, ch.Services)
	return ch, err
}

// BookingClient is the venue's client a booking is for.
func (s *Service) BookingClient(ctx context.Context, venueID, clientID int64) (salon.Client, error) {
	return s.Store.Client(ctx, venueID, clientID)
}

// PrefilledServices splits services asked for by id (Book for client) into those still
// offered and the names of those that are not: archived, or gone ("a service that no
// longer exists").
func (s *Service) PrefilledServices(ctx context.Context, venueID int64, ids []int64) (offered []int64, skipped []string, err error) {
	if len(ids) == 0 {
		return nil, nil, nil
	}
	all, err := s.Store.Services(ctx, venueID, true)
	if err != nil {
		return nil, nil, err
	}
	for _, id := range ids {
		found := false
		for _, sv := range all {
			if sv.ID == id {
				found = true
				if sv.Archived {
					skipped = append(skipped, sv.Name)
				} else {
					offered = append(offered, id)
				}
			}
		}
		if !found {
			skipped = append(skipped, "a service that no longer exists")
		}
	}
	return offered, skipped, nil
}

// StaffBooking loads one booking of the venue.
func (s *Service) StaffBooking(ctx context.Context, venueID, id int64) (salon.Booking, error) {
	return s.Store.Booking(ctx, venueID, id)
}

// BookAppointment books a client from the staff booking form. Unless outsideHoursOK
// (the form's box), an appointment outside the team member's working hours is refused
// with a warning on "outside_hours" before anything is saved; an overlap is a conflict.
func (s *Service) BookAppointment(ctx context.Context, v salon.Venue, actorID int64, in salon.BookingInput, outsideHoursOK bool) (salon.Booking, error) {
	if !outsideHoursOK {
		if err := s.checkStaffHours(ctx, v, in); err != nil {
			return salon.Booking{}, err
		}
	}
	return s.Store.CreateBooking(ctx, v.ID, actorID, in)
}

// MoveAppointment moves or edits a booked appointment, with BookAppointment's checks.
func (s *Service) MoveAppointment(ctx context.Context, v salon.Venue, actorID, id int64, in salon.BookingInput, outsideHoursOK bool) (salon.Booking, error) {
	if !outsideHoursOK {
		if err := s.checkStaffHours(ctx, v, in); err != nil {
			return salon.Booking{}, err
		}
	}
	return s.Store.UpdateBooking(ctx, v.ID, actorID, id, in)
}

// SetAppointmentStatus completes, cancels or marks a booking as a no-show.
func (s *Service) SetAppointmentStatus(ctx context.Context, venueID, actorID, id int64, status salon.BookingStatus) error {
	return s.Store.SetBookingStatus(ctx, venueID, actorID, id, status)
}

// checkStaffHours refuses an appointment outside the team member's working hours
// (salon.StaffMember.OutsideHoursWarning). Unknown staff or services are left to the
// booking's own validation.
func (s *Service) checkStaffHours(ctx context.Context, v salon.Venue, in salon.BookingInput) error {
	ch, err := s.BookingChoices(ctx, v.ID)
	if err != nil {
		return err
	}
	choice := salon.ServiceChoice{ServiceIDs: in.ServiceIDs, Variants: in.Variants, PackageID: in.PackageID}
	dur, _ := salon.ChoicePlan(ch.Services, choice, salon.PackageFor(ch.Packages, choice))
	for _, st := range ch.Staff {
		if st.ID != in.StaffID {
			continue
		}
		if w := st.OutsideHoursWarning(in.Start, in.Start.Add(dur), v.Location()); w != "" {
			return salon.Invalid(map[string]string{"outside_hours": w})
		}
	}
	return nil
}
