package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"concierge/app"
	"concierge/salon"
	"concierge/store"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	now := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "x.db"), func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func exportCSV(t *testing.T, svc *app.Service, w app.Who, file string) string {
	t.Helper()
	var b bytes.Buffer
	if err := svc.ExportVenueCSV(context.Background(), w, file, &b); err != nil {
		t.Fatalf("export %s: %v", file, err)
	}
	return b.String()
}

// Exporting a venue's clients and bookings and importing them into a new venue gives
// the same clients and bookings: the new venue's export is byte for byte the old one's.
func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	svc := &app.Service{Store: st}
	a, err := st.CreateVenue(ctx, store.NewVenue{Slug: "old-place", Name: "Old", Country: salon.AU, TimeZone: "Australia/Sydney"})
	if err != nil {
		t.Fatal(err)
	}
	clients := "external_id,first_name,last_name,phone,email,birthday,sms_opt_out,email_opt_out,blocked,tags\n" +
		"c1,Sarah,Smith,0412 345 678,sarah@example.com,1990-04-02,false,false,false,VIP;Regular\n" +
		"c2,=cmd|' /C calc'!A0,@home,+61 412 000 002,,--12-25,true,false,false,\n" +
		"c3,-Dash,O'Brien,,dash@example.com,,false,true,true,Long hair;Colour\n"
	bookings := "external_id,client_external_id,staff_name,service,category,start,duration_min,price,status,created\n" +
		"b1,c1,Mia,Women's Cut,Cut & Style,2026-10-01T10:00,60,95.00,completed,2026-09-20T09:00\n" +
		"b2,c2,Mia,Colour,Colour,2026-04-05T02:30:00+11:00,90,180.50,no_show,2026-03-01T09:00\n" +
		"b3,c2,Jo,=Formula Treatment,@Care,2026-04-05T02:30:00+10:00,30,0,cancelled,2026-03-02T09:00\n" +
		"b4,c3,Jo,Women's Cut,Cut & Style,2026-12-01T15:15,45,60.00,booked,2026-11-20T12:00\n"
	res, err := st.ImportCSV(ctx, a.ID, 0, strings.NewReader(clients), strings.NewReader(bookings), false)
	if err != nil || len(res.Errors) > 0 {
		t.Fatalf("import: %v %v", err, res.Errors)
	}
	// A client and a booking made in Concierge itself have no external id.
	staff, _ := st.EnsureStaff(ctx, a.ID, "Mia")
	svcID, _ := st.EnsureService(ctx, a.ID, store.NewService{Name: "Women's Cut", Category: "Cut & Style", DurationMin: 60, PriceMinor: 9500, StaffIDs: []int64{staff}})
	walkIn, err := st.CreateClient(ctx, a.ID, 0, salon.ClientInput{FirstName: "Walk", LastName: "In", Email: "walk@example.com", NotifyEmail: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateBooking(ctx, a.ID, 0, store.BookingInput{ClientID: walkIn.ID, StaffID: staff,
		Start: time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC), ServiceIDs: []int64{svcID}}); err != nil {
		t.Fatal(err)
	}

	owner := app.Who{Venue: a, User: salon.User{ID: 0}, Member: salon.Membership{Role: salon.Owner}}
	clientsA, bookingsA := exportCSV(t, svc, owner, "clients.csv"), exportCSV(t, svc, owner, "bookings.csv")

	// Every cell that a spreadsheet would run is neutralised.
	for _, file := range []string{clientsA, bookingsA} {
		recs, err := csv.NewReader(strings.NewReader(file)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range recs {
			for _, cell := range rec {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Fatalf("cell %q is not neutralised", cell)
				}
			}
		}
	}
	for _, want := range []string{"'=cmd|' /C calc'!A0", "'@home", "'+61412000002", "'--12-25", "'-Dash", "'=Formula Treatment", "'@Care"} {
		if !strings.Contains(clientsA+bookingsA, want) {
			t.Fatalf("export lacks the neutralised cell %q:\n%s\n%s", want, clientsA, bookingsA)
		}
	}

	b, err := st.CreateVenue(ctx, store.NewVenue{Slug: "new-place", Name: "New", Country: salon.AU, TimeZone: "Australia/Sydney"})
	if err != nil {
		t.Fatal(err)
	}
	res, err = st.ImportCSV(ctx, b.ID, 0, strings.NewReader(clientsA), strings.NewReader(bookingsA), false)
	if err != nil || len(res.Errors) > 0 {
		t.Fatalf("re-import: %v %v", err, res.Errors)
	}
	if res.ClientsAdded != 4 || res.BookingsAdded != 5 {
		t.Fatalf("re-import added %d clients and %d bookings, want 4 and 5", res.ClientsAdded, res.BookingsAdded)
	}
	ownerB := app.Who{Venue: b, Member: salon.Membership{Role: salon.Owner}}
	if got := exportCSV(t, svc, ownerB, "clients.csv"); got != clientsA {
		t.Fatalf("clients do not round-trip:\n--- old\n%s--- new\n%s", clientsA, got)
	}
	if got := exportCSV(t, svc, ownerB, "bookings.csv"); got != bookingsA {
		t.Fatalf("bookings do not round-trip:\n--- old\n%s--- new\n%s", bookingsA, got)
	}
	// And field by field against what was first imported.
	cb, err := st.ExportClients(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	byExt := map[string]salon.Client{}
	for _, c := range cb {
		byExt[c.ExternalID] = c
	}
	if c := byExt["c2"]; c.FirstName != "=cmd|' /C calc'!A0" || c.LastName != "@home" || c.Phone != "+61412000002" ||
		c.Birthday.String() != "--12-25" || !c.SMSOptOut || c.EmailOptOut {
		t.Fatalf("c2 came back as %+v", c)
	}
	if c := byExt["c1"]; strings.Join(c.Tags, ";") != "Regular;VIP" || c.Birthday.String() != "1990-04-02" || c.Email != "sarah@example.com" {
		t.Fatalf("c1 came back as %+v", c)
	}
	if c := byExt["c3"]; !c.Blocked || !c.EmailOptOut || strings.Join(c.Tags, ";") != "Colour;Long hair" {
		t.Fatalf("c3 came back as %+v", c)
	}
	if c := byExt["concierge-client-"+itoa(walkIn.ID)]; c.FullName() != "Walk In" {
		t.Fatalf("the client without an external id came back as %+v", c)
	}
	bb, _ := st.ExportBookings(ctx, b.ID)
	ba, _ := st.ExportBookings(ctx, a.ID)
	for i := range ba {
		x, y := ba[i], bb[i]
		if !x.Start.Equal(y.Start) || !x.End.Equal(y.End) || !x.Created.Equal(y.Created) || x.PriceMinor != y.PriceMinor ||
			x.Status != y.Status || x.StaffName != y.StaffName || x.Service != y.Service || x.Category != y.Category {
			t.Fatalf("booking %d: %+v came back as %+v", i, x, y)
		}
	}

	// Staff cannot export.
	staffWho := app.Who{Venue: a, Member: salon.Membership{Role: salon.Staff}}
	if err := svc.ExportVenueCSV(ctx, staffWho, "clients.csv", &bytes.Buffer{}); err == nil {
		t.Fatal("staff exported every client")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
