package salon

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Country is a venue's country; it decides currency, SMS price and channel.
type Country string

// The supported countries.
const (
	AU Country = "AU"
	GB Country = "GB"
	NZ Country = "NZ"
)

// Countries lists the supported countries in display order.
var Countries = []Country{AU, GB, NZ}

// ParseCountry accepts AU, GB or NZ.
func ParseCountry(s string) (Country, bool) {
	for _, c := range Countries {
		if string(c) == s {
			return c, true
		}
	}
	return "", false
}

// Currency is the ISO code of the country's currency.
func (c Country) Currency() string {
	switch c {
	case GB:
		return "GBP"
	case NZ:
		return "NZD"
	default:
		return "AUD"
	}
}

// CurrencySymbol is the prefix shown before amounts.
func (c Country) CurrencySymbol() string {
	switch c {
	case GB:
		return "£"
	case NZ:
		return "NZ$"
	default:
		return "A$"
	}
}

// DefaultSMSPriceE4 is the default per-segment SMS price in ten-thousandths of the
// currency unit: AU A$0.0723, GB £0.04, NZ 0 (NZ venues never send SMS).
func (c Country) DefaultSMSPriceE4() int64 {
	switch c {
	case AU:
		return 723
	case GB:
		return 400
	default:
		return 0
	}
}

// Channel is how a message travels.
type Channel string

// The channels.
const (
	SMS   Channel = "sms"
	Email Channel = "email"
)

// ClientChannel is the channel a venue in this country uses to message clients:
// SMS for AU and GB, email for NZ (email-only).
func (c Country) ClientChannel() Channel {
	if c == NZ {
		return Email
	}
	return SMS
}

// SendsSMS reports whether venues in this country may ever send SMS.
func (c Country) SendsSMS() bool { return c != NZ }

// Venue is one salon, barber or spa: the tenant every other row belongs to.
type Venue struct {
	ID         int64
	Slug       string
	Name       string
	Country    Country
	TimeZone   string
	QuietStart Clock // start of quiet hours, venue time (default 20:00)
	QuietEnd   Clock // end of quiet hours, venue time (default 09:00)
	Solo       bool
	WalletE4   int64 // wallet balance in ten-thousandths of the currency unit
	Sparks     int64 // what is left of this month's Spark allowance
	// SparkAllowance is the Sparks the venue gets each month (salon.SparkUsage).
	SparkAllowance int64
	SMSPriceE4     int64 // per-segment SMS price
	StorefrontURL  string
	// ReconnectGracePct is how far past their usual interval a client may go before
	// Client Reconnect counts them overdue (default 20).
	ReconnectGracePct int
	ReviewLink        string
	CreatedAt         time.Time
	// SMSFrom is the number the venue texts from and clients reply to, in E.164;
	// empty means the instance's default number (TWILIO_FROM). Venues may share one.
	SMSFrom string
	// Profile is what the public pages show of the venue; LogoVersion is when its
	// logo last changed (unix seconds; 0: none).
	Profile     VenueProfile
	LogoVersion int64
}

// SendingNumber is the number the venue's texts go out from: its own, or the
// instance's default when it has none. Inbound texts are routed by this number.
func (v Venue) SendingNumber(defaultFrom string) string {
	if v.SMSFrom != "" {
		return v.SMSFrom
	}
	return defaultFrom
}

// ParseSendingNumber validates a venue's SMS sending number as typed in Settings: a
// real phone number (international form, or national in the venue's country), given
// back in E.164. Empty is allowed and means the default number. NZ venues never text.
func ParseSendingNumber(s string, country Country) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if !country.SendsSMS() {
		return "", fmt.Errorf("NZ venues are email-only: they have no sending number.")
	}
	n, err := ParsePhone(s, country)
	if err != nil {
		return "", fmt.Errorf("Enter the number in international form, like +61400000000.")
	}
	return n, nil
}

// Location loads the venue's time zone; a venue always has a valid one (validated on save).
func (v Venue) Location() *time.Location {
	loc, err := time.LoadLocation(v.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Channel is the channel the venue messages clients on.
func (v Venue) Channel() Channel { return v.Country.ClientChannel() }

// InQuietHours reports whether t falls inside the venue's quiet hours. Quiet hours may
// wrap midnight (20:00–09:00) or not (13:00–14:00); equal start and end means none.
func (v Venue) InQuietHours(t time.Time) bool {
	local := t.In(v.Location())
	m := Clock(local.Hour()*60 + local.Minute())
	s, e := v.QuietStart, v.QuietEnd
	switch {
	case s == e:
		return false
	case s < e:
		return m >= s && m < e
	default:
		return m >= s || m < e
	}
}

// Clock is minutes after local midnight (0–1439), used for working hours and quiet hours.
type Clock int

// ParseClock reads "HH:MM" (24-hour).
func ParseClock(s string) (Clock, bool) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, false
	}
	return Clock(h*60 + m), true
}

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// Default quiet hours: 20:00 to 09:00 venue time.
const (
	DefaultQuietStart Clock = 20 * 60
	DefaultQuietEnd   Clock = 9 * 60
)

