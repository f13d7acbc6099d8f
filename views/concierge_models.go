package views

// ChatVM is the Concierge page.
type ChatVM struct {
	Turns  []TurnVM
	Sparks string // "163 Sparks left · 37 of 200 Sparks used this month"
	Model  bool   // a language model is configured
	// Suggestions are the requests the empty chat offers, only those the person may make.
	Suggestions []SuggestionVM
}

// SuggestionVM is a suggestion chip: its label and the chat message it posts.
type SuggestionVM struct {
	Label, Message string
}

// TurnVM is one exchange: the person's message and the Concierge's answer.
type TurnVM struct {
	ID      int64
	Author  string // user or concierge
	Lines   []string
	At      string
	Cards   []CardVM
	Choices []ChoiceVM
}

// ChoiceVM is a client to pick when a name matched several.
type ChoiceVM struct {
	TurnID   int64 // the turn that asked
	ClientID int64
	DataID   string // data-client-id: the imported id, else ours
	Label    string // name and phone
	Message  string // what the choice says in the chat: "Reschedule Sarah Baker"
	Gap      bool   // an open slot to fill (GapIndex), not a client
	GapIndex int
}

// OfferClientVM is one ranked client a gap offer card may go to.
type OfferClientVM struct {
	ClientID int64
	DataID   string
	Label    string
	Checked  bool
}

// CardVM is an action card.
type CardVM struct {
	AlsoEmail   bool // a reconnect sent by SMS and email: the email's subject is edited here too
	ID          int64
	Kind        string
	Name        string
	Tier        string // navigate, draft, approval
	Status      string
	StatusLabel string
	Title       string
	Channel     string
	Subject     string
	Body        string
	Notes       string
	Open        bool // still editable and sendable by the viewer
	Refines     int
	RefinesLeft int
	Audience    int
	Cost        string
	SendLabel   string
	Hold        bool
	Slots       []SlotVM
	Slot        string // flash deal: the slot
	ClientName  string
	// Markup hooks: the card's client (imported id, else ours), cohort and window in days.
	ClientDataID string
	Cohort       string
	WindowDays   string
	SlotDate     string          // a flash deal's slot day, YYYY-MM-DD in the venue's zone
	Offer        []OfferClientVM // a gap offer's ranked clients, the ticked ones checked
	GoURL        string
	ResultTitle  string
	Summary      string
	ResultLink   string
	ResultLabel  string
	Expires      string
	Creator      string
	Error        string
	Reason       string
	ApproveMode  bool // rendered on the pending page for an approver
	// AskReviewLink: the draft uses the venue's review link and the venue has none, so
	// the card asks for it right here.
	AskReviewLink bool
	Errors        FieldErrors // beside the draft's fields: subject, body, review_link
	Preview       *AudienceVM
	Scheduled     *ScheduledVM
	Sending       *SendingVM
	// ApprovalNeeded: Send queues it for an Owner or Manager (the badge).
	ApprovalNeeded bool
	// ClientPicker: the storefront link's clients, changed on the card.
	ClientPicker bool
	Recipients   []Option
	// The SMS counter measures the draft filled for one real client: CounterName and the
	// values (JSON, for app.js) it is filled with.
	CounterName string
	MergeJSON   string
	Filled      string
}

// SendingVM is a batch being handed to the providers: the card polls until it is done.
type SendingVM struct {
	Done, Total, Failed int
	PollURL             string
}

// ScheduledVM is a win-back waiting out its cancel window.
type ScheduledVM struct {
	DeadlineMS int64  // when it fires, unix milliseconds (the countdown)
	Left       string // "0:27", rendered by the server and kept live by app.js
	Paused     string // "Paused for quiet hours — sends at 09:00"
	FireURL    string
	CanCancel  bool
}

// AudienceVM is the live audience preview of a batch card.
type AudienceVM struct {
	Count, Sendable int
	Excluded        []ExcludedRow
	Samples         string // "Anna, Ben, Cat, Dee, Eve and 42 more…"
	ShowWindow      bool   // win-back: the inactivity window picker
	WindowDays      int
	Windows         []int
	Picker          *PickerVM // birthday / no-show window, spotlight cohort
	CostMinor       int64
	WalletShort     bool
	Empty           bool // nobody can be messaged: nothing to send
	// AlsoEmail: a reconnect sent by SMS and email ("both"); Sendable counts the texts and
	// EmailSendable the emails, each from its own audience.
	AlsoEmail     bool
	EmailSendable int
}

