package app

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"concierge/salon"
)

// Rule-based refining (no language model): "shorter", "more formal", "warmer". A draft
// stays whole however often it is refined: the greeting, every merge field and every
// link (and a reply-YES instruction) are kept; only the sentences around them go.

var (
	// sentenceEndRe ends a sentence: . ! or ? followed by space.
	sentenceEndRe = regexp.MustCompile(`[.!?]+\s+`)
	// greetingRe is a message's opening words: "Hi {{FirstName}},", "Happy birthday Sam!".
	greetingRe = regexp.MustCompile(`^((?i:hi|hello|hey|dear|good (?:morning|afternoon|evening)|happy birthday)\b[^,.!?]*[,!])\s*`)
)

// errAsShortAsItGets is a "shorter" that would cost the draft its greeting, a merge field
// or a link: nothing is changed and no refine is used.
var errAsShortAsItGets = salon.Invalid(map[string]string{"instruction": "That's as short as it gets without losing the greeting, " +
	"the merge fields or the link. Edit it by hand to trim it further."})

// splitSentences cuts a text after each sentence's closing punctuation.
func splitSentences(text string) []string {
	var out []string
	rest := strings.TrimSpace(text)
	for rest != "" {
		loc := sentenceEndRe.FindStringIndex(rest)
		if loc == nil {
			out = append(out, rest)
			break
		}
		out = append(out, strings.TrimSpace(rest[:loc[1]]))
		rest = rest[loc[1]:]
	}
	return out
}

// mustStay reports whether a sentence carries something a refine may never drop.
func mustStay(sentence string) bool {
	return strings.Contains(sentence, "{{") || strings.Contains(sentence, "http://") || strings.Contains(sentence, "https://") ||
		strings.Contains(sentence, "www.") || strings.Contains(sentence, "YES")
}

// shorten drops one sentence that carries nothing that must stay: a middle one first,
// then the one after the greeting, then the last; at least one sentence besides the
// greeting always remains.
func shorten(body string) (string, error) {
	greeting := ""
	rest := strings.TrimSpace(body)
	if m := greetingRe.FindStringSubmatch(rest); m != nil {
		greeting, rest = m[1], strings.TrimSpace(rest[len(m[0]):])
	}
	parts := splitSentences(rest)
	if len(parts) < 2 {
		return body, errAsShortAsItGets
	}
	drop := -1
	for i := len(parts) - 2; i >= 1 && drop < 0; i-- { // the middle, from the end
		if !mustStay(parts[i]) {
			drop = i
		}
	}
	if drop < 0 && !mustStay(parts[0]) {
		drop = 0
	}
	if drop < 0 && !mustStay(parts[len(parts)-1]) {
		drop = len(parts) - 1
	}
	if drop < 0 {
		return body, errAsShortAsItGets
	}
	parts = append(parts[:drop], parts[drop+1:]...)
	text := strings.Join(parts, " ")
	if greeting == "" {
		return text, nil
	}
	if strings.HasSuffix(greeting, ",") {
		text = lowerFirst(text)
	}
	return greeting + " " + text, nil
}

// lowerFirst lower-cases a sentence's first letter after a greeting's comma ("Hi Sam,
// you can book here…"), leaving "I" and capitalised words such as names alone.
func lowerFirst(s string) string {
	word := strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\'' || r == '’' })
	if len(word) == 0 || word[0] == "I" {
		return s
	}
	first, size := utf8.DecodeRuneInString(s)
	second, _ := utf8.DecodeRuneInString(s[size:])
	if !unicode.IsUpper(first) || !unicode.IsLower(second) || !commonOpener[strings.ToLower(word[0])] {
		return s
	}
	return string(unicode.ToLower(first)) + s[size:]
}

// commonOpener are the sentence openers that are not names, so can be lower-cased.
var commonOpener = map[string]bool{"you": true, "we": true, "we'd": true, "we're": true, "we'll": true, "book": true, "if": true,
	"thank": true, "thanks": true, "it": true, "it's": true, "everyone": true, "just": true, "our": true, "your": true, "grab": true,
	"reply": true, "last-minute": true, "pick": true, "shall": true, "ready": true, "hope": true}

// ruleRefine applies a refine instruction without a model. ok is false for an
// instruction it does not understand; err is a "shorter" with nothing left to drop.
func ruleRefine(body, instruction string) (out string, ok bool, err error) {
	in := strings.ToLower(instruction)
	switch {
	case strings.Contains(in, "short"), strings.Contains(in, "brief"), strings.Contains(in, "concise"):
		out, err = shorten(body)
	case strings.Contains(in, "formal"):
		out = strings.Replace(strings.Replace(body, "Hi ", "Dear ", 1), "!", ".", -1)
	case strings.Contains(in, "warm"), strings.Contains(in, "friendl"):
		out = body
		if !strings.HasSuffix(body, "!") && !strings.Contains(body, "hope you're well") {
			out = strings.Replace(body, ", ", ", hope you're well! ", 1)
		}
	default:
		return body, false, nil
	}
	if err != nil {
		return body, true, err
	}
	// The last word: whatever a rule did, every merge field and link is still there.
	for _, keep := range mustKeep(body) {
		if !strings.Contains(out, keep) {
			return body, true, errAsShortAsItGets
		}
	}
	return out, true, nil
}
