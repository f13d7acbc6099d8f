package app

import (
	"context"

	"concierge/salon"
	"concierge/store"
)

// The catalogue (Settings → Catalogue): categories, services with their performers
// and archive flag. The Owner edits; Managers read (the handlers check the role).

// CategoryRow is a category with its number of services.
type CategoryRow = store.CategoryRow

// Catalogue is everything the catalogue page lists.
type Catalogue struct {
	Categories []CategoryRow
	Services   []salon.Service // archived included
	Staff      []salon.StaffMember
}

// Catalogue loads the venue's categories, services and team.
func (s *Service) Catalogue(ctx context.Context, venueID int64) (Catalogue, error) {
	var c Catalogue
	var err error
	if c.Categories, err = s.Store.Categories(ctx, venueID); err != nil {
		return c, err
	}
	if c.Services, err = s.Store.Services(ctx, venueID, true); err != nil {
		return c, err
	}
	c.Staff, err = s.Store.StaffMembers(ctx, venueID, false)
	return c, err
}

// SaveCategory creates (id 0) or renames a category.
func (s *Service) SaveCategory(ctx context.Context, venueID, userID, id int64, name string) (int64, error) {
	return s.Store.SaveCategory(ctx, venueID, userID, id, name)
}

// CatalogueService loads one of the venue's services.
func (s *Service) CatalogueService(ctx context.Context, venueID, id int64) (salon.Service, error) {
	return s.Store.Service(ctx, venueID, id)
}

// SaveService creates (id 0) or updates a service with its performers.
func (s *Service) SaveService(ctx context.Context, venueID, userID, id int64, in salon.ServiceInput) (int64, error) {
	return s.Store.SaveService(ctx, venueID, userID, id, in)
}

// SetServiceArchived archives or restores a service.
func (s *Service) SetServiceArchived(ctx context.Context, venueID, userID, id int64, archived bool) error {
	return s.Store.SetServiceArchived(ctx, venueID, userID, id, archived)
}

// OnlineChoices are what the public booking page offers: the active team and the
// services clients may book online (salon.OnlineServices).
func (s *Service) OnlineChoices(ctx context.Context, venueID int64) (BookingChoices, error) {
	ch, err := s.BookingChoices(ctx, venueID)
	ch.Services = salon.OnlineServices(ch.Services)
	return ch, err
}
