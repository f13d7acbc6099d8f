package app

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"concierge/salon"
	"concierge/store"
)

// Who a chat message is about. A client is selected in exactly three ways: named in the
// message (salon.NameIndex: full name, a unique first or last name, a one-letter slip),
// chosen from the list the previous turn offered (by button or by saying which), or
// referred to by a pronoun ("text her", "move it"), which means the client of the
// previous turn only. Nothing else selects a client: no id typed in a message, no older
// context.

// Turn is one chat message, the person's or the Concierge's.
type Turn = store.Turn

// maxChoices is how many clients a "which one?" list offers at most.
const maxChoices = 8

// ChoiceLabel is how a choice is echoed in the chat: "Reschedule Sarah Baker".
func ChoiceLabel(action salon.ActionID, name string) string {
	switch action {
	case salon.Reschedule:
		return "Reschedule " + name
	case salon.StorefrontLink:
		return "Send the booking link to " + name
	case salon.InboxReply:
		return "Reply to " + name
	}
	return "Message " + name
}

// nameIndex is the venue's client names, read once per turn when a turn needs them.
func (t *turn) nameIndex(ctx context.Context) (*salon.NameIndex, error) {
	if t.names != nil {
		return t.names, nil
	}
	ix, err := t.s.NameIndex(ctx, t.w.Venue.ID)
	if err != nil {
		return nil, err
	}
	t.names = ix
	return ix, nil
}

// named finds the clients the message names: one, several (the choices), or none.
// Names of the venue's team in the message are not clients ("book Sarah with Mia").
func (t *turn) named(ctx context.Context) ([]salon.Client, salon.NameMatch, error) {
	return t.namedUpTo(ctx, maxChoices)
}

// namedUpTo is named reading at most limit of the clients matched (the match itself
// lists them all): a list to narrow needs more than a list to show.
func (t *turn) namedUpTo(ctx context.Context, limit int) ([]salon.Client, salon.NameMatch, error) {
	ix, err := t.nameIndex(ctx)
	if err != nil {
		return nil, salon.NameMatch{}, err
	}
	m, ok := ix.Find(t.text)
	if !ok {
		return nil, m, nil
	}
	if len(m.Others) > 0 {
		if m.Others, err = t.notTeam(ctx, m.Others); err != nil {
			return nil, m, err
		}
	}
	ids := m.IDs
	if len(ids) > limit {
		ids = ids[:limit]
	}
	cs, err := t.s.Store.ClientsByID(ctx, t.w.Venue.ID, ids)
	return cs, m, err
}

// maxCandidates bounds how many clients of one name are read to narrow a choice.
const maxCandidates = 100

// notTeam drops the names that are the venue's team members' names.
func (t *turn) notTeam(ctx context.Context, names []string) ([]string, error) {
	staff, err := t.s.Store.StaffMembers(ctx, t.w.Venue.ID, true)
	if err != nil {
		return nil, err
	}
	team := map[string]bool{}
	for _, st := range staff {
		for _, w := range strings.Fields(st.Name) {
			team[salon.FoldName(w)] = true
		}
	}
	var out []string
	for _, n := range names {
		if !team[salon.FoldName(n)] {
			out = append(out, n)
		}
	}
	return out, nil
}

// narrowing keeps, of several clients of one name, those an action can be about, and
// says how ("have an appointment coming up").
type narrowing struct {
	keep func(context.Context, []salon.Client) ([]salon.Client, error)
	why  string
}

