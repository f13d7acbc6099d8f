package salon

import (
	"strings"
	"testing"
	"time"
)

func TestBookingInputValidate(t *testing.T) {
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	all := BookingRecords{ClientFound: true, StaffActive: true, ServicesAvailable: true, PackageAvailable: true}
	ok := BookingInput{ClientID: 1, StaffID: 2, Start: start, ServiceIDs: []int64{3}}
	cases := []struct {
		name string
		in   BookingInput
		rec  BookingRecords
		want map[string]string
	}{
		{"fine", ok, all, nil},
		{"a package alone is fine", BookingInput{ClientID: 1, StaffID: 2, Start: start, PackageID: 4}, all, nil},
		{"notes at the limit", BookingInput{ClientID: 1, StaffID: 2, Start: start, ServiceIDs: []int64{3}, Notes: strings.Repeat("é", MaxNotesLength)}, all, nil},
		{"everything missing", BookingInput{}, BookingRecords{}, map[string]string{"client_id": "Choose a client.", "staff_id": "Choose a team member.",
			"start": "Choose a date and time.", "services": "Choose at least one service."}},
		{"notes too long", BookingInput{ClientID: 1, StaffID: 2, Start: start, ServiceIDs: []int64{3}, Notes: strings.Repeat("é", MaxNotesLength+1)}, all,
			map[string]string{"notes": "Notes: at most 1000 characters."}},
		{"a service not available", ok, BookingRecords{ClientFound: true, StaffActive: true, PackageAvailable: true},
			map[string]string{"services": "One of the chosen services is not available."}},
		{"a package not available", BookingInput{ClientID: 1, StaffID: 2, Start: start, PackageID: 4}, BookingRecords{ClientFound: true, StaffActive: true},
			map[string]string{"package_id": "That package is not available."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.Validate(tc.rec)
			got := FieldErrors(err)
			if (err == nil) != (tc.want == nil) || len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			for k, m := range tc.want {
				if got[k] != m {
					t.Errorf("%s: got %q, want %q", k, got[k], m)
				}
			}
		})
	}
}

func TestNewBookingDraftNeedsAService(t *testing.T) {
	if fe := FieldErrors(NewBookingDraft{ClientID: 1}.Validate()); fe["services"] != "Choose at least one service." {
		t.Fatalf("want a services error, got %v", fe)
	}
	if err := (NewBookingDraft{ClientID: 1, ServiceIDs: []int64{2}}).Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestClientInputCheck(t *testing.T) {
	if _, err := (ClientInput{FirstName: "Changed", Phone: "12345"}).Check(AU); FieldErrors(err)["phone"] == "" {
		t.Fatalf("want a phone field error, got %v", err)
	}
	c, err := ClientInput{FirstName: " Sarah ", Phone: "0412 345 678"}.Check(AU)
	if err != nil || c.FirstName != "Sarah" || c.Phone != "+61412345678" {
		t.Fatalf("got %+v, %v", c, err)
	}
}

func TestOutsideHoursWarning(t *testing.T) {
	loc := time.UTC
	st := StaffMember{Name: "Jo", Hours: []WorkingHours{{Weekday: time.Tuesday, Start: 9 * 60, End: 17 * 60}}}
	tue := time.Date(2026, 12, 1, 10, 0, 0, 0, loc) // a Tuesday
	cases := []struct {
		name       string
		start, end time.Time
		want       string
	}{
		{"inside", tue, tue.Add(time.Hour), ""},
		{"runs past the shift", tue.Add(6 * time.Hour), tue.Add(8 * time.Hour),
			"That is outside Jo's hours on Tuesdays (09:00–17:00). Nothing was saved: tick the box below to book it anyway."},
		{"a day off", tue.AddDate(0, 0, 1), tue.AddDate(0, 0, 1).Add(time.Hour),
			"Jo does not work on Wednesdays. Nothing was saved: tick the box below to book it anyway."},
	}
	for _, tc := range cases {
		if got := st.OutsideHoursWarning(tc.start, tc.end, loc); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestBookingChangeRules(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	past := Booking{Status: Booked, Start: now.Add(-time.Hour)}
	future := Booking{Status: Booked, Start: now.Add(time.Hour)}
	cancelled := Booking{Status: Cancelled, Start: now.Add(-time.Hour)}
	cases := []struct {
		name string
		b    Booking
		to   BookingStatus
		want string
	}{
		{"complete a started appointment", past, Completed, ""},
		{"no-show before it starts", future, NoShow, "An appointment can only be completed or marked as a no-show once it has started."},
		{"complete before it starts", future, Completed, "An appointment can only be completed or marked as a no-show once it has started."},
		{"cancel before it starts", future, Cancelled, ""},
		{"cancelled stays cancelled", cancelled, Completed, "This booking was cancelled and cannot be changed."},
		{"cancelling again is nothing", cancelled, Cancelled, ""},
	}
	for _, tc := range cases {
		err := tc.b.CheckStatusChange(tc.to, now)
		switch {
		case err == nil && tc.want != "":
			t.Errorf("%s: allowed, want %q", tc.name, tc.want)
		case err != nil && (ErrorCode(err) != CodeConflict || ErrorMessage(err) != tc.want):
			t.Errorf("%s: got %v, want the conflict %q", tc.name, err, tc.want)
		}
	}
	if err := future.CheckChange(); err != nil {
		t.Fatal(err)
	}
	if got := ErrorMessage((Booking{Status: NoShow}).CheckChange()); got != "Only a booked appointment can be changed; this one is no-show." {
		t.Fatalf("got %q", got)
	}
	loc, _ := time.LoadLocation("Australia/Sydney")
	other := Booking{StaffName: "Jo", ClientName: "Sarah Smith", Start: time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)}
	if got := ErrorMessage(other.OverlapConflict(loc)); got != "Jo is already booked from 10:00 to 11:00 (Sarah Smith). Choose another time or team member." {
		t.Fatalf("got %q", got)
	}
}
