package handlers

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"concierge/salon"
	"concierge/views"
)

// Settings → Venue profile (Owner edits, Managers read) and the logo the public pages
// show, served from the database.

// publicVenue is the venue as its public pages show it.
func publicVenue(v salon.Venue) views.PublicVenueVM {
	h := views.PublicVenueVM{Name: v.Name, Address: v.Profile.Address, Intro: v.Profile.BookingIntro, Policy: v.Profile.CancellationPolicy()}
	if v.Profile.Phone != "" {
		h.Phone, h.PhoneTel = salon.FormatPhone(v.Profile.Phone), "tel:"+v.Profile.Phone
	}
	if v.LogoVersion != 0 {
		h.LogoURL = fmt.Sprintf("/book/%s/logo?v=%d", v.Slug, v.LogoVersion)
	}
	return h
}

// profileVM is the profile page for the venue as saved.
func profileVM(c echo.Context, v salon.Venue) views.ProfileFormVM {
	pub := publicVenue(v)
	return views.ProfileFormVM{CanEdit: member(c).CanManageTeam(), Address: v.Profile.Address, Phone: pub.Phone, Intro: v.Profile.BookingIntro,
		CancelWindow: strconv.Itoa(v.Profile.CancelWindowHours), LogoURL: pub.LogoURL, Public: pub, Errors: views.FieldErrors{}}
}

// Profile shows the venue profile.
func (s *Server) Profile(c echo.Context) error {
	return render(c, http.StatusOK, views.ProfilePage(s.page(c, "Venue profile", "settings"), profileVM(c, venue(c))))
}

// SaveProfile saves address, phone, intro and cancellation window; every problem is
// shown beside its field and nothing is saved.
func (s *Server) SaveProfile(c echo.Context) error {
	v := venue(c)
	f := profileVM(c, v)
	f.Address, f.Phone, f.Intro, f.CancelWindow = c.FormValue("address"), c.FormValue("phone"), c.FormValue("booking_intro"),
		strings.TrimSpace(c.FormValue("cancel_window_hours"))
	in := salon.VenueProfile{Address: f.Address, Phone: f.Phone, BookingIntro: f.Intro}
	hours, err := strconv.Atoi(f.CancelWindow)
	if err != nil {
		hours = -1 // refused by the rule, with its message
	}
	in.CancelWindowHours = hours
	err = s.concierge.SaveVenueProfile(c.Request().Context(), v.ID, user(c).ID, in)
	if err == nil {
		return redirectAfterPost(c, "/app/"+v.Slug+"/settings/profile?saved=profile")
	}
	fe := salon.FieldErrors(err)
	if fe == nil {
		return err
	}
	for k, m := range fe {
		f.Errors[k] = m
	}
	return render(c, http.StatusUnprocessableEntity, views.ProfilePage(s.page(c, "Venue profile", "settings"), f))
}

// UploadLogo stores the uploaded logo; its type is read from its bytes.
func (s *Server) UploadLogo(c echo.Context) error {
	v := venue(c)
	var data []byte
	if fh, err := c.FormFile("logo"); err == nil {
		file, err := fh.Open()
		if err != nil {
			return err
		}
		// One byte more than allowed is enough to know it is too large.
		data, err = io.ReadAll(io.LimitReader(file, salon.MaxLogoBytes+1))
		file.Close()
		if err != nil {
			return err
		}
	}
	err := s.concierge.SetVenueLogo(c.Request().Context(), v.ID, user(c).ID, data)
	if err == nil {
		return redirectAfterPost(c, "/app/"+v.Slug+"/settings/profile?saved=profile")
	}
	fe := salon.FieldErrors(err)
	if fe == nil {
		return err
	}
	f := profileVM(c, v)
	f.Errors["logo"] = fe["logo"]
	return render(c, http.StatusUnprocessableEntity, views.ProfilePage(s.page(c, "Venue profile", "settings"), f))
}

// RemoveLogo removes the venue's logo.
func (s *Server) RemoveLogo(c echo.Context) error {
	v := venue(c)
	if err := s.concierge.RemoveVenueLogo(c.Request().Context(), v.ID, user(c).ID); err != nil {
		return err
	}
	return redirectAfterPost(c, "/app/"+v.Slug+"/settings/profile?saved=profile")
}

// BookLogo serves a venue's logo to its public pages (404 without one).
func (s *Server) BookLogo(c echo.Context) error {
	data, ct, err := s.concierge.VenueLogo(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	// The URL carries the logo's version, so a new logo is a new URL.
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.Blob(http.StatusOK, ct, data)
}