// resolveClient finds the one client an action is about, by the rule above. When it
// cannot, it says why (several: a choice list that keeps the action; nobody of that
// name; two people named; no one named) and returns ok false.
func (t *turn) resolveClient(ctx context.Context, id salon.ActionID, narrow *narrowing) (salon.Client, bool, error) {
	if t.chosen != nil {
		return *t.chosen, true, nil
	}
	if t.intent.ClientID != 0 { // the model's choice, checked against what the message said (referredTo)
		if !t.lookedUp[t.intent.ClientID] {
			t.say("I can only act for a client you named.")
			return salon.Client{}, false, nil
		}
		c, err := t.s.Store.Client(ctx, t.w.Venue.ID, t.intent.ClientID)
		return c, err == nil, err
	}
	limit := maxChoices + 1 // one more than a list shows: enough to say there are more
	if narrow != nil {
		limit = maxCandidates
	}
	matches, m, err := t.namedUpTo(ctx, limit)
	if err != nil {
		return salon.Client{}, false, err
	}
	if len(m.Others) > 0 {
		t.say("You named more than one client (%s and %s). Which one is this for? Name just that client.", m.Said, strings.Join(m.Others, ", "))
		return salon.Client{}, false, nil
	}
	narrowed := ""
	if narrow != nil && len(matches) > 1 {
		kept, err := narrow.keep(ctx, matches)
		if err != nil {
			return salon.Client{}, false, err
		}
		if len(kept) < len(matches) {
			narrowed = fmt.Sprintf("; %d of them %s", len(kept), narrow.why)
		}
		matches = kept
	}
	switch {
	case len(matches) == 1:
		return matches[0], true, nil
	case len(matches) > 1:
		more := ""
		if len(matches) > maxChoices {
			more = fmt.Sprintf(" Here are the first %d; name the client in full to pick another.", maxChoices)
			matches = matches[:maxChoices]
		}
		t.say("%d clients are called %s%s. Which one do you mean?%s", len(m.IDs), m.Said, narrowed, more)
		t.choices = matches
		t.choiceFor = id
		return salon.Client{}, false, nil
	}
	if m.Unknown != "" {
		t.say("I couldn't find a client called %s. Check the spelling or search on the Clients page.", m.Unknown)
		return salon.Client{}, false, nil
	}
	if t.intent.Pronoun {
		prev, err := t.previous(ctx)
		if err != nil {
			return salon.Client{}, false, err
		}
		if prev.ClientID == 0 {
			t.say("Who do you mean? Name the client, for example \"%s\".", example(id))
			return salon.Client{}, false, nil
		}
		c, err := t.s.Store.Client(ctx, t.w.Venue.ID, prev.ClientID)
		return c, err == nil, err
	}
	if t.intent.ClientQuery != "" {
		t.say("I couldn't find a client called %s. Check the spelling or search on the Clients page.", t.intent.ClientQuery)
		return salon.Client{}, false, nil
	}
	t.say("Who is it for? Name the client, for example \"%s\".", example(id))
	return salon.Client{}, false, nil
}

func example(id salon.ActionID) string {
	switch id {
	case salon.Reschedule:
		return "reschedule Sarah Smith"
	case salon.StorefrontLink:
		return "send the booking link to Sarah Smith"
	case salon.InboxReply:
		return "reply to Sarah Smith"
	}
	return "text Sarah Smith"
}

// previous is the Concierge's last answer in this chat (what a pronoun or a choice
// refers to), read once per turn.
func (t *turn) previous(ctx context.Context) (prevTurn, error) {
	if t.prev != nil {
		return *t.prev, nil
	}
	p, ok, err := t.s.Store.LastConciergeTurn(ctx, t.w.Venue.ID, t.w.User.ID)
	if err != nil {
		return prevTurn{}, err
	}
	pt := prevTurn{}
	if ok && t.now.Sub(p.CreatedAt) <= contextWindow {
		pt = prevTurn{ID: p.ID, ClientID: p.ClientID, Choice: p.Choice}
	}
	t.prev = &pt
	return pt, nil
}

// prevTurn is what this turn may use of the previous one.
type prevTurn struct {
	ID       int64
	ClientID int64
	Choice   *salon.ClientChoice
}

var ordinals = map[string]int{"first": 0, "1st": 0, "second": 1, "2nd": 1, "two": 1, "third": 2, "3rd": 2, "three": 2,
	"fourth": 3, "4th": 3, "fifth": 4, "5th": 4, "last": -1}

