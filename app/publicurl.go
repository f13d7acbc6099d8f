package app

import (
	"context"
	"sync"

	"concierge/salon"
	"concierge/store"
)

// PublicAddress is where clients' links point (see salon/publicurl.go): PUBLIC_URL
// when set, else the address saved on the first-run page or in Settings, else — in the
// demo only — the demo's own local address. Outside the demo a missing or local address
// gives no links at all: BookingLink then invites a reply instead, reminders with a
// resume link are not sent, and a draft with a local link is refused beside its text.
type PublicAddress struct {
	Env  string // PUBLIC_URL
	Demo string // the demo's address (http://localhost:PORT); "" outside the demo

	mu     sync.RWMutex
	stored string
}

// Load reads the saved address.
func (a *PublicAddress) Load(ctx context.Context, st *store.Store) error {
	v, err := st.Setting(ctx, "public_url")
	if err != nil {
		return err
	}
	a.mu.Lock()
	a.stored = v
	a.mu.Unlock()
	return nil
}

// PublicAddressView is what Settings shows about the address.
type PublicAddressView struct {
	URL      string // the address in force ("" when none)
	Source   string // "PUBLIC_URL", "saved", "demo" or ""
	Problem  string // why links cannot use it ("" when they can)
	Editable bool   // false when PUBLIC_URL decides
	Demo     bool
}

// View says which address is in force, where it comes from and what is wrong with it.
func (a *PublicAddress) View() PublicAddressView {
	a.mu.RLock()
	stored := a.stored
	a.mu.RUnlock()
	v := PublicAddressView{Editable: a.Env == "", Demo: a.Demo != ""}
	switch {
	case a.Env != "":
		v.URL, v.Source = a.Env, "PUBLIC_URL"
	case stored != "":
		v.URL, v.Source = stored, "saved"
	case a.Demo != "":
		v.URL, v.Source = a.Demo, "demo"
	}
	if a.Demo == "" { // the demo keeps its local links, and says so in Settings
		v.Problem = salon.PublicURLProblem(v.URL)
	}
	return v
}

// linkBase is the address links are built on: "" when links must be left out.
func (a *PublicAddress) linkBase() string {
	v := a.View()
	if v.Problem != "" {
		return ""
	}
	return v.URL
}

// publicURL is the base of every link in a message to a client. A Service built
// without an Address (tests) uses PublicURL as it is.
func (s *Service) publicURL() string {
	if s.Address != nil {
		return s.Address.linkBase()
	}
	return s.PublicURL
}

// PublicURLNow is publicURL for the handlers (previews, a deal's link).
func (s *Service) PublicURLNow() string { return s.publicURL() }

// PublicAddressView is what Settings shows; zero when the Service has no Address.
func (s *Service) PublicAddressView() PublicAddressView {
	if s.Address == nil {
		return PublicAddressView{URL: s.PublicURL, Source: "PUBLIC_URL", Problem: salon.PublicURLProblem(s.PublicURL)}
	}
	return s.Address.View()
}

// SetPublicAddress saves the address typed in Settings (Owner only; refused while
// PUBLIC_URL decides). Errors are keyed public_url, for beside the field.
func (s *Service) SetPublicAddress(ctx context.Context, w Who, raw string) (string, error) {
	if w.Member.Role != salon.Owner {
		return "", salon.ErrForbidden
	}
	if s.Address == nil || s.Address.Env != "" {
		return "", salon.Invalid(map[string]string{"public_url": "PUBLIC_URL is set on the server and decides the address; change it there."})
	}
	return s.savePublicAddress(ctx, w.Venue.ID, w.User.ID, raw)
}

func (s *Service) savePublicAddress(ctx context.Context, venueID, actorID int64, raw string) (string, error) {
	u, err := salon.ParsePublicURL(raw)
	if err != nil {
		return "", salon.Invalid(map[string]string{"public_url": err.Error()})
	}
	if err := s.Store.SaveSetting(ctx, venueID, actorID, "public_url", u); err != nil {
		return "", err
	}
	s.Address.mu.Lock()
	s.Address.stored = u
	s.Address.mu.Unlock()
	return u, nil
}

// AsksPublicAddress says whether the first-run page asks for the address: when
// PUBLIC_URL is not set.
func (s *Service) AsksPublicAddress() bool { return s.Address != nil && s.Address.Env == "" }

// localLinkErr refuses a message body with a link that would not open on a client's
// phone (outside the demo); the error is keyed "body", for beside the draft.
func (s *Service) localLinkErr(body string) error {
	if s.Address == nil || s.Address.Demo != "" {
		return nil
	}
	if l := salon.LocalLink(body); l != "" {
		return salon.Invalid(map[string]string{"body": salon.LocalLinkError(l)})
	}
	return nil
}

// LinksWithheld says why messages go without links right now ("" when they carry them):
// outside the demo, with no usable public address.
func (s *Service) LinksWithheld() string {
	if s.Address == nil || s.Address.linkBase() != "" {
		return ""
	}
	return s.Address.View().Problem
}
