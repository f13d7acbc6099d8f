package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"concierge/salon"
	"concierge/store"
)

// Options shape one venue's generated history.
type Options struct {
	Clients int
	Years   float64
	Seed    uint64
	Now     time.Time
	// Staff is how many performers the venue has; 0 means one per 250 clients (at
	// least 6), enough chairs for everyone's rhythm with gaps left over.
	Staff int
	// LoginStaff are existing staff ids (the demo logins) used before generated ones.
	LoginStaff []int64
	// Story adds the demo's storyline: today's no-shows, birthdays this week, an inbox.
	Story bool
}

// Stats says what was generated.
type Stats struct {
	Clients, Bookings, Staff int
}

type staffPlan struct {
	ID    int64
	Skill skill
	Shift []shift
}

type clientPlan struct {
	Cadence    int
	Weekday    time.Weekday
	Band       int // 0 morning, 1 afternoon, 2 evening
	Staff      int // index into staff
	Services   []int
	LeadDays   int
	NoShowRate float64
	Joined     time.Time
	Churn      time.Time // zero: never lapses
}

// Populate generates clients and their booking history for a venue and loads them in
// one transaction. Same options, same data.
func Populate(ctx context.Context, st *store.Store, v salon.Venue, o Options) (Stats, error) {
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	loc := v.Location()
	now := o.Now.In(loc)
	if o.Staff == 0 {
		o.Staff = max(6, o.Clients/250)
	}
	staff, err := planStaff(ctx, st, v, o, rng)
	if err != nil {
		return Stats{}, err
	}
	serviceIDs, serviceStaff, err := createMenu(ctx, st, v, staff)
	if err != nil {
		return Stats{}, err
	}
	start := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, -int(o.Years*365))
	days := int(now.Sub(start).Hours()/24) + 30
	cal := newCalendar(len(staff), days)

	clients := make([]salon.Client, o.Clients)
	plans := make([]clientPlan, o.Clients)
	for i := range clients {
		clients[i], plans[i] = makeClient(i, v, o, rng, start, now, staff, serviceStaff)
	}
	var bookings []store.BulkBooking
	for i := range plans {
		bookings = append(bookings, visits(i, &plans[i], v, rng, start, now, staff, cal, serviceIDs)...)
	}
	if o.Story {
		storyToday(bookings, plans, now, rng)
	}
	ids, err := st.BulkLoad(ctx, v.ID, clients, bookings)
	if err != nil {
		return Stats{}, err
	}
	if o.Story {
		if err := storyInbox(ctx, st, v, ids, clients, now); err != nil {
			return Stats{}, err
		}
		if err := storyConfirmations(ctx, st, v, ids, clients, bookings, now); err != nil {
			return Stats{}, err
		}
	}
	return Stats{Clients: len(clients), Bookings: len(bookings), Staff: len(staff)}, nil
}

func planStaff(ctx context.Context, st *store.Store, v salon.Venue, o Options, rng *rand.Rand) ([]staffPlan, error) {
	var out []staffPlan
	for i := 0; i < o.Staff; i++ {
		var id int64
		if i < len(o.LoginStaff) {
			id = o.LoginStaff[i]
		} else {
			name := staffNames[(i-len(o.LoginStaff))%len(staffNames)]
			if n := (i - len(o.LoginStaff)) / len(staffNames); n > 0 {
				name = fmt.Sprintf("%s %d", name, n+1)
			}
			var err error
			if id, err = st.EnsureStaff(ctx, v.ID, name); err != nil {
				return nil, err
			}
		}
		// Most chairs are hair; about one in four beauty, one in eight massage.
		sk := hair
		switch {
		case i%8 == 5:
			sk = massage
		case i%4 == 3:
			sk = beauty
		}
		roster := rosters[i%len(rosters)]
		var hours []salon.WorkingHours
		for _, sh := range roster {
			hours = append(hours, salon.WorkingHours{Weekday: sh.Day, Start: salon.Clock(sh.Start), End: salon.Clock(sh.End)})
		}
		if err := st.SetStaffHours(ctx, v.ID, 0, id, hours); err != nil {
			return nil, err
		}
		out = append(out, staffPlan{ID: id, Skill: sk, Shift: roster})
	}
	_ = rng
	return out, nil
}

