package salon

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Names in chat messages: which of a venue's clients a message names. Staff type names
// as they say them: in lower case, without accents, with a possessive ("Grace Fraser's
// booking") or a one-letter slip ("Yuki Andersen"). The rule, in order:
//  1. a full name (first name and surname, the surname perhaps of several words, "Charlie
//     Te Rangi") anywhere in the message, the longest first;
//  2. else a full name with one letter wrong, added, missing or swapped in the first name
//     or the surname (never both, never in a name under four letters), when exactly one
//     client's name is that close;
//  3. else a single first name or surname, when the message writes it with a capital or
//     right after a word that introduces a person ("text olivia", "ping megan"); a
//     lower-case word elsewhere ("the price", "a green theme") names nobody.
//
// A match may fit several clients ("Olivia", or two clients both called Jack Harris):
// the caller asks which. Words that match nobody are no match: no client is guessed.

// ClientName is a client's name as the matcher sees it.
type ClientName struct {
	ID          int64
	First, Last string
}

// NameMatch is the client or clients a message names.
type NameMatch struct {
	Said  string  // the words of the message that named them, as typed
	IDs   []int64 // every client they fit, in the index's order
	Typo  bool    // matched with one letter wrong
	Whole bool    // first name and surname (not a single name)
	// Others are other names of clients the message also says ("let Zoe know that Henry
	// King cancelled"): who is meant is then not for a machine to guess.
	Others []string
	// Unknown, with no match, is a first name and surname that belong to no client
	// together ("Ava Anderson" when the Avas and the Andersons are other people).
	Unknown string
}

// NameIndex looks up a venue's client names.
type NameIndex struct {
	full   map[string][]int64 // "first last" folded
	first  map[string][]int64
	last   map[string][]int64
	names  map[int64][2]string // id → folded first, last
	maxLen int                 // the most words in a full name
}

// NewNameIndex indexes client names.
func NewNameIndex(names []ClientName) *NameIndex {
	ix := &NameIndex{full: map[string][]int64{}, first: map[string][]int64{}, last: map[string][]int64{}, names: map[int64][2]string{}, maxLen: 2}
	for _, n := range names {
		f, l := strings.Join(nameWords(n.First), " "), strings.Join(nameWords(n.Last), " ")
		if f == "" {
			continue
		}
		ix.names[n.ID] = [2]string{f, l}
		ix.first[f] = append(ix.first[f], n.ID)
		if l == "" {
			continue
		}
		ix.last[l] = append(ix.last[l], n.ID)
		ix.full[f+" "+l] = append(ix.full[f+" "+l], n.ID)
		if k := len(nameWords(n.First)) + len(nameWords(n.Last)); k > ix.maxLen {
			ix.maxLen = k
		}
	}
	return ix
}

// word is one word of a message: folded for matching, and where it stands in the text.
type word struct {
	folded     string
	start, end int // byte offsets in the message
	capital    bool
}

// FoldName is a name or word as names are compared: lower case, accents removed,
// apostrophes dropped (O'Brien and obrien are one name).
func FoldName(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii { // most names: no accents to take off
		if !strings.ContainsRune(s, '\'') {
			return strings.ToLower(s)
		}
		return strings.ToLower(strings.ReplaceAll(s, "'", ""))
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r), r == '\'', r == '’':
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// nameWords splits a name into folded words (hyphens and spaces separate them).
func nameWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '-' }) {
		if f := FoldName(w); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// messageWords splits a message into words, a possessive's "'s" dropped.
func messageWords(text string) []word {
	var out []word
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		raw := text[start:end]
		for _, suffix := range []string{"'s", "’s", "'", "’"} {
			if len(raw) > len(suffix)+1 && strings.HasSuffix(strings.ToLower(raw), suffix) {
				raw = raw[:len(raw)-len(suffix)]
				break
			}
		}
		if f := FoldName(raw); f != "" {
			r := []rune(raw)
			out = append(out, word{folded: f, start: start, end: start + len(raw), capital: unicode.IsUpper(r[0])})
		}
		start = -1
	}
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsMark(r) || r == '\'' || r == '’' {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(text))
	return out
}

