package salon_test

import (
	"fmt"
	"strings"
	"testing"

	"concierge/salon"
)

// expectation is what Owner, Manager and Staff may do with one action: "" = not allowed,
// "direct", "approval", "own" = approval and only for the Staff member's own clients/bookings.
type expectation struct{ owner, manager, staff string }

var roleTable = map[salon.ActionID]expectation{
	salon.FlashDeal:        {"direct", "direct", "direct"},
	salon.BirthdayOutreach: {"direct", "direct", "direct"},
	salon.StorefrontLink:   {"direct", "direct", "direct"},
	salon.InboxReply:       {"direct", "direct", "direct"},
	salon.ServiceSpotlight: {"direct", "approval", ""},
	salon.WinBack:          {"direct", "approval", ""},
	salon.CohortOutreach:   {"direct", "approval", ""},
	salon.NoShowFollowup:   {"direct", "approval", ""},
	salon.ClientOutreach:   {"direct", "approval", "own"},
	salon.Reschedule:       {"direct", "approval", "own"},
	salon.ReviewRequest:    {"direct", "direct", ""},
	salon.FilterClients:    {"direct", "direct", ""},
	salon.EnableReconnect:  {"direct", "direct", ""},
	salon.RebookPrompt:     {"direct", "direct", ""},
	salon.GapFill:          {"direct", "direct", ""},
}

// TestDecideWalksTheRoleTable checks every action × role × own/not own × solo/not.
func TestDecideWalksTheRoleTable(t *testing.T) {
	// The 14 actions of the catalogue, and the gap offer the chat makes from the
	// backfill ranking ("fill my gaps tomorrow").
	if len(salon.Catalogue) != 15 || len(roleTable) != 15 {
		t.Fatalf("the catalogue has 15 actions, got %d", len(salon.Catalogue))
	}
	for _, a := range salon.Catalogue {
		exp, ok := roleTable[a.ID]
		if !ok {
			t.Fatalf("no expectation for %s", a.ID)
		}
		for role, cell := range map[salon.Role]string{salon.Owner: exp.owner, salon.Manager: exp.manager, salon.Staff: exp.staff} {
			for _, own := range []bool{true, false} {
				for _, solo := range []bool{true, false} {
					name := fmt.Sprintf("%s/%s/own=%v/solo=%v", a.ID, role, own, solo)
					got := salon.Decide(a.ID, role, own, solo)
					wantAllowed := cell != "" && (cell != "own" || own)
					wantApproval := wantAllowed && !solo && (cell == "approval" || cell == "own")
					if got.Allowed != wantAllowed || got.NeedsApproval != wantApproval {
						t.Errorf("%s: got allowed=%v approval=%v, want %v %v", name, got.Allowed, got.NeedsApproval, wantAllowed, wantApproval)
					}
					if !got.Allowed && got.Reason == "" {
						t.Errorf("%s: a refusal must say why", name)
					}
				}
			}
		}
	}
}

func TestEffectiveTierAndReasons(t *testing.T) {
	wb, _ := salon.LookupAction(salon.WinBack)
	if got := salon.Decide(salon.WinBack, salon.Manager, false, false).Tier(wb); got != salon.Approval {
		t.Fatalf("manager win-back is an approval card, got %s", got)
	}
	if got := salon.Decide(salon.WinBack, salon.Owner, false, false).Tier(wb); got != salon.Draft {
		t.Fatalf("owner win-back sends directly, got %s", got)
	}
	if r := salon.Decide(salon.WinBack, salon.Staff, false, false).Reason; r != "Only an Owner or Manager can do this." {
		t.Fatalf("reason: %q", r)
	}
	if r := salon.Decide(salon.ClientOutreach, salon.Staff, false, false).Reason; r != "Staff can only do this for their own clients." {
		t.Fatalf("reason: %q", r)
	}
	fd, _ := salon.LookupAction(salon.FilterClients)
	if got := salon.Decide(salon.FilterClients, salon.Owner, false, false).Tier(fd); got != salon.Navigate {
		t.Fatalf("filter is navigate, got %s", got)
	}
}

func TestCanApprove(t *testing.T) {
	cases := []struct {
		role      salon.Role
		approver  int64
		creator   int64
		wantAllow bool
	}{
		{salon.Owner, 1, 2, true}, {salon.Manager, 1, 2, true}, {salon.Staff, 1, 2, false},
		{salon.Owner, 1, 1, false}, {salon.Manager, 3, 3, false},
	}
	for _, c := range cases {
		if ok, why := salon.CanApprove(c.role, c.approver, c.creator); ok != c.wantAllow || (!ok && why == "") {
			t.Errorf("%+v: got %v %q", c, ok, why)
		}
	}
}

func TestOverSMSLimit(t *testing.T) {
	cases := []struct {
		name string
		body string
		want bool
	}{
		{"empty", "", false},
		{"exactly the limit", strings.Repeat("a", salon.SMSDraftLimit), false},
		{"one over", strings.Repeat("a", salon.SMSDraftLimit+1), true},
		{"characters, not bytes", strings.Repeat("é", salon.SMSDraftLimit), false},
		{"emoji count once each", strings.Repeat("💇", salon.SMSDraftLimit+1), true},
	}
	for _, tc := range cases {
		if got := salon.OverSMSLimit(tc.body); got != tc.want {
			t.Errorf("%s: OverSMSLimit = %v, want %v", tc.name, got, tc.want)
		}
	}
}
