package app

import (
	"testing"

	"concierge/salon"
)

func TestRuleRefine(t *testing.T) {
	body := "Hi {{name}}, it's been a while. We'd love to see you back at Bella. Book here: https://x.test/book"
	cases := []struct {
		instruction string
		want        string
		ok          bool
	}{
		{"make it shorter", "Hi {{name}}, it's been a while. Book here: https://x.test/book", true},
		{"more formal please", "Dear {{name}}, it's been a while. We'd love to see you back at Bella. Book here: https://x.test/book", true},
		{"make it rhyme", body, false},
	}
	for _, tc := range cases {
		got, ok := ruleRefine(body, tc.instruction)
		if ok != tc.ok || got != tc.want {
			t.Errorf("%q: got %q (%v), want %q (%v)", tc.instruction, got, ok, tc.want, tc.ok)
		}
	}
}

func TestMergeFieldsAndTemplates(t *testing.T) {
	title, body := templateDraft(salon.ReviewRequest, draftData{Venue: "Bella Hair Co", ReviewLink: "https://g.page/r/bella"})
	if title == "" {
		t.Fatal("every drafted action has a title")
	}
	// The review link is a merge field, filled at send time from the venue.
	got := MergeFields(body, map[string]string{"name": "Sarah", "ReviewLink": "https://g.page/r/bella"})
	want := "Hi Sarah, thank you for visiting Bella Hair Co today! We'd love to hear how your experience was. You can leave us a review here: https://g.page/r/bella"
	if got != want {
		t.Fatalf("the built-in review template:\n got %q\nwant %q", got, want)
	}
	for _, a := range salon.Catalogue {
		if a.Tier == salon.Navigate {
			continue
		}
		title, body := templateDraft(a.ID, draftData{Venue: "Bella Hair Co", Link: "https://x.test/book/bella", Client: "Sarah Smith",
			ClientFirst: "Sarah", Cohort: "VIPs", Service: "Gel Manicure", Staff: "Mia", Slot: "Wed 25 Nov at 10:00", Discount: 20, Sender: "Mia"})
		if title == "" || body == "" {
			t.Errorf("%s has no fallback template", a.ID)
		}
		if n := len([]rune(MergeFields(body, map[string]string{"name": "Charlotte", "date": "Wed 12 Mar at 10:00", "staff": "Mia"}))); n > salon.SMSDraftLimit {
			t.Errorf("%s: the fallback text is %d characters, over the SMS limit", a.ID, n)
		}
	}
}
