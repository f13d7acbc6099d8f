// Package app holds every workflow of the product, one file per area; handlers and jobs
// call it, and it calls store, messaging, llm and salon. The Concierge chat and its
// actions (service.go, execute.go, model.go, templates.go, chatpage.go: select actions by
// keyword router or a language model's tool calls, check each one's role rule and data
// gate, draft, and on Send execute or queue for approval); the one send pipeline
// (sending.go); gap offers (offers.go) and backfill (backfill.go); inbound texts
// (inbound.go); code sign-in (signin.go); online booking and drafts (booking.go,
// drafts.go); staff bookings (calendar.go); clients (clients.go); the inbox and flash
// deals (inbox.go); follow-ups and the waitlist (followups.go); reconnect (reconnect.go);
// batch sends (engage.go); the outbox (outbox.go); accounts (accounts.go); settings
// (settings.go); the dashboard (dashboard.go); CSV import (import.go); and the jobs' upkeep
// (upkeep.go).
package app

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"concierge/salon"
	"concierge/store"
)

// Service handles chat turns and actions.
type Service struct {
	Store     *store.Store
	Dispatch  *Dispatcher
	Model     Model // nil: the keyword router and templates only
	PublicURL string
	Address   *PublicAddress // where links point (publicurl.go); nil: PublicURL as it is
	Log       *slog.Logger
	LinkKey   []byte // signs resume-booking links
	// DefaultSMSFrom is the sending number of venues without their own (TWILIO_FROM):
	// inbound texts are routed by the number they were sent to.
	DefaultSMSFrom string

	names      nameCache      // the chat's client-name index per venue (names.go)
	sending    sync.WaitGroup // background batch sends under way
	delivering sync.Map       // action id → true while this process sends it
	stopMu     sync.Mutex
	stopCtx    context.Context
	stop       context.CancelFunc
}

// Now is the service's clock (the store's, injected: tests move it).
func (s *Service) Now() time.Time { return s.Store.Now() }

// HasModel reports whether a language model drafts and selects (else the keyword
// router and templates).
func (s *Service) HasModel() bool { return s.Model != nil }

// Who is the person at the keyboard, where.
type Who struct {
	Venue  salon.Venue
	User   salon.User
	Member salon.Membership
}

// Reply is the outcome of one chat turn.
type Reply struct {
	UserTurn      store.Turn
	ConciergeTurn store.Turn
	Actions       []salon.ConciergeAction
	Choices       []salon.Client           // several clients matched a name: pick one
	GapChoices    []salon.Gap              // several open slots: pick one to fill
	ChoiceFor     salon.ActionID           // the action a choice goes on with
	Counts        map[int64]store.Audience // audience counts the turn already made, by action id
}

// contextWindow is how long a looked-up client stays in chat context.
const contextWindow = 2 * time.Hour

// Handle stores the message, selects actions, checks them and answers.
func (s *Service) Handle(ctx context.Context, w Who, text string) (Reply, error) {
	return s.handle(ctx, w, text, nil, "")
}

// Choose answers the "which client?" a Concierge turn asked, by a button of its list:
// only a client that turn offered can be chosen, and the action it asked for goes on
// with that client. The choice is echoed by name ("Reschedule Sarah Baker").
func (s *Service) Choose(ctx context.Context, w Who, turnID, clientID int64) (Reply, error) {
	prev, err := s.Store.ConciergeTurn(ctx, w.Venue.ID, w.User.ID, turnID)
	if err != nil {
		return Reply{}, err
	}
	if prev.Choice == nil || !prev.Choice.Offers(clientID) {
		return Reply{}, salon.Invalid(map[string]string{"message": "Choose one of the clients offered."})
	}
	c, err := s.Store.Client(ctx, w.Venue.ID, clientID)
	if err != nil {
		return Reply{}, err
	}
	// A question is answered once: a double click or a replayed choice proposes nothing.
	if ok, err := s.Store.AnswerChoice(ctx, w.Venue.ID, w.User.ID, turnID); err != nil {
		return Reply{}, err
	} else if !ok {
		return Reply{}, salon.Conflict("That question has been answered already: ask again to choose another client.")
	}
	return s.handle(ctx, w, ChoiceLabel(prev.Choice.Action, c.FullName()), &c, prev.Choice.Action)
}

// ChooseGap answers a "which slot?" by a button of its list: only a slot that turn
// offered, once; the offer card for it follows.
func (s *Service) ChooseGap(ctx context.Context, w Who, turnID int64, index int) (Reply, error) {
	prev, err := s.Store.ConciergeTurn(ctx, w.Venue.ID, w.User.ID, turnID)
	if err != nil {
		return Reply{}, err
	}
	if prev.Choice == nil || index < 0 || index >= len(prev.Choice.Gaps) {
		return Reply{}, salon.Invalid(map[string]string{"message": "Choose one of the open slots offered."})
	}
	if ok, err := s.Store.AnswerChoice(ctx, w.Venue.ID, w.User.ID, turnID); err != nil {
		return Reply{}, err
	} else if !ok {
		return Reply{}, salon.Conflict("That question has been answered already: ask again to choose another slot.")
	}
	g := prev.Choice.Gaps[index]
	labels, err := s.GapChoiceLabels(ctx, w.Venue, []salon.GapRef{g})
	if err != nil {
		return Reply{}, err
	}
	return s.handleGap(ctx, w, "Fill "+labels[0], g)
}

