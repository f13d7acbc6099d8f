package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"concierge/app"
	"concierge/salon"
	"concierge/views"
)

// The public booking page: choose services, team member, date and time; sign in
// with a code; Review with a 10-minute countdown (the slot is not held); Book.

const bookSession = "concierge_book"

// selection is what the client has chosen so far, carried through every step.
type selection struct {
	ServiceIDs []int64
	Variants   map[int64]int64 // service id → the option chosen ("variant" fields "service:variant")
	PackageID  int64
	StaffID    int64 // 0: any team member
	Date       string
	Slot       string // "unix:staffID"
	Notes      string
}

func readSelection(c echo.Context) selection {
	var sel selection
	vals := c.QueryParams()
	if c.Request().Method == http.MethodPost {
		form, _ := c.FormParams()
		vals = form
	}
	for _, raw := range vals["service"] {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
			sel.ServiceIDs = append(sel.ServiceIDs, id)
		}
	}
	sel.ServiceIDs = salon.DistinctIDs(sel.ServiceIDs)
	// An option counts only for a chosen service ("service:0" is the standard one).
	all := salon.ParseVariants(strings.Join(vals["variant"], ","))
	for _, id := range sel.ServiceIDs {
		if v := all[id]; v != 0 {
			if sel.Variants == nil {
				sel.Variants = map[int64]int64{}
			}
			sel.Variants[id] = v
		}
	}
	sel.PackageID, _ = strconv.ParseInt(vals.Get("package"), 10, 64)
	sel.StaffID, _ = strconv.ParseInt(vals.Get("staff"), 10, 64)
	sel.Date, sel.Slot, sel.Notes = vals.Get("date"), vals.Get("slot"), strings.TrimSpace(vals.Get("notes"))
	if r := []rune(sel.Notes); len(r) > salon.MaxNotesLength {
		sel.Notes = string(r[:salon.MaxNotesLength]) // the field's maxlength; only a hand-made post is longer
	}
	return sel
}

func (sel selection) values() url.Values {
	q := url.Values{}
	for _, id := range sel.ServiceIDs {
		q.Add("service", fmt.Sprint(id))
	}
	if vs := salon.FormatVariants(sel.Variants); vs != "" {
		q["variant"] = strings.Split(vs, ",")
	}
	if sel.PackageID != 0 {
		q.Set("package", fmt.Sprint(sel.PackageID))
	}
	if sel.StaffID != 0 {
		q.Set("staff", fmt.Sprint(sel.StaffID))
	}
	q.Set("date", sel.Date)
	if sel.Slot != "" {
		q.Set("slot", sel.Slot)
	}
	if sel.Notes != "" {
		q.Set("notes", sel.Notes)
	}
	return q
}

