package salon

import "testing"

func TestHiddenNotices(t *testing.T) {
	cases := []struct {
		name string
		m    Membership
		want []string
	}{
		{"owner sees all", Membership{Role: Owner}, nil},
		{"manager sees all", Membership{Role: Manager}, nil},
		{"staff with Manage Waitlist", Membership{Role: Staff, ManageWaitlist: true}, []string{NoticeActionPending, NoticeSparksLow}},
		{"staff", Membership{Role: Staff}, []string{NoticeIncompleteBooking, NoticeActionPending, NoticeSparksLow}},
	}
	for _, tc := range cases {
		got := tc.m.HiddenNotices()
		if len(got) != len(tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
			}
		}
	}
}

func TestRoleApproves(t *testing.T) {
	for role, want := range map[Role]bool{Owner: true, Manager: true, Staff: false, "": false} {
		if got := role.Approves(); got != want {
			t.Errorf("%q approves %v, want %v", role, got, want)
		}
	}
}
