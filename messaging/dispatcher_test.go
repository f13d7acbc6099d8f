package messaging_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"concierge/messaging"
	"concierge/salon"
	"concierge/store"
)

type failingSender struct{ calls int }

func (f *failingSender) Name() string { return "failing" }
func (f *failingSender) Send(context.Context, messaging.Envelope) (messaging.Receipt, error) {
	f.calls++
	return messaging.Receipt{}, errors.New("provider down")
}

func TestDispatcherFailureRefundsAndNeverResends(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "d.db"), func() time.Time { return time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC) })
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v, _ := st.CreateVenue(ctx, store.NewVenue{Slug: "disp", Name: "D", Country: salon.GB, TimeZone: "Europe/London"})
	st.TopUpWallet(ctx, v.ID, 0, 100, "")
	c, _ := st.CreateClient(ctx, v.ID, 0, salon.ClientInput{FirstName: "A", Phone: "07911 123456"})
	fs := &failingSender{}
	d := &messaging.Dispatcher{Store: st, Senders: messaging.Senders{SMS: fs, Email: messaging.Outbox{}}}
	m, err := d.SendToClient(ctx, v.ID, c, salon.SMS, salon.PurposeOutreach, "", "Hello")
	if err == nil || m.Status != salon.StatusFailed || m.Error == "" {
		t.Fatalf("want a failed message with its error, got %s %q %v", m.Status, m.Error, err)
	}
	v2, _ := st.Venue(ctx, v.ID)
	if v2.WalletE4 != 100*100 {
		t.Fatalf("a failed send costs nothing: wallet %d", v2.WalletE4)
	}
	if _, err := d.Deliver(ctx, v.ID, m.ID); err != nil || fs.calls != 1 {
		t.Fatalf("a failed message is never handed over again: %d calls, %v", fs.calls, err)
	}
	if _, err := d.SendToClient(ctx, v.ID, salon.Client{ID: c.ID}, salon.SMS, salon.PurposeOutreach, "", "x"); !errors.Is(err, messaging.ErrNoContact) {
		t.Fatalf("no phone: %v", err)
	}
}