var numberRe = regexp.MustCompile(`^\s*(?:number\s+|no\.?\s*|#)?([1-8])\s*\.?\s*$`)

// answersChoice reads a message as the answer to the previous turn's "which one?": a
// name of one of the clients offered ("the Novak one", "Olivia Novak"), or its place in
// the list ("the second", "2"). It returns the client chosen, or ok false.
func (t *turn) answersChoice(ctx context.Context, choice *salon.ClientChoice) (salon.Client, bool, error) {
	offered, err := t.s.Store.ClientsByID(ctx, t.w.Venue.ID, choice.ClientIDs)
	if err != nil || len(offered) == 0 {
		return salon.Client{}, false, err
	}
	names := make([]salon.ClientName, len(offered))
	for i, c := range offered {
		names[i] = salon.ClientName{ID: c.ID, First: c.FirstName, Last: c.LastName}
	}
	if m, ok := salon.NewNameIndex(names).FindAnyWord(t.text); ok && len(m.IDs) == 1 {
		for _, c := range offered {
			if c.ID == m.IDs[0] {
				return c, true, nil
			}
		}
	}
	// A place in the list answers only as a short reply ("the second", "2"), never a
	// word inside a longer message ("who was the last client in today?").
	pick := -2
	words := strings.Fields(strings.ToLower(t.text))
	if m := numberRe.FindStringSubmatch(t.text); m != nil {
		pick = int(m[1][0] - '1')
	} else if len(words) <= 4 {
		for _, w := range words {
			if i, ok := ordinals[strings.Trim(w, ".,!?")]; ok {
				pick = i
				break
			}
		}
	}
	if pick == -1 {
		pick = len(offered) - 1
	}
	if pick >= 0 && pick < len(offered) {
		return offered[pick], true, nil
	}
	return salon.Client{}, false, nil
}

// answerToChoice takes a message that answers the previous turn's "which one?" ("the
// Novak one", "the second") as the choice, going on with the action that was asked.
func (t *turn) answerToChoice(ctx context.Context) error {
	if len(t.intent.Actions) > 0 && t.intent.Actions[0] == salon.EnableReconnect {
		return nil
	}
	prev, err := t.previous(ctx)
	if err != nil || prev.Choice == nil || prev.Choice.Answered {
		return err
	}
	if len(t.intent.Actions) > 0 && t.intent.Actions[0] != prev.Choice.Action {
		return nil // a new request, not an answer
	}
	// A client named in full who was not offered is a new request ("reschedule Amelia
	// Cooper" after a list of Sarahs), not an answer that shares her surname.
	if _, m, err := t.named(ctx); err != nil {
		return err
	} else if m.Whole {
		for _, id := range m.IDs {
			if !prev.Choice.Offers(id) {
				return nil
			}
		}
	}
	c, ok, err := t.answersChoice(ctx, prev.Choice)
	if err != nil || !ok {
		return err
	}
	if claimed, err := t.s.Store.AnswerChoice(ctx, t.w.Venue.ID, t.w.User.ID, prev.ID); err != nil || !claimed {
		return err
	}
	t.chosen = &c
	t.intent = salon.Intent{Actions: []salon.ActionID{prev.Choice.Action}}
	return nil
}

// withUpcoming keeps the clients who have an appointment ahead (all of them when none
// has): of two Lily Joneses, the one with a booking is the one to reschedule.
func (t *turn) withUpcoming() *narrowing {
	return &narrowing{keep: t.keepUpcoming, why: "have an appointment coming up"}
}

func (t *turn) keepUpcoming(ctx context.Context, cs []salon.Client) ([]salon.Client, error) {
	return t.keepWith(ctx, "upcoming", cs)
}

