package salon_test

import (
	"strings"
	"testing"
	"time"

	"concierge/salon"
)

func TestMeasureSMS(t *testing.T) {
	cases := []struct {
		name     string
		body     string
		enc      salon.Encoding
		segments int
	}{
		{"empty", "", salon.GSM7, 0},
		{"one char", "a", salon.GSM7, 1},
		{"160 GSM-7 fits one", strings.Repeat("a", 160), salon.GSM7, 1},
		{"161 GSM-7 needs two", strings.Repeat("a", 161), salon.GSM7, 2},
		{"306 GSM-7 is two", strings.Repeat("a", 306), salon.GSM7, 2},
		{"307 GSM-7 is three", strings.Repeat("a", 307), salon.GSM7, 3},
		{"extension chars count double", strings.Repeat("€", 80), salon.GSM7, 1},
		{"extension chars over the edge", strings.Repeat("€", 81), salon.GSM7, 2},
		{"70 UCS-2 fits one", strings.Repeat("é", 0) + strings.Repeat("ā", 70), salon.UCS2, 1},
		{"71 UCS-2 needs two", strings.Repeat("ā", 71), salon.UCS2, 2},
		{"134 UCS-2 is two", strings.Repeat("ā", 134), salon.UCS2, 2},
		{"135 UCS-2 is three", strings.Repeat("ā", 135), salon.UCS2, 3},
		{"emoji is two UTF-16 units", strings.Repeat("😀", 35), salon.UCS2, 1},
		{"emoji over the edge", strings.Repeat("😀", 36), salon.UCS2, 2},
		{"GSM accents stay GSM-7", "Café à Zürich", salon.GSM7, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := salon.MeasureSMS(tc.body)
			if got.Encoding != tc.enc || got.Segments != tc.segments {
				t.Fatalf("got %s/%d segments, want %s/%d", got.Encoding, got.Segments, tc.enc, tc.segments)
			}
		})
	}
}

func TestSMSCostAndFormatting(t *testing.T) {
	// 47 single-segment texts at A$0.0723 = A$3.3981, shown as A$3.40.
	total := int64(0)
	for i := 0; i < 47; i++ {
		total += salon.SMSCostE4(1, salon.AU.DefaultSMSPriceE4())
	}
	if got := salon.FormatE4(salon.AU, total); got != "A$3.40" {
		t.Fatalf("got %s", got)
	}
	if salon.NZ.DefaultSMSPriceE4() != 0 || salon.NZ.ClientChannel() != salon.Email || salon.GB.ClientChannel() != salon.SMS {
		t.Fatal("NZ is email-only with zero SMS cost; GB uses SMS")
	}
	if got := salon.FormatMinor(salon.GB, 1205); got != "£12.05" {
		t.Fatalf("got %s", got)
	}
}

func TestParseDecimal(t *testing.T) {
	cases := []struct {
		in     string
		places int
		want   int64
		ok     bool
	}{
		{"12", 2, 1200, true}, {"12.5", 2, 1250, true}, {"12.50", 2, 1250, true}, {"A$7.25", 2, 725, true},
		{"0.0723", 4, 723, true}, {".5", 2, 50, true}, {"12.505", 2, 0, false}, {"-3", 2, 0, false},
		{"abc", 2, 0, false}, {"", 2, 0, false}, {"1e3", 2, 0, false}, {"12.", 2, 0, false},
	}
	for _, tc := range cases {
		got, err := salon.ParseDecimal(tc.in, tc.places)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseDecimal(%q, %d) = %d, %v; want %d ok=%v", tc.in, tc.places, got, err, tc.want, tc.ok)
		}
	}
}

func TestQuietHours(t *testing.T) {
	v := salon.Venue{TimeZone: "Australia/Sydney", QuietStart: salon.DefaultQuietStart, QuietEnd: salon.DefaultQuietEnd}
	loc := v.Location()
	cases := map[string]bool{"08:59": true, "09:00": false, "12:00": false, "19:59": false, "20:00": true, "23:00": true, "00:30": true}
	for hm, want := range cases {
		tm, _ := time.ParseInLocation("2006-01-02 15:04", "2026-11-23 "+hm, loc)
		if got := v.InQuietHours(tm.UTC()); got != want {
			t.Errorf("%s: quiet=%v, want %v", hm, got, want)
		}
	}
	v.QuietStart, v.QuietEnd = 13*60, 14*60 // a lunchtime window that does not wrap
	tm, _ := time.ParseInLocation("15:04", "13:30", loc)
	if !v.InQuietHours(time.Date(2026, 1, 1, tm.Hour(), tm.Minute(), 0, 0, loc)) {
		t.Error("13:30 is inside 13:00–14:00")
	}
}

