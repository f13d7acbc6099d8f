package salon

import (
	"fmt"
	"strings"
)

// PackageInput is a package as its form gives it: a name, 2–10 services, one price.
type PackageInput struct {
	Name       string
	PriceMinor int64
	ServiceIDs []int64
}

// Validate checks a package; servicesFound says every chosen service is one of the
// venue's live (not archived) services.
func (in PackageInput) Validate(servicesFound bool) error {
	errs := map[string]string{}
	if m := CheckCatalogueName(in.Name); m != "" {
		errs["name"] = m
	}
	if in.PriceMinor < 0 || in.PriceMinor > MaxCataloguePrice {
		errs["price"] = MsgCataloguePrice
	}
	if n := len(DistinctIDs(in.ServiceIDs)); n < MinPackageServices || n > MaxPackageServices || !servicesFound {
		errs["services"] = MsgPackageServices
	}
	if len(errs) > 0 {
		return Invalid(errs)
	}
	return nil
}

// OnlinePackages are the packages the booking page offers: not archived, with every
// service of theirs on offer online (salon.OnlineServices of all).
func OnlinePackages(pkgs []Package, all []Service) []Package {
	online := map[int64]bool{}
	for _, sv := range OnlineServices(all) {
		online[sv.ID] = true
	}
	var out []Package
	for _, p := range pkgs {
		ok := !p.Archived && len(p.ServiceIDs) > 0
		for _, id := range p.ServiceIDs {
			ok = ok && online[id]
		}
		if ok {
			out = append(out, p)
		}
	}
	return out
}

// PackageFor is the package of a choice among pkgs (zero when none or not found).
func PackageFor(pkgs []Package, ch ServiceChoice) Package {
	for _, p := range pkgs {
		if ch.PackageID != 0 && p.ID == ch.PackageID {
			return p
		}
	}
	return Package{}
}

// PackageLine is a package as Review lists it: "Colour & Cut day (Full Colour, Cut)".
func PackageLine(p Package, all []Service) ChoiceLine {
	l := ChoiceLine{PriceMinor: p.PriceMinor}
	var names []string
	for _, id := range p.ServiceIDs {
		for _, sv := range all {
			if sv.ID == id {
				names = append(names, sv.Name)
				l.Minutes += sv.DurationMin
			}
		}
	}
	l.Label = fmt.Sprintf("%s (%s)", p.Name, strings.Join(names, ", "))
	return l
}

// LivePackages are the packages staff may book: not archived, with every service of
// theirs among live (not archived) services.
func LivePackages(pkgs []Package, live []Service) []Package {
	ok := map[int64]bool{}
	for _, sv := range live {
		ok[sv.ID] = !sv.Archived
	}
	var out []Package
	for _, p := range pkgs {
		keep := !p.Archived && len(p.ServiceIDs) > 0
		for _, id := range p.ServiceIDs {
			keep = keep && ok[id]
		}
		if keep {
			out = append(out, p)
		}
	}
	return out
}
