package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"concierge/app"
	"concierge/salon"
	"concierge/views"
)

func (s *Server) who(c echo.Context) app.Who {
	return app.Who{Venue: venue(c), User: user(c), Member: member(c)}
}

var statusLabels = map[salon.ActionStatus]string{
	salon.StatusSuggested: "Suggested", salon.StatusDrafted: "Draft", salon.StatusPending: "Waiting for approval",
	salon.StatusApproved: "Approved", salon.StatusExecuted: "Done", salon.StatusRejected: "Rejected", salon.StatusExpired: "Expired",
	salon.StatusDiscarded: "Discarded", salon.StatusActFailed: "Failed", salon.StatusExecuting: "Sending",
	salon.StatusScheduled: "Scheduled", salon.StatusCancelled: "Cancelled",
}

// cardVM builds an action card for the viewer.
func (s *Server) cardVM(c echo.Context, a salon.ConciergeAction) views.CardVM {
	return s.cardVMWith(c, a, nil)
}

// cardVMWith is cardVM reusing audience counts the request already made.
func (s *Server) cardVMWith(c echo.Context, a salon.ConciergeAction, known *app.Audience) views.CardVM {
	v, u := venue(c), user(c)
	act, _ := salon.LookupAction(a.Kind)
	now := s.now()
	vm := views.CardVM{ID: a.ID, Kind: string(a.Kind), Name: act.Name, Tier: string(a.Tier), Status: string(a.Status),
		StatusLabel: statusLabels[a.Status], Title: a.Title, Channel: string(a.Channel), Subject: a.Subject, Body: a.Body, Notes: a.Notes,
		Refines: a.Refines, RefinesLeft: salon.MaxRefines - a.Refines, Audience: a.Audience, Cost: salon.FormatE4(v.Country, a.CostE4),
		ClientName: a.ClientName, Summary: a.ResultSummary, ResultLink: a.ResultLink, ResultLabel: act.Destination,
		Creator: a.CreatorName, Reason: a.RejectReason, AlsoEmail: a.Params.AlsoEmail}
	if a.Status == salon.StatusDrafted && a.Expired(now) {
		vm.Status, vm.StatusLabel = string(salon.StatusExpired), "Expired"
	}
	vm.Open = a.Status == salon.StatusDrafted && !a.Expired(now) && a.CreatedBy == u.ID
	if a.Tier == salon.Navigate && a.CreatedBy == u.ID {
		vm.GoURL = fmt.Sprintf("/app/%s/concierge/actions/%d/go", v.Slug, a.ID)
	}
	if a.Params.DealToken != "" { // the share text, with the deal's real link
		vm.Body = app.MergeFields(vm.Body, map[string]string{salon.FieldDealLink: s.dealLink(a.Params.DealToken)})
	}
	vm.ClientDataID, vm.Cohort, vm.WindowDays = cardClientID(a), string(a.Params.Cohort), cardWindow(a)
	if a.Kind == salon.GapFill && vm.Open {
		if cs, err := s.concierge.OfferClients(c.Request().Context(), v.ID, a); err == nil {
			for _, cl := range cs {
				vm.Offer = append(vm.Offer, views.OfferClientVM{ClientID: cl.ID, DataID: app.ClientDataID(cl), Label: cl.FullName(),
					Checked: containsID(a.Params.ClientIDs, cl.ID)})
			}
		} else {
			vm.Error = "The clients of this offer could not be read; try again."
		}
	}
	if a.Params.SlotStart != 0 {
		vm.SlotDate = time.Unix(a.Params.SlotStart, 0).In(v.Location()).Format(time.DateOnly)
		vm.Slot = time.Unix(a.Params.SlotStart, 0).In(v.Location()).Format("Mon 2 Jan, 15:04") + " with " + staffName(c, s, a.Params.StaffID)
	}
	for i, sl := range a.Params.Slots {
		vm.Slots = append(vm.Slots, views.SlotVM{Index: i, Checked: i == a.Params.Choice,
			Label: time.Unix(sl.Start, 0).In(v.Location()).Format("Mon 2 Jan, 15:04") + " with " + sl.StaffName})
	}
	if !a.ExpiresAt.IsZero() && a.Open() {
		vm.Expires = "Expires " + a.ExpiresAt.In(v.Location()).Format("Mon 2 Jan, 15:04")
	}
	perm := salon.Decide(a.Kind, member(c).Role, true, v.Solo)
	vm.ApprovalNeeded = a.Tier == salon.Approval && a.Status == salon.StatusDrafted // once queued, its status says so
	switch {
	case a.Status == salon.StatusPending:
		vm.SendLabel = "Approve and send"
	case perm.NeedsApproval:
		vm.SendLabel = "Send for approval"
	case a.Kind == salon.FlashDeal:
		vm.SendLabel = "Create deal"
	case a.Kind == salon.Reschedule:
		vm.SendLabel = "Move booking"
	case act.Batch:
		vm.SendLabel = fmt.Sprintf("Send to %d clients · %s", a.Audience, vm.Cost)
	default:
		vm.SendLabel = "Send · " + vm.Cost
	}
	if a.Status == salon.StatusScheduled {
		left := a.ScheduledFor.Sub(now)
		if left < 0 {
			left = 0
		}
		m := member(c)
		vm.Scheduled = &views.ScheduledVM{DeadlineMS: a.ScheduledFor.UnixMilli(), Left: fmt.Sprintf("%d:%02d", int(left.Minutes()), int(left.Seconds())%60),
			FireURL: fmt.Sprintf("/app/%s/concierge/actions/%d/fire", v.Slug, a.ID), CanCancel: m.CanSeeAction(a.CreatedBy)}
		if v.InQuietHours(now) {
			vm.Scheduled.Paused = fmt.Sprintf("Paused for quiet hours — sends at %s", v.QuietEnd)
		}
	}
	if act.Batch && a.Status == salon.StatusExecuting {
		sent, failed, unknown, queued, err := s.concierge.SendProgress(c.Request().Context(), v.ID, a.ID)
		if err == nil {
			vm.Sending = &views.SendingVM{Done: sent + failed + unknown, Total: sent + failed + unknown + queued, Failed: failed,
				PollURL: fmt.Sprintf("/app/%s/concierge/actions/%d/card", v.Slug, a.ID)}
		}
	}
	var sample *app.AudienceMember
	if act.Batch && (a.Status == salon.StatusDrafted || a.Status == salon.StatusPending) && !a.Expired(now) {
		sample = s.attachPreview(c, a, &vm, known)
	}
	if a.Kind == salon.StorefrontLink && vm.Open {
		s.attachRecipients(c, a, &vm)
	}
	if a.Channel == salon.SMS && a.Open() {
		s.attachCounter(c, a, &vm, sample)
	}
	vm.AskReviewLink = (a.Status == salon.StatusDrafted || a.Status == salon.StatusPending) && app.NeedsReviewLink(v, a)
	vm.Hold = act.Batch && vm.Audience >= app.HoldThreshold
	return vm
}

