package handlers

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"concierge/app"
	"concierge/salon"
	"concierge/views"
)

// Home sends people to their venues or to sign in.
func (s *Server) Home(c echo.Context) error {
	if _, ok := s.sessionUser(c); ok {
		return c.Redirect(http.StatusSeeOther, "/app")
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}

// VenueIndex opens the user's only venue, or lets them choose.
func (s *Server) VenueIndex(c echo.Context) error {
	vs, err := s.concierge.UserVenues(c.Request().Context(), user(c).ID)
	if err != nil {
		return err
	}
	if len(vs) == 1 {
		return c.Redirect(http.StatusSeeOther, "/app/"+vs[0].Slug)
	}
	var links []views.VenueLink
	for _, v := range vs {
		links = append(links, views.VenueLink{Slug: v.Slug, Name: v.Name, Role: v.Role.Title()})
	}
	p := s.bare(c, "Choose a venue")
	return render(c, http.StatusOK, views.VenuePicker(p, links))
}

// venueDay returns the venue-local midnight bounds of the day containing t.
func venueDay(t time.Time, loc *time.Location) (time.Time, time.Time) {
	l := t.In(loc)
	start := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	return start, start.AddDate(0, 0, 1)
}

// Dashboard shows today's numbers and appointments.
func (s *Server) Dashboard(c echo.Context) error {
	v := venue(c)
	from, to := venueDay(s.now(), v.Location())
	day, err := s.concierge.Dashboard(c.Request().Context(), v, member(c), from, to)
	if err != nil {
		return err
	}
	counts := day.Counts
	vm := views.DashboardVM{
		DateLabel: from.Format("Monday 2 January 2006"),
		Today:     counts.Today, Completed: counts.Completed, NoShows: counts.NoShows, Upcoming: counts.Upcoming,
		Revenue: salon.FormatMinor(v.Country, counts.RevenueMinor), Wallet: salon.FormatE4(v.Country, v.WalletE4),
		Channel: strings.ToUpper(string(v.Channel())),
	}
	use, err := s.concierge.SparkUsage(c.Request().Context(), v.ID)
	if err != nil {
		return err
	}
	vm.Sparks, vm.SparkUse = use.Left, use.String()
	if v.Channel() == salon.Email {
		vm.Channel = "email (this venue is email-only)"
	}
	for _, b := range day.Bookings {
		if b.Status != salon.Cancelled {
			vm.Appointments = append(vm.Appointments, s.bookingRow(v, b, 0))
		}
	}
	vm.GapsTomorrow, vm.Incomplete = day.GapsTomorrow, day.Incomplete
	if day.ShowRecovery {
		vm.ShowBackfill, vm.Recovery = true, recoveryVM(v, day.Recovery)
	}
	vm.Unread, vm.Escalated, vm.WalletLow, vm.TroubledSends, vm.TroubledDays = day.Unread, day.Escalated, day.WalletLow, day.TroubledSends, app.TroubledSendDays
	for _, a := range day.Approvals {
		act, _ := salon.LookupAction(a.Kind)
		vm.Approvals = append(vm.Approvals, views.DashApproval{ID: a.ID, Title: a.Title, Kind: act.Name, Creator: a.CreatorName,
			Audience: a.Audience, Cost: salon.FormatE4(v.Country, a.CostE4), Own: a.CreatedBy == user(c).ID})
	}
	return render(c, http.StatusOK, views.DashboardPage(s.page(c, "Dashboard", "dashboard"), vm))
}

// bookingRow builds the display row of a booking; dayStart (minutes) places it on the calendar.
func (s *Server) bookingRow(v salon.Venue, b salon.Booking, dayStartMin int) views.BookingRow {
	loc := v.Location()
	st, en := b.Start.In(loc), b.End.In(loc)
	var names []string
	for _, sv := range b.Services {
		names = append(names, sv.Name)
	}
	startMin := st.Hour()*60 + st.Minute()
	return views.BookingRow{
		ID: b.ID, ClientID: b.ClientID, ClientName: b.ClientName, StaffName: b.StaffName,
		Time:     fmt.Sprintf("%s–%s", st.Format("15:04"), en.Format("15:04")),
		Services: strings.Join(names, ", "), Status: string(b.Status), StatusLabel: b.Status.Label(),
		Price: salon.FormatMinor(v.Country, b.PriceMinor), Started: !b.Start.After(s.now()),
		Top: startMin - dayStartMin, Height: max(int(b.End.Sub(b.Start).Minutes()), 20),
	}
}

// Notifications lists in-app notifications and marks them seen for the person reading
// them: this page still shows which were new (and the bell's count before), the next
// page's bell no longer counts them.
func (s *Server) Notifications(c echo.Context) error {
	v, u, m := venue(c), user(c), member(c)
	ctx := c.Request().Context()
	ns, err := s.concierge.Notifications(ctx, v.ID, u.ID, m)
	if err != nil {
		return err
	}
	var vm views.NotificationsVM
	for _, n := range ns {
		vm.Items = append(vm.Items, views.NotificationRow{Body: n.Body, Link: n.Link, Unread: !n.Read,
			At: n.CreatedAt.In(v.Location()).Format("2 Jan 15:04")})
	}
	p := s.page(c, "Notifications", "")
	if len(ns) > 0 {
		if err := s.concierge.NotificationsSeen(ctx, v.ID, u.ID, ns[0].ID, m); err != nil {
			return err
		}
	}
	return render(c, http.StatusOK, views.NotificationsPage(p, vm))
}
