package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"concierge/app"
	"concierge/salon"
	"concierge/views"
)

// Reconnect is the Client Reconnect page: overdue counts and results per service
// category, the overdue clients of one, and the Contact buttons.
func (s *Server) Reconnect(c echo.Context) error {
	v := venue(c)
	ctx := c.Request().Context()
	selected, _ := strconv.ParseInt(c.QueryParam("category"), 10, 64)
	const shown = 100
	p, err := s.concierge.ReconnectPage(ctx, v, selected, shown)
	if err != nil {
		return err
	}
	vm := views.ReconnectVM{Automatic: p.Settings.Automatic}
	for _, cat := range p.Categories {
		vm.TotalOverdue += cat.Overdue
		vm.Categories = append(vm.Categories, views.ReconnectRow{ID: cat.ID, Name: cat.Name, Overdue: cat.Overdue, Sent: cat.Sent,
			Reconnected: cat.Reconnected, Revenue: salon.FormatMinor(v.Country, cat.RevenueMinor), Current: cat.ID == selected,
			ListURL: fmt.Sprintf("/app/%s/marketing/reconnect?category=%d", v.Slug, cat.ID)})
		if cat.ID == selected {
			list := p.Overdue
			sel := &views.OverdueListVM{CategoryID: cat.ID, CategoryName: cat.Name, More: max(0, cat.Overdue-len(list))}
			for _, o := range list {
				sel.Clients = append(sel.Clients, views.OverdueRow{ClientID: o.ClientID, Name: o.Name,
					LastVisit: o.LastVisit.In(v.Location()).Format("2 Jan 2006"), Interval: fmt.Sprintf("%.0f days", o.IntervalDays),
					DaysOverdue: o.DaysOverdue})
			}
			vm.Selected = sel
		}
	}
	return render(c, http.StatusOK, views.ReconnectPage(s.page(c, "Client Reconnect", "reconnect"), vm))
}

// ContactOverdue drafts the reconnect message for a category (0: all) and opens it as
// an action card: preview, filters, approval and hold-to-confirm as for any batch send.
func (s *Server) ContactOverdue(c echo.Context) error {
	v := venue(c)
	ctx := c.Request().Context()
	categoryID, perr := strconv.ParseInt(c.FormValue("category_id"), 10, 64)
	if perr != nil {
		categoryID = -1 // no category: refused as such
	}
	a, err := s.concierge.ContactOverdue(ctx, s.who(c), categoryID)
	if err != nil {
		return err
	}
	return redirectAfterPost(c, fmt.Sprintf("/app/%s/concierge/actions/%d", v.Slug, a.ID))
}

// sampleFields fill a template preview.
func (s *Server) sampleFields(v salon.Venue) map[string]string {
	return map[string]string{"FirstName": "Sarah", "CategoryName": "Colour", "BusinessName": v.Name, "BookingLink": app.BookingLink(v, s.concierge.PublicURLNow())}
}

// ReconnectSettings shows the reconnect automation, channel, grace, follow-up and templates.
func (s *Server) ReconnectSettings(c echo.Context) error {
	v := venue(c)
	rs, err := s.concierge.ReconnectSettings(c.Request().Context(), v.ID)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.ReconnectSettingsPage(s.page(c, "Client Reconnect settings", "settings"), s.reconnectSettingsVM(v, rs, nil)))
}

func (s *Server) reconnectSettingsVM(v salon.Venue, rs salon.ReconnectSettings, errs map[string]string) views.ReconnectSettingsVM {
	t, f := rs.Template, rs.FollowupTemplate
	if t == "" {
		t = app.DefaultReconnectTemplate
	}
	if f == "" {
		f = app.DefaultFollowupTemplate
	}
	ch := rs.Channel
	if !v.Country.SendsSMS() {
		ch = "email"
	}
	return views.ReconnectSettingsVM{Automatic: rs.Automatic, GracePct: strconv.Itoa(rs.GracePct), Channel: ch, EmailOnly: !v.Country.SendsSMS(),
		FollowupDays: strconv.Itoa(rs.FollowupDays), Time: fmt.Sprintf("%02d:%02d", rs.TimeMin/60, rs.TimeMin%60), Template: t, FollowupTemplate: f,
		TemplatePreview: app.MergeFields(t, s.sampleFields(v)), FollowupPreview: app.MergeFields(f, s.sampleFields(v)), Errors: errs,
		Subject: orDefaultText(rs.Subject, app.DefaultReconnectSubject), FollowupSubject: orDefaultText(rs.FollowupSubject, app.DefaultFollowupSubject)}
}

