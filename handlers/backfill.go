package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"concierge/app"
	"concierge/salon"
	"concierge/views"
)

// The backfill page (Owner and Manager): the open gaps of the next 14 days, and for
// one gap the ranked clients to offer it to, the offer, its audience preview and Send.

// gapHorizon is how far ahead backfill (and the Follow-ups panel) look for gaps.
const gapHorizon = app.GapHorizon

// startParam is how a gap's start travels in URLs: venue-local, to the minute.
const startParam = "2006-01-02T15:04"

// Backfill lists the gaps, or ranks clients for the gap in ?staff=…&start=….
func (s *Server) Backfill(c echo.Context) error {
	v := venue(c)
	ctx := c.Request().Context()
	vm := views.BackfillVM{}
	rec, err := s.concierge.BackfillRecovery(ctx, v.ID)
	if err != nil {
		return err
	}
	vm.Recovery = recoveryVM(v, rec)
	if c.QueryParam("staff") == "" && c.QueryParam("start") == "" {
		gaps, err := s.concierge.UpcomingGaps(ctx, v)
		if err != nil {
			return err
		}
		// One day at a time (a venue has dozens of gaps a fortnight): the chosen day, or
		// the first with gaps; every day with gaps is a tab.
		day := c.QueryParam("day")
		counts := map[string]int{}
		var days []string
		for _, g := range gaps {
			d := g.Start.In(v.Location()).Format("2006-01-02")
			if counts[d] == 0 {
				days = append(days, d)
			}
			counts[d]++
		}
		if counts[day] == 0 && len(days) > 0 {
			day = days[0]
		}
		for _, d := range days {
			t, _ := time.ParseInLocation("2006-01-02", d, v.Location())
			vm.Days = append(vm.Days, views.DayTab{Label: t.Format("Mon 2 Jan"), Count: counts[d], Current: d == day,
				URL: fmt.Sprintf("/app/%s/backfill?day=%s", v.Slug, d)})
		}
		for _, g := range gaps {
			if g.Start.In(v.Location()).Format("2006-01-02") == day {
				vm.Gaps = append(vm.Gaps, gapRow(v, g))
			}
		}
		return render(c, http.StatusOK, views.BackfillPage(s.page(c, "Backfill", "backfill"), vm))
	}
	g, err := s.gapFromQuery(c, c.QueryParam("staff"), c.QueryParam("start"))
	if err != nil {
		return err
	}
	form := offerForm{ServiceID: atoi64(c.QueryParam("service_id"))}
	if err := s.fillGapPage(ctx, c, v, g, &vm, form); err != nil {
		return err
	}
	return render(c, http.StatusOK, views.BackfillPage(s.page(c, "Backfill", "backfill"), vm))
}

// offerForm is the offer as posted.
type offerForm struct {
	ServiceID int64
	ClientIDs []int64
	Body      string
	Chosen    bool // the form was posted (else the default choice applies)
}

func readOfferForm(c echo.Context) offerForm {
	f := offerForm{ServiceID: atoi64(c.FormValue("service_id")), Body: strings.TrimSpace(c.FormValue("body")), Chosen: true}
	form, _ := c.FormParams()
	for _, id := range form["client"] {
		if n := atoi64(id); n > 0 {
			f.ClientIDs = append(f.ClientIDs, n)
		}
	}
	return f
}

func atoi64(s string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n
}

// gapFromQuery finds the open gap of a staff member that starts at the given time.
// A gap filled or past since the link was made is a clear conflict, not a 500.
func (s *Server) gapFromQuery(c echo.Context, staffParam, startParamValue string) (salon.Gap, error) {
	v := venue(c)
	staffID := atoi64(staffParam)
	start, err := time.ParseInLocation(startParam, startParamValue, v.Location())
	if staffID == 0 || err != nil {
		return salon.Gap{}, salon.Invalid(map[string]string{"start": "Choose a gap from the list."})
	}
	return s.concierge.OpenGapAt(c.Request().Context(), v, staffID, start)
}

