package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"concierge/salon"
	"concierge/views"
)

// settingsVM builds the settings page from the venue's current state.
func (s *Server) settingsVM(c echo.Context, v salon.Venue) (views.SettingsVM, error) {
	vm := views.SettingsVM{
		Venue: views.VenueForm{Name: v.Name, Country: string(v.Country), TimeZone: v.TimeZone, QuietStart: v.QuietStart.String(),
			QuietEnd: v.QuietEnd.String(), Solo: v.Solo, StorefrontURL: v.StorefrontURL, ReviewLink: v.ReviewLink},
		SMSPrice: salon.FormatPriceE4(v.SMSPriceE4), Currency: v.Country.Currency(), EmailOnly: !v.Country.SendsSMS(),
		Wallet: salon.FormatE4(v.Country, v.WalletE4), SMSFrom: v.SMSFrom, DefaultFrom: s.cfg.TwilioFrom,
	}
	vm.PublicAddress = publicAddressVM(s.concierge.PublicAddressView(), member(c))
	vm.TimeZones = salon.CommonTimeZones
	base := strings.TrimRight(s.linkBase(), "/")
	if base == "" {
		base = c.Scheme() + "://" + c.Request().Host
	}
	vm.BookingURL = base + "/book/" + v.Slug
	page, err := s.concierge.VenueSettingsPage(c.Request().Context(), v.ID)
	if err != nil {
		return vm, err
	}
	use, err := s.concierge.SparkUsage(c.Request().Context(), v.ID)
	if err != nil {
		return vm, err
	}
	vm.SparkUse, vm.SparkAllowance, vm.CanSetSparks = use.String(), fmt.Sprint(use.Allowance), member(c).Role == salon.Owner
	if page.SendDelayKnown {
		vm.SendDelay = fmt.Sprint(int(page.SendDelay.Seconds()))
	}
	for _, l := range page.Ledger {
		vm.Ledger = append(vm.Ledger, views.LedgerRow{At: l.At.In(v.Location()).Format("2 Jan 15:04"),
			Kind: strings.ReplaceAll(l.Kind, "_", "-"), Note: l.Note, Amount: salon.FormatE4(v.Country, l.AmountE4)})
	}
	for _, st := range page.Staff {
		vm.Staff = append(vm.Staff, views.StaffHoursRow{ID: st.ID, Name: st.Name, Active: st.Active, Hours: hoursSummary(st.Hours)})
	}
	return vm, nil
}

