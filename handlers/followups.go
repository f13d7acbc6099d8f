package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"concierge/app"
	"concierge/salon"
	"concierge/views"
)

// The calendar's Follow-ups panel: Waitlist and Incomplete, for people with the
// Manage Waitlist permission.

func (s *Server) requireWaitlist(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !member(c).CanManageWaitlist() {
			return salon.ErrForbidden
		}
		return next(c)
	}
}

// followUpsVM builds the panel for the calendar page.
func (s *Server) followUpsVM(ctx context.Context, c echo.Context, v salon.Venue) (*views.FollowUpsVM, error) {
	vm := &views.FollowUpsVM{Tab: "waitlist"}
	if c.QueryParam("panel") == "incomplete" {
		vm.Tab = "incomplete"
	}
	f, err := s.concierge.FollowUps(ctx, v, vm.Tab == "incomplete", s.now(), s.now().Add(gapHorizon))
	if err != nil {
		return nil, err
	}
	vm.Count = f.IncompleteCount
	services := f.Services
	names := func(ids []int64) string {
		var out []string
		for _, id := range ids {
			for _, sv := range services {
				if sv.ID == id {
					out = append(out, sv.Name)
				}
			}
		}
		return strings.Join(out, ", ")
	}
	loc := v.Location()
	if vm.Tab == "incomplete" {
		rs := f.Reminder
		for _, d := range f.Incomplete {
			card := views.IncompleteCard{DraftID: d.ID, ClientID: d.ClientID, Name: d.ClientName, Phone: d.Phone, PhoneLabel: salon.FormatPhone(d.Phone), Email: d.Email,
				Services: choiceNames(services, f.Packages, d.Choice()), When: d.Start.In(loc).Format("Mon 2 Jan, 15:04"), With: "Any team member",
				LastActivity: ago(s.now().Sub(d.LastEngagedAt)), LastActivityAt: d.LastEngagedAt.In(loc).Format("Mon 2 Jan 2006, 15:04"),
				LastActivityISO: d.LastEngagedAt.UTC().Format(time.RFC3339), Reminder: "No reminder yet", RemindLabel: "Send reminder"}
			// The button goes by the same rule as the send: off, and saying why, when
			// no channel can take the reminder.
			reach, why := app.ReminderReach(v, d.Reach, rs, true)
			card.CanRemind = len(reach) > 0
			if !card.CanRemind {
				card.CantRemind = why
			}
			if d.StaffName != "" {
				card.With = d.StaffName
			}
			if d.Phone != "" {
				card.PhoneHref = "tel:" + d.Phone
			}
			at := d.ReminderSentAt.In(loc).Format("2 Jan 15:04")
			switch {
			case d.ReminderSentAt.IsZero():
			case len(d.ReminderChannels) > 0:
				card.Reminder, card.RemindLabel = "Reminder sent by "+channelList(d.ReminderChannels)+" "+at, "Send again"
			case d.ReminderNote != "":
				card.Reminder = "Not sent: " + d.ReminderNote + " (" + at + ")"
			default: // recorded before reminders kept their outcome
				card.Reminder, card.RemindLabel = "Reminder sent "+at, "Send again"
			}
			q := url.Values{"client": {fmt.Sprint(d.ClientID)}, "date": {d.Start.In(loc).Format("2006-01-02")},
				"time": {d.Start.In(loc).Format("15:04")}, "draft": {fmt.Sprint(d.ID)}}
			// "Any team member": someone free then who performs the services, never simply
			// whoever is signed in (staff=0 when nobody is: the form then asks).
			staff, err := s.concierge.BookForStaff(ctx, v, d)
			if err != nil {
				return nil, err
			}
			q.Set("staff", fmt.Sprint(staff))
			if staff == 0 {
				card.NobodyFree = true
			}
			for _, id := range d.ServiceIDs {
				q.Add("service", fmt.Sprint(id))
			}
			if d.PackageID != 0 {
				q.Set("package", fmt.Sprint(d.PackageID))
			}
			if vs := salon.FormatVariants(d.Variants); vs != "" {
				q["variant"] = strings.Split(vs, ",")
			}
			card.BookURL = fmt.Sprintf("/app/%s/bookings/new?%s", v.Slug, q.Encode())
			vm.Incomplete = append(vm.Incomplete, card)
		}
		return vm, nil
	}
	gaps := f.Gaps
	for _, e := range f.Waitlist {
		row := views.WaitlistRow{ID: e.ID, ClientID: e.ClientID, Name: e.ClientName, Services: names(e.ServiceIDs), Notes: e.Notes, Prefs: "any time"}
		var prefs []string
		for _, d := range e.Days {
			prefs = append(prefs, time.Weekday(d).String()[:3])
		}
		prefs = append(prefs, e.Bands...)
		if len(prefs) > 0 {
			row.Prefs = strings.Join(prefs, ", ")
		}
		row.Matches = waitlistMatches(e, gaps, services, loc)
		vm.Waitlist = append(vm.Waitlist, row)
	}
	for _, sv := range services {
		if !sv.Archived {
			vm.Services = append(vm.Services, views.ServiceOption{ID: sv.ID, Category: sv.CategoryName, Label: sv.Name})
		}
	}
	return vm, nil
}

// ago says how long ago something happened, as the Follow-ups card shows last activity
// ("just now", "12 min ago", "3 h 5 min ago").
func ago(d time.Duration) string {
	if d < time.Minute {
		return "just now"
	}
	return humanDuration(d) + " ago"
}

// waitlistMatches are the open gaps (up to 5) a waitlist entry could take
// (salon.WaitlistEntry.Suits).
func waitlistMatches(e salon.WaitlistEntry, gaps []salon.Gap, services []salon.Service, loc *time.Location) []string {
	var out []string
	for _, g := range gaps {
		if !e.Suits(g, services, loc) {
			continue
		}
		out = append(out, g.Start.In(loc).Format("Mon 2 Jan 15:04")+" with "+g.StaffName)
		if len(out) == 5 {
			break
		}
	}
	return out
}

