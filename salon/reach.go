package salon

import (
	"fmt"
	"regexp"
	"strings"
)

// Unreachable says why a client cannot be sent a message on a channel ("" = they can).
// The values double as the audience preview's exclusion keys, so the SQL filters in the
// store name the same reasons in the same order.
type Unreachable string

// The reasons, in the order they are checked: the first that applies is the one given.
const (
	Reachable          Unreachable = ""
	UnreachableOptOut  Unreachable = "opted_out"  // opted out of the channel (STOP, or the client's record)
	UnreachableBlocked Unreachable = "blocked"    // the venue blocked the client: nothing goes to them
	UnreachableNoAddr  Unreachable = "no_contact" // no mobile number / email address on file
	UnreachableMuted   Unreachable = "muted"      // notifications turned off for the channel
	// UnreachableCountry: the venue's country sends no SMS (New Zealand venues are
	// email-only), whoever the client is.
	UnreachableCountry Unreachable = "email_only_venue"
)

// mutable reports whether a purpose is a notification the client's notification
// preferences govern: what we tell them of our own accord about their bookings
// (reminders, reschedule notices). Marketing is governed by the opt-outs; answers to
// something the client just did (their text, their booking or YES, a sign-in code,
// their STOP) are not notifications.
func (p Purpose) mutable() bool {
	switch p {
	case PurposeInboxReply, PurposeOTP, PurposeOptOutConfirm, PurposeBookingConfirm, PurposeInbound:
		return false
	}
	return !p.IsMarketing()
}

// Reach is the client's part of the rule for who can be reached on which channel with
// a message of a purpose (every send asks Venue.Reach, which puts the venue's country
// first):
//   - opted out of the channel: never (except the confirmation of that opt-out);
//   - blocked: never;
//   - no address for the channel: never;
//   - notifications for the channel turned off ("muted"): no notifications on it
//     (reminders, reschedule notices), while answers to what the client just did
//     (a reply to their message, their booking confirmation, a sign-in code) still go,
//     and marketing is decided by the opt-outs alone.
func (c Client) Reach(ch Channel, p Purpose) Unreachable {
	optedOut := (ch == SMS && c.SMSOptOut) || (ch == Email && c.EmailOptOut)
	switch {
	case optedOut && p != PurposeOptOutConfirm:
		return UnreachableOptOut
	case c.Blocked:
		return UnreachableBlocked
	case (ch == SMS && c.Phone == "") || (ch == Email && c.Email == ""):
		return UnreachableNoAddr
	case p.mutable() && ((ch == SMS && !c.NotifySMS) || (ch == Email && !c.NotifyEmail)):
		return UnreachableMuted
	}
	return Reachable
}

// Reach is the whole rule for a client of this venue: the venue's country first (an
// email-only venue sends no SMS to anyone, not even a sign-in code), then the client's
// own rule (Client.Reach). Every send asks this.
func (v Venue) Reach(c Client, ch Channel, p Purpose) Unreachable {
	if ch == SMS && !v.Country.SendsSMS() {
		return UnreachableCountry
	}
	return c.Reach(ch, p)
}

// ChannelName is how a channel is named in a sentence: "SMS" or "email".
func ChannelName(ch Channel) string {
	if ch == SMS {
		return "SMS"
	}
	return "email"
}

// phrase completes "Sofia …" for one reason on one or more channels.
func (u Unreachable) phrase(chs []Channel) string {
	names := make([]string, len(chs))
	for i, ch := range chs {
		names[i] = ChannelName(ch)
	}
	list := strings.Join(names, " and ")
	switch u {
	case UnreachableOptOut:
		return "has opted out of " + list
	case UnreachableBlocked:
		return "is blocked"
	case UnreachableMuted:
		return "has muted " + list
	case UnreachableCountry:
		return "cannot get " + list + " from an email-only venue"
	case UnreachableNoAddr:
		var what []string
		for _, ch := range chs {
			if ch == SMS {
				what = append(what, "mobile number")
			} else {
				what = append(what, "email address")
			}
		}
		return "has no " + strings.Join(what, " or ") + " on file"
	}
	return ""
}

// ChannelReason is one channel a client cannot be reached on, and why.
type ChannelReason struct {
	Channel Channel
	Why     Unreachable
}

// WhyUnreachable says in one sentence why a client cannot be reached on the channels
// given, the channels sharing a reason named together: "Sofia has muted SMS and
// email", "Sofia has opted out of SMS and has no email address on file".
func WhyUnreachable(firstName string, reasons []ChannelReason) string {
	var order []Unreachable
	by := map[Unreachable][]Channel{}
	for _, r := range reasons {
		if r.Why == Reachable {
			continue
		}
		if _, seen := by[r.Why]; !seen {
			order = append(order, r.Why)
		}
		by[r.Why] = append(by[r.Why], r.Channel)
	}
	if len(order) == 0 {
		return ""
	}
	parts := make([]string, 0, len(order))
	for _, u := range order {
		if u == UnreachableBlocked {
			return firstName + " is blocked" // says it all
		}
		parts = append(parts, u.phrase(by[u]))
	}
	return firstName + " " + strings.Join(parts, " and ")
}

