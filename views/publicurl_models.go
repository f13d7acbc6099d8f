package views

// PublicAddressVM is the Settings card about where clients' links point.
type PublicAddressVM struct {
	URL      string // the address in force; "" when none
	Source   string // PUBLIC_URL, saved, demo or ""
	Problem  string // why links cannot use it; "" when they can
	Editable bool   // the Owner may change it here (PUBLIC_URL is not set)
	CanEdit  bool   // the viewer is the Owner
	Value    string // the form's value
	Err      string // beside the field
}
