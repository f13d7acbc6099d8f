package app

import (
	"context"
	"fmt"
	"strings"

	"concierge/salon"
	"concierge/store"
)

// The controls on a card (instead of magic words in the chat): the win-back's
// inactivity window, the today / week window of birthday and no-show cards, the
// spotlight's cohort and the storefront link's clients. Each takes only a value the card
// offers (anything else is refused beside the control and changes nothing), re-counts
// the audience and re-prices the card. The card's creator changes an open draft; an
// Owner or Manager changes someone else's pending action on its review page.

// AudienceChange is the value of one card control.
type AudienceChange struct {
	Control string // which: window_days, window or cohort
	Value   string
}

// pickerAction loads an action whose controls this person may change: their own open
// draft, or a pending action they may approve. approver says which.
func (s *Service) pickerAction(ctx context.Context, w Who, id int64) (a salon.ConciergeAction, approver bool, err error) {
	if a, err = s.Store.Action(ctx, w.Venue.ID, id); err != nil {
		return a, false, err
	}
	switch {
	case a.CreatedBy == w.User.ID && a.Status == salon.StatusDrafted:
		return a, false, nil
	case a.Status == salon.StatusPending && a.CreatedBy != w.User.ID:
		if ok, why := salon.CanApprove(w.Member.Role, w.User.ID, a.CreatedBy); !ok {
			return a, false, &salon.Error{Code: salon.CodeForbidden, Message: why}
		}
		return a, true, nil
	case a.CreatedBy == w.User.ID:
		return a, false, salon.ErrActionClosed
	}
	return a, false, salon.ErrNotFound // another person's draft is not theirs to touch
}

// applyParams checks a control's value against what the card offers and sets it.
func applyParams(a salon.ConciergeAction, ch AudienceChange, p *salon.ActionParams) error {
	value := strings.TrimSpace(ch.Value)
	switch {
	case a.Kind == salon.WinBack && ch.Control == "window_days":
		for _, d := range salon.WinBackWindows {
			if fmt.Sprint(d) == value {
				p.WindowDays = d
				return nil
			}
		}
		return salon.Invalid(map[string]string{"window_days": "Choose 30, 60, 90 or 180 days."})
	case (a.Kind == salon.BirthdayOutreach || a.Kind == salon.NoShowFollowup) && ch.Control == "window":
		w, ok := salon.ParseDayWindow(value)
		if !ok {
			return salon.Invalid(map[string]string{"window": fmt.Sprintf("Choose %s or %s.", salon.DayWindowLabel(a.Kind, salon.WindowToday),
				salon.DayWindowLabel(a.Kind, salon.WindowWeek))})
		}
		p.Week = w == salon.WindowWeek
		return nil
	case a.Kind == salon.ServiceSpotlight && ch.Control == "cohort":
		var names []string
		for _, c := range salon.SpotlightCohorts {
			if string(c) == value {
				p.Cohort = c
				return nil
			}
			names = append(names, salon.CohortLabel(c))
		}
		return salon.Invalid(map[string]string{"cohort": "Choose " + strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1] + "."})
	}
	field := ch.Control
	if field != "window_days" && field != "window" && field != "cohort" {
		field = "window"
	}
	return salon.Invalid(map[string]string{field: "This card has no such choice."})
}

// SetAudience changes a batch card's audience from one of its controls, keeping the
// draft as typed (a birthday or no-show draft is reworded for its new window) and
// re-counting and re-pricing it for the new audience.
func (s *Service) SetAudience(ctx context.Context, w Who, id int64, e Edits, ch AudienceChange) (salon.ConciergeAction, error) {
	a, approver, err := s.pickerAction(ctx, w, id)
	if err != nil {
		return a, err
	}
	p := a.Params
	if err := applyParams(a, ch, &p); err != nil {
		return a, err
	}
	if strings.TrimSpace(e.Body) == "" { // a control used without the form: the draft as stored
		e.Title, e.Subject, e.Body, e.Notes = a.Title, a.Subject, a.Body, a.Notes
	}
	if p.Week != a.Params.Week {
		e.Body = rewordForWindow(a.Kind, w.Venue, strings.TrimSpace(e.Body), p.Week)
		e.Subject = todayRe.ReplaceAllString(e.Subject, "soon")
		e.Title = windowTitle(a.Kind, w.Venue, strings.TrimSpace(e.Title), p.Week)
	}
	if err := validateDraft(a, e); err != nil {
		return a, err
	}
	if a, err = s.Store.EditDraft(ctx, w.Venue.ID, id, w.User.ID, strings.TrimSpace(e.Title), strings.TrimSpace(e.Subject),
		strings.TrimSpace(e.Body), strings.TrimSpace(e.Notes)); err != nil {
		return a, err
	}
	if !approver {
		// The card's preview counts live, and Send re-counts before its checks.
		return s.Store.SetActionParams(ctx, w.Venue.ID, a.ID, w.User.ID, p, a.Audience, a.CostE4)
	}
	// The approval queue shows the stored count and cost, and Approve goes by them.
	return s.refreshAudience(ctx, w, a, func(np *salon.ActionParams) { *np = p })
}

