package handlers

import (
	"net/http"
	"strconv"

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
	// Sign-in codes and resume links are stored masked. In outbox mode nothing reaches a
	// phone, so an Owner trying the demo sees the real text here, labelled as a demo aid.
	msgs, codes, err := s.concierge.OutboxPage(c.Request().Context(), v.ID, pageNo, member(c).Role == salon.Owner)
	if err != nil {
		return err
	}
	vm := views.OutboxVM{Provider: "SMS by " + s.cfg.SMSProvider + ", email by " + s.cfg.EmailProvider, Simulator: s.simulatorOn() && v.Country.SendsSMS(), Page: pageNo, HasMore: len(msgs) == app.OutboxPageSize}
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
	// Either a reply to one of our texts, or a text from any client with a phone.
	messageID, _ := strconv.ParseInt(c.FormValue("message_id"), 10, 64)
	clientID, _ := strconv.ParseInt(c.FormValue("client_id"), 10, 64)
	if err := s.concierge.SimulateReply(c.Request().Context(), v, messageID, clientID, c.FormValue("body")); err != nil {
		return err
	}
	return redirectAfterPost(c, "/app/"+v.Slug+"/outbox?saved=reply")
}
