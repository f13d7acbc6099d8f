package salon_test

import (
	"testing"

	"concierge/salon"
)

func TestReadOfferReply(t *testing.T) {
	yes, no, unclear := salon.ReplyYes, salon.ReplyNo, salon.ReplyUnclear
	cases := []struct {
		body string
		want salon.ReplyKind
	}{
		// Acceptances, however they are typed.
		{"YES", yes}, {"yes", yes}, {" Yes. ", yes}, {"yes!", yes}, {"YES!!!", yes}, {"yes please!", yes}, {"Yes please", yes},
		{"Yes :)", yes}, {"yes :-)", yes}, {"Yes 😊", yes}, {"yep", yes}, {"Yep!", yes}, {"yup", yes}, {"Y", yes}, {"y", yes},
		{"Y :)", yes}, {"yeah", yes}, {"Yeah go on then", unclear}, {"yeah thanks", yes}, {"yesss", yes}, {"Yeees!", yes},
		{"ok", yes}, {"OK thanks", yes}, {"okay", yes}, {"sure", yes}, {"Sure thing!", yes}, {"absolutely", yes},
		{"definitely!", yes}, {"of course", yes}, {"Yes please, book me in", yes}, {"book me in please", yes},
		{"I'll take it", yes}, {"yes I'd love that", yes}, {"Yes thank you so much x", yes}, {"Perfect, thanks!", yes},
		{"lovely thank you", yes}, {"👍", yes}, {"👌🏼", yes}, {"✅", yes}, {"Aye", yes}, {"yes yes", yes},
		{"Yes no worries", yes}, {"Hi! Yes please, see you then", yes}, {"YES’", yes},
		// Declines.
		{"no", no}, {"No thanks", no}, {"nope", no}, {"nah", no}, {"Not this time", no}, {"can't make it sorry", no},
		{"No, I'm busy then", no}, {"👎", no}, {"no thank you x", no}, {"not for me", no},
		// Neither: a clarifying answer, never a booking.
		{"maybe", unclear}, {"Maybe later", unclear}, {"what time?", unclear}, {"What time is it?", unclear}, {"yes?", unclear},
		{"Yes? What is this", unclear}, {"yes but can I come at 3?", unclear}, {"yes but can I come at 3", unclear},
		{"Yes 2pm", unclear}, {"yes or no", unclear}, {"yes no", unclear}, {"not sure", unclear}, {"no worries", unclear},
		{"thanks", unclear}, {"cool", unclear}, {"", unclear}, {"   ", unclear}, {":)", unclear}, {"??", unclear},
		{"Who is this?", unclear}, {"How much is it?", unclear}, {"Can my daughter come instead", unclear}, {"yesterday", unclear},
		{"eyes", unclear}, {"yellow", unclear}, {"Is it with Mia", unclear}, {"I'll think about it", unclear},
		{"ok I'll let you know", unclear}, {"okay what time", unclear},
	}
	for _, tc := range cases {
		if got := salon.ReadOfferReply(tc.body, nil).Kind; got != tc.want {
			t.Errorf("%q: %v, want %v", tc.body, got, tc.want)
		}
	}
}

func TestReadOfferReplyNamesTheVenue(t *testing.T) {
	names := []string{"Bella Hair Studio", "Luxe Barbers", "The Spa"}
	cases := []struct {
		body  string
		kind  salon.ReplyKind
		named int
	}{
		{"YES", salon.ReplyYes, -1},
		{"yes bella", salon.ReplyYes, 0},
		{"Yes Bella Hair Studio please", salon.ReplyYes, 0},
		{"Bella yes!", salon.ReplyYes, 0},
		{"yes luxe", salon.ReplyYes, 1},
		{"YES THE SPA", salon.ReplyYes, 2},
		{"yes spa", salon.ReplyUnclear, -1}, // "the" is not distinctive, "spa" is not the name
		{"yes bella and luxe", salon.ReplyYes, -1},
		{"yes Mia", salon.ReplyUnclear, -1},
		{"no luxe", salon.ReplyNo, 1},
		{"bella", salon.ReplyUnclear, 0},
	}
	for _, tc := range cases {
		got := salon.ReadOfferReply(tc.body, names)
		if got.Kind != tc.kind || got.Named != tc.named {
			t.Errorf("%q: kind %v named %d, want %v %d", tc.body, got.Kind, got.Named, tc.kind, tc.named)
		}
	}
}
