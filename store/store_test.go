package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"concierge/salon"
	"concierge/store"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// fixture is a venue with one staff member, one service and one client.
type fixture struct {
	st      *store.Store
	clk     *clock
	venue   salon.Venue
	staffID int64
	service int64
	client  salon.Client
}

func newFixture(t *testing.T, country salon.Country) fixture {
	t.Helper()
	store.BcryptCost = bcrypt.MinCost
	clk := &clock{t: time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)} // 12:00 in Sydney
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "test.db"), clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tz := map[salon.Country]string{salon.AU: "Australia/Sydney", salon.GB: "Europe/London", salon.NZ: "Pacific/Auckland"}[country]
	v, err := st.CreateVenue(ctx, store.NewVenue{Slug: "v" + strings.ToLower(string(country)), Name: "Venue " + string(country), Country: country, TimeZone: tz})
	if err != nil {
		t.Fatal(err)
	}
	staffID, err := st.EnsureStaff(ctx, v.ID, "Mia")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := st.EnsureService(ctx, v.ID, store.NewService{Name: "Cut", Category: "Cut & Style", DurationMin: 60, PriceMinor: 9000, StaffIDs: []int64{staffID}})
	if err != nil {
		t.Fatal(err)
	}
	phone := map[salon.Country]string{salon.AU: "0412 345 678", salon.GB: "07911 123456", salon.NZ: "021 123 4567"}[country]
	c, err := st.CreateClient(ctx, v.ID, 0, salon.ClientInput{FirstName: "Sarah", LastName: "Smith", Phone: phone, Email: "sarah@example.com", NotifySMS: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.TopUpWallet(ctx, v.ID, 0, 100, "fixture"); err != nil { // A$1.00
		t.Fatal(err)
	}
	return fixture{st: st, clk: clk, venue: v, staffID: staffID, service: svc, client: c}
}

// count runs a query that returns one integer (a count, an id), failing the test when
// the query does: a swallowed error would read as 0 and pass a "nothing changed" check.
func (f fixture) count(t *testing.T, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := f.st.DB().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func (f fixture) at(t *testing.T, local string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", local, f.venue.Location())
	if err != nil {
		t.Fatal(err)
	}
	return tm.UTC()
}

func TestCreateBookingRefusesOverlap(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	first, err := f.st.CreateBooking(ctx, f.venue.ID, 0, store.BookingInput{ClientID: f.client.ID, StaffID: f.staffID,
		Start: f.at(t, "2026-11-25 10:00"), ServiceIDs: []int64{f.service}})
	if err != nil {
		t.Fatal(err)
	}
	if got := first.End.Sub(first.Start); got != time.Hour {
		t.Fatalf("end should follow the service duration: got %s", got)
	}
	cases := []struct {
		name    string
		start   string
		wantErr bool
	}{
		{"same slot", "2026-11-25 10:00", true},
		{"starts inside", "2026-11-25 10:30", true},
		{"ends inside", "2026-11-25 09:30", true},
		{"back to back after", "2026-11-25 11:00", false},
		{"back to back before", "2026-11-25 09:00", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.st.CreateBooking(ctx, f.venue.ID, 0, store.BookingInput{ClientID: f.client.ID, StaffID: f.staffID,
				Start: f.at(t, tc.start), ServiceIDs: []int64{f.service}})
			if tc.wantErr {
				if salon.ErrorCode(err) != salon.CodeConflict || !strings.Contains(err.Error(), "already booked") {
					t.Fatalf("want an overlap conflict, got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("want success, got %v", err)
			}
		})
	}
	// A cancelled booking frees its slot.
	if err := f.st.SetBookingStatus(ctx, f.venue.ID, 0, first.ID, salon.Cancelled); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.CreateBooking(ctx, f.venue.ID, 0, store.BookingInput{ClientID: f.client.ID, StaffID: f.staffID,
		Start: f.at(t, "2026-11-25 10:00"), ServiceIDs: []int64{f.service}}); err != nil {
		t.Fatalf("cancelled slot should be free: %v", err)
	}
}

func TestConcurrentCreatesOfOneSlotMakeOneBooking(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	start := f.at(t, "2026-11-26 14:00")
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, conflicts := 0, 0
	var other []error
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.st.CreateBooking(ctx, f.venue.ID, 0, store.BookingInput{ClientID: f.client.ID, StaffID: f.staffID,
				Start: start, ServiceIDs: []int64{f.service}})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case salon.ErrorCode(err) == salon.CodeConflict:
				conflicts++
			default:
				other = append(other, err)
			}
		}()
	}
	wg.Wait()
	if ok != 1 || conflicts != 49 || len(other) > 0 {
		t.Fatalf("want 1 booking and 49 conflicts, got %d ok, %d conflicts, other errors %v", ok, conflicts, other)
	}
	list, err := f.st.BookingsBetween(ctx, f.venue.ID, start.Add(-time.Hour), start.Add(time.Hour))
	if err != nil || len(list) != 1 {
		t.Fatalf("want exactly one stored booking, got %d (%v)", len(list), err)
	}
}

