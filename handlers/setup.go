package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"concierge/app"
	"concierge/salon"
	"concierge/views"
)

// A new install has no venue: Home and the sign-in page lead to the first-run page,
// which creates the venue and its Owner once. Once a venue exists the page is a 404
// forever (the flag only ever goes from false to true, so it is checked in memory).

// setUp reports whether the install has a venue.
func (s *Server) setUp(ctx context.Context) bool {
	if s.hasVenue.Load() {
		return true
	}
	ok, err := s.concierge.HasVenue(ctx)
	if err == nil && ok {
		s.hasVenue.Store(true)
	}
	return ok || err != nil // on a database error, never offer the first-run page
}

// requireSetUp sends everyone to the first-run page until the install has a venue.
func (s *Server) requireSetUp(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !s.setUp(c.Request().Context()) {
			return c.Redirect(http.StatusSeeOther, "/setup")
		}
		return next(c)
	}
}

// SetupForm shows the first-run page.
func (s *Server) SetupForm(c echo.Context) error {
	if s.setUp(c.Request().Context()) {
		return echo.ErrNotFound
	}
	return render(c, http.StatusOK, views.SetupPage(s.bare(c, "Set up Concierge"), views.SetupForm{Country: "AU", TimeZone: "Australia/Sydney",
		AskPublicURL: s.concierge.AsksPublicAddress(), PublicURL: suggestedPublicURL(c, s.cfg.TrustProxy)}))
}

// Setup creates the first venue and its Owner, signs the Owner in and opens the venue.
func (s *Server) Setup(c echo.Context) error {
	ctx := c.Request().Context()
	if s.setUp(ctx) {
		return echo.ErrNotFound
	}
	f := views.SetupForm{VenueName: c.FormValue("name"), Slug: strings.TrimSpace(strings.ToLower(c.FormValue("slug"))),
		Country: c.FormValue("country"), TimeZone: c.FormValue("time_zone"),
		OwnerName: c.FormValue("owner_name"), OwnerEmail: c.FormValue("owner_email"),
		PublicURL: c.FormValue("public_url"), AskPublicURL: s.concierge.AsksPublicAddress()}
	if c.FormValue("owner_password") != c.FormValue("owner_confirm") {
		f.Errors = views.FieldErrors{"owner_confirm": "The two passwords differ."}
		return render(c, http.StatusUnprocessableEntity, views.SetupPage(s.bare(c, "Set up Concierge"), f))
	}
	v, u, err := s.concierge.SetUp(ctx, app.FirstVenue{Slug: f.Slug, Name: f.VenueName, Country: salon.Country(f.Country), TimeZone: f.TimeZone,
		OwnerName: f.OwnerName, OwnerEmail: f.OwnerEmail, OwnerPassword: c.FormValue("owner_password"), PublicURL: f.PublicURL})
	if errors.Is(err, app.ErrAlreadySetUp) {
		s.hasVenue.Store(true)
		return echo.ErrNotFound
	}
	if fe := salon.FieldErrors(err); fe != nil {
		f.Errors = views.FieldErrors(fe)
		return render(c, http.StatusUnprocessableEntity, views.SetupPage(s.bare(c, "Set up Concierge"), f))
	}
	if err != nil {
		return err
	}
	s.hasVenue.Store(true)
	if err := s.startSession(c, u.ID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/app/"+v.Slug+"/settings?saved=setup")
}
