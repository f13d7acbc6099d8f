package store_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"concierge/salon"
	"concierge/store"
)

// TestAudienceFilterBoundaries checks each audience filter just inside and just outside its
// window, with a fixed clock.
func TestAudienceFilterBoundaries(t *testing.T) {
	day := 24 * time.Hour
	cases := []struct {
		name    string
		country salon.Country
		setup   func(t *testing.T, f fixture, c salon.Client)
		wantOut string // the exclusion reason, "" = sendable
	}{
		{"marketing 29 days ago", salon.AU, func(t *testing.T, f fixture, c salon.Client) { f.message(t, c, salon.PurposeCohort, 29*day) }, "recently_messaged"},
		{"marketing 31 days ago", salon.AU, func(t *testing.T, f fixture, c salon.Client) { f.message(t, c, salon.PurposeCohort, 31*day) }, ""},
		// Seed 000's FAQ: "recently-messaged dedup (any outbound in last 30 days)".
		{"transactional 10 days ago", salon.AU, func(t *testing.T, f fixture, c salon.Client) { f.message(t, c, salon.PurposeBookingConfirm, 10*day) }, "recently_messaged"},
		{"inbox reply 29 days ago", salon.AU, func(t *testing.T, f fixture, c salon.Client) { f.message(t, c, salon.PurposeInboxReply, 29*day) }, "recently_messaged"},
		{"transactional 31 days ago", salon.AU, func(t *testing.T, f fixture, c salon.Client) { f.message(t, c, salon.PurposeBookingConfirm, 31*day) }, ""},
		{"refused by the provider 10 days ago", salon.AU, func(t *testing.T, f fixture, c salon.Client) { f.failed(t, c, 10*day) }, ""},
		{"refused by the provider 23 h ago (cooldown errs towards caution)", salon.AU, func(t *testing.T, f fixture, c salon.Client) { f.failed(t, c, 23*time.Hour) }, "cooldown"},
		{"wave stamp 89 days ago", salon.AU, func(t *testing.T, f fixture, c salon.Client) { f.stampWave(t, c, 89*day) }, "wave_cap"},
		{"wave stamp 91 days ago", salon.AU, func(t *testing.T, f fixture, c salon.Client) { f.stampWave(t, c, 91*day) }, ""},
		{"outbound 23 h ago", salon.AU, func(t *testing.T, f fixture, c salon.Client) {
			f.message(t, c, salon.PurposeBookingConfirm, 23*time.Hour)
		}, "recently_messaged"},
		{"SMS opt-out in an AU venue", salon.AU, func(t *testing.T, f fixture, c salon.Client) { f.optOut(t, c, true, false) }, "opted_out"},
		{"SMS opt-out in an NZ venue (email)", salon.NZ, func(t *testing.T, f fixture, c salon.Client) { f.optOut(t, c, true, false) }, ""},
		{"email opt-out in an NZ venue", salon.NZ, func(t *testing.T, f fixture, c salon.Client) { f.optOut(t, c, false, true) }, "opted_out"},
		{"email opt-out in an AU venue (SMS)", salon.AU, func(t *testing.T, f fixture, c salon.Client) { f.optOut(t, c, false, true) }, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.country)
			c := f.lapsed(t)
			tc.setup(t, f, c)
			a, err := f.st.ResolveAudience(context.Background(), f.venue, store.AudienceRequest{Cohort: salon.CohortLapsed, WaveCap: true})
			if err != nil {
				t.Fatal(err)
			}
			if a.Count != 1 {
				t.Fatalf("the lapsed client is in the cohort: %d", a.Count)
			}
			got := ""
			for r, n := range a.Excluded {
				if n > 0 {
					got = r
				}
			}
			if got != tc.wantOut || (tc.wantOut == "" && a.SendableCount != 1) {
				t.Fatalf("excluded as %q (sendable %d), want %q", got, a.SendableCount, tc.wantOut)
			}
		})
	}
}

