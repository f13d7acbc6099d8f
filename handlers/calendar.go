package handlers

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"concierge/salon"
	"concierge/views"
)

// parseVenueDate reads YYYY-MM-DD as a venue-local day; empty or bad means today.
func (s *Server) parseVenueDate(raw string, loc *time.Location) time.Time {
	if d, err := time.ParseInLocation("2006-01-02", raw, loc); err == nil {
		return d
	}
	start, _ := venueDay(s.now(), loc)
	return start
}

// Calendar shows one day, a column per active staff member.
func (s *Server) Calendar(c echo.Context) error {
	return s.renderCalendar(c, http.StatusOK, nil)
}

// renderCalendar draws the day view; waitErrs are the waitlist form's errors (shown
// beside its fields in the Follow-ups panel).
func (s *Server) renderCalendar(c echo.Context, status int, waitErrs views.FieldErrors) error {
	ctx := c.Request().Context()
	v := venue(c)
	loc := v.Location()
	day := s.parseVenueDate(c.QueryParam("date"), loc)
	next := day.AddDate(0, 0, 1)
	cal, err := s.concierge.CalendarDay(ctx, v.ID, day)
	if err != nil {
		return err
	}
	staff, bookings := cal.Staff, cal.Bookings
	// The visible window covers everyone's hours and every booking, at least 08:00–18:00.
	startMin, endMin := 8*60, 18*60
	wd := day.Weekday()
	for _, st := range staff {
		for _, h := range st.Hours {
			if h.Weekday == wd {
				startMin, endMin = min(startMin, int(h.Start)), max(endMin, int(h.End))
			}
		}
	}
	for _, b := range bookings {
		bs, be := b.Start.In(loc), b.End.In(loc)
		startMin = min(startMin, bs.Hour()*60+bs.Minute())
		if be.Day() != bs.Day() {
			endMin = 24 * 60
		} else {
			endMin = max(endMin, be.Hour()*60+be.Minute())
		}
	}
	startMin = startMin / 60 * 60
	endMin = min((endMin+59)/60*60, 24*60)
	today, _ := venueDay(s.now(), loc)
	vm := views.CalendarVM{
		Date: day.Format("2006-01-02"), DateLabel: day.Format("Monday 2 January 2006"),
		Prev: day.AddDate(0, 0, -1).Format("2006-01-02"), Next: next.Format("2006-01-02"),
		TodayDate: today.Format("2006-01-02"), IsToday: day.Equal(today), StartMin: startMin, EndMin: endMin,
	}
	for m := startMin; m < endMin; m += 60 {
		vm.Hours = append(vm.Hours, views.HourMark{Label: fmt.Sprintf("%02d:00", m/60), Top: m - startMin})
	}
	for _, st := range staff {
		col := views.StaffColumn{StaffID: st.ID, Name: st.Name, Off: true, Hours: "Not working"}
		for _, h := range st.Hours {
			if h.Weekday == wd {
				col.Off, col.Hours = false, h.Start.String()+"–"+h.End.String()
			}
		}
		for _, b := range bookings {
			if b.StaffID == st.ID && b.Status != salon.Cancelled {
				col.Bookings = append(col.Bookings, s.bookingRow(v, b, startMin))
			}
		}
		vm.Columns = append(vm.Columns, col)
	}
	if member(c).CanManageWaitlist() {
		if vm.FollowUps, err = s.followUpsVM(ctx, c, v); err != nil {
			return err
		}
		vm.FollowUps.Errors = waitErrs
	}
	return render(c, status, views.CalendarPage(s.page(c, "Calendar", "calendar"), vm))
}

// bookingForm builds the form view model with staff and service choices.
func (s *Server) bookingForm(c echo.Context, f views.BookingForm, staffID int64, serviceIDs []int64) (views.BookingForm, error) {
	v := venue(c)
	choices, err := s.concierge.BookingChoices(c.Request().Context(), v.ID)
	if err != nil {
		return f, err
	}
	f.Staff = nil
	for _, st := range choices.Staff {
		f.Staff = append(f.Staff, views.Option{Value: fmt.Sprint(st.ID), Label: st.Name, Selected: st.ID == staffID})
	}
	chosen := map[int64]bool{}
	for _, id := range serviceIDs {
		chosen[id] = true
	}
	f.Services = nil
	for _, sv := range choices.Services {
		opt := views.ServiceOption{ID: sv.ID, Category: sv.CategoryName, Checked: chosen[sv.ID], Name: sv.Name,
			Label: fmt.Sprintf("%s (%d min, %s)", sv.Name, sv.DurationMin, salon.FormatMinor(v.Country, sv.PriceMinor))}
		for _, vr := range sv.LiveVariants() {
			opt.Variants = append(opt.Variants, views.Option{Value: fmt.Sprintf("%d:%d", sv.ID, vr.ID), Selected: f.Variants[sv.ID] == vr.ID,
				Label: fmt.Sprintf("%s (+%d min, +%s)", vr.Name, vr.ExtraMin, salon.FormatMinor(v.Country, vr.ExtraPriceMinor))})
		}
		f.Services = append(f.Services, opt)
	}
	sort.SliceStable(f.Services, func(i, j int) bool { return f.Services[i].Category < f.Services[j].Category })
	f.Packages = nil
	for _, pk := range choices.Packages {
		f.Packages = append(f.Packages, views.Option{Value: fmt.Sprint(pk.ID), Label: fmt.Sprintf("%s (%s)", pk.Name, salon.FormatMinor(v.Country, pk.PriceMinor)),
			Selected: pk.ID == f.PackageID})
	}
	f.StaffID = staffID
	return f, nil
}

