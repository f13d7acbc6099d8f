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

// SendOutcome is what followed a batch send: replies, bookings and their revenue.
type SendOutcome = store.SendOutcome

// RecipientsPerPage is how many recipients a batch send's page lists at once.
const RecipientsPerPage = 50

// BatchSendDetail is one batch send, what followed it, and one page (from 1) of its
// messages, one per recipient.
func (s *Service) BatchSendDetail(ctx context.Context, venueID, actionID int64, page int) (BatchSend, SendOutcome, []salon.Message, error) {
	b, err := s.Store.BatchSend(ctx, venueID, actionID)
	if err != nil {
		return b, SendOutcome{}, nil, err
	}
	o, err := s.Store.BatchOutcome(ctx, venueID, actionID, salon.OutcomeWindow)
	if err != nil {
		return b, o, nil, err
	}
	if page < 1 {
		page = 1
	}
	msgs, err := s.Store.ActionMessages(ctx, venueID, actionID, RecipientsPerPage, (page-1)*RecipientsPerPage)
	return b, o, msgs, err
}
