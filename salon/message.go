package salon

import "time"

// Direction says whether a message came in or went out.
type Direction string

// The directions.
const (
	Outbound Direction = "out"
	Inbound  Direction = "in"
)

// Purpose says why a message was sent; it decides whether it counts toward dedup.
type Purpose string

// The purposes (IsMarketing says which count toward dedup).
const (
	PurposeWinBack           Purpose = "win_back"
	PurposeCohort            Purpose = "cohort"
	PurposeSpotlight         Purpose = "spotlight"
	PurposeBirthday          Purpose = "birthday"
	PurposeReviewRequest     Purpose = "review_request"
	PurposeNoShow            Purpose = "no_show"
	PurposeBackfill          Purpose = "backfill"
	PurposeReconnect         Purpose = "reconnect"
	PurposeReconnectFollowup Purpose = "reconnect_followup"
	PurposeRebookPrompt      Purpose = "rebook_prompt"
	PurposeOutreach          Purpose = "outreach"
	PurposeInboxReply        Purpose = "inbox_reply"
	PurposeStorefrontLink    Purpose = "storefront_link"
	PurposeRescheduleNotice  Purpose = "reschedule_notice"
	PurposeIncompleteBooking Purpose = "incomplete_booking_reminder"
	PurposeOTP               Purpose = "otp"
	PurposeBookingConfirm    Purpose = "booking_confirmation"
	PurposeOptOutConfirm     Purpose = "opt_out_confirmation"
	PurposeInbound           Purpose = "inbound"

	// PurposeOfferQuestion is our short question back to a client whose reply to an
	// offer was unclear, or who holds offers from several venues sharing a number.
	PurposeOfferQuestion Purpose = "offer_question"
)

// IsMarketing reports whether messages of this purpose are marketing: governed by the
// opt-outs, held back by quiet hours and open conversations. Transactional ones (OTP,
// confirmations, reschedule notices, incomplete-booking reminders, replies to the
// client) are not. (The "recently messaged" filter counts every outbound message:
// CountsAsRecentlyMessaged.)
func (p Purpose) IsMarketing() bool {
	switch p {
	case PurposeWinBack, PurposeCohort, PurposeSpotlight, PurposeBirthday, PurposeReviewRequest,
		PurposeNoShow, PurposeBackfill, PurposeReconnect, PurposeReconnectFollowup, PurposeRebookPrompt, PurposeOutreach,
		PurposeStorefrontLink:
		return true
	}
	return false
}

// MessageStatus is a message's delivery state.
type MessageStatus string

// The message statuses.
const (
	StatusQueued    MessageStatus = "queued"
	StatusSending   MessageStatus = "sending"
	StatusSent      MessageStatus = "sent"
	StatusDelivered MessageStatus = "delivered"
	StatusFailed    MessageStatus = "failed"
	StatusUnknown   MessageStatus = "unknown"
	StatusReceived  MessageStatus = "received"
)

// Rank orders statuses so that a delivery status only ever moves forward: a late
// "sent" callback never overwrites "delivered", and nothing leaves a final state.
func (s MessageStatus) Rank() int {
	switch s {
	case StatusQueued:
		return 0
	case StatusSending:
		return 1
	case StatusSent, StatusUnknown:
		return 2
	case StatusDelivered, StatusFailed, StatusReceived:
		return 3
	}
	return -1
}

// ProviderStatus maps a Twilio status callback value onto ours; ok is false for values
// we do not track.
func ProviderStatus(s string) (MessageStatus, bool) {
	switch s {
	case "queued", "accepted", "scheduled":
		return StatusQueued, true
	case "sending":
		return StatusSending, true
	case "sent":
		return StatusSent, true
	case "delivered", "read":
		return StatusDelivered, true
	case "failed", "undelivered", "canceled":
		return StatusFailed, true
	}
	return "", false
}

// Message is one message in or out.
type Message struct {
	ID         int64
	VenueID    int64
	ClientID   int64
	ClientName string
	Channel    Channel
	Direction  Direction
	Purpose    Purpose
	To, From   string
	Subject    string
	Body       string
	Segments   int
	CostE4     int64
	ProviderID string
	Status     MessageStatus
	Error      string
	ActionID   int64
	WaveID     int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// RecentlyMessagedWindow is how far back an outbound message keeps a client out of a
// batch audience ("recently messaged").
const RecentlyMessagedWindow = 30 * 24 * time.Hour

// CountsAsRecentlyMessaged reports whether this message keeps its client out of batch
// audiences for RecentlyMessagedWindow: any outbound message, whatever its purpose
// (seed 000's FAQ: "any outbound in last 30 days") — replies, confirmations and
// reminders included, and a send in an unknown state (it may have reached the phone) —
// except one the provider refused (failed), which never reached the client.
func (m Message) CountsAsRecentlyMessaged() bool {
	return m.Direction == Outbound && m.Status != StatusFailed
}

// The statuses of an inbox conversation.
const (
	ConversationUnread    = "unread"
	ConversationOpen      = "open"
	ConversationEscalated = "escalated"
	ConversationClosed    = "closed"
)

// CheckConversationStatus refuses a status an inbox conversation cannot have.
func CheckConversationStatus(status string) error {
	switch status {
	case ConversationUnread, ConversationOpen, ConversationEscalated, ConversationClosed:
		return nil
	}
	return Invalid(map[string]string{"status": "Choose open, escalated or closed."})
}

// MaxTextChars is the longest text a venue may send (ten concatenated segments and a bit).
const MaxTextChars = 1600

// CheckInboxReply refuses an empty reply, or a text longer than MaxTextChars.
func CheckInboxReply(ch Channel, body string) error {
	switch {
	case body == "":
		return Invalid(map[string]string{"body": "Type a reply."})
	case ch == SMS && len([]rune(body)) > MaxTextChars:
		return Invalid(map[string]string{"body": "A text can be at most 1,600 characters."})
	}
	return nil
}
