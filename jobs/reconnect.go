package jobs

import (
	"context"

	"concierge/app"
)

// ReconnectAutomation sends the daily first reconnect message to newly overdue clients
// in venues that switched it on, once a venue day at the configured time.
type ReconnectAutomation struct{ Concierge *app.Service }

// Name is the job's name in logs.
func (j ReconnectAutomation) Name() string { return "reconnect_automation" }

// Run sends what is due.
func (j ReconnectAutomation) Run(ctx context.Context) error {
	return j.Concierge.RunReconnectAutomation(ctx)
}

// ReconnectFollowUps sends each reconnect follow-up once, N days after the first
// message, to clients who have not rebooked the category.
type ReconnectFollowUps struct{ Concierge *app.Service }

// Name is the job's name in logs.
func (j ReconnectFollowUps) Name() string { return "reconnect_followups" }

// Run sends what is due.
func (j ReconnectFollowUps) Run(ctx context.Context) error {
	return j.Concierge.SendReconnectFollowUps(ctx)
}

// RebookPrompts sends the post-visit rebook nudge N days after a visit, to clients with
// nothing booked ahead.
type RebookPrompts struct{ Concierge *app.Service }

// Name is the job's name in logs.
func (j RebookPrompts) Name() string { return "rebook_prompts" }

// Run sends what is due.
func (j RebookPrompts) Run(ctx context.Context) error { return j.Concierge.SendRebookPrompts(ctx) }

// Drafts marks online-booking drafts incomplete 10 minutes after Review began (with the
// notification and, when on, the reminder) and expires them a day after the client's
// last engagement.
type Drafts struct{ Concierge *app.Service }

// Name is the job's name in logs.
func (j Drafts) Name() string { return "booking_drafts" }

// Run processes what is due.
func (j Drafts) Run(ctx context.Context) error { return j.Concierge.ProcessDrafts(ctx) }
