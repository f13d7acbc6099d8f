package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"concierge/salon"
	"concierge/store"
)

// reconnectFixture: a venue with Colour and Nails services (Mia does both).
type reconnectFixture struct {
	fixture
	colour, nails int64
	colourCat     int64
	nailsCat      int64
}

func newReconnectFixture(t *testing.T) reconnectFixture {
	t.Helper()
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	colour, err := f.st.EnsureService(ctx, f.venue.ID, store.NewService{Name: "Full Colour", Category: "Colour", DurationMin: 90, PriceMinor: 15000, StaffIDs: []int64{f.staffID}})
	if err != nil {
		t.Fatal(err)
	}
	nails, err := f.st.EnsureService(ctx, f.venue.ID, store.NewService{Name: "Gel Nails", Category: "Nails", DurationMin: 45, PriceMinor: 6000, StaffIDs: []int64{f.staffID}})
	if err != nil {
		t.Fatal(err)
	}
	return reconnectFixture{fixture: f, colour: colour, nails: nails,
		colourCat: f.count(t, `SELECT category_id FROM services WHERE id = ?`, colour),
		nailsCat:  f.count(t, `SELECT category_id FROM services WHERE id = ?`, nails)}
}

// visits books and completes n visits of a service, every gap days, the last lastAgo
// days ago, through the store (so the rhythms are kept by the writes).
func (f reconnectFixture) visits(t *testing.T, c salon.Client, service int64, n, gap, lastAgo int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		start := f.clk.Now().AddDate(0, 0, -lastAgo-i*gap).Truncate(time.Hour).Add(time.Duration(c.ID%5) * time.Hour)
		b, err := f.st.CreateBooking(ctx, f.venue.ID, 0, store.BookingInput{ClientID: c.ID, StaffID: f.staffID, Start: start, ServiceIDs: []int64{service}})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.st.SetBookingStatus(ctx, f.venue.ID, 0, b.ID, salon.Completed); err != nil {
			t.Fatal(err)
		}
	}
}

func (f reconnectFixture) newClient(t *testing.T, name string, i int) salon.Client {
	c, err := f.st.CreateClient(context.Background(), f.venue.ID, 0, salon.ClientInput{FirstName: name, LastName: "R", Phone: fmt.Sprintf("0412 800 %03d", i), NotifySMS: true})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func overdueIn(t *testing.T, f reconnectFixture) map[string]int {
	cats, err := f.st.ReconnectCategories(context.Background(), f.venue)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, c := range cats {
		out[c.Name] = c.Overdue
	}
	return out
}

func TestOverdueIsPerCategory(t *testing.T) {
	f := newReconnectFixture(t)
	ctx := context.Background()
	due := f.newClient(t, "Due", 1)
	f.visits(t, due, f.colour, 4, 42, 55) // overdue after 50.4 days
	early := f.newClient(t, "Early", 2)
	f.visits(t, early, f.colour, 4, 42, 48)
	booked := f.newClient(t, "Booked", 3)
	f.visits(t, booked, f.colour, 4, 42, 55)
	if _, err := f.st.CreateBooking(ctx, f.venue.ID, 0, store.BookingInput{ClientID: booked.ID, StaffID: f.staffID,
		Start: f.clk.Now().AddDate(0, 0, 5), ServiceIDs: []int64{f.colour}}); err != nil {
		t.Fatal(err)
	}
	two := f.newClient(t, "Two", 4)
	f.visits(t, two, f.nails, 2, 20, 90) // two visits: no rhythm
	got := overdueIn(t, f)
	if got["Colour"] != 1 || got["Nails"] != 0 {
		t.Fatalf("overdue: %v (want Colour 1: only Due; a Colour rhythm never makes anyone overdue for Nails)", got)
	}
	list, _ := f.st.OverdueClients(ctx, f.venue, f.colourCat, 10)
	if len(list) != 1 || list[0].ClientID != due.ID || list[0].IntervalDays < 41.9 || list[0].DaysOverdue != 4 {
		t.Fatalf("the overdue list: %+v", list)
	}
	// A grace of 40% moves the line to 58.8 days: nobody is overdue.
	f.st.DB().Exec(`UPDATE venues SET reconnect_grace_pct = 40 WHERE id = ?`, f.venue.ID)
	f.venue, _ = f.st.Venue(ctx, f.venue.ID)
	if got := overdueIn(t, f); got["Colour"] != 0 {
		t.Fatalf("with 40%% grace: %v", got)
	}
}

// A reconnect for Colour counts when a booking including a Colour service (directly or
// in a package) is made within 30 days of the message; a Nails booking does not, nor one
// made on day 31.
func TestReconnectAttribution(t *testing.T) {
	f := newReconnectFixture(t)
	ctx := context.Background()
	pkg, err := f.st.CreatePackage(ctx, f.venue.ID, "Colour & Nails treat", 18000, []int64{f.colour, f.nails})
	if err != nil {
		t.Fatal(err)
	}
	send := func(c salon.Client) {
		m, _, err := f.st.QueueOutbound(ctx, f.venue.ID, store.NewOutbound{ClientID: c.ID, Channel: salon.SMS, Purpose: salon.PurposeReconnect, To: c.Phone, Body: "x"})
		if err != nil {
			t.Fatal(err)
		}
		f.st.DB().Exec(`UPDATE messages SET status = 'delivered' WHERE id = ?`, m.ID)
		f.st.DB().Exec(`INSERT INTO reconnect_sends (message_id, venue_id, client_id, category_id, created_at) VALUES (?, ?, ?, ?, ?)`,
			m.ID, f.venue.ID, c.ID, f.colourCat, f.clk.Now().Unix())
	}
	pack, nailsOnly, late := f.newClient(t, "Pack", 1), f.newClient(t, "NailsOnly", 2), f.newClient(t, "Late", 3)
	for _, c := range []salon.Client{pack, nailsOnly, late} {
		send(c)
	}
	start := f.clk.Now()
	book := func(c salon.Client, afterDays int, in store.BookingInput) {
		f.clk.t = start.AddDate(0, 0, afterDays)
		in.ClientID, in.StaffID, in.Start = c.ID, f.staffID, f.clk.Now().AddDate(0, 0, 3).Add(time.Duration(c.ID)*3*time.Hour)
		if _, err := f.st.CreateBooking(ctx, f.venue.ID, 0, in); err != nil {
			t.Fatal(err)
		}
	}
	book(pack, 10, store.BookingInput{PackageID: pkg})
	book(nailsOnly, 10, store.BookingInput{ServiceIDs: []int64{f.nails}})
	book(late, 31, store.BookingInput{ServiceIDs: []int64{f.colour}})
	res, err := f.st.ReconnectResults(ctx, f.venue.ID, start.AddDate(0, 0, -1))
	if err != nil {
		t.Fatal(err)
	}
	if r := res[f.colourCat]; r.Sent != 3 || r.Reconnected != 1 || r.RevenueMinor != 18000 {
		t.Fatalf("Colour: %+v (want 3 sent, 1 reconnected by the package, A$180)", r)
	}
}
