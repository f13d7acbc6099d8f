package salon_test

import (
	"testing"

	"concierge/salon"
)

func TestReach(t *testing.T) {
	sofia := salon.Client{FirstName: "Sofia", Phone: "+61412345678", Email: "sofia@example.com", NotifySMS: true, NotifyEmail: true}
	with := func(f func(*salon.Client)) salon.Client { c := sofia; f(&c); return c }
	cases := []struct {
		name string
		c    salon.Client
		ch   salon.Channel
		p    salon.Purpose
		want salon.Unreachable
	}{
		{"reachable by SMS", sofia, salon.SMS, salon.PurposeIncompleteBooking, salon.Reachable},
		{"reachable by email", sofia, salon.Email, salon.PurposeWinBack, salon.Reachable},
		{"SMS opt-out stops texts", with(func(c *salon.Client) { c.SMSOptOut = true }), salon.SMS, salon.PurposeIncompleteBooking, salon.UnreachableOptOut},
		{"SMS opt-out leaves email", with(func(c *salon.Client) { c.SMSOptOut = true }), salon.Email, salon.PurposeIncompleteBooking, salon.Reachable},
		{"SMS opt-out stops inbox replies", with(func(c *salon.Client) { c.SMSOptOut = true }), salon.SMS, salon.PurposeInboxReply, salon.UnreachableOptOut},
		{"the opt-out's own confirmation goes", with(func(c *salon.Client) { c.SMSOptOut = true }), salon.SMS, salon.PurposeOptOutConfirm, salon.Reachable},
		{"opt-out is named before blocked", with(func(c *salon.Client) { c.SMSOptOut, c.Blocked = true, true }), salon.SMS, salon.PurposeCohort, salon.UnreachableOptOut},
		{"blocked gets nothing", with(func(c *salon.Client) { c.Blocked = true }), salon.Email, salon.PurposeInboxReply, salon.UnreachableBlocked},
		{"blocked gets no opt-out confirmation either", with(func(c *salon.Client) { c.Blocked = true }), salon.SMS, salon.PurposeOptOutConfirm, salon.UnreachableBlocked},
		{"no phone", with(func(c *salon.Client) { c.Phone = "" }), salon.SMS, salon.PurposeWinBack, salon.UnreachableNoAddr},
		{"no email", with(func(c *salon.Client) { c.Email = "" }), salon.Email, salon.PurposeIncompleteBooking, salon.UnreachableNoAddr},
		{"no address is named before muted", with(func(c *salon.Client) { c.Email, c.NotifyEmail = "", false }), salon.Email, salon.PurposeIncompleteBooking, salon.UnreachableNoAddr},
		{"muted SMS: no reminder", with(func(c *salon.Client) { c.NotifySMS = false }), salon.SMS, salon.PurposeIncompleteBooking, salon.UnreachableMuted},
		{"muted email: the confirmation of their own booking still goes", with(func(c *salon.Client) { c.NotifyEmail = false }), salon.Email, salon.PurposeBookingConfirm, salon.Reachable},
		{"muted SMS: no reschedule notice", with(func(c *salon.Client) { c.NotifySMS = false }), salon.SMS, salon.PurposeRescheduleNotice, salon.UnreachableMuted},
		{"muted SMS: a reply to their message still goes", with(func(c *salon.Client) { c.NotifySMS = false }), salon.SMS, salon.PurposeInboxReply, salon.Reachable},
		{"muted SMS: a sign-in code still goes", with(func(c *salon.Client) { c.NotifySMS = false }), salon.SMS, salon.PurposeOTP, salon.Reachable},
		{"muted SMS: marketing follows the opt-out", with(func(c *salon.Client) { c.NotifySMS = false }), salon.SMS, salon.PurposeWinBack, salon.Reachable},
		{"muted email leaves SMS", with(func(c *salon.Client) { c.NotifyEmail = false }), salon.SMS, salon.PurposeIncompleteBooking, salon.Reachable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.Reach(tc.ch, tc.p); got != tc.want {
				t.Fatalf("Reach(%s, %s) = %q, want %q", tc.ch, tc.p, got, tc.want)
			}
		})
	}
}

func TestVenueReach(t *testing.T) {
	sofia := salon.Client{FirstName: "Sofia", Phone: "+64211234567", Email: "sofia@example.com", NotifySMS: true, NotifyEmail: true}
	au, nz := salon.Venue{Country: salon.AU}, salon.Venue{Country: salon.NZ}
	cases := []struct {
		name string
		v    salon.Venue
		c    salon.Client
		ch   salon.Channel
		p    salon.Purpose
		want salon.Unreachable
	}{
		{"AU venue texts a reachable client", au, sofia, salon.SMS, salon.PurposeWinBack, salon.Reachable},
		{"NZ venue never texts, even a reachable client", nz, sofia, salon.SMS, salon.PurposeWinBack, salon.UnreachableCountry},
		{"NZ venue never texts a sign-in code", nz, sofia, salon.SMS, salon.PurposeOTP, salon.UnreachableCountry},
		{"NZ venue never texts an opt-out confirmation", nz, sofia, salon.SMS, salon.PurposeOptOutConfirm, salon.UnreachableCountry},
		{"NZ venue emails", nz, sofia, salon.Email, salon.PurposeWinBack, salon.Reachable},
		{"NZ venue: the client's own rule still applies to email", nz, salon.Client{FirstName: "Sofia", Email: "s@example.com", EmailOptOut: true},
			salon.Email, salon.PurposeWinBack, salon.UnreachableOptOut},
		{"AU venue: the client's own rule applies", au, salon.Client{FirstName: "Sofia", Phone: "+61412345678", Blocked: true},
			salon.SMS, salon.PurposeInboxReply, salon.UnreachableBlocked},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.v.Reach(tc.c, tc.ch, tc.p); got != tc.want {
				t.Fatalf("Reach = %q, want %q", got, tc.want)
			}
		})
	}
	if got := salon.WhyUnreachable("Sofia", []salon.ChannelReason{{Channel: salon.SMS, Why: salon.UnreachableCountry}}); got != "Sofia cannot get SMS from an email-only venue" {
		t.Fatalf("WhyUnreachable = %q", got)
	}
}

