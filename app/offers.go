package app

import (
	"context"
	"fmt"
	"sort"
	"time"

	"concierge/salon"
	"concierge/store"
)

// Gap offers: a team member's open slot offered by SMS (email at an email-only venue)
// to at most salon.MaxOfferRecipients ranked clients; the first YES books it (see
// inbound.go).

// GapServices are the staff member's services that fit the gap, longest first (the
// default offer fills as much of the gap as it can).
func (s *Service) GapServices(ctx context.Context, v salon.Venue, g salon.Gap) ([]salon.Service, error) {
	all, err := s.Store.Services(ctx, v.ID, false)
	if err != nil {
		return nil, err
	}
	var out []salon.Service
	for _, sv := range all {
		if sv.Archived || time.Duration(sv.DurationMin)*time.Minute > g.End.Sub(g.Start) {
			continue
		}
		for _, st := range sv.StaffIDs {
			if st == g.StaffID {
				out = append(out, sv)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].DurationMin > out[j].DurationMin })
	return out, nil
}

// GapOffer is what staff chose to offer: the service, the clients and the text.
type GapOffer struct {
	ServiceID int64
	ClientIDs []int64
	Body      string // may hold {{FirstName}} (or the older {{name}})
}

// SendGapOffer checks an offer, queues one message per client who can be reached now
// and hands them over. A refusal is a salon.Invalid error keyed by the form's field
// (client, body, service_id). It returns how many were handed over of how many queued.
func (s *Service) SendGapOffer(ctx context.Context, v salon.Venue, userID int64, g salon.Gap, o GapOffer) (sent, queued int, err error) {
	refuse := func(field, msg string) (int, int, error) {
		return 0, 0, salon.Invalid(map[string]string{field: msg})
	}
	switch {
	case len(o.ClientIDs) == 0:
		return refuse("client", "Choose at least one client to offer the gap to.")
	case len(o.ClientIDs) > salon.MaxOfferRecipients:
		return refuse("client", fmt.Sprintf("Choose at most %d clients: the first YES gets the slot.", salon.MaxOfferRecipients))
	case o.Body == "":
		return refuse("body", "Write the offer.")
	case salon.OverSMSLimit(o.Body):
		return refuse("body", fmt.Sprintf("Keep the offer under %d characters.", salon.SMSDraftLimit))
	case v.InQuietHours(s.Store.Now()):
		return refuse("body", fmt.Sprintf("It's quiet hours at %s (%s–%s): offers go out after %s.", v.Name, v.QuietStart, v.QuietEnd, v.QuietEnd))
	}
	services, err := s.GapServices(ctx, v, g)
	if err != nil {
		return 0, 0, err
	}
	var svc salon.Service
	for _, sv := range services {
		if sv.ID == o.ServiceID {
			svc = sv
		}
	}
	if svc.ID == 0 {
		return refuse("service_id", "Choose a service that fits the gap.")
	}
	req := store.GapRequest{StaffID: g.StaffID, Start: g.Start, End: g.Start.Add(time.Duration(svc.DurationMin) * time.Minute), ServiceID: svc.ID}
	aud, err := s.Store.OfferAudience(ctx, v, req, o.ClientIDs)
	if err != nil {
		return 0, 0, err
	}
	if aud.SendableCount == 0 {
		return refuse("client", "None of the chosen clients can be messaged now.")
	}
	var to []store.OfferRecipient
	var cost int64
	for _, m := range aud.Sendable {
		body := MergeFields(o.Body, map[string]string{salon.FieldFirstName: m.FirstName})
		if errs := salon.CheckOutbound(v.Channel(), "An opening at "+v.Name, body); errs != nil {
			return refuse("body", errs["body"]) // a hole (unfilled field, empty link) goes to nobody
		}
		to = append(to, store.OfferRecipient{ClientID: m.ClientID, To: m.Contact, Body: body})
		_, each := salon.MessageCost(v, v.Channel(), body)
		cost += each
	}
	if fresh, err := s.Store.Venue(ctx, v.ID); err != nil {
		return 0, 0, err
	} else if cost > fresh.WalletE4 {
		return refuse("client", "Wallet balance is short, top up before sending.")
	}
	_, ids, err := s.Store.CreateOffer(ctx, v, store.NewOffer{StaffID: g.StaffID, ServiceID: svc.ID, Start: g.Start, Body: o.Body, CreatedBy: userID}, to)
	if salon.ErrorCode(err) != "" && salon.FieldErrors(err) == nil {
		return refuse("client", salon.ErrorMessage(err))
	}
	if err != nil {
		return 0, 0, err
	}
	for _, id := range ids {
		if m, err := s.Dispatch.Deliver(ctx, v.ID, id); err == nil && m.Status != salon.StatusFailed {
			sent++
		}
	}
	return sent, len(ids), nil
}
