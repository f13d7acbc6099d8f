package salon

import (
	"testing"
	"time"
)

func TestRhythmAndOverdue(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	every := func(n int, gap, lastAgo time.Duration) []time.Time {
		var ts []time.Time
		for i := 0; i < n; i++ {
			ts = append(ts, now.Add(-lastAgo-time.Duration(i)*gap))
		}
		return ts
	}
	cases := []struct {
		name      string
		visits    []time.Time
		future    bool
		wantOK    bool
		wantDue   bool
		wantInter float64
	}{
		{"2 visits: no rhythm", every(2, 42*day, 100*day), false, false, false, 0},
		{"every 42 days, last 55 days ago: overdue (due after 50.4)", every(4, 42*day, 55*day), false, true, true, 42},
		{"every 42 days, last 50 days ago: not yet", every(4, 42*day, 50*day), false, true, false, 42},
		{"every 42 days, last 48 days ago: not", every(4, 42*day, 48*day), false, true, false, 42},
		{"every 42 days, last 55 days ago, booked ahead: not", every(4, 42*day, 55*day), true, true, false, 42},
		{"last visit 400 days ago: lapsed, not overdue", every(4, 42*day, 400*day), false, true, false, 42},
		{"uneven gaps use the median", []time.Time{now.Add(-60 * day), now.Add(-90 * day), now.Add(-130 * day), now.Add(-300 * day)}, false, true, true, 40},
	}
	for _, tc := range cases {
		interval, last, ok := Rhythm(tc.visits)
		if ok != tc.wantOK || (ok && interval != tc.wantInter) {
			t.Errorf("%s: rhythm %v %.2f, want %v %.2f", tc.name, ok, interval, tc.wantOK, tc.wantInter)
			continue
		}
		if got := ok && Overdue(interval, last, tc.future, DefaultGracePct, now); got != tc.wantDue {
			t.Errorf("%s: overdue %v, want %v", tc.name, got, tc.wantDue)
		}
	}
	if d := DueAfterDays(42, 20); d < 50.39 || d > 50.41 {
		t.Errorf("42 days + 20%% = 50.4, got %v", d)
	}
	if n := DaysOverdue(42, now.Add(-55*day), 20, now); n != 4 {
		t.Errorf("55 days since, due after 50.4: 4 whole days overdue, got %d", n)
	}
}

func TestCategoryList(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"Colour"}, "Colour"},
		{[]string{"Colour", "Cut & Style"}, "Colour and Cut & Style"},
		{[]string{"Colour", "Cut & Style", "Nails"}, "Colour, Cut & Style and Nails"},
	} {
		if got := CategoryList(tc.in); got != tc.want {
			t.Errorf("CategoryList(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
