package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"concierge/salon"
	"concierge/views"
)

// render writes a templ component with a status.
func render(c echo.Context, status int, comp templ.Component) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().Header().Add("Vary", "HX-Request")
	c.Response().WriteHeader(status)
	return comp.Render(c.Request().Context(), c.Response())
}

// isHTMX reports an HTMX request that wants a fragment (not a boosted navigation).
func isHTMX(c echo.Context) bool {
	h := c.Request().Header
	return h.Get("HX-Request") == "true" && h.Get("HX-Boosted") != "true"
}

// csrfToken is the token the CSRF middleware put in the context.
func csrfToken(c echo.Context) string {
	t, _ := c.Get("csrf").(string)
	return t
}

// bare is the layout data for pages outside a venue (login, errors, venue picker).
func (s *Server) bare(c echo.Context, title string) views.Page {
	return views.Page{Title: title, CSRF: csrfToken(c)}
}

// page is the layout data for a page inside a venue.
func (s *Server) page(c echo.Context, title, nav string) views.Page {
	v, m, u := venue(c), member(c), user(c)
	p := views.Page{
		Title: title, CSRF: csrfToken(c), UserName: u.Name, Nav: nav,
		Venue:       views.VenueLink{Slug: v.Slug, Name: v.Name, Role: m.Role.Title(), Current: true},
		CanSettings: m.CanManageVenue(), CanTeam: m.CanManageTeam(), CanApprove: m.Role.Approves(),
		Flash: c.QueryParam("saved"),
	}
	if p.Flash != "" {
		p.Flash = flashText(p.Flash)
	}
	layout, err := s.concierge.PageLayout(c.Request().Context(), u.ID, v, m)
	if err != nil && s.log != nil {
		// The page still renders, without the switcher or the badge it could not load.
		s.log.Warn("page layout", "user_id", u.ID, "venue_id", v.ID, "err", err)
	}
	for _, uv := range layout.Venues {
		p.Venues = append(p.Venues, views.VenueLink{Slug: uv.Slug, Name: uv.Name, Role: uv.Role.Title(), Current: uv.Slug == v.Slug})
	}
	p.Unread, p.Pending = layout.Unread, layout.Pending
	return p
}

// flashText turns a ?saved= key into the sentence shown after a redirect.
func flashText(key string) string {
	switch key {
	case "venue":
		return "Venue settings saved."
	case "price":
		return "SMS price saved."
	case "wallet":
		return "Top-up recorded."
	case "member":
		return "Team member saved."
	case "setup":
		return "Your venue is ready. Check its settings, then add your team under Staff and roles."
	case "signed_out":
		return "Signed out everywhere else."
	case "member_signed_out":
		return "Signed out everywhere: they need their password to come back."
	case "password":
		return "Password changed. You are signed out everywhere else."
	case "booking":
		return "Booking saved."
	case "status":
		return "Booking updated."
	case "reply":
		return "Simulated reply received."
	case "automation":
		return "Automation settings saved."
	case "public_url":
		return "Public address saved: links in messages now point there."
	case "catalogue":
		return "Catalogue saved."
	case "service":
		return "Service saved."
	case "archived":
		return "Service archived: it is no longer offered. Bookings that have it keep it."
	case "restored":
		return "Service restored: it is offered again."
	case "package":
		return "Package saved."
	case "profile":
		return "Venue profile saved."
	case "forgotten":
		return "The client has been forgotten. Their bookings stay for your revenue reports."
	}
	var sent, queued int
	if n, _ := fmt.Sscanf(key, "offer-%d-%d", &sent, &queued); n == 2 {
		return fmt.Sprintf("Offer sent to %d of %d clients. The first to reply YES is booked.", sent, queued)
	}
	return ""
}

// redirectAfterPost sends the browser on after a successful POST: HX-Redirect for HTMX,
// 303 otherwise.
func redirectAfterPost(c echo.Context, to string) error {
	if isHTMX(c) {
		c.Response().Header().Set("HX-Redirect", to)
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// toast sets an HX-Trigger toast for the page's listener.
func toast(c echo.Context, kind, message string) {
	b, _ := json.Marshal(map[string]any{"toast": map[string]string{"kind": kind, "message": message}})
	c.Response().Header().Set("HX-Trigger", string(b))
}

// paramID reads a positive integer path parameter; anything else is a 404.
func paramID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, salon.ErrNotFound
	}
	return id, nil
}
