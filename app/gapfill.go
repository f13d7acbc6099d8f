package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"concierge/salon"
)

// Filling a gap from the chat: "fill my gaps tomorrow" lists the open slots and, for the
// one chosen, proposes the clients the backfill ranking puts first (up to
// gapFillOffered, the best gapFillTicked ticked) as an offer card; Send texts the ticked
// ones through the backfill offer (every contact rule applies again) and the first YES
// books the slot. A deal ("advertise a deal for the holes") is the flash deal instead.

const (
	gapFillOffered = 5
	gapFillTicked  = 3
	gapFillListed  = 5 // open slots offered to choose from
)

// gapsAsked are the open slots of the window the message names (tomorrow, a weekday,
// else the planning horizon) and how to say that window.
func (t *turn) gapsAsked(ctx context.Context) ([]salon.Gap, string, error) {
	from, to, when := t.now, t.now.Add(salon.GapHorizon), fmt.Sprintf("in the next %d days", salon.HorizonDays)
	l := t.now.In(t.loc())
	switch {
	case t.intent.Tomorrow:
		from = time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, t.loc())
		to, when = from.AddDate(0, 0, 1), "tomorrow"
	case t.intent.Weekday != 0: // "Thursday's gaps": the next Thursday (today if it is one)
		ahead := (t.intent.Weekday - 1 - int(l.Weekday()) + 7) % 7
		day := time.Date(l.Year(), l.Month(), l.Day()+ahead, 0, 0, 0, 0, t.loc())
		from, to, when = day, day.AddDate(0, 0, 1), "on "+day.Format("Monday 2 Jan")
		if from.Before(t.now) {
			from = t.now
		}
	}
	gaps, err := t.s.Store.Gaps(ctx, t.w.Venue, from, to)
	return gaps, when, err
}

// gapLabel is how an open slot is named in the chat: "Wed 25 Nov 09:00–10:30 with Mia".
func (t *turn) gapLabel(g salon.Gap) string {
	return g.Start.In(t.loc()).Format("Mon 2 Jan 15:04") + "–" + g.End.In(t.loc()).Format("15:04") + " with " + g.StaffName
}

// proposeGapFill lists the open slots and proposes the offer card for the one chosen
// (the only one, or the one picked from the list).
func (t *turn) proposeGapFill(ctx context.Context, p salon.Permission) error {
	var g salon.Gap
	if t.chosenGap != nil {
		open, err := t.s.OpenGapAt(ctx, t.w.Venue, t.chosenGap.StaffID, time.Unix(t.chosenGap.Start, 0))
		if err != nil {
			if salon.ErrorCode(err) == salon.CodeConflict {
				t.say("%s", salon.ErrorMessage(err))
				return nil
			}
			return err
		}
		g = open
	} else {
		gaps, when, err := t.gapsAsked(ctx)
		if err != nil {
			return err
		}
		switch {
		case len(gaps) == 0:
			t.say("You have no open slots %s: every working hour is booked. Nothing to fill!", when)
			return nil
		case len(gaps) > 1:
			listed := gaps
			if len(listed) > gapFillListed {
				listed = listed[:gapFillListed]
			}
			more := ""
			if len(gaps) > len(listed) {
				more = fmt.Sprintf(" (the first %d of %d)", len(listed), len(gaps))
			}
			t.say("You have %d open slots %s%s. Which one should I fill?", len(gaps), when, more)
			for _, gg := range listed {
				t.gapChoices = append(t.gapChoices, gg)
			}
			t.choiceFor = salon.GapFill
			return nil
		}
		g = gaps[0]
	}
	svc, err := t.fittingService(ctx, g)
	if err != nil {
		return err
	}
	if svc.ID == 0 {
		t.say("%s: no service %s performs fits that slot, so there is nothing to offer.", t.gapLabel(g), g.StaffName)
		return nil
	}
	ranked, err := t.s.RankGapClients(ctx, t.w.Venue, g, svc)
	if err != nil {
		return err
	}
	if len(ranked) > gapFillOffered {
		ranked = ranked[:gapFillOffered]
	}
	if len(ranked) == 0 {
		t.say("%s: no client suits that slot right now (everyone likely is booked, opted out or was offered a gap lately).", t.gapLabel(g))
		return nil
	}
	var names []string
	n := t.card(salon.GapFill, p)
	for i, c := range ranked {
		n.Params.Candidates = append(n.Params.Candidates, c.ClientID)
		if i < gapFillTicked {
			n.Params.ClientIDs = append(n.Params.ClientIDs, c.ClientID)
			names = append(names, c.FirstName+" "+c.LastName)
		}
	}
	local := g.Start.In(t.loc())
	t.say("For %s (%s): the best-suited clients are ticked: %s. Untick or tick others on the card, then Send; the first YES books it.",
		t.gapLabel(g), svc.Name, strings.Join(names, ", "))
	n.Title = fmt.Sprintf("Offer %s %s with %s", svc.Name, local.Format("Mon 2 Jan at 15:04"), g.StaffName)
	n.Body = t.s.GapOfferDraft(ctx, t.w.Venue, GapOfferTemplate(t.w.Venue, g))
	n.Params.StaffID, n.Params.ServiceID, n.Params.SlotStart, n.Params.SlotEnd = g.StaffID, svc.ID, g.Start.Unix(), g.End.Unix()
	n.Audience = len(n.Params.ClientIDs)
	n.CostE4 = batchCost(t.w.Venue, n.Body, n.Audience)
	n.Notes = "Each ticked client gets their own text; anyone who has since booked, opted out or been contacted is left out when it is sent."
	t.cards = append(t.cards, n)
	return nil
}

