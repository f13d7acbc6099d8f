package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"concierge/app"
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

	job := jobs.StuckSends{Concierge: &app.Service{Store: st}, After: 2 * time.Minute}
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

// countJob reports the clock's time at each of its runs on ran.
type countJob struct {
	clock clockwork.Clock
	ran   chan time.Time
}

func (j *countJob) Name() string { return "count" }
func (j *countJob) Run(ctx context.Context) error {
	j.ran <- j.clock.Now()
	return nil
}

// One wiring test with a fake clock: the scheduler runs a registered job once per
// interval: three minutes on the clock are exactly three runs, one at each minute.
func TestSchedulerRunsJobsOnTheirInterval(t *testing.T) {
	ctx := context.Background()
	fake := clockwork.NewFakeClock()
	start := fake.Now()
	job := &countJob{clock: fake, ran: make(chan time.Time, 100)}
	s, err := jobs.Start(ctx, fake, slog.New(slog.NewTextHandler(io.Discard, nil)), jobs.Every{Job: job, Interval: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	for minute := 1; minute <= 3; minute++ {
		fake.BlockUntilContext(ctx, 1) // the next run is scheduled
		// A real timer fires after its deadline, never at it. A clock frozen exactly on
		// the minute lets gocron schedule the run it is making once more, due at once (a
		// double run real time never sees), so each step ends a millisecond past it.
		fake.Advance(time.Minute + time.Millisecond)
		// The run happens on the scheduler's goroutine: wait for it, not for time. The
		// clock stays put until it has run, so the run reads this step's time.
		want := start.Add(time.Duration(minute) * (time.Minute + time.Millisecond))
		select {
		case at := <-job.ran:
			if !at.Equal(want) {
				t.Fatalf("run %d at %v, want at %v", minute, at.Sub(start), want.Sub(start))
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no run %d after %d minutes", minute, minute)
		}
		// In singleton mode a run still in flight makes gocron skip the next one: let
		// the scheduler see this one finish before the clock moves on.
		for running := true; running; {
			if running, err = s.Jobs()[0].IsRunning(); err != nil {
				t.Fatal(err)
			}
			runtime.Gosched()
		}
	}
	fake.BlockUntilContext(ctx, 1)       // the fourth run is scheduled, not due
	if err := s.Shutdown(); err != nil { // waits for any run in flight
		t.Fatal(err)
	}
	close(job.ran)
	for at := range job.ran {
		t.Errorf("want exactly 3 runs after 3 minutes, got another at %v", at.Sub(start))
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
	job := jobs.DayStats{Concierge: &app.Service{Store: st}}
	visits := func() (n int) {
		t.Helper()
		if err := st.DB().QueryRow(`SELECT visits_12m FROM clients WHERE id = ?`, c.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
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
