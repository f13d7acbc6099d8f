package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"concierge/salon"
	"concierge/store"
)

func TestWalletPaysOnlyForSentSMSAndNeverGoesNegative(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	// The fixture holds A$1.00; spend it down to A$0.10 (1000 e4) for this test.
	if _, err := f.st.DB().Exec(`UPDATE venues SET wallet_e4 = 1000 WHERE id = ?`, f.venue.ID); err != nil {
		t.Fatal(err)
	}
	queue := func(body string, action int64) salon.Message {
		m, _, err := f.st.QueueOutbound(ctx, f.venue.ID, store.NewOutbound{ClientID: f.client.ID, Channel: salon.SMS,
			Purpose: salon.PurposeOutreach, To: f.client.Phone, Body: body, ActionID: action})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	m1 := queue("Hello", 1)
	if m1.Segments != 1 || m1.CostE4 != 723 {
		t.Fatalf("one GSM-7 segment at A$0.0723: got %d segments, %d e4", m1.Segments, m1.CostE4)
	}
	if claimed, err := f.st.ClaimForSending(ctx, f.venue.ID, m1.ID); !claimed || err != nil {
		t.Fatalf("first claim: %v %v", claimed, err)
	}
	if claimed, _ := f.st.ClaimForSending(ctx, f.venue.ID, m1.ID); claimed {
		t.Fatal("a message can be claimed only once")
	}
	v, _ := f.st.Venue(ctx, f.venue.ID)
	if v.WalletE4 != 1000-723 {
		t.Fatalf("wallet after one SMS: %d", v.WalletE4)
	}
	// A provider failure refunds.
	if err := f.st.MarkFailed(ctx, f.venue.ID, m1.ID, "boom"); err != nil {
		t.Fatal(err)
	}
	v, _ = f.st.Venue(ctx, f.venue.ID)
	if v.WalletE4 != 1000 {
		t.Fatalf("failed SMS must be refunded, wallet %d", v.WalletE4)
	}
	// Two segments cost 1446 > 1000: refused, marked failed, wallet untouched.
	long := queue(string(make([]byte, 0))+repeat("a", 161), 2)
	claimed, err := f.st.ClaimForSending(ctx, f.venue.ID, long.ID)
	if claimed || !errors.Is(err, store.ErrWalletShort) {
		t.Fatalf("want wallet short, got %v %v", claimed, err)
	}
	got, _ := f.st.Message(ctx, f.venue.ID, long.ID)
	v, _ = f.st.Venue(ctx, f.venue.ID)
	if got.Status != salon.StatusFailed || v.WalletE4 != 1000 {
		t.Fatalf("want failed and wallet 1000, got %s and %d", got.Status, v.WalletE4)
	}
}

func repeat(s string, n int) string {
	out := ""
	for i := 0; i < n; i++ {
		out += s
	}
	return out
}

func TestQueueOutboundIsOncePerActionAndClient(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	var wg sync.WaitGroup
	ids := make(chan int64, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, _, err := f.st.QueueOutbound(ctx, f.venue.ID, store.NewOutbound{ClientID: f.client.ID, Channel: salon.SMS,
				Purpose: salon.PurposeWinBack, To: f.client.Phone, Body: "Hi", ActionID: 42})
			if err != nil {
				t.Error(err)
				return
			}
			ids <- m.ID
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[int64]bool{}
	for id := range ids {
		seen[id] = true
	}
	if len(seen) != 1 {
		t.Fatalf("want one message row for (action, client), got %d", len(seen))
	}
}

func TestNZVenuesNeverQueueSMS(t *testing.T) {
	f := newFixture(t, salon.NZ)
	_, _, err := f.st.QueueOutbound(context.Background(), f.venue.ID, store.NewOutbound{ClientID: f.client.ID, Channel: salon.SMS,
		Purpose: salon.PurposeOutreach, To: f.client.Phone, Body: "Kia ora"})
	if salon.ErrorCode(err) != salon.CodeConflict {
		t.Fatalf("want SMS refused for an NZ venue, got %v", err)
	}
}

func TestProviderStatusOnlyMovesForward(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	m, _, _ := f.st.QueueOutbound(ctx, f.venue.ID, store.NewOutbound{ClientID: f.client.ID, Channel: salon.SMS,
		Purpose: salon.PurposeOutreach, To: f.client.Phone, Body: "Hi"})
	f.st.ClaimForSending(ctx, f.venue.ID, m.ID)
	if err := f.st.MarkSent(ctx, f.venue.ID, m.ID, "twilio", "SM1", salon.StatusSent, "+61400000000"); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		status  salon.MessageStatus
		changed bool
		want    salon.MessageStatus
	}{
		{salon.StatusDelivered, true, salon.StatusDelivered},
		{salon.StatusDelivered, false, salon.StatusDelivered}, // replay
		{salon.StatusSent, false, salon.StatusDelivered},      // late
		{salon.StatusFailed, false, salon.StatusDelivered},    // final stays final
	}
	for i, s := range steps {
		changed, err := f.st.ApplyProviderStatus(ctx, "twilio", "SM1", s.status, "")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := f.st.Message(ctx, f.venue.ID, m.ID)
		if changed != s.changed || got.Status != s.want {
			t.Fatalf("step %d (%s): changed=%v status=%s, want %v %s", i, s.status, changed, got.Status, s.changed, s.want)
		}
	}
}

func TestInboundReplayIsRecordedOnce(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	in := store.InboundMessage{ClientID: f.client.ID, Channel: salon.SMS, From: f.client.Phone, Body: "Hello", Provider: "twilio", ProviderID: "SMin1"}
	_, created, err := f.st.RecordInbound(ctx, f.venue.ID, in)
	if err != nil || !created {
		t.Fatalf("first: %v %v", created, err)
	}
	_, created, err = f.st.RecordInbound(ctx, f.venue.ID, in)
	if err != nil || created {
		t.Fatalf("replay must not create: %v %v", created, err)
	}
	msgs, _ := f.st.ClientMessages(ctx, f.venue.ID, f.client.ID)
	if len(msgs) != 1 {
		t.Fatalf("want 1 message, got %d", len(msgs))
	}
}

func TestStuckSendingBecomesUnknown(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	m, _, _ := f.st.QueueOutbound(ctx, f.venue.ID, store.NewOutbound{ClientID: f.client.ID, Channel: salon.SMS,
		Purpose: salon.PurposeOutreach, To: f.client.Phone, Body: "Hi"})
	f.st.ClaimForSending(ctx, f.venue.ID, m.ID) // then the process "crashes"
	f.clk.Advance(5 * 60e9)
	n, err := f.st.MarkStuckUnknown(ctx, f.clk.Now().Add(-2*60e9))
	if err != nil || n != 1 {
		t.Fatalf("want 1 marked, got %d %v", n, err)
	}
	got, _ := f.st.Message(ctx, f.venue.ID, m.ID)
	if got.Status != salon.StatusUnknown {
		t.Fatalf("want unknown, got %s", got.Status)
	}
	if claimed, _ := f.st.ClaimForSending(ctx, f.venue.ID, m.ID); claimed {
		t.Fatal("an unknown message must never be claimed again")
	}
}