func createMenu(ctx context.Context, st *store.Store, v salon.Venue, staff []staffPlan) ([]int64, [][]int, error) {
	ids := make([]int64, len(menu))
	performers := make([][]int, len(menu))
	for i, sd := range menu {
		var staffIDs []int64
		for j, sp := range staff {
			if sp.Skill == sd.Skill || (sd.Category == "Brows & Lashes" && sp.Skill == massage) {
				staffIDs = append(staffIDs, sp.ID)
				performers[i] = append(performers[i], j)
			}
		}
		id, err := st.EnsureService(ctx, v.ID, store.NewService{Name: sd.Name, Category: sd.Category, DurationMin: sd.Duration,
			PriceMinor: sd.PriceMinor, StaffIDs: staffIDs})
		if err != nil {
			return nil, nil, err
		}
		ids[i] = id
	}
	return ids, performers, nil
}

func pickWeighted(rng *rand.Rand) int {
	total := 0
	for _, c := range categoryMix {
		total += c.Weight
	}
	n := rng.IntN(total)
	for i, c := range categoryMix {
		if n < c.Weight {
			return i
		}
		n -= c.Weight
	}
	return 0
}

func makeClient(i int, v salon.Venue, o Options, rng *rand.Rand, start, now time.Time, staff []staffPlan, performers [][]int) (salon.Client, clientPlan) {
	first := firstNames[rng.IntN(len(firstNames))]
	last := lastNames[rng.IntN(len(lastNames))]
	c := salon.Client{FirstName: first, LastName: last, NotifySMS: true, NotifyEmail: true, ExternalID: fmt.Sprintf("demo-%d", i+1)}
	switch v.Country {
	case salon.NZ:
		c.Phone = fmt.Sprintf("+6421%07d", 1000000+i)
	case salon.GB:
		c.Phone = fmt.Sprintf("+447911%06d", i)
	default:
		c.Phone = fmt.Sprintf("+6141%07d", 1000000+i)
	}
	mail := strings.ToLower(strings.NewReplacer(" ", "", "'", "").Replace(first + "." + last))
	c.Email = fmt.Sprintf("%s%d@example.com", mail, i+1)
	if v.Country != salon.NZ && rng.Float64() < 0.12 {
		c.Email = "" // not everyone gives an email
	}
	if v.Country != salon.NZ && rng.Float64() < 0.02 {
		c.Phone = ""
	}
	if rng.Float64() < 0.8 {
		bd := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(366))
		c.Birthday = salon.Birthday{Day: bd.Day(), Month: int(bd.Month())}
		if rng.Float64() < 0.6 {
			c.Birthday.Year = 1950 + rng.IntN(55)
		}
	}
	c.SMSOptOut = rng.Float64() < 0.03
	c.EmailOptOut = rng.Float64() < 0.02
	c.Blocked = rng.Float64() < 0.01

	cat := pickWeighted(rng)
	var services []int
	for si, sd := range menu {
		if sd.Category == categoryMix[cat].Category {
			services = append(services, si)
		}
	}
	main := services[rng.IntN(len(services))]
	p := clientPlan{Services: []int{main}}
	if rng.Float64() < 0.25 { // some also book a second category now and then
		p.Services = append(p.Services, rng.IntN(len(menu)))
	}
	p.Cadence = int(float64(categoryMix[cat].Cadence) * (0.75 + rng.Float64()*0.9))
	cands := performers[main]
	if len(cands) == 0 {
		cands = []int{0}
	}
	p.Staff = cands[rng.IntN(len(cands))]
	sh := staff[p.Staff].Shift
	day := sh[rng.IntN(len(sh))]
	p.Weekday = day.Day
	switch r := rng.Float64(); {
	case day.End >= 1140 && r < 0.5:
		p.Band = 2
	case r < 0.55:
		p.Band = 0
	default:
		p.Band = 1
	}
	switch r := rng.Float64(); {
	case r < 0.2:
		p.LeadDays = rng.IntN(2)
	case r < 0.7:
		p.LeadDays = 3 + rng.IntN(8)
	default:
		p.LeadDays = 14 + rng.IntN(15)
	}
	p.NoShowRate = 0.01
	if rng.Float64() < 0.08 {
		p.NoShowRate = 0.12
	}
	span := now.Sub(start)
	p.Joined = start
	if rng.Float64() < 0.35 {
		p.Joined = start.Add(time.Duration(rng.Float64() * float64(span)))
	}
	if rng.Float64() < 0.18 { // lapsed: stopped coming at some point
		p.Churn = p.Joined.Add(time.Duration(rng.Float64() * float64(now.Sub(p.Joined))))
	}
	c.CreatedAt = p.Joined.UTC()
	if rng.Float64() < 0.05 {
		c.Tags = []string{"VIP"}
	}
	return c, p
}

