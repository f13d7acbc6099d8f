// Package handlers is the HTTP layer: one Server with explicit dependencies, the URL
// surface in routes.go, one file per area. Handlers parse, check role and venue, call
// the app (every workflow lives there) and render; errors go to one HTTPErrorHandler.
package handlers

import (
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"concierge/app"
	"concierge/messaging"
	"concierge/salon"
)

// Config is what the HTTP layer needs from configuration.
type Config struct {
	PublicURL       string // e.g. https://salon.example.com; webhooks are validated against it
	TwilioAuthToken string // signs Twilio's webhooks; they answer 404 unless SMSProvider is twilio and this is set
	TwilioFrom      string // TWILIO_FROM: the sending number of every venue without its own
	SessionKey      []byte
	TrustProxy      bool   // TRUST_PROXY=1: take the client IP from X-Forwarded-For (behind a reverse proxy)
	SMSProvider     string // outbox or twilio: the outbox offers "simulate a reply"
	EmailProvider   string // outbox or resend
	Ops             Ops    // /metrics and the scheduler check of /healthz (ops.go)
}

// Server holds the dependencies of every handler.
type Server struct {
	validator  *messaging.TwilioValidator // nil without Twilio: the webhooks accept nothing
	cfg        Config
	now        func() time.Time
	log        *slog.Logger
	sessions   *sessions.CookieStore
	devices    *sessions.CookieStore // the signed "known browser" cookie of sign-in
	throttle   *signInThrottle
	static     fs.FS
	staticETag string
	concierge  *app.Service
	hasVenue   atomic.Bool // the install has a venue: the first-run page is gone for good
}

// NewServer builds the server over the one app service (built by main and shared with
// the jobs). static holds the embedded static/ files.
func NewServer(svc *app.Service, cfg Config, static fs.FS, log *slog.Logger) *Server {
	if cfg.PublicURL == "" {
		cfg.PublicURL = "http://localhost:8080"
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	// Only a configured Twilio account can sign webhooks. Without one there is no
	// secret to check a signature against, so the webhook routes answer 404 and the
	// outbox's "simulate a reply" calls the inbound workflow directly instead.
	var validator *messaging.TwilioValidator
	if cfg.SMSProvider == "twilio" && cfg.TwilioAuthToken != "" {
		validator = messaging.NewTwilioValidator(cfg.TwilioAuthToken)
	}
	cfg.TwilioFrom = strings.TrimSpace(cfg.TwilioFrom)
	cs := sessions.NewCookieStore(cfg.SessionKey)
	// The cookie carries only the session's token; the row in the store decides (see
	// salon.SessionLive), and the cookie does not outlive the session's lifetime.
	cs.Options = &sessions.Options{Path: "/", MaxAge: int(salon.SessionLifetime.Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: strings.HasPrefix(cfg.PublicURL, "https://")}
	return &Server{
		validator: validator, cfg: cfg,
		now: svc.Now, log: log, sessions: cs, throttle: newSignInThrottle(svc.Now),
		devices: newDeviceStore(cfg.SessionKey, strings.HasPrefix(cfg.PublicURL, "https://")), static: static,
		staticETag: `"` + time.Now().Format("20060102150405") + `"`,
		concierge:  svc,
	}
}

// Echo builds the echo instance with the routes and the error handler.
func (s *Server) Echo() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.HTTPErrorHandler
	// The client's IP (sign-in and code limits) is the connection's unless a reverse
	// proxy in front is trusted to say it: a forwarded header is otherwise anyone's to forge.
	e.IPExtractor = echo.ExtractIPDirect()
	if s.cfg.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	s.Routes(e)
	return e
}

func (s *Server) secureCookies() bool { return strings.HasPrefix(s.cfg.PublicURL, "https://") }

// Healthz answers 200 when the database answers and the scheduler ran recently.
func (s *Server) Healthz(c echo.Context) error {
	if problem := s.healthProblem(c.Request().Context()); problem != "" {
		return c.String(http.StatusServiceUnavailable, problem)
	}
	return c.String(http.StatusOK, "ok")
}

// Static serves the embedded static files with a cache validator.
func (s *Server) Static(c echo.Context) error {
	name := strings.TrimPrefix(c.Param("*"), "/")
	if name == "" || strings.Contains(name, "..") {
		return echo.ErrNotFound
	}
	if _, err := fs.Stat(s.static, name); err != nil {
		return echo.ErrNotFound
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	http.ServeFileFS(c.Response(), c.Request(), s.static, name)
	return nil
}

func (s *Server) requestLogger(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		if s.log != nil {
			s.log.Info("request", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "method", c.Request().Method,
				"path", logPath(c), "status", c.Response().Status, "duration_ms", time.Since(start).Milliseconds())
		}
		return nil
	}
}

// ConciergeService is the server's Concierge service (shared with the scheduled-sends job).
func (s *Server) ConciergeService() *app.Service { return s.concierge }
