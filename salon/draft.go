package salon

import "time"

// Online booking drafts: what a client has chosen when they reach Review. The slot is
// not held; Review counts down DraftAbandon, after which an unconfirmed draft is an
// incomplete booking, and DraftLifetime after the client's last engagement it expires.
const (
	DraftAbandon  = 10 * time.Minute
	DraftLifetime = 24 * time.Hour
)

// BookingDraft is a client's online booking in progress (salon.Draft is an action's tier).
type BookingDraft struct {
	ID              int64
	VenueID         int64
	ClientID        int64
	ClientName      string
	Phone, Email    string
	ServiceIDs      []int64
	Variants        map[int64]int64 // service id → the option chosen
	PackageID       int64
	StaffID         int64
	StaffName       string
	Start           time.Time
	Notes           string
	Status          string
	ReviewStartedAt time.Time
	LastEngagedAt   time.Time
	ReminderSentAt  time.Time // when this abandonment's reminder was sent or tried
	// What that reminder did: the channels it went on, or (none) why it did not go.
	// Both empty with ReminderSentAt set: a reminder recorded before outcomes were.
	ReminderChannels []Channel
	ReminderNote     string
	// The client's reachability, for the card's Send reminder button.
	Reach Client
}

// NewBookingDraft is what Review captures.
type NewBookingDraft struct {
	ClientID   int64
	ServiceIDs []int64
	Variants   map[int64]int64 // service id → the option chosen
	PackageID  int64
	StaffID    int64 // 0: any team member
	Start      time.Time
	Notes      string
}

// Validate checks a draft before it is captured: it needs a service.
func (n NewBookingDraft) Validate() error {
	if len(n.ServiceIDs) == 0 && n.PackageID == 0 {
		return Invalid(map[string]string{"services": MsgChooseService})
	}
	return nil
}

// ErrDraftClosed is a confirm of a draft that is no longer live: already booked, past
// its 10 minutes, or gone.
var ErrDraftClosed = Conflict("This booking is no longer open: it was already made, or its 10 minutes ran out.")

// Choice is what the draft's client chose.
func (d BookingDraft) Choice() ServiceChoice {
	return ServiceChoice{ServiceIDs: d.ServiceIDs, Variants: d.Variants, PackageID: d.PackageID}
}
