package salon_test

import (
	"reflect"
	"testing"

	"concierge/salon"
)

func TestNameIndexFind(t *testing.T) {
	ix := salon.NewNameIndex([]salon.ClientName{
		{1, "Grace", "Fraser"}, {2, "Megan", "Li"}, {3, "Megan", "O'Brien"}, {4, "Charlie", "Te Rangi"}, {5, "Yuki", "Anderson"},
		{6, "Olivia", "Novak"}, {7, "Olivia", "Smith"}, {8, "Jack", "Harris"}, {9, "Jack", "Harris"}, {10, "Zoë", "Kowalski"},
		{11, "Aroha", "Hall"}, {12, "Sarah", "Price"}, {13, "Anna", "Smyth"}, {14, "Anna", "Smith"},
	})
	cases := []struct {
		name, text string
		want       []int64 // nil: no match
		typo       bool
	}{
		{"exact full name", "text Grace Fraser about her colour", []int64{1}, false},
		{"possessive", "Move Grace Fraser's booking to Friday", []int64{1}, false},
		{"lower case with an apostrophe", "drop megan o'brien a message", []int64{3}, false},
		{"apostrophe left out", "drop megan obrien a message", []int64{3}, false},
		{"three-word name", "contact Charlie Te Rangi", []int64{4}, false},
		{"accents either way", "message Zoe Kowalski", []int64{10}, false},
		{"full name beats the first name", "ping Megan Li", []int64{2}, false},
		{"one letter wrong", "msg Yuki Andersen", []int64{5}, true},
		{"one letter missing", "msg Yuki Andrson", []int64{5}, true},
		{"two neighbours swapped", "msg Yuki Andreson", []int64{5}, true},
		{"two slips name nobody (no guess from the first name)", "msg Yuki Andresno", nil, false},
		{"a slip that fits two clients names nobody", "text Anna Smoth", nil, false},
		{"a first name and another client's surname name nobody", "text Grace Smith", nil, false},
		{"a first name then a weekday is the first name", "remind Aroha Thursday", []int64{11}, false},
		{"same full name twice", "shoot Jack Harris a quick message", []int64{8, 9}, false},
		{"unique first name after a cue", "let aroha know", []int64{11}, false},
		{"capitalised first name", "can you ping Olivia?", []int64{6, 7}, false},
		{"unique surname capitalised", "remind Ms Fraser", []int64{1}, false},
		{"a lower-case word is not a name", "change the price of colour", nil, false},
		{"nobody of that name", "get hold of Bartholomew Quill", nil, false},
		{"no name at all", "fill my gaps tomorrow", nil, false},
		{"a name that starts the message", "Sarah hasn't been in for ages", []int64{12}, false},
		{"an everyday word that starts the message is not a name", "Grace periods apply", nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, ok := ix.Find(tc.text)
			if tc.want == nil {
				if ok {
					t.Fatalf("want no match, got %+v", m)
				}
				return
			}
			if !ok || !reflect.DeepEqual(m.IDs, tc.want) || m.Typo != tc.typo {
				t.Fatalf("got %+v (ok %v), want ids %v typo %v", m, ok, tc.want, tc.typo)
			}
		})
	}
}

func TestNameIndexSaysWhatItCannotTell(t *testing.T) {
	ix := salon.NewNameIndex([]salon.ClientName{{1, "Zoe", "Rossi"}, {2, "Henry", "King"}, {3, "Ava", "Smith"}, {4, "Mia", "Anderson"}})
	if m, ok := ix.Find("let Zoe know that Henry King cancelled"); !ok || len(m.IDs) != 1 || m.IDs[0] != 2 || len(m.Others) != 1 || m.Others[0] != "Zoe" {
		t.Fatalf("two people named: %+v", m)
	}
	if m, ok := ix.Find("don't reschedule Zoe Rossi, reschedule Henry King"); !ok || len(m.Others) == 0 {
		t.Fatalf("two full names: %+v", m)
	}
	if m, ok := ix.Find("text Ava Anderson"); ok || m.Unknown != "Ava Anderson" {
		t.Fatalf("a name of nobody: %+v %v", m, ok)
	}
	if m, ok := ix.Find("text Zoe Rossi about her colour"); !ok || len(m.Others) != 0 {
		t.Fatalf("one person: %+v", m)
	}
}
