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
	Packages   []salon.Package // archived included
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
	if c.Staff, err = s.Store.StaffMembers(ctx, venueID, false); err != nil {
		return c, err
	}
	c.Packages, err = s.Store.Packages(ctx, venueID, true)
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
	ch.Packages = salon.OnlinePackages(ch.Packages, ch.Services)
	ch.Services = salon.OnlineServices(ch.Services)
	return ch, err
}

// onlinePackage is the package of a choice when the booking page offers it (zero
// otherwise: then it adds nothing and books nothing).
func (s *Service) onlinePackage(ctx context.Context, venueID int64, ch salon.ServiceChoice, services []salon.Service) (salon.Package, error) {
	if ch.PackageID == 0 {
		return salon.Package{}, nil
	}
	all, err := s.Store.Services(ctx, venueID, false)
	if err != nil {
		return salon.Package{}, err
	}
	pkgs, err := s.Store.Packages(ctx, venueID, false)
	if err != nil {
		return salon.Package{}, err
	}
	return salon.PackageFor(salon.OnlinePackages(pkgs, all), ch), nil
}

// ReviewLines are what Review lists for a choice: the package (if any) and the
// services with their options, still on offer, and the total price.
func (s *Service) ReviewLines(ctx context.Context, venueID int64, ch salon.ServiceChoice) ([]salon.ChoiceLine, int64, error) {
	all, err := s.Store.Services(ctx, venueID, false)
	if err != nil {
		return nil, 0, err
	}
	var lines []salon.ChoiceLine
	var total int64
	if ch.PackageID != 0 {
		pkgs, err := s.Store.Packages(ctx, venueID, false)
		if err != nil {
			return nil, 0, err
		}
		if p := salon.PackageFor(pkgs, ch); p.ID != 0 {
			l := salon.PackageLine(p, all)
			lines, total = append(lines, l), l.PriceMinor
		}
	}
	more, sum := ch.Lines(all)
	return append(lines, more...), total + sum, nil
}

// SavePackage creates (id 0) or updates a package.
func (s *Service) SavePackage(ctx context.Context, venueID, userID, id int64, in salon.PackageInput) (int64, error) {
	return s.Store.SavePackage(ctx, venueID, userID, id, in)
}

// CataloguePackage loads one of the venue's packages.
func (s *Service) CataloguePackage(ctx context.Context, venueID, id int64) (salon.Package, error) {
	return s.Store.Package(ctx, venueID, id)
}

// SetPackageArchived archives or restores a package.
func (s *Service) SetPackageArchived(ctx context.Context, venueID, userID, id int64, archived bool) error {
	return s.Store.SetPackageArchived(ctx, venueID, userID, id, archived)
}

// SaveVenueProfile saves the venue's public profile (address, phone, intro,
// cancellation window).
func (s *Service) SaveVenueProfile(ctx context.Context, venueID, userID int64, p salon.VenueProfile) error {
	return s.Store.SaveVenueProfile(ctx, venueID, userID, p)
}

// SetVenueLogo stores an uploaded logo after checking its type and size.
func (s *Service) SetVenueLogo(ctx context.Context, venueID, userID int64, data []byte) error {
	return s.Store.SetVenueLogo(ctx, venueID, userID, data)
}

// RemoveVenueLogo removes the venue's logo.
func (s *Service) RemoveVenueLogo(ctx context.Context, venueID, userID int64) error {
	return s.Store.RemoveVenueLogo(ctx, venueID, userID)
}

// VenueLogo is the logo of the venue with this slug, for its public pages.
func (s *Service) VenueLogo(ctx context.Context, slug string) ([]byte, string, error) {
	v, err := s.Store.VenueBySlug(ctx, slug)
	if err != nil {
		return nil, "", err
	}
	return s.Store.VenueLogo(ctx, v.ID)
}

// SaveVariant creates (id 0) or updates an option of a service.
func (s *Service) SaveVariant(ctx context.Context, venueID, userID, serviceID, id int64, in salon.VariantInput) (int64, error) {
	return s.Store.SaveVariant(ctx, venueID, userID, serviceID, id, in)
}

// SetVariantArchived archives or restores an option of a service.
func (s *Service) SetVariantArchived(ctx context.Context, venueID, userID, serviceID, id int64, archived bool) error {
	return s.Store.SetVariantArchived(ctx, venueID, userID, serviceID, id, archived)
}