// handle runs one turn; chosen (with its action) is a client picked from a choice list.
func (s *Service) handle(ctx context.Context, w Who, text string, chosen *salon.Client, chosenFor salon.ActionID) (Reply, error) {
	return s.handleTurn(ctx, w, text, chosen, chosenFor, nil)
}

// handleGap runs the turn of a slot picked from a "which slot?" list.
func (s *Service) handleGap(ctx context.Context, w Who, text string, g salon.GapRef) (Reply, error) {
	return s.handleTurn(ctx, w, text, nil, salon.GapFill, &g)
}

func (s *Service) handleTurn(ctx context.Context, w Who, text string, chosen *salon.Client, chosenFor salon.ActionID, chosenGap *salon.GapRef) (Reply, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return Reply{}, salon.Invalid(map[string]string{"message": "Type a message for the Concierge."})
	}
	if len(text) > 2000 {
		return Reply{}, salon.Invalid(map[string]string{"message": "That message is too long (2,000 characters at most)."})
	}
	ut, err := s.Store.AddTurn(ctx, w.Venue.ID, w.User.ID, "user", text, 0)
	if err != nil {
		return Reply{}, err
	}
	t := &turn{s: s, w: w, now: s.Store.Now(), intent: salon.RouteMessage(text), text: text, chosen: chosen, chosenGap: chosenGap}
	if t.intent.Focus != "" {
		t.text = t.intent.Focus // "don't text Zoe, text Henry": the part that asks
	}
	if chosen != nil || chosenGap != nil {
		t.intent = salon.Intent{Actions: []salon.ActionID{chosenFor}}
	} else if err := t.answerToChoice(ctx); err != nil {
		return Reply{}, err
	}
	// With a model and a Spark to spend, the model selects; on any error (timeout,
	// 429, nonsense) the keyword router's reading stands.
	if s.Model != nil && t.chosen == nil && t.chosenGap == nil {
		if ok, err := s.Store.SpendSparks(ctx, w.Venue.ID, 1); err == nil && ok {
			in, said, err := t.selectWithModel(ctx)
			switch {
			case err != nil:
				if s.Log != nil {
					s.Log.Warn("model selection failed; using the keyword router", "err", err)
				}
			case !t.referredTo(ctx, in.ClientID):
				// A proposal for a client the message did not name (nor mean by "her"):
				// refused, and the router's reading stands.
				if s.Log != nil {
					s.Log.Warn("model proposed a client the user did not refer to; using the keyword router", "client_id", in.ClientID)
				}
			default:
				// The pronoun and the focus are read from the words, whoever selects.
				in.Pronoun, in.Focus, in.ClientQuery = t.intent.Pronoun, t.intent.Focus, t.intent.ClientQuery
				t.intent = in
				if said != "" {
					t.say("%s", said)
				}
			}
		}
	}
	if err := t.run(ctx); err != nil {
		return Reply{}, err
	}
	for i := range t.cards {
		if t.cards[i].Tier != salon.Navigate && t.cards[i].Body != "" && t.cards[i].Kind != salon.FlashDeal {
			t.modelDraft(ctx, &t.cards[i])
		}
	}
	body := strings.Join(t.lines, "\n")
	var choice *salon.ClientChoice
	if len(t.choices) > 0 || len(t.gapChoices) > 0 {
		choice = &salon.ClientChoice{Action: t.choiceFor}
		for _, c := range t.choices {
			choice.ClientIDs = append(choice.ClientIDs, c.ID)
		}
		for _, g := range t.gapChoices {
			choice.Gaps = append(choice.Gaps, salon.GapRef{StaffID: g.StaffID, Start: g.Start.Unix()})
		}
	}
	ct, err := s.Store.AddTurnWithChoice(ctx, w.Venue.ID, w.User.ID, "concierge", body, t.contextClient, choice)
	if err != nil {
		return Reply{}, err
	}
	var actions []salon.ConciergeAction
	counts := map[int64]store.Audience{}
	for i, n := range t.cards {
		if n.Channel == salon.Email && n.Subject == "" && n.Tier != salon.Navigate && n.Kind != salon.FlashDeal {
			n.Subject = emailSubject(n.Kind, w.Venue.Name) // an email never goes without one
		}
		n.TurnID = ct.ID
		n.CreatedBy = w.User.ID
		a, err := s.Store.CreateAction(ctx, w.Venue.ID, n)
		if err != nil {
			return Reply{}, err
		}
		actions = append(actions, a)
		if aud, ok := t.counts[i]; ok {
			counts[a.ID] = aud
		}
	}
	return Reply{UserTurn: ut, ConciergeTurn: ct, Actions: actions, Choices: t.choices, GapChoices: t.gapChoices, ChoiceFor: t.choiceFor, Counts: counts}, nil
}

