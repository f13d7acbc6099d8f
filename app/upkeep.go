package app

import (
	"context"
	"time"
)

// Background upkeep the jobs call: moving each venue's figures to a new day, expiring
// actions whose time ran out, and marking sends a crash left half done.

// RefreshDayStats recomputes each venue's 12-month figures and backfill profiles
// once its day has changed, and refills the Spark allowance once its month has.
func (s *Service) RefreshDayStats(ctx context.Context) error {
	venues, err := s.Store.Venues(ctx)
	if err != nil {
		return err
	}
	for _, v := range venues {
		if err := s.Store.RefreshDayStats(ctx, v); err != nil {
			return err
		}
		// A new venue month refills the Spark allowance before anything is spent.
		if err := s.Store.RefillSparks(ctx, v.ID); err != nil {
			return err
		}
	}
	return nil
}

// ExpireDueActions expires pending approvals 24 hours after queueing and drafts 7 days
// after creation, and says how many it expired.
func (s *Service) ExpireDueActions(ctx context.Context) (int, error) {
	return s.Store.ExpireDue(ctx)
}

// MarkStuckSends marks messages in 'sending' for longer than after as 'unknown', so
// they are shown and never re-sent (Twilio message creation is not idempotent); all
// marks every one, whatever its age (at start nothing of this process is sending). It
// says how many it marked.
func (s *Service) MarkStuckSends(ctx context.Context, after time.Duration, all bool) (int64, error) {
	before := s.Store.Now().Add(-after)
	if all {
		before = s.Store.Now().Add(time.Hour)
	}
	return s.Store.MarkStuckUnknown(ctx, before)
}
