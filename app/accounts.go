package app

import (
	"context"
	"errors"

	"concierge/salon"
	"concierge/store"
)

// Staff accounts: sign-in, server-side sessions, the first-run setup and password
// changes. The throttle on guesses and the cookies stay with the web layer; what is
// decided and stored is here.

// Session is a live sign-in.
type Session = store.Session

// ErrAlreadySetUp is the first-run page's refusal once any venue exists.
var ErrAlreadySetUp = store.ErrAlreadySetUp

// Authenticate checks an email and password; a wrong pair is salon.ErrNotFound.
func (s *Service) Authenticate(ctx context.Context, email, password string) (salon.User, error) {
	return s.Store.Authenticate(ctx, email, password)
}

// StartSession records a sign-in and returns the token for the cookie.
func (s *Service) StartSession(ctx context.Context, userID int64, userAgent string) (string, error) {
	return s.Store.CreateSession(ctx, userID, userAgent)
}

// EndSession ends the session of a token (Sign out).
func (s *Service) EndSession(ctx context.Context, token string) error {
	return s.Store.DeleteSession(ctx, token)
}

// LiveSession returns the live session of a cookie token (idle time slid, expired
// sessions ended).
func (s *Service) LiveSession(ctx context.Context, token string) (Session, error) {
	return s.Store.SessionByToken(ctx, token)
}

// SignedInUser loads the user of a session.
func (s *Service) SignedInUser(ctx context.Context, id int64) (salon.User, error) {
	return s.Store.User(ctx, id)
}

// VenueMember loads the venue of a slug and the user's membership of it. A venue the
// user does not belong to is salon.ErrNotFound, exactly like one that does not exist.
func (s *Service) VenueMember(ctx context.Context, userID int64, slug string) (salon.Venue, salon.Membership, error) {
	v, err := s.Store.VenueBySlug(ctx, slug)
	if err != nil {
		return salon.Venue{}, salon.Membership{}, salon.ErrNotFound
	}
	m, err := s.Store.Membership(ctx, userID, v.ID)
	if err != nil {
		return salon.Venue{}, salon.Membership{}, salon.ErrNotFound
	}
	return v, m, nil
}

// HasVenue reports whether the install has a venue (a new one shows the first-run page).
func (s *Service) HasVenue(ctx context.Context) (bool, error) { return s.Store.HasVenue(ctx) }

// FirstVenue is what the first-run page asks for.
type FirstVenue struct {
	Slug, Name, TimeZone                 string
	Country                              salon.Country
	OwnerName, OwnerEmail, OwnerPassword string
	PublicURL                            string // asked for when PUBLIC_URL is not set (AsksPublicAddress)
}

// SetUp creates the install's first venue and its Owner, once (ErrAlreadySetUp after).
func (s *Service) SetUp(ctx context.Context, f FirstVenue) (salon.Venue, salon.User, error) {
	nv := salon.NewVenue{Slug: f.Slug, Name: f.Name, Country: f.Country, TimeZone: f.TimeZone}
	owner := salon.NewUser{Name: f.OwnerName, Email: f.OwnerEmail, Password: f.OwnerPassword, Role: salon.Owner}
	errs := salon.FirstVenueErrors(nv, owner)
	if s.AsksPublicAddress() {
		if _, err := salon.ParsePublicURL(f.PublicURL); err != nil {
			if errs == nil {
				errs = map[string]string{}
			}
			errs["public_url"] = err.Error()
		}
	}
	if len(errs) > 0 {
		return salon.Venue{}, salon.User{}, salon.Invalid(errs)
	}
	v, u, err := s.Store.CreateFirstVenue(ctx, nv, owner)
	if err != nil || !s.AsksPublicAddress() {
		return v, u, err
	}
	_, err = s.savePublicAddress(ctx, v.ID, u.ID, f.PublicURL)
	return v, u, err
}

// SessionCount is how many browsers the user is signed in on.
func (s *Service) SessionCount(ctx context.Context, userID int64) (int, error) {
	return s.Store.SessionCount(ctx, userID)
}

// ChangePassword checks the current password, sets the new one and ends the user's
// other sessions (keepSessionID stays signed in).
func (s *Service) ChangePassword(ctx context.Context, userID, keepSessionID int64, current, next string) error {
	return s.Store.ChangePassword(ctx, userID, keepSessionID, current, next)
}

// SignOutElsewhere ends the user's sessions except keepSessionID (0 keeps none).
func (s *Service) SignOutElsewhere(ctx context.Context, userID, keepSessionID int64) error {
	_, err := s.Store.EndUserSessions(ctx, userID, keepSessionID)
	return err
}

// SignOutMember ends every session of a member of the venue (keep: the caller's own,
// when they sign themselves out elsewhere). Someone who is not a member is not found.
func (s *Service) SignOutMember(ctx context.Context, venueID, userID, keepSessionID int64) error {
	if _, err := s.Store.Membership(ctx, userID, venueID); err != nil {
		if errors.Is(err, salon.ErrNotFound) {
			return salon.ErrNotFound
		}
		return err
	}
	return s.SignOutElsewhere(ctx, userID, keepSessionID)
}

// Ready reports whether the database answers (the health check).
func (s *Service) Ready(ctx context.Context) error { return s.Store.DB().PingContext(ctx) }
