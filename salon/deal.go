package salon

import "time"

// Flash deals: a discounted open slot with a public page, claimed by the first client.

// MaxDealDiscountPct is the deepest discount a flash deal may give.
const MaxDealDiscountPct = 90

// Deal is a flash deal as its public page and its claim see it.
type Deal struct {
	ID             int64
	VenueID        int64
	VenueSlug      string
	VenueName      string
	Country        Country
	TimeZone       string
	Token          string
	ActionID       int64
	StaffID        int64
	StaffName      string
	ServiceID      int64
	ServiceName    string
	Start, End     time.Time
	PriceMinor     int64
	DiscountPct    int
	DealPriceMinor int64
	ExpiresAt      time.Time
	BookingID      int64
}

// NewDeal is what creating a flash deal needs.
type NewDeal struct {
	ActionID    int64
	StaffID     int64
	ServiceID   int64
	Start       time.Time
	DiscountPct int
	CreatedBy   int64
}

// Validate checks the deal before anything is stored: a discount within bounds and a
// slot that has not started by now.
func (n NewDeal) Validate(now time.Time) error {
	if n.DiscountPct < 0 || n.DiscountPct > MaxDealDiscountPct {
		return Invalid(map[string]string{"discount_pct": "Choose a discount between 0% and 90%."})
	}
	if !n.Start.After(now) {
		return Conflict("That slot has already started; pick a later one.")
	}
	return nil
}

// ErrStaffDoesNotPerform refuses a deal or offer for a service the chosen team member
// does not perform (or that is archived); the store finds it out with a query.
var ErrStaffDoesNotPerform = Invalid(map[string]string{"service_id": "That team member does not perform this service."})

// ErrDealTaken is a flash deal claimed by someone else first, or past its slot.
var ErrDealTaken = Conflict("Sorry, this deal has just been taken.")
