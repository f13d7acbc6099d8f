package salon

import (
	"strings"
	"unicode"
)

// ReplyKind is what a client's text says to an offer they hold.
type ReplyKind int

// The kinds of reply to an open offer.
const (
	// ReplyUnclear is neither a yes nor a no ("maybe", "what time?", "yes but can I
	// come at 3?"): the client gets one short clarifying answer, never a booking.
	ReplyUnclear ReplyKind = iota
	// ReplyYes accepts: "YES", "yes please!", "Yes :)", "yep", "Y", "ok", "👍".
	ReplyYes
	// ReplyNo declines: "no thanks", "nope", "can't make it".
	ReplyNo
)

// OfferReply is a client's text read against the offers they hold.
type OfferReply struct {
	Kind ReplyKind
	// Named is the index of the one offering venue the text names ("YES Bella"), or
	// -1 when it names none of them, or more than one.
	Named int
}

// ReadOfferReply reads a text from a client holding an open gap offer. It is
// tolerant, because people do not reply with a bare YES: case, punctuation, emoji
// and polite words are ignored ("Yes please!! :)", "yep thanks x"), and the name of
// an offering venue may come along ("yes Bella") to say which offer is meant. It is
// also careful, because a YES books a slot: a yes with anything else in it ("yes but
// can I come at 3", "yes?") is unclear, and so is a text with both a yes and a no.
// STOP words are the caller's first check (ParseKeyword); inside a longer text they
// read as a no.
func ReadOfferReply(body string, venueNames []string) OfferReply {
	words := replyWords(body)
	r := OfferReply{Named: -1}
	named := 0
	for i, name := range venueNames {
		var found bool
		if words, found = removeName(words, replyWords(name)); found {
			r.Named = i
			named++
		}
	}
	if named > 1 {
		r.Named = -1
	}
	yes, no, other := 0, 0, 0
	for _, w := range words {
		switch {
		case yesWords[w] || isDrawnOutYes(w):
			yes++
		case noWords[w]:
			no++
		case fillerWords[w]:
		default:
			other++
		}
	}
	switch {
	case no > 0 && yes == 0:
		r.Kind = ReplyNo
	case yes > 0 && no == 0 && other == 0 && !strings.Contains(body, "?"):
		r.Kind = ReplyYes
	default:
		r.Kind = ReplyUnclear
	}
	return r
}

// replyWords lower-cases a text into words of letters and digits; apostrophes join
// ("can't" is "cant"), a few emoji stand for the word they mean, and some two-word
// phrases become one so that "no worries" is not a no and "not sure" not a yes.
func replyWords(s string) []string {
	var words []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur.WriteRune(r)
		case r == '\'' || r == '’':
		default:
			flush()
			if w, ok := emojiWords[r]; ok {
				words = append(words, w)
			}
		}
	}
	flush()
	out := words[:0]
	for i := 0; i < len(words); i++ {
		if i+1 < len(words) {
			if p, ok := replyPhrases[words[i]+" "+words[i+1]]; ok {
				if p != "" {
					out = append(out, p)
				}
				i++
				continue
			}
		}
		out = append(out, words[i])
	}
	return out
}

// removeName drops the first run of words that names a venue — its whole name, or
// its first word when that word is distinctive (three letters or more, not a reply
// word) — and says whether it found one.
func removeName(words, name []string) ([]string, bool) {
	if len(name) == 0 {
		return words, false
	}
	runs := [][]string{name}
	if first := name[0]; len(name) > 1 && len([]rune(first)) >= 3 && !yesWords[first] && !noWords[first] && !fillerWords[first] {
		runs = append(runs, name[:1])
	}
	for _, run := range runs {
		for i := 0; i+len(run) <= len(words); i++ {
			match := true
			for j := range run {
				if words[i+j] != run[j] {
					match = false
					break
				}
			}
			if match {
				return append(append([]string{}, words[:i]...), words[i+len(run):]...), true
			}
		}
	}
	return words, false
}

// isDrawnOutYes accepts "yess", "yesss", "yeees".
func isDrawnOutYes(w string) bool {
	if len(w) < 3 || w[0] != 'y' {
		return false
	}
	i := 1
	for i < len(w) && w[i] == 'e' {
		i++
	}
	if i == 1 || i == len(w) {
		return false
	}
	for ; i < len(w); i++ {
		if w[i] != 's' {
			return false
		}
	}
	return true
}

var yesWords = set("yes", "y", "ya", "yah", "yas", "yea", "yeah", "yeh", "yep", "yup", "aye", "ok", "okay", "okey", "k", "kk",
	"sure", "absolutely", "definitely", "certainly", "confirm", "confirmed", "accept", "book", "booked",
	"perfect", "great", "lovely", "awesome", "amazing", "brilliant", "fab", "fabulous", "fantastic", "wonderful")

var noWords = set("no", "n", "nope", "nah", "nay", "not", "cant", "cannot", "couldnt", "wont", "unable", "pass", "decline",
	"stop", "unsubscribe", "busy")

// fillerWords carry no answer of their own: they may ride along with a yes.
var fillerWords = set("please", "pls", "plz", "plez", "thanks", "thank", "thankyou", "thanx", "thx", "ty", "you", "u", "cheers",
	"so", "much", "very", "cool", "nice", "good", "sounds", "that", "thats", "works", "would", "love", "to", "i", "id", "ill", "im",
	"take", "it", "me", "in", "the", "a", "an", "for", "slot", "opening", "appointment", "one", "this", "hi", "hey", "hello",
	"x", "xx", "xxx", "xo", "haha", "lol", "oh", "wow", "sweet", "and", "do", "will", "be", "there", "see", "then", "all",
	"just", "go", "ahead", "mate", "babe", "hun", "gorgeous", "time", "too", "now", "thing")

// emojiWords are the emoji that answer on their own; other emoji are ignored.
var emojiWords = map[rune]string{'👍': "yes", '👌': "yes", '✅': "yes", '✔': "yes", '🙏': "please", '👎': "no", '❌': "no"}

// replyPhrases are two-word phrases read as one word ("" drops them).
var replyPhrases = map[string]string{
	"no worries": "", "no problem": "", "no probs": "", "of course": "yes", "why not": "yes", "count me": "yes", "take it": "yes",
	"not sure": "unsure", "no idea": "unsure",
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
