package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"concierge/demo"
	"concierge/handlers"
	"concierge/messaging"
	"concierge/salon"
	"concierge/static"
	"concierge/store"
)

// benchApp is the real router over a generated venue of 10,000 clients and ~125,000
// bookings, with an Owner signed in.
func benchApp(b *testing.B) (*echo.Echo, []*http.Cookie) {
	b.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), time.Now)
	if err != nil {
		b.Fatal(err)
	}
	v, err := st.CreateVenue(ctx, store.NewVenue{Slug: "bench", Name: "Bench", Country: salon.AU, TimeZone: "Australia/Sydney"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.AddUser(ctx, v.ID, 0, store.NewUser{Email: "owner@bench.test", Name: "Owner", Password: password, Role: salon.Owner}); err != nil {
		b.Fatal(err)
	}
	stats, err := demo.Populate(ctx, st, v, demo.Options{Clients: 10000, Years: 2, Seed: 1, Now: time.Now()})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("fixture: %d clients, %d bookings", stats.Clients, stats.Bookings)
	srv := handlers.NewServer(st, &messaging.Dispatcher{Store: st}, handlers.Config{SessionKey: []byte("0123456789abcdef0123456789abcdef"),
		SMSProvider: "outbox", EmailProvider: "outbox"}, static.FS, slog.New(slog.NewTextHandler(io.Discard, nil)))
	e := srv.Echo()

	// Sign in once through the real login route.
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"email": {"owner@bench.test"}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	cookies := rec.Result().Cookies()
	if rec.Code != http.StatusSeeOther || len(cookies) == 0 {
		b.Fatalf("login: %d", rec.Code)
	}
	b.Cleanup(func() { st.Close() })
	return e, cookies
}

// percentiles reports p50/p95/p99 of the measured server times.
func percentiles(b *testing.B, durations []time.Duration) {
	sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
	p := func(q float64) float64 {
		return float64(durations[int(q*float64(len(durations)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.95), "p95-ms")
	b.ReportMetric(p(0.99), "p99-ms")
}

// BenchmarkClientSearch measures server time of the clients page (search and paging)
// through the real routes. Target: p95 ≤ 20 ms.
func BenchmarkClientSearch(b *testing.B) {
	e, cookies := benchApp(b)

	queries := []string{"", "?page=37", "?q=smith", "?q=olivia", "?q=0411+000+4", "?q=example.com&page=12", "?q=zz-no-match",
		"?q=te+rangi", "?q=+61411", "?q=charlotte+nguyen", "HX"}
	var durations []time.Duration
	i := 0
	for b.Loop() {
		q := queries[i%len(queries)]
		i++
		htmx := q == "HX"
		if htmx {
			q = "?q=jones"
		}
		req := httptest.NewRequest(http.MethodGet, "/app/bench/clients"+q, nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		if htmx {
			req.Header.Set("HX-Request", "true")
		}
		rec := httptest.NewRecorder()
		start := time.Now()
		e.ServeHTTP(rec, req)
		durations = append(durations, time.Since(start))
		if rec.Code != 200 {
			b.Fatalf("%s: %d", q, rec.Code)
		}
	}
	percentiles(b, durations)
}

// BenchmarkChatTurn measures server time of one Concierge turn with the keyword
// router (no model) over a mix of requests. Target: p95 ≤ 30 ms.
func BenchmarkChatTurn(b *testing.B) {
	e, cookies := benchApp(b)
	messages := []string{"fill my gaps tomorrow", "win back lapsed clients", "send to VIPs", "ask today's clients for a review",
		"follow up today's no-shows", "text Olivia", "reply to the inbox", "how are we doing?", "birthday wishes this week",
		"show me my VIPs", "message my regulars", "reschedule Olivia"}
	var durations []time.Duration
	perMessage := map[string]time.Duration{}
	i := 0
	for b.Loop() {
		msg := messages[i%len(messages)]
		i++
		req := httptest.NewRequest(http.MethodPost, "/app/bench/concierge/turns", strings.NewReader(url.Values{"message": {msg}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("HX-Request", "true")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		start := time.Now()
		e.ServeHTTP(rec, req)
		d := time.Since(start)
		durations = append(durations, d)
		if d > perMessage[msg] {
			perMessage[msg] = d
		}
		if rec.Code != 200 {
			b.Fatalf("%s: %d %s", msg, rec.Code, rec.Body.String())
		}
	}
	for _, m := range messages {
		b.Logf("slowest %-34q %s", m, perMessage[m].Round(100*time.Microsecond))
	}
	percentiles(b, durations)
}
