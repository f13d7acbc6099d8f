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
	Cohort      Cohort   // for cohort outreach, spotlight and filter: which cohort was named
	WindowDays  int      // win-back inactivity window, when one was named
	ClientQuery string   // what looked like a person's name ("Bartholomew Quill"), for saying nobody matched
	ClientID    int64    // the model's lookup_client result (the router never sets it)
	Tomorrow    bool     // "tomorrow" was said (gaps, flash deals)
	Today       bool     // "today" was said (birthdays, no-shows)
	Week        bool     // "this week" / "the next 7 days" / "the last 7 days" was said (birthdays, no-shows)
	Service     string   // "promote balayage" → "balayage"
	Pronoun     bool     // "her", "him", "that appointment": the client of the previous turn
	Weekday     int      // a day of the week named ("fill Thursday's gaps"): time.Weekday + 1, 0 for none
	Focus       string   // the part of the message the request is in, when a negated part was set aside
	Other       ActionID // a second request in the same message, not acted on (the reply says so)
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

// The router reads a message as a salon owner would: by what is being asked (a concept,
// said in any of the ways staff say it), not by exact wording. Each concept is one
// pattern over the message in lower case with accents removed.
func concept(words ...string) *regexp.Regexp {
	return regexp.MustCompile(`\b(?:` + strings.Join(words, "|") + `)`)
}