// mergeFieldRe finds a merge field left in a message: {{name}}, {{ReviewLink}}.
var mergeFieldRe = regexp.MustCompile(`\{\{\s*([A-Za-z_]+)\s*\}\}`)

// MergeFieldsLeft lists the merge fields still in a text, in order, once each.
func MergeFieldsLeft(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range mergeFieldRe.FindAllStringSubmatch(text, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

// CheckOutbound is what every message must satisfy before it is queued, after its
// merge fields are filled: some text; for email a subject; no merge field left
// unfilled (a field with no value leaves a hole such as "review here: "); and no
// sentence that ends in a colon with nothing after it, the mark of a link that was
// empty. It returns field errors keyed "subject" and "body" (nil when fine).
func CheckOutbound(ch Channel, subject, body string) map[string]string {
	errs := map[string]string{}
	body = strings.TrimSpace(body)
	switch left := MergeFieldsLeft(body); {
	case body == "":
		errs["body"] = "The message is empty."
	case len(left) > 0:
		errs["body"] = fmt.Sprintf("The message still has {{%s}} in it, which has nothing to fill it; remove it or fill it in.", left[0])
	case strings.HasSuffix(body, ":"):
		errs["body"] = "The message ends with \":\" and nothing after it: a link or detail is missing."
	}
	if ch == Email {
		switch subject = strings.TrimSpace(subject); {
		case subject == "":
			errs["subject"] = "An email needs a subject."
		case len(MergeFieldsLeft(subject)) > 0:
			errs["subject"] = fmt.Sprintf("The subject still has {{%s}} in it, which has nothing to fill it.", MergeFieldsLeft(subject)[0])
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// FillMergeFields fills a text's merge fields from values and lists those it used that
// have no value (unknown, or empty: a venue with no review link, a client with no
// category due), once each in order. Those are filled with nothing, so a caller that
// ignores the list would send a hole such as "leave us a review here: ".
func FillMergeFields(text string, values map[string]string) (string, []string) {
	var empty []string
	seen := map[string]bool{}
	out := mergeFieldRe.ReplaceAllStringFunc(text, func(m string) string {
		name := mergeFieldRe.FindStringSubmatch(m)[1]
		v, ok := values[name]
		if !ok {
			v = values[CanonicalField(name)]
		}
		v = strings.TrimSpace(v)
		if v == "" && !seen[name] {
			seen[name] = true
			empty = append(empty, name)
		}
		return v
	})
	return out, empty
}

// CheckWebLink checks a link the venue gives out (review link, storefront): a full
// http(s) address. It returns the message to show beside the field, or "".
func CheckWebLink(link string) string {
	link = strings.TrimSpace(link)
	if (!strings.HasPrefix(link, "https://") && !strings.HasPrefix(link, "http://")) || strings.ContainsAny(link, " \t\r\n") ||
		len(link) <= len("https://") || len(link) > 500 {
		return "Use a full link starting with https://."
	}
	return ""
}

// The inbox conversation statuses.
const (
	ThreadUnread    = "unread"
	ThreadOpen      = "open"
	ThreadEscalated = "escalated"
	ThreadClosed    = "closed"
)

// HoldsMarketing reports whether a client's inbox conversation in this status ("" = no
// conversation) holds back marketing to them: while a thread is not closed (they wrote
// and are waiting, or a complaint is being handled) no campaign, win-back or nudge goes
// to them. The store's audience SQL expresses the same rule (status <> 'closed').
func HoldsMarketing(threadStatus string) bool {
	return threadStatus != "" && threadStatus != ThreadClosed
}

// CheckTemplate checks a venue's saved message template against the merge fields its
// send fills: a field it does not fill would go out empty, and so would a template that
// ends in ":". It returns the message to show beside the field, or "" (an empty
// template means the built-in one).
func CheckTemplate(text string, fields ...string) string {
	known := map[string]bool{}
	for _, f := range fields {
		known[f] = true
	}
	for _, f := range MergeFieldsLeft(text) {
		if !known[f] && !known[CanonicalField(f)] {
			return fmt.Sprintf("{{%s}} is not filled in by this message; use %s.", f, "{{"+strings.Join(fields, "}}, {{")+"}}")
		}
	}
	if strings.HasSuffix(strings.TrimSpace(text), ":") {
		return "The message ends with \":\" and nothing after it."
	}
	return ""
}
