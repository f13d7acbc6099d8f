package demo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"concierge/demo"
	"concierge/salon"
	"concierge/store"
)

func openStore(t *testing.T, now time.Time) *store.Store {
	t.Helper()
	store.BcryptCost = bcrypt.MinCost
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "demo.db"), func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// The demo's storyline must hold on any day: these are the situations the Concierge
// and the recovery engines are shown with.
func TestSeedDemoStoryline(t *testing.T) {
	now := time.Date(2026, 11, 24, 4, 30, 0, 0, time.UTC) // Tuesday 15:30 in Sydney
	st := openStore(t, now)
	ctx := context.Background()
	if err := demo.SeedDemo(ctx, st, now); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedDemo(ctx, st, now); err != nil { // a second start seeds nothing
		t.Fatal(err)
	}
	db := st.DB()
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := db.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM venues`); n != 2 {
		t.Fatalf("want 2 demo venues, got %d", n)
	}
	for _, slug := range []string{"bella", "kiwi"} {
		v, err := st.VenueBySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		loc := v.Location()
		l := now.In(loc)
		dayStart := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
		checks := []struct {
			what string
			n    int
			min  int
		}{
			{"clients", count(`SELECT count(*) FROM clients WHERE venue_id = ?`, v.ID), 1500},
			{"completed today", count(`SELECT count(*) FROM bookings WHERE venue_id = ? AND status = 'completed' AND start_at >= ? AND start_at < ?`, v.ID, dayStart.Unix(), now.Unix()), 3},
			{"no-shows today", count(`SELECT count(*) FROM bookings WHERE venue_id = ? AND status = 'no_show' AND start_at >= ? AND start_at < ?`, v.ID, dayStart.Unix(), now.Unix()), 2},
			{"bookings tomorrow", count(`SELECT count(*) FROM bookings WHERE venue_id = ? AND status = 'booked' AND start_at >= ? AND start_at < ?`, v.ID, dayStart.AddDate(0, 0, 1).Unix(), dayStart.AddDate(0, 0, 2).Unix()), 3},
			{"lapsed (no visit in 60 days, none booked)", count(`SELECT count(*) FROM clients c WHERE venue_id = ?
				AND EXISTS (SELECT 1 FROM bookings b WHERE b.client_id = c.id AND b.status = 'completed')
				AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.client_id = c.id AND b.status IN ('completed','booked') AND b.start_at > ?)`, v.ID, now.AddDate(0, 0, -60).Unix()), 50},
			{"birthdays this week", count(`SELECT count(*) FROM clients WHERE venue_id = ? AND birth_month = ? AND birth_day = ?`, v.ID, int(l.Month()), l.Day()), 1},
			{"SMS opted out", count(`SELECT count(*) FROM clients WHERE venue_id = ? AND sms_opt_out = 1`, v.ID), 10},
			{"blocked", count(`SELECT count(*) FROM clients WHERE venue_id = ? AND blocked = 1`, v.ID), 3},
			{"conversations", count(`SELECT count(*) FROM conversations WHERE venue_id = ?`, v.ID), 5},
			{"VIPs", count(`SELECT count(*) FROM clients WHERE venue_id = ? AND tags LIKE '%VIP%'`, v.ID), 20},
			{"logins", count(`SELECT count(*) FROM memberships WHERE venue_id = ?`, v.ID), 4},
		}
		for _, c := range checks {
			if c.n < c.min {
				t.Errorf("%s: %s = %d, want at least %d", slug, c.what, c.n, c.min)
			}
		}
		// Tomorrow has gaps: fewer booked hours than working hours.
		staff, _ := st.StaffMembers(ctx, v.ID, true)
		working := 0
		tomorrow := dayStart.AddDate(0, 0, 1)
		for _, s := range staff {
			for _, h := range s.Hours {
				if h.Weekday == tomorrow.Weekday() {
					working += int(h.End - h.Start)
				}
			}
		}
		booked := count(`SELECT coalesce(sum(end_at - start_at), 0) / 60 FROM bookings WHERE venue_id = ? AND status = 'booked' AND start_at >= ? AND start_at < ?`,
			v.ID, tomorrow.Unix(), tomorrow.AddDate(0, 0, 1).Unix())
		if working == 0 || booked >= working*9/10 {
			t.Errorf("%s: tomorrow should have gaps: %d of %d minutes booked", slug, booked, working)
		}
	}
	// Overlaps never happen, even in generated data.
	// Any overlapping pair has one booking starting inside the other: an index range join.
	if n := count(`SELECT count(*) FROM bookings a JOIN bookings b ON b.venue_id = a.venue_id AND b.staff_id = a.staff_id
		AND b.start_at >= a.start_at AND b.start_at < a.end_at AND b.id <> a.id
		WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'`); n != 0 {
		t.Fatalf("%d overlapping booking pairs in the demo data", n)
	}
	if u, err := st.Authenticate(ctx, "owner@bella.test", demo.Password); err != nil || u.Name == "" {
		t.Fatalf("the README login must work: %v", err)
	}
}

func TestPopulateIsDeterministic(t *testing.T) {
	now := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	var sums [2]string
	for i := range sums {
		st := openStore(t, now)
		ctx := context.Background()
		v, err := st.CreateVenue(ctx, store.NewVenue{Slug: "det", Name: "Det", Country: salon.GB, TimeZone: "Europe/London"})
		if err != nil {
			t.Fatal(err)
		}
		stats, err := demo.Populate(ctx, st, v, demo.Options{Clients: 300, Years: 1, Seed: 42, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		var digest string
		st.DB().QueryRow(`SELECT group_concat(client_id || ':' || staff_id || ':' || start_at || ':' || status, ',') FROM (SELECT * FROM bookings ORDER BY id)`).Scan(&digest)
		sums[i] = digest
		if stats.Bookings < 300 {
			t.Fatalf("too few bookings: %+v", stats)
		}
	}
	if sums[0] != sums[1] {
		t.Fatal("same seed and clock must give the same data")
	}
}
