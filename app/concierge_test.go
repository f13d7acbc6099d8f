package app

import (
	"strings"
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
		got, ok, _ := ruleRefine(body, tc.instruction)
		if ok != tc.ok || got != tc.want {
			t.Errorf("%q: got %q (%v), want %q (%v)", tc.instruction, got, ok, tc.want, tc.ok)
		}
	}
}

// "Make it shorter" as often as it is asked never costs a draft its greeting, a merge
// field or a link: each template ends as the greeting and what must stay, and a
// further "shorter" is refused with the draft unchanged.
func TestShorterKeepsTheDraftWhole(t *testing.T) {
	d := draftData{Venue: "Bella Hair Co", Link: "https://x.test/book/bella", Client: "Sarah Smith", ClientFirst: "Sarah", Cohort: "VIPs",
		Service: "Gel Manicure", Staff: "Mia", Slot: "Wed 25 Nov at 10:00", Discount: 20, Sender: "Mia"}
	want := map[salon.ActionID][]string{
		salon.WinBack:          {"Hi {{FirstName}}, book your next visit here: https://x.test/book/bella"},
		salon.ReviewRequest:    {"Hi {{FirstName}}, thank you for visiting Bella Hair Co today! You can leave us a review here: {{ReviewLink}}", "Hi {{FirstName}}, you can leave us a review here: {{ReviewLink}}"},
		salon.NoShowFollowup:   {"Hi {{FirstName}}, we missed you at Bella Hair Co today! If you'd like to rebook, we'd love to see you soon.", "Hi {{FirstName}}, if you'd like to rebook, we'd love to see you soon."},
		salon.ClientOutreach:   {"Hi Sarah, it's Mia from Bella Hair Co. You can book here: https://x.test/book/bella", "Hi Sarah, you can book here: https://x.test/book/bella"},
		salon.BirthdayOutreach: {},
	}
	for kind, steps := range want {
		_, body := templateDraft(kind, d)
		for i := 0; i < 3; i++ {
			got, ok, err := ruleRefine(body, "make it shorter")
			switch {
			case !ok:
				t.Fatalf("%s: shorter not understood", kind)
			case i < len(steps) && (err != nil || got != steps[i]):
				t.Fatalf("%s: shorter #%d = %q (%v), want %q", kind, i+1, got, err, steps[i])
			case i >= len(steps) && (err == nil || got != body):
				t.Fatalf("%s: shorter #%d of %q should be refused, unchanged: got %q (%v)", kind, i+1, body, got, err)
			}
			body = got
		}
		for _, keep := range []string{"{{", "http"} {
			_, orig := templateDraft(kind, d)
			if strings.Contains(orig, keep) && !strings.Contains(body, keep) {
				t.Errorf("%s: lost %s: %q", kind, keep, body)
			}
		}
	}
}

func TestMergeFieldsAndTemplates(t *testing.T) {
	title, body := templateDraft(salon.ReviewRequest, draftData{Venue: "Bella Hair Co", ReviewLink: "https://g.page/r/bella"})
	if title == "" {
		t.Fatal("every drafted action has a title")
	}
	// The review link is a merge field, filled at send time from the venue.
	got := MergeFields(body, map[string]string{"FirstName": "Sarah", "ReviewLink": "https://g.page/r/bella"})
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
		if n := len([]rune(MergeFields(body, map[string]string{"FirstName": "Charlotte", "Date": "Wed 12 Mar at 10:00", "StaffName": "Mia"}))); n > salon.SMSDraftLimit {
			t.Errorf("%s: the fallback text is %d characters, over the SMS limit", a.ID, n)
		}
	}
}
