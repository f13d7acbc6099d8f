package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"concierge/salon"
	"concierge/store"
)

// Edits is the draft as the person last left it on the card.
type Edits struct {
	Title, Subject, Body, Notes string
	Choice                      int    // reschedule: which proposed slot
	HoldConfirmed               bool   // the hold-to-confirm gesture completed (needed for 50+ recipients)
	ReviewLink                  string // the venue's review link, typed on a card that needs it
	// OfferClients, when the card's ticks were posted, are the gap offer's clients.
	OfferClients    []int64
	OfferClientsSet bool
}

// HoldThreshold is the recipient count from which Send needs the hold gesture.
const HoldThreshold = 50

// ownAction loads an action of the venue that the person may act on as its creator.
func (s *Service) ownAction(ctx context.Context, w Who, id int64) (salon.ConciergeAction, error) {
	a, err := s.Store.Action(ctx, w.Venue.ID, id)
	if err != nil {
		return a, err
	}
	if a.CreatedBy != w.User.ID {
		return a, salon.ErrNotFound // another person's chat card is not theirs to touch
	}
	return a, nil
}

// validateDraft checks a draft before it is saved or sent.
func validateDraft(a salon.ConciergeAction, e Edits) error {
	act, _ := salon.LookupAction(a.Kind)
	if act.Tier == salon.Navigate {
		return nil
	}
	body := strings.TrimSpace(e.Body)
	errs := map[string]string{}
	switch {
	case body == "":
		errs["body"] = "The message is empty."
	case a.Channel == salon.SMS && salon.OverSMSLimit(body):
		errs["body"] = fmt.Sprintf("Texts are kept to %d characters; this one has %d.", salon.SMSDraftLimit, len([]rune(body)))
	case len(body) > 5000:
		errs["body"] = "The message is too long."
	}
	if len(e.Notes) > 2000 {
		errs["notes"] = "Notes are too long."
	}
	if a.Channel == salon.Email && strings.TrimSpace(e.Subject) == "" {
		errs["subject"] = "An email needs a subject."
	}
	if len(errs) > 0 {
		return salon.Invalid(errs)
	}
	return nil
}

// SaveDraft stores a hand edit of the creator's open draft.
func (s *Service) SaveDraft(ctx context.Context, w Who, id int64, e Edits) (salon.ConciergeAction, error) {
	a, err := s.ownAction(ctx, w, id)
	if err != nil {
		return a, err
	}
	if err := validateDraft(a, e); err != nil {
		return a, err
	}
	return s.Store.EditDraft(ctx, w.Venue.ID, id, w.User.ID, strings.TrimSpace(e.Title), strings.TrimSpace(e.Subject), strings.TrimSpace(e.Body), strings.TrimSpace(e.Notes))
}

// Refine rewrites the draft from an instruction, at most 3 times. Without a language
// model it applies the instructions it understands ("shorter", "more formal",
// "warmer") by rule.
func (s *Service) Refine(ctx context.Context, w Who, id int64, instruction string) (salon.ConciergeAction, error) {
	a, err := s.ownAction(ctx, w, id)
	if err != nil {
		return a, err
	}
	if a.Refines >= salon.MaxRefines {
		return a, salon.ErrRefineLimit
	}
	instruction = strings.TrimSpace(instruction)
	if instruction == "" || len(instruction) > 300 {
		return a, salon.Invalid(map[string]string{"instruction": "Say how to change the draft, e.g. \"make it shorter\"."})
	}
	prompt := fmt.Sprintf("Rewrite this draft following the instruction %q. Draft: %s", instruction, a.Body)
	if body, ok := s.modelText(ctx, w.Venue.ID, a.Channel, prompt, a.Body); ok {
		return s.Store.Refine(ctx, w.Venue.ID, id, w.User.ID, body)
	}
	body, ok, err := ruleRefine(a.Body, instruction)
	if !ok {
		return a, salon.Invalid(map[string]string{"instruction": "Without a language model I can make a draft shorter, more formal or warmer. Edit it by hand for anything else."})
	}
	if err != nil {
		return a, err
	}
	return s.Store.Refine(ctx, w.Venue.ID, id, w.User.ID, body)
}

// Discard closes the creator's draft.
func (s *Service) Discard(ctx context.Context, w Who, id int64) (salon.ConciergeAction, error) {
	if _, err := s.ownAction(ctx, w, id); err != nil {
		return salon.ConciergeAction{}, err
	}
	return s.Store.Discard(ctx, w.Venue.ID, id, w.User.ID)
}

// permission re-checks the role rule at Send time (the target decides "own").
func (s *Service) permission(ctx context.Context, w Who, a salon.ConciergeAction) (salon.Permission, error) {
	own := false
	switch {
	case a.Kind == salon.Reschedule && a.BookingID != 0:
		b, err := s.Store.Booking(ctx, w.Venue.ID, a.BookingID)
		if err != nil {
			return salon.Permission{}, err
		}
		own = b.StaffID == w.Member.StaffID
	case a.ClientID != 0:
		var err error
		if own, err = s.Store.OwnClient(ctx, w.Venue.ID, a.ClientID, w.Member.StaffID); err != nil {
			return salon.Permission{}, err
		}
	}
	return salon.Decide(a.Kind, w.Member.Role, own, w.Venue.Solo), nil
}