// GapOfferTemplate is the built-in gap-offer text for a gap (what the model rewrites,
// and its fallback).
func GapOfferTemplate(v salon.Venue, g salon.Gap) string {
	local := g.Start.In(v.Location())
	return fmt.Sprintf("Hi {{FirstName}}, great news! An opening has come up at %s on %s at %s. Would you like to book? Reply YES to confirm.",
		v.Name, local.Format("Monday 2 Jan"), local.Format("15:04"))
}

// runGapFill sends a gap offer card: to the ticked clients the card offered (no
// other), through the backfill offer with its checks.
func (s *Service) runGapFill(ctx context.Context, w Who, a salon.ConciergeAction) (string, string, *salon.ActionParams, error) {
	v := w.Venue
	g, err := s.OpenGapAt(ctx, v, a.Params.StaffID, time.Unix(a.Params.SlotStart, 0))
	if err != nil {
		return "", "", nil, err
	}
	sent, queued, err := s.SendGapOffer(ctx, v, w.User.ID, g, GapOffer{ServiceID: a.Params.ServiceID, ClientIDs: a.Params.ClientIDs, Body: a.Body})
	link := fmt.Sprintf("/app/%s/backfill", v.Slug)
	if err != nil {
		return "", link, nil, err
	}
	return fmt.Sprintf("Offered to %d client%s (%d handed over); the first YES books it.", queued, plural(queued), sent), link, nil, nil
}

// TickOffered sets which of a gap offer card's ranked clients it goes to: only
// clients the card offered, at least one.
func (s *Service) TickOffered(ctx context.Context, w Who, id int64, clientIDs []int64) (salon.ConciergeAction, error) {
	a, err := s.ownAction(ctx, w, id)
	if err != nil {
		return a, err
	}
	if a.Kind != salon.GapFill || a.Status != salon.StatusDrafted {
		return a, salon.ErrActionClosed
	}
	var ticked []int64
	for _, c := range salon.DistinctIDs(clientIDs) {
		offered := false
		for _, x := range a.Params.Candidates {
			offered = offered || x == c
		}
		if !offered {
			return a, salon.Invalid(map[string]string{"offer_client": "Choose among the clients on the card."})
		}
		ticked = append(ticked, c)
	}
	if len(ticked) == 0 {
		return a, salon.Invalid(map[string]string{"offer_client": "Tick at least one client to offer the slot to."})
	}
	p := a.Params
	p.ClientIDs = ticked
	return s.Store.SetActionParams(ctx, w.Venue.ID, a.ID, w.User.ID, p, len(ticked), batchCost(w.Venue, a.Body, len(ticked)))
}

// GapChoiceLabels name the open slots a "which slot?" list offered, for its buttons.
func (s *Service) GapChoiceLabels(ctx context.Context, v salon.Venue, refs []salon.GapRef) ([]string, error) {
	staff, err := s.Store.StaffMembers(ctx, v.ID, false)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, st := range staff {
		names[st.ID] = st.Name
	}
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = time.Unix(r.Start, 0).In(v.Location()).Format("Mon 2 Jan 15:04") + " with " + names[r.StaffID]
	}
	return out, nil
}

// OfferClients are a gap offer card's ranked clients, best first.
func (s *Service) OfferClients(ctx context.Context, venueID int64, a salon.ConciergeAction) ([]salon.Client, error) {
	return s.Store.ClientsByID(ctx, venueID, a.Params.Candidates)
}