var (
	enableReconnectRe = concept(`reconnect automation`, `automatic reconnect`, `daily reconnect`, `auto[- ]?reconnect`, `reconnect (?:on|off)\b`,
		`reconnect (?:run|send|go)s? (?:every|each|daily)`, `reconnect .{0,20}every day`, `automate (?:the )?reconnect`,
		`(?:turn|switch|set) (?:on|up) (?:the )?reconnect`)
	rebookPromptRe = concept(`rebook(?:ing)? (?:prompt|nudge|reminder|text|message)s?`, `next[- ]visit (?:nudge|prompt|reminder)`,
		`after (?:each|every) (?:visit|appointment)`, `post[- ]visit`, `checkout rebook`, `rebook prompt`, `after checkout`,
		`book their next (?:visit|appointment)`, `remind (?:clients|people|everyone) to rebook`)
	noShowRe = concept(`no[- ]?shows?\b`, `didn'?t (?:show|turn up|come)`, `did not (?:show|turn up|come)`, `failed to (?:show|turn up|attend)`,
		`(?:missed|skipped) (?:their |her |his |the |an? )?(?:appointments?|bookings?)`, `never (?:showed|turned up)`)
	birthdayRe = concept(`birthdays?`, `b'?days?\b`, `celebrating`)
	reviewRe   = concept(`reviews?\b`, `review us`, `rate us`, `ratings?\b`, `feedback\b`, `how (?:did|was|were) .{0,40}(?:visit|appointment|find|experience)`,
		`how it went`)
	reviewAboutClientsRe = concept(`clients?`, `customers?`, `today`, `visits?`, `them\b`, `everyone`, `people`, `google`, `this (?:morning|afternoon|evening)`)
	notReviewRe          = concept(`feedback on (?:my|our|the)`, `reviewed`, `review (?:my|our) (?:logo|website|prices|menu)`)
	inboxRe              = concept(`inbox`, `new messages`, `any messages`, `messages from (?:clients|customers)`, `repl(?:y|ies)\b`, `respond`, `answer`, `texted us`, `emailed us`, `messaged us`, `wrote (?:to )?us`,
		`waiting (?:on|for) (?:an? )?(?:answer|reply|response)`, `complain(?:t|ts|ed|ing)?`, `get back to`, `unread`)
	rescheduleRe = concept(`reschedul\w*`, `re-schedul\w*`, `move (?:her|his|their|the|my|this|that|an?) ?(?:appointment|booking|visit)`,
		`(?:appointment|booking) (?:has to|needs to|must|should) (?:move|change|be moved)`, `move (?:her|him|them|it)\b`,
		`shift (?:her|his|their|the|this|that) (?:booking|appointment)`, `another (?:time|day|slot)`, `different (?:day|time)`, `other day`,
		`can'?t make (?:it|her|his|their|the)`, `cannot make`, `push (?:back|it|her|his)`, `bring (?:it |her |his |the appointment )?forward`,
		`(?:can|could) (?:that|the|her|his|this) (?:appointment|booking) (?:go|move|be moved)`, `change (?:the|her|his|their) (?:time|appointment|booking)`,
		`wrong time`, `come in (?:on|at) (?:a|another) `, `bump\b`, `(?:come|coming) in (?:earlier|later|sooner)`, `push .{1,40} back`,
		`move .{1,40} to (?:(?:next |this )?(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|next week|later|earlier|another)`,
		`(?:appointment|booking) to (?:next|another|a different|later|earlier|(?:mon|tues|wednes|thurs|fri|satur|sun)day)`)
	storefrontRe = concept(`storefront`, `booking link`, `link to book`, `book(?:ing)? online`, `online booking`, `booking page`, `link to (?:our|the) (?:booking|online|website)`)
	filterRe     = concept(`show me`, `list (?:my|our|the|all)`, `client list`, `filter`, `which clients`, `who (?:are|is) (?:my|our|in)`, `who counts`,
		`count as`, `who(?:s| is) in`, `how many (?:clients|of my|of our)`, `open (?:the )?(?:list|clients)`)
	spotlightRe = concept(`spotlight`, `promot\w*`, `advertis\w*`, `showcase`, `feature`, `highlight`, `push (?:the|our|my)`, `market (?:the|our|my)`,
		`might like (?:the|our)`)
	dealRe    = regexp.MustCompile(`\b(?:flash deal|deals?\b|discount\w*|\d+ ?% off|special offer|promo\b|last[- ]minute offer)`)
	notDeal   = regexp.MustCompile(`\bdeal(?:ing|s)? with\b`)
	gapsRe    = concept(`gaps?\b`, `holes?\b`, `empty (?:slots?|spots?|chairs?|times?)`, `free (?:slots?|spots?|times?)`, `open (?:slots?|spots?|times?)`, `spare (?:slots?|time)`, `unbooked`, `fill (?:the |my |our |up |in )?(?:diary|book|calendar|chair|day|slots?|gaps?|holes?)`, `quiet (?:day|morning|afternoon)`)
	winBackRe = concept(`lapsed`, `win (?:them |her |him |clients |people |customers )?back`, `winback`, `win-back`, `haven'?t (?:seen|had|heard from|been|visited|come|booked)`,
		`not (?:seen|been in|visited|come in|booked)`, `since .{0,40}last (?:came|visited|been|booked|visit)`, `last came in`, `lost (?:clients|customers)`,
		`bring (?:them|clients|people|customers) back`, `reconnect with`, `gone quiet`, `stopped coming`, `(?:people|clients|customers) we(?:ve)? lost`,
		`get (?:them|people|clients) back`, `hasn'?t (?:visited|been in|come in|booked)`, `not visited`, `lost (?:a bunch of |some |many |our )?(?:clients|customers|people)`,
		`(?:seen|visited|been in) in (?:ages|a while|months)`, `havent seen`, `come-?back`)
	messageRe = concept(`get the word out`, `spread the word`, `text\b`, `txt\b`, `message`, `msg\b`, `sms\b`, `e-?mail`, `ping\b`, `contact`, `reach out`, `get in touch`, `get hold of`,
		`drop .{1,40} (?:a |an )?(?:line|message|note|text)`, `shoot .{1,40} (?:a |an )?(?:quick )?(?:message|text|note)`, `let .{1,40} know`, `tell\b`,
		`write (?:to|her|him|them)`, `send\b`, `remind`, `notify`, `note\b`, `wish(?:es)?\b`, `greetings?`, `nudge`, `welcome`)
	// A pronoun for one client: "her", "him", "that appointment", "move it". "it", "them"
	// and "they" alone are too often a thing or a group ("text everyone about it").
	pronounRe = concept(`her\b`, `him\b`, `his\b`, `she\b`, `he\b`, `that (?:client|appointment|booking)`, `this (?:client|appointment|booking)`,
		`their (?:appointment|booking)`, `(?:move|push|shift|bump|reschedule) (?:it|them)\b`)
	groupRe = concept(`everyone`, `everybody`, `all (?:of )?(?:them|our|my|the)`, `the team`, `clients\b`, `people\b`)
	// A request not to do something, and questions about something, propose no message.
	negatedRe  = regexp.MustCompile(`\b(?:dont|do not|never|hold off(?: on)?|no need to)\s+(?:\w+\s+){0,2}?(?:text|send|message|msg|email|contact|ping|remind|reschedule|move|tell|promote|offer)\b`)
	questionRe = regexp.MustCompile(`^(?:(?:can|could) you |please )?(?:explain\b|tell me (?:what|how|about|if|whether)\b|what(?:s| is| are| was| were| does)\b|how (?:many|much|does|do|is|are)\b|is there\b|are there\b|did (?:we|anyone|you)\b|have we\b|why\b|when (?:is|does|did|do)\b|whats\b)`)
	comingUpRe = concept(`coming up`, `upcoming`, `soon`, `next few days`, `over the weekend`, `this weekend`)
	weekdayRe  = regexp.MustCompile(`\b(sun|mon|tues|wednes|thurs|fri|satur)day`)
	todayRe    = concept(`today`, `tonight`, `this (?:morning|afternoon|evening)`)
	weekRe     = concept(`yesterday`, `this week`, `(?:next|last|past|coming) (?:seven|7) days`, `(?:last|past|coming|next) week`, `within a week`, `7 days`, `seven days`, `the week`)
	windowRe   = regexp.MustCompile(`\b(30|60|90|180)\s*\+?\s*(?:days?|d)\b`)
	monthsRe   = regexp.MustCompile(`\b(six|6|three|3|two|2|one|a|1)\s+months?\b|\bhalf a year\b|\ba quarter\b`)
	promoteRe  = regexp.MustCompile(`(?i)\b(?:promote|spotlight(?: on)?|push|advertise|showcase|feature|highlight)\s+(?:my\s+|our\s+|the\s+)?([a-z][a-z &'-]{2,40}?)(?:\s+(?:to|for|service|this|next)\b|[.!?,]|$)`)
	nameLikeRe = regexp.MustCompile(`\b([A-Z][a-zA-Z'’-]+(?:\s+[A-Z][a-zA-Z'’-]+)+)`)
)