// ValidTimeZone reports whether name is an IANA zone this binary knows.
func ValidTimeZone(name string) bool {
	if name == "" || name == "Local" {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

var slugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,39}$`)

// CheckName is the rule for every name a person types (venue, team member): not blank.
// It returns the message to show, or "" when the name will do.
func CheckName(name string) string {
	if strings.TrimSpace(name) == "" {
		return "Name is required."
	}
	return ""
}

// checkPlace adds the country and time zone messages a venue form can earn.
func checkPlace(errs map[string]string, country Country, timeZone string) {
	if _, ok := ParseCountry(string(country)); !ok {
		errs["country"] = "Country must be AU, GB or NZ."
	}
	if !ValidTimeZone(timeZone) {
		errs["time_zone"] = "Time zone must be an IANA name like Australia/Sydney."
	}
}

// NewVenue is what creating a venue needs.
type NewVenue struct {
	Slug, Name, TimeZone string
	Country              Country
}

// Validate checks a new venue's fields; the map is empty when all is well.
func (n NewVenue) Validate() map[string]string {
	errs := map[string]string{}
	if !slugRe.MatchString(n.Slug) {
		errs["slug"] = "Slug: 2–40 lower-case letters, digits or dashes."
	}
	if msg := CheckName(n.Name); msg != "" {
		errs["name"] = msg
	}
	checkPlace(errs, n.Country, n.TimeZone)
	return errs
}

// ErrAlreadySetUp refuses the first-run page once any venue exists.
var ErrAlreadySetUp = Conflict("This Concierge is already set up. Sign in instead.")

// FirstVenueErrors checks the first-run form: the venue's fields, and the Owner's under
// owner_ (the venue has a name too). The Owner's role is always Owner.
func FirstVenueErrors(nv NewVenue, owner NewUser) map[string]string {
	errs := nv.Validate()
	owner.Role = Owner
	for k, v := range owner.Validate() {
		errs["owner_"+k] = v
	}
	return errs
}

// VenueSettings is the editable part of a venue.
type VenueSettings struct {
	Name          string
	Country       Country
	TimeZone      string
	QuietStart    Clock
	QuietEnd      Clock
	Solo          bool
	StorefrontURL string
	ReviewLink    string
}

// Validate checks the fields that need no database: name, country, time zone. Whether
// a solo venue has exactly one active staff member is counted where the staff are
// (SoloStaffCountError).
func (in VenueSettings) Validate() map[string]string {
	errs := map[string]string{}
	if msg := CheckName(in.Name); msg != "" {
		errs["name"] = msg
	}
	checkPlace(errs, in.Country, in.TimeZone)
	return errs
}

// SoloStaffCountError refuses making a venue solo (it skips every approval) unless it
// has exactly one active staff member; active is how many it has. Nil when it may.
func SoloStaffCountError(active int) error {
	if active == 1 {
		return nil
	}
	return Invalid(map[string]string{"solo": fmt.Sprintf("A solo venue has exactly one active staff member; this one has %d.", active)})
}

// MaxSMSPriceE4 caps the per-segment SMS price a venue may set: 10.0000.
const MaxSMSPriceE4 = 100000

// CheckSMSPrice checks a per-segment SMS price (ten-thousandths) for a venue in
// country: 0 to MaxSMSPriceE4, and always 0 in an email-only country. Country ""
// (not known yet) checks the range alone.
func CheckSMSPrice(country Country, priceE4 int64) error {
	if priceE4 < 0 || priceE4 > MaxSMSPriceE4 {
		return Invalid(map[string]string{"sms_price": "Price must be between 0 and 10.0000 per segment."})
	}
	if !country.SendsSMS() && priceE4 != 0 {
		return Invalid(map[string]string{"sms_price": "NZ venues are email-only: the SMS price stays 0."})
	}
	return nil
}

// MaxTopUpMinor caps one manual wallet top-up: 100,000 in the currency.
const MaxTopUpMinor = 100_000_00

// CheckTopUp checks a manual wallet top-up (minor units): more than 0, at most
// MaxTopUpMinor.
func CheckTopUp(amountMinor int64) error {
	if amountMinor <= 0 || amountMinor > MaxTopUpMinor {
		return Invalid(map[string]string{"amount": "Enter an amount between 0.01 and 100,000."})
	}
	return nil
}

// CheckSendDelay checks the scheduled-sends cancel window: 0 to MaxSendDelay seconds.
func CheckSendDelay(secs int) error {
	if secs < 0 || secs > MaxSendDelay {
		return Invalid(map[string]string{"send_delay_seconds": SendDelayMessage})
	}
	return nil
}

// SendDelayMessage is what a send delay out of range (or not a number) is told.
const SendDelayMessage = "Choose between 0 and 300 seconds (5 minutes)."
