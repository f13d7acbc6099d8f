package salon

import (
	"testing"
	"time"
)

func TestSparkUsage(t *testing.T) {
	for _, tc := range []struct {
		name              string
		u                 SparkUsage
		used              int64
		alert             bool
		newAllowance      int64
		leftAfterAllowing int64
	}{
		{"fresh month", SparkUsage{200, 200}, 0, false, 100, 100},
		{"just under 80%", SparkUsage{200, 41}, 159, false, 300, 141},
		{"at 80%", SparkUsage{200, 40}, 160, true, 150, 0},
		{"spent out", SparkUsage{200, 0}, 200, true, 250, 50},
		{"no allowance", SparkUsage{0, 0}, 0, false, 10, 10},
		{"topped up above the allowance", SparkUsage{200, 250}, 0, false, 200, 250},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.u.Used() != tc.used || tc.u.Alert() != tc.alert {
				t.Fatalf("used %d alert %v, want %d %v", tc.u.Used(), tc.u.Alert(), tc.used, tc.alert)
			}
			if got := tc.u.WithAllowance(tc.newAllowance); got.Left != tc.leftAfterAllowing || got.Allowance != tc.newAllowance {
				t.Fatalf("allowance %d: %+v, want left %d", tc.newAllowance, got, tc.leftAfterAllowing)
			}
		})
	}
	if SparkMonth(time.Date(2026, 11, 30, 13, 30, 0, 0, time.UTC), mustLoc(t, "Australia/Sydney")) != "2026-12" {
		t.Fatal("the month is the venue's: 30 Nov 13:30 UTC is 1 Dec in Sydney")
	}
	for _, typed := range []string{"-1", "abc", "100001", "1.5", ""} {
		if _, err := ParseSparkAllowance(typed); FieldErrors(err)["spark_allowance"] == "" {
			t.Errorf("%q accepted", typed)
		}
	}
}

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
