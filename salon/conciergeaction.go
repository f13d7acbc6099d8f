package salon

import (
	"fmt"
	"time"
)

// ActionParams are the details an action carries, stored as JSON.
type ActionParams struct {
	Cohort      Cohort       `json:"cohort,omitempty"`
	WindowDays  int          `json:"window_days,omitempty"`
	Week        bool         `json:"week,omitempty"` // birthdays this week / no-shows last 7 days
	StaffID     int64        `json:"staff_id,omitempty"`
	ServiceID   int64        `json:"service_id,omitempty"`
	SlotStart   int64        `json:"slot_start,omitempty"` // unix seconds: the flash deal's slot
	SlotEnd     int64        `json:"slot_end,omitempty"`
	DiscountPct int          `json:"discount_pct,omitempty"`
	Slots       []SlotOption `json:"slots,omitempty"`      // reschedule proposals
	BookingAt   int64        `json:"booking_at,omitempty"` // reschedule: the booking's start when the slots were proposed
	Choice      int          `json:"choice,omitempty"`
	DealToken   string       `json:"deal_token,omitempty"`
	CategoryID  int64        `json:"category_id,omitempty"` // overdue cohort: the service category (0: every category)
	AlsoEmail   bool         `json:"also_email,omitempty"`  // reconnect "both": an email as well as the text
	FreshOnly   bool         `json:"fresh_only,omitempty"`  // automatic reconnect: only the newly overdue
	Candidates  []int64      `json:"candidates,omitempty"`  // gap offer: the ranked clients the card offers, best first
	ClientIDs   []int64      `json:"client_ids,omitempty"`  // storefront link to a small group: every client (the first is ClientID)
}

// SlotOption is a proposed time for a reschedule.
type SlotOption struct {
	StaffID   int64  `json:"staff_id"`
	StaffName string `json:"staff_name"`
	Start     int64  `json:"start"`
	End       int64  `json:"end"`
}

// ConciergeAction is one action the Concierge proposed, with its draft and lifecycle.
type ConciergeAction struct {
	ID               int64
	VenueID          int64
	Kind             ActionID
	Status           ActionStatus
	Tier             Tier
	CreatedBy        int64
	CreatorName      string
	TurnID           int64
	Title            string
	Channel          Channel
	Subject          string
	Body             string
	Notes            string
	Destination      string
	ClientID         int64
	ClientName       string
	ClientExternalID string // the id the client was imported with ("" when none)
	BookingID        int64
	Params           ActionParams
	Refines          int
	Audience         int
	CostE4           int64
	ResultSummary    string
	ResultLink       string
	DecidedBy        int64
	DeciderName      string
	DecidedAt        time.Time
	RejectReason     string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	QueuedAt         time.Time
	ExpiresAt        time.Time
	ExecutedAt       time.Time
	ScheduledFor     time.Time
}

// Expired reports whether the action can no longer be sent or approved at now.
func (a ConciergeAction) Expired(now time.Time) bool {
	return a.Status == StatusExpired || (!a.ExpiresAt.IsZero() && !now.Before(a.ExpiresAt))
}

// Open reports whether the action still waits for someone (a draft or a pending approval).
func (a ConciergeAction) Open() bool { return a.Status == StatusDrafted || a.Status == StatusPending }

// Errors of the action lifecycle, fit to show.
var (
	ErrActionExpired = &Error{Code: CodeConflict, Message: "This action has expired and can no longer be sent. Ask the Concierge again."}
	ErrActionClosed  = &Error{Code: CodeConflict, Message: "This action was already handled."}
	ErrRefineLimit   = &Error{Code: CodeConflict, Message: fmt.Sprintf("This draft has been refined %d times, the most allowed. Edit it by hand or discard it and ask again.", MaxRefines)}
)
