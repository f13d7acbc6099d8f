package salon

import (
	"testing"
	"time"
)

func TestPackagesRules(t *testing.T) {
	cut := Service{ID: 1, Name: "Cut", DurationMin: 60, OnlineBookable: true, StaffIDs: []int64{7, 8}}
	colour := Service{ID: 2, Name: "Colour", DurationMin: 90, OnlineBookable: true, StaffIDs: []int64{7}}
	staffOnly := Service{ID: 3, Name: "Perm", DurationMin: 120, OnlineBookable: false, StaffIDs: []int64{7}}
	all := []Service{cut, colour, staffOnly}
	day := Package{ID: 10, Name: "Colour day", PriceMinor: 23000, ServiceIDs: []int64{2, 1}}
	perm := Package{ID: 11, Name: "Perm day", ServiceIDs: []int64{1, 3}}
	old := Package{ID: 12, Name: "Old", Archived: true, ServiceIDs: []int64{1, 2}}
	if on := OnlinePackages([]Package{day, perm, old}, all); len(on) != 1 || on[0].ID != 10 {
		t.Fatalf("online packages: %+v", on)
	}
	if live := LivePackages([]Package{day, perm, old}, []Service{cut, colour}); len(live) != 1 || live[0].ID != 10 {
		t.Fatalf("live packages (Perm not live): %+v", live)
	}
	ch := ServiceChoice{PackageID: 10}
	dur, can := ChoicePlan(all, ch, PackageFor([]Package{day}, ch))
	if dur != 150*time.Minute || !can(7) || can(8) {
		t.Fatalf("package plan %v, 7:%v 8:%v (only 7 does Colour)", dur, can(7), can(8))
	}
	if l := PackageLine(day, all); l.Label != "Colour day (Colour, Cut)" || l.Minutes != 150 || l.PriceMinor != 23000 {
		t.Fatalf("line %+v", l)
	}
	for _, tc := range []struct {
		in    PackageInput
		found bool
		want  []string
	}{
		{PackageInput{Name: "A", PriceMinor: 1, ServiceIDs: []int64{1, 2}}, true, nil},
		{PackageInput{Name: "A", PriceMinor: 1, ServiceIDs: []int64{1, 1}}, true, []string{"services"}},
		{PackageInput{Name: "A", PriceMinor: 1, ServiceIDs: []int64{1, 2}}, false, []string{"services"}},
		{PackageInput{Name: "", PriceMinor: -1, ServiceIDs: []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}}, true, []string{"name", "price", "services"}},
	} {
		fe := FieldErrors(tc.in.Validate(tc.found))
		if len(fe) != len(tc.want) {
			t.Errorf("%+v: %v, want %v", tc.in, fe, tc.want)
		}
		for _, k := range tc.want {
			if fe[k] == "" {
				t.Errorf("%+v: no %s message", tc.in, k)
			}
		}
	}
}
