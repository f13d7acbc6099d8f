package app

import (
	"context"

	"concierge/salon"
	"concierge/store"
)

// Clients: search and cohort lists, adding and editing a client (salon.ClientInput's
// rules, checked before anything is written), and a client's page.

// ClientPage is one page of a client list.
type ClientPage = store.ClientPage

// ClientStats summarise a client's history for their page.
type ClientStats = store.ClientStats

// SearchClients finds the venue's clients by name, phone or email, a page at a time.
func (s *Service) SearchClients(ctx context.Context, venueID int64, query string, page int) (ClientPage, error) {
	return s.Store.SearchClients(ctx, venueID, query, page)
}

// CohortClients lists a cohort's clients a page at a time (birthdays and no-shows over
// the week, as the Clients page shows them).
func (s *Service) CohortClients(ctx context.Context, v salon.Venue, cohort salon.Cohort, page int) (ClientPage, error) {
	return s.Store.CohortClients(ctx, v, store.AudienceRequest{Cohort: cohort, Week: true}, page)
}

// AddClient checks the form and adds the client; bad input is Invalid, keyed by field.
func (s *Service) AddClient(ctx context.Context, v salon.Venue, actorID int64, in salon.ClientInput) (salon.Client, error) {
	if _, err := in.Check(v.Country); err != nil {
		return salon.Client{}, err
	}
	return s.Store.CreateClient(ctx, v.ID, actorID, in)
}

// SaveClient checks the profile form and saves it; on any error nothing changes.
func (s *Service) SaveClient(ctx context.Context, v salon.Venue, actorID, id int64, in salon.ClientInput) (salon.Client, error) {
	if _, err := in.Check(v.Country); err != nil {
		return salon.Client{}, err
	}
	return s.Store.UpdateClient(ctx, v.ID, actorID, id, in)
}

// ClientProfile is what a client's page shows: the client, their numbers, their
// bookings (newest first) and their thread.
type ClientProfile struct {
	Client   salon.Client
	Stats    ClientStats
	Bookings []salon.Booking
	Messages []salon.Message
}

// ClientProfile loads a client's page; a client of another venue is not found.
func (s *Service) ClientProfile(ctx context.Context, venueID, clientID int64) (ClientProfile, error) {
	var p ClientProfile
	var err error
	if p.Client, err = s.Store.Client(ctx, venueID, clientID); err != nil {
		return p, err
	}
	if p.Stats, err = s.Store.ClientStats(ctx, venueID, clientID); err != nil {
		return p, err
	}
	if p.Bookings, err = s.Store.ClientBookings(ctx, venueID, clientID); err != nil {
		return p, err
	}
	p.Messages, err = s.Store.ClientMessages(ctx, venueID, clientID)
	return p, err
}
