package app

import (
	"context"
	"fmt"
	"strings"

	"concierge/salon"
	"concierge/store"
)

// Inbound texts: STOP/START for every venue a text applies to, YES to a gap offer (the
// first YES wins), one short question for an unclear answer, and everything else into
// the conversation. The Twilio webhook and the outbox's "simulate a reply" both end here.

// InboundText is one text from a client's phone and the clients (one per venue) it
// reaches. The webhook works them out from the number the text was sent to; the
// outbox's simulator names its one client.
type InboundText struct {
	SID, Provider, From, To, Body string
	// Stop are the clients a STOP or START applies to: the client in every venue that
	// sends from the number (or has texted them from it).
	Stop []salon.Client
	// Reply are the clients whose venues hold the conversation: the venues that have
	// texted them from the number. A YES goes only to those of them holding an offer.
	Reply []salon.Client
}

// RouteInbound finds whom a Twilio text reaches. It is matched by the number it was
// sent to as well as the sender's phone: a client of two venues is two clients, and a
// text to one venue's number is none of the other's business.
func (s *Service) RouteInbound(ctx context.Context, sid, fromRaw, toRaw, body string) (InboundText, error) {
	in := InboundText{SID: sid, Provider: "twilio", Body: body, To: strings.TrimSpace(toRaw)}
	from, err := salon.ParsePhone(fromRaw, salon.AU)
	if in.SID == "" || in.To == "" || err != nil {
		return in, nil // nothing we can attribute; Twilio still gets a 200 so it does not retry
	}
	in.From = from
	if to, err := salon.ParsePhone(in.To, salon.AU); err == nil {
		in.To = to
	}
	matches, err := s.Store.ClientsByPhoneTo(ctx, from, in.To)
	if err != nil {
		return in, err
	}
	// Which of the venues knowing this phone send from the number it was sent to: only
	// theirs are read (a text never loads every venue of the install).
	sends := map[int64]bool{}
	for _, m := range matches {
		id := m.Client.VenueID
		if _, seen := sends[id]; seen {
			continue
		}
		v, err := s.Store.Venue(ctx, id)
		if err != nil {
			return in, err
		}
		sends[id] = v.Country.SendsSMS() && v.SendingNumber(s.DefaultSMSFrom) == in.To
	}
	var ofSenders []salon.Client
	for _, m := range matches {
		if sends[m.Client.VenueID] || m.Texted {
			in.Stop = append(in.Stop, m.Client)
		}
		if m.Texted {
			in.Reply = append(in.Reply, m.Client)
		}
		if sends[m.Client.VenueID] {
			ofSenders = append(ofSenders, m.Client)
		}
	}
	// A client may text a number before any venue has texted them from it. It is then
	// the conversation of the one venue sending from it that knows them; when several
	// do, nobody can tell whose it is, and it is given to none.
	if len(in.Reply) == 0 && len(ofSenders) == 1 {
		in.Reply = ofSenders
	}
	if len(in.Stop) == 0 && len(in.Reply) == 0 {
		s.logger().Info("inbound text reaches no venue", "to", in.To, "clients", len(matches))
	}
	return in, nil
}

// ProcessInbound records an inbound text where it belongs and acts on it: STOP/START
// for every venue it applies to; a YES books the offer of the one venue holding it (a
// short question when several do); an unclear answer to an offer gets one short
// question; anything else joins the conversation. A replayed MessageSid is recorded
// once and acted on once.
func (s *Service) ProcessInbound(ctx context.Context, in InboundText) error {
	if in.SID == "" {
		return nil
	}
	if kw := salon.ParseKeyword(in.Body); kw != salon.NoKeyword {
		return s.applyKeyword(ctx, in, kw == salon.OptOutKeyword)
	}
	var offers []heldOffer
	for _, cl := range in.Reply {
		o, found, err := s.Store.OpenOffer(ctx, cl.VenueID, cl.ID)
		if err != nil {
			return err
		}
		if !found {
			continue
		}
		v, err := s.Store.Venue(ctx, cl.VenueID)
		if err != nil {
			return err
		}
		offers = append(offers, heldOffer{client: cl, venue: v, offer: o})
	}
	if len(offers) == 0 {
		_, err := s.recordInbound(ctx, in, in.Reply...)
		return err
	}
	names := make([]string, len(offers))
	for i, h := range offers {
		names[i] = h.venue.Name
	}
	r := salon.ReadOfferReply(in.Body, names)
	switch {
	case r.Kind == salon.ReplyYes && (len(offers) == 1 || r.Named >= 0):
		h := offers[max(r.Named, 0)]
		created, err := s.recordInbound(ctx, in, h.client)
		if err != nil || !created {
			return err
		}
		return s.acceptOffer(ctx, h.venue, h.client)
	case r.Kind == salon.ReplyYes: // several venues' offers: which one?
		var clients []salon.Client
		for _, h := range offers {
			clients = append(clients, h.client)
		}
		created, err := s.recordInbound(ctx, in, clients...)
		if err != nil || !created {
			return err
		}
		s.askWhich(ctx, offers)
		return nil
	}
	created, err := s.recordInbound(ctx, in, in.Reply...)
	if err != nil || !created || r.Kind == salon.ReplyNo {
		return err
	}
	// Unclear: one short question per offer, never a conversation with a machine, and
	// none to a client who has opted out of texts since the offer.
	if len(offers) > 1 {
		if l := latest(offers); !l.offer.Asked && !l.client.SMSOptOut {
			s.askWhich(ctx, offers)
		}
		return nil
	}
	h := offers[0]
	if h.offer.Asked || h.client.SMSOptOut {
		return nil
	}
	when := h.offer.Start.In(h.venue.Location()).Format("Mon 2 Jan at 15:04")
	s.replyTo(ctx, h.venue, h.client, salon.PurposeOfferQuestion, fmt.Sprintf("Sorry, we didn't catch that. Reply YES to book %s with %s, %s, at %s, or ignore this text if it doesn't suit.",
		h.offer.ServiceName, h.offer.StaffName, when, h.venue.Name))
	return nil
}

