package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"concierge/app"
	"concierge/salon"
	"concierge/views"
)

// Clients lists and searches clients; an HTMX search swaps only the results.
func (s *Server) Clients(c echo.Context) error {
	v := venue(c)
	q := strings.TrimSpace(c.QueryParam("q"))
	pageNo, _ := strconv.Atoi(c.QueryParam("page"))
	var res app.ClientPage
	var err error
	cohort, isCohort := salon.ParseCohort(c.QueryParam("cohort"))
	if isCohort && q == "" {
		res, err = s.concierge.CohortClients(c.Request().Context(), v, cohort, pageNo)
	} else {
		res, err = s.concierge.SearchClients(c.Request().Context(), v.ID, q, pageNo)
	}
	if err != nil {
		return err
	}
	vm := views.ClientsVM{Query: q, Total: res.Total, Page: res.Page, Pages: res.Pages()}
	if isCohort && q == "" {
		vm.Cohort, vm.CohortLabel = string(cohort), salon.CohortLabel(cohort)
	}
	for _, cl := range res.Clients {
		vm.Rows = append(vm.Rows, views.ClientRow{ID: cl.ID, Name: cl.FullName(), Phone: salon.FormatPhone(cl.Phone),
			Email: cl.Email, Tags: cl.Tags, Flags: clientFlags(cl)})
	}
	p := s.page(c, "Clients", "clients")
	if isHTMX(c) {
		return render(c, http.StatusOK, views.ClientResults(p, vm))
	}
	return render(c, http.StatusOK, views.ClientsPage(p, vm))
}

// ClientOptions answers the booking form's client finder with <option>s.
func (s *Server) ClientOptions(c echo.Context) error {
	v := venue(c)
	q := strings.TrimSpace(c.QueryParam("client_q"))
	var opts []views.Option
	if q != "" {
		res, err := s.concierge.SearchClients(c.Request().Context(), v.ID, q, 1)
		if err != nil {
			return err
		}
		for i, cl := range res.Clients {
			opts = append(opts, views.Option{Value: fmt.Sprint(cl.ID), Label: cl.FullName() + " " + salon.FormatPhone(cl.Phone), Selected: i == 0})
		}
	}
	return render(c, http.StatusOK, views.ClientOptions(opts))
}

func clientFlags(cl salon.Client) []string {
	var f []string
	if cl.Blocked {
		f = append(f, "Blocked")
	}
	if cl.SMSOptOut {
		f = append(f, "SMS opt-out")
	}
	if cl.EmailOptOut {
		f = append(f, "Email opt-out")
	}
	return f
}

// clientInput reads the client form.
func clientInput(c echo.Context) salon.ClientInput {
	on := func(k string) bool { return c.FormValue(k) == "true" || c.FormValue(k) == "on" }
	return salon.ClientInput{
		FirstName: c.FormValue("first_name"), LastName: c.FormValue("last_name"), Phone: c.FormValue("phone"),
		Email: c.FormValue("email"), Birthday: c.FormValue("birthday"), Tags: c.FormValue("tags"),
		SMSOptOut: on("sms_opt_out"), EmailOptOut: on("email_opt_out"), Blocked: on("blocked"),
		NotifySMS: on("notify_sms"), NotifyEmail: on("notify_email"),
	}
}

func formFromInput(in salon.ClientInput, action string, country salon.Country) views.ClientForm {
	return views.ClientForm{Action: action, FirstName: in.FirstName, LastName: in.LastName, Phone: in.Phone, Email: in.Email,
		Birthday: in.Birthday, Tags: in.Tags, SMSOptOut: in.SMSOptOut, EmailOptOut: in.EmailOptOut, Blocked: in.Blocked,
		NotifySMS: in.NotifySMS, NotifyEmail: in.NotifyEmail, Country: string(country)}
}

func formFromClient(cl salon.Client, action string, country salon.Country) views.ClientForm {
	return views.ClientForm{Action: action, FirstName: cl.FirstName, LastName: cl.LastName, Phone: salon.FormatPhone(cl.Phone),
		Email: cl.Email, Birthday: cl.Birthday.String(), Tags: strings.Join(cl.Tags, "; "), SMSOptOut: cl.SMSOptOut,
		EmailOptOut: cl.EmailOptOut, Blocked: cl.Blocked, NotifySMS: cl.NotifySMS, NotifyEmail: cl.NotifyEmail, Country: string(country)}
}

// NewClient shows the add-client form.
func (s *Server) NewClient(c echo.Context) error {
	p := s.page(c, "Add client", "clients")
	f := views.ClientForm{Action: p.AppURL("clients"), IsNew: true, NotifySMS: true, NotifyEmail: true, Country: string(venue(c).Country)}
	return render(c, http.StatusOK, views.NewClientPage(p, f))
}

