package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"concierge/salon"
	"concierge/views"
)

// clientDataVM is the client page's export and forget card for the viewer's role.
func clientDataVM(m salon.Membership, cl salon.Client) views.ClientDataVM {
	return views.ClientDataVM{ClientID: cl.ID, CanExport: m.CanExportClientData(), CanForget: m.CanForgetClient(), Forgotten: cl.Forgotten()}
}

// ExportClientJSON downloads one client's data as JSON (Owner or Manager).
func (s *Server) ExportClientJSON(c echo.Context) error { return s.exportClient(c, "json") }

// ExportClientCSV downloads one client's data as CSV (Owner or Manager).
func (s *Server) ExportClientCSV(c echo.Context) error { return s.exportClient(c, "csv") }

func (s *Server) exportClient(c echo.Context, format string) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	x, err := s.concierge.ExportClient(c.Request().Context(), s.who(c), id, format)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("client-%d.%s", id, format)
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if format == "json" {
		h.Set(echo.HeaderContentType, echo.MIMEApplicationJSONCharsetUTF8)
		c.Response().WriteHeader(http.StatusOK)
		return x.WriteJSON(c.Response())
	}
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().WriteHeader(http.StatusOK)
	return x.WriteCSV(c.Response())
}

// ExportVenue downloads every client or every booking of the venue as CSV in the
// import's columns (Owner or Manager).
func (s *Server) ExportVenue(c echo.Context) error {
	file := c.Param("file")
	if file != "clients.csv" && file != "bookings.csv" {
		return salon.ErrNotFound
	}
	v := venue(c)
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+v.Slug+"-"+file+`"`)
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	// The rows stream as they are read: a role or database error comes before the first
	// byte, so the error page can still answer.
	return s.concierge.ExportVenueCSV(c.Request().Context(), s.who(c), file, c.Response())
}

// ForgetClientForm is the confirm step of "Forget this client" (Owner).
func (s *Server) ForgetClientForm(c echo.Context) error {
	return s.renderForget(c, http.StatusOK, nil)
}

func (s *Server) renderForget(c echo.Context, status int, errs views.FieldErrors) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	cl, bookings, messages, err := s.concierge.ForgetPreview(c.Request().Context(), s.who(c), id)
	if err != nil {
		return err
	}
	if cl.Forgotten() {
		return c.Redirect(http.StatusSeeOther, clientURL(c, id))
	}
	p := s.page(c, "Forget "+cl.FullName(), "clients")
	return render(c, status, views.ForgetClientPage(p, views.ForgetClientVM{ClientID: id, Name: cl.FullName(), Bookings: bookings,
		Messages: messages, Errors: errs}))
}

// ForgetClient anonymises the client once the Owner has ticked the confirmation.
func (s *Server) ForgetClient(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	_, err = s.concierge.ForgetClient(c.Request().Context(), s.who(c), id, c.FormValue("confirm") == "true")
	if fe := salon.FieldErrors(err); fe != nil {
		return s.renderForget(c, http.StatusUnprocessableEntity, fe)
	}
	if err != nil {
		return err
	}
	return redirectAfterPost(c, clientURL(c, id)+"?saved=forgotten")
}

func clientURL(c echo.Context, id int64) string {
	return fmt.Sprintf("/app/%s/clients/%d", venue(c).Slug, id)
}
