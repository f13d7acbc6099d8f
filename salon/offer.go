package salon

import (
	"fmt"
	"strings"
	"time"
)

// ValidateOffer checks a gap offer before it is recorded: one to MaxOfferRecipients
// clients, a message, and a slot that has not started by now.
func ValidateOffer(recipients int, body string, start, now time.Time) error {
	if recipients == 0 {
		return Invalid(map[string]string{"clients": "Choose at least one client."})
	}
	if recipients > MaxOfferRecipients {
		return Invalid(map[string]string{"clients": fmt.Sprintf("Choose at most %d clients.", MaxOfferRecipients)})
	}
	if strings.TrimSpace(body) == "" {
		return Invalid(map[string]string{"body": "Write the message."})
	}
	if !start.After(now) {
		return Conflict("That slot has already started.")
	}
	return nil
}
