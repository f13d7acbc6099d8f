package salon

import "strings"

// ActionID names one of the Concierge's 14 action types.
type ActionID string

// The 14 actions, with the ids the UI and tests use.
const (
	FlashDeal        ActionID = "flash_deal"
	ServiceSpotlight ActionID = "service_spotlight"
	WinBack          ActionID = "win_back"
	ClientOutreach   ActionID = "client_outreach"
	CohortOutreach   ActionID = "cohort_outreach"
	BirthdayOutreach ActionID = "birthday"
	StorefrontLink   ActionID = "storefront_link"
	FilterClients    ActionID = "filter_clients"
	Reschedule       ActionID = "reschedule"
	ReviewRequest    ActionID = "review_request"
	NoShowFollowup   ActionID = "no_show_followup"
	InboxReply       ActionID = "inbox_reply"
	EnableReconnect  ActionID = "enable_reconnect"
	RebookPrompt     ActionID = "rebook_prompt"
	// GapFill fills an open slot from the chat: the clients the backfill ranking puts
	// first are offered it by text, and the first YES books it.
	GapFill ActionID = "gap_offer"
)

// Tier is an action's risk tier: how its card behaves.
type Tier string

// The tiers.
const (
	Navigate Tier = "navigate" // a one-click route to a page; no draft, no send
	Draft    Tier = "draft"    // a draft the user reviews and sends
	Approval Tier = "approval" // Send queues it for an Owner or Manager
)

// RoleRule is what one role may do with one action.
type RoleRule int

// The role rules.
const (
	Forbidden    RoleRule = iota // "—": the role cannot originate it
	Direct                       // executes on Send
	DirectOwn                    // Owner: executes on Send for actions they originated (always, from their own chat)
	NeedsApprove                 // Send creates a pending row
	ApproveOwn                   // Staff: pending row, and only for their own clients or bookings
	Open                         // navigate: may open it
)

// Action is one catalogue entry.
type Action struct {
	ID          ActionID
	Name        string
	Family      string
	Tier        Tier
	Triggers    []string // lower-case phrases the keyword router matches
	Gate        string   // the data the action needs, said to the user when it is missing
	Executes    string   // what Send does
	Destination string   // the result card's link label
	Batch       bool     // sends to several clients (audience preview)
	Purpose     Purpose  // the purpose of the messages it sends
	Roles       map[Role]RoleRule
}

func roles(owner, manager, staff RoleRule) map[Role]RoleRule {
	return map[Role]RoleRule{Owner: owner, Manager: manager, Staff: staff}
}

