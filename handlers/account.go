package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"concierge/salon"
	"concierge/views"
)

// Account shows the signed-in person's own account: change password, where they are
// signed in.
func (s *Server) Account(c echo.Context) error {
	return s.renderAccount(c, http.StatusOK, nil)
}

func (s *Server) renderAccount(c echo.Context, status int, errs views.FieldErrors) error {
	u := user(c)
	n, err := s.concierge.SessionCount(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	return render(c, status, views.AccountPage(s.page(c, "Your account", "account"),
		views.AccountVM{Email: u.Email, Sessions: max(n, 1), Errors: errs}))
}

// ChangePassword sets a new password after checking the current one, and signs the
// person out of every other browser.
func (s *Server) ChangePassword(c echo.Context) error {
	ss, _ := s.currentSession(c)
	next := c.FormValue("password")
	if next != c.FormValue("confirm") {
		return s.renderAccount(c, http.StatusUnprocessableEntity, views.FieldErrors{"confirm": "The two new passwords differ."})
	}
	ticket, wait := s.throttle.beginPasswordCheck(user(c).ID)
	if wait > 0 {
		return s.renderAccount(c, http.StatusTooManyRequests, views.FieldErrors{"current": "Too many tries. Try again in " + waitText(wait) + "."})
	}
	err := s.concierge.ChangePassword(c.Request().Context(), user(c).ID, ss.ID, c.FormValue("current"), next)
	fe := salon.FieldErrors(err)
	s.throttle.end(ticket, err == nil || (fe != nil && fe["current"] == "")) // only a wrong current password counts
	if fe != nil {
		return s.renderAccount(c, http.StatusUnprocessableEntity, views.FieldErrors(fe))
	}
	if err != nil {
		return err
	}
	return redirectAfterPost(c, "/app/"+venue(c).Slug+"/account?saved=password")
}

// SignOutOthers ends the person's sessions in every other browser.
func (s *Server) SignOutOthers(c echo.Context) error {
	ss, _ := s.currentSession(c)
	if err := s.concierge.SignOutElsewhere(c.Request().Context(), user(c).ID, ss.ID); err != nil {
		return err
	}
	return redirectAfterPost(c, "/app/"+venue(c).Slug+"/account?saved=signed_out")
}

// SignOutMember ends every session of a member of this venue (Owner only), e.g. after
// a lost phone. Someone who is not a member of the venue is a 404.
func (s *Server) SignOutMember(c echo.Context) error {
	v := venue(c)
	uid, err := paramID(c, "user")
	if err != nil {
		return err
	}
	keep := int64(0)
	if uid == user(c).ID {
		ss, _ := s.currentSession(c)
		keep = ss.ID
	}
	if err := s.concierge.SignOutMember(c.Request().Context(), v.ID, uid, keep); err != nil {
		if errors.Is(err, salon.ErrNotFound) {
			return echo.ErrNotFound
		}
		return err
	}
	return redirectAfterPost(c, "/app/"+v.Slug+"/settings/team?saved=member_signed_out")
}