// lapsed makes the fixture's client lapsed: one completed visit 100 days ago.
func (f fixture) lapsed(t *testing.T) salon.Client {
	t.Helper()
	start := f.clk.Now().Add(-100 * 24 * time.Hour)
	if _, err := f.st.DB().Exec(`INSERT INTO bookings (venue_id, client_id, staff_id, start_at, end_at, price_minor, status, created_at)
		VALUES (?, ?, ?, ?, ?, 9000, 'completed', ?)`, f.venue.ID, f.client.ID, f.staffID, start.Unix(), start.Add(time.Hour).Unix(), start.Unix()); err != nil {
		t.Fatal(err)
	}
	f.st.DB().Exec(`UPDATE clients SET last_visit_at = ?, first_visit_at = ? WHERE id = ?`, start.Unix(), start.Unix(), f.client.ID)
	return f.client
}

// message queues a message to the client `ago` in the past, through the real path.
func (f fixture) message(t *testing.T, c salon.Client, p salon.Purpose, ago time.Duration) {
	t.Helper()
	f.clk.Advance(-ago)
	defer f.clk.Advance(ago)
	if _, _, err := f.st.QueueOutbound(context.Background(), f.venue.ID, store.NewOutbound{ClientID: c.ID, Channel: salon.SMS, Purpose: p,
		To: c.Phone, Body: "x"}); err != nil {
		t.Fatal(err)
	}
}