// Catalogue is every action with its triggers, data gate and role rules, in display order.
var Catalogue = []Action{
	{ID: FlashDeal, Name: "Flash deal", Family: "gap fill", Tier: Draft,
		Triggers: []string{"gap", "fill", "empty slot", "tomorrow", "flash deal"},
		Gate:     "future bookings and at least one open slot in the next 14 days", Executes: "creates a flash deal for an open slot with a public link",
		Destination: "View Flash Deal", Roles: roles(Direct, Direct, Direct)},
	{ID: GapFill, Name: "Gap offer", Family: "gap fill", Tier: Draft,
		Triggers: []string{"fill my gaps", "empty slot", "free slot"},
		Gate:     "an open slot in the next 14 days and clients ranked for it", Executes: "texts the chosen clients the opening; the first YES books it",
		Destination: "Open Backfill", Purpose: PurposeBackfill, Roles: roles(Direct, Direct, Forbidden)},
	{ID: ServiceSpotlight, Name: "Service spotlight", Family: "gap fill", Tier: Approval,
		Triggers: []string{"promote", "spotlight", "push my service"},
		Gate:     "a cohort with clients who can be messaged", Executes: "a promotional message for one service to a cohort",
		Destination: "Open Engage", Batch: true, Purpose: PurposeSpotlight, Roles: roles(DirectOwn, NeedsApprove, Forbidden)},
	{ID: WinBack, Name: "Win-back campaign", Family: "reconnect", Tier: Approval,
		Triggers: []string{"lapsed", "win-back", "win back", "winback", "reconnect", "rebooking dropped"},
		Gate:     "lapsed clients (60+ days without a visit) who have not opted out", Executes: "a batch message to lapsed clients through the scheduled-sends queue",
		Destination: "Open Engage", Batch: true, Purpose: PurposeWinBack, Roles: roles(DirectOwn, NeedsApprove, Forbidden)},
	{ID: ClientOutreach, Name: "Client outreach", Family: "reconnect", Tier: Approval,
		Triggers: []string{"text ", "message client", "reach out to", "message "},
		Gate:     "a client looked up in this chat", Executes: "one message to one client",
		Destination: "Open Messages", Purpose: PurposeOutreach, Roles: roles(DirectOwn, NeedsApprove, ApproveOwn)},
	{ID: CohortOutreach, Name: "Cohort outreach", Family: "reconnect", Tier: Approval,
		Triggers: []string{"send to vips", "vips", "top spenders", "new clients", "regulars"},
		Gate:     "clients in the cohort who can be messaged", Executes: "a batch message to a cohort, resolved live",
		Destination: "Open Engage", Batch: true, Purpose: PurposeCohort, Roles: roles(DirectOwn, NeedsApprove, Forbidden)},
	{ID: BirthdayOutreach, Name: "Birthday outreach", Family: "retention", Tier: Draft,
		Triggers: []string{"birthday", "wish"},
		Gate:     "clients with a birthday today or this week", Executes: "a birthday message to clients in the window you pick",
		Destination: "Open Engage", Batch: true, Purpose: PurposeBirthday, Roles: roles(Direct, Direct, Direct)},
	{ID: StorefrontLink, Name: "Share storefront link", Family: "retention", Tier: Draft,
		Triggers: []string{"booking link", "storefront"},
		Executes: "one message with your online booking link", Destination: "Open Messages", Purpose: PurposeStorefrontLink,
		Roles: roles(Direct, Direct, Direct)},
	{ID: FilterClients, Name: "Filter clients", Family: "retention", Tier: Navigate,
		Triggers: []string{"show me my", "filter clients", "client cohort"},
		Executes: "opens the client list with the cohort applied", Destination: "Open Clients", Roles: roles(Open, Open, Forbidden)},
	{ID: Reschedule, Name: "Booking reschedule", Family: "scheduling", Tier: Approval,
		Triggers: []string{"reschedule", "move appointment", "move booking", "move my appointment"},
		Gate:     "future bookings", Executes: "moves a booking to an open slot and tells the client",
		Destination: "Open Calendar", Purpose: PurposeRescheduleNotice, Roles: roles(DirectOwn, NeedsApprove, ApproveOwn)},
	{ID: ReviewRequest, Name: "Review request", Family: "feedback", Tier: Draft,
		Triggers: []string{"review", "feedback", "google review"},
		Gate:     "bookings completed today that were not asked yet", Executes: "asks today's clients for a review",
		Destination: "Open Engage", Batch: true, Purpose: PurposeReviewRequest, Roles: roles(Direct, Direct, Forbidden)},
	{ID: NoShowFollowup, Name: "No-show follow-up", Family: "retention", Tier: Approval,
		Triggers: []string{"no-show", "no show", "noshow", "missed appointment", "didn't show", "did not show"},
		Gate:     "no-shows today (or in the last 7 days)", Executes: "a rebook nudge to each no-show",
		Destination: "View bookings", Batch: true, Purpose: PurposeNoShow, Roles: roles(DirectOwn, NeedsApprove, Forbidden)},
	{ID: InboxReply, Name: "Inbox reply", Family: "inbox", Tier: Draft,
		Triggers: []string{"reply", "respond", "inbox", "client asked"},
		Gate:     "unread or escalated conversations", Executes: "a reply in one conversation",
		Destination: "Open Messages", Purpose: PurposeInboxReply, Roles: roles(Direct, Direct, Direct)},
	{ID: EnableReconnect, Name: "Enable reconnect automation", Family: "automation", Tier: Navigate,
		Gate: "reconnect automation off and lapsed clients", Executes: "opens the reconnect automation settings",
		Destination: "Open settings", Roles: roles(Open, Open, Forbidden)},
	{ID: RebookPrompt, Name: "Set up rebooking prompt", Family: "automation", Tier: Navigate,
		Triggers: []string{"rebook prompt", "next visit nudge", "checkout rebook", "rebooking prompt"},
		Executes: "opens the post-visit rebook nudge settings", Destination: "Open automations", Roles: roles(Open, Open, Forbidden)},
}

