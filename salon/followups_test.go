package salon

import (
	"testing"
	"time"
)

func TestWaitlistEntrySuits(t *testing.T) {
	loc := time.UTC
	services := []Service{{ID: 1, DurationMin: 60, StaffIDs: []int64{7, 8}}, {ID: 2, DurationMin: 30, StaffIDs: []int64{7}}}
	tue10 := time.Date(2026, 11, 24, 10, 0, 0, 0, loc) // a Tuesday morning
	gap := func(staff int64, start time.Time, minutes int) Gap {
		return Gap{StaffID: staff, Start: start, End: start.Add(time.Duration(minutes) * time.Minute)}
	}
	for _, tc := range []struct {
		name string
		e    WaitlistEntry
		g    Gap
		want bool
	}{
		{"any day, any time", WaitlistEntry{ServiceIDs: []int64{1}}, gap(8, tue10, 60), true},
		{"gap too short", WaitlistEntry{ServiceIDs: []int64{1}}, gap(8, tue10, 45), false},
		{"staff does not do every service", WaitlistEntry{ServiceIDs: []int64{1, 2}}, gap(8, tue10, 120), false},
		{"staff does both, long enough", WaitlistEntry{ServiceIDs: []int64{1, 2}}, gap(7, tue10, 90), true},
		{"preferred weekday", WaitlistEntry{ServiceIDs: []int64{1}, Days: []int{2}}, gap(8, tue10, 60), true},
		{"another weekday", WaitlistEntry{ServiceIDs: []int64{1}, Days: []int{3, 4}}, gap(8, tue10, 60), false},
		{"morning band", WaitlistEntry{ServiceIDs: []int64{1}, Bands: []string{"morning"}}, gap(8, tue10, 60), true},
		{"evening only", WaitlistEntry{ServiceIDs: []int64{1}, Bands: []string{"evening"}}, gap(8, tue10, 60), false},
		{"no services", WaitlistEntry{}, gap(8, tue10, 60), false},
	} {
		if got := tc.e.Suits(tc.g, services, loc); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
