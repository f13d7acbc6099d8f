package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"

	"concierge/salon"
)

// The Messages page (the outbox) and, in outbox mode, simulated client replies.

// OutboxPageSize is how many messages one page of the outbox shows.
const OutboxPageSize = 100

// OutboxPage is one page of the venue's messages, newest first, and, when revealCodes
// (an Owner trying the demo, where nothing reaches a phone), the real sign-in codes and
// resume links behind the masked texts, by message id.
func (s *Service) OutboxPage(ctx context.Context, venueID int64, page int, revealCodes bool) ([]salon.Message, map[int64]string, error) {
	msgs, err := s.Store.OutboxMessages(ctx, venueID, page)
	if err != nil || !revealCodes {
		return msgs, map[int64]string{}, err
	}
	var ids []int64
	for _, m := range msgs {
		if m.Purpose == salon.PurposeOTP || m.Purpose == salon.PurposeIncompleteBooking {
			ids = append(ids, m.ID)
		}
	}
	codes, err := s.Store.OutboxCodes(ctx, venueID, ids)
	return msgs, codes, err
}

// SimulateReply puts the text a client's reply would be straight into the inbound
// workflow: a reply to one of our texts (messageID), or a text from any client of the
// venue with a phone (clientID). It reaches that one client of this venue and nobody
// else — not the clients of other venues who share the phone.
func (s *Service) SimulateReply(ctx context.Context, v salon.Venue, messageID, clientID int64, body string) error {
	var cl salon.Client
	to := "outbox"
	if messageID != 0 {
		m, err := s.Store.Message(ctx, v.ID, messageID)
		if err != nil {
			return err
		}
		if m.Direction != salon.Outbound || m.Channel != salon.SMS || m.ClientID == 0 {
			return salon.Invalid(map[string]string{"message_id": "Replies can only be simulated to an SMS sent to a client."})
		}
		if cl, err = s.Store.Client(ctx, v.ID, m.ClientID); err != nil {
			return err
		}
		to = m.From
	} else {
		var err error
		if cl, err = s.Store.Client(ctx, v.ID, clientID); err != nil {
			return salon.Invalid(map[string]string{"client_id": "Choose a client."})
		}
	}
	if cl.Phone == "" {
		return salon.Invalid(map[string]string{"client_id": cl.FullName() + " has no phone number."})
	}
	if !v.Country.SendsSMS() {
		return salon.Invalid(map[string]string{"body": v.Name + " is email-only: there are no texts to simulate."})
	}
	body = strings.TrimSpace(body)
	if body == "" || len(body) > salon.MaxTextChars {
		return salon.Invalid(map[string]string{"body": "Type the text to simulate (up to 1,600 characters)."})
	}
	sid := make([]byte, 16)
	rand.Read(sid)
	return s.ProcessInbound(ctx, InboundText{SID: "SMsim" + hex.EncodeToString(sid), Provider: "outbox", From: cl.Phone, To: to, Body: body,
		Stop: []salon.Client{cl}, Reply: []salon.Client{cl}})
}
