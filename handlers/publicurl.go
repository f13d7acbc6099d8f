package handlers

import (
	"net"
	"strings"

	"github.com/labstack/echo/v4"

	"concierge/app"
	"concierge/salon"
	"concierge/views"
)

func publicAddressVM(a app.PublicAddressView, m salon.Membership) views.PublicAddressVM {
	vm := views.PublicAddressVM{URL: a.URL, Source: a.Source, Problem: a.Problem, Editable: a.Editable && !a.Demo, CanEdit: m.Role == salon.Owner}
	if a.Source == "saved" {
		vm.Value = a.URL
	}
	return vm
}

// SavePublicURL saves the public address from Settings (Owner).
func (s *Server) SavePublicURL(c echo.Context) error {
	v := venue(c)
	raw := c.FormValue("public_url")
	_, err := s.concierge.SetPublicAddress(c.Request().Context(), s.who(c), raw)
	if err == nil {
		return redirectAfterPost(c, "/app/"+v.Slug+"/settings?saved=public_url")
	}
	if fe := salon.FieldErrors(err); fe != nil {
		return s.settingsFailed(c, func(vm *views.SettingsVM) { vm.PublicAddress.Value, vm.PublicAddress.Err = raw, fe["public_url"] })
	}
	return err
}

// suggestedPublicURL prefills the first-run page with the address the browser used,
// unless that is this computer or a private network.
func suggestedPublicURL(c echo.Context, trustProxy bool) string {
	host := c.Request().Host
	scheme := "https"
	if trustProxy {
		if h := c.Request().Header.Get("X-Forwarded-Host"); h != "" {
			host = h
		}
		if p := c.Request().Header.Get("X-Forwarded-Proto"); p == "http" {
			scheme = "http"
		}
	}
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	u := scheme + "://" + strings.TrimSpace(host)
	if name == "" || salon.PublicURLProblem(u) != "" {
		return ""
	}
	return u
}

// linkBase is the public address in force (saved in Settings since the start, or
// PUBLIC_URL), else the configured one: Twilio signs its webhooks with the address it
// was given, and a flash deal's link is shown to staff as it will be shared.
func (s *Server) linkBase() string {
	if u := s.concierge.PublicURLNow(); u != "" {
		return u
	}
	return s.cfg.PublicURL
}

// dealLink is a flash deal's link as staff share it; without a usable public address the
// card says so, and where to set it, instead of showing a link that would not open.
func (s *Server) dealLink(token string) string {
	if why := s.concierge.LinksWithheld(); why != "" {
		return "(no link: " + why + " " + salon.PublicAddressWhere + ")"
	}
	return strings.TrimRight(s.linkBase(), "/") + "/deals/" + token
}
