// Package views renders pages with templ. Components take view models built by
// handlers; nothing here reads the store or the clock.
package views

import (
	"encoding/json"
	"fmt"
)

// Page is the per-request layout data: who is signed in, where, and the CSRF token.
type Page struct {
	Title       string
	CSRF        string
	UserName    string
	Venue       VenueLink
	Venues      []VenueLink
	Nav         string // which nav item is current: dashboard, calendar, clients, outbox, settings
	CanSettings bool
	CanTeam     bool
	// CanApprove shows Approvals in the menu (salon.Role.Approves), with Pending, the
	// number of actions waiting, as its badge.
	CanApprove bool
	Pending    int
	Unread     int
	Flash      string
}

// VenueLink is a venue in the switcher.
type VenueLink struct {
	Slug, Name, Role string
	Current          bool
}

// AppURL builds a URL inside the current venue: AppURL("clients", 4) → /app/bella/clients/4.
func (p Page) AppURL(parts ...any) string {
	u := "/app/" + p.Venue.Slug
	for _, part := range parts {
		u += "/" + fmt.Sprint(part)
	}
	return u
}

// CSRFHeaders is the hx-headers value that carries the token on every HTMX request.
func (p Page) CSRFHeaders() string {
	b, _ := json.Marshal(map[string]string{"X-CSRF-Token": p.CSRF})
	return string(b)
}

// FieldErrors maps form field names to messages.
type FieldErrors map[string]string

// Has reports an error on the field.
func (f FieldErrors) Has(name string) bool { return f != nil && f[name] != "" }

func ifThen(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}
