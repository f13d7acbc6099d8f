package salon_test

import (
	"reflect"
	"testing"

	"concierge/salon"
)

// The router reads what is asked, however staff say it: one action per message, with
// its details. These go beyond the phrases the product was tuned on (paraphrases, word
// order, lower case, typos of the wording around a name).
func TestRouteMessage(t *testing.T) {
	cases := []struct {
		text    string
		actions []salon.ActionID
		check   func(salon.Intent) bool
	}{
		// Gaps and flash deals.
		{"fill my gaps tomorrow", []salon.ActionID{salon.GapFill}, func(i salon.Intent) bool { return i.Tomorrow }},
		{"Any empty slot this week?", []salon.ActionID{salon.GapFill}, nil},
		{"fill thursday's gaps", []salon.ActionID{salon.GapFill}, func(i salon.Intent) bool { return i.Weekday == 5 }},
		{"we've got holes in the diary on Thursday, let's advertise a deal", []salon.ActionID{salon.FlashDeal}, nil},
		{"quiet afternoon tomorrow - can we put out a discount?", []salon.ActionID{salon.FlashDeal}, func(i salon.Intent) bool { return i.Tomorrow }},
		{"offer 20% off the free slots on friday", []salon.ActionID{salon.FlashDeal}, nil},
		{"who's working tomorrow?", nil, nil},
		{"any birthdays tomorrow?", []salon.ActionID{salon.BirthdayOutreach}, nil},
		// Win-back and its window.
		{"win back lapsed clients", []salon.ActionID{salon.WinBack}, func(i salon.Intent) bool { return i.WindowDays == 0 }},
		{"reconnect with people who haven't been in 90 days", []salon.ActionID{salon.WinBack}, func(i salon.Intent) bool { return i.WindowDays == 90 }},
		{"six months since some clients last came in, let's win them back", []salon.ActionID{salon.WinBack}, func(i salon.Intent) bool { return i.WindowDays == 180 }},
		{"reach out to clients we haven't seen in 90+ days", []salon.ActionID{salon.WinBack}, func(i salon.Intent) bool { return i.WindowDays == 90 }},
		{"bring back people who stopped coming in the last three months", []salon.ActionID{salon.WinBack}, func(i salon.Intent) bool { return i.WindowDays == 90 }},
		{"clients who haven’t booked for a month", []salon.ActionID{salon.WinBack}, func(i salon.Intent) bool { return i.WindowDays == 30 }},
		// One client.
		{"text Sarah about her colour", []salon.ActionID{salon.ClientOutreach}, nil},
		{"reach out to Mia Chen", []salon.ActionID{salon.ClientOutreach}, func(i salon.Intent) bool { return i.ClientQuery == "Mia Chen" }},
		{"let Aroha Hall know her colour products are in", []salon.ActionID{salon.ClientOutreach}, nil},
		{"drop megan o'brien a message", []salon.ActionID{salon.ClientOutreach}, nil},
		{"shoot Jack Harris a quick message", []salon.ActionID{salon.ClientOutreach}, nil},
		{"get hold of Bartholomew Quill", []salon.ActionID{salon.ClientOutreach}, func(i salon.Intent) bool { return i.ClientQuery == "Bartholomew Quill" }},
		{"can you email grace fraser for me", []salon.ActionID{salon.ClientOutreach}, nil},
		{"on second thoughts, a quick message to her is enough", []salon.ActionID{salon.ClientOutreach}, func(i salon.Intent) bool { return i.Pronoun }},
		{"text client #42", []salon.ActionID{salon.ClientOutreach}, func(i salon.Intent) bool { return i.ClientID == 0 }}, // an id selects nobody
		// Cohorts.
		{"send to VIPs", []salon.ActionID{salon.CohortOutreach}, func(i salon.Intent) bool { return i.Cohort == salon.CohortVIPs }},
		{"message my top spenders", []salon.ActionID{salon.CohortOutreach}, func(i salon.Intent) bool { return i.Cohort == salon.CohortTopSpenders }},
		{"text the top 10% by spend", []salon.ActionID{salon.CohortOutreach}, func(i salon.Intent) bool { return i.Cohort == salon.CohortTopSpenders }},
		{"message the clients who've been coming regularly", []salon.ActionID{salon.CohortOutreach}, func(i salon.Intent) bool { return i.Cohort == salon.CohortRegulars }},
		{"clients who joined this month should get a welcome text", []salon.ActionID{salon.CohortOutreach}, func(i salon.Intent) bool { return i.Cohort == salon.CohortNewMonth }},
		{"send our biggest spenders a thank-you note", []salon.ActionID{salon.CohortOutreach}, func(i salon.Intent) bool { return i.Cohort == salon.CohortTopSpenders }},
		// Filters.
		{"show me my VIPs", []salon.ActionID{salon.FilterClients}, func(i salon.Intent) bool { return i.Cohort == salon.CohortVIPs }},
		{"which clients count as regulars?", []salon.ActionID{salon.FilterClients}, func(i salon.Intent) bool { return i.Cohort == salon.CohortRegulars }},
		{"open the client list filtered to VIPs", []salon.ActionID{salon.FilterClients}, nil},
		{"who are our new clients this month", []salon.ActionID{salon.FilterClients}, func(i salon.Intent) bool { return i.Cohort == salon.CohortNewMonth }},
		{"show me my calendar", nil, nil},
		// Spotlight: one card for one audience.
		{"promote balayage to regulars", []salon.ActionID{salon.ServiceSpotlight}, func(i salon.Intent) bool { return i.Service == "balayage" && i.Cohort == salon.CohortRegulars }},
		{"do a spotlight on Lash Lift for our VIPs", []salon.ActionID{salon.ServiceSpotlight}, func(i salon.Intent) bool { return i.Cohort == salon.CohortVIPs }},
		{"regulars might like the Deep Tissue Massage, let's advertise it", []salon.ActionID{salon.ServiceSpotlight}, nil},
		// Birthdays and their window.
		{"wish happy birthday to this week's birthdays", []salon.ActionID{salon.BirthdayOutreach}, func(i salon.Intent) bool { return i.Week }},
		{"anyone celebrating a birthday today? send them our wishes", []salon.ActionID{salon.BirthdayOutreach}, func(i salon.Intent) bool { return i.Today && !i.Week }},
		{"whose birthday falls in the next seven days? send greetings", []salon.ActionID{salon.BirthdayOutreach}, func(i salon.Intent) bool { return i.Week }},
		// Booking link.
		{"send my booking link", []salon.ActionID{salon.StorefrontLink}, nil},
		{"give Lily Silva the link to book online", []salon.ActionID{salon.StorefrontLink}, nil},
		// Reschedule.
		{"reschedule Tom's appointment", []salon.ActionID{salon.Reschedule}, nil},
		{"Lily Jones can't make her appointment, find her another time", []salon.ActionID{salon.Reschedule}, nil},
		{"William Ward asked to come in on a different day", []salon.ActionID{salon.Reschedule}, nil},
		{"maya thomas needs rescheduling", []salon.ActionID{salon.Reschedule}, nil},
		{"can that appointment go to the following Friday instead?", []salon.ActionID{salon.Reschedule}, func(i salon.Intent) bool { return i.Pronoun }},
		{"Lily Silva's appointment has to move", []salon.ActionID{salon.Reschedule}, nil},
		{"push her booking back an hour", []salon.ActionID{salon.Reschedule}, nil},
		// Reviews.
		{"ask today's clients for a Google review", []salon.ActionID{salon.ReviewRequest}, nil},
		{"this afternoon's clients should be asked to review us", []salon.ActionID{salon.ReviewRequest}, nil},
		{"how did today's clients find their visit? ask them", []salon.ActionID{salon.ReviewRequest}, nil},
		{"give me feedback on my new logo", nil, nil},
		// No-shows.
		{"follow up today's no-shows", []salon.ActionID{salon.NoShowFollowup}, func(i salon.Intent) bool { return !i.Week }},
		{"who didn't show this week", []salon.ActionID{salon.NoShowFollowup}, func(i salon.Intent) bool { return i.Week }},
		{"send a rebook nudge to today's no-shows", []salon.ActionID{salon.NoShowFollowup}, nil},
		{"people who skipped their appointments this week need a follow-up", []salon.ActionID{salon.NoShowFollowup}, func(i salon.Intent) bool { return i.Week }},
		// Inbox.
		{"reply to the inbox", []salon.ActionID{salon.InboxReply}, nil},
		{"Poppy Ryan texted us, write her a reply", []salon.ActionID{salon.InboxReply}, nil},
		{"deal with the complaint in the inbox", []salon.ActionID{salon.InboxReply}, nil},
		{"Holly Brown is waiting on an answer from us", []salon.ActionID{salon.InboxReply}, nil},
		// Automations.
		{"set up a rebook prompt", []salon.ActionID{salon.RebookPrompt}, nil},
		{"I want an automatic rebooking reminder a few days after each visit", []salon.ActionID{salon.RebookPrompt}, nil},
		{"where do I set up the daily reconnect automation?", []salon.ActionID{salon.EnableReconnect}, nil},
		// Beyond the tuning set.
		{"can we get a deal out for the empty chairs on Saturday?", []salon.ActionID{salon.FlashDeal}, nil},
		{"let's push our keratin treatment to the regulars", []salon.ActionID{salon.ServiceSpotlight}, func(i salon.Intent) bool { return i.Service == "keratin treatment" }},
		{"tell our regulars about the new stylist", []salon.ActionID{salon.CohortOutreach}, func(i salon.Intent) bool { return i.Cohort == salon.CohortRegulars }},
		{"ping the people we lost last year", []salon.ActionID{salon.WinBack}, nil},
		{"clients who've gone quiet for 2 months", []salon.ActionID{salon.WinBack}, func(i salon.Intent) bool { return i.WindowDays == 60 }},
		{"move Olivia Novak to friday", []salon.ActionID{salon.Reschedule}, nil},
		{"Can you bump Tara's appointment to next week", []salon.ActionID{salon.Reschedule}, nil},
		{"chase up the no shows from yesterday", []salon.ActionID{salon.NoShowFollowup}, func(i salon.Intent) bool { return i.Week }},
		{"show me clients who haven't been in for 90 days", []salon.ActionID{salon.FilterClients}, func(i salon.Intent) bool { return i.Cohort == salon.CohortLapsed }},
		{"any unread messages?", []salon.ActionID{salon.InboxReply}, nil},
		{"any new messages from clients?", []salon.ActionID{salon.InboxReply}, nil},
		{"promte the lash lift to vips", []salon.ActionID{salon.ServiceSpotlight}, nil},
		{"switch reconect automation on", []salon.ActionID{salon.EnableReconnect}, nil},
		{"birthdys this week", []salon.ActionID{salon.BirthdayOutreach}, func(i salon.Intent) bool { return i.Week }},
		{"any birthdays tomorrow?", []salon.ActionID{salon.BirthdayOutreach}, func(i salon.Intent) bool { return i.Week }},
		{"dont text zoe rossi", nil, nil},
		{"can you explain what a win back campaign is?", nil, nil},
		{"how many lapsed clients do we have?", []salon.ActionID{salon.FilterClients}, func(i salon.Intent) bool { return i.Cohort == salon.CohortLapsed }},
		{"fill tomorrow's gaps and text the vips about it", []salon.ActionID{salon.CohortOutreach}, func(i salon.Intent) bool { return i.Other == salon.GapFill }},
		{"turn on automatic reconnect", []salon.ActionID{salon.EnableReconnect}, nil},
		{"what's on tomorrow?", nil, nil},
		// Nothing to do.
		{"how are we doing?", nil, nil},
		{"thanks!", nil, nil},
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
