package app

import (
	"context"

	"concierge/salon"
	"concierge/store"
)

// The Concierge chat page's data: the latest turns with their cards, the state of an
// action card (its sending progress, its team member, its history) and the approval
// queue.

// Audience is a resolved cohort's counts (and, when resolved in full, its members).
type Audience = store.Audience

// AudienceMember is one client of an audience who can be messaged.
type AudienceMember = store.AudienceMember

// ChatTurns is the person's latest turns in the venue (up to limit), oldest first, and
// the action cards of each, by turn id.
func (s *Service) ChatTurns(ctx context.Context, venueID, userID int64, limit int) ([]store.Turn, map[int64][]salon.ConciergeAction, error) {
	turns, err := s.Store.RecentTurns(ctx, venueID, userID, limit)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]int64, len(turns))
	for i, t := range turns {
		ids[i] = t.ID
	}
	cards, err := s.Store.TurnActions(ctx, venueID, ids)
	return turns, cards, err
}

// Suggestion is a request the empty chat offers as a chip.
type Suggestion struct {
	Label, Message string
	Action         salon.ActionID
}

// suggestions are the chips in the order shown; each message is one the keyword router
// reads as its action.
var suggestions = []Suggestion{
	{"Fill tomorrow's gaps", "fill my gaps tomorrow", salon.GapFill},
	{"A deal for tomorrow's free slots", "make a flash deal for tomorrow's free slots", salon.FlashDeal},
	{"Win back lapsed clients", "win back lapsed clients", salon.WinBack},
	{"Ask today's clients for a review", "ask today's clients for a review", salon.ReviewRequest},
	{"Follow up no-shows", "follow up no-shows", salon.NoShowFollowup},
	{"Birthdays this week", "send birthday wishes this week", salon.BirthdayOutreach},
	{"Reply to the inbox", "reply to the inbox", salon.InboxReply},
	{"Show me my VIPs", "show me my VIPs", salon.FilterClients},
}

// Suggestions are the chips a person with this role is offered: only requests they may
// make (salon.Decide, for a target that is not their own).
func Suggestions(role salon.Role, solo bool) []Suggestion {
	var out []Suggestion
	for _, sg := range suggestions {
		if salon.Decide(sg.Action, role, false, solo).Allowed {
			out = append(out, sg)
		}
	}
	return out
}

// NewConversation ends the person's visible chat history in the venue: a boundary is
// recorded, the page then shows only later turns, and no client looked up before it
// is carried over. The turns themselves are kept.
func (s *Service) NewConversation(ctx context.Context, w Who) error {
	return s.Store.AddChatBoundary(ctx, w.Venue.ID, w.User.ID)
}

// Action loads one action of the venue.
func (s *Service) Action(ctx context.Context, venueID, id int64) (salon.ConciergeAction, error) {
	return s.Store.Action(ctx, venueID, id)
}

// SendProgress counts a batch action's messages by outcome so far.
func (s *Service) SendProgress(ctx context.Context, venueID, actionID int64) (sent, failed, unknown, queued int, err error) {
	return s.Store.ActionMessageCounts(ctx, venueID, actionID)
}

// StaffName is the name of a team member of the venue.
func (s *Service) StaffName(ctx context.Context, venueID, staffID int64) (string, error) {
	st, err := s.Store.StaffMember(ctx, venueID, staffID)
	return st.Name, err
}

// AuditEvent is one recorded change of an action (who, what, when).
type AuditEvent = store.AuditEvent

// ActionHistory is an action's audit trail, newest first.
func (s *Service) ActionHistory(ctx context.Context, venueID, actionID int64) ([]AuditEvent, error) {
	return s.Store.AuditTrail(ctx, venueID, "action", actionID)
}

// ApprovalQueue is the actions waiting for approval and the latest decided ones (up to
// decidedLimit).
func (s *Service) ApprovalQueue(ctx context.Context, venueID int64, decidedLimit int) (pending, decided []salon.ConciergeAction, err error) {
	if pending, err = s.Store.PendingActions(ctx, venueID); err != nil {
		return nil, nil, err
	}
	decided, err = s.Store.DecidedActions(ctx, venueID, decidedLimit)
	return pending, decided, err
}

// CurrentVenue reads the venue as it stands now: its wallet and Sparks move while a
// page is open.
func (s *Service) CurrentVenue(ctx context.Context, venueID int64) (salon.Venue, error) {
	return s.Store.Venue(ctx, venueID)
}
