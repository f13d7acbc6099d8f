package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"concierge/app"
	"concierge/salon"
	"concierge/views"
)

const sessionName = "concierge_session"

// Context keys set by the middlewares.
const (
	ctxUser    = "user"
	ctxVenue   = "venue"
	ctxMember  = "member"
	ctxSession = "session"
)

// LoginForm shows the sign-in page.
func (s *Server) LoginForm(c echo.Context) error {
	if _, ok := s.sessionUser(c); ok {
		return c.Redirect(http.StatusSeeOther, "/app")
	}
	return render(c, http.StatusOK, views.LoginPage(s.bare(c, "Sign in"), "", ""))
}

// Login checks the password and starts a fresh server-side session. The attempt is
// counted before the password is compared (see signInThrottle), so no burst of
// concurrent guesses gets more comparisons than the limit.
func (s *Server) Login(c echo.Context) error {
	email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
	password := c.FormValue("password")
	if len(email) > salon.MaxEmailLength || len(password) > salon.MaxPasswordLength {
		// No account has such an email or password: refuse before any budget or hash.
		return render(c, http.StatusUnauthorized, views.LoginPage(s.bare(c, "Sign in"), "", "That email and password do not match."))
	}
	device := s.deviceOf(c)
	known := device.knows(email)
	ticket, wait := s.throttle.begin(email, c.RealIP(), device.ID, known)
	if wait > 0 {
		return render(c, http.StatusTooManyRequests, views.LoginPage(s.bare(c, "Sign in"), email,
			"Too many sign-in attempts for this account. Try again in "+waitText(wait)+"."))
	}
	u, err := s.concierge.Authenticate(c.Request().Context(), email, password)
	if errors.Is(err, salon.ErrNotFound) {
		s.throttle.end(ticket, false)
		return render(c, http.StatusUnauthorized, views.LoginPage(s.bare(c, "Sign in"), email, "That email and password do not match."))
	}
	if err != nil {
		s.throttle.end(ticket, false)
		return err
	}
	s.throttle.end(ticket, true)
	if err := s.startSession(c, u.ID); err != nil {
		return err
	}
	if err := s.rememberDevice(c, device, email); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/app")
}

// startSession creates the server-side session and a brand-new cookie holding its
// token: nothing from before sign-in carries over.
func (s *Server) startSession(c echo.Context, userID int64) error {
	token, err := s.concierge.StartSession(c.Request().Context(), userID, c.Request().UserAgent())
	if err != nil {
		return err
	}
	sess, _ := s.sessions.New(c.Request(), sessionName)
	sess.Values = map[any]any{"token": token}
	return sess.Save(c.Request(), c.Response())
}

// waitText says a wait in words: "45 seconds", "3 minutes".
func waitText(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d seconds", int(d.Seconds()+0.999))
	}
	m := int(d.Minutes() + 0.999)
	if m == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", m)
}

// Logout ends the session: its row is deleted, so a copy of the cookie is worthless.
func (s *Server) Logout(c echo.Context) error {
	sess, _ := s.sessions.Get(c.Request(), sessionName)
	if token, _ := sess.Values["token"].(string); token != "" {
		if err := s.concierge.EndSession(c.Request().Context(), token); err != nil {
			return err
		}
	}
	sess.Values = map[any]any{}
	sess.Options.MaxAge = -1
	if err := sess.Save(c.Request(), c.Response()); err != nil && s.log != nil {
		s.log.Warn("sign-out cookie not cleared", "err", err) // the session row is gone: the cookie is worthless anyway
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}

// currentSession returns the live server-side session of the request's cookie (the
// store slides its idle time and ends it past its idle time or lifetime).
func (s *Server) currentSession(c echo.Context) (app.Session, bool) {
	if ss, ok := c.Get(ctxSession).(app.Session); ok {
		return ss, true
	}
	sess, err := s.sessions.Get(c.Request(), sessionName)
	if err != nil {
		return app.Session{}, false
	}
	token, _ := sess.Values["token"].(string)
	ss, err := s.concierge.LiveSession(c.Request().Context(), token)
	if err != nil {
		return app.Session{}, false
	}
	c.Set(ctxSession, ss)
	return ss, true
}

// sessionUser returns the signed-in user id.
func (s *Server) sessionUser(c echo.Context) (int64, bool) {
	ss, ok := s.currentSession(c)
	return ss.UserID, ok
}

// requireUser lets signed-in users through and sends everyone else to /login.
func (s *Server) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, ok := s.sessionUser(c)
		if !ok {
			if isHTMX(c) {
				c.Response().Header().Set("HX-Redirect", "/login")
				return c.NoContent(http.StatusUnauthorized)
			}
			return c.Redirect(http.StatusSeeOther, "/login")
		}
		u, err := s.concierge.SignedInUser(c.Request().Context(), id)
		if err != nil {
			return c.Redirect(http.StatusSeeOther, "/login")
		}
		c.Set(ctxUser, u)
		// Signed-in pages show clients' details: no browser or proxy may keep a copy.
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// requireMember loads the venue of :slug and the user's membership of it. A venue the
// user does not belong to is a 404, exactly like a venue that does not exist, so no
// one learns which slugs exist.
func (s *Server) requireMember(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := c.Get(ctxUser).(salon.User)
		v, m, err := s.concierge.VenueMember(c.Request().Context(), u.ID, c.Param("slug"))
		if err != nil {
			return echo.ErrNotFound
		}
		c.Set(ctxVenue, v)
		c.Set(ctxMember, m)
		return next(c)
	}
}

// requireVenueManager allows Owners and Managers.
func (s *Server) requireVenueManager(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !member(c).CanManageVenue() {
			return salon.ErrForbidden
		}
		return next(c)
	}
}

// requireOwner allows Owners only.
func (s *Server) requireOwner(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !member(c).CanManageTeam() {
			return salon.ErrForbidden
		}
		return next(c)
	}
}

func user(c echo.Context) salon.User         { return c.Get(ctxUser).(salon.User) }
func venue(c echo.Context) salon.Venue       { return c.Get(ctxVenue).(salon.Venue) }
func member(c echo.Context) salon.Membership { return c.Get(ctxMember).(salon.Membership) }