// Settings shows the venue settings (Owner and Manager).
func (s *Server) Settings(c echo.Context) error {
	vm, err := s.settingsVM(c, venue(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.SettingsPage(s.page(c, "Settings", "settings"), vm))
}

// settingsFailed re-renders the settings page (422) with the failed form's input kept.
func (s *Server) settingsFailed(c echo.Context, patch func(*views.SettingsVM)) error {
	vm, err := s.settingsVM(c, venue(c))
	if err != nil {
		return err
	}
	patch(&vm)
	return render(c, http.StatusUnprocessableEntity, views.SettingsPage(s.page(c, "Settings", "settings"), vm))
}

// SaveVenue saves country, time zone, quiet hours, solo and links.
func (s *Server) SaveVenue(c echo.Context) error {
	v := venue(c)
	in := salon.VenueSettings{Name: c.FormValue("name"), Country: salon.Country(c.FormValue("country")),
		TimeZone: strings.TrimSpace(c.FormValue("time_zone")), Solo: c.FormValue("solo") == "true",
		StorefrontURL: c.FormValue("storefront_url"), ReviewLink: c.FormValue("review_link")}
	errs := views.FieldErrors(in.Validate())
	var ok bool
	if in.QuietStart, ok = salon.ParseClock(c.FormValue("quiet_start")); !ok {
		errs["quiet_start"] = "Use a time like 20:00."
	}
	if in.QuietEnd, ok = salon.ParseClock(c.FormValue("quiet_end")); !ok {
		errs["quiet_end"] = "Use a time like 09:00."
	}
	if link := strings.TrimSpace(in.ReviewLink); link != "" && salon.CheckWebLink(link) != "" {
		errs["review_link"] = salon.CheckWebLink(link)
	}
	var err error
	if len(errs) == 0 {
		err = s.concierge.SaveVenueSettings(c.Request().Context(), v.ID, user(c).ID, in)
		if err == nil {
			return redirectAfterPost(c, "/app/"+v.Slug+"/settings?saved=venue")
		}
		if fe := salon.FieldErrors(err); fe != nil {
			for k, m := range fe {
				errs[k] = m
			}
		} else {
			return err
		}
	}
	return s.settingsFailed(c, func(vm *views.SettingsVM) {
		vm.Venue = views.VenueForm{Name: in.Name, Country: string(in.Country), TimeZone: in.TimeZone, QuietStart: c.FormValue("quiet_start"),
			QuietEnd: c.FormValue("quiet_end"), Solo: in.Solo, StorefrontURL: in.StorefrontURL, ReviewLink: in.ReviewLink, Errors: errs}
	})
}

// SaveSMSPrice sets the per-segment price (up to 4 decimals, never a float).
func (s *Server) SaveSMSPrice(c echo.Context) error {
	v := venue(c)
	raw := c.FormValue("sms_price")
	price, err := salon.ParseDecimal(raw, 4)
	if err == nil {
		err = s.concierge.SetSMSPrice(c.Request().Context(), v, user(c).ID, price)
		if err == nil {
			return redirectAfterPost(c, "/app/"+v.Slug+"/settings?saved=price")
		}
		if fe := salon.FieldErrors(err); fe != nil {
			return s.settingsFailed(c, func(vm *views.SettingsVM) { vm.SMSPrice, vm.SMSPriceErr = raw, fe["sms_price"] })
		}
		return err
	}
	return s.settingsFailed(c, func(vm *views.SettingsVM) {
		vm.SMSPrice, vm.SMSPriceErr = raw, "Enter a price like 0.0723: "+err.Error()+"."
	})
}

// SaveSparkAllowance sets the venue's monthly Spark allowance (Owner).
func (s *Server) SaveSparkAllowance(c echo.Context) error {
	v := venue(c)
	raw := c.FormValue("spark_allowance")
	err := s.concierge.SetSparkAllowance(c.Request().Context(), s.who(c), raw)
	if err == nil {
		return redirectAfterPost(c, "/app/"+v.Slug+"/settings?saved=sparks#sparks")
	}
	if fe := salon.FieldErrors(err); fe != nil {
		return s.settingsFailed(c, func(vm *views.SettingsVM) { vm.SparkAllowance, vm.SparkAllowanceErr = raw, fe["spark_allowance"] })
	}
	return err
}

// SaveSMSNumber sets the number the venue texts from (empty: the default number).
func (s *Server) SaveSMSNumber(c echo.Context) error {
	v := venue(c)
	raw := c.FormValue("sms_from")
	err := s.concierge.SetSMSNumber(c.Request().Context(), v.ID, user(c).ID, raw)
	if err == nil {
		return redirectAfterPost(c, "/app/"+v.Slug+"/settings?saved=venue")
	}
	if fe := salon.FieldErrors(err); fe != nil {
		return s.settingsFailed(c, func(vm *views.SettingsVM) { vm.SMSFrom, vm.SMSFromErr = raw, fe["sms_from"] })
	}
	return err
}

// TopUp records a manual wallet top-up.
func (s *Server) TopUp(c echo.Context) error {
	v := venue(c)
	amount, err := salon.ParseDecimal(c.FormValue("amount"), 2)
	if err == nil {
		err = s.concierge.TopUpWallet(c.Request().Context(), v.ID, user(c).ID, amount, strings.TrimSpace(c.FormValue("note")))
		if err == nil {
			return redirectAfterPost(c, "/app/"+v.Slug+"/settings?saved=wallet")
		}
		if fe := salon.FieldErrors(err); fe != nil {
			return s.settingsFailed(c, func(vm *views.SettingsVM) { vm.TopUpErr = fe["amount"] })
		}
		return err
	}
	return s.settingsFailed(c, func(vm *views.SettingsVM) { vm.TopUpErr = "Enter an amount like 50.00: " + err.Error() + "." })
}

// teamVM lists the members.
func (s *Server) teamVM(c echo.Context, form views.TeamForm) (views.TeamVM, error) {
	team, err := s.concierge.Team(c.Request().Context(), venue(c).ID)
	if err != nil {
		return views.TeamVM{}, err
	}
	vm := views.TeamVM{Form: form}
	for _, st := range team.Staff {
		vm.Staff = append(vm.Staff, views.StaffHoursRow{ID: st.ID, Name: st.Name, Active: st.Active, Hours: hoursSummary(st.Hours), Login: st.UserID != 0})
	}
	for _, m := range team.Members {
		vm.Members = append(vm.Members, views.MemberRow{UserID: m.UserID, Name: m.Name, Email: m.Email, Role: string(m.Role),
			ManageWaitlist: m.ManageWaitlist, IsSelf: m.UserID == user(c).ID, Sessions: team.Sessions[m.UserID]})
	}
	return vm, nil
}

// Team shows staff and roles (Owner only).
func (s *Server) Team(c echo.Context) error {
	vm, err := s.teamVM(c, views.TeamForm{Role: "staff"})
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.TeamPage(s.page(c, "Staff and roles", "settings"), vm))
}

