package salon

import "strings"

// Keyword is what an inbound SMS asks for, when it is a control word.
type Keyword int

// The inbound keywords.
const (
	NoKeyword Keyword = iota
	OptOutKeyword
	OptInKeyword
)

// ParseKeyword recognises the carrier control words: a message that is only a STOP word
// (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT) opts out; START or
// UNSTOP opts back in. Case and surrounding spaces or punctuation are ignored; a STOP
// word inside a longer sentence is conversation, not a command.
func ParseKeyword(body string) Keyword {
	w := strings.ToUpper(strings.Trim(strings.TrimSpace(body), ".!? \t\r\n"))
	switch w {
	case "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT":
		return OptOutKeyword
	case "START", "UNSTOP":
		return OptInKeyword
	}
	return NoKeyword
}
