package app

import (
	"testing"

	"concierge/salon"
)

// Every suggestion chip's message is read as the action it stands for, and a role is
// offered only the chips it may act on.
func TestSuggestionsRouteToTheirAction(t *testing.T) {
	for _, sg := range suggestions {
		if in := salon.RouteMessage(sg.Message); !in.Has(sg.Action) {
			t.Errorf("chip %q posts %q, which the router reads as %v", sg.Label, sg.Message, in.Actions)
		}
	}
	for _, role := range []salon.Role{salon.Owner, salon.Manager, salon.Staff} {
		for _, sg := range Suggestions(role, false) {
			if !salon.Decide(sg.Action, role, false, false).Allowed {
				t.Errorf("%s is offered %q", role, sg.Label)
			}
		}
	}
	if n := len(Suggestions(salon.Staff, false)); n == 0 || n == len(suggestions) {
		t.Fatalf("staff get some chips, not all: %d of %d", n, len(suggestions))
	}
}