// Send saves the final edit and either executes the action or queues it for approval.
func (s *Service) Send(ctx context.Context, w Who, id int64, e Edits) (salon.ConciergeAction, error) {
	a, err := s.ownAction(ctx, w, id)
	if err != nil {
		return a, err
	}
	if a.Status != salon.StatusDrafted {
		if a.Status == salon.StatusExpired || a.Expired(s.Store.Now()) {
			return a, salon.ErrActionExpired
		}
		return a, salon.ErrActionClosed
	}
	if a, err = s.SaveDraft(ctx, w, id, e); err != nil {
		return a, err
	}
	if a.Kind == salon.GapFill && e.OfferClientsSet {
		if a, err = s.TickOffered(ctx, w, id, e.OfferClients); err != nil {
			return a, err
		}
	}
	if err := s.takeReviewLink(ctx, &w, e); err != nil {
		return a, err
	}
	if err := s.checkOutgoing(w.Venue, a); err != nil {
		return a, err
	}
	if a.Kind == salon.Reschedule {
		p := a.Params
		p.Choice = e.Choice
		if p.Choice < 0 || p.Choice >= len(p.Slots) {
			return a, salon.Invalid(map[string]string{"choice": "Choose one of the proposed slots."})
		}
		if a, err = s.Store.SetActionParams(ctx, w.Venue.ID, id, w.User.ID, p, a.Audience, a.CostE4); err != nil {
			return a, err
		}
	}
	// live is the audience counted now: the count and cost the hold threshold and
	// wallet check go by, and the proof someone can be sent to (counted once per Send).
	var live *store.Audience
	if act, _ := salon.LookupAction(a.Kind); act.Batch {
		var aud store.Audience
		if a, aud, err = s.recount(ctx, w, a, nil); err != nil {
			return a, err
		}
		live = &aud
	}
	perm, err := s.permission(ctx, w, a)
	if err != nil {
		return a, err
	}
	if !perm.Allowed {
		return a, &salon.Error{Code: salon.CodeForbidden, Message: perm.Reason}
	}
	if perm.NeedsApproval {
		// Nothing goes to the approver that could not be sent as it stands.
		if err := s.someoneToSendCounted(ctx, w.Venue, a, live); err != nil {
			return a, err
		}
		q, err := s.Store.Queue(ctx, w.Venue.ID, id, w.User.ID, a.Audience, a.CostE4)
		if err != nil {
			return q, err
		}
		s.Notify(ctx, w.Venue.ID, 0, salon.NoticeActionPending, fmt.Sprintf("%s asks for approval: %s", w.User.Name, q.Title),
			fmt.Sprintf("/app/%s/concierge/pending", w.Venue.Slug))
		return q, nil
	}
	return s.execute(ctx, w, a, e.HoldConfirmed, live)
}

// approverAction loads an action that this person may approve or reject: an Owner
// or Manager who did not create it.
func (s *Service) approverAction(ctx context.Context, w Who, id int64) (salon.ConciergeAction, error) {
	a, err := s.Store.Action(ctx, w.Venue.ID, id)
	if err != nil {
		return a, err
	}
	if ok, why := salon.CanApprove(w.Member.Role, w.User.ID, a.CreatedBy); !ok {
		return a, &salon.Error{Code: salon.CodeForbidden, Message: why}
	}
	return a, nil
}

// Approve approves someone else's pending action and executes it.
func (s *Service) Approve(ctx context.Context, w Who, id int64, e Edits) (salon.ConciergeAction, error) {
	a, err := s.approverAction(ctx, w, id)
	if err != nil {
		return a, err
	}
	if a.Status == salon.StatusPending && (e.Body != "" || e.Title != "") {
		if err := validateDraft(a, e); err != nil {
			return a, err
		}
		if a, err = s.Store.EditDraft(ctx, w.Venue.ID, id, w.User.ID, strings.TrimSpace(e.Title), strings.TrimSpace(e.Subject),
			strings.TrimSpace(e.Body), strings.TrimSpace(e.Notes)); err != nil {
			return a, err
		}
	}
	if err := s.takeReviewLink(ctx, &w, e); err != nil {
		return a, err
	}
	if err := s.sendable(ctx, w, a, e.HoldConfirmed, nil); err != nil {
		return a, err
	}
	if a, err = s.Store.Approve(ctx, w.Venue.ID, id, w.User.ID); err != nil {
		return a, err
	}
	s.Notify(ctx, w.Venue.ID, a.CreatedBy, "action_approved", fmt.Sprintf("%s approved: %s", w.User.Name, a.Title),
		fmt.Sprintf("/app/%s/concierge/actions/%d", w.Venue.Slug, a.ID))
	return s.execute(ctx, w, a, e.HoldConfirmed, nil)
}

// Reject rejects someone else's pending action, telling its creator why.
func (s *Service) Reject(ctx context.Context, w Who, id int64, reason string) (salon.ConciergeAction, error) {
	a, err := s.approverAction(ctx, w, id)
	if err != nil {
		return a, err
	}
	if len(reason) > 500 {
		return a, salon.Invalid(map[string]string{"reason": "Keep the reason under 500 characters."})
	}
	if a, err = s.Store.Reject(ctx, w.Venue.ID, id, w.User.ID, reason); err != nil {
		return a, err
	}
	msg := fmt.Sprintf("%s rejected: %s", w.User.Name, a.Title)
	if a.RejectReason != "" {
		msg += " — " + a.RejectReason
	}
	s.Notify(ctx, w.Venue.ID, a.CreatedBy, "action_rejected", msg, fmt.Sprintf("/app/%s/concierge/actions/%d", w.Venue.Slug, a.ID))
	return a, nil
}