// cohorts are the ways staff name each cohort, checked in this order.
var cohorts = []struct {
	cohort Cohort
	said   *regexp.Regexp
}{
	{CohortVIPs, regexp.MustCompile(`\bvips?\b|\bvery important`)},
	{CohortTopSpenders, regexp.MustCompile(`top spenders?|big(?:gest)? spenders?|top \d+ ?%|top (?:ten|10) per ?cent|highest spend|spends? the most|by spend|best spenders?`)},
	{CohortNewMonth, regexp.MustCompile(`new (?:clients|customers) this month|new this month|joined this month|first visit this month|new (?:clients|customers)|newcomers|first[- ]timers`)},
	{CohortRegulars, regexp.MustCompile(`\bregulars?\b|coming regularly|come regularly|frequent (?:clients|visitors)|loyal (?:clients|customers)`)},
	{CohortLapsed, regexp.MustCompile(`\blapsed\b`)},
}

// cohortOf reads which cohort a message names, if any.
func cohortOf(l string) Cohort {
	for _, c := range cohorts {
		if c.said.MatchString(l) {
			return c.cohort
		}
	}
	return ""
}

// windowOf reads a win-back window: "90+ days", "six months".
func windowOf(l string) int {
	if m := windowRe.FindStringSubmatch(l); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	if m := monthsRe.FindStringSubmatch(l); m != nil {
		switch m[1] {
		case "six", "6":
			return 180
		case "three", "3":
			return 90
		case "two", "2":
			return 60
		case "one", "a", "1":
			return 30
		}
		if strings.Contains(m[0], "half a year") {
			return 180
		}
		return 90 // a quarter
	}
	return 0
}

// vocabulary are the words the concepts are written with that staff mistype: a word of
// five letters or more one slip away from exactly one of them is read as it.
var vocabulary = []string{"promote", "spotlight", "advertise", "birthday", "birthdays", "reconnect", "message", "booking", "reschedule",
	"rescheduling", "flash", "feedback", "review", "reviews", "tomorrow", "lapsed", "discount", "reply", "respond", "automation",
	"clients", "regulars", "customers", "appointment", "appointments", "follow", "haven't", "havent", "visited", "storefront",
	"complaint", "welcome", "wishes", "greetings", "remind", "contact"}

// correctSlips rewrites each mistyped concept word of a folded message.
func correctSlips(l string) string {
	words := strings.Fields(l)
	changed := false
	for i, w := range words {
		trimmed := strings.Trim(w, ".,!?;:")
		if len(trimmed) < 5 {
			continue
		}
		match := ""
		for _, v := range vocabulary {
			if strings.HasPrefix(trimmed, v) { // the word itself, or a form of it ("messages")
				match = ""
				break
			}
			if oneSlip(v, trimmed) {
				if match != "" {
					match = ""
					break
				}
				match = v
			}
		}
		if match != "" {
			words[i] = strings.Replace(w, trimmed, match, 1)
			changed = true
		}
	}
	if !changed {
		return l
	}
	return strings.Join(words, " ")
}

// RouteMessage is the keyword router: it reads what a chat message asks for, without
// a language model, and the details the action needs. One message asks for one thing:
// the first concept below that it says is the action (a spotlight for the VIPs is not
// also a message to the VIPs; "any birthdays tomorrow?" is not a gap to fill). Who the
// message is about is resolved by the caller (NameIndex), not here.
func RouteMessage(text string) Intent {
	in := route(text)
	// A second request in the same message ("fill tomorrow's gaps and text the VIPs") is
	// not acted on: one card per request, and the reply says which part was left.
	for _, part := range andRe.Split(text, -1) {
		if other := route(part); len(other.Actions) == 1 && len(in.Actions) == 1 && other.Actions[0] != in.Actions[0] &&
			!(other.Actions[0] == ClientOutreach && in.Actions[0] != ClientOutreach) {
			in.Other = other.Actions[0]
			break
		}
	}
	return in
}

