package salon

import (
	"sort"
	"time"
)

// Slot is a bookable start time with the team member who would do it.
type Slot struct {
	Start     time.Time
	StaffID   int64
	StaffName string
}

// BookableStarts lists the start times (every GapSlot) at which an appointment of dur
// fits inside one of the gaps of a staff member allowed by ok, from notBefore on. With
// several team members free at a time, the first by name takes it ("Any team member").
func BookableStarts(gaps []Gap, dur time.Duration, ok func(staffID int64) bool, notBefore time.Time) []Slot {
	byStart := map[int64]Slot{}
	for _, g := range gaps {
		if !ok(g.StaffID) {
			continue
		}
		for t := g.Start; !t.Add(dur).After(g.End); t = t.Add(GapSlot) {
			if t.Before(notBefore) {
				continue
			}
			if cur, seen := byStart[t.Unix()]; !seen || g.StaffName < cur.StaffName {
				byStart[t.Unix()] = Slot{Start: t, StaffID: g.StaffID, StaffName: g.StaffName}
			}
		}
	}
	out := make([]Slot, 0, len(byStart))
	for _, s := range byStart {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// ServicePlan is what a set of chosen services needs: their total length, and which
// team members can do all of them.
func ServicePlan(all []Service, chosen []int64) (dur time.Duration, canDoAll func(staffID int64) bool) {
	can := map[int64]int{}
	for _, sv := range all {
		for _, id := range chosen {
			if sv.ID == id {
				dur += time.Duration(sv.DurationMin) * time.Minute
				for _, st := range sv.StaffIDs {
					can[st]++
				}
			}
		}
	}
	return dur, func(staffID int64) bool { return len(chosen) > 0 && can[staffID] == len(chosen) }
}