// personCue is a word after which a lone lower-case name is taken as a person's.
var personCue = map[string]bool{"text": true, "txt": true, "message": true, "msg": true, "sms": true, "email": true, "ping": true, "contact": true,
	"call": true, "ring": true, "tell": true, "remind": true, "to": true, "for": true, "with": true, "about": true, "reschedule": true, "move": true,
	"rebook": true, "let": true, "thank": true, "give": true, "send": true, "drop": true, "shoot": true, "reply": true, "answer": true, "client": true}

// everydayWord are names that are also common words at the start of a sentence.
var everydayWord = map[string]bool{"will": true, "may": true, "rose": true, "grace": true, "holly": true, "hope": true, "faith": true,
	"joy": true, "summer": true, "april": true, "june": true, "august": true, "mark": true, "bill": true, "pat": true, "art": true,
	"guy": true, "max": true, "sue": true, "dawn": true, "eve": true, "ruby": true, "amber": true, "ivy": true, "jack": true,
	"can": true, "could": true, "send": true, "text": true, "message": true, "any": true, "who": true, "what": true, "the": true}

// Find returns the client or clients the message names, by the rule above.
func (ix *NameIndex) Find(text string) (NameMatch, bool) {
	words := messageWords(text)
	said := func(i, j int) string { return text[words[i].start:words[j-1].end] }
	// 1. Full names, longest first, leftmost first.
	for n := ix.maxLen; n >= 2; n-- {
		for i := 0; i+n <= len(words); i++ {
			if ids := ix.full[joinWords(words[i:i+n])]; len(ids) > 0 {
				m := NameMatch{Said: said(i, i+n), IDs: append([]int64(nil), ids...), Whole: true}
				m.Others = ix.others(words, i, i+n, text)
				return m, true
			}
		}
	}
	// 2. A full name with one slip, when only one client's name is that close.
	for n := ix.maxLen; n >= 2; n-- {
		for i := 0; i+n <= len(words); i++ {
			if ids := ix.nearFull(words[i : i+n]); len(ids) == 1 {
				m := NameMatch{Said: said(i, i+n), IDs: ids, Typo: true, Whole: true}
				m.Others = ix.others(words, i, i+n, text)
				return m, true
			}
		}
	}
	// A first name and surname of nobody: not a guess from the first name alone.
	for i := 0; i+1 < len(words); i++ {
		f, l := words[i], words[i+1]
		if len(ix.first[f.folded]) > 0 && !notSurname[l.folded] && len(l.folded) >= 2 &&
			(len(ix.last[l.folded]) > 0 || (l.capital && !everydayWord[l.folded])) {
			return NameMatch{Unknown: said(i, i+2)}, false
		}
	}
	// 3. A single name written as one (a capital that only starts the message counts
	// unless the word is also an everyday one: "Will you…", "Rose prices…").
	for i, w := range words {
		capital := w.capital && (i > 0 || !everydayWord[w.folded])
		if len(w.folded) < 3 || !(capital || (i > 0 && personCue[words[i-1].folded])) {
			continue
		}
		ids := append(append([]int64(nil), ix.first[w.folded]...), ix.last[w.folded]...)
		if len(ids) > 0 {
			return NameMatch{Said: said(i, i+1), IDs: dedupe(ids)}, true
		}
	}
	return NameMatch{}, false
}

// FindAnyWord is Find for a short list (the clients a "which one?" offered): there a
// lone first name or surname counts however it is written ("the novak one").
func (ix *NameIndex) FindAnyWord(text string) (NameMatch, bool) {
	if m, ok := ix.Find(text); ok {
		return m, true
	}
	words := messageWords(text)
	for i, w := range words {
		if len(w.folded) < 2 {
			continue
		}
		if ids := dedupe(append(append([]int64(nil), ix.first[w.folded]...), ix.last[w.folded]...)); len(ids) > 0 {
			return NameMatch{Said: text[w.start:words[i].end], IDs: ids}, true
		}
	}
	return NameMatch{}, false
}

