package handlers

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"concierge/metrics"
)

// Ops is what the operator-facing routes need: /metrics and the scheduler check of
// /healthz.
type Ops struct {
	// Metrics is the Prometheus registry; nil: /metrics answers 404.
	Metrics *metrics.Metrics
	// MetricsToken (METRICS_TOKEN) lets a scraper that sends "Authorization: Bearer
	// <token>" read /metrics on the app's own address. Empty: /metrics answers 404 here
	// (METRICS_ADDR serves it on a separate listener instead).
	MetricsToken string
	// Scheduler reports whether background jobs ran recently; nil: not checked.
	Scheduler interface {
		Healthy(maxAge time.Duration) error
	}
}

// schedulerMaxAge is how long /healthz lets the scheduler go without running a job:
// the most frequent job runs every 5 seconds, so 2 minutes of silence is a stall.
const schedulerMaxAge = 2 * time.Minute

// Metrics serves the Prometheus metrics to a scraper holding the token; to anyone
// else, or with no token configured, it answers 404, as if there were no such page.
func (s *Server) Metrics(c echo.Context) error {
	m, token := s.cfg.Ops.Metrics, s.cfg.Ops.MetricsToken
	if m == nil || token == "" {
		return echo.ErrNotFound
	}
	got, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
		return c.String(http.StatusUnauthorized, "metrics need the bearer token (METRICS_TOKEN)\n")
	}
	m.Handler().ServeHTTP(c.Response(), c.Request())
	return nil
}

// observeRequests records every request's duration by its route pattern.
func (s *Server) observeRequests(next echo.HandlerFunc) echo.HandlerFunc {
	m := s.cfg.Ops.Metrics
	if m == nil {
		return next
	}
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err) // the error page sets the status recorded below
		}
		m.ObserveRequest(c.Path(), c.Request().Method, c.Response().Status, time.Since(start))
		return nil
	}
}

// healthProblem says what is wrong, or "" when the database answers and the scheduler
// ran recently.
func (s *Server) healthProblem(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := s.concierge.Ready(ctx); err != nil {
		return "database unavailable"
	}
	if sch := s.cfg.Ops.Scheduler; sch != nil {
		if err := sch.Healthy(schedulerMaxAge); err != nil {
			return "scheduler stalled: " + err.Error()
		}
	}
	return ""
}
