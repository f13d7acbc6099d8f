package salon_test

import (
	"strings"
	"testing"
	"time"

	"concierge/salon"
)

// field is the message a validation error gives a form field ("" when none), or the
// whole message for an error without fields.
func field(err error, name string) string {
	if fe := salon.FieldErrors(err); fe != nil {
		return fe[name]
	}
	if err != nil {
		return salon.ErrorMessage(err)
	}
	return ""
}

// The rules the store used to word, with the same inputs and outcomes.
func TestSettingsAndInputValidation(t *testing.T) {
	now := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	au := salon.Venue{Name: "Bella", Country: salon.AU, TimeZone: "Australia/Sydney", QuietStart: salon.DefaultQuietStart, QuietEnd: salon.DefaultQuietEnd}
	nz := salon.Venue{Name: "Kiwi", Country: salon.NZ, TimeZone: "Pacific/Auckland", QuietStart: salon.DefaultQuietStart, QuietEnd: salon.DefaultQuietEnd}
	good := salon.ReconnectSettings{GracePct: 20, Channel: "sms", FollowupDays: 7, TimeMin: 600}
	with := func(f func(*salon.ReconnectSettings)) salon.ReconnectSettings { r := good; f(&r); return r }
	long := strings.Repeat("x", salon.SMSDraftLimit+1)
	cases := []struct {
		name, field, want string
		err               error
	}{
		{"conversation status ok", "status", "", salon.CheckConversationStatus("escalated")},
		{"conversation status", "status", "Choose open, escalated or closed.", salon.CheckConversationStatus("exploded")},
		{"reply empty", "body", "Type a reply.", salon.CheckInboxReply(salon.SMS, "")},
		{"reply too long", "body", "A text can be at most 1,600 characters.", salon.CheckInboxReply(salon.SMS, strings.Repeat("é", 1601))},
		{"long email reply", "body", "", salon.CheckInboxReply(salon.Email, strings.Repeat("é", 1601))},
		{"deal discount", "discount_pct", "Choose a discount between 0% and 90%.", salon.NewDeal{DiscountPct: 91, Start: now.Add(time.Hour)}.Validate(now)},
		{"deal negative", "discount_pct", "Choose a discount between 0% and 90%.", salon.NewDeal{DiscountPct: -1, Start: now.Add(time.Hour)}.Validate(now)},
		{"deal started", "", "That slot has already started; pick a later one.", salon.NewDeal{DiscountPct: 90, Start: now}.Validate(now)},
		{"deal ok", "", "", salon.NewDeal{DiscountPct: 0, Start: now.Add(time.Minute)}.Validate(now)},
		{"staff", "service_id", "That team member does not perform this service.", salon.ErrStaffDoesNotPerform},
		{"offer nobody", "clients", "Choose at least one client.", salon.ValidateOffer(0, "Hi", now.Add(time.Hour), now)},
		{"offer too many", "clients", "Choose at most 5 clients.", salon.ValidateOffer(6, "Hi", now.Add(time.Hour), now)},
		{"offer body", "body", "Write the message.", salon.ValidateOffer(1, "  ", now.Add(time.Hour), now)},
		{"offer started", "", "That slot has already started.", salon.ValidateOffer(1, "Hi", now, now)},
		{"offer ok", "", "", salon.ValidateOffer(5, "Hi", now.Add(time.Hour), now)},
		{"rebook days", "rebook_prompt_days", "Choose between 1 and 365 days, or turn the prompt off.", salon.CheckRebookPromptDays(366)},
		{"rebook off", "rebook_prompt_days", "", salon.CheckRebookPromptDays(0)},
		{"rebook template long", "rebook_template", "Keep the message under 280 characters.", salon.CheckRebookTemplate(long)},
		{"rebook template field", "rebook_template", salon.CheckTemplate("{{ReviewLink}}", "FirstName", "BusinessName", "BookingLink"),
			salon.CheckRebookTemplate("{{ReviewLink}}")},
		{"reminder email-only", "reminder_sms", "Kiwi is email-only: no texts are sent.", salon.IncompleteReminder{SMS: true}.Validate(nz)},
		{"reminder long", "reminder_template", "Keep the message under 280 characters.", salon.IncompleteReminder{Template: long}.Validate(au)},
		{"reminder ok", "reminder_template", "", salon.IncompleteReminder{SMS: true, Template: "Hi {{FirstName}} {{ResumeBookingLink}}"}.Validate(au)},
		{"waitlist client", "client_id", "Choose a client.", salon.WaitlistEntry{ServiceIDs: []int64{1}}.Validate(false, true)},
		{"waitlist no service", "services", "Choose at least one service.", salon.WaitlistEntry{}.Validate(true, true)},
		{"waitlist gone service", "services", "One of the chosen services is not available.", salon.WaitlistEntry{ServiceIDs: []int64{1}}.Validate(true, false)},
		{"reconnect ok", "grace_pct", "", good.Validate(au)},
		{"reconnect grace", "grace_pct", "Choose a grace between 0% and 200%.", with(func(r *salon.ReconnectSettings) { r.GracePct = 201 }).Validate(au)},
		{"reconnect channel", "channel", "Choose SMS, email or both.", with(func(r *salon.ReconnectSettings) { r.Channel = "fax" }).Validate(au)},
		{"reconnect email-only", "channel", "Kiwi is email-only: reconnect messages go by email.", good.Validate(nz)},
		{"reconnect follow-up", "followup_days", "Choose between 1 and 60 days.", with(func(r *salon.ReconnectSettings) { r.FollowupDays = 61 }).Validate(au)},
		{"reconnect time", "time", "Choose a time of day.", with(func(r *salon.ReconnectSettings) { r.TimeMin = 24 * 60 }).Validate(au)},
		{"reconnect quiet", "time", "Choose a time outside quiet hours (20:00–09:00).", with(func(r *salon.ReconnectSettings) { r.TimeMin = 8*60 + 30 }).Validate(au)},
		{"reconnect template", "followup_template", "Keep the message under 280 characters.", with(func(r *salon.ReconnectSettings) { r.FollowupTemplate = long }).Validate(au)},
	}
	for _, c := range cases {
		if got := field(c.err, c.field); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if _, err := salon.RebookPromptDays(true, "0"); field(err, "rebook_prompt_days") != "Choose a number of days between 1 and 365." {
		t.Errorf("rebook days 0 on: %v", err)
	}
	if d, err := salon.RebookPromptDays(false, "x"); d != 0 || err != nil {
		t.Errorf("rebook off: %d %v", d, err)
	}
	if d, err := salon.RebookPromptDays(true, "28"); d != 28 || err != nil {
		t.Errorf("rebook 28: %d %v", d, err)
	}
}
