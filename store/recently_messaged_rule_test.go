package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"concierge/salon"
	"concierge/store"
)

// Batch audiences read "recently messaged" from a stamp on the client (last_messaged_at)
// kept by every write, for speed; the rule is salon.Message.CountsAsRecentlyMessaged.
// This test holds the stamp and the audience SQL to the rule on generated histories:
// messages of every purpose, queued at times from 40 days ago to now, then sent, left
// unknown, refused at hand-over or refused later by a delivery callback, in random
// order. For each client, the audience must say recently_messaged exactly when some
// message in its thread counts by the salon rule within the window.
func TestRecentlyMessagedSQLFollowsTheSalonRule(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 5))
	purposes := []salon.Purpose{salon.PurposeCohort, salon.PurposeInboxReply, salon.PurposeBookingConfirm, salon.PurposeRescheduleNotice,
		salon.PurposeIncompleteBooking, salon.PurposeReconnect, salon.PurposeOfferQuestion, salon.PurposeOTP}
	now := f.clk.Now()
	if err := f.st.TopUpWallet(ctx, f.venue.ID, 0, 100000, "fixture"); err != nil {
		t.Fatal(err)
	}
	var clients []salon.Client
	for i := range 60 {
		c, err := f.st.CreateClient(ctx, f.venue.ID, 0, salon.ClientInput{FirstName: fmt.Sprintf("R%02d", i), Phone: fmt.Sprintf("0412 6%05d", i)})
		if err != nil {
			t.Fatal(err)
		}
		f.client = c
		f.lapsed(t)
		clients = append(clients, c)
		for m := range rng.IntN(4) {
			ago := time.Duration(rng.IntN(40*24)) * time.Hour
			f.clk.Advance(-ago)
			msg, _, err := f.st.QueueOutbound(ctx, f.venue.ID, store.NewOutbound{ClientID: c.ID, Channel: salon.SMS,
				Purpose: purposes[rng.IntN(len(purposes))], To: c.Phone, Body: "hello"})
			f.clk.Advance(ago)
			if err != nil {
				t.Fatal(err)
			}
			switch rng.IntN(5) {
			case 0: // still queued
			case 1: // refused at hand-over
				if err := f.st.MarkFailed(ctx, f.venue.ID, msg.ID, "refused"); err != nil {
					t.Fatal(err)
				}
			case 2, 3: // handed over; sometimes refused by a later callback
				if ok, err := f.st.ClaimForSending(ctx, f.venue.ID, msg.ID); err != nil || !ok {
					t.Fatalf("claim: %v %v", ok, err)
				}
				pid := fmt.Sprintf("SM%d-%d", c.ID, m)
				if err := f.st.MarkSent(ctx, f.venue.ID, msg.ID, "twilio", pid, salon.StatusSent, ""); err != nil {
					t.Fatal(err)
				}
				if rng.IntN(2) == 0 {
					if _, err := f.st.ApplyProviderStatus(ctx, "twilio", pid, salon.StatusFailed, "undelivered"); err != nil {
						t.Fatal(err)
					}
				}
			case 4: // crashed mid-send: unknown
				if _, err := f.st.DB().Exec(`UPDATE messages SET status = 'unknown' WHERE id = ?`, msg.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	a, err := f.st.ResolveAudience(ctx, f.venue, store.AudienceRequest{Cohort: salon.CohortLapsed})
	if err != nil {
		t.Fatal(err)
	}
	sendable := map[int64]bool{}
	for _, m := range a.Sendable {
		sendable[m.ClientID] = true
	}
	counted := 0
	for _, c := range clients {
		msgs, err := f.st.ClientMessages(ctx, f.venue.ID, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want, latest := false, int64(0)
		for _, m := range msgs {
			if !m.CountsAsRecentlyMessaged() {
				continue
			}
			latest = max(latest, m.CreatedAt.Unix())
			if now.Sub(m.CreatedAt) <= salon.RecentlyMessagedWindow {
				want = true
			}
		}
		if stamp := f.count(t, `SELECT coalesce(last_messaged_at, 0) FROM clients WHERE id = ?`, c.ID); stamp != latest {
			t.Errorf("%s: stamp %d, the salon rule's latest counting message %d", c.FirstName, stamp, latest)
		}
		if want && sendable[c.ID] {
			t.Errorf("%s: sendable, but recently messaged by the salon rule", c.FirstName)
		}
		if want {
			counted++
		}
	}
	if a.Excluded["recently_messaged"] != counted {
		t.Errorf("audience excludes %d as recently messaged, the salon rule %d", a.Excluded["recently_messaged"], counted)
	}
	if counted == 0 || counted == len(clients) {
		t.Fatalf("the generated data should hold both kinds of client: %d of %d recently messaged", counted, len(clients))
	}
}
