package jobs

import (
	"context"
	"time"

	"concierge/app"
)

// ResumeSends finishes batch sends interrupted by a crash or restart (see
// app.Service.ResumeStalled). It runs at start-up, after StuckSends has marked
// messages left mid-hand-over as unknown, and then every few seconds.
type ResumeSends struct {
	Concierge *app.Service
	// IdleFor is how long an executing action must be untouched to count as stalled.
	IdleFor time.Duration
	// AtStart resumes every executing action: when the process starts, nothing of it
	// is sending.
	AtStart bool
}

// Name is the job's name in logs.
func (j ResumeSends) Name() string { return "resume_sends" }

// Run resumes stalled sends.
func (j ResumeSends) Run(ctx context.Context) error {
	idle := j.IdleFor
	if idle == 0 {
		idle = time.Minute
	}
	if j.AtStart {
		idle = -time.Hour // stalled "before an hour from now": all of them
	}
	return j.Concierge.ResumeStalled(ctx, idle)
}
