package handlers

import (
	"strings"

	"github.com/labstack/echo/v4"
)

// contentSecurityPolicy allows only the app's own scripts, styles and connections:
// no inline script or style, no eval, no framing, forms post only to us. Behaviour
// lives in static/app.js and placement goes through the CSSOM, which the policy allows.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// securityHeaders sets the headers every response carries, and HSTS when the public
// address is https (browsers ignore it over http, so it is keyed on PUBLIC_URL, not
// on how the request reached us behind a proxy).
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	hsts := strings.HasPrefix(s.cfg.PublicURL, "https://")
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return next(c)
	}
}

// logPath is the request path as logs show it: a route that carries a secret in its
// path (a deal link's token) is logged as its pattern, so a log reader cannot claim a
// deal. Query strings (resume links, codes) are never logged.
func logPath(c echo.Context) string {
	if strings.Contains(c.Path(), ":token") {
		return c.Path()
	}
	return c.Request().URL.Path
}
