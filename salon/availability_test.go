package salon_test

import (
	"testing"
	"time"

	"concierge/salon"
)

// The time list and the confirm check are one rule: every start Starts lists is
// offered, and nothing else is.
func TestSlotQueryOffers(t *testing.T) {
	loc, _ := time.LoadLocation("Australia/Sydney")
	at := func(s string) time.Time { tm, _ := time.ParseInLocation("2006-01-02 15:04", s, loc); return tm }
	now := at("2026-11-23 12:00")
	notBefore, until := salon.OnlineWindow(now, loc)
	if !notBefore.Equal(at("2026-11-23 13:00")) || !until.Equal(at("2026-12-07 00:00")) {
		t.Fatalf("window: %s – %s", notBefore, until)
	}
	gaps := []salon.Gap{
		{StaffID: 1, StaffName: "Mia", Start: at("2026-11-24 09:00"), End: at("2026-11-24 12:00")},
		{StaffID: 2, StaffName: "Tom", Start: at("2026-11-24 10:07"), End: at("2026-11-24 12:00")}, // after a booking ending at 10:07
		{StaffID: 1, StaffName: "Mia", Start: at("2026-11-23 12:00"), End: at("2026-11-23 17:00")}, // today: only from 13:00
		{StaffID: 1, StaffName: "Mia", Start: at("2026-12-07 09:00"), End: at("2026-12-07 17:00")}, // beyond the horizon
		{StaffID: 3, StaffName: "Ann", Start: at("2026-11-24 09:00"), End: at("2026-11-24 17:00")}, // does not perform the service
	}
	q := salon.SlotQuery{Gaps: gaps, Duration: time.Hour, CanDo: func(id int64) bool { return id != 3 }, NotBefore: notBefore, Until: until}
	cases := []struct {
		name  string
		start string
		staff int64
		want  bool
	}{
		{"on the grid in working hours", "2026-11-24 09:00", 1, true},
		{"the last start that fits", "2026-11-24 11:00", 1, true},
		{"runs past the gap", "2026-11-24 11:15", 1, false},
		{"off the grid", "2026-11-24 10:07", 1, false},
		{"on the grid of a gap that opens off the hour", "2026-11-24 10:22", 2, true},
		{"quarter hour inside an off-hour gap", "2026-11-24 10:15", 2, false},
		{"before working hours", "2026-11-24 03:00", 1, false},
		{"within the lead time", "2026-11-23 12:30", 1, false},
		{"just after the lead time", "2026-11-23 13:00", 1, true},
		{"in the past", "2026-11-20 10:00", 1, false},
		{"beyond the horizon", "2026-12-07 09:00", 1, false},
		{"far future", "2099-11-24 09:00", 1, false},
		{"staff who does not perform the service", "2026-11-24 09:00", 3, false},
		{"staff of another gap", "2026-11-24 09:00", 2, false},
	}
	listed := map[int64]bool{}
	for _, s := range q.Starts() {
		listed[s.Start.Unix()] = true
		if !q.Offers(s.Start, s.StaffID) {
			t.Errorf("listed but not offered: %s with %d", s.Start.In(loc), s.StaffID)
		}
	}
	for _, tc := range cases {
		if got := q.Offers(at(tc.start), tc.staff); got != tc.want {
			t.Errorf("%s: Offers(%s, %d) = %v", tc.name, tc.start, tc.staff, got)
		}
	}
	if listed[at("2026-12-07 09:00").Unix()] || !listed[at("2026-11-24 10:22").Unix()] {
		t.Errorf("the list follows the same rule: %v", listed)
	}
}

func TestWorksDuring(t *testing.T) {
	loc, _ := time.LoadLocation("Australia/Sydney")
	at := func(s string) time.Time { tm, _ := time.ParseInLocation("2006-01-02 15:04", s, loc); return tm }
	mia := salon.StaffMember{Name: "Mia", Hours: []salon.WorkingHours{{Weekday: time.Tuesday, Start: 9 * 60, End: 17 * 60}}}
	cases := []struct {
		name       string
		start, end string
		want       bool
	}{
		{"inside the shift", "2026-11-24 09:00", "2026-11-24 10:00", true},
		{"ends at closing", "2026-11-24 16:00", "2026-11-24 17:00", true},
		{"runs past closing", "2026-11-24 16:30", "2026-11-24 17:30", false},
		{"before opening", "2026-11-24 03:00", "2026-11-24 04:00", false},
		{"a day off", "2026-11-23 10:00", "2026-11-23 11:00", false},
	}
	for _, tc := range cases {
		if got := mia.WorksDuring(at(tc.start), at(tc.end), loc); got != tc.want {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
	if mia.HoursOn(time.Tuesday) != "09:00–17:00" || mia.HoursOn(time.Monday) != "" {
		t.Errorf("hours: %q %q", mia.HoursOn(time.Tuesday), mia.HoursOn(time.Monday))
	}
}

func TestClientNetwork(t *testing.T) {
	cases := map[string]string{
		"203.0.113.7":                "203.0.113.7",
		"::ffff:203.0.113.7":         "203.0.113.7",
		"2001:db8:1:2::1":            "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff:0:9": "2001:db8:1:2::/64",
		"2001:db8:1:3::1":            "2001:db8:1:3::/64",
		"fe80::1%eth0":               "fe80::/64",
		"not an ip":                  "not an ip",
	}
	for in, want := range cases {
		if got := salon.ClientNetwork(in); got != want {
			t.Errorf("ClientNetwork(%q) = %q, want %q", in, got, want)
		}
	}
	if got := salon.RevealCode("Your code is "+salon.CodeMask+".", "042917"); got != "Your code is 042917." {
		t.Errorf("reveal: %q", got)
	}
	if salon.MeasureSMS("Your code is "+salon.CodeMask+".") != salon.MeasureSMS("Your code is 042917.") {
		t.Error("the mask measures like the code")
	}
}

// The planning horizon is HorizonDays venue days, today included, in calendar days
// (a daylight-saving change inside it neither adds nor loses an hour of booking).
func TestOnlineWindowIsTheHorizon(t *testing.T) {
	loc, _ := time.LoadLocation("Australia/Sydney")
	at := func(s string) time.Time { tm, _ := time.ParseInLocation("2006-01-02 15:04", s, loc); return tm }
	cases := []struct{ now, notBefore, until string }{
		{"2026-11-23 12:00", "2026-11-23 13:00", "2026-12-07 00:00"},
		{"2026-11-23 23:30", "2026-11-24 00:30", "2026-12-07 00:00"},
		{"2026-11-24 00:00", "2026-11-24 01:00", "2026-12-08 00:00"},
		{"2026-03-30 09:00", "2026-03-30 10:00", "2026-04-13 00:00"}, // daylight saving ends on 5 April
		{"2026-09-28 09:00", "2026-09-28 10:00", "2026-10-12 00:00"}, // and starts on 4 October
	}
	for _, tc := range cases {
		notBefore, until := salon.OnlineWindow(at(tc.now), loc)
		if !notBefore.Equal(at(tc.notBefore)) || !until.Equal(at(tc.until)) {
			t.Errorf("now %s: window %s – %s, want %s – %s", tc.now, notBefore.In(loc), until.In(loc), tc.notBefore, tc.until)
		}
	}
	if salon.OnlineBookDays != salon.HorizonDays || salon.GapHorizon != time.Duration(salon.HorizonDays)*24*time.Hour {
		t.Fatal("online booking and gap finding must share the one horizon")
	}
}
