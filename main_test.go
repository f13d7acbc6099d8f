package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"concierge/store"
)

func cli(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, &out, &errb)
	return out.String() + errb.String(), err
}

func TestCLI(t *testing.T) {
	store.BcryptCost = bcrypt.MinCost
	db := filepath.Join(t.TempDir(), "cli.db")
	dir := t.TempDir()
	clients := filepath.Join(dir, "clients.csv")
	os.WriteFile(clients, []byte("external_id,first_name,last_name,phone,email,birthday,sms_opt_out,email_opt_out,blocked,tags\n"+
		"x1,Ann,Lee,07911 000001,,,false,false,false,\n"), 0o644)
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("external_id,first_name,last_name,phone,email,birthday,sms_opt_out,email_opt_out,blocked,tags\n"+
		"x2,Bo,Ng,12345,,,false,false,false,\n"), 0o644)

	cases := []struct {
		name    string
		args    []string
		wantErr bool
		want    string
	}{
		{"unknown command", []string{"frobnicate"}, true, "Usage"},
		{"venue needs add", []string{"venue", "--db", db}, true, "usage: concierge venue add"},
		{"venue bad country", []string{"venue", "add", "--db", db, "--slug", "x", "--name", "X", "--country", "US", "--tz", "UTC"}, true, "country"},
		{"venue bad zone", []string{"venue", "add", "--db", db, "--slug", "xyz", "--name", "X", "--country", "AU", "--tz", "Nowhere/City"}, true, "time_zone"},
		{"venue add", []string{"venue", "add", "--db", db, "--slug", "studio", "--name", "The Studio", "--country", "gb", "--tz", "Europe/London"}, false, "Created venue studio"},
		{"venue duplicate", []string{"venue", "add", "--db", db, "--slug", "studio", "--name", "Again", "--country", "GB", "--tz", "Europe/London"}, true, "already exists"},
		{"user unknown venue", []string{"user", "add", "--db", db, "--venue", "nope", "--email", "a@b.co", "--password", "longenough", "--role", "owner", "--name", "A"}, true, "no venue"},
		{"user bad role", []string{"user", "add", "--db", db, "--venue", "studio", "--email", "a@b.co", "--password", "longenough", "--role", "boss", "--name", "A"}, true, "role"},
		{"user short password", []string{"user", "add", "--db", db, "--venue", "studio", "--email", "a@b.co", "--password", "short", "--role", "owner", "--name", "A"}, true, "password"},
		{"user add", []string{"user", "add", "--db", db, "--venue", "studio", "--email", "amy@studio.test", "--password", "longenough", "--role", "owner", "--name", "Amy"}, false, "is now owner"},
		{"import needs files", []string{"import", "--db", db, "--venue", "studio"}, true, "--clients"},
		{"import dry run", []string{"import", "--db", db, "--venue", "studio", "--clients", clients, "--dry-run"}, false, "Would import 1 new clients"},
		{"import bad", []string{"import", "--db", db, "--venue", "studio", "--clients", bad}, true, "line 2: phone:"},
		{"import", []string{"import", "--db", db, "--venue", "studio", "--clients", clients}, false, "Imported 1 new clients"},
		{"seed bad size", []string{"seed", "--db", db, "--venue", "big", "--clients", "0"}, true, "--clients"},
		{"seed", []string{"seed", "--db", db, "--venue", "fixture", "--clients", "200", "--years", "1"}, false, "Seeded fixture: 200 clients"},
		{"bad flag", []string{"serve", "--db", db, "--nope"}, true, "flag provided but not defined"},
		{"backup needs --to", []string{"backup", "--db", db}, true, "give --to"},
		{"backup", []string{"backup", "--db", db, "--to", filepath.Join(dir, "b1.db")}, false, "integrity check ok"},
		{"backup never overwrites", []string{"backup", "--db", db, "--to", filepath.Join(dir, "b1.db")}, true, "already exists"},
		{"backup of no database", []string{"backup", "--db", filepath.Join(dir, "none.db"), "--to", filepath.Join(dir, "b2.db")}, true, "no such file"},
		{"restore needs --from", []string{"restore", "--db", db}, true, "give --from"},
		{"restore", []string{"restore", "--db", db, "--from", filepath.Join(dir, "b1.db")}, false, "is kept as"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := cli(t, tc.args...)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v; output:\n%s", err, tc.wantErr, out)
			}
			text := out
			if err != nil {
				text += err.Error()
			}
			if !strings.Contains(text, tc.want) {
				t.Fatalf("output should contain %q, got:\n%s", tc.want, text)
			}
		})
	}
}

func TestServeStartsAndStops(t *testing.T) {
	store.BcryptCost = bcrypt.MinCost
	db := filepath.Join(t.TempDir(), "serve.db")
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve", "--db", db, "--addr", addr, "--demo=false"}, func(string) string { return "" }, &out, &bytes.Buffer{})
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("graceful stop: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("server did not stop")
	}
}

func TestServeRefusesHalfConfiguredProviders(t *testing.T) {
	env := map[string]string{"TWILIO_ACCOUNT_SID": "ACx"}
	err := run(context.Background(), []string{"serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--demo=false", "--addr", "127.0.0.1:0"},
		func(k string) string { return env[k] }, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "TWILIO_AUTH_TOKEN") {
		t.Fatalf("want a clear configuration error, got %v", err)
	}
}

// benchFixture builds the binary and a 10k-client / ~125k-booking database once.
func benchFixture(b *testing.B) (bin, db string) {
	b.Helper()
	dir := b.TempDir()
	bin = filepath.Join(dir, "concierge")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	db = filepath.Join(dir, "bench.db")
	out, err := exec.Command(bin, "seed", "--db", db, "--venue", "bench", "--clients", "10000", "--years", "2").CombinedOutput()
	if err != nil {
		b.Fatalf("seed: %v\n%s", err, out)
	}
	b.Logf("%s", bytes.TrimSpace(out))
	return bin, db
}

// BenchmarkColdStartAndIdleMemory starts the real binary on the 10k-client database,
// times start → first 200 from /healthz, and reads the idle RSS two seconds later.
// Targets: cold start ≤ 500 ms, idle memory ≤ 40 MB.
func BenchmarkColdStartAndIdleMemory(b *testing.B) {
	bin, db := benchFixture(b)
	var starts []time.Duration
	var rss []int
	for b.Loop() {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		begin := time.Now()
		cmd := exec.Command(bin, "serve", "--db", db, "--addr", addr)
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		for {
			res, err := http.Get("http://" + addr + "/healthz")
			if err == nil {
				res.Body.Close()
				if res.StatusCode == 200 {
					break
				}
			}
			if time.Since(begin) > 10*time.Second {
				b.Fatal("server did not start")
			}
			time.Sleep(2 * time.Millisecond)
		}
		starts = append(starts, time.Since(begin))
		time.Sleep(2 * time.Second)
		rss = append(rss, readRSSKB(b, cmd.Process.Pid))
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })
	sort.Ints(rss)
	b.ReportMetric(float64(starts[len(starts)-1].Microseconds())/1000, "max-cold-start-ms")
	b.ReportMetric(float64(rss[len(rss)-1])/1024, "max-idle-rss-MB")
}

func readRSSKB(b *testing.B, pid int) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			n, _ := strconv.Atoi(strings.Fields(line)[1])
			return n
		}
	}
	b.Fatal("no VmRSS")
	return 0
}