// attachCounter fills the SMS counter's draft for one real client, as the send will:
// the first of the audience (sample) or the card's own client.
func (s *Server) attachCounter(c echo.Context, a salon.ConciergeAction, vm *views.CardVM, sample *app.AudienceMember) {
	name, values := s.concierge.MergeSample(c.Request().Context(), venue(c), a, sample)
	vm.Filled = vm.Body
	if values == nil {
		return
	}
	vm.CounterName, vm.Filled = name, app.MergeFields(vm.Body, values)
	if b, err := json.Marshal(salon.WithLegacyFields(values)); err == nil {
		vm.MergeJSON = string(b)
	}
}

// attachRecipients lists a storefront card's clients for its picker.
func (s *Server) attachRecipients(c echo.Context, a salon.ConciergeAction, vm *views.CardVM) {
	clients, err := s.concierge.RecipientClients(c.Request().Context(), venue(c).ID, a)
	if err != nil {
		return
	}
	vm.ClientPicker = true
	var names []string
	for _, cl := range clients {
		vm.Recipients = append(vm.Recipients, views.Option{Value: fmt.Sprint(cl.ID), Label: cl.FullName() + " " + salon.FormatPhone(cl.Phone)})
		names = append(names, cl.FullName())
	}
	vm.ClientName = strings.Join(names, ", ")
	if len(clients) > 1 {
		vm.SendLabel = fmt.Sprintf("Send to %d clients · %s", len(clients), vm.Cost)
	}
}

