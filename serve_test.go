package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"concierge/store"
)

// lockedBuffer collects the server's log output from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// startServe runs `concierge serve` in-process on a free port and returns its address
// and log; the server stops when the test ends.
func startServe(t *testing.T, args ...string) (string, *lockedBuffer) {
	t.Helper()
	store.BcryptCost = bcrypt.MinCost
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	logs := &lockedBuffer{}
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", addr}, args...), func(string) string { return "" }, io.Discard, logs)
	}()
	t.Cleanup(func() { cancel(); <-done })
	deadline := time.Now().Add(60 * time.Second)
	probe := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for {
		res, err := probe.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return addr, logs
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Item 9: the binary alone is a real install (first-run page, no demo logins); only
// --demo (what `make run` passes) seeds the demo venues.
func TestServeDefaultsToARealInstall(t *testing.T) {
	addr, _ := startServe(t, "--db", filepath.Join(t.TempDir(), "new.db"))
	res, err := noRedirect().Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/setup" {
		t.Fatalf("a new install without --demo should open the first-run page, got %d %q", res.StatusCode, res.Header.Get("Location"))
	}

	demo, _ := startServe(t, "--db", filepath.Join(t.TempDir(), "demo.db"), "--demo")
	res, err = noRedirect().Get("http://" + demo + "/login")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("--demo: sign-in page %d", res.StatusCode)
	}
	res, _ = noRedirect().Get("http://" + demo + "/setup")
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("--demo has venues, so no first-run page: %d", res.StatusCode)
	}
}

// Item 10: a body trickled a byte at a time no longer holds a connection open (it was
// held over 40 s), and oversized headers are refused.
func TestServeCutsSlowBodiesAndHugeHeaders(t *testing.T) {
	saved := httpLimits
	httpLimits.Read, httpLimits.ReadHeader = 2*time.Second, 2*time.Second
	t.Cleanup(func() { httpLimits = saved })
	addr, _ := startServe(t, "--db", filepath.Join(t.TempDir(), "slow.db"))

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n", addr)
	start := time.Now()
	closed := false
	for time.Since(start) < 8*time.Second {
		if _, err := conn.Write([]byte("a")); err != nil {
			closed = true
			break
		}
		conn.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
		var buf [1]byte
		if _, err := conn.Read(buf[:]); err != nil && !isTimeout(err) {
			closed = true
			break
		}
	}
	if !closed {
		t.Fatalf("a trickled body held the connection for %s", time.Since(start).Round(time.Second))
	}
	if held := time.Since(start); held > 5*time.Second {
		t.Fatalf("the slow body was cut only after %s (read timeout 2 s)", held)
	}

	conn2, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.Close()
	fmt.Fprintf(conn2, "GET /login HTTP/1.1\r\nHost: %s\r\nX-Big: %s\r\n\r\n", addr, strings.Repeat("a", 200<<10))
	line, _ := bufio.NewReader(conn2).ReadString('\n')
	if !strings.Contains(line, "431") {
		t.Fatalf("200 KiB of headers: got %q, want 431", line)
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// Item 8: a deal link's token never reaches the request log.
func TestRequestLogHasNoDealToken(t *testing.T) {
	addr, logs := startServe(t, "--db", filepath.Join(t.TempDir(), "log.db"), "--demo")
	const secret = "s3cr3t-deal-token-abcdef"
	res, err := http.Get("http://" + addr + "/deals/" + secret)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	res, _ = http.Get("http://" + addr + "/book/bella/resume?t=" + secret)
	res.Body.Close()
	// Each log line is written just after its response, in whatever order the two
	// handlers finish: wait for both.
	deadline := time.Now().Add(5 * time.Second)
	for !(strings.Contains(logs.String(), "resume") && strings.Contains(logs.String(), "/deals/")) && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	out := logs.String()
	if !strings.Contains(out, "/deals/:token") || !strings.Contains(out, "/book/bella/resume") {
		t.Fatalf("the requests should be logged by their routes:\n%s", out)
	}
	if strings.Contains(out, secret) {
		t.Fatalf("a deal or resume token is in the log:\n%s", out)
	}
}

// Item 8: serve refuses a database other users can read, and says how to fix it.
func TestServeRefusesADatabaseOthersCanRead(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shared.db")
	if err := os.WriteFile(db, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(db, 0o644) // whatever the umask
	err := run(context.Background(), []string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, func(string) string { return "" }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("want a refusal that says chmod 600, got %v", err)
	}
}

// Attack review: one client holding every connection (idle keep-alives) shut everyone
// else out. One network may hold only its share; others are still served, and a
// closed connection frees its place.
func TestServeLimitsConnectionsPerNetwork(t *testing.T) {
	saved := httpLimits
	httpLimits.PerNetwork = 5
	t.Cleanup(func() { httpLimits = saved })
	addr, _ := startServe(t, "--db", filepath.Join(t.TempDir(), "conns.db"))

	dialFrom := func(local string) net.Conn {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 2 * time.Second}
		c, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	served := func(c net.Conn) bool {
		c.SetDeadline(time.Now().Add(3 * time.Second))
		fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
		line, err := bufio.NewReader(c).ReadString('\n')
		return err == nil && strings.Contains(line, "200")
	}
	// servedSoon retries while the server is still closing an earlier connection of
	// this network (startServe's probe): its place is freed once the server closes it.
	servedSoon := func(local string) net.Conn {
		deadline := time.Now().Add(3 * time.Second)
		for {
			c := dialFrom(local)
			if served(c) {
				return c
			}
			c.Close()
			if time.Now().After(deadline) {
				t.Fatalf("a connection from %s was not served", local)
			}
		}
	}
	var held []net.Conn
	for i := 0; i < 5; i++ {
		c := servedSoon("127.0.0.1")
		defer c.Close()
		held = append(held, c)
	}
	extra := dialFrom("127.0.0.1")
	defer extra.Close()
	if served(extra) {
		t.Fatal("a 6th open connection from one network was served")
	}
	other := dialFrom("127.0.0.2")
	defer other.Close()
	if !served(other) {
		t.Fatal("another network must still be served")
	}
	held[0].Close()
	servedSoon("127.0.0.1").Close()
}

// Review: inbound texts are matched to venues by the number they were sent to, in
// E.164; a TWILIO_FROM written another way matched no venue and STOPs were lost. It is
// checked and normalised at start.
func TestServeRefusesATwilioFromNotInInternationalForm(t *testing.T) {
	for _, from := range []string{"0400 000 000", "+61 4", "not a number"} {
		env := map[string]string{"TWILIO_ACCOUNT_SID": "ACtest123", "TWILIO_AUTH_TOKEN": "token", "TWILIO_FROM": from}
		err := run(context.Background(), []string{"serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--addr", "127.0.0.1:0"},
			func(k string) string { return env[k] }, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "TWILIO_FROM") {
			t.Errorf("TWILIO_FROM %q: want a clear refusal, got %v", from, err)
		}
	}
}