// Go opens a navigate card's page and records it as executed.
func (s *Service) Go(ctx context.Context, w Who, id int64) (string, error) {
	a, err := s.ownAction(ctx, w, id)
	if err != nil {
		return "", err
	}
	dest := s.navigateURL(w.Venue, a)
	if dest == "" {
		return "", salon.ErrNotFound
	}
	if a.Status == salon.StatusExecuted {
		return dest, nil
	}
	if _, err := s.Store.ClaimExecution(ctx, w.Venue.ID, id, w.User.ID); err != nil {
		return dest, nil // opened before: the page is still the answer
	}
	if _, err := s.Store.FinishExecution(ctx, w.Venue.ID, id, w.User.ID, true, "Opened", dest, nil); err != nil {
		return "", err
	}
	return dest, nil
}

func (s *Service) navigateURL(v salon.Venue, a salon.ConciergeAction) string {
	switch a.Kind {
	case salon.FilterClients:
		return fmt.Sprintf("/app/%s/clients?cohort=%s", v.Slug, a.Params.Cohort)
	case salon.EnableReconnect:
		return fmt.Sprintf("/app/%s/settings/reconnect", v.Slug)
	case salon.RebookPrompt:
		return fmt.Sprintf("/app/%s/automations", v.Slug)
	case salon.InboxReply: // an escalated thread: answered in person, in the thread
		return fmt.Sprintf("/app/%s/inbox/%d", v.Slug, a.ClientID)
	}
	return ""
}

// takeReviewLink saves a review link typed on a card (the review request asks for one
// when the venue has none) before the draft is checked; venue settings are an Owner's
// or Manager's to change.
func (s *Service) takeReviewLink(ctx context.Context, w *Who, e Edits) error {
	link := strings.TrimSpace(e.ReviewLink)
	if link == "" {
		return nil
	}
	if !w.Member.CanManageVenue() {
		return salon.Invalid(map[string]string{"review_link": "Only an Owner or Manager can set the venue's review link: ask them to add it in Settings → Venue."})
	}
	if err := s.Store.SetReviewLink(ctx, w.Venue.ID, w.User.ID, link); err != nil {
		return err
	}
	w.Venue.ReviewLink = link
	return nil
}

// NeedsReviewLink reports whether a draft uses the venue's review link and the venue has
// none yet: the card then asks for it.
func NeedsReviewLink(v salon.Venue, a salon.ConciergeAction) bool {
	return strings.TrimSpace(v.ReviewLink) == "" && strings.Contains(a.Body, "{{ReviewLink}}")
}

// checkOutgoing is the last look at a draft before it is sent or queued for approval: it
// is filled as the send will fill it (for a sample recipient) and must pass
// salon.CheckOutbound, every merge field it uses having a value. The errors are keyed
// by the card's fields (subject, body, review_link) so they show beside them.
func (s *Service) checkOutgoing(v salon.Venue, a salon.ConciergeAction) error {
	act, _ := salon.LookupAction(a.Kind)
	if act.Tier == salon.Navigate || a.Kind == salon.FlashDeal {
		return nil
	}
	if NeedsReviewLink(v, a) {
		return salon.Invalid(map[string]string{"review_link": "Your venue has no review link yet, so the message would end in an empty link: add it here."})
	}
	if err := s.localLinkErr(a.Body); err != nil {
		return err
	}
	if err := windowWordingErr(a); err != nil {
		return err
	}
	category := ""
	if a.Params.Cohort == salon.CohortOverdue {
		category = "Colour" // every overdue client has the category they are due in
	}
	return outboundErr(a.Channel, a.Subject, a.Body, s.sampleValues(v, category))
}

// outboundErr fills a message's merge fields and checks it (salon.CheckOutbound), a
// merge field without a value being a hole like an empty link.
func outboundErr(ch salon.Channel, subject, body string, values map[string]string) error {
	filledBody, emptyBody := salon.FillMergeFields(body, values)
	filledSubject, emptySubject := salon.FillMergeFields(subject, values)
	errs := salon.CheckOutbound(ch, filledSubject, filledBody)
	if len(emptyBody) > 0 {
		if errs == nil {
			errs = map[string]string{}
		}
		errs["body"] = fmt.Sprintf("{{%s}} has nothing to fill it in this message: remove it or write the detail in.", emptyBody[0])
	}
	if len(emptySubject) > 0 && ch == salon.Email {
		if errs == nil {
			errs = map[string]string{}
		}
		errs["subject"] = fmt.Sprintf("{{%s}} has nothing to fill it in this subject: remove it or write the detail in.", emptySubject[0])
	}
	if errs != nil {
		return salon.Invalid(errs)
	}
	return nil
}

// someoneToSend refuses a batch nobody in its audience can be sent right now: there is
// nothing to send, approve or queue.
func (s *Service) someoneToSend(ctx context.Context, v salon.Venue, a salon.ConciergeAction) error {
	return s.someoneToSendCounted(ctx, v, a, nil)
}