// keepWith keeps the clients the store says have what (all of them when none has).
func (t *turn) keepWith(ctx context.Context, what string, cs []salon.Client) ([]salon.Client, error) {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	has, err := t.s.Store.ClientsWith(ctx, t.w.Venue.ID, what, ids)
	if err != nil {
		return nil, err
	}
	var out []salon.Client
	for _, c := range cs {
		if has[c.ID] {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return cs, nil
	}
	return out, nil
}

// withThread keeps the clients with a conversation in the inbox (all of them when none
// has): of two Holly Browns, the one who texted is the one waiting for an answer.
func (t *turn) withThread() *narrowing {
	return &narrowing{keep: t.keepThread, why: "have a conversation in the inbox"}
}

func (t *turn) keepThread(ctx context.Context, cs []salon.Client) ([]salon.Client, error) {
	return t.keepWith(ctx, "thread", cs)
}

// lookupOrOverview answers a message that asks for no action: about one client named in
// it ("what has Tara Cohen got coming up?"), which then is the client of this turn, or
// else with the day's numbers and what the Concierge can do.
func (t *turn) lookupOrOverview(ctx context.Context) error {
	matches, m, err := t.named(ctx)
	if err != nil {
		return err
	}
	if len(matches) != 1 {
		if m.Unknown != "" {
			t.say("I couldn't find a client called %s.", m.Unknown)
			return nil
		}
		return t.overview(ctx)
	}
	c := matches[0]
	t.contextClient = c.ID
	up, err := t.s.Store.UpcomingBookings(ctx, t.w.Venue.ID, 0, c.ID, 3)
	if err != nil {
		return err
	}
	if len(up) == 0 {
		t.say("%s has nothing booked.", c.FullName())
		return nil
	}
	var parts []string
	for _, b := range up {
		parts = append(parts, fmt.Sprintf("%s with %s", b.Start.In(t.loc()).Format("Mon 2 Jan at 15:04"), b.StaffName))
	}
	t.say("%s has coming up: %s.", c.FullName(), strings.Join(parts, "; "))
	return nil
}

// referredTo reports whether the message refers to this client (0: no client, fine):
// the model's own lookup on this venue returned them, and the message names them or
// means them by a pronoun as the previous turn's client.
func (t *turn) referredTo(ctx context.Context, id int64) bool {
	if id == 0 {
		return true
	}
	if !t.lookedUp[id] {
		return false
	}
	// The message names exactly this client: a name several clients share is for the
	// router's "which one?", not for the model to pick.
	if _, m, err := t.named(ctx); err == nil && len(m.IDs) > 0 {
		return len(m.IDs) == 1 && m.IDs[0] == id && len(m.Others) == 0
	}
	prev, err := t.previous(ctx)
	return err == nil && t.intent.Pronoun && prev.ClientID == id
}

// TurnChoices loads the clients each "which one?" turn offered, in one query, so a
// reloaded chat shows its open questions as they were asked.
func (s *Service) TurnChoices(ctx context.Context, venueID int64, turns []Turn) (map[int64][]salon.Client, error) {
	var ids []int64
	for _, t := range turns {
		if t.Choice != nil {
			ids = append(ids, t.Choice.ClientIDs...)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	cs, err := s.Store.ClientsByID(ctx, venueID, ids)
	if err != nil {
		return nil, err
	}
	byID := map[int64]salon.Client{}
	for _, c := range cs {
		byID[c.ID] = c
	}
	out := map[int64][]salon.Client{}
	for _, t := range turns {
		if t.Choice == nil {
			continue
		}
		for _, id := range t.Choice.ClientIDs {
			if c, ok := byID[id]; ok {
				out[t.ID] = append(out[t.ID], c)
			}
		}
	}
	return out, nil
}

// ClientDataID is how a client is named in the page's markup (data-client-id): the id
// it was imported with, else ours.
func ClientDataID(c salon.Client) string {
	if c.ExternalID != "" {
		return c.ExternalID
	}
	return fmt.Sprint(c.ID)
}