// pickerFor is a batch card's window or cohort control, with the card's value selected.
func pickerFor(a salon.ConciergeAction) *views.PickerVM {
	switch a.Kind {
	case salon.BirthdayOutreach, salon.NoShowFollowup:
		label := "Birthdays"
		if a.Kind == salon.NoShowFollowup {
			label = "No-shows from"
		}
		p := &views.PickerVM{Name: "window", Label: label}
		for _, w := range []salon.DayWindow{salon.WindowToday, salon.WindowWeek} {
			p.Options = append(p.Options, views.Option{Value: string(w), Label: salon.DayWindowLabel(a.Kind, w), Selected: (w == salon.WindowWeek) == a.Params.Week})
		}
		return p
	case salon.ServiceSpotlight:
		p := &views.PickerVM{Name: "cohort", Label: "Send to"}
		for _, co := range salon.SpotlightCohorts {
			label := salon.CohortLabel(co)
			p.Options = append(p.Options, views.Option{Value: string(co), Label: strings.ToUpper(label[:1]) + label[1:], Selected: co == a.Params.Cohort})
		}
		return p
	}
	return nil
}

// attachPreview resolves a batch card's audience live: counts, exclusions by filter,
// sample names, the cost in the Send button and the wallet warning. It returns the
// first client who can be messaged (the counter's sample), or nil.
func (s *Server) attachPreview(c echo.Context, a salon.ConciergeAction, vm *views.CardVM, known *app.Audience) *app.AudienceMember {
	v := venue(c)
	aud, cost, err := s.concierge.Preview(c.Request().Context(), v, a, known)
	if err != nil {
		vm.Error = "The audience could not be worked out; try again."
		return nil
	}
	p := &views.AudienceVM{Count: aud.Count, Sendable: aud.SendableCount, CostMinor: salon.RoundE4ToMinor(cost),
		ShowWindow: a.Kind == salon.WinBack, WindowDays: a.Params.WindowDays, Windows: salon.WinBackWindows, Picker: pickerFor(a)}
	for _, r := range salon.ExclusionReasons {
		if n := aud.Excluded[r.Key]; n > 0 {
			p.Excluded = append(p.Excluded, views.ExcludedRow{Reason: r.Key, Label: r.Label, Count: n})
		}
	}
	var names []string
	for i, m := range aud.Sendable {
		if i == 5 {
			break
		}
		names = append(names, m.FirstName)
	}
	p.Samples = strings.Join(names, ", ")
	if more := aud.SendableCount - len(names); more > 0 {
		p.Samples += fmt.Sprintf(" and %d more…", more)
	}
	if fresh, err := s.freshVenue(c); err == nil && cost > fresh.WalletE4 {
		p.WalletShort = true
	}
	p.Empty = aud.SendableCount == 0
	recipients := aud.SendableCount
	client := "clients"
	if aud.SendableCount == 1 {
		client = "client"
	}
	who := fmt.Sprintf("%d %s", aud.SendableCount, client)
	if a.Params.AlsoEmail {
		// "Both": texts and emails are counted apart; only the texts cost anything.
		n, err := s.concierge.EmailAlsoCount(c.Request().Context(), v, a)
		if err != nil {
			vm.Error = "The audience could not be worked out; try again."
			return nil
		}
		p.AlsoEmail, p.EmailSendable = true, n
		p.Empty = aud.SendableCount == 0 && n == 0
		recipients += n
		who = fmt.Sprintf("%d by SMS and %d by email", aud.SendableCount, n)
	}
	// The hold gesture goes by everyone who will receive something.
	vm.Preview, vm.Audience, vm.Cost = p, recipients, salon.FormatE4(v.Country, cost)
	if a.Status == salon.StatusDrafted {
		if strings.HasPrefix(vm.SendLabel, "Send to") {
			vm.SendLabel = fmt.Sprintf("Send to %s · %s", who, vm.Cost)
		} else {
			vm.SendLabel += fmt.Sprintf(" · %s · %s", who, vm.Cost)
		}
	} else {
		vm.SendLabel = fmt.Sprintf("Approve and send to %s · %s", strings.TrimSuffix(strings.TrimSuffix(who, " clients"), " client"), vm.Cost)
	}
	if len(aud.Sendable) > 0 {
		return &aud.Sendable[0]
	}
	return nil
}