// someoneToSendCounted is someoneToSend given the audience of the action's own channel
// when it was just counted (nil: count it).
func (s *Service) someoneToSendCounted(ctx context.Context, v salon.Venue, a salon.ConciergeAction, counted *store.Audience) error {
	if act, _ := salon.LookupAction(a.Kind); !act.Batch {
		return nil
	}
	req := AudienceRequestFor(a)
	var aud store.Audience
	if counted != nil {
		aud = *counted
	} else {
		var err error
		if aud, err = s.Store.AudienceCounts(ctx, v, req); err != nil {
			return err
		}
	}
	excluded := []map[string]int{aud.Excluded}
	if aud.SendableCount == 0 && a.Params.AlsoEmail {
		req.Channel = salon.Email
		email, err := s.Store.AudienceCounts(ctx, v, req)
		if err != nil {
			return err
		}
		if email.SendableCount > 0 {
			return nil
		}
		excluded = append(excluded, email.Excluded)
	}
	if aud.SendableCount > 0 {
		return nil
	}
	return salon.Conflict("Nobody in this audience can be messaged now" + ExclusionSummary(excluded...) + ", so there is nothing to send.")
}

// ExclusionSummary says who a preview left out and why: " (2 opted out, 1 blocked)".
func ExclusionSummary(excluded ...map[string]int) string {
	var why []string
	for _, r := range store.ExclusionReasons {
		n := 0
		for _, x := range excluded {
			n += x[r.Key]
		}
		if n > 0 {
			why = append(why, fmt.Sprintf("%d %s", n, r.Label))
		}
	}
	if len(why) == 0 {
		return ""
	}
	return " (" + strings.Join(why, ", ") + ")"
}

// sendable checks what must hold before anything goes out: a message fit to send,
// someone to send a batch to, quiet hours for marketing, the hold gesture for 50+
// recipients, and the wallet for the estimated cost.
func (s *Service) sendable(ctx context.Context, w Who, a salon.ConciergeAction, held bool, counted *store.Audience) error {
	act, _ := salon.LookupAction(a.Kind)
	if err := s.checkOutgoing(w.Venue, a); err != nil {
		return err
	}
	if err := s.someoneToSendCounted(ctx, w.Venue, a, counted); err != nil {
		return err
	}
	// Win-back is scheduled, and quiet hours hold it until they end instead of refusing.
	if act.Purpose.IsMarketing() && a.Kind != salon.WinBack && w.Venue.InQuietHours(s.Store.Now()) {
		return salon.Conflict(fmt.Sprintf("It's quiet hours at %s (%s–%s), when no marketing message goes out. Send this after %s.",
			w.Venue.Name, w.Venue.QuietStart, w.Venue.QuietEnd, w.Venue.QuietEnd))
	}
	if act.Batch && !held {
		// The hold counts every message that goes out: a "both" send's emails as well.
		recipients := a.Audience
		if a.Params.AlsoEmail {
			emails, err := s.EmailAlsoCount(ctx, w.Venue, a)
			if err != nil {
				return err
			}
			recipients += emails
		}
		if recipients >= HoldThreshold {
			return salon.Conflict(fmt.Sprintf("This goes to %d clients: press and hold Send to confirm.", recipients))
		}
	}
	v, err := s.Store.Venue(ctx, w.Venue.ID)
	if err != nil {
		return err
	}
	if a.CostE4 > v.WalletE4 {
		return salon.Conflict("Wallet balance is short, top up before sending.")
	}
	return nil
}

// execute runs an action exactly once: the claim lets one caller through. A win-back
// is not run here but put in the scheduled-sends queue with its cancel window.
func (s *Service) execute(ctx context.Context, w Who, a salon.ConciergeAction, held bool, counted *store.Audience) (salon.ConciergeAction, error) {
	if a.Status != salon.StatusApproved {
		if err := s.sendable(ctx, w, a, held, counted); err != nil {
			return a, err
		}
	}
	if a.Kind == salon.WinBack {
		delay, err := s.Store.SendDelay(ctx, w.Venue.ID)
		if err != nil {
			return a, err
		}
		return s.Store.Schedule(ctx, w.Venue.ID, a.ID, w.User.ID, delay)
	}
	claimed, err := s.Store.ClaimExecution(ctx, w.Venue.ID, a.ID, w.User.ID)
	if err != nil {
		return a, err
	}
	return s.runClaimed(ctx, w, claimed, claimed.CreatedBy != w.User.ID)
}

// runClaimed runs an action this caller has claimed. A batch is queued here and handed
// to the providers in the background (a big send under a provider's rate limit takes
// minutes; the card shows its progress); everything else runs to completion now.
// notify tells the action's creator how it went.
func (s *Service) runClaimed(ctx context.Context, w Who, a salon.ConciergeAction, notify bool) (salon.ConciergeAction, error) {
	if act, _ := salon.LookupAction(a.Kind); act.Batch {
		err := s.queueBatch(ctx, w, a)
		if err == nil {
			s.deliverInBackground(w.Venue, a, w.User.ID, notify)
			return s.Store.Action(ctx, w.Venue.ID, a.ID)
		}
		return s.finish(ctx, w.Venue, a, w.User.ID, "Failed: "+errMessage(err), "", nil, err, notify)
	}
	summary, link, params, runErr := s.run(ctx, w, a)
	return s.finish(ctx, w.Venue, a, w.User.ID, summary, link, params, runErr, notify)
}

// finish closes an executing action with its result and, when asked, tells its creator.
func (s *Service) finish(ctx context.Context, v salon.Venue, a salon.ConciergeAction, actor int64, summary, link string,
	params *salon.ActionParams, runErr error, notify bool) (salon.ConciergeAction, error) {
	done, err := s.Store.FinishExecution(ctx, v.ID, a.ID, actor, runErr == nil, summary, link, params)
	if err != nil {
		return done, err
	}
	if notify {
		kind := "action_executed"
		if runErr != nil {
			kind = "action_failed"
		}
		s.Notify(ctx, v.ID, done.CreatedBy, kind, fmt.Sprintf("%s: %s", done.Title, summary), link)
	}
	return done, nil
}

