package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"concierge/salon"
	"concierge/store"
)

// The Reconnect page and audiences find overdue clients in SQL (overdueSQL, over the
// rhythm rows the writes keep) for speed; the rule itself is salon.Rhythm and
// salon.Overdue. This test holds the SQL to the rule on generated histories: irregular
// visits in two categories, some with fewer than three visits, some with a booking
// ahead, last visits from yesterday to beyond the one-year horizon, at several clock
// positions and grace percentages. Any difference, either way, fails it.
func TestOverdueSQLFollowsTheSalonRule(t *testing.T) {
	f := newReconnectFixture(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	start := f.clk.Now()

	type key struct {
		client   int
		category int64
	}
	visits := map[key][]time.Time{} // completed visits per client and category
	ahead := map[key][]time.Time{}  // booked (not yet happened) appointments
	var clients []salon.Client
	var bookings []store.BulkBooking
	staffFree := start.AddDate(-3, 0, 0) // one staff member: appointments one after another, never overlapping
	type planned struct {
		client  int
		service int64
		cat     int64
		at      time.Time
		status  salon.BookingStatus
	}
	var plan []planned
	for i := range 120 {
		clients = append(clients, salon.Client{FirstName: fmt.Sprintf("Gen%03d", i), LastName: "Rule", Phone: fmt.Sprintf("0412 900 %03d", i),
			NotifySMS: true, CreatedAt: start.AddDate(-3, 0, 0)})
		for _, cat := range []struct {
			service, category int64
		}{{f.colour, f.colourCat}, {f.nails, f.nailsCat}} {
			if rng.IntN(3) == 0 {
				continue // not a client of this category
			}
			n := rng.IntN(7) // 0–6 visits: under three makes no rhythm
			interval := 14 + rng.IntN(70)
			at := start.AddDate(0, 0, -(rng.IntN(480) + 1)) // the last visit: yesterday to well past the horizon
			for v := 0; v < n; v++ {
				plan = append(plan, planned{i, cat.service, cat.category, at, salon.Completed})
				at = at.AddDate(0, 0, -(interval + rng.IntN(21) - 10)) // irregular gaps: the median decides
			}
			if rng.IntN(4) == 0 {
				plan = append(plan, planned{i, cat.service, cat.category, start.Add(time.Duration(1+rng.IntN(60*24)) * time.Hour), salon.Booked})
			}
		}
	}
	// Give every appointment its own hour of the one staff member's diary, keeping
	// each planned day: the generator's guarantee that BulkLoad relies on.
	used := map[int64]bool{}
	for _, p := range plan {
		at := p.at.Truncate(time.Hour)
		for used[at.Unix()] {
			at = at.Add(time.Hour)
		}
		used[at.Unix()] = true
		if at.Before(staffFree) {
			t.Fatalf("generated visit before the diary starts: %v", at)
		}
		bookings = append(bookings, store.BulkBooking{Client: p.client, StaffID: f.staffID, Start: at, End: at.Add(45 * time.Minute),
			PriceMinor: 5000, Status: p.status, Source: salon.SourceStaff, Created: at.AddDate(0, 0, -7), ServiceIDs: []int64{p.service}})
		k := key{p.client, p.cat}
		if p.status == salon.Completed {
			visits[k] = append(visits[k], at)
		} else {
			ahead[k] = append(ahead[k], at)
		}
	}
	ids, err := f.st.BulkLoad(ctx, f.venue.ID, clients, bookings)
	if err != nil {
		t.Fatal(err)
	}

	checked, overdue := 0, 0
	for _, move := range []time.Duration{0, 3 * 24 * time.Hour, 20 * 24 * time.Hour, 70 * 24 * time.Hour} {
		f.clk.Advance(move)
		now := f.clk.Now()
		for _, grace := range []int{0, salon.DefaultGracePct, 55} {
			v := f.venue
			v.ReconnectGracePct = grace
			got, err := f.st.OverdueClients(ctx, v, 0, 100000)
			if err != nil {
				t.Fatal(err)
			}
			gotDays := map[string]int{}
			for _, o := range got {
				gotDays[fmt.Sprintf("%d/%d", o.ClientID, o.CategoryID)] = o.DaysOverdue
			}
			want := map[string]int{}
			for k, vs := range visits {
				interval, last, ok := salon.Rhythm(vs)
				if !ok {
					continue
				}
				hasFuture := false
				for _, a := range ahead[k] {
					if a.After(now) {
						hasFuture = true
					}
				}
				checked++
				if salon.Overdue(interval, last, hasFuture, grace, now) {
					want[fmt.Sprintf("%d/%d", ids[k.client], k.category)] = salon.DaysOverdue(interval, last, grace, now)
				}
			}
			for k, d := range want {
				if gd, ok := gotDays[k]; !ok {
					t.Errorf("now %s, grace %d%%: client/category %s is overdue by the rule (%d days) but not in the SQL list", now.Format(time.DateOnly), grace, k, d)
				} else if gd != d {
					t.Errorf("now %s, grace %d%%: %s is %d days overdue by the rule, %d by the list", now.Format(time.DateOnly), grace, k, d, gd)
				}
			}
			for k := range gotDays {
				if _, ok := want[k]; !ok {
					t.Errorf("now %s, grace %d%%: client/category %s listed overdue but the rule says not", now.Format(time.DateOnly), grace, k)
				}
			}
			overdue += len(want)
		}
	}
	// The generated data must exercise both answers, or the comparison proves nothing.
	if checked < 500 || overdue < 50 || overdue > checked-50 {
		t.Fatalf("generated data too one-sided: %d rhythms checked, %d overdue", checked, overdue)
	}
	t.Logf("%d rhythm checks, %d overdue", checked, overdue)
}
