package main

import (
	"context"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"concierge/store"
)

// startServer runs the built binary on the database and waits for /healthz.
func startServer(t *testing.T, bin, db string) (*exec.Cmd, string) {
	t.Helper()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", addr, "--demo=false")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(15 * time.Second); ; {
		if res, err := http.Get("http://" + addr + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return cmd, "http://" + addr
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestCrashDuringBatchSendNeverDuplicates kills the process with SIGKILL in the middle
// of a 5,000-recipient send, restarts it, and checks that nobody got two messages and
// every recipient ended sent, failed or unknown.
func TestCrashDuringBatchSendNeverDuplicates(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	dir := t.TempDir()
	bin, db := filepath.Join(dir, "concierge"), filepath.Join(dir, "crash.db")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, args := range [][]string{
		{"seed", "--db", db, "--venue", "crash", "--clients", "10000", "--years", "2"},
		{"user", "add", "--db", db, "--venue", "crash", "--email", "owner@crash.test", "--password", "crash-test-pw", "--role", "owner", "--name", "Owner"},
	} {
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	ctx := context.Background()
	st, err := store.Open(ctx, db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	// No quiet hours whatever the time of day, and money for 10,000 texts.
	st.DB().Exec(`UPDATE venues SET quiet_start = 0, quiet_end = 0, wallet_e4 = 100000000 WHERE slug = 'crash'`)
	st.Close()

	cmd, base := startServer(t, bin, db)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 60 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values) (*http.Response, error) {
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("HX-Request", "true")
		return client.Do(req)
	}
	res, err := post("/login", url.Values{"email": {"owner@crash.test"}, "password": {"crash-test-pw"}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %v", err)
	}
	res, err = post("/app/crash/concierge/turns", url.Values{"message": {"message my regulars"}})
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(res)
	m := regexp.MustCompile(`id="action-(\d+)"[^>]*data-action="cohort_outreach"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no cohort card: %.1500s", body)
	}
	draft := regexp.MustCompile(`name="body"[^>]*>([^<]*)</textarea>`).FindStringSubmatch(body)
	go post("/app/crash/concierge/actions/"+m[1]+"/send", url.Values{"body": {htmlUnescape(draft[1])}, "title": {"Regulars"}, "hold_confirmed": {"1"}})

	// Kill it once some, but not all, messages have been handed over.
	watch, _ := store.Open(ctx, db, time.Now)
	var queued, done int
	for deadline := time.Now().Add(60 * time.Second); ; {
		watch.DB().QueryRow(`SELECT coalesce(sum(status = 'queued'), 0), coalesce(sum(status <> 'queued'), 0) FROM messages WHERE action_id = ?`, m[1]).Scan(&queued, &done)
		if done > 300 && queued > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the send never got going: %d done, %d queued", done, queued)
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	watch.DB().QueryRow(`SELECT coalesce(sum(status = 'queued'), 0), count(*) FROM messages WHERE action_id = ?`, m[1]).Scan(&queued, &done)
	t.Logf("killed with %d of %d recipients still queued", queued, done)
	if done < 5000 || queued == 0 {
		t.Fatalf("want a 5,000+ recipient send interrupted mid-way: %d recipients, %d queued", done, queued)
	}
	watch.Close()

	// Restart: the resume job finishes the send.
	cmd, _ = startServer(t, bin, db)
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	check, _ := store.Open(ctx, db, time.Now)
	defer check.Close()
	var status string
	for deadline := time.Now().Add(60 * time.Second); ; {
		check.DB().QueryRow(`SELECT status FROM actions WHERE id = ?`, m[1]).Scan(&status)
		if status == "executed" || status == "failed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the send was not resumed: action %s", status)
		}
		time.Sleep(50 * time.Millisecond)
	}
	var dupes, other, unknown, total int
	check.DB().QueryRow(`SELECT count(*) FROM (SELECT client_id FROM messages WHERE action_id = ? GROUP BY client_id HAVING count(*) > 1)`, m[1]).Scan(&dupes)
	check.DB().QueryRow(`SELECT count(*), coalesce(sum(status NOT IN ('sent', 'delivered', 'failed', 'unknown')), 0), coalesce(sum(status = 'unknown'), 0)
		FROM messages WHERE action_id = ?`, m[1]).Scan(&total, &other, &unknown)
	t.Logf("after restart: %d recipients, %d unknown, action %s", total, unknown, status)
	if dupes != 0 || other != 0 || total < 5000 || unknown > 1 {
		t.Fatalf("want 0 duplicates and every recipient sent, failed or unknown: %d dupes, %d other, %d unknown of %d", dupes, other, unknown, total)
	}
}

func readAll(res *http.Response) string {
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#39;", "'", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&quot;", `"`).Replace(s)
}
