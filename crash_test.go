package main

import (
	"context"
	"database/sql"
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

// startServer runs the built binary on the database, with env added to the test's
// environment, and waits for /healthz.
func startServer(t *testing.T, bin, db string, env ...string) (*exec.Cmd, string) {
	t.Helper()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", addr, "--demo=false")
	cmd.Env = append(os.Environ(), env...)
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
// of a 5,000-recipient send, while one message is with the provider, restarts it, and
// checks that no message was handed to the provider twice (as the provider saw it, not
// as the database says), every message recorded sent was handed over, the one cut off
// mid-hand-over ended unknown, and every recipient ended sent, failed or unknown.
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
	if _, err := st.DB().Exec(`UPDATE venues SET quiet_start = 0, quiet_end = 0, wallet_e4 = 100000000 WHERE slug = 'crash'`); err != nil {
		t.Fatal(err)
	}
	st.Close()

	// The real Twilio sender, pointed at a fake Twilio that logs every hand-over and
	// holds the 400th: the process is killed while it waits for the answer.
	twilio := newFakeTwilio(t, dir, 400)
	cmd, base := startServer(t, bin, db, twilio.env...)
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

	// Kill it in the middle of the 400th hand-over.
	var held string
	select {
	case held = <-twilio.held:
	case <-time.After(60 * time.Second):
		handed, strays := twilio.log()
		t.Fatalf("the send never got going: %d hand-overs, refused by the proxy: %v", len(handed), strays)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	watch, err := store.Open(ctx, db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	var queued, total int
	scan(t, watch.DB().QueryRow(`SELECT coalesce(sum(status = 'queued'), 0), count(*) FROM messages WHERE action_id = ?`, m[1]), &queued, &total)
	t.Logf("killed with %d of %d recipients still queued", queued, total)
	if total < 5000 || queued == 0 {
		t.Fatalf("want a 5,000+ recipient send interrupted mid-way: %d recipients, %d queued", total, queued)
	}
	watch.Close()

	// Restart: the resume job finishes the send.
	cmd, _ = startServer(t, bin, db, twilio.env...)
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	check, err := store.Open(ctx, db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	var status string
	for deadline := time.Now().Add(60 * time.Second); ; {
		scan(t, check.DB().QueryRow(`SELECT status FROM actions WHERE id = ?`, m[1]), &status)
		if status == "executed" || status == "failed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the send was not resumed: action %s", status)
		}
		time.Sleep(50 * time.Millisecond)
	}
	var dupes, other, unknown int
	scan(t, check.DB().QueryRow(`SELECT count(*) FROM (SELECT client_id FROM messages WHERE action_id = ? GROUP BY client_id HAVING count(*) > 1)`, m[1]), &dupes)
	scan(t, check.DB().QueryRow(`SELECT count(*), coalesce(sum(status NOT IN ('sent', 'delivered', 'failed', 'unknown')), 0), coalesce(sum(status = 'unknown'), 0)
		FROM messages WHERE action_id = ?`, m[1]), &total, &other, &unknown)
	t.Logf("after restart: %d recipients, %d unknown, action %s", total, unknown, status)
	if dupes != 0 || other != 0 || total < 5000 || unknown > 1 {
		t.Fatalf("want 0 duplicates and every recipient sent, failed or unknown: %d dupes, %d other, %d unknown of %d", dupes, other, unknown, total)
	}

	// What the provider got: each message at most once, every message recorded sent
	// handed over, and the one cut off mid-hand-over unknown, never sent again. Texts
	// are told apart by their number (Twilio takes no id of ours); two clients may share
	// one, so a number may be handed over as often as it has messages.
	handed, strays := twilio.log()
	if len(strays) > 0 {
		t.Errorf("the process asked the proxy for something other than Twilio: %v", strays)
	}
	numbers := map[string]*byNumber{}
	rows, err := check.DB().Query(`SELECT channel, to_addr, status FROM messages WHERE action_id = ?`, m[1])
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var channel, to, st string
		if err := rows.Scan(&channel, &to, &st); err != nil {
			t.Fatal(err)
		}
		if channel != "sms" {
			t.Fatalf("want an SMS send (an AU venue), got a message by %s", channel)
		}
		if numbers[to] == nil {
			numbers[to] = &byNumber{}
		}
		numbers[to].messages++
		switch st {
		case "sent", "delivered":
			numbers[to].sent++
		case "unknown":
			numbers[to].unknown++
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	handovers := 0
	for to, n := range handed {
		handovers += n
		if got := numbers[to]; got == nil || n > got.messages {
			t.Errorf("%s was handed to the provider %d times, for %d message(s) of the send", to, n, numbers[to].count())
		}
	}
	for to, got := range numbers {
		if handed[to] < got.sent {
			t.Errorf("%s: %d message(s) recorded sent, but the provider got %d", to, got.sent, handed[to])
		}
	}
	if got := numbers[held]; got == nil || got.unknown != 1 {
		t.Errorf("the message to %s, cut off mid-hand-over, should be unknown: %+v", held, got)
	}
	t.Logf("the provider got %d hand-overs", handovers)
}

// byNumber counts a send's messages to one number.
type byNumber struct{ messages, sent, unknown int }

func (b *byNumber) count() int {
	if b == nil {
		return 0
	}
	return b.messages
}

// scan scans a single row, failing the test on an error (a swallowed one reads as
// zeros, and zero duplicates passes).
func scan(t *testing.T, row *sql.Row, dest ...any) {
	t.Helper()
	if err := row.Scan(dest...); err != nil {
		t.Fatal(err)
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
