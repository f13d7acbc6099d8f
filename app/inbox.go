package app

import (
	"context"
	"fmt"
	"time"

	"concierge/salon"
	"concierge/store"
)

// The inbox (threads, replies, conversation status) and the flash deal's public page
// with its claim and confirmation.

// Conversation is one inbox thread as the list shows it.
type Conversation = store.Conversation

// Conversations lists the inbox; status "" means every thread not closed.
func (s *Service) Conversations(ctx context.Context, venueID int64, status string) ([]Conversation, error) {
	return s.Store.Conversations(ctx, venueID, status)
}

// Thread is one client's conversation: its status ("" before any) and its messages.
type Thread struct {
	Client   salon.Client
	Status   string
	Messages []salon.Message
}

// ThreadWith loads a client's conversation with the venue.
func (s *Service) ThreadWith(ctx context.Context, venueID int64, cl salon.Client) (Thread, error) {
	status, err := s.Store.ConversationStatus(ctx, venueID, cl.ID)
	if err != nil {
		return Thread{}, err
	}
	msgs, err := s.Store.ClientMessages(ctx, venueID, cl.ID)
	if err != nil {
		return Thread{}, err
	}
	return Thread{Client: cl, Status: status, Messages: msgs}, nil
}

// ReadThread opens a client's conversation for the person at the keyboard: an unread
// one is marked open, as they are reading it now.
func (s *Service) ReadThread(ctx context.Context, w Who, clientID int64) (Thread, error) {
	cl, err := s.Store.Client(ctx, w.Venue.ID, clientID)
	if err != nil {
		return Thread{}, err
	}
	st, err := s.Store.ConversationStatus(ctx, w.Venue.ID, clientID)
	if err != nil {
		return Thread{}, err
	}
	if st == salon.ConversationUnread {
		if err := s.Store.SetConversationStatus(ctx, w.Venue.ID, clientID, w.User.ID, salon.ConversationOpen); err != nil {
			return Thread{}, err
		}
	}
	return s.ThreadWith(ctx, w.Venue.ID, cl)
}

// InboxReply sends a reply to a client from the inbox and opens the conversation. A
// reply that cannot go comes back as problem, worded for beside the reply box (the
// reply itself needs fixing, or why the send failed); err is for anything else.
func (s *Service) InboxReply(ctx context.Context, w Who, clientID int64, body string) (cl salon.Client, problem string, err error) {
	v := w.Venue
	if cl, err = s.Store.Client(ctx, v.ID, clientID); err != nil {
		return cl, "", err
	}
	if err := salon.CheckInboxReply(v.Channel(), body); err != nil {
		return cl, salon.FieldErrors(err)["body"], nil
	}
	if err := s.localLinkErr(body); err != nil {
		return cl, salon.FieldErrors(err)["body"], nil
	}
	_, err = s.Dispatch.SendToClient(ctx, v.ID, cl, v.Channel(), salon.PurposeInboxReply, "Re: your message to "+v.Name, body)
	if err != nil {
		if fe := salon.FieldErrors(err); fe["body"] != "" {
			return cl, fe["body"], nil
		}
		return cl, "The reply could not be sent: " + salon.ErrorMessage(err), nil
	}
	return cl, "", s.Store.SetConversationStatus(ctx, v.ID, clientID, w.User.ID, salon.ConversationOpen)
}

// SetThreadStatus opens, escalates or closes a client's conversation.
func (s *Service) SetThreadStatus(ctx context.Context, w Who, clientID int64, status string) error {
	if _, err := s.Store.Client(ctx, w.Venue.ID, clientID); err != nil {
		return err
	}
	return s.Store.SetConversationStatus(ctx, w.Venue.ID, clientID, w.User.ID, status)
}

// DealOffer is a flash deal's public page: the deal, its venue, whether its slot has
// been booked some other way, and the client signed in for the venue (zero: nobody).
type DealOffer struct {
	Deal     salon.Deal
	Venue    salon.Venue
	Taken    bool
	SignedIn salon.Client
}

// Expired reports whether the deal can no longer be claimed by now.
func (o DealOffer) Expired(now time.Time) bool { return !now.Before(o.Deal.ExpiresAt) }

// DealByToken loads a flash deal's page. signedIn names the client signed in for the
// deal's venue (0: nobody); the slot is checked only while the deal is open at now.
func (s *Service) DealByToken(ctx context.Context, token string, now time.Time, signedIn func(salon.Venue) int64) (DealOffer, error) {
	d, err := s.Store.DealByToken(ctx, token)
	if err != nil {
		return DealOffer{Deal: d}, err
	}
	o := DealOffer{Deal: d}
	if o.Venue, err = s.Store.Venue(ctx, d.VenueID); err != nil {
		return o, err
	}
	if d.BookingID == 0 && !o.Expired(now) {
		if o.Taken, err = s.Store.SlotTaken(ctx, d.VenueID, d.StaffID, d.Start, d.End); err != nil {
			return o, err
		}
	}
	if id := signedIn(o.Venue); id != 0 {
		if cl, err := s.Store.Client(ctx, o.Venue.ID, id); err == nil {
			o.SignedIn = cl
		}
	}
	return o, nil
}

// DealWhen is how a deal's slot reads on its page and in its confirmation.
func DealWhen(d salon.Deal, v salon.Venue) string {
	return d.Start.In(v.Location()).Format("Monday 2 January, 15:04")
}

// ClaimDeal books a flash deal for a client signed in for its venue, the first to claim
// it, confirms it to them and tells the venue. salon.ErrDealTaken: someone was first.
func (s *Service) ClaimDeal(ctx context.Context, o DealOffer, clientID int64) error {
	d, err := s.Store.ClaimDeal(ctx, o.Deal.Token, clientID)
	if err != nil {
		return err
	}
	b, err := s.Store.Booking(ctx, d.VenueID, d.BookingID)
	if err != nil {
		return nil // booked; only the confirmation is lost
	}
	when := DealWhen(d, o.Venue)
	if cl, err := s.Store.Client(ctx, d.VenueID, b.ClientID); err == nil {
		ch := salon.Venue{Country: d.Country}.Channel()
		msg := fmt.Sprintf("You're booked: %s with %s, %s, at %s (flash deal, %s). See you then!", d.ServiceName, d.StaffName, when,
			d.VenueName, salon.FormatMinor(d.Country, d.DealPriceMinor))
		if _, serr := s.Dispatch.SendToClient(ctx, d.VenueID, cl, ch, salon.PurposeBookingConfirm, "Your booking at "+d.VenueName, msg); serr != nil && s.Log != nil {
			s.Log.Warn("deal confirmation failed", "deal", d.ID, "err", serr)
		}
	}
	s.Notify(ctx, d.VenueID, 0, "deal_claimed", fmt.Sprintf("%s claimed the flash deal: %s with %s, %s.", b.ClientName,
		d.ServiceName, d.StaffName, when), fmt.Sprintf("/app/%s/bookings/%d", d.VenueSlug, b.ID))
	return nil
}