// run performs the action and says what happened for the result card.
func (s *Service) run(ctx context.Context, w Who, a salon.ConciergeAction) (summary, link string, params *salon.ActionParams, err error) {
	v := w.Venue
	defer func() {
		if err != nil && summary == "" {
			summary = "Failed: " + errMessage(err)
		}
	}()
	switch a.Kind {
	case salon.FlashDeal:
		d, err := s.Store.CreateDeal(ctx, v, store.NewDeal{ActionID: a.ID, StaffID: a.Params.StaffID, ServiceID: a.Params.ServiceID,
			Start: time.Unix(a.Params.SlotStart, 0), DiscountPct: a.Params.DiscountPct, CreatedBy: w.User.ID})
		if err != nil {
			return "", "", nil, err
		}
		p := a.Params
		p.DealToken = d.Token
		return fmt.Sprintf("Flash deal created: %s with %s, %s, %d%% off. Share the link anywhere.", d.ServiceName, d.StaffName,
			d.Start.In(v.Location()).Format("Mon 2 Jan at 15:04"), d.DiscountPct), "/deals/" + d.Token, &p, nil
	case salon.StorefrontLink:
		if len(a.Params.ClientIDs) > 1 {
			return s.runGroupMessage(ctx, w, a)
		}
		return s.runOneMessage(ctx, w, a)
	case salon.ClientOutreach, salon.InboxReply:
		return s.runOneMessage(ctx, w, a)
	case salon.Reschedule:
		return s.runReschedule(ctx, w, a)
	case salon.GapFill:
		return s.runGapFill(ctx, w, a)
	}
	return "", "", nil, fmt.Errorf("concierge: %s cannot be sent", a.Kind)
}