func TestUpdateClientWithBadPhoneChangesNothing(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	in := salon.ClientInput{FirstName: "Changed", LastName: "Name", Phone: "12345", Email: "new@example.com"}
	_, err := f.st.UpdateClient(ctx, f.venue.ID, 0, f.client.ID, in)
	fe := salon.FieldErrors(err)
	if fe["phone"] == "" {
		t.Fatalf("want a phone field error, got %v", err)
	}
	got, err := f.st.Client(ctx, f.venue.ID, f.client.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.FirstName != "Sarah" || got.Phone != "+61412345678" || got.Email != "sarah@example.com" {
		t.Fatalf("client changed despite the error: %+v", got)
	}
}

func TestClientOfAnotherVenueIsNotFound(t *testing.T) {
	a := newFixture(t, salon.AU)
	ctx := context.Background()
	other, err := a.st.CreateVenue(ctx, store.NewVenue{Slug: "other", Name: "Other", Country: salon.GB, TimeZone: "Europe/London"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.st.Client(ctx, other.ID, a.client.ID); !errors.Is(err, salon.ErrNotFound) {
		t.Fatalf("want not found across venues, got %v", err)
	}
	if _, err := a.st.UpdateClient(ctx, other.ID, 0, a.client.ID, salon.ClientInput{FirstName: "X"}); !errors.Is(err, salon.ErrNotFound) {
		t.Fatalf("want not found when updating across venues, got %v", err)
	}
}

func TestSearchClientsByNamePhoneAndEmail(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	for _, q := range []string{"sarah", "SMITH", "0412 345", "+61412345678", "412345678", "sarah@example"} {
		res, err := f.st.SearchClients(ctx, f.venue.ID, q, 1)
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 1 || res.Clients[0].ID != f.client.ID {
			t.Errorf("search %q: want Sarah, got %d results", q, res.Total)
		}
	}
	res, _ := f.st.SearchClients(ctx, f.venue.ID, "100%", 1)
	if res.Total != 0 {
		t.Errorf("LIKE wildcards must be escaped, got %d results", res.Total)
	}
}

// The database holds password hashes and the session key: a new file and its -wal and
// -shm are private to their owner, and a file others can read is refused.
func TestDatabaseFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	path := filepath.Join(dir, "private.db")
	st, err := store.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`INSERT INTO app_secrets (name, value) VALUES ('x', 'y')`); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s mode %04o, want 0600", filepath.Base(p), perm)
		}
	}
	st.Close()

	os.Chmod(path, 0o644)
	_, err = store.Open(context.Background(), path, nil)
	if err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a world-readable database must be refused with the fix, got %v", err)
	}
	os.Chmod(path, 0o600)
	if st, err := store.Open(context.Background(), path, nil); err != nil {
		t.Fatalf("after chmod 600: %v", err)
	} else {
		st.Close()
	}
}

// The bell counts every unread notice the person may see — past the 30 the list shows —
// and none of the kinds hidden from them.
func TestUnreadNotificationsCount(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	for i := 0; i < 35; i++ {
		if err := f.st.Notify(ctx, f.venue.ID, 0, "backfill_booked", fmt.Sprintf("booked %d", i), "/"); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 4; i++ {
		if err := f.st.Notify(ctx, f.venue.ID, 0, salon.NoticeActionPending, "asks for approval", "/"); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		hidden []string
		want   int
	}{{nil, 39}, {[]string{salon.NoticeActionPending}, 35}, {[]string{salon.NoticeActionPending, "backfill_booked"}, 0}}
	for _, tc := range cases {
		n, err := f.st.UnreadNotifications(ctx, f.venue.ID, 1, tc.hidden)
		if err != nil || n != tc.want {
			t.Errorf("hidden %v: %d (%v), want %d", tc.hidden, n, err, tc.want)
		}
	}
}

func TestStatementsCountsEveryRoundTrip(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	before := f.st.Statements()
	if _, err := f.st.Venue(ctx, f.venue.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.Client(ctx, f.venue.ID, f.client.ID); err != nil {
		t.Fatal(err)
	}
	if got := f.st.Statements() - before; got != 2 {
		t.Fatalf("two reads ran %d statements", got)
	}
}
