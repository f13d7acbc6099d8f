package salon

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// The venue profile, shown on the public pages: address, phone, the booking page's
// intro, the cancellation window and a logo.
//
// Limits: address at most 200 characters, intro at most 600, the cancellation window
// 0–168 hours (a week; 0: cancel any time, default 24), a logo PNG, JPEG or WebP of at
// most 512 KiB (the type read from its bytes, never from its name or the browser's word).
const (
	MaxAddressLength     = 200
	MaxBookingIntro      = 600
	MaxCancelWindowHours = 168
	DefaultCancelWindow  = 24
	MaxLogoBytes         = 512 << 10
)

// The venue profile form's field messages.
const (
	MsgAddress      = "Address: at most 200 characters."
	MsgVenuePhone   = "Enter a phone number of the venue's country, like 02 9876 5432, or in international form."
	MsgBookingIntro = "Intro: at most 600 characters."
	MsgCancelWindow = "Cancellation window: a whole number of hours from 0 to 168."
	MsgLogoType     = "The logo must be a PNG, JPEG or WebP image."
	MsgLogoSize     = "The logo must be at most 512 KB."
	MsgLogoMissing  = "Choose an image file."
)

// VenueProfile is the public face of a venue.
type VenueProfile struct {
	Address           string
	Phone             string // E.164, or "" for none
	BookingIntro      string
	CancelWindowHours int
}

// Normalise checks a profile as typed (the phone in the venue's country's format or
// international) and gives it back cleaned: trimmed, the phone in E.164. The error
// is Invalid with each problem keyed by its field.
func (p VenueProfile) Normalise(country Country) (VenueProfile, error) {
	errs := map[string]string{}
	p.Address = strings.TrimSpace(p.Address)
	p.BookingIntro = strings.TrimSpace(p.BookingIntro)
	if utf8.RuneCountInString(p.Address) > MaxAddressLength {
		errs["address"] = MsgAddress
	}
	if utf8.RuneCountInString(p.BookingIntro) > MaxBookingIntro {
		errs["booking_intro"] = MsgBookingIntro
	}
	if p.CancelWindowHours < 0 || p.CancelWindowHours > MaxCancelWindowHours {
		errs["cancel_window_hours"] = MsgCancelWindow
	}
	if strings.TrimSpace(p.Phone) != "" {
		n, err := ParsePhone(p.Phone, country)
		if err != nil {
			errs["phone"] = MsgVenuePhone
		}
		p.Phone = n
	} else {
		p.Phone = ""
	}
	if len(errs) > 0 {
		return p, Invalid(errs)
	}
	return p, nil
}

// CancellationPolicy is the sentence the public pages show about cancelling.
func (p VenueProfile) CancellationPolicy() string {
	switch p.CancelWindowHours {
	case 0:
		return "You can cancel or change your appointment at any time."
	case 1:
		return "Need to cancel or change? Please let us know at least 1 hour before your appointment."
	}
	return fmt.Sprintf("Need to cancel or change? Please let us know at least %d hours before your appointment.", p.CancelWindowHours)
}

// LogoType checks an uploaded logo and returns its content type, read from its bytes:
// PNG, JPEG or WebP, at most MaxLogoBytes. An SVG (which can carry script) or anything
// else is refused whatever its name says.
func LogoType(data []byte) (string, error) {
	if len(data) == 0 {
		return "", Invalid(map[string]string{"logo": MsgLogoMissing})
	}
	if len(data) > MaxLogoBytes {
		return "", Invalid(map[string]string{"logo": MsgLogoSize})
	}
	switch ct := http.DetectContentType(data); ct {
	case "image/png", "image/jpeg", "image/webp":
		return ct, nil
	}
	return "", Invalid(map[string]string{"logo": MsgLogoType})
}