// errMessage is a domain error's message for a person; for a validation error, what
// each field got wrong rather than "correct the highlighted fields" with none shown.
func errMessage(err error) string {
	var de *salon.Error
	if errors.As(err, &de) {
		if len(de.Fields) > 0 {
			keys := make([]string, 0, len(de.Fields))
			for k := range de.Fields {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			msgs := make([]string, len(keys))
			for i, k := range keys {
				msgs[i] = de.Fields[k]
			}
			return strings.Join(msgs, " ")
		}
		return de.Message
	}
	return err.Error()
}

// runOneMessage sends one message to the action's client.
func (s *Service) runOneMessage(ctx context.Context, w Who, a salon.ConciergeAction) (string, string, *salon.ActionParams, error) {
	v := w.Venue
	c, err := s.Store.Client(ctx, v.ID, a.ClientID)
	if err != nil {
		return "", "", nil, err
	}
	act, _ := salon.LookupAction(a.Kind)
	if problem := unreachable(v, c, v.Channel(), act.Purpose); problem != "" {
		return "", "", nil, salon.Conflict("Not sent: " + problem + ".")
	}
	values := s.mergeValues(v, c.FirstName, "", "", store.Appointment{})
	if err := outboundErr(v.Channel(), a.Subject, a.Body, values); err != nil {
		return "", "", nil, err
	}
	subject, _ := salon.FillMergeFields(a.Subject, values)
	body, _ := salon.FillMergeFields(a.Body, values)
	if a.Kind == salon.InboxReply {
		// A thread escalated since the reply was drafted is a complaint in hand: a
		// person answers it from the thread, not this draft.
		if st, err := s.Store.ConversationStatus(ctx, v.ID, c.ID); err != nil {
			return "", "", nil, err
		} else if st == salon.ThreadEscalated {
			return "", "", nil, salon.Conflict("Not sent: " + c.FirstName + "'s conversation is escalated. Answer them yourself from the Inbox.")
		}
	}
	to := c.Phone
	if v.Channel() == salon.Email {
		to = c.Email
	}
	m, _, err := s.Store.QueueOutbound(ctx, v.ID, store.NewOutbound{ClientID: c.ID, Channel: v.Channel(), Purpose: act.Purpose, To: to,
		Subject: subject, Body: body, ActionID: a.ID})
	if err != nil {
		return "", "", nil, err
	}
	m, err = s.Dispatch.Deliver(ctx, v.ID, m.ID)
	// "Open Messages" opens the messages with this client: their inbox thread.
	link := fmt.Sprintf("/app/%s/inbox/%d", v.Slug, c.ID)
	if err != nil || m.Status == salon.StatusFailed {
		if err == nil {
			err = salon.Conflict(m.Error)
		}
		return "Failed: " + errMessage(err), link, nil, err
	}
	switch a.Kind {
	case salon.ClientOutreach:
		err = s.Store.StampCampaign(ctx, v.ID, c.ID) // outreach stamps last_campaign_sent_at only
	case salon.InboxReply:
		err = s.Store.SetConversationStatus(ctx, v.ID, c.ID, w.User.ID, "open")
	}
	return "Sent to " + c.FullName(), link, nil, err
}

// runReschedule moves the booking to the chosen slot in one transaction and tells the client.
func (s *Service) runReschedule(ctx context.Context, w Who, a salon.ConciergeAction) (string, string, *salon.ActionParams, error) {
	v := w.Venue
	if a.Params.Choice < 0 || a.Params.Choice >= len(a.Params.Slots) {
		return "", "", nil, salon.Invalid(map[string]string{"choice": "No slot was chosen."})
	}
	slot := a.Params.Slots[a.Params.Choice]
	b, err := s.Store.Booking(ctx, v.ID, a.BookingID)
	if err != nil {
		return "", "", nil, err
	}
	var services []int64
	for _, sv := range b.Services {
		services = append(services, sv.ServiceID)
	}
	start := time.Unix(slot.Start, 0).UTC()
	in := store.BookingInput{StaffID: slot.StaffID, Start: start, ServiceIDs: services, Notes: b.Notes}
	if a.Params.BookingAt != 0 {
		in.WasAt = time.Unix(a.Params.BookingAt, 0)
	}
	moved, err := s.Store.UpdateBooking(ctx, v.ID, w.User.ID, b.ID, in)
	link := fmt.Sprintf("/app/%s/calendar?date=%s", v.Slug, start.In(v.Location()).Format("2006-01-02"))
	if err != nil {
		return "", link, nil, err
	}
	when := moved.Start.In(v.Location()).Format("Mon 2 Jan at 15:04")
	values := map[string]string{salon.FieldDate: when, salon.FieldStaffName: moved.StaffName, salon.FieldFirstName: firstName(moved.ClientName),
		salon.FieldBusinessName: v.Name}
	body := MergeFields(a.Body, values)
	subject := MergeFields(a.Subject, values)
	c, err := s.Store.Client(ctx, v.ID, moved.ClientID)
	if err != nil {
		return "", link, nil, err
	}
	note := ""
	problem := unreachable(v, c, v.Channel(), salon.PurposeRescheduleNotice)
	if problem == "" {
		if err := outboundErr(v.Channel(), subject, body, nil); err != nil {
			problem = "the notice could not be sent (" + errMessage(err) + ")"
		}
	}
	if problem == "" {
		to := c.Phone
		if v.Channel() == salon.Email {
			to = c.Email
		}
		m, _, qerr := s.Store.QueueOutbound(ctx, v.ID, store.NewOutbound{ClientID: c.ID, Channel: v.Channel(), Purpose: salon.PurposeRescheduleNotice,
			To: to, Subject: subject, Body: body, ActionID: a.ID})
		if qerr == nil {
			m, qerr = s.Dispatch.Deliver(ctx, v.ID, m.ID)
		}
		if qerr != nil || m.Status == salon.StatusFailed {
			note = " The notice to the client could not be sent; please call them."
		} else {
			note = " " + c.FirstName + " was told."
		}
	} else {
		note = " Not told: " + problem + ". Please let them know."
	}
	return fmt.Sprintf("Moved %s to %s with %s.%s", moved.ClientName, when, moved.StaffName, note), link, nil, nil
}

// AudienceRequestFor is the audience a batch action goes to, from its parameters.
func AudienceRequestFor(a salon.ConciergeAction) store.AudienceRequest {
	r := store.AudienceRequest{Cohort: a.Params.Cohort, WindowDays: a.Params.WindowDays, Week: a.Params.Week, WaveCap: a.Kind == salon.WinBack,
		CategoryID: a.Params.CategoryID, FreshOnly: a.Params.FreshOnly}
	if a.Params.Cohort == salon.CohortOverdue {
		r.Channel = a.Channel // reconnect chooses its channel (venue setting)
	}
	return r
}

// Preview counts a batch action's audience live (with up to 5 sample names) and prices
// the draft for it. known, when given, are counts made moments ago in the same request.
func (s *Service) Preview(ctx context.Context, v salon.Venue, a salon.ConciergeAction, known *store.Audience) (store.Audience, int64, error) {
	var aud store.Audience
	var err error
	if known != nil {
		aud, err = s.Store.AddSample(ctx, v, AudienceRequestFor(a), *known, 5)
	} else {
		aud, err = s.Store.AudienceSample(ctx, v, AudienceRequestFor(a), 5)
	}
	if err != nil {
		return aud, 0, err
	}
	return aud, batchCost(v, a.Body, aud.SendableCount), nil
}

// refreshAudience re-counts a batch action's audience (after a change of parameters)
// and stores the count and cost the Send button and the hold threshold go by.
func (s *Service) refreshAudience(ctx context.Context, w Who, a salon.ConciergeAction, change func(*salon.ActionParams)) (salon.ConciergeAction, error) {
	a, _, err := s.recount(ctx, w, a, change)
	return a, err
}

// recount is refreshAudience that also returns the audience it counted.
func (s *Service) recount(ctx context.Context, w Who, a salon.ConciergeAction, change func(*salon.ActionParams)) (salon.ConciergeAction, store.Audience, error) {
	p := a.Params
	if change != nil {
		change(&p)
	}
	a.Params = p
	aud, err := s.Store.AudienceCounts(ctx, w.Venue, AudienceRequestFor(a))
	if err != nil {
		return a, aud, err
	}
	a, err = s.Store.SetActionParams(ctx, w.Venue.ID, a.ID, w.User.ID, p, aud.SendableCount, batchCost(w.Venue, a.Body, aud.SendableCount))
	return a, aud, err
}

// queueBatch queues a batch action for its audience, worked out again now: one message
// per (action, client, channel), merge fields filled per client, in one transaction per
// channel. A reconnect (the overdue cohort) also records which category each message is
// for, and may go by email as well as text.
func (s *Service) queueBatch(ctx context.Context, w Who, a salon.ConciergeAction) error {
	v := w.Venue
	act, _ := salon.LookupAction(a.Kind)
	purpose := act.Purpose
	req := AudienceRequestFor(a)
	serviceName := "appointment"
	if a.Params.ServiceID != 0 {
		if svcs, err := s.Store.Services(ctx, v.ID, true); err == nil {
			for _, sv := range svcs {
				if sv.ID == a.Params.ServiceID {
					serviceName = sv.Name
				}
			}
		}
	}
	var categoryOf map[int64]string
	if a.Params.Cohort == salon.CohortOverdue {
		purpose = salon.PurposeReconnect
		var err error
		if categoryOf, err = s.overdueCategories(ctx, v, a.Params); err != nil {
			return err
		}
	}
	requests := []store.AudienceRequest{req}
	if a.Params.AlsoEmail {
		email := req
		email.Channel = salon.Email
		requests = append(requests, email)
	}
	// Resolve every channel's audience before queueing any: queueing stamps the
	// recipients as contacted, which would filter them out of the second channel.
	auds := make([]store.Audience, len(requests))
	for i, r := range requests {
		var err error
		if auds[i], err = s.Store.ResolveAudience(ctx, v, r); err != nil {
			return err
		}
	}
	// Every message is filled and checked before any is queued: one with a hole (an
	// empty link or merge field, an email without a subject) stops the batch whole.
	batches := make([][]store.NewOutbound, len(auds))
	total := 0
	for i, aud := range auds {
		batch := make([]store.NewOutbound, 0, len(aud.Sendable))
		ids := make([]int64, len(aud.Sendable))
		for j, m := range aud.Sendable {
			ids[j] = m.ClientID
		}
		// {{StaffName}} and {{Date}} are each recipient's own appointment's.
		appts, err := s.appointmentsFor(ctx, v, a, ids)
		if err != nil {
			return err
		}
		for _, m := range aud.Sendable {
			values := s.mergeValues(v, m.FirstName, categoryOf[m.ClientID], serviceName, appts[m.ClientID])
			if err := outboundErr(aud.Channel, a.Subject, a.Body, values); err != nil {
				return salon.Conflict(fmt.Sprintf("Nothing was sent: the message to %s %s would have gone out broken: %s", m.FirstName, m.LastName,
					errMessage(err)))
			}
			body, _ := salon.FillMergeFields(a.Body, values)
			subject, _ := salon.FillMergeFields(a.Subject, values)
			batch = append(batch, store.NewOutbound{ClientID: m.ClientID, Channel: aud.Channel, Purpose: purpose, To: m.Contact,
				Subject: subject, Body: body, ActionID: a.ID})
		}
		batches[i] = batch
		total += len(batch)
	}
	if total == 0 {
		var excluded []map[string]int
		for _, aud := range auds {
			excluded = append(excluded, aud.Excluded)
		}
		return salon.Conflict("Nothing was sent: nobody in the audience could be messaged when it was time to send" + ExclusionSummary(excluded...) + ".")
	}
	for _, batch := range batches {
		if _, err := s.Store.EnqueueBatch(ctx, v, a.ID, batch); err != nil {
			return err
		}
	}
	if a.Params.Cohort == salon.CohortOverdue {
		return s.Store.RecordReconnectSends(ctx, v, a.ID, a.Params.CategoryID)
	}
	return nil
}

// BookingLink is where a message sends a client to book: the venue's own storefront
// when it has one, else its online booking page here (with a public URL configured),
// else an invitation to reply.
func BookingLink(v salon.Venue, publicURL string) string {
	switch {
	case strings.HasPrefix(v.StorefrontURL, "http"):
		return v.StorefrontURL
	case strings.HasPrefix(publicURL, "http"):
		return strings.TrimRight(publicURL, "/") + "/book/" + v.Slug
	}
	return "Reply to this message and we'll find you a time."
}

// deliverInBackground hands a queued batch to the providers outside the request, so a
// closed browser tab never cuts a send short. Service.Stop ends it between messages;
// what is still queued then is resumed at the next start (ResumeStalled).
func (s *Service) deliverInBackground(v salon.Venue, a salon.ConciergeAction, actor int64, notify bool) {
	if _, busy := s.delivering.LoadOrStore(a.ID, true); busy {
		return
	}
	s.sending.Add(1)
	go func() {
		defer s.sending.Done()
		defer s.delivering.Delete(a.ID)
		if err := s.deliverBatch(s.stopContext(), v, a, actor, notify); err != nil {
			s.logger().Error("batch send", "action_id", a.ID, "err", err)
		}
	}()
}

// deliverBatch hands over every still-queued message of a batch action (each hand-over
// is an atomic claim, so none goes twice), stamps the recipients (StampBatch) and closes the
// action with counts from its messages. A stop leaves the rest queued and the action
// open for ResumeStalled.
func (s *Service) deliverBatch(ctx context.Context, v salon.Venue, a salon.ConciergeAction, actor int64, notify bool) error {
	ids, err := s.Store.QueuedMessages(ctx, v.ID, a.ID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if ctx.Err() != nil {
			return nil
		}
		// Never cancel a hand-over half way: a claimed message must be recorded. Each
		// message's outcome (failed included) is on its own row and counted below, so
		// one refusal does not stop the batch.
		if _, err := s.Dispatch.Deliver(context.WithoutCancel(ctx), v.ID, id); err != nil {
			s.logger().Debug("batch message not sent", "action_id", a.ID, "message_id", id, "err", err)
		}
	}
	if err := s.Store.StampBatch(ctx, v.ID, a.Kind, a.ID); err != nil {
		return err
	}
	sent, failed, unknown, _, err := s.Store.ActionMessageCounts(ctx, v.ID, a.ID)
	if err != nil {
		return err
	}
	summary := fmt.Sprintf("Sent %d, failed %d", sent, failed)
	if unknown > 0 {
		summary += fmt.Sprintf(", unknown %d (interrupted mid-send; check before resending)", unknown)
	}
	var runErr error
	if sent == 0 && failed > 0 {
		runErr = salon.Conflict(summary)
	}
	// An error here means another runner closed it first: nothing more to do.
	s.finish(ctx, v, a, actor, summary, s.batchResultLink(v, a), nil, runErr, notify)
	return nil
}

// batchResultLink is where a batch's result card leads, as its label says: a no-show
// follow-up's "View bookings" opens today's bookings on the calendar; every other
// batch's "Open Engage" its send on Engage.
func (s *Service) batchResultLink(v salon.Venue, a salon.ConciergeAction) string {
	if a.Kind == salon.NoShowFollowup {
		return fmt.Sprintf("/app/%s/calendar?date=%s", v.Slug, s.Store.Now().In(v.Location()).Format("2006-01-02"))
	}
	return fmt.Sprintf("/app/%s/engage/%d", v.Slug, a.ID)
}

// Fire sends a scheduled win-back when it is due and quiet hours allow: the page's
// countdown and the worker both call it, and the claim lets exactly one of them send.
// Otherwise it changes nothing and returns the action as it stands.
func (s *Service) Fire(ctx context.Context, v salon.Venue, id int64) (salon.ConciergeAction, error) {
	a, err := s.Store.Action(ctx, v.ID, id)
	if err != nil || a.Status != salon.StatusScheduled || v.InQuietHours(s.Store.Now()) || s.Store.Now().Before(a.ScheduledFor) {
		return a, err
	}
	claimed, err := s.Store.ClaimScheduled(ctx, v.ID, id, a.CreatedBy)
	if err != nil {
		// Someone else fired or cancelled it first: show what happened.
		return s.Store.Action(ctx, v.ID, id)
	}
	return s.runClaimed(ctx, Who{Venue: v, User: salon.User{ID: a.CreatedBy}}, claimed, true)
}

// FireDue fires every due scheduled send (the worker).
func (s *Service) FireDue(ctx context.Context) error {
	due, err := s.Store.DueScheduled(ctx)
	if err != nil {
		return err
	}
	for _, a := range due {
		v, err := s.Store.Venue(ctx, a.VenueID)
		if err != nil {
			return err
		}
		if _, err := s.Fire(ctx, v, a.ID); err != nil {
			return err
		}
	}
	return nil
}

// Cancel stops a scheduled send before it fires (its creator, or an Owner or Manager).
func (s *Service) Cancel(ctx context.Context, w Who, id int64) (salon.ConciergeAction, error) {
	a, err := s.Store.Action(ctx, w.Venue.ID, id)
	if err != nil {
		return a, err
	}
	if !w.Member.CanSeeAction(a.CreatedBy) {
		return a, salon.ErrNotFound
	}
	if a.Status != salon.StatusScheduled {
		return a, salon.Conflict("Too late to cancel: this send has already gone out or was cancelled.")
	}
	return s.Store.CancelScheduled(ctx, w.Venue.ID, id, w.User.ID)
}

// ResumeStalled finishes batch sends interrupted by a crash or restart: still-queued
// messages are handed over and the action is closed with counts from its messages.
// Messages that were being handed over when the process died are left unknown
// (jobs.StuckSends), never re-sent. Sends this process is running are left to it.
func (s *Service) ResumeStalled(ctx context.Context, idleFor time.Duration) error {
	stalled, err := s.Store.StalledExecutions(ctx, s.Store.Now().Add(-idleFor))
	if err != nil {
		return err
	}
	for _, a := range stalled {
		act, _ := salon.LookupAction(a.Kind)
		if !act.Batch {
			continue // single sends have no queue to resume; they stay for a person to check
		}
		if _, busy := s.delivering.LoadOrStore(a.ID, true); busy {
			continue
		}
		v, err := s.Store.Venue(ctx, a.VenueID)
		if err == nil {
			err = s.deliverBatch(ctx, v, a, a.CreatedBy, false)
		}
		s.delivering.Delete(a.ID)
		if err != nil {
			return err
		}
	}
	return nil
}

// Stop ends background sends between messages and waits for them; whatever is still
// queued is resumed at the next start.
func (s *Service) Stop() {
	s.StopSending()
	s.sending.Wait()
}

// StopSending asks background sends to stop after the message in hand, without waiting.
func (s *Service) StopSending() {
	s.stopContext()
	s.stop()
}

// WaitSends waits for the background sends under way (tests).
func (s *Service) WaitSends() { s.sending.Wait() }

// stopContext is cancelled by Stop; background sends run under it.
func (s *Service) stopContext() context.Context {
	s.stopMu.Lock()
	defer s.stopMu.Unlock()
	if s.stopCtx == nil {
		s.stopCtx, s.stop = context.WithCancel(context.Background())
	}
	return s.stopCtx
}

func (s *Service) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}