// AudienceAction changes a batch card's audience from one of its controls (the
// win-back window, the birthday or no-show window, the spotlight cohort) and answers
// with the card re-counted (htmx, live).
func (s *Server) AudienceAction(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	change := app.AudienceChange{Control: "window"}
	for _, name := range []string{"window_days", "window", "cohort"} {
		if v, ok := form[name]; ok && len(v) > 0 {
			change = app.AudienceChange{Control: name, Value: v[0]}
			break
		}
	}
	e := edits(c)
	_, err = s.concierge.SetAudience(c.Request().Context(), s.who(c), id, e, change)
	return s.renderCard(c, id, err, &e)
}

// RecipientsAction sets a storefront-link card's clients (one or a small group).
func (s *Server) RecipientsAction(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	var ids []int64
	for _, raw := range form["client_id"] {
		if raw == "" {
			continue
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			n = -1 // not a client the page offered: refused beside the picker
		}
		ids = append(ids, n)
	}
	e := edits(c)
	_, err = s.concierge.SetRecipients(c.Request().Context(), s.who(c), id, e, ids)
	return s.renderCard(c, id, err, &e)
}

func staffName(c echo.Context, s *Server, id int64) string {
	if name, err := s.concierge.StaffName(c.Request().Context(), venue(c).ID, id); err == nil {
		return name
	}
	return "the team"
}

// Concierge shows the chat with the latest turns and their cards.
func (s *Server) Concierge(c echo.Context) error {
	ctx := c.Request().Context()
	v, u := venue(c), user(c)
	turns, cards, err := s.concierge.ChatTurns(ctx, v.ID, u.ID, 40)
	if err != nil {
		return err
	}
	choices, err := s.concierge.TurnChoices(ctx, v.ID, turns)
	if err != nil {
		return err
	}
	use, err := s.concierge.SparkUsage(ctx, v.ID)
	if err != nil {
		return err
	}
	vm := views.ChatVM{Sparks: sparksLabel(use), Model: s.concierge.HasModel()}
	for _, sg := range app.Suggestions(member(c).Role, v.Solo) {
		vm.Suggestions = append(vm.Suggestions, views.SuggestionVM{Label: sg.Label, Message: sg.Message})
	}
	for _, t := range turns {
		tv := views.TurnVM{ID: t.ID, Author: t.Author, Lines: strings.Split(t.Body, "\n"), At: t.CreatedAt.In(v.Location()).Format("15:04")}
		for _, a := range cards[t.ID] {
			tv.Cards = append(tv.Cards, s.cardVM(c, a))
		}
		if t.Choice != nil && !t.Choice.Answered {
			tv.Choices = choiceVMs(t.ID, t.Choice.Action, choices[t.ID])
			if len(t.Choice.Gaps) > 0 {
				labels, err := s.concierge.GapChoiceLabels(ctx, v, t.Choice.Gaps)
				if err != nil {
					return err
				}
				for i, l := range labels {
					tv.Choices = append(tv.Choices, views.ChoiceVM{TurnID: t.ID, Gap: true, GapIndex: i, Label: l})
				}
			}
		}
		vm.Turns = append(vm.Turns, tv)
	}
	return render(c, http.StatusOK, views.ConciergePage(s.page(c, "Concierge", "concierge"), vm))
}

