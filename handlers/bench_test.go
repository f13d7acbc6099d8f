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

	"concierge/demo"
	"concierge/handlers"
	"concierge/messaging"
	"concierge/salon"
	"concierge/static"
	"concierge/store"
)

// BenchmarkClientSearch measures server time of the clients page (search and paging)
// through the real routes on a generated venue of 10,000 clients and ~125,000
// bookings. Target: p95 ≤ 20 ms.
func BenchmarkClientSearch(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), time.Now)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
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
	sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
	p := func(q float64) float64 {
		return float64(durations[int(q*float64(len(durations)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.95), "p95-ms")
	b.ReportMetric(p(0.99), "p99-ms")
}
