package app

import (
	"context"
	"time"

	"concierge/salon"
	"concierge/store"
)

// Backfill (Owner and Manager): the open gaps of the next fortnight, the clients
// ranked for one gap, the offer's audience and cost before it is sent (sending is in
// offers.go), and what backfill recovered over the last 30 days.

// GapHorizon is how far ahead backfill looks for gaps (the salon rule).
const GapHorizon = salon.GapHorizon

// rankedForGap is how many clients are ranked for one gap.
const rankedForGap = 20

// Recovery is what backfill brought back over a period.
type Recovery = store.Recovery

// BackfillRecovery is what backfill brought back over the last 30 days.
func (s *Service) BackfillRecovery(ctx context.Context, venueID int64) (Recovery, error) {
	return s.Store.RecoveryMetrics(ctx, venueID, s.Store.Now().AddDate(0, 0, -30))
}

// UpcomingGaps are the venue's open gaps from now to GapHorizon ahead.
func (s *Service) UpcomingGaps(ctx context.Context, v salon.Venue) ([]salon.Gap, error) {
	now := s.Store.Now()
	return s.Store.Gaps(ctx, v, now, now.Add(GapHorizon))
}

// OpenGapAt finds the team member's open gap that holds start (within the horizon),
// starting at start. A gap filled or past since the link was made is a clear conflict.
func (s *Service) OpenGapAt(ctx context.Context, v salon.Venue, staffID int64, start time.Time) (salon.Gap, error) {
	// Only that day's gaps (this runs on every preview change), from now on.
	now := s.Store.Now()
	l := start.In(v.Location())
	from := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, v.Location())
	if from.Before(now) {
		from = now
	}
	to := time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, v.Location())
	if horizon := now.Add(GapHorizon); to.After(horizon) {
		to = horizon
	}
	var gaps []salon.Gap
	if from.Before(to) {
		var err error
		if gaps, err = s.Store.Gaps(ctx, v, from, to); err != nil {
			return salon.Gap{}, err
		}
	}
	for _, g := range gaps {
		if g.StaffID == staffID && !start.Before(g.Start) && start.Before(g.End) {
			g.Start = start
			return g, nil
		}
	}
	return salon.Gap{}, salon.Conflict("That gap is no longer open: it has been booked or has passed. Choose another from the list.")
}

// gapRequest is the slot a service would fill from the gap's start.
func gapRequest(g salon.Gap, svc salon.Service) store.GapRequest {
	return store.GapRequest{StaffID: g.StaffID, Start: g.Start, End: g.Start.Add(time.Duration(svc.DurationMin) * time.Minute), ServiceID: svc.ID}
}

// RankGapClients are the clients best suited to the gap filled with svc, best first.
func (s *Service) RankGapClients(ctx context.Context, v salon.Venue, g salon.Gap, svc salon.Service) ([]salon.Candidate, error) {
	return s.Store.RankGap(ctx, v, gapRequest(g, svc), rankedForGap)
}

// OfferExclusion is how many of the chosen clients one reason leaves out.
type OfferExclusion struct {
	Key, Label string
	Count      int
}

// OfferPreview is who of the chosen clients the offer can go to now, and what it costs.
type OfferPreview struct {
	Count         int              // clients chosen (and found)
	Sendable      int              // of them, those it can go to now
	SendableNames []string         // their first names
	Excluded      []OfferExclusion // the others, by reason in filter order
	CostE4        int64
	WalletShort   bool // the venue's wallet holds less than the cost
}

// PreviewGapOffer checks the chosen clients against the backfill rules as they stand
// now and prices body (which may hold {{FirstName}}) for those it can go to.
func (s *Service) PreviewGapOffer(ctx context.Context, v salon.Venue, g salon.Gap, svc salon.Service, body string, clientIDs []int64) (OfferPreview, error) {
	aud, err := s.Store.OfferAudience(ctx, v, gapRequest(g, svc), clientIDs)
	if err != nil {
		return OfferPreview{}, err
	}
	_, each := salon.MessageCost(v, v.Channel(), MergeFields(body, map[string]string{salon.FieldFirstName: "Alexandra"}))
	p := OfferPreview{Count: aud.Count, Sendable: aud.SendableCount, CostE4: each * int64(len(aud.Sendable))}
	for _, r := range store.ExclusionReasons {
		if n := aud.Excluded[r.Key]; n > 0 {
			p.Excluded = append(p.Excluded, OfferExclusion{Key: r.Key, Label: r.Label, Count: n})
		}
	}
	for _, m := range aud.Sendable {
		p.SendableNames = append(p.SendableNames, m.FirstName)
	}
	// The wallet as it is now, not as the page's venue was loaded; unknown is not short.
	if fresh, err := s.Store.Venue(ctx, v.ID); err == nil && p.CostE4 > fresh.WalletE4 {
		p.WalletShort = true
	}
	return p, nil
}

// WaitingForGap is a waitlist client whose request suits a gap, and whether the offer
// can go to them now (every contact rule of a gap offer applies to them too).
type WaitingForGap struct {
	Entry    salon.WaitlistEntry
	Sendable bool
}

// GapWaitlist lists the waitlist clients whose request suits the gap (salon.
// WaitlistEntry.Suits), in the order they joined, each once: seed 000's backfill scores
// "against the waitlist and recent client history", so they come before the ranked
// clients. Whether each can be offered the gap now follows the offer's own checks
// (store.OfferAudience: opt-outs, block, contact, open conversation, 24-hour cooldown,
// already booked then).
func (s *Service) GapWaitlist(ctx context.Context, v salon.Venue, g salon.Gap, svc salon.Service) ([]WaitingForGap, error) {
	entries, err := s.Store.Waitlist(ctx, v.ID)
	if err != nil || len(entries) == 0 {
		return nil, err
	}
	services, err := s.Store.Services(ctx, v.ID, false)
	if err != nil {
		return nil, err
	}
	var out []WaitingForGap
	var ids []int64
	seen := map[int64]bool{}
	for _, e := range entries {
		if seen[e.ClientID] || !e.Suits(g, services, v.Location()) {
			continue
		}
		seen[e.ClientID] = true
		out = append(out, WaitingForGap{Entry: e})
		ids = append(ids, e.ClientID)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	aud, err := s.Store.OfferAudience(ctx, v, gapRequest(g, svc), ids)
	if err != nil {
		return nil, err
	}
	ok := map[int64]bool{}
	for _, m := range aud.Sendable {
		ok[m.ClientID] = true
	}
	for i := range out {
		out[i].Sendable = ok[out[i].Entry.ClientID]
	}
	return out, nil
}
