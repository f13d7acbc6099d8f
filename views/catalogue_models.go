package views

// CatalogueVM is Settings → Catalogue: categories and services. CanEdit is the
// Owner's; Managers see the same lists without forms.
type CatalogueVM struct {
	CanEdit     bool
	Categories  []CategoryRowVM
	NewCategory string      // the new-category field, kept after a refusal
	Errors      FieldErrors // "name" (new category) or "category_<id>" (a rename)
	Services    []ServiceRowVM
	Packages    []PackageRowVM
}

// PackageRowVM is one package in the list.
type PackageRowVM struct {
	ID       int64
	Name     string
	Price    string
	Services string // "Full Colour, Cut"
	Archived bool
}

// PackageFormVM is the page of one package (new or existing).
type PackageFormVM struct {
	CanEdit  bool
	ID       int64
	Name     string
	Price    string
	Currency string
	Archived bool
	Services []ServiceOption // the venue's live services; Checked: in the package
	Errors   FieldErrors
}

// CategoryRowVM is one category in the list.
type CategoryRowVM struct {
	ID       int64
	Name     string
	Services int
}

// ServiceRowVM is one service in the list.
type ServiceRowVM struct {
	ID         int64
	Name       string
	Category   string
	Time       string // "60 min + 10 min buffer"
	Price      string
	Online     bool
	Archived   bool
	Performers string // "Mia, Zoe" or "Nobody yet"
}

// ServiceFormVM is the page of one service (new or existing).
type ServiceFormVM struct {
	CanEdit    bool
	ID         int64 // 0: a new service
	Name       string
	CategoryID string
	Duration   string
	Buffer     string
	Price      string
	Currency   string
	Online     bool
	Archived   bool
	Categories []Option
	Staff      []StaffChoice
	Errors     FieldErrors
	// The service's options (variants) and the form adding one.
	Variants   []VariantRowVM
	NewVariant VariantFormVM
}

// VariantRowVM is one option of a service.
type VariantRowVM struct {
	ID       int64
	Name     string
	Extra    string // "+30 min · +A$20.00"
	Archived bool
}

// VariantFormVM is the add-an-option form, kept after a refusal.
type VariantFormVM struct {
	Name, ExtraMin, ExtraPrice string
	Errors                     FieldErrors
}

// StaffChoice is one team member in a performers list.
type StaffChoice struct {
	ID      int64
	Name    string
	Checked bool
	Active  bool
}

// PublicVenueVM is the venue as its public pages show it (booking page, flash deals).
type PublicVenueVM struct {
	Name     string
	LogoURL  string // "" without a logo
	Address  string
	Phone    string // as dialled: +61298765432
	PhoneTel string // tel: link
	Intro    string
	Policy   string // the cancellation window in a sentence
}

// ProfileFormVM is Settings → Venue profile.
type ProfileFormVM struct {
	CanEdit      bool
	Address      string
	Phone        string
	Intro        string
	CancelWindow string
	LogoURL      string
	Errors       FieldErrors
	Public       PublicVenueVM // the preview of the public header
}
