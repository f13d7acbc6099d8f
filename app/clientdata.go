package app

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"concierge/salon"
	"concierge/store"
)

// ClientExport is one client's data as handed to them (GDPR/Privacy Act access
// request): profile, consents, bookings and messages.
type ClientExport struct {
	ExportedAt string                `json:"exported_at"`
	Venue      ClientExportVenue     `json:"venue"`
	Profile    ClientExportProfile   `json:"profile"`
	Consents   ClientExportConsents  `json:"consents"`
	Bookings   []ClientExportBooking `json:"bookings"`
	Messages   []ClientExportMessage `json:"messages"`
}

// ClientExportVenue names the business that holds the data.
type ClientExportVenue struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
}

// ClientExportProfile is the client's personal details.
type ClientExportProfile struct {
	ID         int64    `json:"id"`
	ExternalID string   `json:"external_id,omitempty"`
	FirstName  string   `json:"first_name"`
	LastName   string   `json:"last_name"`
	Phone      string   `json:"phone"`
	Email      string   `json:"email"`
	Birthday   string   `json:"birthday"`
	Tags       []string `json:"tags"`
	CreatedAt  string   `json:"created_at"`
}

// ClientExportConsents are the client's choices about being contacted.
type ClientExportConsents struct {
	SMSOptOut   bool `json:"sms_opt_out"`
	EmailOptOut bool `json:"email_opt_out"`
	Blocked     bool `json:"blocked"`
	NotifySMS   bool `json:"booking_notifications_sms"`
	NotifyEmail bool `json:"booking_notifications_email"`
}

// ClientExportBooking is one booking in an export.
type ClientExportBooking struct {
	ID       int64    `json:"id"`
	Start    string   `json:"start"`
	End      string   `json:"end"`
	Staff    string   `json:"staff"`
	Services []string `json:"services"`
	Price    string   `json:"price"`
	Status   string   `json:"status"`
	Source   string   `json:"source"`
	Notes    string   `json:"notes"`
	Created  string   `json:"created_at"`
}

// ClientExportMessage is one message in an export.
type ClientExportMessage struct {
	ID        int64  `json:"id"`
	At        string `json:"at"`
	Channel   string `json:"channel"`
	Direction string `json:"direction"`
	Purpose   string `json:"purpose"`
	To        string `json:"to"`
	From      string `json:"from"`
	Subject   string `json:"subject,omitempty"`
	Body      string `json:"body"`
	Status    string `json:"status"`
}

// ExportClient gathers one client's data for an Owner or Manager; the export is
// recorded in the audit (who took a copy of whose data, and when).
func (s *Service) ExportClient(ctx context.Context, w Who, clientID int64, format string) (ClientExport, error) {
	if !w.Member.CanExportClientData() {
		return ClientExport{}, salon.ErrForbidden
	}
	r, err := s.Store.ClientRecord(ctx, w.Venue.ID, clientID)
	if err != nil {
		return ClientExport{}, err
	}
	if err := s.Store.Audit(ctx, w.Venue.ID, w.User.ID, "client", clientID, "exported", map[string]string{"format": format}); err != nil {
		return ClientExport{}, err
	}
	loc := w.Venue.Location()
	at := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return salon.CSVTime(t, loc)
	}
	c := r.Client
	x := ClientExport{ExportedAt: at(s.Store.Now()), Venue: ClientExportVenue{Name: w.Venue.Name, Slug: w.Venue.Slug},
		Profile: ClientExportProfile{ID: c.ID, ExternalID: c.ExternalID, FirstName: c.FirstName, LastName: c.LastName, Phone: c.Phone,
			Email: c.Email, Birthday: c.Birthday.String(), Tags: append([]string{}, c.Tags...), CreatedAt: at(c.CreatedAt)},
		Consents: ClientExportConsents{SMSOptOut: c.SMSOptOut, EmailOptOut: c.EmailOptOut, Blocked: c.Blocked, NotifySMS: c.NotifySMS,
			NotifyEmail: c.NotifyEmail},
		Bookings: []ClientExportBooking{}, Messages: []ClientExportMessage{}}
	for _, b := range r.Bookings {
		cb := ClientExportBooking{ID: b.ID, Start: at(b.Start), End: at(b.End), Staff: b.StaffName, Services: []string{},
			Price: salon.FormatDecimal(b.PriceMinor), Status: string(b.Status), Source: string(b.Source), Notes: b.Notes, Created: at(b.CreatedAt)}
		for _, sv := range b.Services {
			cb.Services = append(cb.Services, sv.Name)
		}
		x.Bookings = append(x.Bookings, cb)
	}
	for _, m := range r.Messages {
		x.Messages = append(x.Messages, ClientExportMessage{ID: m.ID, At: at(m.CreatedAt), Channel: string(m.Channel), Direction: string(m.Direction),
			Purpose: string(m.Purpose), To: m.To, From: m.From, Subject: m.Subject, Body: m.Body, Status: string(m.Status)})
	}
	return x, nil
}

