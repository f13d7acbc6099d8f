package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"concierge/app"
	"concierge/salon"
	"concierge/views"
)

// Outbox lists the venue's messages, newest first.
func (s *Server) Outbox(c echo.Context) error {
	v := venue(c)
	pageNo, _ := strconv.Atoi(c.QueryParam("page"))
	if pageNo < 1 {
		pageNo = 1
	}
	msgs, err := s.store.OutboxMessages(c.Request().Context(), v.ID, pageNo)
	if err != nil {
		return err
	}
	vm := views.OutboxVM{Provider: "SMS by " + s.cfg.SMSProvider + ", email by " + s.cfg.EmailProvider, Simulator: s.simulatorOn() && v.Country.SendsSMS(), Page: pageNo, HasMore: len(msgs) == 100}
	// Sign-in codes and resume links are stored masked. In outbox mode nothing reaches a
	// phone, so an Owner trying the demo sees the real text here, labelled as a demo aid.
	codes := map[int64]string{}
	if member(c).Role == salon.Owner {
		var ids []int64
		for _, m := range msgs {
			if m.Purpose == salon.PurposeOTP || m.Purpose == salon.PurposeIncompleteBooking {
				ids = append(ids, m.ID)
			}
		}
		if codes, err = s.store.OutboxCodes(c.Request().Context(), v.ID, ids); err != nil {
			return err
		}
	}
	for _, m := range msgs {
		row := messageRow(v, m)
		row.CanSimulateReply = vm.Simulator && m.Direction == salon.Outbound && m.Channel == salon.SMS && m.ClientID != 0
		if secret := codes[m.ID]; secret != "" {
			row.DemoText = salon.RevealCode(m.Body, secret)
		}
		vm.Messages = append(vm.Messages, row)
	}
	return render(c, http.StatusOK, views.OutboxPage(s.page(c, "Messages", "outbox"), vm))
}

func (s *Server) simulatorOn() bool { return s.cfg.SMSProvider == "outbox" }

// SimulateReply lets a newcomer try two-way SMS without Twilio: the text a client's
// reply would be goes straight into the inbound workflow (there is no webhook to
// forge in outbox mode), reaching that one client of this venue and nobody else —
// not the clients of other venues who share the phone.
func (s *Server) SimulateReply(c echo.Context) error {
	if !s.simulatorOn() {
		return salon.ErrForbidden
	}
	v := venue(c)
	ctx := c.Request().Context()
	// Either a reply to one of our texts, or a text from any client with a phone.
	var cl salon.Client
	to := "outbox"
	if id, _ := strconv.ParseInt(c.FormValue("message_id"), 10, 64); id != 0 {
		m, err := s.store.Message(ctx, v.ID, id)
		if err != nil {
			return err
		}
		if m.Direction != salon.Outbound || m.Channel != salon.SMS || m.ClientID == 0 {
			return salon.Invalid(map[string]string{"message_id": "Replies can only be simulated to an SMS sent to a client."})
		}
		if cl, err = s.store.Client(ctx, v.ID, m.ClientID); err != nil {
			return err
		}
		to = m.From
	} else {
		cid, _ := strconv.ParseInt(c.FormValue("client_id"), 10, 64)
		var err error
		if cl, err = s.store.Client(ctx, v.ID, cid); err != nil {
			return salon.Invalid(map[string]string{"client_id": "Choose a client."})
		}
	}
	if cl.Phone == "" {
		return salon.Invalid(map[string]string{"client_id": cl.FullName() + " has no phone number."})
	}
	if !v.Country.SendsSMS() {
		return salon.Invalid(map[string]string{"body": v.Name + " is email-only: there are no texts to simulate."})
	}
	body := strings.TrimSpace(c.FormValue("body"))
	if body == "" || len(body) > 1600 {
		return salon.Invalid(map[string]string{"body": "Type the text to simulate (up to 1,600 characters)."})
	}
	sid := make([]byte, 16)
	rand.Read(sid)
	in := app.InboundText{SID: "SMsim" + hex.EncodeToString(sid), Provider: "outbox", From: cl.Phone, To: to, Body: body,
		Stop: []salon.Client{cl}, Reply: []salon.Client{cl}}
	if err := s.concierge.ProcessInbound(ctx, in); err != nil {
		return err
	}
	return redirectAfterPost(c, "/app/"+v.Slug+"/outbox?saved=reply")
}
