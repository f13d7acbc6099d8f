package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"

	"concierge/salon"
	"concierge/store"
)

// Incomplete Bookings: drafts abandoned at Review, their reminders and resume links.

// DefaultIncompleteTemplate is the built-in reminder text.
const DefaultIncompleteTemplate = "Hi {{FirstName}}, you were nearly booked for {{ServiceName}} at {{BusinessName}}. " +
	"Pick up where you left off: {{ResumeBookingLink}}"

func (s *Service) resumeSig(slug string, draftID, expires int64) string {
	m := hmac.New(sha256.New, s.LinkKey)
	fmt.Fprintf(m, "resume|%s|%d|%d", slug, draftID, expires)
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// ResumeLink is a draft's signed link back to Review; it expires with the draft.
func (s *Service) ResumeLink(v salon.Venue, d store.Draft) string {
	link, _ := s.resumeLink(v, d)
	return link
}

// resumeLink also returns the link's signature: the link signs its holder in as the
// client, so staff reading the sent message see it masked.
func (s *Service) resumeLink(v salon.Venue, d store.Draft) (link, sig string) {
	exp := d.LastEngagedAt.Add(store.DraftLifetime).Unix()
	sig = s.resumeSig(v.Slug, d.ID, exp)
	q := url.Values{"d": {fmt.Sprint(d.ID)}, "e": {fmt.Sprint(exp)}, "s": {sig}}
	return strings.TrimRight(s.publicURL(), "/") + "/book/" + v.Slug + "/resume?" + q.Encode(), sig
}

// ValidResume checks a resume link's signature and expiry.
func (s *Service) ValidResume(v salon.Venue, draftID, expires int64, sig string) bool {
	return hmac.Equal([]byte(sig), []byte(s.resumeSig(v.Slug, draftID, expires))) && s.Store.Now().Unix() < expires
}

// ProcessDrafts is the drafts worker: drafts whose 10 minutes ran out become incomplete
// (one in-app notification each, and the automatic reminder when the venue has it on),
// and drafts 24 hours past the client's last engagement expire.
func (s *Service) ProcessDrafts(ctx context.Context) error {
	abandoned, err := s.Store.MarkAbandoned(ctx)
	if err != nil {
		return err
	}
	for _, d := range abandoned {
		v, err := s.Store.Venue(ctx, d.VenueID)
		if err != nil {
			return err
		}
		names, err := s.serviceNames(ctx, v.ID, d.ServiceIDs)
		if err != nil {
			return err
		}
		s.Notify(ctx, v.ID, 0, salon.NoticeIncompleteBooking, fmt.Sprintf("%s started booking %s for %s and did not finish.", d.ClientName,
			strings.Join(names, ", "), d.Start.In(v.Location()).Format("Mon 2 Jan, 15:04")), fmt.Sprintf("/app/%s/calendar?panel=incomplete", v.Slug))
		rs, err := s.Store.IncompleteReminderSettings(ctx, v.ID)
		if err != nil {
			return err
		}
		if !rs.SMS && !rs.Email {
			continue
		}
		if ok, err := s.Store.ClaimReminder(ctx, v.ID, d.ID); err != nil || !ok {
			if err != nil {
				return err
			}
			continue
		}
		used, why := s.sendReminder(ctx, v, d, rs, false)
		if len(used) > 0 {
			why = ""
		}
		if err := s.Store.RecordReminder(ctx, v.ID, d.ID, used, why); err != nil {
			return err
		}
	}
	_, err = s.Store.ExpireDrafts(ctx)
	return err
}

// SendReminder sends an incomplete booking's reminder by hand (Send reminder / Send
// again): it goes whatever the automation toggle, on every channel the client can be
// reached on. It returns the channels used, or why none ("Sofia has muted SMS and
// email").
func (s *Service) SendReminder(ctx context.Context, v salon.Venue, draftID int64) (used []salon.Channel, why string, err error) {
	d, err := s.Store.Draft(ctx, v.ID, draftID)
	if err != nil {
		return nil, "", err
	}
	rs, err := s.Store.IncompleteReminderSettings(ctx, v.ID)
	if err != nil {
		return nil, "", err
	}
	used, why = s.sendReminder(ctx, v, d, rs, true)
	if len(used) > 0 {
		err = s.Store.RecordReminder(ctx, v.ID, d.ID, used, "")
	}
	return used, why, err
}

// ReminderReach is where an incomplete booking's reminder can go: the channels asked
// for (by hand: every channel the venue sends on; automatic: the venue's reminder
// toggles) that the client can be reached on, and, for the others, why not.
func ReminderReach(v salon.Venue, c salon.Client, rs store.IncompleteReminder, byHand bool) (ok []salon.Channel, why string) {
	var not []salon.ChannelReason
	for _, ch := range []salon.Channel{salon.SMS, salon.Email} {
		wanted := byHand || (ch == salon.SMS && rs.SMS) || (ch == salon.Email && rs.Email)
		if !wanted || v.Reach(c, ch, salon.PurposeIncompleteBooking) == salon.UnreachableCountry {
			continue // an email-only venue has no SMS reminder to speak of
		}
		if u := v.Reach(c, ch, salon.PurposeIncompleteBooking); u != salon.Reachable {
			not = append(not, salon.ChannelReason{Channel: ch, Why: u})
			continue
		}
		ok = append(ok, ch)
	}
	return ok, salon.WhyUnreachable(c.FirstName, not)
}

// sendReminder sends on the venue's reminder channels (every channel when byHand) that
// the client can be reached on, and says why none when it sent nothing.
func (s *Service) sendReminder(ctx context.Context, v salon.Venue, d store.Draft, rs store.IncompleteReminder, byHand bool) ([]salon.Channel, string) {
	c, err := s.Store.Client(ctx, v.ID, d.ClientID)
	if err != nil {
		return nil, "The client could not be found."
	}
	if s.publicURL() == "" {
		// The reminder is its link back to Review: without a public address it would not open.
		return nil, "no public address is set, so its link would not open on the client's phone (Settings → Venue → Public address)"
	}
	names, _ := s.serviceNames(ctx, v.ID, d.ServiceIDs)
	link, sig := s.resumeLink(v, d)
	body := MergeFields(orDefault(rs.Template, DefaultIncompleteTemplate), map[string]string{"FirstName": c.FirstName,
		"ServiceName": strings.Join(names, " and "), "BusinessName": v.Name, "ResumeBookingLink": link})
	channels, why := ReminderReach(v, c, rs, byHand)
	var used []salon.Channel
	var failed []string
	for _, ch := range channels {
		if _, err := s.Dispatch.SendSecretToClient(ctx, v.ID, c, ch, salon.PurposeIncompleteBooking, "Finish your booking at "+v.Name, body, sig); err != nil {
			s.logger().Warn("incomplete booking reminder failed", "client_id", c.ID, "channel", ch, "err", err)
			failed = append(failed, salon.ChannelName(ch)+" failed: "+errMessage(err))
			continue
		}
		used = append(used, ch)
	}
	if len(failed) > 0 {
		why = strings.TrimPrefix(why+"; "+strings.Join(failed, "; "), "; ")
	}
	if why == "" && len(used) == 0 {
		why = "no reminder channel is switched on"
	}
	return used, why
}

func (s *Service) serviceNames(ctx context.Context, venueID int64, ids []int64) ([]string, error) {
	all, err := s.Store.Services(ctx, venueID, true)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, id := range ids {
		for _, sv := range all {
			if sv.ID == id {
				out = append(out, sv.Name)
			}
		}
	}
	return out, nil
}
