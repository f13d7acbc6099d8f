package store_test

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"testing"
	"time"

	"concierge/salon"
	"concierge/store"
)

// backfillFixture is a venue with two staff (Mia, Jo) and two services (Cut 60 min,
// Colour 120 min, both by both), and the gap being ranked: Mia, Wed 25 Nov 2026
// 10:00–11:00 Sydney, Cut. The clock is Mon 23 Nov 12:00 Sydney, so the gap is 46 hours
// ahead.
type backfillFixture struct {
	fixture
	jo, colour int64
	gap        store.GapRequest
	rng        *rand.Rand // fixed seed: a failure reproduces with the same phone numbers
}

func newBackfillFixture(t *testing.T) backfillFixture {
	t.Helper()
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	jo, err := f.st.EnsureStaff(ctx, f.venue.ID, "Jo")
	if err != nil {
		t.Fatal(err)
	}
	colour, err := f.st.EnsureService(ctx, f.venue.ID, store.NewService{Name: "Colour", Category: "Colour", DurationMin: 120, PriceMinor: 20000,
		StaffIDs: []int64{f.staffID, jo}})
	if err != nil {
		t.Fatal(err)
	}
	f.st.DB().Exec(`INSERT OR IGNORE INTO service_staff (service_id, staff_id) VALUES (?, ?)`, f.service, jo)
	start := f.at(t, "2026-11-25 10:00")
	return backfillFixture{fixture: f, jo: jo, colour: colour, rng: rand.New(rand.NewSource(1)),
		gap: store.GapRequest{StaffID: f.staffID, Start: start, End: start.Add(time.Hour), ServiceID: f.service}}
}

// history describes a client's completed visits, counted back from the gap day.
type history struct {
	n          int      // visits
	lastDays   int      // days from the last visit to the gap
	every      int      // days between visits
	clock      string   // start time, venue-local
	staff      []string // per visit, cycling: "mia" or "jo"
	services   []string // per visit, cycling: "cut" or "colour"
	leadHours  int      // booked this long before each visit
	olderExtra int      // further visits more than 12 months ago
}

func (f backfillFixture) client(t *testing.T, name string, h history) salon.Client {
	t.Helper()
	ctx := context.Background()
	c, err := f.st.CreateClient(ctx, f.venue.ID, 0, salon.ClientInput{FirstName: name, LastName: "Golden",
		Phone: fmt.Sprintf("0412 %03d %03d", f.rng.Intn(1000), f.rng.Intn(1000)), NotifySMS: true})
	if err != nil {
		t.Fatal(err)
	}
	hh, _ := time.Parse("15:04", h.clock)
	gapDay := f.at(t, "2026-11-25 00:00").In(f.venue.Location())
	add := func(day time.Time, i int) {
		start := time.Date(day.Year(), day.Month(), day.Day(), hh.Hour(), hh.Minute(), 0, 0, f.venue.Location())
		staff := map[string]int64{"mia": f.staffID, "jo": f.jo}[h.staff[i%len(h.staff)]]
		svc, dur := f.service, 60
		if h.services[i%len(h.services)] == "colour" {
			svc, dur = f.colour, 120
		}
		res, err := f.st.DB().Exec(`INSERT INTO bookings (venue_id, client_id, staff_id, start_at, end_at, price_minor, status, created_at)
			VALUES (?, ?, ?, ?, ?, 9000, 'completed', ?)`, f.venue.ID, c.ID, staff, start.Unix(), start.Add(time.Duration(dur)*time.Minute).Unix(),
			start.Add(-time.Duration(h.leadHours)*time.Hour).Unix())
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		f.st.DB().Exec(`INSERT INTO booking_services (booking_id, service_id) VALUES (?, ?)`, id, svc)
	}
	for i := 0; i < h.n; i++ {
		add(gapDay.AddDate(0, 0, -h.lastDays-i*h.every), i)
	}
	for i := 0; i < h.olderExtra; i++ {
		add(gapDay.AddDate(-2, 0, -i*30), i)
	}
	// The next ranking recomputes every profile (as on the first request of a day).
	if err := f.st.ForgetDayStats(ctx, f.venue.ID); err != nil {
		t.Fatal(err)
	}
	return c
}

