package salon

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The catalogue: categories, services (duration, price, buffer, online flag,
// performers), their variants and packages. The Owner edits it; Managers read it.
//
// Limits: names 1–80 characters; a service lasts 5–720 minutes with a buffer of
// 0–240; prices 0–100,000.00 in the venue's currency; a variant adds 0–240 minutes
// and 0–10,000.00; a package bundles 2–10 services.
const (
	MaxCatalogueName   = 80
	MinServiceMinutes  = 5
	MaxServiceMinutes  = 720
	MaxBufferMinutes   = 240
	MaxCataloguePrice  = 100_000_00
	MaxVariantMinutes  = 240
	MaxVariantPrice    = 10_000_00
	MinPackageServices = 2
	MaxPackageServices = 10
)

// The catalogue forms' field messages.
const (
	MsgCatalogueName    = "Name is required (at most 80 characters)."
	MsgChooseCategory   = "Choose a category."
	MsgServiceDuration  = "Duration: a whole number of minutes from 5 to 720."
	MsgServiceBuffer    = "Buffer: a whole number of minutes from 0 to 240."
	MsgCataloguePrice   = "Enter a price like 95.00 (at most 100,000)."
	MsgVariantMinutes   = "Extra time: a whole number of minutes from 0 to 240."
	MsgVariantPrice     = "Enter an extra price like 20.00 (at most 10,000)."
	MsgPackageServices  = "Choose 2 to 10 services."
	MsgPerformersOnline = "Choose who performs it: nobody can book it online until someone does."
)

// CheckCatalogueName is the rule for a category's, service's, variant's or package's
// name: not blank, at most MaxCatalogueName characters. "" when it will do.
func CheckCatalogueName(name string) string {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > MaxCatalogueName {
		return MsgCatalogueName
	}
	return ""
}

// ServiceInput is a service as the catalogue form gives it. The handler parses the
// numbers; a field it could not parse arrives in Unparsed with its message.
type ServiceInput struct {
	Name           string
	CategoryID     int64
	DurationMin    int
	BufferMin      int
	PriceMinor     int64
	OnlineBookable bool
	StaffIDs       []int64 // who performs it
}

// ServiceRecords is what the venue's rows say of a service input's references.
type ServiceRecords struct {
	CategoryFound bool // the category is the venue's
	StaffFound    bool // every performer is one of the venue's team
}

// Validate checks a service input; the error is Invalid with every problem keyed by
// its form field.
func (in ServiceInput) Validate(r ServiceRecords) error {
	errs := map[string]string{}
	if m := CheckCatalogueName(in.Name); m != "" {
		errs["name"] = m
	}
	if !r.CategoryFound {
		errs["category_id"] = MsgChooseCategory
	}
	if in.DurationMin < MinServiceMinutes || in.DurationMin > MaxServiceMinutes {
		errs["duration_min"] = MsgServiceDuration
	}
	if in.BufferMin < 0 || in.BufferMin > MaxBufferMinutes {
		errs["buffer_min"] = MsgServiceBuffer
	}
	if in.PriceMinor < 0 || in.PriceMinor > MaxCataloguePrice {
		errs["price"] = MsgCataloguePrice
	}
	if !r.StaffFound {
		errs["staff"] = MsgChooseTeamMember
	}
	if len(errs) > 0 {
		return Invalid(errs)
	}
	return nil
}

// OnlineServices are the services the public booking page offers: not archived,
// bookable online, and performed by someone.
func OnlineServices(all []Service) []Service {
	var out []Service
	for _, sv := range all {
		if !sv.Archived && sv.OnlineBookable && len(sv.StaffIDs) > 0 {
			out = append(out, sv)
		}
	}
	return out
}

// FormatPriceInput renders minor units for a price field: 9500 → "95.00".
func FormatPriceInput(minor int64) string { return fmt.Sprintf("%d.%02d", minor/100, minor%100) }
