package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"concierge/salon"
	"concierge/store"
)

// Forgetting a client leaves no personal field of theirs in any table (every table and
// column is read back), keeps every booking's revenue, and is in the audit.
func TestForgetClientLeavesNothingPersonal(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	st, v := f.st, f.venue
	z, err := st.CreateClient(ctx, v.ID, 0, salon.ClientInput{ExternalID: "z-1", FirstName: "Zebedee", LastName: "Quillfeather",
		Phone: "0413 987 654", Email: "zeb.quill@example.org", Birthday: "1987-06-05", Tags: "Latex allergy", NotifySMS: true, NotifyEmail: true})
	if err != nil {
		t.Fatal(err)
	}
	// An edit: the audit now holds the profile before and after.
	in := salon.ClientInput{ExternalID: "z-1", FirstName: "Zebedee", LastName: "Quillfeather", Phone: "0413 987 654",
		Email: "zeb.quill@example.org", Birthday: "1987-06-05", Tags: "Latex allergy;VIP", NotifySMS: true, NotifyEmail: true}
	if _, err := st.UpdateClient(ctx, v.ID, 0, z.ID, in); err != nil {
		t.Fatal(err)
	}
	start := f.clk.Now().Add(48 * time.Hour)
	var bookings []int64
	for i, status := range []salon.BookingStatus{salon.Completed, salon.Completed, salon.Booked} {
		b, err := st.CreateBooking(ctx, v.ID, 0, store.BookingInput{ClientID: z.ID, StaffID: f.staffID, Start: start.Add(time.Duration(i) * 3 * time.Hour),
			ServiceIDs: []int64{f.service}, Notes: "Zebedee Quillfeather: latex allergy, call 0413 987 654"})
		if err != nil {
			t.Fatal(err)
		}
		if status != salon.Booked {
			if _, err := st.DB().Exec(`UPDATE bookings SET status = ? WHERE id = ?`, status, b.ID); err != nil {
				t.Fatal(err)
			}
		}
		bookings = append(bookings, b.ID)
	}
	// Another client's booking: its revenue counts in the totals too.
	if _, err := st.CreateBooking(ctx, v.ID, 0, store.BookingInput{ClientID: f.client.ID, StaffID: f.staffID, Start: start.Add(12 * time.Hour),
		ServiceIDs: []int64{f.service}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.QueueOutbound(ctx, v.ID, store.NewOutbound{ClientID: z.ID, Channel: salon.SMS, Purpose: salon.PurposeWinBack,
		To: "+61413987654", Body: "Hi Zebedee, we miss you!"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.RecordInbound(ctx, v.ID, store.InboundMessage{ClientID: z.ID, Channel: salon.SMS, From: "+61413987654", To: "+61400000000",
		Body: "Thanks! Zebedee here, email me at zeb.quill@example.org", Provider: "outbox", ProviderID: "in-1"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Notify(ctx, v.ID, 0, "backfill_booked", "Zebedee Quillfeather replied YES and is booked.", "/app/vau/clients/1"); err != nil {
		t.Fatal(err)
	}
	owner, err := st.AddUser(ctx, v.ID, 0, store.NewUser{Email: "owner@v.test", Name: "Olive Owner", Password: "longenough", Role: salon.Owner})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddTurn(ctx, v.ID, owner.ID, "user", "text Zebedee Quillfeather about 0413 987 654", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddTurn(ctx, v.ID, owner.ID, "concierge", "Zebedee last visited in June.", z.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.IssueCode(ctx, v.ID, store.CodeRequest{Phone: "+61413987654", Network: "203.0.113.9", Code: "123456"}); err != nil {
		t.Fatal(err)
	}

	revenue := func() string {
		return fmt.Sprint(f.count(t, `SELECT coalesce(sum(price_minor), 0) FROM bookings WHERE venue_id = ? AND status = 'completed'`, v.ID),
			f.count(t, `SELECT coalesce(sum(price_minor), 0) FROM bookings WHERE venue_id = ?`, v.ID),
			f.count(t, `SELECT count(*) FROM bookings WHERE venue_id = ? AND client_id = ?`, v.ID, z.ID))
	}
	before := revenue()
	statsBefore, err := st.ClientStats(ctx, v.ID, z.ID)
	if err != nil {
		t.Fatal(err)
	}

	got, err := st.ForgetClient(ctx, v.ID, owner.ID, z.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Bookings != 3 || got.Messages != 2 {
		t.Fatalf("forgot %+v, want 3 bookings and 2 messages", got)
	}
	if after := revenue(); after != before {
		t.Fatalf("revenue totals changed: %s → %s", before, after)
	}
	statsAfter, _ := st.ClientStats(ctx, v.ID, z.ID)
	if statsAfter.SpendMinor != statsBefore.SpendMinor || statsAfter.Completed != statsBefore.Completed {
		t.Fatalf("client stats changed: %+v → %+v", statsBefore, statsAfter)
	}

	personal := []string{"Zebedee", "Quillfeather", "+61413987654", "0413 987 654", "0413987654", "413987654", "zeb.quill", "1987-06-05",
		"Latex", "latex"}
	tables := f.strings(t, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if len(tables) < 25 {
		t.Fatalf("only %d tables found", len(tables))
	}
	for _, table := range tables {
		rows, err := st.DB().Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, val := range vals {
				text := fmt.Sprintf("%s", val)
				if b, ok := val.([]byte); ok {
					text = string(b)
				}
				for _, p := range personal {
					if strings.Contains(text, p) {
						t.Errorf("%s.%s still holds %q: %q", table, cols[i], p, text)
					}
				}
				if table == "clients" && cols[i] == "birth_year" && fmt.Sprint(val) == "1987" {
					t.Errorf("clients.birth_year still holds 1987")
				}
			}
		}
		rows.Close()
	}
	c, err := st.Client(ctx, v.ID, z.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.FullName() != salon.ForgottenName || c.Phone != "" || c.Email != "" || !c.Birthday.IsZero() || len(c.Tags) != 0 {
		t.Fatalf("profile after forgetting: %+v", c)
	}
	if !c.SMSOptOut || !c.EmailOptOut {
		t.Fatal("a forgotten client can still be messaged")
	}
	if n := f.count(t, `SELECT count(*) FROM messages WHERE venue_id = ? AND client_id = ? AND status = 'queued'`, v.ID, z.ID); n != 0 {
		t.Fatalf("%d messages to the forgotten client still queued", n)
	}
	// Other clients keep theirs.
	if sarah, _ := st.Client(ctx, v.ID, f.client.ID); sarah.FullName() != "Sarah Smith" || sarah.Phone == "" {
		t.Fatalf("another client changed: %+v", sarah)
	}
	trail, err := st.AuditTrail(ctx, v.ID, "client", z.ID)
	if err != nil || len(trail) == 0 || trail[0].Event != "forgotten" || trail[0].UserID != owner.ID {
		t.Fatalf("audit trail: %+v, %v", trail, err)
	}
	if !strings.Contains(trail[0].After, `"bookings_kept":3`) {
		t.Fatalf("the audit entry does not say what was kept: %s", trail[0].After)
	}
}

// strings runs a query returning one text column.
func (f fixture) strings(t *testing.T, q string, args ...any) []string {
	t.Helper()
	rows, err := f.st.DB().Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}
