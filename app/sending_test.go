package app_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"concierge/app"
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
	d := &app.Dispatcher{Store: st, Senders: messaging.Senders{SMS: fs, Email: messaging.Outbox{}}}
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
	if _, err := d.SendToClient(ctx, v.ID, salon.Client{ID: c.ID}, salon.SMS, salon.PurposeOutreach, "", "x"); !errors.Is(err, app.ErrNoContact) {
		t.Fatalf("no phone: %v", err)
	}
}

// SendToClient goes by the one reachability rule whoever calls it: nothing is queued for
// a channel the client opted out of, or muted for a notification, and the error says so.
func TestSendToClientFollowsTheReachabilityRule(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "r.db"), func() time.Time { return time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC) })
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v, _ := st.CreateVenue(ctx, store.NewVenue{Slug: "reach", Name: "R", Country: salon.GB, TimeZone: "Europe/London"})
	st.TopUpWallet(ctx, v.ID, 0, 100, "")
	d := &app.Dispatcher{Store: st, Senders: messaging.Senders{SMS: messaging.Outbox{}, Email: messaging.Outbox{}}}
	cases := []struct {
		name    string
		in      salon.ClientInput
		ch      salon.Channel
		purpose salon.Purpose
		want    string // "" = sent
	}{
		{"opted out of SMS", salon.ClientInput{FirstName: "Olga", Phone: "07911 100001", SMSOptOut: true, NotifySMS: true}, salon.SMS, salon.PurposeOutreach,
			"Olga has opted out of SMS."},
		{"muted SMS, a reminder", salon.ClientInput{FirstName: "Sofia", Phone: "07911 100002"}, salon.SMS, salon.PurposeIncompleteBooking, "Sofia has muted SMS."},
		{"muted SMS, a reply to her message", salon.ClientInput{FirstName: "Sofia", Phone: "07911 100003"}, salon.SMS, salon.PurposeInboxReply, ""},
		{"blocked", salon.ClientInput{FirstName: "Bo", Email: "bo@example.com", Blocked: true, NotifyEmail: true}, salon.Email, salon.PurposeInboxReply, "Bo is blocked."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := st.CreateClient(ctx, v.ID, 0, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			_, err = d.SendToClient(ctx, v.ID, c, tc.ch, tc.purpose, "Re: hello", "Hello")
			msgs, _ := st.ClientMessages(ctx, v.ID, c.ID)
			switch {
			case tc.want == "" && (err != nil || len(msgs) != 1):
				t.Fatalf("want it sent: %v, %d messages", err, len(msgs))
			case tc.want != "" && (err == nil || err.Error() != tc.want || len(msgs) != 0):
				t.Fatalf("want %q and nothing queued: %v, %d messages", tc.want, err, len(msgs))
			}
		})
	}
	t.Run("an NZ venue texts nobody, not even a sign-in code", func(t *testing.T) {
		nz, err := st.CreateVenue(ctx, store.NewVenue{Slug: "reach-nz", Name: "K", Country: salon.NZ, TimeZone: "Pacific/Auckland"})
		if err != nil {
			t.Fatal(err)
		}
		c, err := st.CreateClient(ctx, nz.ID, 0, salon.ClientInput{FirstName: "Ana", Phone: "021 123 4567", Email: "ana@example.com", NotifySMS: true, NotifyEmail: true})
		if err != nil {
			t.Fatal(err)
		}
		_, err = d.SendToClient(ctx, nz.ID, c, salon.SMS, salon.PurposeOTP, "", "Your code is 123456")
		if err == nil || err.Error() != "Ana cannot get SMS from an email-only venue." {
			t.Fatalf("SMS from an NZ venue: %v", err)
		}
		if _, err := d.SendToClient(ctx, nz.ID, c, salon.Email, salon.PurposeOTP, "Your code", "Your code is 123456"); err != nil {
			t.Fatalf("email from an NZ venue: %v", err)
		}
		if msgs, err := st.ClientMessages(ctx, nz.ID, c.ID); err != nil || len(msgs) != 1 || msgs[0].Channel != salon.Email {
			t.Fatalf("want the one email only: %v %+v", err, msgs)
		}
	})
}