// WriteJSON writes the export as indented JSON.
func (x ClientExport) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(x)
}

// WriteCSV writes the export as one sheet: a row per profile field, consent, booking
// and message, every cell neutralised against spreadsheet formulas.
func (x ClientExport) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	row := func(cells ...string) { cw.Write(salon.CSVSafeRow(cells)) }
	row("section", "id", "when", "field", "value", "detail", "status")
	p := x.Profile
	for _, f := range [][2]string{{"first_name", p.FirstName}, {"last_name", p.LastName}, {"phone", p.Phone}, {"email", p.Email},
		{"birthday", p.Birthday}, {"tags", strings.Join(p.Tags, ";")}, {"external_id", p.ExternalID}, {"created_at", p.CreatedAt}} {
		row("profile", strconv.FormatInt(p.ID, 10), "", f[0], f[1], "", "")
	}
	c := x.Consents
	for _, f := range []struct {
		name string
		v    bool
	}{{"sms_opt_out", c.SMSOptOut}, {"email_opt_out", c.EmailOptOut}, {"blocked", c.Blocked},
		{"booking_notifications_sms", c.NotifySMS}, {"booking_notifications_email", c.NotifyEmail}} {
		row("consent", strconv.FormatInt(p.ID, 10), "", f.name, strconv.FormatBool(f.v), "", "")
	}
	for _, b := range x.Bookings {
		row("booking", strconv.FormatInt(b.ID, 10), b.Start, strings.Join(b.Services, " + "), b.Price,
			fmt.Sprintf("with %s until %s; %s", b.Staff, b.End, b.Notes), b.Status)
	}
	for _, m := range x.Messages {
		row("message", strconv.FormatInt(m.ID, 10), m.At, m.Channel+" "+m.Direction+" "+m.Purpose, m.Body,
			strings.TrimSpace("to "+m.To+" from "+m.From+" "+m.Subject), m.Status)
	}
	cw.Flush()
	return cw.Error()
}

// ExportVenueCSV writes every client (clients.csv) or every booking (bookings.csv) of
// the venue in the import's own columns, so a salon can leave or re-import elsewhere;
// every cell is neutralised against spreadsheet formulas (the import undoes it).
func (s *Service) ExportVenueCSV(ctx context.Context, w Who, file string, out io.Writer) error {
	if !w.Member.CanExportClientData() {
		return salon.ErrForbidden
	}
	if file != "clients.csv" && file != "bookings.csv" {
		return salon.ErrNotFound
	}
	if err := s.Store.Audit(ctx, w.Venue.ID, w.User.ID, "venue", w.Venue.ID, "exported", map[string]string{"file": file}); err != nil {
		return err
	}
	cw := csv.NewWriter(out)
	switch file {
	case "clients.csv":
		clients, err := s.Store.ExportClients(ctx, w.Venue.ID)
		if err != nil {
			return err
		}
		cw.Write(salon.ClientColumns)
		for _, c := range clients {
			cw.Write(salon.CSVSafeRow(salon.ClientCSVRow(c)))
		}
	case "bookings.csv":
		bookings, err := s.Store.ExportBookings(ctx, w.Venue.ID)
		if err != nil {
			return err
		}
		cw.Write(salon.BookingColumns)
		loc := w.Venue.Location()
		for _, b := range bookings {
			cw.Write(salon.CSVSafeRow(salon.BookingCSVRow(b, loc)))
		}
	}
	cw.Flush()
	return cw.Error()
}

// ForgetClient anonymises a client for good (Owner only; see store.ForgetClient for
// what is cleared and what is kept). confirmed says the Owner ticked the
// confirmation on the page that says what will happen.
func (s *Service) ForgetClient(ctx context.Context, w Who, clientID int64, confirmed bool) (store.Forgotten, error) {
	if !w.Member.CanForgetClient() {
		return store.Forgotten{}, salon.ErrForbidden
	}
	if !confirmed {
		return store.Forgotten{}, salon.Invalid(map[string]string{"confirm": "Tick the box to confirm: this cannot be undone."})
	}
	return s.Store.ForgetClient(ctx, w.Venue.ID, w.User.ID, clientID)
}

// ForgetPreview is what the confirm step of forgetting says: the client and how many
// bookings and messages of theirs are affected.
func (s *Service) ForgetPreview(ctx context.Context, w Who, clientID int64) (salon.Client, int, int, error) {
	if !w.Member.CanForgetClient() {
		return salon.Client{}, 0, 0, salon.ErrForbidden
	}
	r, err := s.Store.ClientRecord(ctx, w.Venue.ID, clientID)
	if err != nil {
		return salon.Client{}, 0, 0, err
	}
	return r.Client, len(r.Bookings), len(r.Messages), nil
}