// calendar tracks each staff member's booked quarter-hours per day, so generated
// bookings never overlap.
type calendar struct {
	days int
	busy []bool
}

func newCalendar(staff, days int) *calendar {
	return &calendar{days: days, busy: make([]bool, staff*days*96)}
}

func (c *calendar) free(staff, day, from, units int) bool {
	if day < 0 || day >= c.days || from+units > 96 {
		return false
	}
	base := (staff*c.days + day) * 96
	for u := from; u < from+units; u++ {
		if c.busy[base+u] {
			return false
		}
	}
	return true
}

func (c *calendar) take(staff, day, from, units int) {
	base := (staff*c.days + day) * 96
	for u := from; u < from+units; u++ {
		c.busy[base+u] = true
	}
}

var bands = [][2]int{{0, 720}, {720, 1020}, {1020, 1440}}

// place finds a start (quarter-hour index) for a visit of `units` on day d with staff
// s, inside their shift, preferring the client's band.
func place(c *calendar, sp staffPlan, s, d int, weekday time.Weekday, band, units int, rng *rand.Rand) (int, bool) {
	for _, sh := range sp.Shift {
		if sh.Day != weekday {
			continue
		}
		lo, hi := sh.Start/15, sh.End/15
		bl, bh := max(lo, bands[band][0]/15), min(hi, bands[band][1]/15)
		try := func(a, b int) (int, bool) {
			if b-a < units {
				return 0, false
			}
			off := rng.IntN(b - a - units + 1)
			for k := 0; k <= b-a-units; k++ {
				u := a + (off+k)%(b-a-units+1)
				if u%2 == 0 || units%2 == 1 { // half-hour starts, as salons book
					if c.free(s, d, u, units) {
						return u, true
					}
				}
			}
			return 0, false
		}
		if u, ok := try(bl, bh); ok {
			return u, true
		}
		return try(lo, hi)
	}
	return 0, false
}

func visits(ci int, p *clientPlan, v salon.Venue, rng *rand.Rand, start, now time.Time, staff []staffPlan, cal *calendar, serviceIDs []int64) []store.BulkBooking {
	loc := v.Location()
	var out []store.BulkBooking
	dayOf := func(t time.Time) int { return int(t.Sub(start).Hours() / 24) }
	next := p.Joined.Add(time.Duration(rng.IntN(max(p.Cadence, 1))) * 24 * time.Hour)
	for {
		if !p.Churn.IsZero() && next.After(p.Churn) {
			break
		}
		// Only visits already booked by now exist: the client books LeadDays ahead.
		if next.AddDate(0, 0, -p.LeadDays).After(now) || dayOf(next) >= cal.days {
			break
		}
		svc := p.Services[0]
		if len(p.Services) > 1 && rng.Float64() < 0.3 {
			svc = p.Services[1]
		}
		sd := menu[svc]
		units := (sd.Duration + 14) / 15
		placed := false
		// Try the favourite weekday near the target, then nearby days, then another chair.
		for _, delta := range []int{0, 1, -1, 2, -2, 3, -3, 4, 5, 6, 7, 8, 9, 10} {
			d := dayOf(next) + delta
			if d < 0 || d >= cal.days {
				continue
			}
			day := start.AddDate(0, 0, d)
			if delta > -4 && delta < 4 && day.Weekday() != p.Weekday && rng.Float64() < 0.8 {
				continue
			}
			for attempt := 0; attempt < 2 && !placed; attempt++ {
				s := p.Staff
				if attempt == 1 || rng.Float64() < 0.1 {
					s = rng.IntN(len(staff))
					if staff[s].Skill != sd.Skill {
						continue
					}
				}
				u, ok := place(cal, staff[s], s, d, day.Weekday(), p.Band, units, rng)
				if !ok {
					continue
				}
				cal.take(s, d, u, units)
				startAt := time.Date(day.Year(), day.Month(), day.Day(), u/4, (u%4)*15, 0, 0, loc)
				endAt := startAt.Add(time.Duration(sd.Duration) * time.Minute)
				created := startAt.AddDate(0, 0, -p.LeadDays).Add(-time.Duration(rng.IntN(600)) * time.Minute)
				if created.After(now) {
					created = now.Add(-time.Duration(rng.IntN(120)+1) * time.Minute)
				}
				b := store.BulkBooking{Client: ci, StaffID: staff[s].ID, Start: startAt.UTC(), End: endAt.UTC(), PriceMinor: sd.PriceMinor,
					Source: salon.SourceStaff, Created: created.UTC(), ServiceIDs: []int64{serviceIDs[svc]}}
				if rng.Float64() < 0.35 {
					b.Source = salon.SourceOnline
				}
				switch r := rng.Float64(); {
				case startAt.After(now):
					b.Status = salon.Booked
				case r < p.NoShowRate:
					b.Status = salon.NoShow
				case r < p.NoShowRate+0.03:
					b.Status = salon.Cancelled
				default:
					b.Status = salon.Completed
				}
				out = append(out, b)
				placed = true
			}
			if placed {
				break
			}
		}
		jitter := 1 + (rng.Float64()-0.5)*0.3
		next = next.Add(time.Duration(float64(p.Cadence)*jitter*24) * time.Hour)
	}
	return out
}