// SendableLabel names the "can be messaged" figure: the texts, when emails go as well.
func (a *AudienceVM) SendableLabel() string {
	if a.AlsoEmail {
		return "Can be messaged by SMS"
	}
	return "Can be messaged"
}

// PickerVM is a card control that re-counts the audience: its form name, label and the
// values it offers.
type PickerVM struct {
	Name, Label string
	Options     []Option
}

// ExcludedRow is how many one filter removed.
type ExcludedRow struct {
	Reason, Label string
	Count         int
}

// SlotVM is a proposed reschedule slot.
type SlotVM struct {
	Index   int
	Label   string
	Checked bool
}

// PendingVM is the approval queue and its history.
type PendingVM struct {
	Items   []PendingRow
	History []HistoryRow
}

// PendingRow is a pending action in the queue.
type PendingRow struct {
	ID                   int64
	Title, Kind, Creator string
	Age, TimeLeft        string
	Audience             int
	Cost                 string
	Own                  bool
}

// HistoryRow is a decided action.
type HistoryRow struct {
	ID                       int64
	Title, Decision, Decider string
	At, Reason               string
}

// ActionPageVM is one action with its audit history.
type ActionPageVM struct {
	Card    CardVM
	Events  []EventRow
	Summary string // the history in one line: "Mia Chen queued · Olive approved · sent to 267"
	CanSee  bool
}

// EventRow is one audit event, told as a sentence.
type EventRow struct {
	At, Who, Event, Sentence string
}

// DealVM is a flash deal's public page.
type DealVM struct {
	Profile                     PublicVenueVM // the venue's header
	Venue, Service, Staff, When string
	Price, DealPrice            string
	Discount                    int
	BookURL                     string
	Expired, Claimed            bool
	ClaimURL, CSRF              string
	SignIn                      SignInVM // the code sign-in a claim needs first
	SignedInAs                  string   // the first name of the client signed in for the venue, if any
	Problem                     string   // a claim refused as a whole
	Booked                      bool     // this visitor's claim just booked it
}

// InboxVM lists conversations.
type InboxVM struct {
	Filter string
	Items  []InboxRow
}

// InboxRow is a conversation.
type InboxRow struct {
	ClientID     int64
	Name, Status string
	Last, At     string
}

// ThreadVM is one conversation.
type ThreadVM struct {
	ClientID   int64
	Name       string
	Status     string
	Contact    string
	Messages   []MessageRow
	CanReply   bool
	Why        string
	ReplyError string
	Draft      string
}

// AutomationVM is the reconnect and rebook settings pages.
type AutomationVM struct {
	RebookDays     int
	RebookTemplate string
	RebookPreview  string
	Errors         FieldErrors
}

// EngageVM is the Engage activity feed.
type EngageVM struct {
	Sends []EngageRow
}

// EngageRow is one batch send.
type EngageRow struct {
	ActionID                            int64
	Title, Kind, By, Channel, At, Cost  string
	Recipients, Delivered, Sent, Failed int
	Unknown, Pending                    int
}

// EngageDetailVM is one batch send, per recipient.
type EngageDetailVM struct {
	Send     EngageRow
	Body     string // the message that went out
	Outcome  EngageOutcome
	Messages []MessageRow
	// Paging through the recipients: this page's range and the neighbours' links
	// (empty when there is none).
	From, To         int
	PrevURL, NextURL string
}

// EngageOutcome is what followed a batch send, within the outcome window.
type EngageOutcome struct {
	Replied, Booked, Bookings int
	Revenue                   string
	Days                      int // the window, in days
}

// subjectLabel names the subject field: the email's, when the card also sends texts.
func subjectLabel(c CardVM) string {
	if c.AlsoEmail {
		return "Email subject"
	}
	return "Subject"
}
