package handlers

import (
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"concierge/views"
)

// ImportForm shows the CSV import page.
func (s *Server) ImportForm(c echo.Context) error {
	return render(c, http.StatusOK, views.ImportPage(s.page(c, "Import", "settings"), views.ImportVM{}))
}

// Import runs a dry run or an import of the uploaded CSV files.
func (s *Server) Import(c echo.Context) error {
	v := venue(c)
	p := s.page(c, "Import", "settings")
	dry := c.FormValue("dry_run") != "false"
	open := func(field string) (io.ReadCloser, error) {
		fh, err := c.FormFile(field)
		if err != nil {
			return nil, nil
		}
		return fh.Open()
	}
	cf, err := open("clients")
	if err != nil {
		return err
	}
	bf, err := open("bookings")
	if err != nil {
		return err
	}
	if cf == nil && bf == nil {
		return render(c, http.StatusUnprocessableEntity, views.ImportPage(p, views.ImportVM{FormErr: "Choose a clients CSV, a bookings CSV, or both."}))
	}
	if cf != nil {
		defer cf.Close()
	}
	if bf != nil {
		defer bf.Close()
	}
	res, err := s.concierge.ImportCSV(c.Request().Context(), v.ID, user(c).ID, readerOrNil(cf), readerOrNil(bf), dry)
	if err != nil {
		return err
	}
	vm := views.ImportVM{Ran: true, DryRun: dry, Summary: res.Summary()}
	for _, e := range res.Errors {
		vm.Errors = append(vm.Errors, e.String())
	}
	status := http.StatusOK
	if len(res.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return render(c, status, views.ImportPage(p, vm))
}

// readerOrNil keeps a nil ReadCloser nil as an io.Reader (a typed nil is not nil).
func readerOrNil(rc io.ReadCloser) io.Reader {
	if rc == nil {
		return nil
	}
	return rc
}