// CreateClient adds a client; invalid input re-renders the form with errors (422).
func (s *Server) CreateClient(c echo.Context) error {
	v := venue(c)
	p := s.page(c, "Add client", "clients")
	in := clientInput(c)
	cl, err := s.concierge.AddClient(c.Request().Context(), v, user(c).ID, in)
	if fe := salon.FieldErrors(err); fe != nil {
		f := formFromInput(in, p.AppURL("clients"), v.Country)
		f.IsNew, f.Errors = true, fe
		if isHTMX(c) {
			return render(c, http.StatusUnprocessableEntity, views.ClientFormFragment(p, f))
		}
		return render(c, http.StatusUnprocessableEntity, views.NewClientPage(p, f))
	}
	if err != nil {
		return err
	}
	return redirectAfterPost(c, p.AppURL("clients", cl.ID))
}

// Client shows a client's profile, history and thread.
func (s *Server) Client(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	v := venue(c)
	prof, err := s.concierge.ClientProfile(c.Request().Context(), v.ID, id)
	if err != nil {
		return err
	}
	cl := prof.Client
	p := s.page(c, cl.FullName(), "clients")
	vm := s.clientVM(v, prof, formFromClient(cl, p.AppURL("clients", cl.ID), v.Country))
	vm.Data = clientDataVM(member(c), cl)
	return render(c, http.StatusOK, views.ClientPage(p, vm))
}

func (s *Server) clientVM(v salon.Venue, prof app.ClientProfile, f views.ClientForm) views.ClientVM {
	loc := v.Location()
	cl, stats := prof.Client, prof.Stats
	vm := views.ClientVM{ID: cl.ID, Name: cl.FullName(), Phone: salon.FormatPhone(cl.Phone), Email: cl.Email,
		Birthday: cl.Birthday.String(), Tags: cl.Tags, Flags: clientFlags(cl), Completed: stats.Completed,
		NoShows: stats.NoShows, Upcoming: stats.Upcoming, Spend: salon.FormatMinor(v.Country, stats.SpendMinor),
		LastVisit: "—", Form: f}
	if !stats.LastVisit.IsZero() {
		vm.LastVisit = stats.LastVisit.In(loc).Format("2 Jan 2006")
	}
	for _, b := range prof.Bookings {
		row := s.bookingRow(v, b, 0)
		row.Time = b.Start.In(loc).Format("Mon 2 Jan 2006, 15:04")
		vm.Bookings = append(vm.Bookings, row)
	}
	for _, m := range prof.Messages {
		vm.Messages = append(vm.Messages, messageRow(v, m))
	}
	return vm
}

// UpdateClient saves the profile form. Bad input gets its message beside the field and
// nothing changes.
func (s *Server) UpdateClient(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	v := venue(c)
	p := s.page(c, "Client", "clients")
	in := clientInput(c)
	cl, err := s.concierge.SaveClient(c.Request().Context(), v, user(c).ID, id, in)
	action := p.AppURL("clients", id)
	if fe := salon.FieldErrors(err); fe != nil {
		f := formFromInput(in, action, v.Country)
		f.Errors = fe
		if isHTMX(c) {
			return render(c, http.StatusUnprocessableEntity, views.ClientFormFragment(p, f))
		}
		current, err := s.concierge.ClientProfile(c.Request().Context(), v.ID, id)
		if err != nil {
			return err
		}
		return render(c, http.StatusUnprocessableEntity, views.ClientPage(p, s.clientVM(v, current, f)))
	}
	if err != nil {
		return err
	}
	f := formFromClient(cl, action, v.Country)
	f.Saved = true
	if isHTMX(c) {
		toast(c, "success", "Client saved.")
		return render(c, http.StatusOK, views.ClientFormFragment(p, f))
	}
	return c.Redirect(http.StatusSeeOther, action)
}

func messageRow(v salon.Venue, m salon.Message) views.MessageRow {
	to := m.To
	if m.Direction == salon.Inbound {
		to = m.From
	}
	return views.MessageRow{ID: m.ID, ClientID: m.ClientID, ClientName: m.ClientName, Channel: strings.ToUpper(string(m.Channel)),
		Direction: string(m.Direction), Purpose: strings.ReplaceAll(string(m.Purpose), "_", " "), To: to, Subject: m.Subject,
		Body: m.Body, Status: string(m.Status), Error: m.Error, Segments: m.Segments, Cost: salon.FormatE4(v.Country, m.CostE4),
		At: m.CreatedAt.In(v.Location()).Format("2 Jan 15:04")}
}
