package salon

import (
	"math"
	"sort"
	"time"
)

// Client Reconnect: each client's own rhythm per service category, and who is
// overdue for it.

// MinRhythmVisits is how many completed appointments in a category make a rhythm.
const MinRhythmVisits = 3

// DefaultGracePct is how far past their usual interval a client may go before they
// count as overdue, by default.
const DefaultGracePct = 20

// ReconnectHorizon bounds overdue: a client whose last visit in the category is older
// than this is lapsed, not overdue.
const ReconnectHorizon = 365 * 24 * time.Hour

// Rhythm is a client's usual interval in one category: the median gap in days between
// their completed visits in it (any order). ok is false under MinRhythmVisits.
func Rhythm(visits []time.Time) (intervalDays float64, last time.Time, ok bool) {
	if len(visits) < MinRhythmVisits {
		return 0, time.Time{}, false
	}
	vs := append([]time.Time(nil), visits...)
	sort.Slice(vs, func(i, j int) bool { return vs[i].Before(vs[j]) })
	gaps := make([]float64, 0, len(vs)-1)
	for i := 1; i < len(vs); i++ {
		gaps = append(gaps, vs[i].Sub(vs[i-1]).Hours()/24)
	}
	return median(gaps), vs[len(vs)-1], true
}

// DueAfterDays is the number of days after the last visit from which a client with
// this interval is overdue: interval × (1 + grace).
func DueAfterDays(intervalDays float64, gracePct int) float64 {
	return intervalDays * (1 + float64(gracePct)/100)
}

// Overdue reports whether a client with this rhythm is overdue now: no future booking
// in the category, more days since the last visit than DueAfterDays, and that last
// visit within the horizon. A 42-day client with 20% grace is overdue after 50.4 days.
func Overdue(intervalDays float64, last time.Time, hasFuture bool, gracePct int, now time.Time) bool {
	if hasFuture || intervalDays <= 0 || now.Sub(last) > ReconnectHorizon {
		return false
	}
	return now.Sub(last).Hours()/24 > DueAfterDays(intervalDays, gracePct)
}

// DaysOverdue is how many whole days past due the client is (0 when not yet due).
func DaysOverdue(intervalDays float64, last time.Time, gracePct int, now time.Time) int {
	d := now.Sub(last).Hours()/24 - DueAfterDays(intervalDays, gracePct)
	return int(math.Max(0, math.Floor(d)))
}