var catalogueByID = func() map[ActionID]Action {
	m := map[ActionID]Action{}
	for _, a := range Catalogue {
		m[a.ID] = a
	}
	return m
}()

// LookupAction returns the catalogue entry of an id.
func LookupAction(id ActionID) (Action, bool) {
	a, ok := catalogueByID[id]
	return a, ok
}

// Permission is the answer to "may this person do this, and how?".
type Permission struct {
	Allowed       bool
	NeedsApproval bool
	Reason        string // why not, when not allowed
}

// Tier is the card's effective tier for this person: navigate, approval when Send
// would queue, draft otherwise.
func (p Permission) Tier(a Action) Tier {
	switch {
	case a.Tier == Navigate:
		return Navigate
	case p.NeedsApproval:
		return Approval
	default:
		return Draft
	}
}

// Decide applies the action's role rules: may someone with this role originate the action,
// and does their Send execute or queue? own says the target is theirs (a Staff
// member's own client or booking). In a solo venue nothing needs approval.
func Decide(id ActionID, role Role, own, solo bool) Permission {
	a, ok := catalogueByID[id]
	if !ok {
		return Permission{Reason: "Unknown action."}
	}
	switch a.Roles[role] {
	case Direct, DirectOwn, Open:
		return Permission{Allowed: true}
	case NeedsApprove:
		return Permission{Allowed: true, NeedsApproval: !solo}
	case ApproveOwn:
		if !own {
			return Permission{Reason: "Staff can only do this for their own " + ownNoun(id) + "."}
		}
		return Permission{Allowed: true, NeedsApproval: !solo}
	}
	return Permission{Reason: "Only " + whoMay(a) + " can do this."}
}

func ownNoun(id ActionID) string {
	if id == Reschedule {
		return "bookings"
	}
	return "clients"
}

// whoMay names the roles that may originate an action: "an Owner or Manager".
func whoMay(a Action) string {
	var who []string
	for _, r := range []Role{Owner, Manager, Staff} {
		if a.Roles[r] != Forbidden {
			who = append(who, r.Title())
		}
	}
	if len(who) == 0 {
		return "nobody"
	}
	return "an " + strings.Join(who, " or ")
}

// CanApprove says who may approve or reject a pending action: an Owner or Manager who
// did not create it.
func CanApprove(role Role, approverID, creatorID int64) (bool, string) {
	if !role.Approves() {
		return false, "Only an Owner or Manager can approve actions."
	}
	if approverID == creatorID {
		return false, "Nobody approves their own action: ask another Owner or Manager."
	}
	return true, ""
}

// ActionStatus is where an action is in its lifecycle.
type ActionStatus string

// The lifecycle: suggested → drafted → executed | pending → approved → executed |
// rejected | expired; drafted → discarded; any send may end failed.
const (
	StatusSuggested ActionStatus = "suggested"
	StatusDrafted   ActionStatus = "drafted"
	StatusPending   ActionStatus = "pending"
	StatusApproved  ActionStatus = "approved"
	StatusExecuted  ActionStatus = "executed"
	StatusRejected  ActionStatus = "rejected"
	StatusExpired   ActionStatus = "expired"
	StatusDiscarded ActionStatus = "discarded"
	StatusActFailed ActionStatus = "failed"
	StatusScheduled ActionStatus = "scheduled" // win-back: waiting out its cancel window
	StatusExecuting ActionStatus = "executing" // claimed: being run (a batch: being handed to the providers)
	StatusCancelled ActionStatus = "cancelled"
)

// MaxSendDelay caps the scheduled-sends cancel window, in seconds: never more than 5 minutes.
const MaxSendDelay = 300

// Expiry windows: pending actions 24 hours after queueing, drafts 7 days after creation.
const (
	PendingLife = 24 * 60 * 60 // seconds
	DraftLife   = 7 * 24 * 60 * 60
	MaxRefines  = 3
	// SMSDraftLimit is the longest SMS body a draft may have.
	SMSDraftLimit = 280
)

// OverSMSLimit is the draft length rule: a text (draft, offer, template) may have at
// most SMSDraftLimit characters.
func OverSMSLimit(body string) bool { return len([]rune(body)) > SMSDraftLimit }