func (sel selection) hidden() []views.Hidden {
	var out []views.Hidden
	for k, vs := range sel.values() {
		for _, v := range vs {
			out = append(out, views.Hidden{Name: k, Value: v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name+out[i].Value < out[j].Name+out[j].Value })
	return out
}

// choice is what the selection asks to book.
func (sel selection) choice() salon.ServiceChoice {
	return salon.ServiceChoice{ServiceIDs: sel.ServiceIDs, Variants: sel.Variants, PackageID: sel.PackageID}
}

func (sel selection) slot() (time.Time, int64, bool) {
	unix, staff, ok := strings.Cut(sel.Slot, ":")
	if !ok {
		return time.Time{}, 0, false
	}
	u, err1 := strconv.ParseInt(unix, 10, 64)
	st, err2 := strconv.ParseInt(staff, 10, 64)
	return time.Unix(u, 0).UTC(), st, err1 == nil && err2 == nil
}

// bookVenue loads the venue of /book/:slug.
func (s *Server) bookVenue(c echo.Context) (salon.Venue, error) {
	return s.concierge.BookingVenue(c.Request().Context(), c.Param("slug"))
}

// BookChoose is the first step, and the time picker's fragment when the choice changes.
func (s *Server) BookChoose(c echo.Context) error {
	v, err := s.bookVenue(c)
	if err != nil {
		return err
	}
	vm, err := s.chooseVM(c, v, readSelection(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.BookPage(vm))
}

// chooseVM builds the choose step: services by category, team, dates, and the free
// times for the choice from real availability.
func (s *Server) chooseVM(c echo.Context, v salon.Venue, sel selection) (views.BookVM, error) {
	ctx := c.Request().Context()
	vm := views.BookVM{Slug: v.Slug, Venue: v.Name, Profile: publicVenue(v), CSRF: csrfToken(c), Step: "choose", Notes: sel.Notes}
	choices, err := s.concierge.OnlineChoices(ctx, v.ID)
	if err != nil {
		return vm, err
	}
	services := choices.Services
	chosen := map[int64]bool{}
	for _, id := range sel.ServiceIDs {
		chosen[id] = true
	}
	for _, sv := range services {
		opt := views.ServiceOption{ID: sv.ID, Category: sv.CategoryName, Checked: chosen[sv.ID], Name: sv.Name,
			Label: fmt.Sprintf("%s · %d min · %s", sv.Name, sv.DurationMin, salon.FormatMinor(v.Country, sv.PriceMinor))}
		for _, vr := range sv.LiveVariants() {
			opt.Variants = append(opt.Variants, views.Option{Value: fmt.Sprintf("%d:%d", sv.ID, vr.ID), Selected: sel.Variants[sv.ID] == vr.ID,
				Label: fmt.Sprintf("%s · +%d min · +%s", vr.Name, vr.ExtraMin, salon.FormatMinor(v.Country, vr.ExtraPriceMinor))})
		}
		vm.Services = append(vm.Services, opt)
	}
	sort.SliceStable(vm.Services, func(i, j int) bool { return vm.Services[i].Category < vm.Services[j].Category })
	for _, pk := range choices.Packages {
		lines := salon.PackageLine(pk, services)
		vm.Packages = append(vm.Packages, views.ServiceOption{ID: pk.ID, Name: pk.Name, Checked: pk.ID == sel.PackageID,
			Label: fmt.Sprintf("%s · %d min · %s", lines.Label, lines.Minutes, salon.FormatMinor(v.Country, pk.PriceMinor))})
	}
	for _, st := range choices.Staff {
		vm.Staff = append(vm.Staff, views.Option{Value: fmt.Sprint(st.ID), Label: st.Name, Selected: st.ID == sel.StaffID})
	}
	loc := v.Location()
	today := s.now().In(loc)
	if sel.Date == "" {
		sel.Date = today.Format("2006-01-02")
	}
	vm.Date = sel.Date
	for i := 0; i < salon.OnlineBookDays; i++ {
		d := today.AddDate(0, 0, i)
		label := d.Format("Mon 2 Jan")
		if i == 0 {
			label = "Today, " + label
		} else if i == 1 {
			label = "Tomorrow, " + label
		}
		vm.Dates = append(vm.Dates, views.Option{Value: d.Format("2006-01-02"), Label: label, Selected: d.Format("2006-01-02") == sel.Date})
	}
	if sel.choice().Empty() {
		vm.Selection = sel.hidden()
		vm.Date = "" // no times until a service or package is chosen
		return vm, nil
	}
	slots, err := s.bookableSlots(ctx, v, sel, services)
	if err != nil {
		return vm, err
	}
	for _, sl := range slots {
		val := fmt.Sprintf("%d:%d", sl.Start.Unix(), sl.StaffID)
		label := sl.Start.In(loc).Format("15:04")
		if sel.StaffID == 0 {
			label += " · " + sl.StaffName
		}
		vm.Slots = append(vm.Slots, views.SlotChoice{Value: val, Label: label, Checked: val == sel.Slot})
	}
	noSlot := sel
	noSlot.Slot, noSlot.Notes = "", ""
	vm.Selection = noSlot.hidden()
	return vm, nil
}

// bookableSlots are the free start times on the chosen day for the chosen services.
func (s *Server) bookableSlots(ctx context.Context, v salon.Venue, sel selection, services []salon.Service) ([]salon.Slot, error) {
	day, err := time.ParseInLocation("2006-01-02", sel.Date, v.Location())
	if err != nil {
		return nil, nil
	}
	return s.concierge.BookableSlotsFor(ctx, v, day, sel.choice(), sel.StaffID, services)
}

// bookClient is the client signed in to the booking page for this venue (0: nobody).
func (s *Server) bookClient(c echo.Context, v salon.Venue) int64 {
	sess, err := s.sessions.Get(c.Request(), bookSession)
	if err != nil {
		return 0
	}
	id, _ := sess.Values[fmt.Sprintf("client_%d", v.ID)].(int64)
	if id == 0 {
		return 0
	}
	if _, err := s.concierge.BookingClient(c.Request().Context(), v.ID, id); err != nil {
		return 0
	}
	return id
}

func (s *Server) signInBookClient(c echo.Context, v salon.Venue, clientID int64) error {
	sess, _ := s.sessions.Get(c.Request(), bookSession)
	sess.Options.MaxAge = int(salon.DraftLifetime.Seconds())
	sess.Values[fmt.Sprintf("client_%d", v.ID)] = clientID
	return sess.Save(c.Request(), c.Response())
}

// BookReviewAgain shows the signed-in client's Review again (a reload) without
// restarting their 10 minutes.
func (s *Server) BookReviewAgain(c echo.Context) error {
	v, err := s.bookVenue(c)
	if err != nil {
		return err
	}
	sel := readSelection(c)
	draftID, _ := strconv.ParseInt(c.QueryParam("draft"), 10, 64)
	d, err := s.concierge.BookingDraft(c.Request().Context(), v.ID, draftID)
	clientID := s.bookClient(c, v)
	if _, _, ok := sel.slot(); err != nil || clientID == 0 || d.ClientID != clientID || !ok {
		return c.Redirect(http.StatusSeeOther, "/book/"+v.Slug)
	}
	return s.renderReview(c, v, sel, d, http.StatusOK)
}

// BookReview checks the choice and shows Review (after sign-in when needed).
func (s *Server) BookReview(c echo.Context) error {
	v, err := s.bookVenue(c)
	if err != nil {
		return err
	}
	return s.review(c, v, readSelection(c))
}

// review shows the Review step for a complete selection, capturing the draft.
func (s *Server) review(c echo.Context, v salon.Venue, sel selection) error {
	ctx := c.Request().Context()
	start, staffID, ok := sel.slot()
	if sel.choice().Empty() || !ok {
		vm, err := s.chooseVM(c, v, sel)
		if err != nil {
			return err
		}
		vm.Errors = views.FieldErrors{"slot": salon.MsgChooseTime}
		if sel.choice().Empty() {
			vm.Errors = views.FieldErrors{"services": salon.MsgChooseService}
		}
		return render(c, http.StatusUnprocessableEntity, views.BookPage(vm))
	}
	// Only a time the page would offer goes on to sign-in and a draft.
	offered, err := s.concierge.SlotOfferedFor(ctx, v, sel.choice(), sel.StaffID, start, staffID)
	if err != nil {
		return err
	}
	if !offered {
		return s.pickAgain(c, v, sel, http.StatusUnprocessableEntity, "That time is not available. Please pick one of the times shown.")
	}
	clientID := s.bookClient(c, v)
	if clientID == 0 {
		vm := views.BookVM{Slug: v.Slug, Venue: v.Name, Profile: publicVenue(v), CSRF: csrfToken(c), Step: "signin", Selection: sel.hidden(), NeedEmail: !v.Country.SendsSMS()}
		return render(c, http.StatusOK, views.BookPage(vm))
	}
	d, err := s.concierge.StartReview(ctx, v.ID, salon.NewBookingDraft{ClientID: clientID, ServiceIDs: sel.ServiceIDs, Variants: sel.Variants,
		PackageID: sel.PackageID, StaffID: sel.StaffID, Start: start, Notes: sel.Notes})
	if err != nil {
		return err
	}
	return s.renderReview(c, v, sel, d, http.StatusOK)
}

func (s *Server) renderReview(c echo.Context, v salon.Venue, sel selection, d salon.BookingDraft, status int) error {
	ctx := c.Request().Context()
	start, staffID, _ := sel.slot()
	loc := v.Location()
	vm := views.BookVM{Slug: v.Slug, Venue: v.Name, Profile: publicVenue(v), CSRF: csrfToken(c), Step: "review", Selection: sel.hidden(), Notes: sel.Notes, DraftID: d.ID,
		When: start.In(loc).Format("Monday 2 January, 15:04"), ChooseURL: "/book/" + v.Slug + "?" + selection{ServiceIDs: sel.ServiceIDs,
			Variants: sel.Variants, PackageID: sel.PackageID, StaffID: sel.StaffID, Date: sel.Date, Notes: sel.Notes}.values().Encode()}
	_, with, err := s.concierge.ReviewDetails(ctx, v.ID, sel.ServiceIDs, staffID)
	if err != nil {
		return err
	}
	lines, total, err := s.concierge.ReviewLines(ctx, v.ID, sel.choice())
	if err != nil {
		return err
	}
	for _, l := range lines {
		vm.Summary = append(vm.Summary, fmt.Sprintf("%s (%d min)", l.Label, l.Minutes))
	}
	vm.Total = salon.FormatMinor(v.Country, total)
	vm.With = with
	deadline := d.ReviewStartedAt.Add(salon.DraftAbandon)
	if left := deadline.Sub(s.now()); left > 0 {
		vm.DeadlineMS = deadline.UnixMilli()
		vm.Left = fmt.Sprintf("%d:%02d", int(left.Minutes()), int(left.Seconds())%60)
		vm.Red = left <= 2*time.Minute
	}
	return render(c, status, views.BookPage(vm))
}

// BookSendCode sends a sign-in code to a phone of the venue's country (by email for an
// email-only venue), within the limits. The code page is the same whether or not the
// phone belongs to a client.
func (s *Server) BookSendCode(c echo.Context) error {
	v, err := s.bookVenue(c)
	if err != nil {
		return err
	}
	sel := readSelection(c)
	in := readSignIn(c)
	vm := views.BookVM{Slug: v.Slug, Venue: v.Name, Profile: publicVenue(v), CSRF: csrfToken(c), Step: "signin", Selection: sel.hidden(), NeedEmail: v.Channel() == salon.Email,
		Phone: in.Phone, Email: in.Email}
	status, errs, err := s.sendSignInCode(c, v, in)
	if err != nil {
		return err
	}
	if errs != nil {
		vm.Errors = errs
		return render(c, status, views.BookPage(vm))
	}
	vm.Step = "code"
	return render(c, http.StatusOK, views.BookPage(vm))
}

// BookVerify checks the code, signs the client in (asking a new client's name first)
// and moves on to Review.
func (s *Server) BookVerify(c echo.Context) error {
	v, err := s.bookVenue(c)
	if err != nil {
		return err
	}
	sel := readSelection(c)
	in := readSignIn(c)
	vm := views.BookVM{Slug: v.Slug, Venue: v.Name, Profile: publicVenue(v), CSRF: csrfToken(c), Step: "code", Selection: sel.hidden(), NeedEmail: v.Channel() == salon.Email,
		Phone: in.Phone, Email: in.Email, First: in.First, Last: in.Last}
	clientID, needName, errs, err := s.verifySignIn(c, v, in)
	if err != nil {
		return err
	}
	if needName {
		vm.Step, vm.Errors = "name", errs
		status := http.StatusOK
		if len(errs) > 0 {
			status = http.StatusUnprocessableEntity
		}
		return render(c, status, views.BookPage(vm))
	}
	if errs != nil {
		if errs.Has("phone") || errs.Has("email") {
			vm.Step = "signin"
		}
		vm.Errors = errs
		return render(c, http.StatusUnprocessableEntity, views.BookPage(vm))
	}
	if err := s.signInBookClient(c, v, clientID); err != nil {
		return err
	}
	return s.review(c, v, sel)
}

// BookConfirm books the reviewed time. The slot was not held: the first confirm wins,
// anyone after gets a clear message and the time picker again. What is booked is the
// signed-in client's live draft (its services, time and notes), once, and only at a
// time the page would offer right now.
func (s *Server) BookConfirm(c echo.Context) error {
	v, err := s.bookVenue(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	sel := readSelection(c)
	clientID := s.bookClient(c, v)
	start, staffID, ok := sel.slot()
	if clientID == 0 || !ok {
		return s.review(c, v, sel)
	}
	draftID, _ := strconv.ParseInt(c.FormValue("draft"), 10, 64)
	r, err := s.concierge.ConfirmDraft(ctx, v, clientID, draftID, start, staffID, sel.ServiceIDs, sel.StaffID)
	if err != nil {
		return err
	}
	switch r.Outcome {
	case app.ConfirmReviewAgain:
		return s.review(c, v, sel)
	case app.ConfirmTimedOut:
		return s.renderReview(c, v, sel, r.Draft, http.StatusConflict) // shows "pick a time again"
	case app.ConfirmPickAgain:
		return s.pickAgain(c, v, sel, http.StatusConflict, r.Problem)
	}
	b := r.Booking
	vm := views.BookVM{Slug: v.Slug, Venue: v.Name, Profile: publicVenue(v), Step: "done", When: b.Start.In(v.Location()).Format("Monday 2 January, 15:04"), With: b.StaffName}
	for _, sv := range b.Services {
		if sv.PackageName != "" {
			vm.Summary = append(vm.Summary, sv.Label()+" · "+sv.PackageName)
		} else {
			vm.Summary = append(vm.Summary, sv.Label())
		}
	}
	return render(c, http.StatusOK, views.BookPage(vm))
}

// pickAgain shows the time picker for the selection with a problem above it.
func (s *Server) pickAgain(c echo.Context, v salon.Venue, sel selection, status int, problem string) error {
	sel.Slot = ""
	vm, err := s.chooseVM(c, v, sel)
	if err != nil {
		return err
	}
	vm.Problem = problem
	return render(c, status, views.BookPage(vm))
}

// BookResume reopens Review from a reminder's link with everything restored; a
// tampered or expired link gets a friendly page.
func (s *Server) BookResume(c echo.Context) error {
	v, err := s.bookVenue(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	id, _ := strconv.ParseInt(c.QueryParam("d"), 10, 64)
	exp, _ := strconv.ParseInt(c.QueryParam("e"), 10, 64)
	expired := views.BookVM{Slug: v.Slug, Venue: v.Name, Profile: publicVenue(v), Step: "expired"}
	if !s.concierge.ValidResume(v, id, exp, c.QueryParam("s")) {
		return render(c, http.StatusGone, views.BookPage(expired))
	}
	d, err := s.concierge.BookingDraft(ctx, v.ID, id)
	if err != nil || d.Status == "converted" || d.Status == "expired" {
		return render(c, http.StatusGone, views.BookPage(expired))
	}
	if err := s.signInBookClient(c, v, d.ClientID); err != nil {
		return err
	}
	sel := selection{ServiceIDs: d.ServiceIDs, Variants: d.Variants, PackageID: d.PackageID, StaffID: d.StaffID, Date: d.Start.In(v.Location()).Format("2006-01-02"), Notes: d.Notes}
	staff, err := s.concierge.ResumeStaff(ctx, v, d)
	if err != nil {
		return err
	}
	if staff == 0 {
		vm, err := s.chooseVM(c, v, sel)
		if err != nil {
			return err
		}
		vm.Problem = "The time you chose is no longer free. Please pick another."
		return render(c, http.StatusOK, views.BookPage(vm))
	}
	sel.Slot = fmt.Sprintf("%d:%d", d.Start.Unix(), staff)
	return s.review(c, v, sel)
}
