package salon

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// Variant is an option of a service that changes its time and price ("Long hair":
// +30 min, +A$20), chosen on the online booking page.
type Variant struct {
	ID              int64
	ServiceID       int64
	Name            string
	ExtraMin        int
	ExtraPriceMinor int64
	Archived        bool
}

// MsgVariantUnavailable refuses a booking whose chosen option is not one of its
// service's live ones.
const MsgVariantUnavailable = "One of the chosen options is not available."

// VariantInput is a variant as the service page's form gives it.
type VariantInput struct {
	Name            string
	ExtraMin        int
	ExtraPriceMinor int64
}

// Validate checks a variant; the error is Invalid keyed by the form's fields.
func (in VariantInput) Validate() error {
	errs := map[string]string{}
	if m := CheckCatalogueName(in.Name); m != "" {
		errs["variant_name"] = m
	}
	if in.ExtraMin < 0 || in.ExtraMin > MaxVariantMinutes {
		errs["extra_min"] = MsgVariantMinutes
	}
	if in.ExtraPriceMinor < 0 || in.ExtraPriceMinor > MaxVariantPrice {
		errs["extra_price"] = MsgVariantPrice
	}
	if len(errs) > 0 {
		return Invalid(errs)
	}
	return nil
}

// LiveVariant is the service's variant of that id when it may still be chosen.
func (sv Service) LiveVariant(id int64) (Variant, bool) {
	for _, v := range sv.Variants {
		if v.ID == id && !v.Archived {
			return v, true
		}
	}
	return Variant{}, false
}

// LiveVariants are the service's variants that may still be chosen.
func (sv Service) LiveVariants() []Variant {
	var out []Variant
	for _, v := range sv.Variants {
		if !v.Archived {
			out = append(out, v)
		}
	}
	return out
}

// ServiceChoice is what a client picks on the booking page: services, the option
// (variant) chosen for some of them, and perhaps a package.
type ServiceChoice struct {
	ServiceIDs []int64
	Variants   map[int64]int64 // service id → variant id
	PackageID  int64
}

// Empty reports a choice with nothing in it.
func (ch ServiceChoice) Empty() bool { return len(ch.ServiceIDs) == 0 && ch.PackageID == 0 }

// Label names a chosen service with its option: "Women's Cut (Long hair)".
func (ch ServiceChoice) Label(sv Service) string {
	// Named even when archived since: a draft or card still says what was chosen.
	for _, v := range sv.Variants {
		if id := ch.Variants[sv.ID]; id != 0 && v.ID == id {
			return sv.Name + " (" + v.Name + ")"
		}
	}
	return sv.Name
}

// FormatVariants writes chosen variants as "service:variant,…" (sorted), the form the
// booking page and drafts carry them in.
func FormatVariants(m map[int64]int64) string {
	var parts []string
	for s, v := range m {
		if v != 0 {
			parts = append(parts, strconv.FormatInt(s, 10)+":"+strconv.FormatInt(v, 10))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// ParseVariants reads "service:variant,…"; malformed pairs are skipped.
func ParseVariants(s string) map[int64]int64 {
	out := map[int64]int64{}
	for _, p := range strings.Split(s, ",") {
		a, b, ok := strings.Cut(p, ":")
		sid, err1 := strconv.ParseInt(a, 10, 64)
		vid, err2 := strconv.ParseInt(b, 10, 64)
		if ok && err1 == nil && err2 == nil && sid > 0 && vid > 0 {
			out[sid] = vid
		}
	}
	return out
}

// ChoicePlan is ServicePlan for a whole choice: each service's time with its buffer
// and its chosen option's extra time.
// A package (pkg, zero when none) adds its services: whoever does it performs them all.
func ChoicePlan(all []Service, ch ServiceChoice, pkg Package) (dur time.Duration, canDoAll func(staffID int64) bool) {
	dur, canDoAll = ServicePlan(all, append(append([]int64{}, ch.ServiceIDs...), pkg.ServiceIDs...))
	for _, sv := range all {
		for _, id := range DistinctIDs(ch.ServiceIDs) {
			if sv.ID == id {
				// Options belong to services chosen on their own, not inside a package.
				if v, ok := sv.LiveVariant(ch.Variants[sv.ID]); ok {
					dur += time.Duration(v.ExtraMin) * time.Minute
				}
			}
		}
	}
	return dur, canDoAll
}

// ChoiceLine is one line of a choice as Review lists it.
type ChoiceLine struct {
	Label      string // "Women's Cut (Long hair)"
	Minutes    int    // the service's time with its option (buffers are not shown)
	PriceMinor int64
}

// Lines lists the chosen services still on offer (in all's order) with their options'
// time and price, and the total price.
func (ch ServiceChoice) Lines(all []Service) (lines []ChoiceLine, totalMinor int64) {
	chosen := map[int64]bool{}
	for _, id := range ch.ServiceIDs {
		chosen[id] = true
	}
	for _, sv := range all {
		if !chosen[sv.ID] {
			continue
		}
		l := ChoiceLine{Label: ch.Label(sv), Minutes: sv.DurationMin, PriceMinor: sv.PriceMinor}
		if v, ok := sv.LiveVariant(ch.Variants[sv.ID]); ok {
			l.Minutes += v.ExtraMin
			l.PriceMinor += v.ExtraPriceMinor
		}
		lines = append(lines, l)
		totalMinor += l.PriceMinor
	}
	return lines, totalMinor
}