// SendDraftReminder sends an incomplete booking's reminder now, whatever the automation
// toggle; the toast names the channels used, or why none.
func (s *Server) SendDraftReminder(c echo.Context) error {
	v := venue(c)
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	used, why, err := s.concierge.SendReminder(c.Request().Context(), v, id)
	if err != nil {
		return err
	}
	msg, kind := "Reminder sent by "+channelList(used)+".", "success"
	if len(used) == 0 {
		msg, kind = "Not sent: "+why+".", "error"
	}
	if isHTMX(c) {
		toast(c, kind, msg)
		return c.NoContent(http.StatusOK)
	}
	return redirectAfterPost(c, "/app/"+v.Slug+"/calendar?panel=incomplete#follow-ups")
}

// channelList names channels for a sentence: "SMS and email".
func channelList(chs []salon.Channel) string {
	names := make([]string, len(chs))
	for i, ch := range chs {
		names[i] = salon.ChannelName(ch)
	}
	return strings.Join(names, " and ")
}

// DismissDraft takes an incomplete booking off the panel.
func (s *Server) DismissDraft(c echo.Context) error {
	v := venue(c)
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.concierge.DismissIncomplete(c.Request().Context(), v.ID, id); err != nil {
		return err
	}
	return redirectAfterPost(c, "/app/"+v.Slug+"/calendar?panel=incomplete#follow-ups")
}

// AddWaitlist adds a waitlist entry.
func (s *Server) AddWaitlist(c echo.Context) error {
	v := venue(c)
	e := salon.WaitlistEntry{Notes: c.FormValue("notes")}
	e.ClientID, _ = strconv.ParseInt(c.FormValue("client_id"), 10, 64)
	form, _ := c.FormParams()
	for _, raw := range form["service_id"] {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
			e.ServiceIDs = append(e.ServiceIDs, id)
		}
	}
	for _, raw := range form["day"] {
		if d, err := strconv.Atoi(raw); err == nil && d >= 0 && d <= 6 {
			e.Days = append(e.Days, d)
		}
	}
	for _, b := range form["band"] {
		if slices.Contains(salon.TimeBandNames[:], b) {
			e.Bands = append(e.Bands, b)
		}
	}
	if _, err := s.concierge.AddToWaitlist(c.Request().Context(), s.who(c), e); err != nil {
		if fe := salon.FieldErrors(err); fe != nil {
			return s.renderCalendar(c, http.StatusUnprocessableEntity, views.FieldErrors(fe))
		}
		return err
	}
	return redirectAfterPost(c, "/app/"+v.Slug+"/calendar?panel=waitlist&saved=waitlist#follow-ups")
}

// RemoveWaitlist removes a waitlist entry.
func (s *Server) RemoveWaitlist(c echo.Context) error {
	v := venue(c)
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.concierge.RemoveFromWaitlist(c.Request().Context(), s.who(c), id); err != nil {
		return err
	}
	return redirectAfterPost(c, "/app/"+v.Slug+"/calendar?panel=waitlist#follow-ups")
}

// IncompleteReminderSettings is Settings → Automations → Incomplete booking reminder.
func (s *Server) IncompleteReminderSettings(c echo.Context) error {
	v := venue(c)
	r, err := s.concierge.IncompleteReminder(c.Request().Context(), v.ID)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.IncompleteReminderPage(s.page(c, "Automations", "settings"), reminderVM(v, r, nil)))
}

func reminderVM(v salon.Venue, r salon.IncompleteReminder, errs map[string]string) views.ReminderVM {
	t := r.Template
	if t == "" {
		t = app.DefaultIncompleteTemplate
	}
	return views.ReminderVM{SMS: r.SMS, Email: r.Email, EmailOnly: !v.Country.SendsSMS(), Template: t, Errors: errs,
		Preview: app.MergeFields(t, map[string]string{"FirstName": "Sarah", "ServiceName": "Full Colour", "BusinessName": v.Name,
			"ResumeBookingLink": "https://…/resume"})}
}

// SaveIncompleteReminder saves the reminder settings; errors show beside the fields.
func (s *Server) SaveIncompleteReminder(c echo.Context) error {
	v := venue(c)
	r := salon.IncompleteReminder{SMS: c.FormValue("reminder_sms") == "true", Email: c.FormValue("reminder_email") == "true",
		Template: strings.TrimSpace(c.FormValue("reminder_template"))}
	if r.Template == app.DefaultIncompleteTemplate {
		r.Template = ""
	}
	if err := s.concierge.SaveIncompleteReminder(c.Request().Context(), s.who(c), r); err != nil {
		if fe := salon.FieldErrors(err); fe != nil {
			return render(c, http.StatusUnprocessableEntity, views.IncompleteReminderPage(s.page(c, "Automations", "settings"), reminderVM(v, r, fe)))
		}
		return err
	}
	return redirectAfterPost(c, "/app/"+v.Slug+"/settings/messages?saved=automation")
}

// choiceNames lists a draft's package and services with their options: "Colour day,
// Women's Cut (Long hair), Blow Dry".
func choiceNames(services []salon.Service, packages []salon.Package, ch salon.ServiceChoice) string {
	var out []string
	if p := salon.PackageFor(packages, ch); p.ID != 0 {
		out = append(out, salon.PackageLine(p, services).Label)
	}
	for _, id := range ch.ServiceIDs {
		for _, sv := range services {
			if sv.ID == id {
				out = append(out, ch.Label(sv))
			}
		}
	}
	return strings.Join(out, ", ")
}
