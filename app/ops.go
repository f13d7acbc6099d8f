package app

import (
	"context"
	"time"

	"concierge/salon"
	"concierge/store"
)

// Ops is what an operator watches across the whole install (see /metrics).
type Ops struct {
	Messages        []store.MessageTally
	QueueDepth      int64         // messages queued and not yet handed to a provider
	OldestQueuedAge time.Duration // 0 when nothing is queued
	LowWalletVenues []string      // slugs of venues whose SMS wallet is low (salon.Venue.WalletLow)
	Statements      int64         // statements the database has run since start
}

// Ops reads the operator's figures from the database, at the store's clock.
func (s *Service) Ops(ctx context.Context) (Ops, error) {
	var o Ops
	tallies, err := s.Store.MessageTallies(ctx)
	if err != nil {
		return o, err
	}
	now := s.Store.Now()
	o.Messages = tallies
	for _, t := range tallies {
		if t.Status != string(salon.StatusQueued) {
			continue
		}
		o.QueueDepth += t.Count
		if !t.Oldest.IsZero() {
			o.OldestQueuedAge = max(o.OldestQueuedAge, now.Sub(t.Oldest))
		}
	}
	venues, err := s.Store.Venues(ctx)
	if err != nil {
		return o, err
	}
	for _, v := range venues {
		if v.WalletLow() {
			o.LowWalletVenues = append(o.LowWalletVenues, v.Slug)
		}
	}
	o.Statements = s.Store.Statements()
	return o, nil
}
