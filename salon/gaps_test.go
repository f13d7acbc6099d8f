package salon_test

import (
	"testing"
	"time"

	"concierge/salon"
)

func TestFindGaps(t *testing.T) {
	loc, _ := time.LoadLocation("Australia/Sydney")
	at := func(s string) time.Time { tm, _ := time.ParseInLocation("2006-01-02 15:04", s, loc); return tm }
	mia := salon.StaffMember{ID: 1, Name: "Mia", Active: true, Hours: []salon.WorkingHours{{Weekday: time.Tuesday, Start: 9 * 60, End: 17 * 60}}}
	tom := salon.StaffMember{ID: 2, Name: "Tom", Active: true, Hours: []salon.WorkingHours{{Weekday: time.Tuesday, Start: 12 * 60, End: 14 * 60}}}
	off := salon.StaffMember{ID: 3, Name: "Off", Active: false, Hours: mia.Hours}
	busy := map[int64][]salon.Interval{
		1: {{at("2026-11-24 09:00"), at("2026-11-24 10:00")}, {at("2026-11-24 10:20"), at("2026-11-24 12:00")}, {at("2026-11-24 15:00"), at("2026-11-24 17:00")}},
		2: {{at("2026-11-24 12:00"), at("2026-11-24 14:00")}},
	}
	min := map[int64]time.Duration{1: 30 * time.Minute, 2: 30 * time.Minute, 3: 30 * time.Minute}
	gaps := salon.FindGaps([]salon.StaffMember{mia, tom, off}, busy, min, at("2026-11-23 18:00"), at("2026-11-25 00:00"), loc)
	// 10:00–10:20 is too short; 12:00–15:00 is the one gap; Tom is full; Off is inactive.
	if len(gaps) != 1 || !gaps[0].Start.Equal(at("2026-11-24 12:00")) || !gaps[0].End.Equal(at("2026-11-24 15:00")) || gaps[0].StaffName != "Mia" {
		t.Fatalf("got %+v", gaps)
	}
	// From mid-morning: today's gaps start at the next quarter hour, not in the past.
	gaps = salon.FindGaps([]salon.StaffMember{mia}, nil, min, at("2026-11-24 13:07"), at("2026-11-24 23:59"), loc)
	if len(gaps) != 1 || !gaps[0].Start.Equal(at("2026-11-24 13:15")) || !gaps[0].End.Equal(at("2026-11-24 17:00")) {
		t.Fatalf("got %+v", gaps)
	}
}
