package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"concierge/salon"
	"concierge/store"
)

// validTwilio checks the request's signature against the configured public URL of the
// route. Nothing is read or changed before this passes.
func (s *Server) validTwilio(c echo.Context, path string) (url.Values, bool) {
	form, err := c.FormParams()
	if err != nil {
		return nil, false
	}
	return form, s.validator.Valid(s.cfg.PublicURL+path, form, c.Request().Header.Get("X-Twilio-Signature"))
}

// TwilioInbound receives an SMS from a client.
func (s *Server) TwilioInbound(c echo.Context) error {
	form, ok := s.validTwilio(c, "/webhooks/twilio/sms")
	if !ok {
		return c.String(http.StatusForbidden, "invalid signature")
	}
	if err := s.processInbound(c.Request().Context(), form); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "text/xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><Response></Response>`))
}

// processInbound records an inbound SMS for every client with that phone number and
// applies STOP/START words. A replayed MessageSid is recorded once and acted on once.
func (s *Server) processInbound(ctx context.Context, form url.Values) error {
	sid, body := form.Get("MessageSid"), form.Get("Body")
	from, err := salon.ParsePhone(form.Get("From"), salon.AU)
	if sid == "" || err != nil {
		return nil // nothing we can attribute; Twilio still gets a 200 so it does not retry
	}
	clients, err := s.store.ClientsByPhone(ctx, from)
	if err != nil {
		return err
	}
	kw := salon.ParseKeyword(body)
	for _, cl := range clients {
		// The provider id is per client, so one text from a number shared by clients
		// of two venues is recorded in both.
		_, created, err := s.store.RecordInbound(ctx, cl.VenueID, store.InboundMessage{ClientID: cl.ID, Channel: salon.SMS,
			From: from, To: form.Get("To"), Body: body, Provider: "twilio", ProviderID: fmt.Sprintf("%s/%d", sid, cl.ID)})
		if err != nil {
			return err
		}
		if created && kw == salon.NoKeyword && salon.IsYes(body) {
			if err := s.acceptOffer(ctx, cl); err != nil {
				return err
			}
			continue
		}
		if !created || kw == salon.NoKeyword {
			continue
		}
		optOut := kw == salon.OptOutKeyword
		changed, err := s.store.SetSMSOptOut(ctx, cl.VenueID, cl.ID, optOut)
		if err != nil {
			return err
		}
		if !changed {
			continue
		}
		v, err := s.store.Venue(ctx, cl.VenueID)
		if err != nil {
			return err
		}
		reply := fmt.Sprintf("You have been unsubscribed from %s texts. Reply START to opt back in.", v.Name)
		if !optOut {
			reply = fmt.Sprintf("You are subscribed to %s texts again. Reply STOP to opt out.", v.Name)
		}
		if _, err := s.dispatch.SendToClient(ctx, v.ID, cl, salon.SMS, salon.PurposeOptOutConfirm, "", reply); err != nil && s.log != nil {
			s.log.Warn("opt-out confirmation failed", "client_id", cl.ID, "err", err)
		}
	}
	return nil
}

// acceptOffer answers a YES: it books the client's offered gap if it is still open
// (the first YES wins) and confirms, or says politely that it has just been taken. A YES
// with no offer behind it is an ordinary reply, left for the inbox.
func (s *Server) acceptOffer(ctx context.Context, cl salon.Client) error {
	v, err := s.store.Venue(ctx, cl.VenueID)
	if err != nil {
		return err
	}
	r, err := s.store.AcceptOffer(ctx, v, cl.ID)
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
		s.store.Notify(ctx, v.ID, 0, "backfill_booked", fmt.Sprintf("%s replied YES and is booked: %s with %s, %s.", cl.FullName(), r.ServiceName,
			r.StaffName, when), fmt.Sprintf("/app/%s/bookings/%d", v.Slug, r.BookingID))
	}
	if _, err := s.dispatch.SendToClient(ctx, v.ID, cl, salon.SMS, salon.PurposeBookingConfirm, "", reply); err != nil && s.log != nil {
		s.log.Warn("gap offer reply failed", "client_id", cl.ID, "err", err)
	}
	return nil
}

// TwilioStatus receives a delivery status callback. A status only moves forward, so a
// replayed or late callback changes nothing.
func (s *Server) TwilioStatus(c echo.Context) error {
	form, ok := s.validTwilio(c, "/webhooks/twilio/status")
	if !ok {
		return c.String(http.StatusForbidden, "invalid signature")
	}
	status, known := salon.ProviderStatus(form.Get("MessageStatus"))
	if !known || form.Get("MessageSid") == "" {
		return c.NoContent(http.StatusNoContent)
	}
	errText := ""
	if code := form.Get("ErrorCode"); code != "" {
		errText = "Twilio error " + code
	}
	if _, err := s.store.ApplyProviderStatus(c.Request().Context(), "twilio", form.Get("MessageSid"), status, errText); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
