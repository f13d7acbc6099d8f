package store_test

import (
	"context"
	"testing"
	"time"

	"concierge/salon"
	"concierge/store"
)

// TestAudienceFilterBoundaries checks each §5 filter just inside and just outside its
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
		{"transactional 10 days ago", salon.AU, func(t *testing.T, f fixture, c salon.Client) { f.message(t, c, salon.PurposeBookingConfirm, 10*day) }, ""},
		{"wave stamp 89 days ago", salon.AU, func(t *testing.T, f fixture, c salon.Client) { f.stampWave(t, c, 89*day) }, "wave_cap"},
		{"wave stamp 91 days ago", salon.AU, func(t *testing.T, f fixture, c salon.Client) { f.stampWave(t, c, 91*day) }, ""},
		{"outbound 23 h ago", salon.AU, func(t *testing.T, f fixture, c salon.Client) {
			f.message(t, c, salon.PurposeBookingConfirm, 23*time.Hour)
		}, "cooldown"},
		{"outbound 25 h ago", salon.AU, func(t *testing.T, f fixture, c salon.Client) {
			f.message(t, c, salon.PurposeBookingConfirm, 25*time.Hour)
		}, ""},
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
