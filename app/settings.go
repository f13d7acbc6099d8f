package app

import (
	"context"
	"time"

	"concierge/salon"
	"concierge/store"
)

// Venue settings and the team: the venue form, SMS price and number, the wallet's
// top-ups and ledger, the send delay, members and roles, staff and their hours. Each
// save checks its salon rule before the store writes.

// LedgerEntry is one wallet movement.
type LedgerEntry = store.LedgerEntry

// Member is a person with a login in the venue (the Staff and roles page).
type Member = store.Member

// VenueSettingsPage is what the settings page shows besides the venue itself.
type VenueSettingsPage struct {
	// SendDelay is the win-back cancel window; SendDelayKnown is false when it could
	// not be read, and the page then leaves the field empty rather than failing.
	SendDelay      time.Duration
	SendDelayKnown bool
	Ledger         []LedgerEntry // the latest 10 wallet movements
	Staff          []salon.StaffMember
}

// VenueSettingsPage loads the settings page's send delay, ledger and staff.
func (s *Service) VenueSettingsPage(ctx context.Context, venueID int64) (VenueSettingsPage, error) {
	var p VenueSettingsPage
	if d, err := s.Store.SendDelay(ctx, venueID); err == nil {
		p.SendDelay, p.SendDelayKnown = d, true
	}
	var err error
	if p.Ledger, err = s.Store.WalletLedger(ctx, venueID, 10); err != nil {
		return p, err
	}
	p.Staff, err = s.Store.StaffMembers(ctx, venueID, false)
	return p, err
}

// SaveVenueSettings saves the venue form (a solo venue must have exactly one active
// staff member, counted as it saves).
func (s *Service) SaveVenueSettings(ctx context.Context, venueID, userID int64, in salon.VenueSettings) error {
	if errs := in.Validate(); len(errs) > 0 {
		return salon.Invalid(errs)
	}
	return s.Store.UpdateVenueSettings(ctx, venueID, userID, in)
}

// SetSMSPrice sets the venue's per-segment SMS price (ten-thousandths).
func (s *Service) SetSMSPrice(ctx context.Context, v salon.Venue, userID, priceE4 int64) error {
	if err := salon.CheckSMSPrice(v.Country, priceE4); err != nil {
		return err
	}
	return s.Store.SetSMSPrice(ctx, v.ID, userID, priceE4)
}

// SetSMSNumber sets the number the venue texts from (empty: the default number). The
// number is checked against the venue's country as it saves (salon.ParseSendingNumber).
func (s *Service) SetSMSNumber(ctx context.Context, venueID, userID int64, number string) error {
	return s.Store.SetSMSNumber(ctx, venueID, userID, number)
}

// TopUpWallet records a manual wallet top-up (minor units).
func (s *Service) TopUpWallet(ctx context.Context, venueID, userID, amountMinor int64, note string) error {
	if err := salon.CheckTopUp(amountMinor); err != nil {
		return err
	}
	return s.Store.TopUpWallet(ctx, venueID, userID, amountMinor, note)
}

// SetSendDelay sets the win-back cancel window in seconds.
func (s *Service) SetSendDelay(ctx context.Context, venueID, userID int64, secs int) error {
	if err := salon.CheckSendDelay(secs); err != nil {
		return err
	}
	return s.Store.SetSendDelay(ctx, venueID, userID, secs)
}

// Team is the Staff and roles page: the people with a login, every staff member with
// their hours, and how many browsers each person is signed in on.
type Team struct {
	Members  []Member
	Staff    []salon.StaffMember
	Sessions map[int64]int // by user id
}

// Team loads the Staff and roles page.
func (s *Service) Team(ctx context.Context, venueID int64) (Team, error) {
	var t Team
	var err error
	if t.Members, err = s.Store.Members(ctx, venueID); err != nil {
		return t, err
	}
	if t.Staff, err = s.Store.StaffMembers(ctx, venueID, false); err != nil {
		return t, err
	}
	t.Sessions, err = s.Store.SessionCounts(ctx, venueID)
	return t, err
}

// AddMember gives a person (new, or known by their email) a login and a role in the
// venue, with a staff record of their name. Re-adding a member changes their role.
func (s *Service) AddMember(ctx context.Context, venueID, actorID int64, n salon.NewUser) (salon.User, error) {
	if errs := n.Validate(); len(errs) > 0 {
		return salon.User{}, salon.Invalid(errs)
	}
	return s.Store.AddUser(ctx, venueID, actorID, n)
}

// SetMemberRole changes a member's role and Manage Waitlist permission; the venue
// always keeps an Owner, and a member whose role changes signs in again.
func (s *Service) SetMemberRole(ctx context.Context, venueID, actorID, userID int64, role salon.Role, manageWaitlist bool) error {
	if err := salon.CheckRole(role); err != nil {
		return err
	}
	return s.Store.SetMemberRole(ctx, venueID, actorID, userID, role, manageWaitlist)
}

// StaffMember loads one staff member of the venue with their hours.
func (s *Service) StaffMember(ctx context.Context, venueID, staffID int64) (salon.StaffMember, error) {
	return s.Store.StaffMember(ctx, venueID, staffID)
}

// SaveStaff sets a staff member's active flag and weekly hours together (a solo venue
// keeps exactly one active member).
func (s *Service) SaveStaff(ctx context.Context, venueID, actorID, staffID int64, active bool, hours []salon.WorkingHours) error {
	if err := salon.CheckHours(hours); err != nil {
		return err
	}
	return s.Store.UpdateStaff(ctx, venueID, actorID, staffID, active, hours)
}

// SparkUsage is the venue's Sparks this month (the Concierge page, the dashboard and
// Settings show it), after refilling the allowance if a new venue month has begun.
func (s *Service) SparkUsage(ctx context.Context, venueID int64) (salon.SparkUsage, error) {
	if err := s.Store.RefillSparks(ctx, venueID); err != nil {
		return salon.SparkUsage{}, err
	}
	v, err := s.Store.Venue(ctx, venueID)
	return salon.SparkUsage{Allowance: v.SparkAllowance, Left: v.Sparks}, err
}

// SetSparkAllowance sets the venue's monthly Spark allowance from the settings form:
// the Owner's call, as it decides what the language model may spend.
func (s *Service) SetSparkAllowance(ctx context.Context, w Who, typed string) error {
	if w.Member.Role != salon.Owner {
		return salon.ErrForbidden
	}
	n, err := salon.ParseSparkAllowance(typed)
	if err != nil {
		return err
	}
	return s.Store.SetSparkAllowance(ctx, w.Venue.ID, w.User.ID, n)
}