// heldOffer is an open offer a client holds at one venue.
type heldOffer struct {
	client salon.Client
	venue  salon.Venue
	offer  store.OpenOffer
}

// latest is the most recently texted of several offers.
func latest(offers []heldOffer) heldOffer {
	l := offers[0]
	for _, h := range offers[1:] {
		if h.offer.MessageID > l.offer.MessageID {
			l = h
		}
	}
	return l
}

// askWhich answers a client holding offers from several venues that share a number:
// one short text, from the venue of the latest offer, naming the venues only.
func (s *Service) askWhich(ctx context.Context, offers []heldOffer) {
	var names []string
	for _, h := range offers {
		names = append(names, h.venue.Name)
	}
	l := latest(offers)
	list := strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	s.replyTo(ctx, l.venue, l.client, salon.PurposeOfferQuestion, fmt.Sprintf("You have openings on offer from %s. Reply YES and the name, like YES %s, to book one.",
		list, l.venue.Name))
}

// applyKeyword opts the client out of (or back into) SMS at every venue the text
// reaches, with one confirmation from each venue whose setting changed.
func (s *Service) applyKeyword(ctx context.Context, in InboundText, optOut bool) error {
	for _, cl := range in.Stop {
		created, err := s.recordInbound(ctx, in, cl)
		if err != nil {
			return err
		}
		if !created {
			continue
		}
		changed, err := s.Store.SetSMSOptOut(ctx, cl.VenueID, cl.ID, optOut)
		if err != nil {
			return err
		}
		if !changed {
			continue
		}
		v, err := s.Store.Venue(ctx, cl.VenueID)
		if err != nil {
			return err
		}
		reply := fmt.Sprintf("You have been unsubscribed from %s texts. Reply START to opt back in.", v.Name)
		if !optOut {
			reply = fmt.Sprintf("You are subscribed to %s texts again. Reply STOP to opt out.", v.Name)
		}
		s.replyTo(ctx, v, cl, salon.PurposeOptOutConfirm, reply)
	}
	return nil
}

// recordInbound puts the text in each client's conversation. The provider id is per
// client, so one text reaching clients of two venues is recorded in both; created
// reports whether any of them is new (a replayed webhook creates none).
func (s *Service) recordInbound(ctx context.Context, in InboundText, clients ...salon.Client) (created bool, err error) {
	for _, cl := range clients {
		_, isNew, err := s.Store.RecordInbound(ctx, cl.VenueID, store.InboundMessage{ClientID: cl.ID, Channel: salon.SMS,
			From: in.From, To: in.To, Body: in.Body, Provider: in.Provider, ProviderID: fmt.Sprintf("%s/%d", in.SID, cl.ID)})
		if err != nil {
			return created, err
		}
		created = created || isNew
	}
	return created, nil
}

// replyTo texts the client from their venue; a failed send is logged, not retried
// (the inbound text is already recorded and Twilio must not resend it).
func (s *Service) replyTo(ctx context.Context, v salon.Venue, cl salon.Client, p salon.Purpose, body string) {
	if _, err := s.Dispatch.SendToClient(ctx, v.ID, cl, salon.SMS, p, "", body); err != nil {
		s.logger().Warn("reply to inbound text failed", "client_id", cl.ID, "purpose", p, "err", err)
	}
}

// acceptOffer answers a YES: it books the client's offered gap if it is still open
// (the first YES wins) and confirms, or says politely that it has just been taken.
func (s *Service) acceptOffer(ctx context.Context, v salon.Venue, cl salon.Client) error {
	r, err := s.Store.AcceptOffer(ctx, v, cl.ID)
	if err != nil || r.Outcome == store.NoOpenOffer {
		return err
	}
	when := r.Start.In(v.Location()).Format("Mon 2 Jan at 15:04")
	reply := fmt.Sprintf("You're booked: %s with %s, %s, at %s. See you then!", r.ServiceName, r.StaffName, when, v.Name)
	switch r.Outcome {
	case store.OfferTaken:
		reply = fmt.Sprintf("Sorry, the %s opening at %s has just been taken. We'll let you know when another comes up.", when, v.Name)
	case store.OfferAlreadyYours:
		reply = fmt.Sprintf("You're already booked: %s with %s, %s, at %s.", r.ServiceName, r.StaffName, when, v.Name)
	default:
		s.Notify(ctx, v.ID, 0, "backfill_booked", fmt.Sprintf("%s replied YES and is booked: %s with %s, %s.", cl.FullName(), r.ServiceName,
			r.StaffName, when), fmt.Sprintf("/app/%s/bookings/%d", v.Slug, r.BookingID))
	}
	s.replyTo(ctx, v, cl, salon.PurposeBookingConfirm, reply)
	return nil
}

// DeliveryStatus applies a provider's delivery callback. A status only moves forward,
// so a replayed or late callback changes nothing.
func (s *Service) DeliveryStatus(ctx context.Context, provider, providerID string, status salon.MessageStatus, errText string) error {
	_, err := s.Store.ApplyProviderStatus(ctx, provider, providerID, status, errText)
	return err
}