// turn is the work of one chat turn.
type turn struct {
	s             *Service
	w             Who
	now           time.Time
	intent        salon.Intent
	text          string
	lines         []string
	cards         []store.NewAction
	choices       []salon.Client // "which one?": the clients offered, for choiceFor
	choiceFor     salon.ActionID
	contextClient int64
	counts        map[int]store.Audience // by card index: the gate's audience counts
	names         *salon.NameIndex       // the venue's client names, when the turn needed them
	chosen        *salon.Client          // picked from the previous turn's choice list
	chosenGap     *salon.GapRef          // an open slot picked from the previous turn's list
	gapChoices    []salon.Gap            // "which slot?": the open slots offered
	prev          *prevTurn              // the previous turn, when the turn needed it
	lookedUp      map[int64]bool         // clients the model's lookups returned this turn
}

func (t *turn) say(format string, args ...any) {
	t.lines = append(t.lines, fmt.Sprintf(format, args...))
}

func (t *turn) run(ctx context.Context) error {
	if err := t.spotlightIfServiceNamed(ctx); err != nil {
		return err
	}
	for _, id := range t.intent.Actions {
		if err := t.propose(ctx, id); err != nil {
			return err
		}
	}
	if t.intent.Other != "" {
		a, _ := salon.LookupAction(t.intent.Other)
		t.say("You also asked for a %s: I've left that for now, one request at a time. Ask me for it next.", strings.ToLower(a.Name))
	}
	if !t.intent.Has(salon.EnableReconnect) {
		if err := t.surfaceReconnect(ctx); err != nil {
			return err
		}
	}
	if len(t.intent.Actions) == 0 {
		return t.lookupOrOverview(ctx)
	}
	return nil
}

// permit applies the role rule; a refusal is said and ends the proposal.
func (t *turn) permit(id salon.ActionID, own bool) (salon.Permission, bool) {
	a, _ := salon.LookupAction(id)
	p := salon.Decide(id, t.w.Member.Role, own, t.w.Venue.Solo)
	if !p.Allowed {
		t.say("%s: %s", a.Name, p.Reason)
	}
	return p, p.Allowed
}

// card builds a card for an allowed action with its effective tier.
func (t *turn) card(id salon.ActionID, p salon.Permission) store.NewAction {
	a, _ := salon.LookupAction(id)
	return store.NewAction{Kind: id, Tier: p.Tier(a), Channel: t.w.Venue.Channel(), Destination: a.Destination}
}

func (t *turn) data() draftData {
	// The booking link is never empty: a draft saying "book here: " and then nothing is
	// one the send checks would refuse.
	return draftData{Venue: t.w.Venue.Name, Link: BookingLink(t.w.Venue, t.s.publicURL()), ReviewLink: t.w.Venue.ReviewLink,
		Sender: firstName(t.w.User.Name)}
}

func (t *turn) loc() *time.Location { return t.w.Venue.Location() }

// propose checks one action's role and gate and, when both hold, adds its card.
func (t *turn) propose(ctx context.Context, id salon.ActionID) error {
	switch id {
	case salon.ClientOutreach, salon.StorefrontLink:
		return t.proposeClientMessage(ctx, id)
	case salon.Reschedule:
		return t.proposeReschedule(ctx)
	}
	// Staff may not offer a slot to ranked clients, but may make a flash deal for it.
	if id == salon.GapFill && !salon.Decide(id, t.w.Member.Role, false, t.w.Venue.Solo).Allowed &&
		salon.Decide(salon.FlashDeal, t.w.Member.Role, false, t.w.Venue.Solo).Allowed {
		id = salon.FlashDeal
	}
	p, ok := t.permit(id, false)
	if !ok {
		return nil
	}
	switch id {
	case salon.FlashDeal:
		return t.proposeFlashDeal(ctx, p)
	case salon.GapFill:
		return t.proposeGapFill(ctx, p)
	case salon.WinBack, salon.CohortOutreach, salon.ServiceSpotlight, salon.BirthdayOutreach, salon.ReviewRequest, salon.NoShowFollowup:
		return t.proposeBatch(ctx, id, p)
	case salon.InboxReply:
		return t.proposeInboxReply(ctx, p)
	case salon.FilterClients:
		cohort := t.intent.Cohort
		if cohort == "" {
			cohort = salon.CohortVIPs
		}
		n := t.card(id, p)
		n.Title = "Show " + salon.CohortLabel(cohort)
		n.Params.Cohort = cohort
		t.say("Here are your %s on the Clients page.", salon.CohortLabel(cohort))
		t.cards = append(t.cards, n)
	case salon.EnableReconnect:
		on, _, err := t.s.Store.Automation(ctx, t.w.Venue.ID)
		if err != nil {
			return err
		}
		if on {
			t.say("Reconnect automation is on: overdue clients are messaged every day. Its settings are a click away.")
		} else {
			t.say("Reconnect automation is off. Switching it on messages overdue clients for you every day; set the time, channel and message on its settings page.")
		}
		n := t.card(id, p)
		n.Title, n.Destination = "Reconnect automation settings", "Open settings"
		t.cards = append(t.cards, n)
	case salon.RebookPrompt:
		n := t.card(id, p)
		n.Title = "Set up the post-visit rebook nudge"
		t.say("The rebook nudge texts clients N days after a visit when they have nothing booked. Set it up on the Automations page.")
		t.cards = append(t.cards, n)
	}
	return nil
}

