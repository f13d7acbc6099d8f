package salon

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Sparks pay for language-model calls (SPEC §4, §10): 1 for a chat turn the model
// reads, 1 per draft, 1 per refine. Each venue has a monthly allowance, refilled at the
// start of every venue month; at zero the Concierge runs rule-based until the refill.

// DefaultSparkAllowance is a new venue's monthly allowance.
const DefaultSparkAllowance = 200

// MaxSparkAllowance is the largest monthly allowance a venue may set.
const MaxSparkAllowance = 100_000

// SparkAlertPct is the share of the month's allowance whose use sends the one in-app
// notification of the month.
const SparkAlertPct = 80

// SparkMonth is the venue month a Spark balance belongs to ("2026-11", in the venue's
// zone): the allowance refills when it changes.
func SparkMonth(now time.Time, loc *time.Location) string {
	return now.In(loc).Format("2006-01")
}

// SparkUsage is a venue's Sparks this month: the allowance and what is left of it.
type SparkUsage struct {
	Allowance, Left int64
}

// Used is how many of this month's Sparks have been spent (never below zero).
func (u SparkUsage) Used() int64 {
	return max(0, u.Allowance-u.Left)
}

// Alert reports whether SparkAlertPct of the allowance has been used.
func (u SparkUsage) Alert() bool {
	return u.Allowance > 0 && u.Used()*100 >= SparkAlertPct*u.Allowance
}

// WithAllowance is the usage after the allowance changes mid-month: what was used stays
// used, so the balance moves by the difference (never below zero).
func (u SparkUsage) WithAllowance(n int64) SparkUsage {
	return SparkUsage{Allowance: n, Left: max(0, u.Left+n-u.Allowance)}
}

// String says it as the Concierge page and the dashboard show it.
func (u SparkUsage) String() string {
	return fmt.Sprintf("%d of %d Sparks used this month", u.Used(), u.Allowance)
}

// ParseSparkAllowance reads the monthly allowance from the settings form: a whole number
// from 0 (the Concierge always runs rule-based) to MaxSparkAllowance.
func ParseSparkAllowance(typed string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(typed), 10, 64)
	if err != nil || n < 0 || n > MaxSparkAllowance {
		return 0, Invalid(map[string]string{"spark_allowance": fmt.Sprintf("Enter a whole number of Sparks from 0 to %d.", MaxSparkAllowance)})
	}
	return n, nil
}
