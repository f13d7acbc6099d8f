package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"concierge/salon"
	"concierge/store"
)

// A backup taken while bookings are written at about 200 a second is a whole database
// (integrity_check) holding every booking committed before the backup began.
func TestBackupDuringWriteLoad(t *testing.T) {
	f := newFixture(t, "AU")
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "live.db")
	st, err := store.Open(ctx, dbPath, f.clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// The fixture's venue lives in another file: copy what the load needs here.
	v, err := st.CreateVenue(ctx, store.NewVenue{Slug: "load", Name: "Load", Country: "AU", TimeZone: "Australia/Sydney"})
	if err != nil {
		t.Fatal(err)
	}
	staffID, _ := st.EnsureStaff(ctx, v.ID, "Mia")
	svc, err := st.EnsureService(ctx, v.ID, store.NewService{Name: "Cut", Category: "Cut", DurationMin: 30, PriceMinor: 5000, StaffIDs: []int64{staffID}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.CreateClient(ctx, v.ID, 0, salon.ClientInput{FirstName: "Load", LastName: "Test", Email: "load@example.com", NotifySMS: true})
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var committed []int64
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		tick := time.NewTicker(5 * time.Millisecond) // 200 a second
		defer tick.Stop()
		start := f.clk.Now().Add(24 * time.Hour).Truncate(time.Hour)
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			case <-tick.C:
			}
			b, err := st.CreateBooking(ctx, v.ID, 0, store.BookingInput{ClientID: c.ID, StaffID: staffID,
				Start: start.Add(time.Duration(i) * 30 * time.Minute), ServiceIDs: []int64{svc}})
			if err != nil {
				done <- err
				return
			}
			mu.Lock()
			committed = append(committed, b.ID)
			mu.Unlock()
		}
	}()
	time.Sleep(1500 * time.Millisecond) // load before the backup
	mu.Lock()
	before := append([]int64(nil), committed...)
	mu.Unlock()
	out := filepath.Join(dir, "backup.db")
	if err := store.Backup(ctx, dbPath, out); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // and after it
	close(stop)
	if err := <-done; err != nil {
		t.Fatalf("write load: %v", err)
	}
	if len(before) < 150 {
		t.Fatalf("only %d bookings committed before the backup: the load did not run", len(before))
	}
	if len(committed) <= len(before) {
		t.Fatalf("no bookings written after the backup began (%d in all)", len(committed))
	}

	db, err := sql.Open("sqlite", "file:"+out+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	have := map[int64]bool{}
	rows, err := db.Query(`SELECT id FROM bookings WHERE venue_id = ?`, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		have[id] = true
	}
	rows.Close()
	for _, id := range before {
		if !have[id] {
			t.Fatalf("booking %d committed before the backup began is missing from it (%d of %d present)", id, len(have), len(before))
		}
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file mode: %v, %v", fi.Mode(), err)
	}
	// A second backup to the same name is refused rather than overwriting the first.
	if err := store.Backup(ctx, dbPath, out); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
}

// restore refuses while a server holds the database, and otherwise swaps the backup in,
// keeping the replaced database beside it.
func TestRestoreRefusesADatabaseInUse(t *testing.T) {
	f := newFixture(t, "AU")
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	st, err := store.Open(ctx, live, f.clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateVenue(ctx, store.NewVenue{Slug: "before", Name: "Before", Country: "AU", TimeZone: "Australia/Sydney"}); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "b.db")
	if err := store.Backup(ctx, live, backup); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateVenue(ctx, store.NewVenue{Slug: "after", Name: "After", Country: "AU", TimeZone: "Australia/Sydney"}); err != nil {
		t.Fatal(err)
	}
	release, err := store.Lock(live) // what serve does
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Restore(ctx, backup, live, filepath.Join(dir, "kept.db")); !errors.Is(err, store.ErrInUse) {
		t.Fatalf("restore over a served database: %v, want ErrInUse", err)
	}
	if _, err := store.Lock(live); !errors.Is(err, store.ErrInUse) {
		t.Fatalf("a second server on the same file: %v, want ErrInUse", err)
	}
	release()
	st.Close()

	if err := store.Restore(ctx, backup, live, filepath.Join(dir, "kept.db")); err != nil {
		t.Fatal(err)
	}
	st, err = store.Open(ctx, live, f.clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.VenueBySlug(ctx, "before"); err != nil {
		t.Fatalf("restored database lacks the venue made before the backup: %v", err)
	}
	if _, err := st.VenueBySlug(ctx, "after"); err == nil {
		t.Fatal("restored database still has the venue made after the backup")
	}
	if err := store.Check(ctx, filepath.Join(dir, "kept.db")); err != nil {
		t.Fatalf("the replaced database was not kept: %v", err)
	}
	// A file that is not a database is refused before anything is touched.
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("not a database at all, not even close"), 0o600)
	if err := store.Restore(ctx, junk, live, filepath.Join(dir, "kept2.db")); err == nil {
		t.Fatal("restored a file that is not a database")
	}
}