var firstWordRe = regexp.MustCompile(`\S+`)

func firstName(full string) string {
	if m := firstWordRe.FindString(full); m != "" {
		return m
	}
	return full
}

// proposeFlashDeal: gate = future bookings exist and an open slot exists.
func (t *turn) proposeFlashDeal(ctx context.Context, p salon.Permission) error {
	future, err := t.s.Store.HasFutureBookings(ctx, t.w.Venue.ID, 0)
	if err != nil {
		return err
	}
	if !future {
		t.say("A flash deal needs your calendar: there are no future bookings yet, so I can't tell which slots are open. Add bookings (or import them) and ask again.")
		return nil
	}
	gaps, when, err := t.gapsAsked(ctx)
	if err != nil {
		return err
	}
	if len(gaps) == 0 {
		t.say("You have no open slots %s: every working hour is booked. Nothing to fill!", when)
		return nil
	}
	var listed []string
	for i, g := range gaps {
		if i == 3 {
			break
		}
		listed = append(listed, g.Start.In(t.loc()).Format("Mon 15:04")+" with "+g.StaffName)
	}
	more := ""
	if len(gaps) > 3 {
		more = fmt.Sprintf(" and %d more", len(gaps)-3)
	}
	t.say("You have %d open slot%s %s: %s%s.", len(gaps), plural(len(gaps)), when, strings.Join(listed, ", "), more)
	g := gaps[0]
	svc, err := t.fittingService(ctx, g)
	if err != nil || svc.ID == 0 {
		return err
	}
	n := t.card(salon.FlashDeal, p)
	d := t.data()
	d.Service, d.Staff, d.Slot, d.Discount = svc.Name, g.StaffName, g.Start.In(t.loc()).Format("Mon 2 Jan at 15:04"), 20
	n.Title, n.Body = templateDraft(salon.FlashDeal, d)
	n.Notes = "The deal's public page lets anyone claim the slot; it expires when the slot starts."
	n.Params = salon.ActionParams{StaffID: g.StaffID, ServiceID: svc.ID, SlotStart: g.Start.Unix(), SlotEnd: g.End.Unix(), DiscountPct: 20}
	t.cards = append(t.cards, n)
	return nil
}

// spotlightIfServiceNamed reads a message to a cohort that names one of the venue's
// services ("tell the regulars about the Lash Lift") as a spotlight on that service.
func (t *turn) spotlightIfServiceNamed(ctx context.Context) error {
	if len(t.intent.Actions) != 1 || t.intent.Actions[0] != salon.CohortOutreach {
		return nil
	}
	svc, err := t.spotlightService(ctx)
	if err != nil || svc.ID == 0 {
		return err
	}
	t.intent.Actions = []salon.ActionID{salon.ServiceSpotlight}
	return nil
}

