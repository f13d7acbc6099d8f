package store_test

import (
	"context"
	"strings"
	"testing"

	"concierge/salon"
)

const clientsCSV = `external_id,first_name,last_name,phone,email,birthday,sms_opt_out,email_opt_out,blocked,tags
c1,Ann,Lee,0412 000 001,ann@example.com,1990-04-02,false,false,false,VIP
c2,Ben,Ng,0412 000 002,,--12-25,true,false,false,
c3,Cal,Roe,0412 000 003,cal@example.com,,false,false,false,Regular;VIP
c4,Dee,Fox,,dee@example.com,,false,true,false,
c5,Eve,Ray,0412 000 005,,,false,false,true,
`

const bookingsCSV = `external_id,client_external_id,staff_name,service,category,start,duration_min,price,status,created
b1,c1,Mia,Cut,Cut & Style,2026-10-01T10:00,60,95.00,completed,2026-09-20T09:00
b2,c1,Mia,Cut,Cut & Style,2026-11-01T10:00,60,95,completed,2026-10-20T09:00
b3,c2,Noah,Colour,Colour,2026-10-01T10:00,120,180.50,no_show,2026-09-25T12:00
b4,c3,Noah,Colour,Colour,2026-12-01T10:00,120,180.50,booked,2026-11-20T12:00
`

func TestImportDryRunThenImportThenReimport(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	count := func() (clients, bookings int64) {
		t.Helper()
		return f.count(t, `SELECT count(*) FROM clients WHERE venue_id = ?`, f.venue.ID),
			f.count(t, `SELECT count(*) FROM bookings WHERE venue_id = ?`, f.venue.ID)
	}
	c0, b0 := count()
	res, err := f.st.ImportCSV(ctx, f.venue.ID, 0, strings.NewReader(clientsCSV), strings.NewReader(bookingsCSV), true)
	if err != nil || len(res.Errors) > 0 {
		t.Fatalf("dry run: %v %v", err, res.Errors)
	}
	if c, b := count(); c != c0 || b != b0 {
		t.Fatalf("dry run changed the database: %d/%d clients, %d/%d bookings", c, c0, b, b0)
	}
	if res.ClientsAdded != 5 || res.BookingsAdded != 4 {
		t.Fatalf("dry run should report 5 clients and 4 bookings: %+v", res)
	}
	res, err = f.st.ImportCSV(ctx, f.venue.ID, 0, strings.NewReader(clientsCSV), strings.NewReader(bookingsCSV), false)
	if err != nil || len(res.Errors) > 0 {
		t.Fatalf("import: %v %v", err, res.Errors)
	}
	if c, b := count(); c != c0+5 || b != b0+4 {
		t.Fatalf("import: want +5 clients and +4 bookings, got %d and %d", c-c0, b-b0)
	}
	if res.StaffCreated != 1 || res.ServicesCreated != 1 { // Mia and Cut existed; Noah and Colour are new
		t.Fatalf("want 1 new staff and 1 new service, got %+v", res)
	}
	if price := f.count(t, `SELECT price_minor FROM bookings WHERE external_id = 'b3'`); price != 18050 {
		t.Fatalf("price 180.50 should be 18050 minor units, got %d", price)
	}
	again, err := f.st.ImportCSV(ctx, f.venue.ID, 0, strings.NewReader(clientsCSV), strings.NewReader(bookingsCSV), false)
	if err != nil || len(again.Errors) > 0 || again.ClientsAdded != 0 || again.BookingsAdded != 0 {
		t.Fatalf("re-import should change nothing: %+v %v", again, err)
	}
	if c, b := count(); c != c0+5 || b != b0+4 {
		t.Fatalf("re-import changed counts")
	}
}

func TestImportWithBadPhoneOnLine7ImportsNothing(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	lines := strings.Split(strings.TrimSpace(clientsCSV), "\n")
	lines = append(lines, "c6,Fay,Ode,12345,,,false,false,false,") // line 7 of the file
	res, err := f.st.ImportCSV(ctx, f.venue.ID, 0, strings.NewReader(strings.Join(lines, "\n")+"\n"), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || !strings.HasPrefix(res.Errors[0].String(), "clients.csv line 7: phone: ") {
		t.Fatalf("want one error 'line 7: phone: …', got %v", res.Errors)
	}
	if n := f.count(t, `SELECT count(*) FROM clients WHERE venue_id = ? AND external_id IS NOT NULL`, f.venue.ID); n != 0 {
		t.Fatalf("nothing may be imported when a row fails, got %d clients", n)
	}
}

func TestImportReportsEveryBadField(t *testing.T) {
	f := newFixture(t, salon.AU)
	bad := `external_id,client_external_id,staff_name,service,category,start,duration_min,price,status,created
b1,nobody,Mia,Cut,Cut & Style,2026-10-01T10:00,60,95.00,completed,
b2,,Mia,Cut,Cut & Style,yesterday,-5,9.999,finished,
`
	res, err := f.st.ImportCSV(context.Background(), f.venue.ID, 0, nil, strings.NewReader(bad), true)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range res.Errors {
		got = append(got, e.String())
	}
	joined := strings.Join(got, "\n")
	for _, want := range []string{"line 2: client_external_id", "line 3: client_external_id: required", "line 3: start:",
		"line 3: duration_min:", "line 3: price:", "line 3: status:"} {
		if !strings.Contains(joined, want) {
			t.Errorf("missing %q in:\n%s", want, joined)
		}
	}
}
