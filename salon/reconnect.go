package salon

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Client Reconnect: each client's own rhythm per service category, and who is
// overdue for it.

// MinRhythmVisits is how many completed appointments in a category make a rhythm.
const MinRhythmVisits = 3

// DefaultGracePct is how far past their usual interval a client may go before they
// count as overdue, by default.
const DefaultGracePct = 20

// ReconnectHorizon bounds overdue: a client whose last visit in the category is older
// than this is lapsed, not overdue.
const ReconnectHorizon = 365 * 24 * time.Hour

// Rhythm is a client's usual interval in one category: the median gap in days between
// their completed visits in it (any order). ok is false under MinRhythmVisits.
func Rhythm(visits []time.Time) (intervalDays float64, last time.Time, ok bool) {
	if len(visits) < MinRhythmVisits {
		return 0, time.Time{}, false
	}
	vs := append([]time.Time(nil), visits...)
	sort.Slice(vs, func(i, j int) bool { return vs[i].Before(vs[j]) })
	gaps := make([]float64, 0, len(vs)-1)
	for i := 1; i < len(vs); i++ {
		gaps = append(gaps, vs[i].Sub(vs[i-1]).Hours()/24)
	}
	return median(gaps), vs[len(vs)-1], true
}

// DueAfterDays is the number of days after the last visit from which a client with
// this interval is overdue: interval × (1 + grace).
func DueAfterDays(intervalDays float64, gracePct int) float64 {
	return intervalDays * (1 + float64(gracePct)/100)
}

// Overdue reports whether a client with this rhythm is overdue now: no future booking
// in the category, more days since the last visit than DueAfterDays, and that last
// visit within the horizon. A 42-day client with 20% grace is overdue after 50.4 days.
func Overdue(intervalDays float64, last time.Time, hasFuture bool, gracePct int, now time.Time) bool {
	if hasFuture || intervalDays <= 0 || now.Sub(last) > ReconnectHorizon {
		return false
	}
	return now.Sub(last).Hours()/24 > DueAfterDays(intervalDays, gracePct)
}

// DaysOverdue is how many whole days past due the client is (0 when not yet due).
func DaysOverdue(intervalDays float64, last time.Time, gracePct int, now time.Time) int {
	d := now.Sub(last).Hours()/24 - DueAfterDays(intervalDays, gracePct)
	return int(math.Max(0, math.Floor(d)))
}

// CategoryList names several service categories in one phrase for a message to a
// client overdue in all of them: "Colour", "Colour and Cut & Style", "Colour, Cut &
// Style and Nails". A reconnect to every overdue category fills {{CategoryName}} with it.
func CategoryList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	out := names[0]
	for _, n := range names[1 : len(names)-1] {
		out += ", " + n
	}
	return out + " and " + names[len(names)-1]
}

// ReconnectSettings are the venue's Client Reconnect options.
type ReconnectSettings struct {
	Automatic        bool
	GracePct         int
	Channel          string // sms, email or both
	FollowupDays     int
	TimeMin          int // the daily automatic send, minutes after midnight
	Template         string
	FollowupTemplate string
	Subject          string // the first email's subject ("" = the built-in one)
	FollowupSubject  string // the follow-up email's subject ("" = the built-in one)
}

// MaxSubjectLen is the longest email subject a venue may set.
const MaxSubjectLen = 120

// Validate checks the settings for the venue, every field at once: grace, a channel
// the venue can send on, follow-up delay, a send time outside quiet hours, and texts
// within the draft limit using only the reconnect merge fields.
func (r ReconnectSettings) Validate(v Venue) error {
	errs := map[string]string{}
	if r.GracePct < 0 || r.GracePct > 200 {
		errs["grace_pct"] = "Choose a grace between 0% and 200%."
	}
	switch r.Channel {
	case "sms", "both":
		if !v.Country.SendsSMS() {
			errs["channel"] = v.Name + " is email-only: reconnect messages go by email."
		}
	case "email":
	default:
		errs["channel"] = "Choose SMS, email or both."
	}
	if r.FollowupDays < 1 || r.FollowupDays > 60 {
		errs["followup_days"] = "Choose between 1 and 60 days."
	}
	if r.TimeMin < 0 || r.TimeMin >= 24*60 {
		errs["time"] = "Choose a time of day."
	} else if v.InQuietHours(time.Date(2000, 1, 1, r.TimeMin/60, r.TimeMin%60, 0, 0, v.Location())) {
		errs["time"] = fmt.Sprintf("Choose a time outside quiet hours (%s–%s).", v.QuietStart, v.QuietEnd)
	}
	for field, t := range map[string]string{"template": r.Template, "followup_template": r.FollowupTemplate} {
		if OverSMSLimit(t) {
			errs[field] = fmt.Sprintf("Keep the message under %d characters.", SMSDraftLimit)
		} else if msg := CheckTemplate(t, "FirstName", "CategoryName", "BusinessName", "BookingLink"); msg != "" {
			errs[field] = msg
		}
	}
	for field, t := range map[string]string{"subject": r.Subject, "followup_subject": r.FollowupSubject} {
		switch {
		case len([]rune(t)) > MaxSubjectLen:
			errs[field] = fmt.Sprintf("Keep the subject under %d characters.", MaxSubjectLen)
		case strings.ContainsAny(t, "\r\n"):
			errs[field] = "Keep the subject on one line."
		default:
			if msg := CheckTemplate(t, "FirstName", "CategoryName", "BusinessName"); msg != "" {
				errs[field] = msg
			}
		}
	}
	if len(errs) > 0 {
		return Invalid(errs)
	}
	return nil
}

// MaxRebookPromptDays is the longest delay of the post-visit rebook nudge.
const MaxRebookPromptDays = 365

// RebookPromptDays reads the rebook nudge's delay from the form: 0 when the nudge is
// off, else a whole number of days from 1 to MaxRebookPromptDays.
func RebookPromptDays(on bool, typed string) (int, error) {
	if !on {
		return 0, nil
	}
	days := 0
	n, err := fmt.Sscanf(typed, "%d", &days)
	if err != nil || n != 1 || days < 1 || days > MaxRebookPromptDays {
		return 0, Invalid(map[string]string{"rebook_prompt_days": "Choose a number of days between 1 and 365."})
	}
	return days, nil
}

// CheckRebookPromptDays refuses a stored rebook delay out of range (0 is off).
func CheckRebookPromptDays(days int) error {
	if days < 0 || days > MaxRebookPromptDays {
		return Invalid(map[string]string{"rebook_prompt_days": "Choose between 1 and 365 days, or turn the prompt off."})
	}
	return nil
}

// CheckRebookTemplate checks the rebook nudge's text: within the draft limit, using
// only its merge fields ("" is the built-in text).
func CheckRebookTemplate(t string) error {
	if OverSMSLimit(t) {
		return Invalid(map[string]string{"rebook_template": fmt.Sprintf("Keep the message under %d characters.", SMSDraftLimit)})
	}
	if msg := CheckTemplate(t, "FirstName", "BusinessName", "BookingLink"); msg != "" {
		return Invalid(map[string]string{"rebook_template": msg})
	}
	return nil
}