// ideal is a six-weekly Wednesday 10:00 Cut client of Mia, last seen six weeks before
// the gap, who books a day ahead: every factor full except provider affinity (4 visits
// with Mia: 1 − 0.5⁴ = 0.9375). Score 100 × (0.35 + 0.20 + 0.15 + 0.10 + 0.09375 + 0.10)
// = 99.375 → 99.
func ideal() history {
	return history{n: 4, lastDays: 42, every: 42, clock: "10:00", staff: []string{"mia"}, services: []string{"cut"}, leadHours: 24}
}

func with(h history, change func(*history)) history {
	change(&h)
	return h
}

// TestBackfillGolden ranks 30 clients for one gap; every expected score is worked out by
// hand from the curves in salon/backfill.go (the arithmetic is beside each row).
func TestBackfillGolden(t *testing.T) {
	f := newBackfillFixture(t)
	rows := []struct {
		name  string
		h     history
		score int
	}{
		{"Ideal", ideal(), 99},
		// Cadence: r = days since last / 42. Full from 35 days (5/6), 0 at 21 (1/2).
		{"DueAt35", with(ideal(), func(h *history) { h.lastDays = 35 }), 99},                                                                            // r = 5/6 → 1
		{"Overdue70", with(ideal(), func(h *history) { h.lastDays = 70 }), 99},                                                                          // overdue → 1
		{"Early28", with(ideal(), func(h *history) { h.lastDays = 28 }), 82},                                                                            // r = 2/3 → 0.5: 99.375 − 17.5 = 81.875
		{"Early21", with(ideal(), func(h *history) { h.lastDays = 21 }), 64},                                                                            // r = 1/2 → 0: 99.375 − 35
		{"Early14", with(ideal(), func(h *history) { h.lastDays = 14 }), 64},                                                                            // r = 1/3 → 0
		{"Early31", with(ideal(), func(h *history) { h.lastDays = 31 }), 74},                                                                            // Sundays, r = 31/42: 35 × 0.7143 = 25 + 20 + 0 + 10 + 9.375 + 10
		{"Tuesday", with(ideal(), func(h *history) { h.lastDays = 43 }), 84},                                                                            // weekday 0: 99.375 − 15
		{"Afternoon", with(ideal(), func(h *history) { h.clock = "14:00" }), 89},                                                                        // band 0: 99.375 − 10
		{"Evening", with(ideal(), func(h *history) { h.clock = "18:00" }), 89},                                                                          // band 0
		{"JoOnly", with(ideal(), func(h *history) { h.staff = []string{"jo"} }), 90},                                                                    // provider 0: 99.375 − 9.375
		{"OneWithMia", with(ideal(), func(h *history) { h.staff = []string{"mia", "jo", "jo", "jo"} }), 95},                                             // 1 − 0.5 = 0.5: 80 + 5 + 10
		{"ColourOnly", with(ideal(), func(h *history) { h.services = []string{"colour"} }), 79},                                                         // service 0: 99.375 − 20
		{"MostlyCut", with(ideal(), func(h *history) { h.services = []string{"cut", "cut", "cut", "colour"} }), 94},                                     // 0.75 × 0.2 = 0.15: 99.375 − 5
		{"HalfColour", with(ideal(), func(h *history) { h.services = []string{"cut", "colour"} }), 79},                                                  // usual 90 min > 60: service 0
		{"BooksFourDaysAhead", with(ideal(), func(h *history) { h.leadHours = 96 }), 94},                                                                // lead 46/96 = 0.4792: 99.375 − 10 + 4.792 = 94.167
		{"BooksTwoDaysAhead", with(ideal(), func(h *history) { h.leadHours = 48 }), 99},                                                                 // 46/48 = 0.9583: 99.375 − 0.417 = 98.958
		{"WalkIn", with(ideal(), func(h *history) { h.leadHours = 0 }), 99},                                                                             // U floored at 1 h: 1
		{"ThreeVisits", with(ideal(), func(h *history) { h.n = 3 }), 99},                                                                                // provider 0.875: 80 + 8.75 + 10 = 98.75
		{"SixVisits", with(ideal(), func(h *history) { h.n = 6 }), 100},                                                                                 // provider 0.984: 80 + 9.84 + 10 = 99.84
		{"Monthly", with(ideal(), func(h *history) { h.every = 28; h.lastDays = 28 }), 99},                                                              // interval 28, r = 1
		{"Monthly14", with(ideal(), func(h *history) { h.every = 28; h.lastDays = 14 }), 64},                                                            // r = 1/2 → 0
		{"AllWrong", history{n: 4, lastDays: 14, every: 42, clock: "14:00", staff: []string{"jo"}, services: []string{"colour"}, leadHours: 96}, 20},    // Wednesdays 15 + lead 4.79
		{"MostlyWrong", history{n: 4, lastDays: 43, every: 42, clock: "14:00", staff: []string{"jo"}, services: []string{"colour"}, leadHours: 24}, 45}, // cadence 35 + lead 10
		{"LowMedium", history{n: 4, lastDays: 43, every: 42, clock: "14:00", staff: []string{"jo"}, services: []string{"colour"}, leadHours: 96}, 40},   // 35 + 4.79 = 39.79
		{"HighEdge", history{n: 4, lastDays: 43, every: 42, clock: "10:00", staff: []string{"jo"}, services: []string{"cut"}, leadHours: 96}, 70},       // 35 + 20 + 0 + 10 + 0 + 4.79 = 69.79
	}
	want := map[string]int{}
	ids := map[int64]string{}
	for _, r := range rows {
		c := f.client(t, r.name, r.h)
		want[r.name] = r.score
		ids[c.ID] = r.name
	}
	// Four who are not eligible, whatever their rhythm.
	f.client(t, "TwoVisits", with(ideal(), func(h *history) { h.n = 2; h.olderExtra = 5 }))
	blocked := f.client(t, "Blocked", ideal())
	f.st.DB().Exec(`UPDATE clients SET blocked = 1 WHERE id = ?`, blocked.ID)
	out := f.client(t, "OptedOut", ideal())
	f.optOut(t, out, true, false)
	busy := f.client(t, "AlreadyBooked", ideal())
	f.st.DB().Exec(`INSERT INTO bookings (venue_id, client_id, staff_id, start_at, end_at, price_minor, status, created_at)
		VALUES (?, ?, ?, ?, ?, 9000, 'booked', ?)`, f.venue.ID, busy.ID, f.jo, f.gap.Start.Add(30*time.Minute).Unix(), f.gap.Start.Add(90*time.Minute).Unix(), f.clk.Now().Unix())

	got, err := f.st.RankGap(context.Background(), f.venue, f.gap, 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 20 {
		t.Fatalf("top 20, got %d", len(got))
	}
	// The expected order: by score, ties by client id (creation order here).
	var order []string
	for _, r := range rows {
		order = append(order, r.name)
	}
	sortByScoreThenCreation(order, want)
	for i, c := range got {
		name := ids[c.ClientID]
		if name == "" {
			t.Fatalf("#%d is an ineligible client %s %s", i+1, c.FirstName, c.LastName)
		}
		if name != order[i] || c.Score != want[name] || c.Band != salon.Band(want[name]) {
			t.Errorf("#%d: got %s %d (%s) %+v, want %s %d", i+1, name, c.Score, c.Band, c.Factors, order[i], want[order[i]])
		}
	}
	// Bands at their edges.
	for score, band := range map[int]string{70: "high", 69: "medium", 40: "medium", 39: "low"} {
		if salon.Band(score) != band {
			t.Errorf("band of %d: %s", score, salon.Band(score))
		}
	}
	all, _ := f.st.RankGap(context.Background(), f.venue, f.gap, 100)
	for _, c := range all {
		if name := ids[c.ClientID]; name == "" {
			t.Errorf("ineligible client ranked: %s", c.FirstName)
		}
	}
	if len(all) != len(rows) {
		t.Errorf("every eligible client is scored: %d of %d", len(all), len(rows))
	}
}

func sortByScoreThenCreation(names []string, score map[string]int) {
	for i := 1; i < len(names); i++ {
		for j := i; j > 0 && score[names[j]] > score[names[j-1]]; j-- {
			names[j], names[j-1] = names[j-1], names[j]
		}
	}
}

// TestBackfillEligibilityBoundaries checks each eligibility rule just inside and outside.
func TestBackfillEligibilityBoundaries(t *testing.T) {
	cases := []struct {
		name     string
		setup    func(t *testing.T, f backfillFixture) salon.Client
		eligible bool
	}{
		{"2 completed in 12 months (5 older)", func(t *testing.T, f backfillFixture) salon.Client {
			return f.client(t, "Two", with(ideal(), func(h *history) { h.n = 2; h.olderExtra = 5 }))
		}, false},
		{"3 completed in 12 months", func(t *testing.T, f backfillFixture) salon.Client {
			return f.client(t, "Three", with(ideal(), func(h *history) { h.n = 3 }))
		}, true},
		{"blocked", func(t *testing.T, f backfillFixture) salon.Client {
			c := f.client(t, "Blocked", ideal())
			f.st.DB().Exec(`UPDATE clients SET blocked = 1 WHERE id = ?`, c.ID)
			return c
		}, false},
		{"opted out of SMS", func(t *testing.T, f backfillFixture) salon.Client {
			c := f.client(t, "Out", ideal())
			f.optOut(t, c, true, false)
			return c
		}, false},
		{"opted out of email only (SMS venue)", func(t *testing.T, f backfillFixture) salon.Client {
			c := f.client(t, "EmailOut", ideal())
			f.optOut(t, c, false, true)
			return c
		}, true},
		{"contacted 23 h ago", func(t *testing.T, f backfillFixture) salon.Client {
			c := f.client(t, "Recent", ideal())
			f.message(t, c, salon.PurposeBookingConfirm, 23*time.Hour)
			return c
		}, false},
		{"contacted 25 h ago", func(t *testing.T, f backfillFixture) salon.Client {
			c := f.client(t, "Older", ideal())
			f.message(t, c, salon.PurposeBookingConfirm, 25*time.Hour)
			return c
		}, true},
		{"a booking overlapping the gap", func(t *testing.T, f backfillFixture) salon.Client {
			c := f.client(t, "Busy", ideal())
			if _, err := f.st.CreateBooking(context.Background(), f.venue.ID, 0, store.BookingInput{ClientID: c.ID, StaffID: f.jo,
				Start: f.gap.Start.Add(-30 * time.Minute), ServiceIDs: []int64{f.service}}); err != nil {
				t.Fatal(err)
			}
			return c
		}, false},
		{"a booking just after the gap", func(t *testing.T, f backfillFixture) salon.Client {
			c := f.client(t, "After", ideal())
			if _, err := f.st.CreateBooking(context.Background(), f.venue.ID, 0, store.BookingInput{ClientID: c.ID, StaffID: f.jo,
				Start: f.gap.End, ServiceIDs: []int64{f.service}}); err != nil {
				t.Fatal(err)
			}
			return c
		}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newBackfillFixture(t)
			c := tc.setup(t, f)
			got, err := f.st.RankGap(context.Background(), f.venue, f.gap, 20)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, cand := range got {
				found = found || cand.ClientID == c.ID
			}
			if found != tc.eligible {
				t.Fatalf("eligible = %v, want %v", found, tc.eligible)
			}
		})
	}
}

