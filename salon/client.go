package salon

import (
	"fmt"
	"net/mail"
	"sort"
	"strings"
	"time"
)

// Birthday is a day and month, with the year optional (0 when unknown).
type Birthday struct {
	Day, Month, Year int
}

// IsZero reports an unset birthday.
func (b Birthday) IsZero() bool { return b.Day == 0 || b.Month == 0 }

// String renders "YYYY-MM-DD" or "--MM-DD" (the CSV and form format).
func (b Birthday) String() string {
	if b.IsZero() {
		return ""
	}
	if b.Year == 0 {
		return fmt.Sprintf("--%02d-%02d", b.Month, b.Day)
	}
	return fmt.Sprintf("%04d-%02d-%02d", b.Year, b.Month, b.Day)
}

// ParseBirthday reads "YYYY-MM-DD" or "--MM-DD"; empty is no birthday.
func ParseBirthday(s string) (Birthday, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Birthday{}, nil
	}
	var b Birthday
	if strings.HasPrefix(s, "--") {
		t, err := time.Parse("2006-01-02", "2000"+s[1:]) // leap year so 29 Feb is allowed
		if err != nil {
			return Birthday{}, fmt.Errorf("use YYYY-MM-DD or --MM-DD")
		}
		b = Birthday{Day: t.Day(), Month: int(t.Month())}
	} else {
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return Birthday{}, fmt.Errorf("use YYYY-MM-DD or --MM-DD")
		}
		if t.Year() < 1900 {
			return Birthday{}, fmt.Errorf("year must be 1900 or later")
		}
		b = Birthday{Day: t.Day(), Month: int(t.Month()), Year: t.Year()}
	}
	return b, nil
}

// Client is a person who books at a venue.
type Client struct {
	ID                  int64
	VenueID             int64
	ExternalID          string
	FirstName, LastName string
	Phone               string // E.164, or "" when none
	Email               string
	Birthday            Birthday
	SMSOptOut           bool
	EmailOptOut         bool
	Blocked             bool
	NotifySMS           bool
	NotifyEmail         bool
	Tags                []string
	AssignedStaffID     int64
	CreatedAt           time.Time
	LastReconnectSentAt time.Time
	LastCampaignSentAt  time.Time
}

// FullName is "First Last".
func (c Client) FullName() string { return strings.TrimSpace(c.FirstName + " " + c.LastName) }

// HasTag reports whether the client carries the tag (case-insensitive).
func (c Client) HasTag(tag string) bool {
	for _, t := range c.Tags {
		if strings.EqualFold(t, tag) {
			return true
		}
	}
	return false
}

// ParseTags splits "VIP; Regular" on ';' or ',', trims, drops empties and duplicates.
func ParseTags(s string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' }) {
		t = strings.TrimSpace(t)
		if t == "" || seen[strings.ToLower(t)] {
			continue
		}
		seen[strings.ToLower(t)] = true
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// ClientInput is what a form or an import row proposes for a client.
type ClientInput struct {
	ExternalID  string
	FirstName   string
	LastName    string
	Phone       string
	Email       string
	Birthday    string
	SMSOptOut   bool
	EmailOptOut bool
	Blocked     bool
	NotifySMS   bool
	NotifyEmail bool
	Tags        string
}

// Validate checks the input for a venue in country and returns the normalised client
// fields, or field errors keyed by form field name.
func (in ClientInput) Validate(country Country) (Client, map[string]string) {
	errs := map[string]string{}
	c := Client{
		ExternalID: strings.TrimSpace(in.ExternalID),
		FirstName:  strings.TrimSpace(in.FirstName),
		LastName:   strings.TrimSpace(in.LastName),
		SMSOptOut:  in.SMSOptOut, EmailOptOut: in.EmailOptOut, Blocked: in.Blocked,
		NotifySMS: in.NotifySMS, NotifyEmail: in.NotifyEmail,
		Tags: ParseTags(in.Tags),
	}
	if c.FirstName == "" {
		errs["first_name"] = "First name is required."
	} else if len(c.FirstName) > 100 {
		errs["first_name"] = "First name is too long."
	}
	if len(c.LastName) > 100 {
		errs["last_name"] = "Last name is too long."
	}
	if p := strings.TrimSpace(in.Phone); p != "" {
		e164, err := ParsePhone(p, country)
		if err != nil {
			errs["phone"] = err.Error()
		}
		c.Phone = e164
	}
	if e := strings.TrimSpace(in.Email); e != "" {
		norm, err := ParseEmail(e)
		if err != nil {
			errs["email"] = err.Error()
		}
		c.Email = norm
	}
	b, err := ParseBirthday(in.Birthday)
	if err != nil {
		errs["birthday"] = "Birthday: " + err.Error() + "."
	}
	c.Birthday = b
	if len(errs) > 0 {
		return Client{}, errs
	}
	return c, nil
}

// Check is Validate as an error: the normalised client, or an Invalid error keyed by
// form field (what the client forms show beside each field).
func (in ClientInput) Check(country Country) (Client, error) {
	c, errs := in.Validate(country)
	if errs != nil {
		return Client{}, Invalid(errs)
	}
	return c, nil
}

// ParseEmail accepts a single plain address ("name@example.com") and lower-cases it.
func ParseEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") || len(s) > MaxEmailLength {
		return "", fmt.Errorf("Enter an email address like name@example.com.")
	}
	return strings.ToLower(s), nil
}

// SearchText is what the client search matches against: name, phone digits (both
// forms) and email, lower-cased.
func (c Client) SearchText() string {
	return strings.ToLower(c.FirstName+" "+c.LastName) + " " + PhoneDigits(c.Phone) + " " + strings.ToLower(c.Email)
}