// NewBooking shows the booking form, prefilled from ?client=, ?staff=, ?date=.
func (s *Server) NewBooking(c echo.Context) error {
	v := venue(c)
	p := s.page(c, "New booking", "calendar")
	day := s.parseVenueDate(c.QueryParam("date"), v.Location())
	f := views.BookingForm{Action: p.AppURL("bookings"), Date: day.Format("2006-01-02"), Time: "10:00"}
	if id, err := strconv.ParseInt(c.QueryParam("client"), 10, 64); err == nil {
		if cl, err := s.concierge.BookingClient(c.Request().Context(), v.ID, id); err == nil {
			f.ClientOptions = []views.Option{{Value: fmt.Sprint(cl.ID), Label: cl.FullName(), Selected: true}}
		}
	}
	staffID, _ := strconv.ParseInt(c.QueryParam("staff"), 10, 64)
	// A staff member booking is theirs by default, unless the link chose (staff=0: ask).
	if staffID == 0 && member(c).StaffID != 0 && !c.QueryParams().Has("staff") {
		staffID = member(c).StaffID
	}
	if t := c.QueryParam("time"); t != "" {
		if _, err := time.Parse("15:04", t); err == nil {
			f.Time = t
		}
	}
	// Prefilled services (Book for client): archived or removed ones are left out, and
	// the form says which.
	var asked []int64
	for _, r := range c.QueryParams()["service"] {
		id, _ := strconv.ParseInt(r, 10, 64)
		asked = append(asked, id)
	}
	serviceIDs, skipped, err := s.concierge.PrefilledServices(c.Request().Context(), v.ID, asked)
	if err != nil {
		return err
	}
	if len(skipped) > 0 {
		f.Skipped = strings.Join(skipped, ", ") + " is no longer offered and was left out."
		if len(skipped) > 1 {
			f.Skipped = strings.Join(skipped, ", ") + " are no longer offered and were left out."
		}
	}
	// A prefilled package and options are chosen while they are still offered.
	f.PackageID, _ = strconv.ParseInt(c.QueryParam("package"), 10, 64)
	f.Variants = chosenVariants(c.QueryParams()["variant"], serviceIDs)
	f, err = s.bookingForm(c, f, staffID, serviceIDs)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.BookingPage(p, f, nil))
}

// readBooking parses the booking form; field errors come back for unparsable values.
func (s *Server) readBooking(c echo.Context) (salon.BookingInput, views.FieldErrors) {
	v := venue(c)
	errs := views.FieldErrors{}
	in := salon.BookingInput{Notes: c.FormValue("notes")}
	in.ClientID, _ = strconv.ParseInt(c.FormValue("client_id"), 10, 64)
	in.StaffID, _ = strconv.ParseInt(c.FormValue("staff_id"), 10, 64)
	in.PackageID, _ = strconv.ParseInt(c.FormValue("package_id"), 10, 64)
	form, _ := c.FormParams()
	for _, raw := range form["service_id"] {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
			in.ServiceIDs = append(in.ServiceIDs, id)
		}
	}
	in.Variants = chosenVariants(form["variant"], in.ServiceIDs)
	start, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(c.FormValue("date"))+" "+strings.TrimSpace(c.FormValue("time")), v.Location())
	if err != nil {
		if _, derr := time.Parse("2006-01-02", c.FormValue("date")); derr != nil {
			errs["date"] = "Choose a date."
		} else {
			errs["time"] = "Choose a start time (HH:MM)."
		}
	}
	in.Start = start.UTC()
	return in, errs
}

// CreateBooking books an appointment; an overlap is refused with a clear message.
func (s *Server) CreateBooking(c echo.Context) error {
	v := venue(c)
	p := s.page(c, "New booking", "calendar")
	in, errs := s.readBooking(c)
	var err error
	if len(errs) == 0 {
		var b salon.Booking
		b, err = s.concierge.BookAppointment(c.Request().Context(), v, user(c).ID, in, c.FormValue("outside_hours") == "1")
		if err == nil {
			return redirectAfterPost(c, p.AppURL("calendar")+"?date="+b.Start.In(v.Location()).Format("2006-01-02")+"&saved=booking")
		}
	}
	f := views.BookingForm{Action: p.AppURL("bookings"), Date: c.FormValue("date"), Time: c.FormValue("time"), Notes: in.Notes,
		OutsideHours: outsideHours(c, err)}
	if in.ClientID != 0 {
		if cl, cerr := s.concierge.BookingClient(c.Request().Context(), v.ID, in.ClientID); cerr == nil {
			f.ClientOptions = []views.Option{{Value: fmt.Sprint(cl.ID), Label: cl.FullName(), Selected: true}}
		}
	}
	return s.bookingFormFailed(c, p, f, in, errs, err, nil)
}