func TestParseKeyword(t *testing.T) {
	for _, w := range []string{"STOP", "stop", " Stop. ", "STOPALL", "UNSUBSCRIBE", "cancel", "END", "QUIT", "REVOKE", "OPTOUT"} {
		if salon.ParseKeyword(w) != salon.OptOutKeyword {
			t.Errorf("%q should opt out", w)
		}
	}
	for _, w := range []string{"START", "unstop"} {
		if salon.ParseKeyword(w) != salon.OptInKeyword {
			t.Errorf("%q should opt in", w)
		}
	}
	for _, w := range []string{"Please don't stop texting me", "YES", "stop it!!! I mean it"} {
		if salon.ParseKeyword(w) != salon.NoKeyword {
			t.Errorf("%q is conversation, not a command", w)
		}
	}
}

func TestClientInputValidate(t *testing.T) {
	c, errs := salon.ClientInput{FirstName: " Ann ", Phone: "0412 345 678", Email: "Ann@Example.com", Birthday: "--02-29", Tags: "vip; VIP;Regular"}.Validate(salon.AU)
	if errs != nil {
		t.Fatal(errs)
	}
	if c.FirstName != "Ann" || c.Phone != "+61412345678" || c.Email != "ann@example.com" || c.Birthday.String() != "--02-29" || len(c.Tags) != 2 {
		t.Fatalf("normalised wrongly: %+v", c)
	}
	_, errs = salon.ClientInput{FirstName: "", Phone: "12345", Email: "nope", Birthday: "2026-13-01"}.Validate(salon.AU)
	for _, f := range []string{"first_name", "phone", "email", "birthday"} {
		if errs[f] == "" {
			t.Errorf("want an error on %s, got %v", f, errs)
		}
	}
	if _, err := salon.ParseCountryPhone("+447911123456", salon.AU); err == nil {
		t.Error("a GB number is not an AU number")
	}
}

func TestParseClientsCSVLineNumbers(t *testing.T) {
	csv := "external_id,first_name,last_name,phone,email,birthday,sms_opt_out,email_opt_out,blocked,tags\n" +
		"a,Ann,,0412 345 678,,,false,false,false,\n" +
		"b,Ben,,12345,,,maybe,false,false,\n" +
		"a,Cat,,,,,false,false,false,\n"
	rows, errs := salon.ParseClientsCSV(strings.NewReader(csv), salon.AU)
	if len(rows) != 1 || rows[0].Line != 2 {
		t.Fatalf("want one good row on line 2, got %+v", rows)
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.String())
	}
	want := []string{"clients.csv line 3: phone:", "clients.csv line 3: sms_opt_out: use true or false", "clients.csv line 4: external_id:"}
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || strings.HasPrefix(g, w)
		}
		if !found {
			t.Errorf("missing %q in %v", w, got)
		}
	}
	_, errs = salon.ParseClientsCSV(strings.NewReader("first_name\nAnn\n"), salon.AU)
	if len(errs) != 1 || !strings.Contains(errs[0].String(), "missing columns") {
		t.Fatalf("want a header error, got %v", errs)
	}
}

func TestMessageCost(t *testing.T) {
	au := salon.Venue{Country: salon.AU, SMSPriceE4: 723}
	nz := salon.Venue{Country: salon.NZ, SMSPriceE4: 0}
	long := strings.Repeat("a", 161)
	cases := []struct {
		name     string
		v        salon.Venue
		ch       salon.Channel
		body     string
		segments int
		cost     int64
	}{
		{"one segment", au, salon.SMS, "Hi Sarah", 1, 723},
		{"two segments", au, salon.SMS, long, 2, 1446},
		{"unicode is UCS-2", au, salon.SMS, strings.Repeat("😀", 36), 2, 1446},
		{"email is free", au, salon.Email, long, 0, 0},
		{"an NZ venue never pays for SMS", nz, salon.SMS, "Hi", 0, 0},
	}
	for _, tc := range cases {
		seg, cost := salon.MessageCost(tc.v, tc.ch, tc.body)
		if seg != tc.segments || cost != tc.cost {
			t.Errorf("%s: %d segments, %d e4; want %d, %d", tc.name, seg, cost, tc.segments, tc.cost)
		}
	}
}
