package salon

import (
	"testing"
	"time"
)

func TestVariantsInAChoice(t *testing.T) {
	cut := Service{ID: 1, Name: "Cut", DurationMin: 60, BufferMin: 10, PriceMinor: 9000, StaffIDs: []int64{7},
		Variants: []Variant{{ID: 11, ServiceID: 1, Name: "Long hair", ExtraMin: 30, ExtraPriceMinor: 2000}, {ID: 12, ServiceID: 1, Name: "Old", ExtraMin: 99, Archived: true}}}
	dry := Service{ID: 2, Name: "Blow Dry", DurationMin: 30, PriceMinor: 4500, StaffIDs: []int64{7}}
	all := []Service{cut, dry}
	cases := []struct {
		name   string
		ch     ServiceChoice
		dur    time.Duration
		labels []string
		total  int64
	}{
		{"standard", ServiceChoice{ServiceIDs: []int64{1}}, 70 * time.Minute, []string{"Cut"}, 9000},
		{"long hair", ServiceChoice{ServiceIDs: []int64{1}, Variants: map[int64]int64{1: 11}}, 100 * time.Minute, []string{"Cut (Long hair)"}, 11000},
		// An archived option adds nothing (a booking refuses it) but is still named.
		{"archived option", ServiceChoice{ServiceIDs: []int64{1}, Variants: map[int64]int64{1: 12}}, 70 * time.Minute, []string{"Cut (Old)"}, 9000},
		// Another service's option does nothing for this one.
		{"option of another service", ServiceChoice{ServiceIDs: []int64{2}, Variants: map[int64]int64{2: 11}}, 30 * time.Minute, []string{"Blow Dry"}, 4500},
		{"two services", ServiceChoice{ServiceIDs: []int64{1, 2}, Variants: map[int64]int64{1: 11}}, 130 * time.Minute, []string{"Cut (Long hair)", "Blow Dry"}, 15500},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dur, can := ChoicePlan(all, tc.ch, Package{})
			if dur != tc.dur || !can(7) {
				t.Errorf("plan %v, want %v", dur, tc.dur)
			}
			lines, total := tc.ch.Lines(all)
			var labels []string
			for _, l := range lines {
				labels = append(labels, l.Label)
			}
			if total != tc.total || len(labels) != len(tc.labels) {
				t.Fatalf("lines %v total %d, want %v %d", labels, total, tc.labels, tc.total)
			}
			for i := range labels {
				if labels[i] != tc.labels[i] {
					t.Errorf("line %d: %q, want %q", i, labels[i], tc.labels[i])
				}
			}
		})
	}
	if got := FormatVariants(map[int64]int64{3: 9, 1: 11, 2: 0}); got != "1:11,3:9" {
		t.Errorf("format: %q", got)
	}
	if got := ParseVariants("1:11,x:2,3:9,4:0,5"); len(got) != 2 || got[1] != 11 || got[3] != 9 {
		t.Errorf("parse: %v", got)
	}
	if fe := FieldErrors(VariantInput{Name: "", ExtraMin: 241, ExtraPriceMinor: MaxVariantPrice + 1}.Validate()); len(fe) != 3 {
		t.Errorf("variant input: %v", fe)
	}
	in := BookingInput{ClientID: 1, StaffID: 1, Start: time.Now(), ServiceIDs: []int64{1}, Variants: map[int64]int64{1: 11}}
	if fe := FieldErrors(in.Validate(BookingRecords{ClientFound: true, StaffActive: true, ServicesAvailable: true})); fe["services"] != MsgVariantUnavailable {
		t.Errorf("a booking with an unavailable option: %v", fe)
	}
}
