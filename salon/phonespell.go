package salon

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// PhoneSpellings lists the ways a stored E.164 number is commonly written in free text
// (notes, chat): "+61413987654", "+61 413 987 654", "0413 987 654", "0413987654",
// "61413987654". Forgetting a client removes every one of them.
func PhoneSpellings(e164 string) []string {
	if e164 == "" {
		return nil
	}
	out := []string{e164, digitsOnly(e164)}
	if n, err := phonenumbers.Parse(e164, ""); err == nil {
		national := phonenumbers.Format(n, phonenumbers.NATIONAL)
		out = append(out, phonenumbers.Format(n, phonenumbers.INTERNATIONAL), national, digitsOnly(national),
			strings.ReplaceAll(national, " ", ""))
	}
	return out
}