// TestProfilesNeverDrift makes random booking writes through the store (create,
// complete, no-show, cancel, move) with the clock moving, and checks the profiles kept
// by those writes equal a full recomputation.
func TestProfilesNeverDrift(t *testing.T) {
	f := newBackfillFixture(t)
	ctx := context.Background()
	rng := rand.New(rand.NewSource(7))
	var clients []salon.Client
	for i := 0; i < 8; i++ {
		c, err := f.st.CreateClient(ctx, f.venue.ID, 0, salon.ClientInput{FirstName: fmt.Sprintf("D%d", i), LastName: "Drift",
			Phone: fmt.Sprintf("0412 777 %03d", i)})
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	f.clk.t = f.clk.t.AddDate(-1, -2, 0)
	var ids []int64
	for step := 0; step < 300; step++ {
		f.clk.t = f.clk.t.Add(time.Duration(rng.Intn(40)) * time.Hour)
		switch op := rng.Intn(10); {
		case op < 5 || len(ids) == 0:
			start := f.clk.t.Add(time.Duration(rng.Intn(72)-24) * time.Hour).Truncate(time.Hour)
			staff := []int64{f.staffID, f.jo}[rng.Intn(2)]
			svc := []int64{f.service, f.colour}[rng.Intn(2)]
			b, err := f.st.CreateBooking(ctx, f.venue.ID, 0, store.BookingInput{ClientID: clients[rng.Intn(len(clients))].ID, StaffID: staff,
				Start: start, ServiceIDs: []int64{svc}})
			if err == nil {
				ids = append(ids, b.ID)
			}
		case op < 8:
			f.st.SetBookingStatus(ctx, f.venue.ID, 0, ids[rng.Intn(len(ids))], salon.Completed)
		case op < 9:
			f.st.SetBookingStatus(ctx, f.venue.ID, 0, ids[rng.Intn(len(ids))], []salon.BookingStatus{salon.NoShow, salon.Cancelled}[rng.Intn(2)])
		default:
			id := ids[rng.Intn(len(ids))]
			b, err := f.st.Booking(ctx, f.venue.ID, id)
			if err == nil {
				f.st.UpdateBooking(ctx, f.venue.ID, 0, id, store.BookingInput{ClientID: clients[rng.Intn(len(clients))].ID, StaffID: b.StaffID,
					Start: b.Start.Add(time.Duration(rng.Intn(5)-2) * 24 * time.Hour), ServiceIDs: []int64{f.service}})
			}
		}
	}
	// Same day (no window move): what the writes kept must equal a recomputation.
	f.st.DB().Exec(`UPDATE venues SET stats_day = ?`, f.clk.t.In(f.venue.Location()).Format("2006-01-02"))
	kept, err := f.st.Profiles(ctx, f.venue.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) == 0 {
		t.Fatal("the random writes should leave some clients with a profile")
	}
	if err := f.st.RecomputeProfiles(ctx, f.venue.ID); err != nil {
		t.Fatal(err)
	}
	fresh, _ := f.st.Profiles(ctx, f.venue.ID)
	if !reflect.DeepEqual(kept, fresh) {
		t.Fatalf("profiles drifted:\nkept  %+v\nfresh %+v", kept, fresh)
	}
}

// The ranking's in-memory profiles follow booking writes: a client whose third visit
// is completed after a ranking appears in the next one.
func TestRankingFollowsBookingWrites(t *testing.T) {
	f := newBackfillFixture(t)
	ctx := context.Background()
	c := f.client(t, "Becoming", with(ideal(), func(h *history) { h.n = 2; h.lastDays = 84 }))
	first, err := f.st.RankGap(ctx, f.venue, f.gap, 20)
	if err != nil || len(first) != 0 {
		t.Fatalf("two visits: not ranked: %d %v", len(first), err)
	}
	b, err := f.st.CreateBooking(ctx, f.venue.ID, 0, store.BookingInput{ClientID: c.ID, StaffID: f.staffID,
		Start: f.gap.Start.AddDate(0, 0, -42), ServiceIDs: []int64{f.service}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetBookingStatus(ctx, f.venue.ID, 0, b.ID, salon.Completed); err != nil {
		t.Fatal(err)
	}
	next, _ := f.st.RankGap(ctx, f.venue, f.gap, 20)
	if len(next) != 1 || next[0].ClientID != c.ID {
		t.Fatalf("the third visit makes them eligible: %+v", next)
	}
}
