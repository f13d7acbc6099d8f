package jobs

import (
	"context"

	"concierge/app"
)

// ScheduledSends fires scheduled win-backs that are due (every few seconds). The page's
// own countdown usually fires first; this is the safety net when the tab is closed.
// Firing is an atomic claim, so the two never both send.
type ScheduledSends struct {
	Concierge *app.Service
}

// Name is the job's name in logs.
func (j ScheduledSends) Name() string { return "scheduled_sends" }

// Run fires what is due.
func (j ScheduledSends) Run(ctx context.Context) error { return j.Concierge.FireDue(ctx) }
