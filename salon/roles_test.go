package salon_test

import (
	"testing"

	"concierge/salon"
)

func TestCanSeeAction(t *testing.T) {
	cases := []struct {
		name    string
		m       salon.Membership
		creator int64
		want    bool
	}{
		{"owner, someone else's", salon.Membership{UserID: 1, Role: salon.Owner}, 2, true},
		{"manager, someone else's", salon.Membership{UserID: 1, Role: salon.Manager}, 2, true},
		{"staff, own", salon.Membership{UserID: 1, Role: salon.Staff}, 1, true},
		{"staff, someone else's", salon.Membership{UserID: 1, Role: salon.Staff}, 2, false},
		{"staff with Manage Waitlist, someone else's", salon.Membership{UserID: 1, Role: salon.Staff, ManageWaitlist: true}, 2, false},
	}
	for _, tc := range cases {
		if got := tc.m.CanSeeAction(tc.creator); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