// failed queues a message `ago` in the past that the provider then refused.
func (f fixture) failed(t *testing.T, c salon.Client, ago time.Duration) {
	t.Helper()
	f.clk.Advance(-ago)
	defer f.clk.Advance(ago)
	m, _, err := f.st.QueueOutbound(context.Background(), f.venue.ID, store.NewOutbound{ClientID: c.ID, Channel: salon.SMS,
		Purpose: salon.PurposeCohort, To: c.Phone, Body: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.MarkFailed(context.Background(), f.venue.ID, m.ID, "21610: unsubscribed recipient"); err != nil {
		t.Fatal(err)
	}
}

func (f fixture) stampWave(t *testing.T, c salon.Client, ago time.Duration) {
	t.Helper()
	if _, err := f.st.DB().Exec(`UPDATE clients SET last_reconnect_sent_at = ? WHERE id = ?`, f.clk.Now().Add(-ago).Unix(), c.ID); err != nil {
		t.Fatal(err)
	}
}

func (f fixture) optOut(t *testing.T, c salon.Client, sms, email bool) {
	t.Helper()
	if _, err := f.st.DB().Exec(`UPDATE clients SET sms_opt_out = ?, email_opt_out = ? WHERE id = ?`, sms, email, c.ID); err != nil {
		t.Fatal(err)
	}
}

// TestAudienceReasonsFollowTheSalonRule holds the audience SQL to the salon rules it
// expresses: every combination of opt-outs, block, missing address and notification
// mutes, on each channel, is excluded for salon.Client.Reach's reason for a marketing
// message (mutes do not stop marketing); and an inbox thread holds marketing back
// exactly when salon.HoldsMarketing says so.
func TestAudienceReasonsFollowTheSalonRule(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	if _, err := f.st.DB().Exec(`DELETE FROM clients WHERE id = ?`, f.client.ID); err != nil {
		t.Fatal(err)
	}
	flags := []string{"sms_opt_out", "email_opt_out", "blocked", "no_phone", "no_email", "notify_sms", "notify_email"}
	threads := []string{"", salon.ThreadUnread, salon.ThreadOpen, salon.ThreadEscalated, salon.ThreadClosed}
	var clients []salon.Client
	add := func(i int, set func(id int64)) {
		c, err := f.st.CreateClient(ctx, f.venue.ID, 0, salon.ClientInput{FirstName: fmt.Sprintf("C%03d", i), Phone: fmt.Sprintf("0412 7%05d", i),
			Email: fmt.Sprintf("c%03d@example.com", i), NotifySMS: true, NotifyEmail: true})
		if err != nil {
			t.Fatal(err)
		}
		f.client = c
		f.lapsed(t)
		set(c.ID)
		if c, err = f.st.Client(ctx, f.venue.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	for combo := 0; combo < 1<<len(flags); combo++ {
		add(combo, func(id int64) {
			on := func(k int) bool { return combo&(1<<k) != 0 }
			if _, err := f.st.DB().Exec(`UPDATE clients SET sms_opt_out = ?, email_opt_out = ?, blocked = ?,
				phone = CASE WHEN ? THEN '' ELSE phone END, email = CASE WHEN ? THEN '' ELSE email END,
				notify_sms = ?, notify_email = ? WHERE id = ?`, on(0), on(1), on(2), on(3), on(4), !on(5), !on(6), id); err != nil {
				t.Fatal(err)
			}
		})
	}
	status := map[int64]string{}
	for i, th := range threads {
		add(1000+i, func(id int64) {
			if th == "" {
				return
			}
			status[id] = th
			if err := f.st.SetConversationStatus(ctx, f.venue.ID, id, 0, th); err != nil {
				t.Fatal(err)
			}
		})
	}
	for _, ch := range []salon.Channel{salon.SMS, salon.Email} {
		want := map[string]int{}
		reachable := map[int64]bool{}
		for _, c := range clients {
			why := string(c.Reach(ch, salon.PurposeWinBack))
			if why == "" && salon.HoldsMarketing(status[c.ID]) {
				why = "open_thread"
			}
			if why == "" {
				reachable[c.ID] = true
				continue
			}
			want[why]++
		}
		a, err := f.st.ResolveAudience(ctx, f.venue, store.AudienceRequest{Cohort: salon.CohortLapsed, Channel: ch})
		if err != nil {
			t.Fatal(err)
		}
		if a.Count != len(clients) || len(a.Sendable) != len(reachable) {
			t.Fatalf("%s: %d in the cohort (want %d), %d sendable (want %d)", ch, a.Count, len(clients), len(a.Sendable), len(reachable))
		}
		for _, m := range a.Sendable {
			if !reachable[m.ClientID] {
				t.Fatalf("%s: client %d is sendable, the rule says not", ch, m.ClientID)
			}
		}
		for _, r := range store.ExclusionReasons {
			if a.Excluded[r.Key] != want[r.Key] {
				t.Fatalf("%s: excluded %v, the salon rule says %v", ch, a.Excluded, want)
			}
		}
		counts, err := f.st.AudienceCounts(ctx, f.venue, store.AudienceRequest{Cohort: salon.CohortLapsed, Channel: ch})
		if err != nil {
			t.Fatal(err)
		}
		if counts.SendableCount != len(reachable) || fmt.Sprint(counts.Excluded) != fmt.Sprint(a.Excluded) {
			t.Fatalf("%s: the counts query disagrees: %v vs %v", ch, counts.Excluded, a.Excluded)
		}
		// The preview's one-statement counts and sample names agree with both.
		sample, err := f.st.AudienceSample(ctx, f.venue, store.AudienceRequest{Cohort: salon.CohortLapsed, Channel: ch}, 5)
		if err != nil {
			t.Fatal(err)
		}
		if sample.Count != a.Count || sample.SendableCount != len(reachable) || fmt.Sprint(sample.Excluded) != fmt.Sprint(a.Excluded) {
			t.Fatalf("%s: the sample's counts disagree: %d/%d %v vs %d/%d %v", ch, sample.Count, sample.SendableCount, sample.Excluded,
				a.Count, len(reachable), a.Excluded)
		}
		byName := append([]store.AudienceMember(nil), a.Sendable...)
		sort.Slice(byName, func(i, j int) bool {
			x, y := byName[i], byName[j]
			if x.LastName != y.LastName {
				return x.LastName < y.LastName
			}
			if x.FirstName != y.FirstName {
				return x.FirstName < y.FirstName
			}
			return x.ClientID < y.ClientID
		})
		if len(byName) > 5 {
			byName = byName[:5]
		}
		if len(sample.Sendable) != len(byName) {
			t.Fatalf("%s: %d sample names, want %d", ch, len(sample.Sendable), len(byName))
		}
		for i := range byName {
			if sample.Sendable[i].ClientID != byName[i].ClientID || sample.Sendable[i].FirstName != byName[i].FirstName {
				t.Fatalf("%s: sample %d is %+v, want %+v", ch, i, sample.Sendable[i], byName[i])
			}
		}
	}
}