// notSurname are capitalised words that follow a first name without being a surname.
var notSurname = map[string]bool{"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true,
	"sunday": true, "today": true, "tomorrow": true, "i": true, "im": true, "january": true, "february": true, "march": true, "april": true,
	"may": true, "june": true, "july": true, "august": true, "september": true, "october": true, "november": true, "december": true,
	"christmas": true, "vip": true, "vips": true}

// others lists the names of clients written outside words[i:j] (by the single-name
// rule: a capital, or after a word that introduces a person) that are not the same
// person's first name or surname.
func (ix *NameIndex) others(words []word, i, j int, text string) []string {
	inMatch := map[string]bool{}
	for _, w := range words[i:j] {
		inMatch[w.folded] = true
	}
	var out []string
	for k, w := range words {
		if k >= i && k < j || inMatch[w.folded] || len(w.folded) < 3 {
			continue
		}
		capital := w.capital && (k > 0 || !everydayWord[w.folded])
		if !(capital || (k > 0 && personCue[words[k-1].folded])) {
			continue
		}
		if len(ix.first[w.folded]) > 0 || len(ix.last[w.folded]) > 0 {
			out = append(out, text[w.start:w.end])
		}
	}
	return out
}

// nearFull finds the clients whose full name is these words with one slip in either
// the first name or the surname.
func (ix *NameIndex) nearFull(ws []word) []int64 {
	var out []int64
	for split := 1; split < len(ws); split++ {
		first, last := joinWords(ws[:split]), joinWords(ws[split:])
		for _, id := range ix.first[first] {
			if n := ix.names[id]; len(last) >= 4 && oneSlip(n[1], last) {
				out = append(out, id)
			}
		}
		for _, id := range ix.last[last] {
			if n := ix.names[id]; len(first) >= 4 && oneSlip(n[0], first) {
				out = append(out, id)
			}
		}
	}
	return dedupe(out)
}

func joinWords(ws []word) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.folded
	}
	return strings.Join(parts, " ")
}

func dedupe(ids []int64) []int64 {
	seen := map[int64]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// oneSlip reports whether b is a with exactly one letter changed, added, removed, or
// two neighbours swapped.
func oneSlip(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if a == b || abs(len(ra)-len(rb)) > 1 {
		return false
	}
	i := 0
	for i < len(ra) && i < len(rb) && ra[i] == rb[i] {
		i++
	}
	switch {
	case len(ra) == len(rb):
		if string(ra[i+1:]) == string(rb[i+1:]) {
			return true // one changed
		}
		return i+1 < len(ra) && ra[i] == rb[i+1] && ra[i+1] == rb[i] && string(ra[i+2:]) == string(rb[i+2:]) // swapped
	case len(ra) > len(rb):
		return string(ra[i+1:]) == string(rb[i:]) // one removed
	default:
		return string(ra[i:]) == string(rb[i+1:]) // one added
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// ClientChoice is the question "which client?" a Concierge turn asked: the action it
// is for and the clients offered, in order. Only an offered client can be chosen.
type ClientChoice struct {
	Action    ActionID `json:"action"`
	ClientIDs []int64  `json:"clients"`
	Gaps      []GapRef `json:"gaps,omitempty"`     // or, for a gap offer, the open slots to choose from
	Answered  bool     `json:"answered,omitempty"` // a question is answered once
}

// Offers reports whether a client was one of the choices.
func (c ClientChoice) Offers(id int64) bool {
	for _, x := range c.ClientIDs {
		if x == id {
			return true
		}
	}
	return false
}

// GapRef names an open slot offered as a choice: whose, and when (unix seconds).
type GapRef struct {
	StaffID int64 `json:"staff_id"`
	Start   int64 `json:"start"`
}
