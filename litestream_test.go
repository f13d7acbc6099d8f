package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"concierge/salon"
	"concierge/store"
)

// litestreamBinary finds the litestream command on PATH or where `go install` puts it.
func litestreamBinary() string {
	if p, err := exec.LookPath("litestream"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	p := filepath.Join(gopath, "bin", "litestream")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// The sample deploy/litestream.yml replicates the database to a file replica and
// Litestream restores from it a database that passes the integrity check, holds what
// was written and opens with the app.
func TestLitestreamReplicateAndRestore(t *testing.T) {
	bin := litestreamBinary()
	if bin == "" {
		t.Skip("the litestream command is not installed (go install github.com/benbjohnson/litestream/cmd/litestream@v0.5.18); " +
			"only the built-in backup is tested (store.TestBackupDuringWriteLoad)")
	}
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "concierge.db")
	replica := filepath.Join(dir, "replica")
	sample, err := os.ReadFile("deploy/litestream.yml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := string(sample)
	for _, p := range []string{"/var/lib/concierge/concierge.db", "/srv/backup/concierge-replica"} {
		if !strings.Contains(cfg, "path: "+p) {
			t.Fatalf("deploy/litestream.yml no longer has path %s", p)
		}
	}
	cfg = strings.ReplaceAll(cfg, "path: /var/lib/concierge/concierge.db", "path: "+db)
	cfg = strings.ReplaceAll(cfg, "path: /srv/backup/concierge-replica", "path: "+replica)
	cfgPath := filepath.Join(dir, "litestream.yml")
	os.WriteFile(cfgPath, []byte(cfg), 0o600)

	st, err := store.Open(ctx, db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	v, err := st.CreateVenue(ctx, store.NewVenue{Slug: "replicated", Name: "Replicated", Country: salon.AU, TimeZone: "Australia/Sydney"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if _, err := st.CreateClient(ctx, v.ID, 0, salon.ClientInput{FirstName: "Client", LastName: string(rune('A' + i%26)),
			Email: "c" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "@example.com", NotifyEmail: true}); err != nil {
			t.Fatal(err)
		}
	}
	litestream := func(args ...string) {
		t.Helper()
		cmd := exec.CommandContext(ctx, bin, args...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("litestream %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	litestream("replicate", "-config", cfgPath, "-once")
	st.Close()

	restored := filepath.Join(dir, "restored.db")
	litestream("restore", "-config", cfgPath, "-o", restored, db)
	if err := store.Check(ctx, restored); err != nil {
		t.Fatal(err)
	}
	os.Chmod(restored, 0o600)
	back, err := store.Open(ctx, restored, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	rv, err := back.VenueBySlug(ctx, "replicated")
	if err != nil {
		t.Fatalf("the restored database lacks the venue: %v", err)
	}
	var n int
	if err := back.DB().QueryRow(`SELECT count(*) FROM clients WHERE venue_id = ?`, rv.ID).Scan(&n); err != nil || n != 50 {
		t.Fatalf("restored clients = %d, %v; want 50", n, err)
	}
}
