package app

import (
	"context"
	"fmt"
	"strings"

	"concierge/salon"
)

// Fallback drafts, used without a language model (or with no Sparks left). British
// English, friendly, not pushy; drafts keep {{FirstName}} and the other merge fields
// (salon/mergefields.go) for the send to fill in per client. A windowed card (birthdays,
// no-shows) is worded for its window: "today" is never said to a week's audience.
func templateDraft(kind salon.ActionID, d draftData) (title, body string) {
	switch kind {
	case salon.FlashDeal:
		return "Flash deal: " + d.Slot, fmt.Sprintf("Last-minute opening at %s: %s with %s, %s, %d%% off. Grab it here: {{DealLink}}",
			d.Venue, d.Service, d.Staff, d.Slot, d.Discount)
	case salon.GapFill:
		return "Offer " + d.Slot, fmt.Sprintf("Hi {{FirstName}}, great news! An opening has come up at %s on %s. Would you like to book? Reply YES to confirm.",
			d.Venue, d.Slot)
	case salon.ServiceSpotlight:
		return "Spotlight: " + d.Service, fmt.Sprintf("Hi {{FirstName}}, we'd love to treat you to our %s at %s. Book your spot here: %s",
			d.Service, d.Venue, d.Link)
	case salon.WinBack:
		return "Win back lapsed clients", fmt.Sprintf("Hi {{FirstName}}, it's been a while and we'd love to see you back at %s. Book your next visit here: %s",
			d.Venue, d.Link)
	case salon.ClientOutreach:
		return "Message " + d.Client, fmt.Sprintf("Hi %s, it's %s from %s. We'd love to see you again soon. You can book here: %s",
			d.ClientFirst, d.Sender, d.Venue, d.Link)
	case salon.CohortOutreach:
		return "Message your " + d.Cohort, fmt.Sprintf("Hi {{FirstName}}, thank you for being one of our %s at %s! We'd love to see you soon: %s",
			d.Cohort, d.Venue, d.Link)
	case salon.BirthdayOutreach:
		if d.Week {
			return "Birthday wishes for this week", fmt.Sprintf("Hi {{FirstName}}, happy birthday for this week from everyone at %s! We hope it's a wonderful one.", d.Venue)
		}
		return "Birthday wishes", fmt.Sprintf("Happy birthday {{FirstName}}! Everyone at %s wishes you a wonderful day.", d.Venue)
	case salon.StorefrontLink:
		return "Share your booking link with " + d.Client, fmt.Sprintf("Hi {{FirstName}}, you can book with %s any time here: %s", d.Venue, d.Link)
	case salon.Reschedule:
		return "Reschedule " + d.Client, fmt.Sprintf("Hi %s, your appointment at %s has moved to {{Date}} with {{StaffName}}. Just reply if that doesn't suit.",
			d.ClientFirst, d.Venue)
	case salon.ReviewRequest:
		// The built-in text, with {{FirstName}} and {{ReviewLink}} filled at send time: a venue
		// without a review link is asked for one on the card instead of sending a hole.
		return "Ask today's clients for a review", fmt.Sprintf("Hi {{FirstName}}, thank you for visiting %s today! We'd love to hear how your experience was. You can leave us a review here: {{ReviewLink}}",
			d.Venue)
	case salon.NoShowFollowup:
		if d.Week {
			return "Follow up this week's no-shows", fmt.Sprintf("Hi {{FirstName}}, we missed you at %s on {{Date}}! We hope everything is okay. If you'd like to rebook, we'd love to see you soon.", d.Venue)
		}
		return "Follow up no-shows", fmt.Sprintf("Hi {{FirstName}}, we missed you at %s today! We hope everything is okay. If you'd like to rebook, we'd love to see you soon.", d.Venue)
	case salon.InboxReply:
		return "Reply to " + d.Client, fmt.Sprintf("Hi %s, thanks for your message! We'll take care of that for you. %s", d.ClientFirst, d.Sender)
	}
	return "", ""
}

// emailSubject is the subject an email draft starts with.
func emailSubject(kind salon.ActionID, venue string) string {
	switch kind {
	case salon.WinBack:
		return "We'd love to see you back at " + venue
	case salon.ReviewRequest:
		return "How was your visit to " + venue + "?"
	case salon.BirthdayOutreach:
		return "Happy birthday from " + venue
	case salon.NoShowFollowup:
		return "We missed you at " + venue
	case salon.InboxReply:
		return "Re: your message to " + venue
	case salon.Reschedule:
		return "Your appointment at " + venue + " has moved"
	}
	return "News from " + venue
}

// draftData is what drafts are written from.
type draftData struct {
	Venue, Link, ReviewLink string
	Sender                  string // the staff member writing
	Client, ClientFirst     string
	Cohort                  string
	Service, Staff, Slot    string
	Discount                int
	Question                string // inbox: the client's last message
	Week                    bool   // birthdays this week, no-shows of the last 7 days
}

// MergeFields fills the merge fields it has values for (by either spelling, see
// salon.CanonicalField) and leaves the others as written.
func MergeFields(body string, fields map[string]string) string {
	return salon.FillKnownMergeFields(body, fields)
}

// GapOfferDraft rewrites a gap offer with the model when one is configured (1 Spark),
// keeping {{FirstName}} and the YES instruction; otherwise, or when the model's text does not
// hold, the template stands.
func (s *Service) GapOfferDraft(ctx context.Context, v salon.Venue, template string) string {
	prompt := fmt.Sprintf("A gap has opened in %s's diary and a few regular clients are being offered it by text. "+
		"Rewrite this offer in your own words; it must still ask the client to reply YES to book: %s", v.Name, template)
	if body, ok := s.modelText(ctx, v.ID, v.Channel(), prompt, template); ok && strings.Contains(body, "YES") {
		return body
	}
	return template
}
