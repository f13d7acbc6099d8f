package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"concierge/app"
	"concierge/salon"
	"concierge/views"
)

func engageRow(v salon.Venue, b app.BatchSend) views.EngageRow {
	act, _ := salon.LookupAction(b.Kind)
	return views.EngageRow{ActionID: b.ActionID, Title: b.Title, Kind: act.Name, By: b.By, Channel: strings.ToUpper(string(b.Channel)),
		At: b.At.In(v.Location()).Format("Mon 2 Jan, 15:04"), Cost: salon.FormatE4(v.Country, b.CostE4), Recipients: b.Recipients,
		Delivered: b.Delivered, Sent: b.Sent, Failed: b.Failed, Unknown: b.Unknown, Pending: b.Pending}
}

// Engage lists every batch send.
func (s *Server) Engage(c echo.Context) error {
	v := venue(c)
	sends, err := s.concierge.BatchSends(c.Request().Context(), v.ID)
	if err != nil {
		return err
	}
	var vm views.EngageVM
	for _, b := range sends {
		vm.Sends = append(vm.Sends, engageRow(v, b))
	}
	return render(c, http.StatusOK, views.EngagePage(s.page(c, "Engage", "engage"), vm))
}

// EngageDetail shows one batch send: the message, what followed it, and its recipients
// a page at a time (?page=2).
func (s *Server) EngageDetail(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	page, _ := strconv.Atoi(c.QueryParam("page"))
	if page < 1 {
		page = 1
	}
	v := venue(c)
	b, o, msgs, err := s.concierge.BatchSendDetail(c.Request().Context(), v.ID, id, page)
	if err != nil {
		return err
	}
	vm := views.EngageDetailVM{Send: engageRow(v, b), Body: b.Body, Outcome: views.EngageOutcome{Replied: o.Replied, Booked: o.Booked,
		Bookings: o.Bookings, Revenue: salon.FormatMinor(v.Country, o.RevenueMinor), Days: int(salon.OutcomeWindow.Hours() / 24)}}
	for _, m := range msgs {
		vm.Messages = append(vm.Messages, messageRow(v, m))
	}
	if len(msgs) > 0 {
		vm.From = (page-1)*app.RecipientsPerPage + 1
		vm.To = vm.From + len(msgs) - 1
	}
	self := s.page(c, b.Title, "engage").AppURL("engage", id)
	if page > 1 {
		vm.PrevURL = fmt.Sprintf("%s?page=%d", self, page-1)
	}
	if page*app.RecipientsPerPage < b.Recipients {
		vm.NextURL = fmt.Sprintf("%s?page=%d", self, page+1)
	}
	return render(c, http.StatusOK, views.EngageDetailPage(s.page(c, b.Title, "engage"), vm))
}
