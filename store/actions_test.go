package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"concierge/salon"
	"concierge/store"
)

func (f fixture) users(t *testing.T) (owner, manager, other int64) {
	t.Helper()
	ctx := context.Background()
	ids := []int64{}
	for _, e := range []string{"o@x.test", "m@x.test", "m2@x.test"} {
		role := salon.Manager
		if e == "o@x.test" {
			role = salon.Owner
		}
		u, err := f.st.AddUser(ctx, f.venue.ID, 0, store.NewUser{Email: e, Name: e, Password: "password1", Role: role})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	return ids[0], ids[1], ids[2]
}

func (f fixture) pending(t *testing.T, creator int64) salon.ConciergeAction {
	t.Helper()
	ctx := context.Background()
	a, err := f.st.CreateAction(ctx, f.venue.ID, store.NewAction{Kind: salon.WinBack, Tier: salon.Approval, CreatedBy: creator, Title: "Win back", Body: "Hi {{name}}"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != salon.StatusDrafted || a.ExpiresAt.Sub(a.CreatedAt) != 7*24*time.Hour {
		t.Fatalf("a new draft lives 7 days: %s %s", a.Status, a.ExpiresAt.Sub(a.CreatedAt))
	}
	a, err = f.st.Queue(ctx, f.venue.ID, a.ID, creator, 10, 7230)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != salon.StatusPending || a.ExpiresAt.Sub(a.QueuedAt) != 24*time.Hour {
		t.Fatalf("pending lives 24 hours: %s %s", a.Status, a.ExpiresAt.Sub(a.QueuedAt))
	}
	return a
}

func TestFiftyConcurrentApprovalsExecuteOnce(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	owner, manager, _ := f.users(t)
	a := f.pending(t, manager)
	var wg sync.WaitGroup
	var mu sync.Mutex
	approved, claimed := 0, 0
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.st.Approve(ctx, f.venue.ID, a.ID, owner); err == nil {
				mu.Lock()
				approved++
				mu.Unlock()
			}
			if _, err := f.st.ClaimExecution(ctx, f.venue.ID, a.ID, owner); err == nil {
				mu.Lock()
				claimed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if approved != 1 || claimed != 1 {
		t.Fatalf("want exactly one approval and one execution, got %d and %d", approved, claimed)
	}
	trail, _ := f.st.AuditTrail(ctx, f.venue.ID, "action", a.ID)
	events := map[string]int{}
	for _, e := range trail {
		events[e.Event]++
	}
	if events["approve"] != 1 || events["send"] != 1 || events["queue"] != 1 || events["suggest"] != 1 || events["draft"] != 1 {
		t.Fatalf("audit: %v", events)
	}
}

func TestApproveRacingRejectLeavesOneFinalState(t *testing.T) {
	for i := 0; i < 10; i++ {
		f := newFixture(t, salon.AU)
		ctx := context.Background()
		owner, manager, other := f.users(t)
		a := f.pending(t, manager)
		var wg sync.WaitGroup
		var approveErr, rejectErr error
		wg.Add(2)
		go func() { defer wg.Done(); _, approveErr = f.st.Approve(ctx, f.venue.ID, a.ID, owner) }()
		go func() { defer wg.Done(); _, rejectErr = f.st.Reject(ctx, f.venue.ID, a.ID, other, "not now") }()
		wg.Wait()
		if (approveErr == nil) == (rejectErr == nil) {
			t.Fatalf("exactly one must win: approve %v, reject %v", approveErr, rejectErr)
		}
		got, _ := f.st.Action(ctx, f.venue.ID, a.ID)
		if (approveErr == nil && got.Status != salon.StatusApproved) || (rejectErr == nil && (got.Status != salon.StatusRejected || got.RejectReason != "not now")) {
			t.Fatalf("final state %s does not match the winner", got.Status)
		}
	}
}

func TestExpiredPendingCannotBeApproved(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	owner, manager, _ := f.users(t)
	a := f.pending(t, manager)
	f.clk.Advance(25 * time.Hour)
	if _, err := f.st.Approve(ctx, f.venue.ID, a.ID, owner); err != salon.ErrActionExpired {
		t.Fatalf("want expired, got %v", err)
	}
	got, _ := f.st.Action(ctx, f.venue.ID, a.ID)
	if got.Status != salon.StatusExpired {
		t.Fatalf("a late approval marks it expired, got %s", got.Status)
	}
	if _, err := f.st.ClaimExecution(ctx, f.venue.ID, a.ID, owner); err == nil {
		t.Fatal("an expired action can never be sent")
	}
}

func TestExpireDueSweepsDraftsAndPending(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	_, manager, _ := f.users(t)
	p := f.pending(t, manager)
	d, _ := f.st.CreateAction(ctx, f.venue.ID, store.NewAction{Kind: salon.FlashDeal, Tier: salon.Draft, CreatedBy: manager, Body: "x"})
	f.clk.Advance(25 * time.Hour)
	if n, err := f.st.ExpireDue(ctx); err != nil || n != 1 {
		t.Fatalf("after 25 h only the pending one expires: %d %v", n, err)
	}
	f.clk.Advance(6 * 24 * time.Hour)
	if n, err := f.st.ExpireDue(ctx); err != nil || n != 1 {
		t.Fatalf("after 7 days the draft expires: %d %v", n, err)
	}
	for _, id := range []int64{p.ID, d.ID} {
		a, _ := f.st.Action(ctx, f.venue.ID, id)
		if a.Status != salon.StatusExpired {
			t.Fatalf("action %d: %s", id, a.Status)
		}
	}
}

func TestRefineAtMostThreeTimes(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	owner, _, _ := f.users(t)
	a, _ := f.st.CreateAction(ctx, f.venue.ID, store.NewAction{Kind: salon.FlashDeal, Tier: salon.Draft, CreatedBy: owner, Body: "v0"})
	for i := 1; i <= 3; i++ {
		if _, err := f.st.Refine(ctx, f.venue.ID, a.ID, owner, "v"); err != nil {
			t.Fatalf("refine %d: %v", i, err)
		}
	}
	if _, err := f.st.Refine(ctx, f.venue.ID, a.ID, owner, "v4"); !errors.Is(err, salon.ErrRefineLimit) || err.Error() != salon.ErrRefineLimit.Error() {
		t.Fatalf("the 4th refine is refused: %v", err)
	}
	got, _ := f.st.Action(ctx, f.venue.ID, a.ID)
	if got.Refines != 3 || got.Body != "v" {
		t.Fatalf("got %d refines, body %q", got.Refines, got.Body)
	}
}

func TestAudienceFiltersAttributeFirstReason(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	add := func(name, phone string, optOut, blocked bool) salon.Client {
		c, err := f.st.CreateClient(ctx, f.venue.ID, 0, salon.ClientInput{FirstName: name, Phone: phone, SMSOptOut: optOut, Blocked: blocked})
		if err != nil {
			t.Fatal(err)
		}
		// One visit 100 days ago: lapsed at 60 and 90 days, not at 180.
		f.clk.Advance(-100 * 24 * time.Hour)
		b, err := f.st.CreateBooking(ctx, f.venue.ID, 0, store.BookingInput{ClientID: c.ID, StaffID: f.staffID, Start: f.clk.Now().Add(time.Duration(c.ID) * 2 * time.Hour), ServiceIDs: []int64{f.service}})
		if err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(time.Duration(c.ID)*2*time.Hour + time.Hour)
		if err := f.st.SetBookingStatus(ctx, f.venue.ID, 0, b.ID, salon.Completed); err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(100*24*time.Hour - time.Duration(c.ID)*2*time.Hour - time.Hour)
		return c
	}
	ok := add("Ok", "0412 000 101", false, false)
	add("Out", "0412 000 102", true, true) // opted out wins over blocked
	add("Blocked", "0412 000 103", false, true)
	add("NoPhone", "", false, false)
	recent := add("Recent", "0412 000 105", false, false)
	if _, _, err := f.st.QueueOutbound(ctx, f.venue.ID, store.NewOutbound{ClientID: recent.ID, Channel: salon.SMS, Purpose: salon.PurposeCohort, To: recent.Phone, Body: "x"}); err != nil {
		t.Fatal(err)
	}
	booked := add("Booked", "0412 000 106", false, false)
	if _, err := f.st.CreateBooking(ctx, f.venue.ID, 0, store.BookingInput{ClientID: booked.ID, StaffID: f.staffID, Start: f.clk.Now().Add(72 * time.Hour), ServiceIDs: []int64{f.service}}); err != nil {
		t.Fatal(err)
	}
	a, err := f.st.ResolveAudience(ctx, f.venue, store.AudienceRequest{Cohort: salon.CohortLapsed, WindowDays: 60, WaveCap: true})
	if err != nil {
		t.Fatal(err)
	}
	if a.Count != 5 || len(a.Sendable) != 1 || a.Sendable[0].ClientID != ok.ID {
		t.Fatalf("want 5 lapsed (the booked one is not), 1 sendable; got %d, %+v", a.Count, a.Sendable)
	}
	want := map[string]int{"opted_out": 1, "blocked": 1, "no_contact": 1, "recently_messaged": 1}
	for k, v := range want {
		if a.Excluded[k] != v {
			t.Fatalf("excluded %v, want %v", a.Excluded, want)
		}
	}
	a180, _ := f.st.ResolveAudience(ctx, f.venue, store.AudienceRequest{Cohort: salon.CohortLapsed, WindowDays: 180})
	if a180.Count != 0 {
		t.Fatalf("nobody is 180 days lapsed, got %d", a180.Count)
	}
}

func TestSpendCohorts(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	// 20 clients; client i spent i × A$10 over i visits in the last year (1..20 visits).
	var ids []int64
	for i := 1; i <= 20; i++ {
		tags := ""
		if i == 1 {
			tags = "VIP"
		}
		c, err := f.st.CreateClient(ctx, f.venue.ID, 0, salon.ClientInput{FirstName: fmt.Sprintf("C%02d", i), Phone: fmt.Sprintf("0412 300 %03d", i), Tags: tags})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
		for k := 0; k < i; k++ {
			start := f.clk.Now().Add(-time.Duration(10+k*15) * 24 * time.Hour).Add(time.Duration(i) * time.Hour)
			if _, err := f.st.DB().Exec(`INSERT INTO bookings (venue_id, client_id, staff_id, start_at, end_at, price_minor, status, created_at)
				VALUES (?, ?, ?, ?, ?, 1000, 'completed', ?)`, f.venue.ID, c.ID, f.staffID, start.Unix(), start.Add(30*time.Minute).Unix(), start.Unix()); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.st.ForgetDayStats(ctx, f.venue.ID); err != nil { // figures from "yesterday": recompute
		t.Fatal(err)
	}
	names := func(c salon.Cohort) []string {
		page, err := f.st.CohortClients(ctx, f.venue, store.AudienceRequest{Cohort: c}, 1)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, cl := range page.Clients {
			out = append(out, cl.FirstName)
		}
		return out
	}
	// Top 10% of 20 spenders: the 2 highest.
	if got := fmt.Sprint(names(salon.CohortTopSpenders)); got != "[C19 C20]" {
		t.Fatalf("top spenders %s", got)
	}
	// VIPs: tagged C01, plus top spenders with 3+ visits.
	if got := fmt.Sprint(names(salon.CohortVIPs)); got != "[C01 C19 C20]" {
		t.Fatalf("VIPs %s", got)
	}
	// Regulars: 6+ visits in 12 months and seen in the last 60 days (all were, 10 days ago).
	if got := len(names(salon.CohortRegulars)); got != 15 {
		t.Fatalf("regulars: %d", got)
	}
}
