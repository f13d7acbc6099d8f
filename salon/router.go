package salon

import (
	"regexp"
	"strconv"
	"strings"
)

// Cohort names a group of clients.
type Cohort string

// The cohorts.
const (
	CohortLapsed      Cohort = "lapsed"
	CohortVIPs        Cohort = "vips"
	CohortTopSpenders Cohort = "top_spenders"
	CohortRegulars    Cohort = "regulars"
	CohortNewMonth    Cohort = "new_this_month"
	CohortBirthdays   Cohort = "birthdays"
	CohortCompleted   Cohort = "completed_today"
	CohortNoShows     Cohort = "no_shows"
	CohortOverdue     Cohort = "overdue" // Client Reconnect: overdue for their usual service category
)

// CohortLabel is a cohort's display name.
func CohortLabel(c Cohort) string {
	switch c {
	case CohortLapsed:
		return "lapsed clients"
	case CohortVIPs:
		return "VIPs"
	case CohortTopSpenders:
		return "top spenders"
	case CohortRegulars:
		return "regulars"
	case CohortNewMonth:
		return "new clients this month"
	case CohortBirthdays:
		return "birthdays"
	case CohortCompleted:
		return "today's completed bookings"
	case CohortNoShows:
		return "no-shows"
	case CohortOverdue:
		return "clients overdue for their usual visit"
	}
	return string(c)
}

// ParseCohort accepts a cohort id.
func ParseCohort(s string) (Cohort, bool) {
	switch c := Cohort(s); c {
	case CohortLapsed, CohortVIPs, CohortTopSpenders, CohortRegulars, CohortNewMonth, CohortBirthdays, CohortCompleted, CohortNoShows:
		return c, true
	}
	return "", false
}

// WinBackWindows are the inactivity windows the win-back picker offers; 60 is the default.
var WinBackWindows = []int{30, 60, 90, 180}

// Intent is what the keyword router read from one chat message.
type Intent struct {
	Actions     []ActionID
	Cohort      Cohort // for cohort outreach, spotlight and filter: which cohort was named
	WindowDays  int    // win-back inactivity window, when one was named
	ClientQuery string // "text Sarah" → "Sarah"
	ClientID    int64  // "text client #42" → 42
	Tomorrow    bool   // "tomorrow" was said (gaps, birthdays)
	Week        bool   // "this week" / "7 days" was said (birthdays, no-shows)
	Service     string // "promote balayage" → "balayage"
}

// Has reports whether the intent includes an action.
func (in Intent) Has(id ActionID) bool {
	for _, a := range in.Actions {
		if a == id {
			return true
		}
	}
	return false
}

var (
	clientRefRe  = regexp.MustCompile(`#(\d+)`)
	outreachRe   = regexp.MustCompile(`\b(?i:text|message|sms|email|reach out to|contact)\s+(?i:client\s+)?([A-Za-zÀ-ÿ'’-]+(?:\s+[A-Z][A-Za-zÀ-ÿ'’-]+)?)`)
	windowRe     = regexp.MustCompile(`\b(30|60|90|180)\s*(?:\+\s*)?(?:days?|d)\b`)
	promoteRe    = regexp.MustCompile(`(?i)\b(?:promote|spotlight|push)\s+(?:my\s+|our\s+|the\s+)?([a-z][a-z &'-]{2,40}?)(?:\s+(?:to|for|service|this|next)\b|[.!?,]|$)`)
	notAName     = map[string]bool{"my": true, "our": true, "the": true, "all": true, "everyone": true, "clients": true, "client": true, "vips": true, "regulars": true, "them": true, "her": true, "him": true, "back": true, "new": true, "top": true, "to": true}
	filterPhrase = []string{"show me", "filter", "list my", "who are my", "client cohort"}
)

// RouteMessage is the keyword router: it matches the triggers of the catalogue
// (no language model) and pulls out the details the actions need. Enable reconnect
// automation has no trigger: the Concierge surfaces it by itself.
func RouteMessage(text string) Intent {
	lower := strings.ToLower(text)
	in := Intent{Tomorrow: strings.Contains(lower, "tomorrow"),
		Week: strings.Contains(lower, "this week") || strings.Contains(lower, "7 days") || strings.Contains(lower, "last week")}
	if m := windowRe.FindStringSubmatch(lower); m != nil {
		in.WindowDays, _ = strconv.Atoi(m[1])
	}
	switch {
	case strings.Contains(lower, "vip"):
		in.Cohort = CohortVIPs
	case strings.Contains(lower, "top spender"), strings.Contains(lower, "big spender"):
		in.Cohort = CohortTopSpenders
	case strings.Contains(lower, "new client"), strings.Contains(lower, "new this month"):
		in.Cohort = CohortNewMonth
	case strings.Contains(lower, "regular"):
		in.Cohort = CohortRegulars
	case strings.Contains(lower, "lapsed"):
		in.Cohort = CohortLapsed
	}
	filtering := false
	for _, p := range filterPhrase {
		filtering = filtering || strings.Contains(lower, p)
	}
	seen := map[ActionID]bool{}
	add := func(id ActionID) {
		if !seen[id] {
			seen[id] = true
			in.Actions = append(in.Actions, id)
		}
	}
	for _, a := range Catalogue {
		for _, trig := range a.Triggers {
			if !strings.Contains(lower, trig) {
				continue
			}
			switch a.ID {
			case ClientOutreach:
				continue // needs a name or an id, handled below
			case CohortOutreach:
				if filtering {
					continue // "show me my VIPs" filters, it does not message them
				}
			case FilterClients:
				if in.Cohort == "" && !strings.Contains(lower, "filter") && !strings.Contains(lower, "cohort") {
					continue // "show me my calendar" is not a client filter
				}
			case ReviewRequest:
				if strings.Contains(lower, "reviewed") {
					continue
				}
			}
			add(a.ID)
			break
		}
	}
	if m := clientRefRe.FindStringSubmatch(text); m != nil && (strings.Contains(lower, "text") || strings.Contains(lower, "message") || strings.Contains(lower, "client")) {
		in.ClientID, _ = strconv.ParseInt(m[1], 10, 64)
		add(ClientOutreach)
	} else if m := outreachRe.FindStringSubmatch(text); m != nil && !notAName[strings.ToLower(strings.Fields(m[1])[0])] && !seen[BirthdayOutreach] {
		in.ClientQuery = strings.TrimSpace(m[1])
		add(ClientOutreach)
	}
	if m := promoteRe.FindStringSubmatch(text); m != nil && seen[ServiceSpotlight] {
		in.Service = strings.TrimSpace(m[1])
	}
	// A named lapsed cohort means win-back, not cohort outreach.
	if in.Cohort == CohortLapsed && seen[CohortOutreach] {
		in.Actions = removeAction(in.Actions, CohortOutreach)
		add(WinBack)
	}
	return in
}

func removeAction(list []ActionID, id ActionID) []ActionID {
	out := list[:0]
	for _, a := range list {
		if a != id {
			out = append(out, a)
		}
	}
	return out
}
