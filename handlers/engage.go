package handlers

import (
	"net/http"
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

// EngageDetail shows one batch send per recipient.
func (s *Server) EngageDetail(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	v := venue(c)
	b, msgs, err := s.concierge.BatchSendDetail(c.Request().Context(), v.ID, id)
	if err != nil {
		return err
	}
	vm := views.EngageDetailVM{Send: engageRow(v, b)}
	for _, m := range msgs {
		vm.Messages = append(vm.Messages, messageRow(v, m))
	}
	return render(c, http.StatusOK, views.EngageDetailPage(s.page(c, b.Title, "engage"), vm))
}
