package handlers

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"concierge/salon"
)

// validTwilio checks the request's signature against the configured public URL of the
// route. Nothing is read or changed before this passes. Without a Twilio account there
// is nothing to check against: the route does not exist (404). A nil form means the
// answer is decided: the handler returns err as it is.
func (s *Server) validTwilio(c echo.Context, path string) (url.Values, error) {
	if s.validator == nil {
		return nil, echo.ErrNotFound
	}
	form, err := c.FormParams()
	if err != nil || !s.validator.Valid(s.linkBase()+path, form, c.Request().Header.Get("X-Twilio-Signature")) {
		return nil, c.String(http.StatusForbidden, "invalid signature")
	}
	return form, nil
}

// TwilioInbound receives an SMS from a client, sent to one of our numbers.
func (s *Server) TwilioInbound(c echo.Context) error {
	form, err := s.validTwilio(c, "/webhooks/twilio/sms")
	if form == nil {
		return err
	}
	ctx := c.Request().Context()
	in, err := s.concierge.RouteInbound(ctx, form.Get("MessageSid"), form.Get("From"), form.Get("To"), form.Get("Body"))
	if err != nil {
		return err
	}
	if err := s.concierge.ProcessInbound(ctx, in); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "text/xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><Response></Response>`))
}

// TwilioStatus receives a delivery status callback. A status only moves forward, so a
// replayed or late callback changes nothing.
func (s *Server) TwilioStatus(c echo.Context) error {
	form, err := s.validTwilio(c, "/webhooks/twilio/status")
	if form == nil {
		return err
	}
	status, known := salon.ProviderStatus(form.Get("MessageStatus"))
	if !known || form.Get("MessageSid") == "" {
		return c.NoContent(http.StatusNoContent)
	}
	errText := ""
	if code := form.Get("ErrorCode"); code != "" {
		errText = "Twilio error " + code
	}
	if err := s.concierge.DeliveryStatus(c.Request().Context(), "twilio", form.Get("MessageSid"), status, errText); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