// ConciergeTurn answers one message; htmx appends the exchange to the chat.
func (s *Server) ConciergeTurn(c echo.Context) error {
	v := venue(c)
	var reply app.Reply
	var err error
	if turnID, _ := strconv.ParseInt(c.FormValue("choice_turn"), 10, 64); turnID != 0 && c.FormValue("gap") != "" {
		index, convErr := strconv.Atoi(c.FormValue("gap"))
		if convErr != nil {
			index = -1
		}
		reply, err = s.concierge.ChooseGap(c.Request().Context(), s.who(c), turnID, index)
	} else if turnID != 0 {
		clientID, _ := strconv.ParseInt(c.FormValue("client_id"), 10, 64)
		reply, err = s.concierge.Choose(c.Request().Context(), s.who(c), turnID, clientID)
	} else {
		reply, err = s.concierge.Handle(c.Request().Context(), s.who(c), c.FormValue("message"))
	}
	if err != nil {
		if fe := salon.FieldErrors(err); fe != nil && isHTMX(c) {
			toast(c, "error", fe["message"])
			c.Response().Header().Set("HX-Reswap", "none")
			return c.NoContent(http.StatusUnprocessableEntity)
		}
		return err
	}
	if !isHTMX(c) {
		return c.Redirect(http.StatusSeeOther, "/app/"+v.Slug+"/concierge")
	}
	p := s.page(c, "Concierge", "concierge")
	ut := views.TurnVM{ID: reply.UserTurn.ID, Author: "user", Lines: []string{reply.UserTurn.Body}}
	ct := views.TurnVM{ID: reply.ConciergeTurn.ID, Author: "concierge", Lines: strings.Split(reply.ConciergeTurn.Body, "\n")}
	for _, a := range reply.Actions {
		var known *app.Audience
		if aud, ok := reply.Counts[a.ID]; ok {
			known = &aud
		}
		ct.Cards = append(ct.Cards, s.cardVMWith(c, a, known))
	}
	ct.Choices = choiceVMs(reply.ConciergeTurn.ID, reply.ChoiceFor, reply.Choices)
	for i, g := range reply.GapChoices {
		ct.Choices = append(ct.Choices, views.ChoiceVM{TurnID: reply.ConciergeTurn.ID, Gap: true, GapIndex: i,
			Label: g.Start.In(v.Location()).Format("Mon 2 Jan 15:04") + " with " + g.StaffName})
	}
	if err := render(c, http.StatusOK, views.TurnItem(p, ut)); err != nil {
		return err
	}
	if err := views.TurnItem(p, ct).Render(c.Request().Context(), c.Response()); err != nil {
		return err
	}
	// The balance changes when the model was used: update it out of band.
	if use, err := s.concierge.SparkUsage(c.Request().Context(), v.ID); err == nil {
		return views.SparksBadge(sparksLabel(use), true).Render(c.Request().Context(), c.Response())
	}
	return nil
}

// NewConversation starts the person's chat afresh: the visible history ends here (the
// turns stay in the database) and nothing said before carries over.
func (s *Server) NewConversation(c echo.Context) error {
	if err := s.concierge.NewConversation(c.Request().Context(), s.who(c)); err != nil {
		return err
	}
	return redirectAfterPost(c, "/app/"+venue(c).Slug+"/concierge")
}

// sparksLabel is the Concierge page's Sparks line: what is left, and this month's use
// of the allowance.
func sparksLabel(u salon.SparkUsage) string {
	return fmt.Sprintf("%d Sparks left · %s", u.Left, u)
}

func edits(c echo.Context) app.Edits {
	choice, _ := strconv.Atoi(c.FormValue("choice"))
	e := app.Edits{Title: c.FormValue("title"), Subject: c.FormValue("subject"), Body: c.FormValue("body"), Notes: c.FormValue("notes"),
		Choice: choice, HoldConfirmed: c.FormValue("hold_confirmed") == "1", ReviewLink: c.FormValue("review_link")}
	if c.FormValue("offer_clients_set") == "1" {
		e.OfferClientsSet = true
		params, _ := c.FormParams()
		for _, raw := range params["offer_client"] {
			if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
				e.OfferClients = append(e.OfferClients, id)
			} else {
				e.OfferClients = append(e.OfferClients, -1) // never one of the card's: refused beside the list
			}
		}
	}
	return e
}