// AddMember adds a person with a login and a role.
func (s *Server) AddMember(c echo.Context) error {
	v := venue(c)
	form := views.TeamForm{Name: c.FormValue("name"), Email: c.FormValue("email"), Role: c.FormValue("role")}
	_, err := s.concierge.AddMember(c.Request().Context(), v.ID, user(c).ID, salon.NewUser{Email: form.Email, Name: form.Name,
		Password: c.FormValue("password"), Role: salon.Role(form.Role)})
	if err == nil {
		return redirectAfterPost(c, "/app/"+v.Slug+"/settings/team?saved=member")
	}
	fe := salon.FieldErrors(err)
	if fe == nil && salon.ErrorCode(err) == salon.CodeConflict {
		fe = map[string]string{"email": salon.ErrorMessage(err)}
	}
	if fe == nil {
		return err
	}
	form.Errors = fe
	vm, verr := s.teamVM(c, form)
	if verr != nil {
		return verr
	}
	return render(c, http.StatusUnprocessableEntity, views.TeamPage(s.page(c, "Staff and roles", "settings"), vm))
}

// SetMemberRole changes someone's role; nobody changes their own.
func (s *Server) SetMemberRole(c echo.Context) error {
	v := venue(c)
	uid, err := paramID(c, "user")
	if err != nil {
		return err
	}
	if uid == user(c).ID {
		return salon.ErrForbidden
	}
	role := salon.Role(c.FormValue("role"))
	if err := salon.CheckRole(role); err != nil {
		return err
	}
	if err := s.concierge.SetMemberRole(c.Request().Context(), v.ID, user(c).ID, uid, role, c.FormValue("manage_waitlist") == "true"); err != nil {
		return err
	}
	return redirectAfterPost(c, "/app/"+v.Slug+"/settings/team?saved=member")
}

// hoursSummary renders weekly hours as "Tue 09:00–17:00, Wed …", Monday first.
func hoursSummary(hours []salon.WorkingHours) string {
	var parts []string
	for _, wd := range weekOrder {
		for _, h := range hours {
			if h.Weekday == wd {
				parts = append(parts, fmt.Sprintf("%s %s–%s", wd.String()[:3], h.Start, h.End))
			}
		}
	}
	if len(parts) == 0 {
		return "No working hours set"
	}
	return strings.Join(parts, ", ")
}