func TestWhyUnreachable(t *testing.T) {
	r := func(ch salon.Channel, u salon.Unreachable) salon.ChannelReason {
		return salon.ChannelReason{Channel: ch, Why: u}
	}
	cases := []struct {
		name    string
		reasons []salon.ChannelReason
		want    string
	}{
		{"both muted", []salon.ChannelReason{r(salon.SMS, salon.UnreachableMuted), r(salon.Email, salon.UnreachableMuted)}, "Sofia has muted SMS and email"},
		{"both opted out", []salon.ChannelReason{r(salon.SMS, salon.UnreachableOptOut), r(salon.Email, salon.UnreachableOptOut)}, "Sofia has opted out of SMS and email"},
		{"opted out and no email", []salon.ChannelReason{r(salon.SMS, salon.UnreachableOptOut), r(salon.Email, salon.UnreachableNoAddr)},
			"Sofia has opted out of SMS and has no email address on file"},
		{"no address at all", []salon.ChannelReason{r(salon.SMS, salon.UnreachableNoAddr), r(salon.Email, salon.UnreachableNoAddr)},
			"Sofia has no mobile number or email address on file"},
		{"blocked says it all", []salon.ChannelReason{r(salon.SMS, salon.UnreachableOptOut), r(salon.Email, salon.UnreachableBlocked)}, "Sofia is blocked"},
		{"one channel", []salon.ChannelReason{r(salon.Email, salon.UnreachableMuted)}, "Sofia has muted email"},
		{"reachable", []salon.ChannelReason{r(salon.SMS, salon.Reachable)}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := salon.WhyUnreachable("Sofia", tc.reasons); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCheckOutbound(t *testing.T) {
	cases := []struct {
		name          string
		ch            salon.Channel
		subject, body string
		want          []string // fields with an error
	}{
		{"a good text", salon.SMS, "", "Hi Sofia, see you soon: https://example.com/book", nil},
		{"a good email", salon.Email, "Your visit", "Hi Sofia, see you soon.", nil},
		{"empty", salon.SMS, "", "  ", []string{"body"}},
		{"email without subject", salon.Email, " ", "Hi Sofia.", []string{"subject"}},
		{"a review link that was empty", salon.SMS, "", "Hi Sofia, you can leave us a review here: ", []string{"body"}},
		{"a merge field left", salon.SMS, "", "Hi {{name}}, thanks!", []string{"body"}},
		{"a merge field left in the subject", salon.Email, "News for {{CategoryName}}", "Hi Sofia.", []string{"subject"}},
		{"a colon mid-message is fine", salon.SMS, "", "Opening: 3pm tomorrow. Reply YES to book.", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errs := salon.CheckOutbound(tc.ch, tc.subject, tc.body)
			if len(errs) != len(tc.want) {
				t.Fatalf("errors %v, want fields %v", errs, tc.want)
			}
			for _, f := range tc.want {
				if errs[f] == "" {
					t.Fatalf("errors %v, want one on %s", errs, f)
				}
			}
		})
	}
}

func TestFillMergeFields(t *testing.T) {
	out, empty := salon.FillMergeFields("Hi {{name}}, review us here: {{ReviewLink}} or {{ ReviewLink }}. {{odd}}",
		map[string]string{"name": "Sofia", "ReviewLink": ""})
	if out != "Hi Sofia, review us here:  or . " || len(empty) != 2 || empty[0] != "ReviewLink" || empty[1] != "odd" {
		t.Fatalf("got %q, empty %v", out, empty)
	}
}

func TestHoldsMarketing(t *testing.T) {
	for status, want := range map[string]bool{"": false, salon.ThreadClosed: false, salon.ThreadUnread: true, salon.ThreadOpen: true, salon.ThreadEscalated: true} {
		if got := salon.HoldsMarketing(status); got != want {
			t.Errorf("HoldsMarketing(%q) = %v, want %v", status, got, want)
		}
	}
}

func TestCheckTemplate(t *testing.T) {
	if msg := salon.CheckTemplate("Hi {{FirstName}}, book: {{BookingLink}}", "FirstName", "BookingLink"); msg != "" {
		t.Fatalf("a good template: %q", msg)
	}
	if msg := salon.CheckTemplate("Hi {{FirstName}}, review us: {{ReviewLink}}", "FirstName", "BookingLink"); msg == "" {
		t.Fatal("a field the send does not fill")
	}
	if msg := salon.CheckTemplate("Hi {{FirstName}}, book here:", "FirstName"); msg == "" {
		t.Fatal("a template ending in a colon")
	}
	if msg := salon.CheckTemplate("", "FirstName"); msg != "" {
		t.Fatal("empty is the built-in template")
	}
}