// fittingService is the longest service the gap's team member performs that fits it
// (GapServices, the backfill page's rule), or none.
func (t *turn) fittingService(ctx context.Context, g salon.Gap) (salon.Service, error) {
	services, err := t.s.GapServices(ctx, t.w.Venue, g)
	if err != nil || len(services) == 0 {
		return salon.Service{}, err
	}
	return services[0], nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// batchRequest maps a batch action and the intent to its audience.
func (t *turn) batchRequest(id salon.ActionID) store.AudienceRequest {
	switch id {
	case salon.WinBack:
		w := t.intent.WindowDays
		if w == 0 {
			w = 60
		}
		return store.AudienceRequest{Cohort: salon.CohortLapsed, WindowDays: w, WaveCap: true}
	case salon.BirthdayOutreach:
		return store.AudienceRequest{Cohort: salon.CohortBirthdays, Week: t.intent.Week}
	case salon.ReviewRequest:
		return store.AudienceRequest{Cohort: salon.CohortCompleted}
	case salon.NoShowFollowup:
		return store.AudienceRequest{Cohort: salon.CohortNoShows, Week: t.intent.Week}
	}
	c := t.intent.Cohort
	if c == "" || c == salon.CohortLapsed {
		if id == salon.ServiceSpotlight {
			c = salon.CohortRegulars
		} else {
			c = salon.CohortVIPs
		}
	}
	return store.AudienceRequest{Cohort: c}
}

// describeAudience says what a cohort holds: "41 clients haven't visited in 60+ days;
// 38 can be messaged (2 opted out, 1 blocked)."
func describeAudience(id salon.ActionID, req store.AudienceRequest, a store.Audience) string {
	var who string
	switch id {
	case salon.WinBack:
		who = fmt.Sprintf("%d client%s haven't visited in %d+ days", a.Count, plural(a.Count), req.WindowDays)
	case salon.BirthdayOutreach:
		when := "today"
		if req.Week {
			when = "this week"
		}
		who = fmt.Sprintf("%d client%s have a birthday %s", a.Count, plural(a.Count), when)
	case salon.ReviewRequest:
		who = fmt.Sprintf("%d client%s completed a visit today and were not asked for a review yet", a.Count, plural(a.Count))
	case salon.NoShowFollowup:
		when := "today"
		if req.Week {
			when = "in the last 7 days"
		}
		who = fmt.Sprintf("%d client%s didn't show %s", a.Count, plural(a.Count), when)
	default:
		who = fmt.Sprintf("You have %d %s", a.Count, salon.CohortLabel(req.Cohort))
	}
	var why []string
	for _, r := range store.ExclusionReasons {
		if n := a.Excluded[r.Key]; n > 0 {
			why = append(why, fmt.Sprintf("%d %s", n, r.Label))
		}
	}
	out := fmt.Sprintf("%s; %d can be messaged", who, a.SendableCount)
	if len(why) > 0 {
		out += " (" + strings.Join(why, ", ") + ")"
	}
	return out + "."
}

// proposeBatch: gate = the audience has clients who can be messaged.
func (t *turn) proposeBatch(ctx context.Context, id salon.ActionID, p salon.Permission) error {
	a, _ := salon.LookupAction(id)
	req := t.batchRequest(id)
	aud, err := t.s.Store.AudienceCounts(ctx, t.w.Venue, req)
	if err != nil {
		return err
	}
	if aud.SendableCount == 0 {
		if aud.Count == 0 {
			t.say("%s needs %s, and there are none right now, so there is nothing to send.", a.Name, a.Gate)
		} else {
			t.say("%s Nobody can be messaged, so there is nothing to send.", describeAudience(id, req, aud))
		}
		return nil
	}
	t.say("%s", describeAudience(id, req, aud))
	n := t.card(id, p)
	d := t.data()
	d.Cohort, d.Week = salon.CohortLabel(req.Cohort), req.Week
	if id == salon.ServiceSpotlight {
		svc, err := t.spotlightService(ctx)
		if err != nil {
			return err
		}
		if svc.ID == 0 {
			t.say("Which service should I promote? Say for example \"promote Gel Manicure\".")
			return nil
		}
		d.Service, n.Params.ServiceID = svc.Name, svc.ID
	}
	if id == salon.ReviewRequest && t.w.Venue.ReviewLink == "" {
		t.say("Tip: add your review link in Settings → Venue so the message can include it.")
	}
	n.Title, n.Body = templateDraft(id, d)
	n.Params.Cohort, n.Params.WindowDays, n.Params.Week = req.Cohort, req.WindowDays, req.Week
	n.Audience = aud.SendableCount
	n.CostE4 = batchCost(t.w.Venue, n.Body, aud.SendableCount)
	if t.counts == nil {
		t.counts = map[int]store.Audience{}
	}
	t.counts[len(t.cards)] = aud
	n.Notes = "The audience is worked out again when the message is sent, so anyone who books, opts out or is messaged meanwhile is left out."
	t.cards = append(t.cards, n)
	return nil
}

// batchCost estimates an SMS batch: segments of the draft (merge fields filled with a
// typical name) × price × recipients; email costs nothing.
func batchCost(v salon.Venue, body string, recipients int) int64 {
	sample := MergeFields(body, map[string]string{salon.FieldFirstName: sampleFirstName, salon.FieldServiceName: "appointment",
		salon.FieldStaffName: "the team", salon.FieldDate: "Wed 12 Mar"})
	_, each := salon.MessageCost(v, v.Channel(), sample)
	return each * int64(recipients)
}

func (t *turn) spotlightService(ctx context.Context) (salon.Service, error) {
	services, err := t.s.Store.Services(ctx, t.w.Venue.ID, false)
	if err != nil {
		return salon.Service{}, err
	}
	// A service is named by its whole name, as words ("Cut" is not in "haircut"), the
	// longest name first ("Gel Manicure Deluxe" before "Gel Manicure").
	want := salon.FoldName(t.intent.Service)
	text := " " + strings.Join(strings.FieldsFunc(salon.FoldName(t.text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ") + " "
	best := salon.Service{}
	for _, sv := range services {
		name := strings.Join(strings.FieldsFunc(salon.FoldName(sv.Name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ")
		if name == "" {
			continue
		}
		if (want != "" && strings.Contains(" "+name+" ", " "+want+" ")) || strings.Contains(text, " "+name+" ") {
			if len(sv.Name) > len(best.Name) {
				best = sv
			}
		}
	}
	return best, nil
}

// proposeClientMessage: client outreach and storefront link need one client, looked
// up in this chat; Staff may only message their own clients.
func (t *turn) proposeClientMessage(ctx context.Context, id salon.ActionID) error {
	a, _ := salon.LookupAction(id)
	if salon.Decide(id, t.w.Member.Role, true, t.w.Venue.Solo).Allowed == false {
		t.permit(id, true)
		return nil
	}
	c, ok, err := t.resolveClient(ctx, id, nil)
	if err != nil || !ok {
		return err
	}
	t.contextClient = c.ID
	own, err := t.s.Store.OwnClient(ctx, t.w.Venue.ID, c.ID, t.w.Member.StaffID)
	if err != nil {
		return err
	}
	p, allowed := t.permit(id, own)
	if !allowed {
		return nil
	}
	if problem := unreachable(t.w.Venue, c, t.w.Venue.Channel(), a.Purpose); problem != "" {
		t.say("%s, so I won't message them.", problem)
		return nil
	}
	st, err := t.s.Store.ClientStats(ctx, t.w.Venue.ID, c.ID)
	if err != nil {
		return err
	}
	last := "no visits yet"
	if !st.LastVisit.IsZero() {
		last = fmt.Sprintf("last visit %s (%d days ago)", st.LastVisit.In(t.loc()).Format("2 Jan 2006"), int(t.now.Sub(st.LastVisit).Hours()/24))
	}
	t.say("%s: %d visit%s, %s, %d upcoming.", c.FullName(), st.Completed, plural(st.Completed), last, st.Upcoming)
	n := t.card(id, p)
	d := t.data()
	d.Client, d.ClientFirst = c.FullName(), c.FirstName
	n.Title, n.Body = templateDraft(id, d)
	n.ClientID, n.Audience = c.ID, 1
	n.CostE4 = batchCost(t.w.Venue, n.Body, 1)
	t.cards = append(t.cards, n)
	return nil
}

// unreachable says in a sentence why a client cannot get a message of a purpose on a
// channel ("Sofia has opted out of SMS"), or "" when they can: the salon rule, worded.
func unreachable(v salon.Venue, c salon.Client, ch salon.Channel, p salon.Purpose) string {
	return salon.WhyUnreachable(c.FirstName, []salon.ChannelReason{{Channel: ch, Why: v.Reach(c, ch, p)}})
}

// proposeReschedule: gate = future bookings (Staff: their own); proposes the 3 nearest
// open slots around the original time, the same staff member first.
func (t *turn) proposeReschedule(ctx context.Context) error {
	staffScope := int64(0)
	if t.w.Member.Role == salon.Staff {
		staffScope = t.w.Member.StaffID
	}
	future, err := t.s.Store.HasFutureBookings(ctx, t.w.Venue.ID, staffScope)
	if err != nil {
		return err
	}
	if !future {
		if staffScope != 0 {
			t.say("Booking reschedule needs future bookings, and you have none coming up.")
		} else {
			t.say("Booking reschedule needs future bookings, and there are none.")
		}
		return nil
	}
	// Several clients of one name: those with an appointment to move are the ones meant.
	c, ok, err := t.resolveClient(ctx, salon.Reschedule, t.withUpcoming())
	if err != nil || !ok {
		return err
	}
	t.contextClient = c.ID
	upcoming, err := t.s.Store.UpcomingBookings(ctx, t.w.Venue.ID, 0, c.ID, 1)
	if err != nil {
		return err
	}
	if len(upcoming) == 0 {
		t.say("%s has no upcoming appointment to move.", c.FullName())
		return nil
	}
	b := upcoming[0]
	p, allowed := t.permit(salon.Reschedule, b.StaffID == t.w.Member.StaffID)
	if !allowed {
		return nil
	}
	slots, err := t.nearestSlots(ctx, b)
	if err != nil {
		return err
	}
	when := b.Start.In(t.loc()).Format("Mon 2 Jan at 15:04")
	if len(slots) == 0 {
		t.say("%s's appointment is %s with %s, and I found no open slot of the same length nearby.", c.FullName(), when, b.StaffName)
		return nil
	}
	t.say("%s's appointment is %s with %s. Here are the nearest open slots:", c.FullName(), when, b.StaffName)
	n := t.card(salon.Reschedule, p)
	d := t.data()
	d.Client, d.ClientFirst = c.FullName(), c.FirstName
	n.Title, n.Body = templateDraft(salon.Reschedule, d)
	n.ClientID, n.BookingID, n.Audience = c.ID, b.ID, 1
	n.Params.Slots, n.Params.BookingAt = slots, b.Start.Unix()
	n.Notes = "Moving happens in one step on Send (or on approval); if the slot was taken meanwhile you'll be told and nothing changes."
	t.cards = append(t.cards, n)
	return nil
}

// nearestSlots finds up to 3 open slots of the booking's length within a week either
// side of it (never in the past), the same staff member first, then the closest in time.
func (t *turn) nearestSlots(ctx context.Context, b salon.Booking) ([]salon.SlotOption, error) {
	dur := b.End.Sub(b.Start)
	from := b.Start.Add(-7 * 24 * time.Hour)
	if from.Before(t.now) {
		from = t.now
	}
	gaps, err := t.s.Store.Gaps(ctx, t.w.Venue, from, b.Start.Add(7*24*time.Hour))
	if err != nil {
		return nil, err
	}
	type cand struct {
		slot salon.SlotOption
		same bool
		dist time.Duration
	}
	var cands []cand
	origClock := b.Start.In(t.loc())
	for _, g := range gaps {
		if g.Duration() < dur {
			continue
		}
		// Prefer the original time of day inside the gap, else its start.
		start := g.Start
		gl := g.Start.In(t.loc())
		sameTime := time.Date(gl.Year(), gl.Month(), gl.Day(), origClock.Hour(), origClock.Minute(), 0, 0, t.loc())
		if !sameTime.Before(g.Start) && !sameTime.Add(dur).After(g.End) {
			start = sameTime
		}
		d := start.Sub(b.Start)
		if d < 0 {
			d = -d
		}
		cands = append(cands, cand{salon.SlotOption{StaffID: g.StaffID, StaffName: g.StaffName, Start: start.Unix(), End: start.Add(dur).Unix()}, g.StaffID == b.StaffID, d})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].same != cands[j].same {
			return cands[i].same
		}
		return cands[i].dist < cands[j].dist
	})
	var out []salon.SlotOption
	for _, c := range cands {
		if len(out) == 3 {
			break
		}
		out = append(out, c.slot)
	}
	return out, nil
}

// proposeInboxReply: gate = unread or escalated conversations. The thread is the named
// client's (of two clients of one name, the one with a conversation), else the
// complaint when the message speaks of one, else the oldest-waiting unread thread. The
// reply quotes the client's own latest message (never ours). An escalated thread is a
// complaint being handled: it gets no canned reply, only a card that opens the thread,
// where a person answers it.
func (t *turn) proposeInboxReply(ctx context.Context, p salon.Permission) error {
	unread, escalated, err := t.s.Store.CountOpenConversations(ctx, t.w.Venue.ID)
	if err != nil {
		return err
	}
	if unread+escalated == 0 {
		t.say("Your inbox is clear: no unread or escalated conversations.")
		return nil
	}
	convs, err := t.s.Store.Conversations(ctx, t.w.Venue.ID, "")
	if err != nil {
		return err
	}
	var target *store.Conversation
	var complaints []string
	for i := range convs {
		switch convs[i].Status {
		case salon.ThreadEscalated:
			complaints = append(complaints, convs[i].ClientName)
		case salon.ThreadUnread:
			if target == nil && convs[i].LastInbound != "" {
				target = &convs[i]
			}
		}
	}
	if named, _, err := t.named(ctx); err != nil {
		return err
	} else if len(named) > 0 || t.chosen != nil || (t.intent.Pronoun && t.intent.ClientQuery == "" && t.mentionsClient(ctx)) {
		c, ok, err := t.resolveClient(ctx, salon.InboxReply, t.withThread())
		if err != nil || !ok {
			return err
		}
		t.contextClient = c.ID
		target = nil
		for i := range convs {
			if convs[i].ClientID == c.ID {
				target = &convs[i]
			}
		}
		if target == nil {
			t.say("%s has no open conversation in the inbox.", c.FullName())
			return nil
		}
		return t.replyCard(ctx, p, *target)
	}
	if complaintRe.MatchString(strings.ToLower(t.text)) {
		for i := range convs {
			if convs[i].Status == salon.ThreadEscalated {
				return t.replyCard(ctx, p, convs[i])
			}
		}
	}
	t.say("You have %d unread and %d escalated conversation%s.", unread, escalated, plural(unread+escalated))
	if len(complaints) > 0 {
		t.say("Escalated: %s. Those need a personal answer, so I won't draft a standard reply; open them in the Inbox.", strings.Join(complaints, ", "))
	}
	if target == nil {
		return nil
	}
	return t.replyCard(ctx, p, *target)
}

var complaintRe = regexp.MustCompile(`\b(?:complain\w*|escalated|angry|upset|charged twice|refund)`)

// mentionsClient reports whether the previous turn was about a client ("reply to her").
func (t *turn) mentionsClient(ctx context.Context) bool {
	prev, err := t.previous(ctx)
	return err == nil && prev.ClientID != 0
}

// replyCard is the card for one conversation: a reply drafted to the client's latest
// message, or for an escalated thread a card that opens it (no canned text).
func (t *turn) replyCard(ctx context.Context, p salon.Permission, conv store.Conversation) error {
	c, err := t.s.Store.Client(ctx, t.w.Venue.ID, conv.ClientID)
	if err != nil {
		return err
	}
	t.contextClient = c.ID
	if conv.Status == salon.ThreadEscalated {
		t.say("%s's conversation is escalated: \"%s\". A complaint needs a personal answer, so I won't draft one; open the thread to answer.",
			c.FullName(), conv.LastInbound)
		n := t.card(salon.InboxReply, p)
		n.Tier, n.Title, n.Destination = salon.Navigate, "Answer "+c.FullName()+"'s complaint", "Open the conversation"
		n.ClientID, n.Audience = c.ID, 1
		t.cards = append(t.cards, n)
		return nil
	}
	if conv.LastInbound == "" {
		t.say("%s has not written to us yet.", c.FullName())
		return nil
	}
	t.say("%s wrote: \"%s\"", c.FullName(), conv.LastInbound)
	n := t.card(salon.InboxReply, p)
	d := t.data()
	d.Client, d.ClientFirst, d.Question = c.FullName(), c.FirstName, conv.LastInbound
	n.Title, n.Body = templateDraft(salon.InboxReply, d)
	n.ClientID, n.Audience = c.ID, 1
	n.CostE4 = batchCost(t.w.Venue, n.Body, 1)
	n.Notes = "Their message: " + conv.LastInbound
	t.cards = append(t.cards, n)
	return nil
}

// surfaceReconnect adds the "Enable reconnect automation" card by itself when the
// automation is off and lapsed clients exist, once a day per person, for the roles
// that may open it.
func (t *turn) surfaceReconnect(ctx context.Context) error {
	if !salon.Decide(salon.EnableReconnect, t.w.Member.Role, false, t.w.Venue.Solo).Allowed {
		return nil
	}
	on, _, err := t.s.Store.Automation(ctx, t.w.Venue.ID)
	if err != nil || on {
		return err
	}
	recent, err := t.s.Store.RecentlySuggested(ctx, t.w.Venue.ID, t.w.User.ID, salon.EnableReconnect, t.now.Add(-24*time.Hour))
	if err != nil || recent {
		return err
	}
	lapsed, err := t.s.Store.CountLapsed(ctx, t.w.Venue, 60)
	if err != nil || lapsed == 0 {
		return err
	}
	t.say("Reconnect automation is off and %d client%s haven't visited in 60+ days. Switching it on messages overdue clients for you every day.", lapsed, plural(lapsed))
	n := store.NewAction{Kind: salon.EnableReconnect, Tier: salon.Navigate, Title: "Enable reconnect automation", Destination: "Open settings"}
	t.cards = append(t.cards, n)
	return nil
}

// overview answers a message that matched no action with the day's numbers and what
// the Concierge can do.
func (t *turn) overview(ctx context.Context) error {
	v := t.w.Venue
	l := t.now.In(t.loc())
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, t.loc())
	counts, err := t.s.Store.DayCounts(ctx, v.ID, day, day.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	gaps, err := t.s.Store.Gaps(ctx, v, day.AddDate(0, 0, 1), day.AddDate(0, 0, 2))
	if err != nil {
		return err
	}
	unread, escalated, err := t.s.Store.CountOpenConversations(ctx, v.ID)
	if err != nil {
		return err
	}
	t.say("Today: %d bookings, %d completed, %d no-show%s. Tomorrow has %d open slot%s. Inbox: %d unread, %d escalated.",
		counts.Today, counts.Completed, counts.NoShows, plural(counts.NoShows), len(gaps), plural(len(gaps)), unread, escalated)
	t.say("Try \"fill my gaps tomorrow\", \"win back lapsed clients\", \"ask today's clients for a review\", \"follow up no-shows\", \"text Sarah\" or \"reply to the inbox\".")
	return nil
}

// Notify puts a notification on the bell (userID 0: everyone in the venue the kind is
// not hidden from). It comes after the work it reports has been saved, so a failure is
// logged rather than undoing that work.
func (s *Service) Notify(ctx context.Context, venueID, userID int64, kind, body, link string) {
	if err := s.Store.Notify(ctx, venueID, userID, kind, body, link); err != nil {
		s.logger().Error("notification not saved", "venue_id", venueID, "kind", kind, "err", err)
	}
}
