package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"concierge/store"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// METRICS_ADDR serves /metrics on its own listener (the app's own /metrics answering
// 404 without a token), the scheduler's jobs show up there as they run, and
// LOG_FORMAT=json makes every log line a JSON object.
func TestServeMetricsAddrAndJSONLogs(t *testing.T) {
	store.BcryptCost = bcrypt.MinCost
	addr, maddr := freeAddr(t), freeAddr(t)
	env := map[string]string{"METRICS_ADDR": maddr, "LOG_FORMAT": "json"}
	ctx, cancel := context.WithCancel(context.Background())
	logs := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--db", filepath.Join(t.TempDir(), "m.db")},
			func(k string) string { return env[k] }, io.Discard, logs)
	}()
	defer func() { cancel(); <-done }()

	get := func(url string) (int, string) {
		res, err := http.Get(url)
		if err != nil {
			return 0, err.Error()
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	deadline := time.Now().Add(30 * time.Second)
	var body string
	for {
		// ScheduledSends runs every 5 seconds: its first run shows the scheduler at work.
		code, b := get("http://" + maddr + "/metrics")
		body = b
		if code == 200 && strings.Contains(b, `concierge_job_runs_total{job="scheduled_sends"} 1`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no scheduled_sends run on METRICS_ADDR:\n%s", b)
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, want := range []string{"concierge_send_queue_depth 0", "concierge_db_statements_total ", "go_goroutines "} {
		if !strings.Contains(body, want) {
			t.Fatalf("METRICS_ADDR /metrics lacks %q", want)
		}
	}
	if code, _ := get("http://" + addr + "/metrics"); code != http.StatusNotFound {
		t.Fatalf("the app's /metrics without METRICS_TOKEN: %d, want 404", code)
	}
	if code, b := get("http://" + addr + "/healthz"); code != 200 {
		t.Fatalf("healthz: %d %s", code, b)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) == 0 {
		t.Fatal("no log lines")
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", l)
		}
	}
}
