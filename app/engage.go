package app

import (
	"context"

	"concierge/salon"
	"concierge/store"
)

// Engage: the record of every batch send and how each one went, per recipient.

// BatchSend is one batch send with its delivery counts.
type BatchSend = store.BatchSend

// BatchSends lists the venue's latest batch sends (at most 100), newest first.
func (s *Service) BatchSends(ctx context.Context, venueID int64) ([]BatchSend, error) {
	return s.Store.BatchSends(ctx, venueID, 100)
}

// BatchSendDetail is one batch send and its messages, one per recipient.
func (s *Service) BatchSendDetail(ctx context.Context, venueID, actionID int64) (BatchSend, []salon.Message, error) {
	b, err := s.Store.BatchSend(ctx, venueID, actionID)
	if err != nil {
		return b, nil, err
	}
	msgs, err := s.Store.ActionMessages(ctx, venueID, actionID)
	return b, msgs, err
}
