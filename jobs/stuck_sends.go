package jobs

import (
	"context"
	"log/slog"
	"time"

	"concierge/app"
)

// StuckSends marks messages left in 'sending' by a crash as 'unknown', so they are
// shown and never re-sent (Twilio message creation is not idempotent).
type StuckSends struct {
	Concierge *app.Service
	Log       *slog.Logger
	// After is how long a message may stay in 'sending' before it counts as stuck.
	After time.Duration
	// AtStart marks every 'sending' row, whatever its age: when the process starts,
	// nothing of it is sending.
	AtStart bool
}

// Name is the job's name in logs.
func (j StuckSends) Name() string { return "stuck_sends" }

// Run marks stuck sends.
func (j StuckSends) Run(ctx context.Context) error {
	after := j.After
	if after == 0 {
		after = 2 * time.Minute
	}
	n, err := j.Concierge.MarkStuckSends(ctx, after, j.AtStart)
	if err != nil {
		return err
	}
	if n > 0 && j.Log != nil {
		j.Log.Warn("messages left sending marked unknown", "count", n)
	}
	return nil
}
