package salon

import (
	"testing"
	"time"
)

func TestServiceInputValidate(t *testing.T) {
	ok := ServiceInput{Name: "Cut", CategoryID: 1, DurationMin: 60, BufferMin: 10, PriceMinor: 9500}
	found := ServiceRecords{CategoryFound: true, StaffFound: true}
	cases := []struct {
		name string
		in   ServiceInput
		rec  ServiceRecords
		want map[string]string
	}{
		{"fine", ok, found, nil},
		{"blank name", ServiceInput{Name: " ", DurationMin: 60}, found, map[string]string{"name": MsgCatalogueName}},
		{"name of 81 characters", ServiceInput{Name: string(make([]rune, 81)) + "x", DurationMin: 60}, found, map[string]string{"name": MsgCatalogueName}},
		{"4 minutes", ServiceInput{Name: "a", DurationMin: 4}, found, map[string]string{"duration_min": MsgServiceDuration}},
		{"721 minutes", ServiceInput{Name: "a", DurationMin: 721}, found, map[string]string{"duration_min": MsgServiceDuration}},
		{"negative buffer", ServiceInput{Name: "a", DurationMin: 5, BufferMin: -1}, found, map[string]string{"buffer_min": MsgServiceBuffer}},
		{"buffer 241", ServiceInput{Name: "a", DurationMin: 5, BufferMin: 241}, found, map[string]string{"buffer_min": MsgServiceBuffer}},
		{"price too high", ServiceInput{Name: "a", DurationMin: 5, PriceMinor: MaxCataloguePrice + 1}, found, map[string]string{"price": MsgCataloguePrice}},
		{"unknown category and staff", ok, ServiceRecords{}, map[string]string{"category_id": MsgChooseCategory, "staff": MsgChooseTeamMember}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := FieldErrors(tc.in.Validate(tc.rec))
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s: %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

// Online booking offers what is bookable online, not archived and performed by
// someone; a service's buffer counts towards the time it needs.
func TestOnlineServicesAndBuffers(t *testing.T) {
	all := []Service{
		{ID: 1, DurationMin: 45, BufferMin: 15, OnlineBookable: true, StaffIDs: []int64{7}},
		{ID: 2, DurationMin: 30, OnlineBookable: false, StaffIDs: []int64{7}},
		{ID: 3, DurationMin: 30, OnlineBookable: true, Archived: true, StaffIDs: []int64{7}},
		{ID: 4, DurationMin: 30, OnlineBookable: true},
	}
	on := OnlineServices(all)
	if len(on) != 1 || on[0].ID != 1 {
		t.Fatalf("online: %+v", on)
	}
	dur, can := ServicePlan(all, []int64{1})
	if dur != time.Hour || !can(7) || can(8) {
		t.Fatalf("plan: %v, 7:%v 8:%v", dur, can(7), can(8))
	}
}
