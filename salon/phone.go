package salon

import (
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// ParsePhone parses a phone number written the way people in country write it (or in
// international form) and returns it in E.164. It refuses anything libphonenumber does
// not consider a valid number: Parse alone accepts junk like "12345".
func ParsePhone(s string, country Country) (string, error) {
	s = strings.TrimSpace(s)
	n, err := phonenumbers.Parse(s, string(country))
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", fmt.Errorf("%q is not a valid phone number for %s.", s, country)
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// ParseCountryPhone is ParsePhone that also requires the number to belong to country
// (online booking only accepts numbers of the venue's country).
func ParseCountryPhone(s string, country Country) (string, error) {
	e164, err := ParsePhone(s, country)
	if err != nil {
		return "", err
	}
	n, _ := phonenumbers.Parse(e164, "")
	if phonenumbers.GetRegionCodeForNumber(n) != string(country) {
		return "", fmt.Errorf("Use a %s phone number.", country)
	}
	return e164, nil
}

// FormatPhone shows an E.164 number in its national format for display.
func FormatPhone(e164 string) string {
	if e164 == "" {
		return ""
	}
	n, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return e164
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}

// PhoneDigits returns the digits of an E.164 number in both international and national
// form ("61412345678 0412345678"), so a search for either finds the client.
func PhoneDigits(e164 string) string {
	if e164 == "" {
		return ""
	}
	n, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return digitsOnly(e164)
	}
	return digitsOnly(e164) + " " + digitsOnly(phonenumbers.Format(n, phonenumbers.NATIONAL))
}

func digitsOnly(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// SearchTerm normalises what a person typed into the client search box: a mostly
// numeric query is searched as phone digits, anything else as lower-case text.
func SearchTerm(q string) string {
	q = strings.TrimSpace(q)
	d := digitsOnly(q)
	if len(d) >= 3 && len(d)*2 >= len(strings.ReplaceAll(q, " ", "")) {
		return d
	}
	return strings.ToLower(q)
}