// outsideHours says whether the form shows its "book outside their hours" box: ticked
// already, or the appointment was refused for lying outside the team member's hours.
func outsideHours(c echo.Context, err error) bool {
	return salon.FieldErrors(err)["outside_hours"] != "" || c.FormValue("outside_hours") == "1"
}

// bookingFormFailed re-renders the booking form with field errors (422) or the overlap
// message (409); anything else is a real error.
func (s *Server) bookingFormFailed(c echo.Context, p views.Page, f views.BookingForm, in salon.BookingInput, errs views.FieldErrors, err error, row *views.BookingRow) error {
	status := http.StatusUnprocessableEntity
	switch {
	case err == nil:
	case salon.FieldErrors(err) != nil:
		for k, m := range salon.FieldErrors(err) {
			errs[k] = m
		}
	case salon.ErrorCode(err) == salon.CodeConflict:
		status, f.ConflictMessage = http.StatusConflict, salon.ErrorMessage(err)
	default:
		return err
	}
	f.Errors = errs
	f.PackageID, f.Variants = in.PackageID, in.Variants
	f, ferr := s.bookingForm(c, f, in.StaffID, in.ServiceIDs)
	if ferr != nil {
		return ferr
	}
	if isHTMX(c) {
		return render(c, status, views.BookingFormFragment(p, f))
	}
	return render(c, status, views.BookingPage(p, f, row))
}

// Booking shows one booking with its edit form and status actions.
func (s *Server) Booking(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	v := venue(c)
	b, err := s.concierge.StaffBooking(c.Request().Context(), v.ID, id)
	if err != nil {
		return err
	}
	p := s.page(c, "Booking", "calendar")
	loc := v.Location()
	f := views.BookingForm{ID: b.ID, Action: p.AppURL("bookings", b.ID), ClientID: b.ClientID, ClientName: b.ClientName,
		Date: b.Start.In(loc).Format("2006-01-02"), Time: b.Start.In(loc).Format("15:04"), Notes: b.Notes}
	var ids []int64
	for _, sv := range b.Services {
		if sv.PackageID != 0 { // booked inside a package: the package is chosen instead
			f.PackageID = sv.PackageID
			continue
		}
		if sv.VariantID != 0 {
			if f.Variants == nil {
				f.Variants = map[int64]int64{}
			}
			f.Variants[sv.ServiceID] = sv.VariantID
		}
		ids = append(ids, sv.ServiceID)
	}
	f, err = s.bookingForm(c, f, b.StaffID, ids)
	if err != nil {
		return err
	}
	row := s.bookingRow(v, b, 0)
	row.Time = b.Start.In(loc).Format("Mon 2 Jan 2006, 15:04")
	return render(c, http.StatusOK, views.BookingPage(p, f, &row))
}

// UpdateBooking moves or edits a booked appointment.
func (s *Server) UpdateBooking(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	v := venue(c)
	p := s.page(c, "Booking", "calendar")
	current, err := s.concierge.StaffBooking(c.Request().Context(), v.ID, id)
	if err != nil {
		return err
	}
	in, errs := s.readBooking(c)
	if len(errs) == 0 {
		var b salon.Booking
		b, err = s.concierge.MoveAppointment(c.Request().Context(), v, user(c).ID, id, in, c.FormValue("outside_hours") == "1")
		if err == nil {
			return redirectAfterPost(c, p.AppURL("calendar")+"?date="+b.Start.In(v.Location()).Format("2006-01-02")+"&saved=booking")
		}
	}
	f := views.BookingForm{ID: id, Action: p.AppURL("bookings", id), ClientName: current.ClientName, Date: c.FormValue("date"),
		Time: c.FormValue("time"), Notes: in.Notes, OutsideHours: outsideHours(c, err)}
	row := s.bookingRow(v, current, 0)
	return s.bookingFormFailed(c, p, f, in, errs, err, &row)
}

// SetBookingStatus completes, cancels or marks a no-show.
func (s *Server) SetBookingStatus(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	status, ok := salon.ParseBookingStatus(c.FormValue("status"))
	if !ok || status == salon.Booked {
		return salon.Invalid(map[string]string{"status": "Choose completed, no-show or cancelled."})
	}
	v := venue(c)
	if err := s.concierge.SetAppointmentStatus(c.Request().Context(), v.ID, user(c).ID, id, status); err != nil {
		return err
	}
	return redirectAfterPost(c, fmt.Sprintf("/app/%s/bookings/%d?saved=status", v.Slug, id))
}

// chosenVariants reads "service:variant" fields, keeping the options of chosen services
// ("service:0" is the standard one).
func chosenVariants(raw []string, serviceIDs []int64) map[int64]int64 {
	all := salon.ParseVariants(strings.Join(raw, ","))
	var out map[int64]int64
	for _, id := range serviceIDs {
		if v := all[id]; v != 0 {
			if out == nil {
				out = map[int64]int64{}
			}
			out[id] = v
		}
	}
	return out
}