// weekOrder is the salon week, Monday first.
var weekOrder = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

func staffForm(st salon.StaffMember) views.StaffForm {
	f := views.StaffForm{StaffID: st.ID, Name: st.Name, Active: st.Active}
	for _, wd := range weekOrder {
		d := views.DayHours{Weekday: int(wd), Label: wd.String(), Start: "09:00", End: "17:00"}
		for _, h := range st.Hours {
			if h.Weekday == wd {
				d.Works, d.Start, d.End = true, h.Start.String(), h.End.String()
			}
		}
		f.Days = append(f.Days, d)
	}
	return f
}

// StaffHours shows one staff member's hours form (Owner only).
func (s *Server) StaffHours(c echo.Context) error {
	id, err := paramID(c, "staff")
	if err != nil {
		return err
	}
	st, err := s.concierge.StaffMember(c.Request().Context(), venue(c).ID, id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.StaffPage(s.page(c, st.Name, "settings"), staffForm(st)))
}

// SaveStaffHours saves the weekly hours and the active flag.
func (s *Server) SaveStaffHours(c echo.Context) error {
	v := venue(c)
	id, err := paramID(c, "staff")
	if err != nil {
		return err
	}
	st, err := s.concierge.StaffMember(c.Request().Context(), v.ID, id)
	if err != nil {
		return err
	}
	f := views.StaffForm{StaffID: st.ID, Name: st.Name, Active: c.FormValue("active") == "true", Errors: views.FieldErrors{}}
	var hours []salon.WorkingHours
	for _, wd := range weekOrder {
		n := int(wd)
		d := views.DayHours{Weekday: n, Label: wd.String(), Works: c.FormValue(fmt.Sprintf("works_%d", n)) == "true",
			Start: c.FormValue(fmt.Sprintf("start_%d", n)), End: c.FormValue(fmt.Sprintf("end_%d", n))}
		f.Days = append(f.Days, d)
		if !d.Works {
			continue
		}
		start, ok1 := salon.ParseClock(d.Start)
		end, ok2 := salon.ParseClock(d.End)
		h := salon.WorkingHours{Weekday: wd, Start: start, End: end}
		switch {
		case !ok1 || !ok2:
			f.Errors[salon.HoursField(h)] = "Enter a start and end time like 09:00 and 17:00."
		case salon.ShiftProblem(h) != "":
			f.Errors[salon.HoursField(h)] = salon.ShiftProblem(h)
		default:
			hours = append(hours, h)
		}
	}
	if len(f.Errors) == 0 {
		err = s.concierge.SaveStaff(c.Request().Context(), v.ID, user(c).ID, id, f.Active, hours)
		if err == nil {
			return redirectAfterPost(c, "/app/"+v.Slug+"/settings/team?saved=member")
		}
		fe := salon.FieldErrors(err)
		if fe == nil {
			return err
		}
		for k, m := range fe {
			f.Errors[k] = m
		}
	}
	return render(c, http.StatusUnprocessableEntity, views.StaffPage(s.page(c, st.Name, "settings"), f))
}

// SaveSendDelay sets the win-back cancel window.
func (s *Server) SaveSendDelay(c echo.Context) error {
	v := venue(c)
	raw := strings.TrimSpace(c.FormValue("send_delay_seconds"))
	secs, err := strconv.Atoi(raw)
	if err == nil {
		err = s.concierge.SetSendDelay(c.Request().Context(), v.ID, user(c).ID, secs)
		if err == nil {
			return redirectAfterPost(c, "/app/"+v.Slug+"/settings?saved=venue")
		}
		if salon.FieldErrors(err) == nil {
			return err
		}
	}
	return s.settingsFailed(c, func(vm *views.SettingsVM) {
		vm.SendDelay, vm.SendDelayErr = raw, salon.SendDelayMessage
	})
}
