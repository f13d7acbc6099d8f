package salon

import (
	"strings"
	"testing"
)

func TestVenueProfileNormalise(t *testing.T) {
	p, err := VenueProfile{Address: "  1 King St ", Phone: "02 9876 5432", CancelWindowHours: 0}.Normalise(AU)
	if err != nil || p.Address != "1 King St" || p.Phone != "+61298765432" {
		t.Fatalf("%+v %v", p, err)
	}
	if p.CancellationPolicy() != "You can cancel or change your appointment at any time." {
		t.Fatalf("policy at 0: %q", p.CancellationPolicy())
	}
	_, err = VenueProfile{Address: strings.Repeat("a", 201), Phone: "12", BookingIntro: strings.Repeat("é", 601), CancelWindowHours: 169}.Normalise(AU)
	fe := FieldErrors(err)
	if fe["address"] != MsgAddress || fe["phone"] != MsgVenuePhone || fe["booking_intro"] != MsgBookingIntro || fe["cancel_window_hours"] != MsgCancelWindow {
		t.Fatalf("%v", fe)
	}
	if _, err := (VenueProfile{BookingIntro: strings.Repeat("é", 600), CancelWindowHours: 168}).Normalise(NZ); err != nil {
		t.Fatalf("600 characters (not bytes) and 168 hours are allowed: %v", err)
	}
}

func TestLogoType(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpeg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	webp := []byte("RIFF\x00\x00\x00\x00WEBPVP8 ")
	for _, tc := range []struct {
		name string
		data []byte
		want string
		msg  string
	}{
		{"png", png, "image/png", ""},
		{"jpeg", jpeg, "image/jpeg", ""},
		{"webp", webp, "image/webp", ""},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`), "", MsgLogoType},
		{"gif", []byte("GIF89a......"), "", MsgLogoType},
		{"empty", nil, "", MsgLogoMissing},
		{"one byte too many", append(png, make([]byte, MaxLogoBytes-len(png)+1)...), "", MsgLogoSize},
		{"exactly the limit", append(png, make([]byte, MaxLogoBytes-len(png))...), "image/png", ""},
	} {
		got, err := LogoType(tc.data)
		if got != tc.want || FieldErrors(err)["logo"] != tc.msg {
			t.Errorf("%s: %q %v", tc.name, got, err)
		}
	}
}