// fillGapPage ranks clients for the gap and prepares the offer form and its preview.
func (s *Server) fillGapPage(ctx context.Context, c echo.Context, v salon.Venue, g salon.Gap, vm *views.BackfillVM, form offerForm) error {
	services, err := s.concierge.GapServices(ctx, v, g)
	if err != nil {
		return err
	}
	if len(services) == 0 {
		return salon.Conflict(g.StaffName + " performs no service that fits this gap.")
	}
	svc := services[0]
	for _, sv := range services {
		if sv.ID == form.ServiceID {
			svc = sv
		}
	}
	cands, err := s.concierge.RankGapClients(ctx, v, g, svc)
	if err != nil {
		return err
	}
	loc := v.Location()
	local := g.Start.In(loc)
	vm.Gap = &views.GapVM{StaffID: g.StaffID, Staff: g.StaffName, When: local.Format("Monday 2 January, 15:04"), CanRedraft: s.concierge.HasModel(),
		Length: formatLength(g.End.Sub(g.Start)), Start: local.Format(startParam), ServiceID: svc.ID,
		ActionURL: fmt.Sprintf("/app/%s/backfill", v.Slug)}
	for _, sv := range services {
		vm.Services = append(vm.Services, views.Option{Value: fmt.Sprint(sv.ID), Label: fmt.Sprintf("%s (%d min)", sv.Name, sv.DurationMin),
			Selected: sv.ID == svc.ID})
	}
	chosen := map[int64]bool{}
	for _, id := range form.ClientIDs {
		chosen[id] = true
	}
	// Clients on the waitlist whose request suits the gap come first, preselected when
	// the offer can go to them now (seed 000: "scoring against the waitlist").
	waiting, err := s.concierge.GapWaitlist(ctx, v, g, svc)
	if err != nil {
		return err
	}
	isWaiting := map[int64]bool{}
	var order []int64 // the preview's order: the waiting first
	for _, w := range waiting {
		isWaiting[w.Entry.ClientID] = true
		if !form.Chosen && w.Sendable && len(chosen) < salon.MaxOfferRecipients {
			chosen[w.Entry.ClientID] = true
		}
		row := views.WaitingRow{ClientID: w.Entry.ClientID, Name: w.Entry.ClientName, Services: serviceNames(services, w.Entry.ServiceIDs),
			Checked: chosen[w.Entry.ClientID], CantOffer: !w.Sendable}
		vm.Waiting = append(vm.Waiting, row)
		if chosen[w.Entry.ClientID] {
			order = append(order, w.Entry.ClientID)
		}
	}
	for i, cd := range cands {
		if !form.Chosen && i < 3 && cd.Band != "low" && !isWaiting[cd.ClientID] && len(chosen) < salon.MaxOfferRecipients {
			chosen[cd.ClientID] = true // a starting choice: the best three who are not long shots
		}
		dataID := cd.ExternalID
		if dataID == "" {
			dataID = fmt.Sprint(cd.ClientID)
		}
		row := views.CandidateRow{ClientID: cd.ClientID, DataID: dataID, Rank: i + 1, Name: cd.FirstName + " " + cd.LastName, Score: cd.Score,
			Band: cd.Band, Checked: chosen[cd.ClientID], Waiting: isWaiting[cd.ClientID], LastVisit: cd.LastVisit.In(loc).Format("2 Jan"),
			Interval: fmt.Sprintf("every %.0f days", cd.Interval)}
		f := cd.Factors
		for _, x := range []struct {
			name string
			val  float64
			w    float64
		}{{"Cadence", f.Cadence, salon.WeightCadence}, {"Service", f.Service, salon.WeightService}, {"Weekday", f.Weekday, salon.WeightWeekday},
			{"Time of day", f.TimeBand, salon.WeightTimeBand}, {"Team member", f.Provider, salon.WeightProvider}, {"Lead time", f.LeadTime, salon.WeightLeadTime}} {
			row.Factors = append(row.Factors, views.FactorCell{Name: x.name, Pct: int(x.val*100 + 0.5), Points: fmt.Sprintf("%.1f", x.val*x.w*100)})
		}
		vm.Candidates = append(vm.Candidates, row)
	}
	vm.Body = form.Body
	if vm.Body == "" {
		vm.Body = offerTemplate(v, g)
	}
	ids := order
	for _, cd := range cands {
		if chosen[cd.ClientID] && !containsID(ids, cd.ClientID) {
			ids = append(ids, cd.ClientID)
		}
	}
	for _, id := range form.ClientIDs { // chosen earlier but no longer ranked: still checked, and shown why
		if !containsID(ids, id) {
			ids = append(ids, id)
		}
	}
	return s.offerPreview(ctx, v, g, svc, ids, vm)
}

// offerTemplate is the built-in gap-offer text for a gap (app.GapOfferTemplate).
func offerTemplate(v salon.Venue, g salon.Gap) string { return app.GapOfferTemplate(v, g) }

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// offerPreview works out who of the chosen clients can be sent the offer now, and
// what it costs.
func (s *Server) offerPreview(ctx context.Context, v salon.Venue, g salon.Gap, svc salon.Service, ids []int64, vm *views.BackfillVM) error {
	pre, err := s.concierge.PreviewGapOffer(ctx, v, g, svc, vm.Body, ids)
	if err != nil {
		return err
	}
	p := &views.AudienceVM{Count: pre.Count, Sendable: pre.Sendable, CostMinor: salon.RoundE4ToMinor(pre.CostE4),
		Samples: strings.Join(pre.SendableNames, ", "), WalletShort: pre.WalletShort}
	for _, x := range pre.Excluded {
		p.Excluded = append(p.Excluded, views.ExcludedRow{Reason: x.Key, Label: x.Label, Count: x.Count})
	}
	vm.Preview = p
	client := "clients"
	if pre.Sendable == 1 {
		client = "client"
	}
	vm.SendLabel = fmt.Sprintf("Send offer to %d %s · %s", pre.Sendable, client, salon.FormatE4(v.Country, pre.CostE4))
	return nil
}