// storyToday makes sure today has completed appointments and at least two no-shows,
// as the demo's storyline needs them.
func storyToday(bookings []store.BulkBooking, plans []clientPlan, now time.Time, rng *rand.Rand) {
	dayStart := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	var past []int
	for i, b := range bookings {
		if !b.Start.Before(dayStart) && b.End.Before(now) && b.Status != salon.Cancelled {
			past = append(past, i)
		}
	}
	sort.Ints(past)
	for k, i := range past {
		if k < 2 {
			bookings[i].Status = salon.NoShow
		} else if bookings[i].Status == salon.NoShow && rng.Float64() < 0.5 {
			bookings[i].Status = salon.Completed
		}
	}
}

// storyInbox opens a few conversations and puts some birthdays in this week.
func storyInbox(ctx context.Context, st *store.Store, v salon.Venue, ids []int64, clients []salon.Client, now time.Time) error {
	n := 0
	for i, c := range clients {
		if n == len(inboxSamples) {
			break
		}
		if c.Blocked || c.SMSOptOut || (c.Phone == "" && v.Country != salon.NZ) || i%37 != 5 {
			continue
		}
		s := inboxSamples[n]
		if err := st.SeedInbound(ctx, v.ID, ids[i], s.Body, now.Add(-time.Duration(s.HoursAgo)*time.Hour), s.Status); err != nil {
			return err
		}
		n++
	}
	// Birthdays this week: seven clients, one for each of the next days.
	for k := 0; k < 7; k++ {
		i := (k*131 + 17) % len(clients)
		d := now.AddDate(0, 0, k)
		c := clients[i]
		in := salon.ClientInput{FirstName: c.FirstName, LastName: c.LastName, Phone: c.Phone, Email: c.Email,
			Birthday: fmt.Sprintf("--%02d-%02d", int(d.Month()), d.Day()), SMSOptOut: c.SMSOptOut, EmailOptOut: c.EmailOptOut,
			Blocked: c.Blocked, NotifySMS: true, NotifyEmail: true, Tags: strings.Join(c.Tags, ";")}
		if _, err := st.UpdateClient(ctx, v.ID, 0, ids[i], in); err != nil {
			return err
		}
	}
	return nil
}

// storyConfirmations records this morning's texts confirming a few of tomorrow's
// appointments, so the outbox has something to reply to in an SMS venue.
func storyConfirmations(ctx context.Context, st *store.Store, v salon.Venue, ids []int64, clients []salon.Client, bookings []store.BulkBooking, now time.Time) error {
	if !v.Country.SendsSMS() {
		return nil
	}
	loc := v.Location()
	l := now.In(loc)
	tomorrow := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	sent := 0
	for _, b := range bookings {
		c := clients[b.Client]
		if sent == 4 || b.Status != salon.Booked || b.Start.Before(tomorrow) || !b.Start.Before(tomorrow.AddDate(0, 0, 1)) ||
			c.Phone == "" || c.SMSOptOut || c.Blocked {
			continue
		}
		body := fmt.Sprintf("Hi %s, this is %s confirming your appointment tomorrow at %s. Reply to this text if you need to change it.",
			c.FirstName, v.Name, b.Start.In(loc).Format("15:04"))
		if err := st.SeedOutbound(ctx, v.ID, ids[b.Client], salon.PurposeBookingConfirm, c.Phone, body, now.Add(-time.Duration(3+sent)*time.Hour)); err != nil {
			return err
		}
		sent++
	}
	return nil
}