// Recipients are the clients a single-client card goes to: its storefront group, or
// its one client.
func Recipients(a salon.ConciergeAction) []int64 {
	if len(a.Params.ClientIDs) > 0 {
		return a.Params.ClientIDs
	}
	if a.ClientID != 0 {
		return []int64{a.ClientID}
	}
	return nil
}

// RecipientClients loads a card's recipients (the storefront picker lists them).
func (s *Service) RecipientClients(ctx context.Context, venueID int64, a salon.ConciergeAction) ([]salon.Client, error) {
	var out []salon.Client
	for _, id := range Recipients(a) {
		c, err := s.Store.Client(ctx, venueID, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// SetRecipients sets the clients a storefront-link card goes to: one or a small group
// (salon.StorefrontGroupMax), each a client of this venue who can get it. The draft is
// kept as typed and the card re-priced for the group.
func (s *Service) SetRecipients(ctx context.Context, w Who, id int64, e Edits, clientIDs []int64) (salon.ConciergeAction, error) {
	a, _, err := s.pickerAction(ctx, w, id)
	if err != nil {
		return a, err
	}
	if a.Status != salon.StatusDrafted {
		return a, salon.ErrActionClosed
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, cid := range clientIDs {
		if cid != 0 && !seen[cid] {
			seen[cid] = true
			ids = append(ids, cid)
		}
	}
	bad := func(msg string) error { return salon.Invalid(map[string]string{"clients": msg}) }
	switch {
	case a.Kind != salon.StorefrontLink:
		return a, bad("This card goes to one client.")
	case len(ids) == 0:
		return a, bad("Choose at least one client.")
	case len(ids) > salon.StorefrontGroupMax:
		return a, bad(fmt.Sprintf("A booking link goes to at most %d clients at once; for more, send a campaign.", salon.StorefrontGroupMax))
	}
	act, _ := salon.LookupAction(a.Kind)
	for _, cid := range ids {
		c, err := s.Store.Client(ctx, w.Venue.ID, cid)
		if err != nil {
			return a, bad("Choose clients from your client list.")
		}
		if problem := unreachable(w.Venue, c, w.Venue.Channel(), act.Purpose); problem != "" {
			return a, bad(problem + ", so they can't get it.")
		}
	}
	if strings.TrimSpace(e.Body) != "" {
		if a, err = s.SaveDraft(ctx, w, id, e); err != nil {
			return a, err
		}
	}
	p := a.Params
	p.ClientIDs = ids
	return s.Store.SetRecipients(ctx, w.Venue.ID, a.ID, w.User.ID, ids[0], p, len(ids), batchCost(w.Venue, a.Body, len(ids)))
}

// runGroupMessage sends a storefront link to each client of its group: one message per
// (action, client); a client who can no longer be reached is skipped and said.
func (s *Service) runGroupMessage(ctx context.Context, w Who, a salon.ConciergeAction) (string, string, *salon.ActionParams, error) {
	v := w.Venue
	act, _ := salon.LookupAction(a.Kind)
	var sent, skipped []string
	var firstErr error
	for _, cid := range Recipients(a) {
		c, err := s.Store.Client(ctx, v.ID, cid)
		if err != nil {
			return "", "", nil, err
		}
		if problem := unreachable(v, c, v.Channel(), act.Purpose); problem != "" {
			skipped = append(skipped, problem)
			continue
		}
		values := s.mergeValues(v, c.FirstName, "", "", store.Appointment{})
		if err := outboundErr(v.Channel(), a.Subject, a.Body, values); err != nil {
			return "", "", nil, err
		}
		subject, _ := salon.FillMergeFields(a.Subject, values)
		body, _ := salon.FillMergeFields(a.Body, values)
		to := c.Phone
		if v.Channel() == salon.Email {
			to = c.Email
		}
		m, _, err := s.Store.QueueOutbound(ctx, v.ID, store.NewOutbound{ClientID: c.ID, Channel: v.Channel(), Purpose: act.Purpose, To: to,
			Subject: subject, Body: body, ActionID: a.ID})
		if err == nil {
			m, err = s.Dispatch.Deliver(ctx, v.ID, m.ID)
		}
		if err == nil && m.Status == salon.StatusFailed {
			err = salon.Conflict(m.Error)
		}
		if err != nil {
			skipped = append(skipped, c.FullName()+": "+errMessage(err))
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		sent = append(sent, c.FullName())
	}
	summary := "Sent to " + strings.Join(sent, ", ")
	if len(sent) == 0 {
		summary = "Not sent"
	}
	if len(skipped) > 0 {
		summary += " (not sent: " + strings.Join(skipped, "; ") + ")"
	}
	var runErr error
	if len(sent) == 0 {
		runErr = firstErr
		if runErr == nil {
			runErr = salon.Conflict(summary)
		}
	}
	return summary, fmt.Sprintf("/app/%s/outbox", v.Slug), nil, runErr
}
