package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"concierge/jobs"
	"concierge/salon"
	"concierge/store"
)

func TestStuckSendsMarksOnlyOldSendingRows(t *testing.T) {
	now := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	clock := now
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "jobs.db"), func() time.Time { return clock })
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v, err := st.CreateVenue(ctx, store.NewVenue{Slug: "jobs", Name: "Jobs", Country: salon.AU, TimeZone: "Australia/Sydney"})
	if err != nil {
		t.Fatal(err)
	}
	st.TopUpWallet(ctx, v.ID, 0, 100, "")
	c, _ := st.CreateClient(ctx, v.ID, 0, salon.ClientInput{FirstName: "A", Phone: "0412 345 678"})
	queue := func(action int64) int64 {
		m, _, err := st.QueueOutbound(ctx, v.ID, store.NewOutbound{ClientID: c.ID, Channel: salon.SMS, Purpose: salon.PurposeOutreach, To: c.Phone, Body: "x", ActionID: action})
		if err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	old, fresh, queued := queue(1), queue(2), queue(3)
	st.ClaimForSending(ctx, v.ID, old)
	clock = clock.Add(3 * time.Minute)
	st.ClaimForSending(ctx, v.ID, fresh)

	job := jobs.StuckSends{Store: st, After: 2 * time.Minute}
	if err := job.Run(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[int64]salon.MessageStatus{old: salon.StatusUnknown, fresh: salon.StatusSending, queued: salon.StatusQueued}
	for id, status := range want {
		m, _ := st.Message(ctx, v.ID, id)
		if m.Status != status {
			t.Errorf("message %d: %s, want %s", id, m.Status, status)
		}
	}
}

type countJob struct{ n atomic.Int32 }

func (j *countJob) Name() string                  { return "count" }
func (j *countJob) Run(ctx context.Context) error { j.n.Add(1); return nil }

// One wiring test with a fake clock: the scheduler runs a registered job on its interval.
func TestSchedulerRunsJobsOnTheirInterval(t *testing.T) {
	fake := clockwork.NewFakeClock()
	job := &countJob{}
	s, err := jobs.Start(context.Background(), fake, slog.New(slog.NewTextHandler(io.Discard, nil)), jobs.Every{Job: job, Interval: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown()
	for i := 0; i < 3; i++ {
		fake.BlockUntilContext(context.Background(), 1)
		fake.Advance(time.Minute)
		deadline := time.Now().Add(2 * time.Second)
		for job.n.Load() < int32(i+1) && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
	}
	if got := job.n.Load(); got < 3 {
		t.Fatalf("want 3 runs after 3 minutes, got %d", got)
	}
}

// After midnight the worker moves each venue's figures to the new day: a visit that
// has just left the 12-month window no longer counts.
func TestDayStatsMovesTheYearWindow(t *testing.T) {
	clock := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC) // noon in Sydney
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "jobs.db"), func() time.Time { return clock })
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v, err := st.CreateVenue(ctx, store.NewVenue{Slug: "jobs", Name: "Jobs", Country: salon.AU, TimeZone: "Australia/Sydney"})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := st.CreateClient(ctx, v.ID, 0, salon.ClientInput{FirstName: "A", Phone: "0412 345 678"})
	staff, _ := st.EnsureStaff(ctx, v.ID, "Mia")
	for _, ago := range []time.Duration{364 * 24 * time.Hour, 100 * 24 * time.Hour} {
		start := clock.Add(-ago)
		st.DB().Exec(`INSERT INTO bookings (venue_id, client_id, staff_id, start_at, end_at, price_minor, status, created_at)
			VALUES (?, ?, ?, ?, ?, 1000, 'completed', ?)`, v.ID, c.ID, staff, start.Unix(), start.Add(time.Hour).Unix(), start.Unix())
	}
	job := jobs.DayStats{Store: st}
	visits := func() (n int) {
		st.DB().QueryRow(`SELECT visits_12m FROM clients WHERE id = ?`, c.ID).Scan(&n)
		return n
	}
	if err := job.Run(ctx); err != nil || visits() != 2 {
		t.Fatalf("today both visits count: %d %v", visits(), err)
	}
	clock = clock.Add(48 * time.Hour)
	if err := job.Run(ctx); err != nil || visits() != 1 {
		t.Fatalf("two days on, the 364-day-old visit has left the window: %d %v", visits(), err)
	}
}