// renderCard answers a card action: the card fragment for htmx (with the error shown on
// it), or a redirect to the action's page.
func (s *Server) renderCard(c echo.Context, id int64, opErr error, e *app.Edits) error {
	v := venue(c)
	if opErr != nil && salon.ErrorCode(opErr) == "" {
		return opErr
	}
	if opErr != nil && salon.ErrorCode(opErr) == salon.CodeNotFound {
		return opErr
	}
	a, err := s.concierge.Action(c.Request().Context(), v.ID, id)
	if err != nil {
		return err
	}
	vm := s.cardVM(c, a)
	if u := user(c); a.Status == salon.StatusPending && member(c).Role.Approves() && a.CreatedBy != u.ID && !a.Expired(s.now()) {
		vm.Open, vm.ApproveMode = true, true // the approver's card on the review page stays the approver's
	}
	status := http.StatusOK
	if opErr != nil {
		status = http.StatusUnprocessableEntity
		if salon.ErrorCode(opErr) == salon.CodeForbidden {
			status = http.StatusForbidden
		}
		setCardError(&vm, opErr, e)
	}
	if isHTMX(c) {
		if status == http.StatusForbidden {
			status = http.StatusUnprocessableEntity // swap the card so the reason shows on it
		}
		return render(c, status, views.ActionCard(s.page(c, "Concierge", "concierge"), vm))
	}
	if opErr != nil {
		return opErr
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/app/%s/concierge/actions/%d", v.Slug, id))
}

// setCardError shows a refused card operation on the card: the message on top and,
// for field errors, each beside its field, keeping what was typed.
func setCardError(vm *views.CardVM, opErr error, e *app.Edits) {
	var msgs []string
	if fe := salon.FieldErrors(opErr); fe != nil {
		for _, f := range []string{"title", "subject", "body", "review_link", "choice", "notes", "instruction", "window_days", "window", "cohort", "clients"} {
			if m := fe[f]; m != "" {
				msgs = append(msgs, m)
			}
		}
		vm.Errors = fe
		vm.AskReviewLink = vm.AskReviewLink || (fe["review_link"] != "" && vm.Open)
	} else {
		msgs = append(msgs, errText(opErr))
	}
	vm.Error = strings.Join(msgs, " ")
	if e != nil && vm.Open { // keep what was typed
		vm.Title, vm.Subject, vm.Body, vm.Notes = e.Title, e.Subject, e.Body, e.Notes
	}
}

// SaveAction stores a hand edit of a draft.
func (s *Server) SaveAction(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	e := edits(c)
	_, err = s.concierge.SaveDraft(c.Request().Context(), s.who(c), id, e)
	return s.renderCard(c, id, err, &e)
}

// RefineAction rewrites a draft from an instruction.
func (s *Server) RefineAction(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	_, err = s.concierge.Refine(c.Request().Context(), s.who(c), id, c.FormValue("instruction"))
	return s.renderCard(c, id, err, nil)
}

// DiscardAction closes a draft.
func (s *Server) DiscardAction(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	_, err = s.concierge.Discard(c.Request().Context(), s.who(c), id)
	return s.renderCard(c, id, err, nil)
}

// SendAction executes a draft or queues it for approval.
func (s *Server) SendAction(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	e := edits(c)
	_, err = s.concierge.Send(c.Request().Context(), s.who(c), id, e)
	return s.renderCard(c, id, err, &e)
}

// GoAction opens a navigate card's page.
func (s *Server) GoAction(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	dest, err := s.concierge.Go(c.Request().Context(), s.who(c), id)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, dest)
}

// requireActionViewer guards every route on one action with the viewer rule of
// salon.Membership.CanSeeAction: an action the viewer may not see is a 404, exactly
// like one that does not exist, whatever the route (page, card, fire, send…).
func (s *Server) requireActionViewer(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		a, err := s.concierge.Action(c.Request().Context(), venue(c).ID, id)
		if err != nil {
			return err
		}
		if !member(c).CanSeeAction(a.CreatedBy) {
			return salon.ErrNotFound
		}
		c.Set(ctxAction, a)
		return next(c)
	}
}

const ctxAction = "action"

// viewableAction is the action requireActionViewer loaded and let through, and whether
// the viewer approves actions (sees their history).
func (s *Server) viewableAction(c echo.Context) (a salon.ConciergeAction, approver bool, err error) {
	a, ok := c.Get(ctxAction).(salon.ConciergeAction)
	if !ok {
		return a, false, salon.ErrNotFound
	}
	m := member(c)
	return a, m.Role.Approves(), nil
}

// ActionCardFragment renders one action's card (the sending card polls it).
func (s *Server) ActionCardFragment(c echo.Context) error {
	a, _, err := s.viewableAction(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.ActionCard(s.page(c, "Concierge", "concierge"), s.cardVM(c, a)))
}

// ActionDetail shows one action with its history (Owner, Manager or its creator).
func (s *Server) ActionDetail(c echo.Context) error {
	a, approver, err := s.viewableAction(c)
	if err != nil {
		return err
	}
	return s.actionPage(c, http.StatusOK, a, approver, nil, nil)
}

