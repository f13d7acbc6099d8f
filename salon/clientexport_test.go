package salon

import (
	"testing"
	"time"
)

func TestCSVSafeNeutralisesFormulasAndImportUndoesIt(t *testing.T) {
	cases := []struct{ in, out string }{
		{"=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"},
		{"+61412345678", "'+61412345678"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"--12-25", "'--12-25"},
		{"Sarah", "Sarah"},
		{"O'Brien", "O'Brien"},
		{"'quoted'", "'quoted'"},
		{"", ""},
		{"a=b", "a=b"},
	}
	for _, tc := range cases {
		if got := CSVSafe(tc.in); got != tc.out {
			t.Errorf("CSVSafe(%q) = %q, want %q", tc.in, got, tc.out)
		}
		if got := CSVUnsafe(CSVSafe(tc.in)); got != tc.in {
			t.Errorf("CSVUnsafe(CSVSafe(%q)) = %q", tc.in, got)
		}
	}
}

func TestExportRowsReadBackThroughTheImport(t *testing.T) {
	loc, _ := time.LoadLocation("Australia/Sydney")
	start := time.Date(2026, 4, 5, 2, 30, 0, 0, loc) // the repeated hour when daylight saving ends
	row := BookingCSVRow(ExportBooking{ID: 7, ClientID: 3, StaffName: "Mia", Service: "Cut", Category: "Hair", Start: start,
		End: start.Add(45 * time.Minute), Created: start.Add(-time.Hour), PriceMinor: 9505, Status: Completed}, loc)
	want := []string{"concierge-booking-7", "concierge-client-3", "Mia", "Cut", "Hair", start.Format(time.RFC3339), "45", "95.05", "completed",
		start.Add(-time.Hour).Format(time.RFC3339)}
	for i := range want {
		if row[i] != want[i] {
			t.Fatalf("column %s = %q, want %q", BookingColumns[i], row[i], want[i])
		}
	}
	back, err := parseLocalTime(row[5], loc)
	if err != nil || !back.Equal(start) {
		t.Fatalf("start reads back as %v, %v; want %v", back, err, start)
	}
}

func TestWalletLow(t *testing.T) {
	cases := []struct {
		name string
		v    Venue
		low  bool
	}{
		{"AU with 99 segments left", Venue{Country: AU, SMSPriceE4: 723, WalletE4: 723 * 99}, true},
		{"AU with 100 segments left", Venue{Country: AU, SMSPriceE4: 723, WalletE4: 723 * 100}, false},
		{"NZ never texts", Venue{Country: NZ, SMSPriceE4: 723, WalletE4: 0}, false},
		{"no SMS price set", Venue{Country: GB, WalletE4: 0}, false},
	}
	for _, tc := range cases {
		if got := tc.v.WalletLow(); got != tc.low {
			t.Errorf("%s: WalletLow = %v", tc.name, got)
		}
	}
}
