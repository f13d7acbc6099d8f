package jobs

import (
	"context"
	"log/slog"

	"concierge/app"
)

// ExpireActions sweeps Concierge actions whose time ran out: pending approvals 24
// hours after queueing, drafts 7 days after creation. Expiry is also enforced whenever
// someone acts on an action; the sweep makes it show.
type ExpireActions struct {
	Concierge *app.Service
	Log       *slog.Logger
}

// Name is the job's name in logs.
func (j ExpireActions) Name() string { return "expire_actions" }

// Run expires what is due.
func (j ExpireActions) Run(ctx context.Context) error {
	n, err := j.Concierge.ExpireDueActions(ctx)
	if err == nil && n > 0 && j.Log != nil {
		j.Log.Info("actions expired", "count", n)
	}
	return err
}
