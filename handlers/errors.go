package handlers

import (
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"concierge/salon"
	"concierge/views"
)

// errCSRF is every refusal of the CSRF check: a missing, wrong or expired token.
var errCSRF = errors.New("csrf check failed")

// HTTPErrorHandler maps errors to a status and renders the error page, or a toast for
// HTMX requests. It is where a failed request is logged.
func (s *Server) HTTPErrorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := http.StatusInternalServerError, "Something went wrong on our side. Please try again."
	var he *echo.HTTPError
	switch {
	case errors.Is(err, errCSRF):
		status, msg = http.StatusForbidden, "This form has expired. Reload the page and try again."
	case errors.As(err, &he):
		status = he.Code
		switch status {
		case http.StatusNotFound:
			msg = "We could not find that page."
		case http.StatusForbidden:
			msg = "You do not have permission to do that."
		case http.StatusBadRequest:
			msg = "That request could not be understood."
		case http.StatusRequestEntityTooLarge:
			msg = "That upload is too large (10 MB at most)."
		case http.StatusMethodNotAllowed:
			msg = "That is not allowed here."
		default:
			if m, ok := he.Message.(string); ok && status < 500 {
				msg = m
			}
		}
	case salon.ErrorCode(err) != "":
		var de *salon.Error
		errors.As(err, &de)
		msg = de.Message
		switch de.Code {
		case salon.CodeNotFound:
			status, msg = http.StatusNotFound, "We could not find that page."
		case salon.CodeForbidden:
			status = http.StatusForbidden
		case salon.CodeConflict:
			status = http.StatusConflict
		case salon.CodeInvalid:
			// Forms re-render with messages beside their fields; anything that reaches
			// here (a small action form) shows the field messages themselves.
			status = http.StatusUnprocessableEntity
			if len(de.Fields) > 0 {
				var parts []string
				for _, m := range de.Fields {
					parts = append(parts, m)
				}
				sort.Strings(parts)
				msg = strings.Join(parts, " ")
			}
		case salon.CodeLimited:
			status = http.StatusTooManyRequests
		}
	}
	if status >= 500 && s.log != nil {
		s.log.Error("request failed", "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
			"path", logPath(c), "err", err)
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(status)
		return
	}
	if isHTMX(c) {
		toast(c, "error", msg)
		c.Response().Header().Set("HX-Reswap", "none")
		c.NoContent(status)
		return
	}
	if isPublicPath(c.Request().URL.Path) {
		if status == http.StatusNotFound {
			msg = "We could not find that page. The link may be mistyped or no longer valid."
		}
		render(c, status, views.PublicErrorPage(s.bare(c, errorTitle(status)), status, msg))
		return
	}
	p := s.bare(c, "Error")
	if c.Get(ctxMember) != nil {
		p = s.page(c, "Error", "")
	}
	render(c, status, views.ErrorPage(p, status, msg))
}

// isPublicPath reports a client-facing page (online booking, flash deals): its errors
// are for clients, so they name no venue and never point at the staff app.
func isPublicPath(path string) bool {
	for _, prefix := range []string{"/book", "/deals"} {
		if path == prefix || strings.HasPrefix(path, prefix+"/") {
			return true
		}
	}
	return false
}

// errorTitle is the page title of an error page.
func errorTitle(status int) string {
	if status == http.StatusNotFound {
		return "Page not found"
	}
	return "Error"
}
