package salon_test

import (
	"reflect"
	"testing"

	"concierge/salon"
)

func TestRouteMessage(t *testing.T) {
	cases := []struct {
		text    string
		actions []salon.ActionID
		check   func(salon.Intent) bool
	}{
		{"fill my gaps tomorrow", []salon.ActionID{salon.FlashDeal}, func(i salon.Intent) bool { return i.Tomorrow }},
		{"Any empty slot this week?", []salon.ActionID{salon.FlashDeal}, nil},
		{"win back lapsed clients", []salon.ActionID{salon.WinBack}, func(i salon.Intent) bool { return i.WindowDays == 0 }},
		{"reconnect with people who haven't been in 90 days", []salon.ActionID{salon.WinBack}, func(i salon.Intent) bool { return i.WindowDays == 90 }},
		{"text Sarah about her colour", []salon.ActionID{salon.ClientOutreach}, func(i salon.Intent) bool { return i.ClientQuery == "Sarah" }},
		{"reach out to Mia Chen", []salon.ActionID{salon.ClientOutreach}, func(i salon.Intent) bool { return i.ClientQuery == "Mia Chen" }},
		{"text client #42", []salon.ActionID{salon.ClientOutreach}, func(i salon.Intent) bool { return i.ClientID == 42 }},
		{"send to VIPs", []salon.ActionID{salon.CohortOutreach}, func(i salon.Intent) bool { return i.Cohort == salon.CohortVIPs }},
		{"message my top spenders", []salon.ActionID{salon.CohortOutreach}, func(i salon.Intent) bool { return i.Cohort == salon.CohortTopSpenders }},
		{"show me my VIPs", []salon.ActionID{salon.FilterClients}, func(i salon.Intent) bool { return i.Cohort == salon.CohortVIPs }},
		{"wish happy birthday to this week's birthdays", []salon.ActionID{salon.BirthdayOutreach}, func(i salon.Intent) bool { return i.Week }},
		{"send my booking link", []salon.ActionID{salon.StorefrontLink}, nil},
		{"reschedule Tom's appointment", []salon.ActionID{salon.Reschedule}, nil},
		{"ask today's clients for a Google review", []salon.ActionID{salon.ReviewRequest}, nil},
		{"follow up today's no-shows", []salon.ActionID{salon.NoShowFollowup}, nil},
		{"who didn't show this week", []salon.ActionID{salon.NoShowFollowup}, func(i salon.Intent) bool { return i.Week }},
		{"reply to the inbox", []salon.ActionID{salon.InboxReply}, nil},
		{"set up a rebook prompt", []salon.ActionID{salon.RebookPrompt}, nil},
		{"promote balayage to regulars", []salon.ActionID{salon.ServiceSpotlight, salon.CohortOutreach}, func(i salon.Intent) bool { return i.Service == "balayage" && i.Cohort == salon.CohortRegulars }},
		{"how are we doing?", nil, nil},
		{"show me my calendar", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			got := salon.RouteMessage(tc.text)
			if !reflect.DeepEqual(got.Actions, tc.actions) {
				t.Fatalf("actions %v, want %v", got.Actions, tc.actions)
			}
			if tc.check != nil && !tc.check(got) {
				t.Fatalf("details wrong: %+v", got)
			}
		})
	}
}