// BackfillPreview re-works the offer's preview as the choice changes (HTMX).
func (s *Server) BackfillPreview(c echo.Context) error {
	v := venue(c)
	g, err := s.gapFromQuery(c, c.FormValue("staff"), c.FormValue("start"))
	if err != nil {
		return err
	}
	vm := views.BackfillVM{}
	form := readOfferForm(c)
	if err := s.fillGapPage(c.Request().Context(), c, v, g, &vm, form); err != nil {
		return err
	}
	if len(form.ClientIDs) > salon.MaxOfferRecipients {
		vm.Errors = views.FieldErrors{"client": fmt.Sprintf("Choose at most %d clients: the first YES gets the slot.", salon.MaxOfferRecipients)}
	}
	return render(c, http.StatusOK, views.OfferPreview(s.page(c, "Backfill", "backfill"), vm))
}

// RedraftOffer has the Concierge's model rewrite the offer (the template stands when
// no model is configured or it fails) and shows the page with the new text.
func (s *Server) RedraftOffer(c echo.Context) error {
	v := venue(c)
	ctx := c.Request().Context()
	g, err := s.gapFromQuery(c, c.FormValue("staff"), c.FormValue("start"))
	if err != nil {
		return err
	}
	form := readOfferForm(c)
	form.Body = s.concierge.GapOfferDraft(ctx, v, offerTemplate(v, g))
	vm := views.BackfillVM{}
	if err := s.fillGapPage(ctx, c, v, g, &vm, form); err != nil {
		return err
	}
	return render(c, http.StatusOK, views.BackfillPage(s.page(c, "Backfill", "backfill"), vm))
}

// SendOffer sends the gap offer to the chosen clients who can be messaged now (at most
// five); the first to reply YES is booked.
func (s *Server) SendOffer(c echo.Context) error {
	v, u := venue(c), user(c)
	ctx := c.Request().Context()
	g, err := s.gapFromQuery(c, c.FormValue("staff"), c.FormValue("start"))
	if err != nil {
		return err
	}
	form := readOfferForm(c)
	sent, queued, err := s.concierge.SendGapOffer(ctx, v, u.ID, g, app.GapOffer{ServiceID: form.ServiceID, ClientIDs: form.ClientIDs, Body: form.Body})
	if fe := salon.FieldErrors(err); fe != nil {
		vm := views.BackfillVM{}
		if err := s.fillGapPage(ctx, c, v, g, &vm, form); err != nil {
			return err
		}
		vm.Errors = views.FieldErrors(fe)
		return render(c, http.StatusUnprocessableEntity, views.BackfillPage(s.page(c, "Backfill", "backfill"), vm))
	}
	if err != nil {
		return err
	}
	q := url.Values{"staff": {fmt.Sprint(g.StaffID)}, "start": {g.Start.In(v.Location()).Format(startParam)}, "service_id": {fmt.Sprint(form.ServiceID)},
		"saved": {fmt.Sprintf("offer-%d-%d", sent, queued)}}
	return redirectAfterPost(c, fmt.Sprintf("/app/%s/backfill?%s", v.Slug, q.Encode()))
}

func gapRow(v salon.Venue, g salon.Gap) views.GapRow {
	loc := v.Location()
	local := g.Start.In(loc)
	q := url.Values{"staff": {fmt.Sprint(g.StaffID)}, "start": {local.Format(startParam)}}
	return views.GapRow{Day: local.Format("Monday 2 January"), Time: local.Format("15:04") + "–" + g.End.In(loc).Format("15:04"),
		Staff: g.StaffName, Length: formatLength(g.End.Sub(g.Start)), URL: fmt.Sprintf("/app/%s/backfill?%s", v.Slug, q.Encode())}
}

func formatLength(d time.Duration) string {
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h == 0:
		return fmt.Sprintf("%d min", m)
	case m == 0:
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %d min", h, m)
}

func recoveryVM(v salon.Venue, r app.Recovery) views.RecoveryVM {
	return views.RecoveryVM{Sent: r.Sent, Booked: r.Booked, Messaged: r.Messaged, Revenue: salon.FormatMinor(v.Country, r.RevenueMinor),
		Conversion: fmt.Sprintf("%d%%", r.ConversionPct())}
}

// serviceNames names services by id, in the order asked.
func serviceNames(services []salon.Service, ids []int64) string {
	var out []string
	for _, id := range ids {
		for _, sv := range services {
			if sv.ID == id {
				out = append(out, sv.Name)
			}
		}
	}
	return strings.Join(out, ", ")
}
