package handlers

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"concierge/salon"
	"concierge/views"
)

const sessionName = "concierge_session"

// Context keys set by the middlewares.
const (
	ctxUser   = "user"
	ctxVenue  = "venue"
	ctxMember = "member"
)

// LoginForm shows the sign-in page.
func (s *Server) LoginForm(c echo.Context) error {
	if _, ok := s.sessionUser(c); ok {
		return c.Redirect(http.StatusSeeOther, "/app")
	}
	return render(c, http.StatusOK, views.LoginPage(s.bare(c, "Sign in"), "", ""))
}

// Login checks the password, throttling failures per account and per IP, and starts a
// fresh session.
func (s *Server) Login(c echo.Context) error {
	email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
	password := c.FormValue("password")
	ip := c.RealIP()
	if wait := s.throttle.blocked(email, ip); wait > 0 {
		return render(c, http.StatusTooManyRequests, views.LoginPage(s.bare(c, "Sign in"), email,
			"Too many failed attempts. Try again in "+wait.Round(time.Minute).String()+"."))
	}
	u, err := s.store.Authenticate(c.Request().Context(), email, password)
	if errors.Is(err, salon.ErrNotFound) {
		s.throttle.fail(email, ip)
		return render(c, http.StatusUnauthorized, views.LoginPage(s.bare(c, "Sign in"), email, "That email and password do not match."))
	}
	if err != nil {
		return err
	}
	s.throttle.succeed(email)
	// A brand-new session at login: nothing from before sign-in carries over.
	sess, _ := s.sessions.New(c.Request(), sessionName)
	sess.Values = map[any]any{"user_id": u.ID, "seen": s.now().Unix()}
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/app")
}

// Logout ends the session.
func (s *Server) Logout(c echo.Context) error {
	sess, _ := s.sessions.Get(c.Request(), sessionName)
	sess.Values = map[any]any{}
	sess.Options.MaxAge = -1
	sess.Save(c.Request(), c.Response())
	return c.Redirect(http.StatusSeeOther, "/login")
}

// sessionUser returns the signed-in user id, enforcing the idle timeout and sliding it.
func (s *Server) sessionUser(c echo.Context) (int64, bool) {
	sess, err := s.sessions.Get(c.Request(), sessionName)
	if err != nil {
		return 0, false
	}
	id, _ := sess.Values["user_id"].(int64)
	seen, _ := sess.Values["seen"].(int64)
	now := s.now()
	if id == 0 || now.Sub(time.Unix(seen, 0)) > s.cfg.IdleTimeout {
		return 0, false
	}
	// Refresh the idle stamp at most once a minute to avoid a cookie on every response.
	if now.Unix()-seen > 60 {
		sess.Values["seen"] = now.Unix()
		sess.Save(c.Request(), c.Response())
	}
	return id, true
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
		u, err := s.store.User(c.Request().Context(), id)
		if err != nil {
			return c.Redirect(http.StatusSeeOther, "/login")
		}
		c.Set(ctxUser, u)
		return next(c)
	}
}

// requireMember loads the venue of :slug and the user's membership of it. A venue the
// user does not belong to is a 404, exactly like a venue that does not exist, so no
// one learns which slugs exist.
func (s *Server) requireMember(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := c.Get(ctxUser).(salon.User)
		v, err := s.store.VenueBySlug(c.Request().Context(), c.Param("slug"))
		if err != nil {
			return echo.ErrNotFound
		}
		m, err := s.store.Membership(c.Request().Context(), u.ID, v.ID)
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

// loginThrottle counts failed sign-ins per account and per IP over a window.
type loginThrottle struct {
	mu       sync.Mutex
	now      func() time.Time
	failures map[string][]time.Time
}

// Limits: 5 failures per account or 30 per IP within 15 minutes block further tries
// until the oldest failure leaves the window.
const (
	throttleWindow     = 15 * time.Minute
	throttlePerAccount = 5
	throttlePerIP      = 30
)

func newLoginThrottle(now func() time.Time) *loginThrottle {
	return &loginThrottle{now: now, failures: map[string][]time.Time{}}
}

func (t *loginThrottle) recent(key string) []time.Time {
	cut := t.now().Add(-throttleWindow)
	list := t.failures[key]
	i := 0
	for i < len(list) && list[i].Before(cut) {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(t.failures, key)
	} else {
		t.failures[key] = list
	}
	return list
}

func (t *loginThrottle) blocked(email, ip string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	for key, limit := range map[string]int{"a:" + email: throttlePerAccount, "ip:" + ip: throttlePerIP} {
		if l := t.recent(key); len(l) >= limit {
			return l[0].Add(throttleWindow).Sub(t.now())
		}
	}
	return 0
}

func (t *loginThrottle) fail(email, ip string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.failures["a:"+email] = append(t.recent("a:"+email), now)
	t.failures["ip:"+ip] = append(t.recent("ip:"+ip), now)
}

func (t *loginThrottle) succeed(email string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, "a:"+email)
}
