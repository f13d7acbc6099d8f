package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"concierge/salon"
	"concierge/store"
)

// The dashboard and what frames every venue page: the day's numbers and
// appointments, tomorrow's gaps, follow-ups and backfill recovery for those who see
// them, the notifications, and the venue switcher and unread badge of the layout.

// DayCounts are the dashboard's numbers for one venue day.
type DayCounts = store.DayCounts

// Notification is an in-app notice.
type Notification = store.Notification

// UserVenue is one venue a user belongs to, with their role there.
type UserVenue = store.UserVenue

// Dashboard is one venue day at a glance.
type Dashboard struct {
	Counts       DayCounts
	Bookings     []salon.Booking // every booking of the day, cancelled ones too
	GapsTomorrow int
	// Incomplete counts abandoned online bookings; only for members who may manage
	// the waitlist (0 otherwise).
	Incomplete int
	// Recovery is backfill's last 30 days; ShowRecovery says the member may see it
	// (those who manage the venue).
	Recovery     Recovery
	ShowRecovery bool
	// Approvals waits for an Owner or Manager (salon.Role.Approves); nil for others.
	Approvals []salon.ConciergeAction
	// Unread and Escalated count inbox threads waiting for a reply.
	Unread, Escalated int
	// WalletLow is salon.Venue.WalletLow, shown to those who top up (CanManageVenue).
	WalletLow bool
	// TroubledSends counts messages of the last TroubledSendDays that failed or whose
	// fate is unknown; counted for those who manage the venue.
	TroubledSends int
}

// TroubledSendDays is how far back the dashboard looks for failed or unknown sends:
// a week, long enough to be seen after a weekend off, short enough to clear itself.
const TroubledSendDays = 7

// Dashboard loads the venue day [from, to) as member m sees it.
func (s *Service) Dashboard(ctx context.Context, v salon.Venue, m salon.Membership, from, to time.Time) (Dashboard, error) {
	var d Dashboard
	var err error
	if d.Counts, err = s.Store.DayCounts(ctx, v.ID, from, to); err != nil {
		return d, err
	}
	if d.Bookings, err = s.Store.BookingsBetween(ctx, v.ID, from, to); err != nil {
		return d, err
	}
	gaps, err := s.Store.Gaps(ctx, v, to, to.AddDate(0, 0, 1))
	if err != nil {
		return d, err
	}
	d.GapsTomorrow = len(gaps)
	if m.CanManageWaitlist() {
		if d.Incomplete, err = s.Store.CountIncomplete(ctx, v.ID); err != nil {
			return d, err
		}
	}
	if m.CanManageVenue() {
		if d.Recovery, err = s.Store.RecoveryMetrics(ctx, v.ID, s.Store.Now().AddDate(0, 0, -30)); err != nil {
			return d, err
		}
		d.ShowRecovery = true
		d.WalletLow = v.WalletLow()
		if d.TroubledSends, err = s.Store.CountTroubledSends(ctx, v.ID, s.Store.Now().AddDate(0, 0, -TroubledSendDays)); err != nil {
			return d, err
		}
	}
	if m.Role.Approves() {
		if d.Approvals, err = s.Store.PendingActions(ctx, v.ID); err != nil {
			return d, err
		}
	}
	if d.Unread, d.Escalated, err = s.Store.CountOpenConversations(ctx, v.ID); err != nil {
		return d, err
	}
	return d, nil
}

// Notifications lists the latest notifications a user sees in the venue, where m is
// their membership: their own and the business-wide ones not hidden from their role.
func (s *Service) Notifications(ctx context.Context, venueID, userID int64, m salon.Membership) ([]Notification, error) {
	return s.Store.Notifications(ctx, venueID, userID, m.HiddenNotices())
}

// NotificationsSeen records that a user, of membership m, has seen their notifications
// in the venue up to upToID (the newest one shown): their bell's count drops, nobody else's.
func (s *Service) NotificationsSeen(ctx context.Context, venueID, userID, upToID int64, m salon.Membership) error {
	return s.Store.MarkNotificationsSeen(ctx, venueID, userID, upToID, m.HiddenNotices())
}

// UserVenues lists the venues a user belongs to, by name.
func (s *Service) UserVenues(ctx context.Context, userID int64) ([]UserVenue, error) {
	return s.Store.UserVenues(ctx, userID)
}

// PageLayout is what every page inside a venue shows around its content: the venue
// switcher, the bell's unread count and, for those who approve, the approval queue's size.
type PageLayout struct {
	Venues []UserVenue
	Unread int
	// Pending is the number of actions waiting for approval; counted only for a
	// membership whose role approves (salon.Role.Approves), 0 otherwise.
	Pending int
}

// PageLayout loads the layout of a user's pages in venue v, where m is their
// membership. It returns whatever it
// could load together with the error of what it could not: a page still renders
// without its switcher or its badge.
func (s *Service) PageLayout(ctx context.Context, userID int64, v salon.Venue, m salon.Membership) (PageLayout, error) {
	var p PageLayout
	vs, verr := s.Store.UserVenues(ctx, userID)
	if verr != nil {
		verr = fmt.Errorf("user venues: %w", verr)
	}
	unread, uerr := s.Store.UnreadNotifications(ctx, v.ID, userID, m.HiddenNotices())
	if uerr != nil {
		uerr = fmt.Errorf("unread notifications: %w", uerr)
	}
	p.Venues, p.Unread = vs, unread
	var perr error
	if m.Role.Approves() {
		if p.Pending, perr = s.Store.CountPendingActions(ctx, v.ID); perr != nil {
			perr = fmt.Errorf("pending actions: %w", perr)
		}
	}
	return p, errors.Join(verr, uerr, perr)
}