// SaveReconnect validates and saves the reconnect settings; errors show beside the fields.
func (s *Server) SaveReconnect(c echo.Context) error {
	v := venue(c)
	rs := salon.ReconnectSettings{Automatic: c.FormValue("reconnect") == "true", Channel: c.FormValue("channel"),
		Template: strings.TrimSpace(c.FormValue("template")), FollowupTemplate: strings.TrimSpace(c.FormValue("followup_template")),
		Subject: strings.TrimSpace(c.FormValue("subject")), FollowupSubject: strings.TrimSpace(c.FormValue("followup_subject"))}
	errs := map[string]string{}
	var err error
	if rs.GracePct, err = strconv.Atoi(strings.TrimSpace(c.FormValue("grace_pct"))); err != nil {
		errs["grace_pct"] = "Enter a whole number of percent."
	}
	if rs.FollowupDays, err = strconv.Atoi(strings.TrimSpace(c.FormValue("followup_days"))); err != nil {
		errs["followup_days"] = "Enter a number of days."
	}
	if t, err := time.Parse("15:04", strings.TrimSpace(c.FormValue("time"))); err != nil {
		errs["time"] = "Enter a time like 10:00."
	} else {
		rs.TimeMin = t.Hour()*60 + t.Minute()
	}
	// The built-in texts are stored as "" so later improvements reach the venue.
	if rs.Template == app.DefaultReconnectTemplate {
		rs.Template = ""
	}
	if rs.FollowupTemplate == app.DefaultFollowupTemplate {
		rs.FollowupTemplate = ""
	}
	if rs.Subject == app.DefaultReconnectSubject {
		rs.Subject = ""
	}
	if rs.FollowupSubject == app.DefaultFollowupSubject {
		rs.FollowupSubject = ""
	}
	if len(errs) == 0 {
		err = s.concierge.SaveReconnectSettings(c.Request().Context(), s.who(c), rs)
		if fe := salon.FieldErrors(err); fe != nil {
			errs = fe
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		vm := s.reconnectSettingsVM(v, rs, errs)
		vm.GracePct, vm.FollowupDays, vm.Time = c.FormValue("grace_pct"), c.FormValue("followup_days"), c.FormValue("time")
		return render(c, http.StatusUnprocessableEntity, views.ReconnectSettingsPage(s.page(c, "Client Reconnect settings", "settings"), vm))
	}
	return redirectAfterPost(c, "/app/"+v.Slug+"/settings/reconnect?saved=automation")
}

// Automations shows the post-visit rebook nudge settings.
func (s *Server) Automations(c echo.Context) error {
	return s.automationsPage(c, http.StatusOK, nil, nil)
}

func (s *Server) automationsPage(c echo.Context, status int, errs map[string]string, typed *views.AutomationVM) error {
	v := venue(c)
	days, t, err := s.concierge.RebookNudge(c.Request().Context(), v.ID)
	if err != nil {
		return err
	}
	if t == "" {
		t = app.DefaultRebookTemplate
	}
	vm := views.AutomationVM{RebookDays: days, RebookTemplate: t, Errors: errs}
	if typed != nil {
		vm.RebookDays, vm.RebookTemplate = typed.RebookDays, typed.RebookTemplate
	}
	vm.RebookPreview = app.MergeFields(vm.RebookTemplate, s.sampleFields(v))
	return render(c, status, views.AutomationsPage(s.page(c, "Automations", "automations"), vm))
}

// SaveAutomations saves the rebook nudge: on/off, delay and text.
func (s *Server) SaveAutomations(c echo.Context) error {
	v := venue(c)
	t := strings.TrimSpace(c.FormValue("rebook_template"))
	days, err := salon.RebookPromptDays(c.FormValue("rebook_on") == "true", c.FormValue("rebook_prompt_days"))
	if err != nil {
		return s.automationsPage(c, http.StatusUnprocessableEntity, salon.FieldErrors(err), &views.AutomationVM{RebookDays: 1, RebookTemplate: t})
	}
	if t == app.DefaultRebookTemplate {
		t = ""
	}
	if err := s.concierge.SaveRebookNudge(c.Request().Context(), s.who(c), days, t); err != nil {
		if fe := salon.FieldErrors(err); fe != nil {
			return s.automationsPage(c, http.StatusUnprocessableEntity, fe, &views.AutomationVM{RebookDays: days, RebookTemplate: t})
		}
		return err
	}
	return redirectAfterPost(c, "/app/"+v.Slug+"/automations?saved=automation")
}

// orDefaultText is a setting as the form shows it: the built-in text when the venue has
// set none (stored as "").
func orDefaultText(t, def string) string {
	if t == "" {
		return def
	}
	return t
}
