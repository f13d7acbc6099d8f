package salon

import (
	"maps"
	"testing"
	"time"
)

// The settings and team forms' rules, with the wording people see.
func TestSettingsRules(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want map[string]string // nil: no error
	}{
		{"send delay 0", CheckSendDelay(0), nil},
		{"send delay 300", CheckSendDelay(300), nil},
		{"send delay negative", CheckSendDelay(-1), map[string]string{"send_delay_seconds": "Choose between 0 and 300 seconds (5 minutes)."}},
		{"send delay 301", CheckSendDelay(301), map[string]string{"send_delay_seconds": "Choose between 0 and 300 seconds (5 minutes)."}},
		{"top-up 0.01", CheckTopUp(1), nil},
		{"top-up 100,000", CheckTopUp(100_000_00), nil},
		{"top-up zero", CheckTopUp(0), map[string]string{"amount": "Enter an amount between 0.01 and 100,000."}},
		{"top-up too much", CheckTopUp(100_000_01), map[string]string{"amount": "Enter an amount between 0.01 and 100,000."}},
		{"price AU", CheckSMSPrice(AU, 723), nil},
		{"price AU 10", CheckSMSPrice(AU, 100000), nil},
		{"price negative", CheckSMSPrice(GB, -1), map[string]string{"sms_price": "Price must be between 0 and 10.0000 per segment."}},
		{"price too high", CheckSMSPrice(AU, 100001), map[string]string{"sms_price": "Price must be between 0 and 10.0000 per segment."}},
		{"price too high, country unknown", CheckSMSPrice("", 100001), map[string]string{"sms_price": "Price must be between 0 and 10.0000 per segment."}},
		{"price NZ zero", CheckSMSPrice(NZ, 0), nil},
		{"price NZ", CheckSMSPrice(NZ, 1), map[string]string{"sms_price": "NZ venues are email-only: the SMS price stays 0."}},
		{"solo with one", SoloStaffCountError(1), nil},
		{"solo with two", SoloStaffCountError(2), map[string]string{"solo": "A solo venue has exactly one active staff member; this one has 2."}},
		{"solo with none", SoloStaffCountError(0), map[string]string{"solo": "A solo venue has exactly one active staff member; this one has 0."}},
		{"solo keeps one", SoloKeepsOneActiveError(), map[string]string{"active": "This is a solo venue: it keeps exactly one active team member. Turn solo off in Venue settings first."}},
		{"role", CheckRole(Manager), nil},
		{"no such role", CheckRole("boss"), map[string]string{"role": "Role must be owner, manager or staff."}},
		{"last owner", LastOwnerError(), map[string]string{"role": "A venue needs at least one Owner."}},
		{"hours", CheckHours([]WorkingHours{{Weekday: time.Tuesday, Start: 540, End: 1020}}), nil},
		{"hours backwards", CheckHours([]WorkingHours{{Weekday: time.Monday, Start: 540, End: 1020}, {Weekday: time.Wednesday, Start: 600, End: 600}}),
			map[string]string{"hours_3": "The end time must be after the start time."}},
	}
	for _, c := range cases {
		got := FieldErrors(c.err)
		if (c.err == nil) != (c.want == nil) || !maps.Equal(got, c.want) {
			t.Errorf("%s: %v %v, want %v", c.name, c.err, got, c.want)
		}
	}
}

func TestFormValidation(t *testing.T) {
	good := NewUser{Email: "mia@example.com", Name: "Mia", Password: "long enough", Role: Staff}
	cases := []struct {
		name string
		got  map[string]string
		want map[string]string
	}{
		{"new user", good.Validate(), map[string]string{}},
		{"new user, all wrong", NewUser{Email: "nope", Name: "  ", Password: "short", Role: "boss"}.Validate(), map[string]string{
			"email": func() string { _, err := ParseEmail("nope"); return err.Error() }(), "name": "Name is required.",
			"role": "Role must be owner, manager or staff.", "password": "Password must be at least 8 characters."}},
		{"new user, long password", NewUser{Email: good.Email, Name: "Mia", Password: string(make([]byte, 73)), Role: Owner}.Validate(),
			map[string]string{"password": "Password must be at most 72 characters."}},
		{"new venue", NewVenue{Slug: "bella", Name: "Bella", Country: AU, TimeZone: "Australia/Sydney"}.Validate(), map[string]string{}},
		{"new venue, all wrong", NewVenue{Slug: "B", Name: "", Country: "US", TimeZone: "Local"}.Validate(), map[string]string{
			"slug": "Slug: 2–40 lower-case letters, digits or dashes.", "name": "Name is required.",
			"country": "Country must be AU, GB or NZ.", "time_zone": "Time zone must be an IANA name like Australia/Sydney."}},
		{"settings", VenueSettings{Name: "Bella", Country: NZ, TimeZone: "Pacific/Auckland"}.Validate(), map[string]string{}},
		{"settings, all wrong", VenueSettings{Name: " ", Country: "", TimeZone: ""}.Validate(), map[string]string{
			"name": "Name is required.", "country": "Country must be AU, GB or NZ.", "time_zone": "Time zone must be an IANA name like Australia/Sydney."}},
		{"first run: the owner's fields under owner_, any role", FirstVenueErrors(NewVenue{Slug: "bella", Name: "Bella", Country: AU, TimeZone: "UTC"},
			NewUser{Email: "a@example.com", Name: "", Password: "long enough", Role: "boss"}), map[string]string{"owner_name": "Name is required."}},
	}
	for _, c := range cases {
		if !maps.Equal(c.got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
	if CheckPassword("12345678") != "" || CheckName("Mia") != "" {
		t.Error("a good password and name pass")
	}
}

func TestUnknownImportClient(t *testing.T) {
	if got, want := UnknownImportClient("c9"), `no client "c9" in clients.csv or the venue`; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