// actionPage renders an action's page; opErr (a refused approval) shows on the card,
// beside the field it is about, with the approver's edits kept.
func (s *Server) actionPage(c echo.Context, status int, a salon.ConciergeAction, approver bool, opErr error, e *app.Edits) error {
	v, u := venue(c), user(c)
	card := s.cardVM(c, a)
	if a.Status == salon.StatusPending && approver && a.CreatedBy != u.ID && !a.Expired(s.now()) {
		card.Open, card.ApproveMode = true, true
	}
	if opErr != nil {
		setCardError(&card, opErr, e)
	}
	vm := views.ActionPageVM{Card: card, CanSee: approver}
	if approver {
		events, err := s.concierge.ActionHistory(c.Request().Context(), v.ID, a.ID)
		if err != nil {
			return err
		}
		sentTo, _, _, _, err := s.concierge.SendProgress(c.Request().Context(), v.ID, a.ID)
		if err != nil {
			return err
		}
		vm.Events, vm.Summary = historyRows(v, events, sentTo)
	}
	if isHTMX(c) && opErr != nil {
		return render(c, status, views.ActionCard(s.page(c, "Concierge", "concierge"), card))
	}
	return render(c, status, views.ActionPage(s.page(c, a.Title, "concierge"), vm))
}

// historyRows turns an action's audit trail (newest first) into sentences, oldest
// first, and a one-line summary in which one person's run of steps reads once
// ("Mia Chen drafted, edited, queued · Olive approved · sent to 267").
func historyRows(v salon.Venue, events []app.AuditEvent, sentTo int) ([]views.EventRow, string) {
	var rows []views.EventRow
	var parts []string
	lastWho, lastVerb := "", ""
	for i := len(events) - 1; i >= 0; i-- {
		ev := events[i]
		sentence := salon.ActionEventSentence(ev.UserName, ev.Event, sentTo)
		rows = append(rows, views.EventRow{At: ev.At.In(v.Location()).Format("2 Jan 15:04"), Who: ev.UserName, Event: ev.Event, Sentence: sentence})
		verb, byPerson := strings.CutPrefix(sentence, ev.UserName+" ")
		switch {
		case byPerson && len(parts) > 0 && ev.UserName == lastWho && verb == lastVerb:
			// the same step again (several edits): said once
		case byPerson && len(parts) > 0 && ev.UserName == lastWho:
			parts[len(parts)-1] += ", " + verb
		default:
			parts = append(parts, sentence)
		}
		lastWho, lastVerb = "", ""
		if byPerson {
			lastWho, lastVerb = ev.UserName, verb
		}
	}
	return rows, strings.Join(parts, " · ")
}

// Pending lists the approval queue (Owner and Manager).
func (s *Server) Pending(c echo.Context) error {
	v, u := venue(c), user(c)
	ctx := c.Request().Context()
	items, history, err := s.concierge.ApprovalQueue(ctx, v.ID, 30)
	if err != nil {
		return err
	}
	now := s.now()
	var vm views.PendingVM
	for _, a := range items {
		act, _ := salon.LookupAction(a.Kind)
		left := a.ExpiresAt.Sub(now)
		tl := "expired"
		if left > 0 {
			tl = humanDuration(left) + " left"
		}
		age := "just now"
		if d := now.Sub(a.QueuedAt); d >= time.Minute {
			age = humanDuration(d) + " ago"
		}
		vm.Items = append(vm.Items, views.PendingRow{ID: a.ID, Title: a.Title, Kind: act.Name, Creator: a.CreatorName,
			Age: age, TimeLeft: tl, Audience: a.Audience,
			Cost: salon.FormatE4(v.Country, a.CostE4), Own: a.CreatedBy == u.ID})
	}
	for _, a := range history {
		decision := "Approved"
		if a.Status == salon.StatusRejected {
			decision = "Rejected"
		}
		vm.History = append(vm.History, views.HistoryRow{ID: a.ID, Title: a.Title, Decision: decision, Decider: a.DeciderName,
			At: a.DecidedAt.In(v.Location()).Format("2 Jan 15:04"), Reason: a.RejectReason})
	}
	return render(c, http.StatusOK, views.PendingPage(s.page(c, "Approvals", "approvals"), vm))
}

