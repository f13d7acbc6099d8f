package salon

import (
	"math"
	"sort"
	"time"
)

// Backfill ranking: which eligible clients are most likely to take one open slot.
// No language model: six factors, each in [0, 1], weighted to a 0–100 score.

// Factor weights, summing to 1.
const (
	WeightCadence  = 0.35
	WeightService  = 0.20
	WeightWeekday  = 0.15
	WeightTimeBand = 0.10
	WeightProvider = 0.10
	WeightLeadTime = 0.10
)

// MinBackfillVisits is the eligibility floor: completed visits in the last 12 months,
// and lifetime.
const MinBackfillVisits = 3

// MaxOfferRecipients is how many ranked clients one gap offer may go to.
const MaxOfferRecipients = 5

// Band is a ranking's confidence: high (70+), medium (40–69) or low (<40).
func Band(score int) string {
	switch {
	case score >= 70:
		return "high"
	case score >= 40:
		return "medium"
	}
	return "low"
}

// TimeBand is the part of the day an appointment starts in (venue time): morning
// before 12:00, afternoon 12:00–17:00, evening from 17:00.
func TimeBand(t time.Time) int {
	switch h := t.Hour(); {
	case h < 12:
		return 0
	case h < 17:
		return 1
	}
	return 2
}

// TimeBandNames names the bands, by TimeBand.
var TimeBandNames = [3]string{"morning", "afternoon", "evening"}

// Visit is one completed booking, as the profile needs it.
type Visit struct {
	Start, End time.Time // venue-local times
	Created    time.Time
	StaffID    int64
	ServiceIDs []int64
}

// Profile is a client's booking rhythm over their completed visits of the last 12
// months (kept on the client by every booking write; see store).
type Profile struct {
	Visits       int           // completed visits counted
	IntervalDays float64       // median days between consecutive visits (0: fewer than 2)
	UsualMinutes int           // median appointment length
	LeadHours    float64       // median hours between booking and appointment
	Weekdays     [7]int        // visits per weekday (time.Weekday index)
	Bands        [3]int        // visits per TimeBand
	Staff        map[int64]int // visits per staff member
	Services     map[int64]int // visits that included each service
	LastVisit    time.Time     // the latest visit's start
}

// BuildProfile works out a profile from completed visits (any order).
func BuildProfile(visits []Visit) Profile {
	p := Profile{Visits: len(visits), Staff: map[int64]int{}, Services: map[int64]int{}}
	if len(visits) == 0 {
		return p
	}
	vs := append([]Visit(nil), visits...)
	sort.Slice(vs, func(i, j int) bool { return vs[i].Start.Before(vs[j].Start) })
	var gaps, mins, leads []float64
	for i, v := range vs {
		if i > 0 {
			gaps = append(gaps, v.Start.Sub(vs[i-1].Start).Hours()/24)
		}
		mins = append(mins, v.End.Sub(v.Start).Minutes())
		lead := v.Start.Sub(v.Created).Hours()
		if lead < 0 {
			lead = 0
		}
		leads = append(leads, lead)
		p.Weekdays[v.Start.Weekday()]++
		p.Bands[TimeBand(v.Start)]++
		p.Staff[v.StaffID]++
		seen := map[int64]bool{}
		for _, s := range v.ServiceIDs {
			if !seen[s] {
				p.Services[s]++
				seen[s] = true
			}
		}
	}
	p.IntervalDays = median(gaps)
	p.UsualMinutes = int(math.Round(median(mins)))
	p.LeadHours = median(leads)
	p.LastVisit = vs[len(vs)-1].Start
	return p
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// GapOffer is the slot being ranked for: who, when, how long, and which services
// could fill it (the offer's service, or everything the staff member performs).
type GapOffer struct {
	StaffID    int64
	Start, End time.Time // venue-local
	ServiceIDs []int64
	Now        time.Time
}

// Factors is a client's per-factor breakdown for one gap, each in [0, 1].
type Factors struct {
	Cadence, Service, Weekday, TimeBand, Provider, LeadTime float64
}

// Score is the weighted total, 0–100, rounded to a whole number.
func (f Factors) Score() int {
	s := WeightCadence*f.Cadence + WeightService*f.Service + WeightWeekday*f.Weekday +
		WeightTimeBand*f.TimeBand + WeightProvider*f.Provider + WeightLeadTime*f.LeadTime
	return int(math.Round(100 * s))
}

// ScoreGap works out the six ranking factors for one client and one gap.
//
// Cadence proximity: r = (days from the last visit to the gap) / (usual interval).
// 1 when r ≥ 5/6 (due, or overdue); 0 when r ≤ 1/2 (far too early); linear between.
// A 42-day client scores 1 from day 35 on, 0.5 at day 28, 0 at day 21 or earlier.
//
// Service fit: how regularly the client books the gap's best-matching service (the
// share of their visits that included it, the highest over the gap's services), if the
// gap is at least as long as their usual appointment; 0 if it is shorter (their usual
// booking would not fit).
//
// Weekday preference: visits on the gap's weekday / visits on their most-booked
// weekday (1 on their favourite day, partial credit by share, 0 on a day never booked).
//
// Time band: the same, for morning / afternoon / evening.
//
// Provider affinity: 1 − 0.5^n for n earlier visits with the gap's staff member:
// 0 for none, 0.5 for one, 0.75 for two, 0.875 for three, towards 1.
//
// Lead-time fit: L hours from now to the gap against the client's median lead time U:
// min(1, L / U), with U at least 1 hour (someone who books a week ahead scores 1/7 on a
// same-day gap a day out; a walk-in client scores 1 on everything).
func ScoreGap(p Profile, g GapOffer) Factors {
	var f Factors
	if p.Visits == 0 {
		return f
	}
	if p.IntervalDays > 0 {
		r := g.Start.Sub(p.LastVisit).Hours() / 24 / p.IntervalDays
		f.Cadence = clamp01((r - 0.5) / (5.0/6 - 0.5))
	}
	fits := 0 // visits that included the gap's best-matching service
	for _, s := range g.ServiceIDs {
		fits = max(fits, p.Services[s])
	}
	if g.End.Sub(g.Start).Minutes() >= float64(p.UsualMinutes) {
		f.Service = float64(fits) / float64(p.Visits)
	}
	f.Weekday = shareOfTop(p.Weekdays[:], int(g.Start.Weekday()))
	f.TimeBand = shareOfTop(p.Bands[:], TimeBand(g.Start))
	f.Provider = 1 - math.Pow(0.5, float64(p.Staff[g.StaffID]))
	usual := math.Max(p.LeadHours, 1)
	f.LeadTime = clamp01(g.Start.Sub(g.Now).Hours() / usual)
	return f
}

func shareOfTop(counts []int, i int) float64 {
	top := 0
	for _, c := range counts {
		top = max(top, c)
	}
	if top == 0 {
		return 0
	}
	return float64(counts[i]) / float64(top)
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// Candidate is one ranked client for a gap.
type Candidate struct {
	ClientID   int64
	ExternalID string
	FirstName  string
	LastName   string
	Contact    string
	Factors    Factors
	Score      int
	Band       string
	LastVisit  time.Time
	Interval   float64
}

// RankCandidates sorts by score (highest first), ties by client id (lowest first),
// and keeps the top n.
func RankCandidates(cs []Candidate, n int) []Candidate {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].Score != cs[j].Score {
			return cs[i].Score > cs[j].Score
		}
		return cs[i].ClientID < cs[j].ClientID
	})
	if len(cs) > n {
		cs = cs[:n]
	}
	return cs
}
