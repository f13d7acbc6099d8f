package salon

import (
	"sort"
	"time"
)

// Interval is a span of time [Start, End).
type Interval struct{ Start, End time.Time }

// Gap is a free interval in one staff member's working hours: long enough for the
// shortest service they perform.
type Gap struct {
	StaffID   int64
	StaffName string
	Start     time.Time
	End       time.Time
}

// Duration is the gap's length.
func (g Gap) Duration() time.Duration { return g.End.Sub(g.Start) }

// GapSlot is the granularity gaps start on: a gap that opens at 10:07 (because "now"
// is 10:07) starts at 10:15.
const GapSlot = 15 * time.Minute

// FindGaps returns the gaps between from and to, in start order (then staff name):
// for each day and each staff member working that weekday, their hours minus their
// bookings (busy), kept when at least minDur[staff] long. Staff with no minimum (they
// perform no service) have no gaps. Days are venue days in loc.
func FindGaps(staff []StaffMember, busy map[int64][]Interval, minDur map[int64]time.Duration, from, to time.Time, loc *time.Location) []Gap {
	var out []Gap
	fl := from.In(loc)
	for day := time.Date(fl.Year(), fl.Month(), fl.Day(), 0, 0, 0, 0, loc); day.Before(to); day = day.AddDate(0, 0, 1) {
		for _, st := range staff {
			need, ok := minDur[st.ID]
			if !ok || need <= 0 || !st.Active {
				continue
			}
			for _, h := range st.Hours {
				if h.Weekday != day.Weekday() {
					continue
				}
				open := day.Add(time.Duration(h.Start) * time.Minute)
				close := day.Add(time.Duration(h.End) * time.Minute)
				if open.Before(from) {
					open = ceilTo(from, GapSlot, loc)
				}
				if close.After(to) {
					close = to
				}
				out = append(out, freeWithin(st, open, close, busy[st.ID], need)...)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].StaffName < out[j].StaffName
	})
	return out
}

// freeWithin subtracts busy intervals from [open, close) and keeps pieces ≥ need.
func freeWithin(st StaffMember, open, close time.Time, busy []Interval, need time.Duration) []Gap {
	if !open.Before(close) {
		return nil
	}
	sorted := append([]Interval(nil), busy...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Start.Before(sorted[j].Start) })
	var out []Gap
	cur := open
	for _, b := range sorted {
		if !b.End.After(cur) || !b.Start.Before(close) {
			continue
		}
		if b.Start.Sub(cur) >= need {
			out = append(out, Gap{StaffID: st.ID, StaffName: st.Name, Start: cur, End: b.Start})
		}
		if b.End.After(cur) {
			cur = b.End
		}
	}
	if close.Sub(cur) >= need {
		out = append(out, Gap{StaffID: st.ID, StaffName: st.Name, Start: cur, End: close})
	}
	return out
}

// ceilTo rounds t up to the next multiple of step after local midnight.
func ceilTo(t time.Time, step time.Duration, loc *time.Location) time.Time {
	l := t.In(loc)
	mid := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	since := l.Sub(mid)
	if r := since % step; r != 0 {
		since += step - r
	}
	return mid.Add(since)
}