// ApproveAction approves (with the approver's edits) and executes.
func (s *Server) ApproveAction(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	e := edits(c)
	if _, err := s.concierge.Approve(c.Request().Context(), s.who(c), id, e); err != nil {
		// A refusal the approver can act on (a missing review link, nobody left to send
		// to) is shown on the card, beside its field, not on an error page.
		code := salon.ErrorCode(err)
		if code != salon.CodeInvalid && code != salon.CodeConflict {
			return err
		}
		a, aerr := s.concierge.Action(c.Request().Context(), venue(c).ID, id)
		if aerr != nil {
			return aerr
		}
		status := http.StatusUnprocessableEntity
		if code == salon.CodeConflict {
			status = http.StatusConflict
		}
		return s.actionPage(c, status, a, true, err, &e)
	}
	return redirectAfterPost(c, fmt.Sprintf("/app/%s/concierge/actions/%d", venue(c).Slug, id))
}

// RejectAction rejects with an optional reason.
func (s *Server) RejectAction(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.concierge.Reject(c.Request().Context(), s.who(c), id, c.FormValue("reason")); err != nil {
		return err
	}
	return redirectAfterPost(c, fmt.Sprintf("/app/%s/concierge/pending", venue(c).Slug))
}

// requireApprover allows Owners and Managers (the approval queue).
func (s *Server) requireApprover(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !member(c).Role.Approves() {
			return &salon.Error{Code: salon.CodeForbidden, Message: "Only an Owner or Manager can approve actions."}
		}
		return next(c)
	}
}

// humanDuration renders "3 h 20 min", "45 min", "2 days 4 h".
func humanDuration(d time.Duration) string {
	m := int(d.Round(time.Minute).Minutes())
	switch {
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m < 48*60:
		if m%60 == 0 {
			return fmt.Sprintf("%d h", m/60)
		}
		return fmt.Sprintf("%d h %d min", m/60, m%60)
	default:
		return fmt.Sprintf("%d days %d h", m/(24*60), m%(24*60)/60)
	}
}

// FireAction is the page's countdown reaching zero: fire if due (exactly one of the
// page and the worker sends), and show the card as it now stands.
func (s *Server) FireAction(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	_, err = s.concierge.Fire(c.Request().Context(), venue(c), id)
	return s.renderCard(c, id, err, nil)
}

// CancelAction cancels a scheduled send before it fires.
func (s *Server) CancelAction(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	_, err = s.concierge.Cancel(c.Request().Context(), s.who(c), id)
	return s.renderCard(c, id, err, nil)
}

// freshVenue reads the venue's current row (its wallet moves while a page is open) once
// per request, however many cards on the page ask.
func (s *Server) freshVenue(c echo.Context) (salon.Venue, error) {
	if v, ok := c.Get("fresh_venue").(salon.Venue); ok {
		return v, nil
	}
	v, err := s.concierge.CurrentVenue(c.Request().Context(), venue(c).ID)
	if err == nil {
		c.Set("fresh_venue", v)
	}
	return v, err
}

// choiceVMs are the buttons of a "which client?" list: each picks its client for the
// action the turn asked about, and the chat echoes the choice by name.
func choiceVMs(turnID int64, action salon.ActionID, clients []salon.Client) []views.ChoiceVM {
	out := make([]views.ChoiceVM, 0, len(clients))
	for _, cl := range clients {
		label := cl.FullName()
		if cl.Phone != "" {
			label += " " + salon.FormatPhone(cl.Phone)
		}
		out = append(out, views.ChoiceVM{TurnID: turnID, ClientID: cl.ID, DataID: app.ClientDataID(cl), Label: label,
			Message: app.ChoiceLabel(action, cl.FullName())})
	}
	return out
}

// cardClientID is the data-client-id of a single-client card: the imported id, else ours.
func cardClientID(a salon.ConciergeAction) string {
	switch {
	case a.ClientID == 0:
		return ""
	case a.ClientExternalID != "":
		return a.ClientExternalID
	}
	return strconv.FormatInt(a.ClientID, 10)
}

// cardWindow is the data-window-days of a windowed batch card: a win-back's inactivity
// days; 1 (today) or 7 (this week / the last 7 days) for birthdays and no-shows.
func cardWindow(a salon.ConciergeAction) string {
	switch a.Kind {
	case salon.WinBack:
		if a.Params.WindowDays == 0 {
			return "60"
		}
		return strconv.Itoa(a.Params.WindowDays)
	case salon.BirthdayOutreach, salon.NoShowFollowup:
		if a.Params.Week {
			return "7"
		}
		return "1"
	}
	return ""
}
