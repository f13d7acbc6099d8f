package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// BenchmarkConciergePage measures the Concierge page as staff reopen it after a busy
// morning: 40 turns (20 requests and their answers, each with its action cards) on the
// 10,000-client fixture. It reports server time percentiles and the statements one
// page view runs (the cards' audiences, wallet and approval state must be read in
// batches, not once per card).
func BenchmarkConciergePage(b *testing.B) {
	e, cookies, st := benchAppStore(b)
	messages := []string{"fill my gaps tomorrow", "win back lapsed clients", "send to VIPs", "ask today's clients for a review",
		"follow up today's no-shows", "text Olivia", "reply to the inbox", "how are we doing?", "birthday wishes this week",
		"show me my VIPs", "message my regulars", "reschedule Olivia"}
	for i := range 20 {
		if rec := benchPost(b, e, cookies, "/app/bench/concierge/turns", url.Values{"message": {messages[i%len(messages)]}}); rec.Code != http.StatusOK {
			b.Fatalf("turn %d: %d %s", i, rec.Code, rec.Body.String())
		}
	}
	var durations []time.Duration
	statements := int64(0)
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/app/bench/concierge", nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		before := st.Statements()
		start := time.Now()
		e.ServeHTTP(rec, req)
		durations = append(durations, time.Since(start))
		statements += st.Statements() - before
		if rec.Code != http.StatusOK {
			b.Fatalf("page: %d", rec.Code)
		}
	}
	b.ReportMetric(float64(statements)/float64(len(durations)), "statements/page")
	percentiles(b, durations)
}
