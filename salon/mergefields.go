package salon

import "strings"

// Merge fields: one syntax everywhere, the one the venue's saved templates and the
// settings pages document — {{FirstName}}, {{BusinessName}}, {{BookingLink}}… A
// message is filled per recipient just before it is queued:
//
//   - FirstName: the client's first name
//   - ServiceName: the service the message is about (a spotlight's service)
//   - StaffName: the team member of the appointment the message is about (below), else
//     "the team"
//   - Date: the day of the appointment the message is about: the missed one for a
//     no-show, the visit for a review request, otherwise the client's last visit
//   - CategoryName: the service category a reconnect is for
//   - BusinessName, BookingLink, ReviewLink: the venue's
//   - DealLink: a flash deal's public page
//   - ResumeBookingLink: an incomplete booking's signed resume link
//
// Older drafts and templates spelt some of them in lower case ({{name}}, {{service}},
// {{staff}}, {{date}}, {{deal_link}}); those still fill (CanonicalField), and
// migration 00017 rewrote the stored open drafts.
const (
	FieldFirstName         = "FirstName"
	FieldServiceName       = "ServiceName"
	FieldStaffName         = "StaffName"
	FieldDate              = "Date"
	FieldCategoryName      = "CategoryName"
	FieldBusinessName      = "BusinessName"
	FieldBookingLink       = "BookingLink"
	FieldReviewLink        = "ReviewLink"
	FieldDealLink          = "DealLink"
	FieldResumeBookingLink = "ResumeBookingLink"
)

// legacyFields are the older spellings and the field each one is now.
var legacyFields = map[string]string{
	"name": FieldFirstName, "service": FieldServiceName, "staff": FieldStaffName, "date": FieldDate, "deal_link": FieldDealLink,
}

// CanonicalField is a merge field's name in today's syntax ("name" → "FirstName").
func CanonicalField(name string) string {
	if c, ok := legacyFields[name]; ok {
		return c
	}
	return name
}

// CanonicalMergeFields rewrites the older spellings in a text: "Hi {{name}}" → "Hi {{FirstName}}".
func CanonicalMergeFields(text string) string {
	return mergeFieldRe.ReplaceAllStringFunc(text, func(m string) string {
		return "{{" + CanonicalField(mergeFieldRe.FindStringSubmatch(m)[1]) + "}}"
	})
}

// FillKnownMergeFields fills the fields values has (by either spelling) and leaves any
// other merge field as written: a template preview, a deal's share text.
func FillKnownMergeFields(text string, values map[string]string) string {
	return mergeFieldRe.ReplaceAllStringFunc(text, func(m string) string {
		name := CanonicalField(mergeFieldRe.FindStringSubmatch(m)[1])
		if v, ok := values[name]; ok {
			return v
		}
		return m
	})
}

// WithLegacyFields adds the older spellings to a set of values (for the page's live
// counter, which fills a draft as the send will).
func WithLegacyFields(values map[string]string) map[string]string {
	out := make(map[string]string, len(values)+len(legacyFields))
	for k, v := range values {
		out[k] = v
	}
	for old, now := range legacyFields {
		if v, ok := values[now]; ok {
			out[old] = v
		}
	}
	return out
}

// UsesMergeField reports whether a text holds a field, by either spelling.
func UsesMergeField(text, field string) bool {
	for _, f := range MergeFieldsLeft(text) {
		if CanonicalField(f) == field {
			return true
		}
	}
	return false
}

// DayWindow is the window of a birthday or no-show card: today, or the week (birthdays:
// the next 7 days; no-shows: the last 7 days).
type DayWindow string

// The day windows the cards offer.
const (
	WindowToday DayWindow = "today"
	WindowWeek  DayWindow = "week"
)

// ParseDayWindow accepts only the windows a card offers.
func ParseDayWindow(s string) (DayWindow, bool) {
	switch w := DayWindow(strings.TrimSpace(s)); w {
	case WindowToday, WindowWeek:
		return w, true
	}
	return "", false
}

// DayWindowLabel names a window on a card of an action: "This week", "Last 7 days".
func DayWindowLabel(id ActionID, w DayWindow) string {
	switch {
	case w == WindowToday:
		return "Today"
	case id == NoShowFollowup:
		return "Last 7 days"
	}
	return "This week"
}

// SpotlightCohorts are the cohorts a service spotlight may go to (the card's picker), the
// default first.
var SpotlightCohorts = []Cohort{CohortRegulars, CohortVIPs, CohortTopSpenders, CohortNewMonth}

// StorefrontGroupMax is the most clients one storefront-link card goes to: a small group,
// picked by name; a bigger audience is a campaign.
const StorefrontGroupMax = 10
