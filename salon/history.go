package salon

import (
	"fmt"
	"time"
)

// OutcomeWindow is how long after a batch message a reply or a booking from its
// recipient counts as that send's outcome: 7 days, as for backfill recovery.
const OutcomeWindow = 7 * 24 * time.Hour

// ActionEventVerb is how an action's history names one recorded event, as the verb of
// a sentence whose subject is the person who did it ("Olive approved"). Unknown events
// read as themselves so a new event never shows blank.
func ActionEventVerb(event string) string {
	switch event {
	case "suggest":
		return "suggested"
	case "draft":
		return "drafted"
	case "edit":
		return "edited"
	case "refine":
		return "refined"
	case "discard":
		return "discarded"
	case "queue":
		return "queued"
	case "send":
		return "started sending"
	case "approve":
		return "approved"
	case "reject":
		return "rejected"
	case "schedule":
		return "scheduled"
	case "cancel":
		return "cancelled"
	case "fire":
		return "started sending"
	case "expire":
		return "expired"
	case "failure":
		return "failed"
	case "success":
		return "done"
	}
	return event
}

// ActionEventSentence is one event of an action's history as a short sentence: "Mia
// Chen queued", "Olive approved", "sent to 267". Events the system records
// (expiry, the end of a send) have no person; a finished send says how many it reached.
func ActionEventSentence(who, event string, sentTo int) string {
	if event == "success" && sentTo > 0 {
		return fmt.Sprintf("sent to %d", sentTo)
	}
	verb := ActionEventVerb(event)
	if who == "" || who == "System" || event == "expire" || event == "success" || event == "failure" {
		return verb
	}
	return who + " " + verb
}
