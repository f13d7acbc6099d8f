package salon

import (
	"sort"
	"time"
)

// HorizonDays is how far ahead the product plans: open gaps to fill (backfill, flash
// deals, the Follow-ups panel) and the days online booking offers.
const HorizonDays = 14

// GapHorizon is HorizonDays as a duration from now: gaps are looked for up to it.
const GapHorizon = HorizonDays * 24 * time.Hour

// Online booking's window: clients book from an hour from now to the end of the
// HorizonDays-th venue day (today included).
const (
	OnlineBookDays = HorizonDays
	OnlineLeadTime = time.Hour
)

// Slot is a bookable start time with the team member who would do it.
type Slot struct {
	Start     time.Time
	StaffID   int64
	StaffName string
}

// OnlineWindow is when an online booking may start: not before now plus the lead time,
// and before local midnight at the end of the OnlineBookDays-th day.
func OnlineWindow(now time.Time, loc *time.Location) (notBefore, until time.Time) {
	l := now.In(loc)
	today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	return now.Add(OnlineLeadTime), today.AddDate(0, 0, OnlineBookDays)
}

// SlotQuery is one question to availability: which starts fit an appointment of
// Duration in the Gaps of team members CanDo allows, inside [NotBefore, Until). The
// page's time list (Starts) and the confirm check (Offers) both ask it, so a time is
// bookable exactly when the page would offer it.
type SlotQuery struct {
	Gaps      []Gap
	Duration  time.Duration
	CanDo     func(staffID int64) bool
	NotBefore time.Time
	Until     time.Time
}

// starts calls yield for every start the query offers in one gap: every GapSlot from
// the gap's start, the whole appointment inside the gap and the window.
func (q SlotQuery) starts(g Gap, yield func(t time.Time)) {
	if q.Duration <= 0 || q.CanDo == nil || !q.CanDo(g.StaffID) {
		return
	}
	for t := g.Start; !t.Add(q.Duration).After(g.End); t = t.Add(GapSlot) {
		if t.Before(q.NotBefore) || (!q.Until.IsZero() && !t.Before(q.Until)) {
			continue
		}
		yield(t)
	}
}

// Starts lists the offered start times. With several team members free at a time,
// the first by name takes it ("Any team member").
func (q SlotQuery) Starts() []Slot {
	byStart := map[int64]Slot{}
	for _, g := range q.Gaps {
		q.starts(g, func(t time.Time) {
			if cur, seen := byStart[t.Unix()]; !seen || g.StaffName < cur.StaffName {
				byStart[t.Unix()] = Slot{Start: t, StaffID: g.StaffID, StaffName: g.StaffName}
			}
		})
	}
	out := make([]Slot, 0, len(byStart))
	for _, s := range byStart {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// Offers reports whether start with staffID is one of the starts the query offers:
// inside that team member's free working hours, on the slot grid, inside the window,
// and with someone who performs every chosen service.
func (q SlotQuery) Offers(start time.Time, staffID int64) bool {
	found := false
	for _, g := range q.Gaps {
		if g.StaffID != staffID {
			continue
		}
		q.starts(g, func(t time.Time) { found = found || t.Equal(start) })
	}
	return found
}

// ServicePlan is what a set of chosen services needs: their total length (buffers
// included), and which team members perform all of them (staff skills).
func ServicePlan(all []Service, chosen []int64) (dur time.Duration, canDoAll func(staffID int64) bool) {
	chosen = DistinctIDs(chosen)
	can := map[int64]int{}
	for _, sv := range all {
		for _, id := range chosen {
			if sv.ID == id {
				dur += time.Duration(sv.Minutes()) * time.Minute
				for _, st := range sv.StaffIDs {
					can[st]++
				}
			}
		}
	}
	return dur, func(staffID int64) bool { return len(chosen) > 0 && can[staffID] == len(chosen) }
}