// andRe splits a message where a second request may start.
var andRe = regexp.MustCompile(`(?i)\s*(?:,?\s+and (?:then |also )?|;\s*|\.\s+(?:also |then |and )?|,\s*then\s+)`)

// route reads one message (or one part of it).
func route(text string) Intent {
	// A part that says not to do something is set aside: "don't text Zoe, text Henry".
	if parts := strings.Split(text, ","); len(parts) > 1 {
		var kept []string
		for _, p := range parts {
			if !negatedRe.MatchString(FoldName(p)) {
				kept = append(kept, p)
			}
		}
		if len(kept) > 0 && len(kept) < len(parts) {
			in := route(strings.Join(kept, ","))
			in.Focus = strings.TrimSpace(strings.Join(kept, ","))
			return in
		}
	}
	l := correctSlips(strings.ReplaceAll(FoldName(strings.ReplaceAll(text, "’", "'")), "  ", " "))
	// FoldName drops apostrophes; the concepts are written without them as well.
	in := Intent{Tomorrow: strings.Contains(l, "tomorrow"), Today: todayRe.MatchString(l), Week: weekRe.MatchString(l),
		WindowDays: windowOf(l), Cohort: cohortOf(l), Pronoun: pronounRe.MatchString(l) && !groupRe.MatchString(l)}
	if m := weekdayRe.FindStringSubmatch(l); m != nil {
		in.Weekday = map[string]int{"sun": 1, "mon": 2, "tues": 3, "wednes": 4, "thurs": 5, "fri": 6, "satur": 7}[m[1]]
	}
	if m := nameLikeRe.FindStringSubmatch(text); m != nil {
		in.ClientQuery = m[1]
	}
	if negatedRe.MatchString(l) {
		return in // "don't send anything to the VIPs yet": nothing to propose
	}
	question := questionRe.MatchString(l)
	deal := dealRe.MatchString(l) && !notDeal.MatchString(l)
	action := ActionID("")
	switch {
	case enableReconnectRe.MatchString(l):
		action = EnableReconnect
	case noShowRe.MatchString(l):
		action = NoShowFollowup
	case birthdayRe.MatchString(l):
		action = BirthdayOutreach
	case rebookPromptRe.MatchString(l):
		action = RebookPrompt
	case reviewRe.MatchString(l) && reviewAboutClientsRe.MatchString(l) && !notReviewRe.MatchString(l):
		action = ReviewRequest
	case filterRe.MatchString(l) && in.Cohort != "":
		action = FilterClients
	case filterRe.MatchString(l) && winBackRe.MatchString(l):
		action, in.Cohort = FilterClients, CohortLapsed
	case rescheduleRe.MatchString(l):
		action = Reschedule
	case inboxRe.MatchString(l):
		action = InboxReply
	case storefrontRe.MatchString(l):
		action = StorefrontLink
	case deal:
		action = FlashDeal
	case spotlightRe.MatchString(l) && !gapsRe.MatchString(l):
		action = ServiceSpotlight
		if m := promoteRe.FindStringSubmatch(l); m != nil {
			in.Service = strings.TrimSpace(m[1])
		}
	case winBackRe.MatchString(l) || in.Cohort == CohortLapsed:
		action = WinBack
	case in.Cohort != "" && messageRe.MatchString(l):
		action = CohortOutreach
	case gapsRe.MatchString(l):
		action = GapFill // a deal was not asked for: offer the slot to the best-ranked clients
	case messageRe.MatchString(l):
		action = ClientOutreach
	}
	// A question about something ("how many VIPs do we have?", "can you explain what a
	// win-back is?") proposes no message: at most the list or the settings page it asks about.
	if question {
		switch action {
		case FilterClients, EnableReconnect, RebookPrompt, InboxReply:
		case CohortOutreach, WinBack:
			if howManyRe.MatchString(l) {
				action = FilterClients
				if in.Cohort == "" {
					in.Cohort = CohortLapsed
				}
			} else {
				action = ""
			}
		default:
			action = ""
		}
	}
	// Birthdays have two windows: today, and this week (which holds tomorrow and the days
	// "coming up").
	if action == BirthdayOutreach && (in.Tomorrow || comingUpRe.MatchString(l)) && !in.Today {
		in.Week = true
	}
	if action != "" {
		in.Actions = []ActionID{action}
	}
	return in
}

var howManyRe = regexp.MustCompile(`\bhow many\b`)
