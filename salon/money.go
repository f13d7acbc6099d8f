package salon

import (
	"fmt"
	"strconv"
	"strings"
)

// E4PerMinor converts minor units (cents) to e4 (ten-thousandths of the unit).
const E4PerMinor = 100

// FormatMinor renders minor units as "A$12.50".
func FormatMinor(c Country, minor int64) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	return fmt.Sprintf("%s%s%d.%02d", sign, c.CurrencySymbol(), minor/100, minor%100)
}

// FormatE4 renders an e4 amount rounded half up to minor units: 33981 e4 → "A$3.40".
func FormatE4(c Country, e4 int64) string { return FormatMinor(c, RoundE4ToMinor(e4)) }

// RoundE4ToMinor rounds an e4 amount to minor units, half away from zero.
func RoundE4ToMinor(e4 int64) int64 {
	if e4 < 0 {
		return -((-e4 + 50) / 100)
	}
	return (e4 + 50) / 100
}

// FormatPriceE4 renders a per-segment price with four decimals: 723 → "0.0723".
func FormatPriceE4(e4 int64) string { return fmt.Sprintf("%d.%04d", e4/10000, e4%10000) }

// ParseDecimal reads a non-negative decimal amount with at most `places` decimals
// ("12.5", "12.50", "12") into an integer scaled by 10^places. Floats are never used.
func ParseDecimal(s string, places int) (int64, error) {
	s = strings.TrimSpace(s)
	for _, sym := range []string{"NZ$", "A$", "$", "£"} {
		s = strings.TrimPrefix(s, sym)
	}
	if s == "" {
		return 0, fmt.Errorf("enter an amount")
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if hasFrac && (len(frac) == 0 || len(frac) > places) {
		return 0, fmt.Errorf("use at most %d decimal places", places)
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, fmt.Errorf("%q is not an amount", s)
			}
		}
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > 1_000_000_000 {
		return 0, fmt.Errorf("%q is too large", s)
	}
	scale := int64(1)
	for i := 0; i < places; i++ {
		scale *= 10
	}
	frac += strings.Repeat("0", places-len(frac))
	f := int64(0)
	if places > 0 {
		f, _ = strconv.ParseInt(frac, 10, 64)
	}
	return w*scale + f, nil
}
