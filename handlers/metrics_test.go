package handlers_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"concierge/app"
	"concierge/handlers"
	"concierge/jobs"
	"concierge/metrics"
)

type failingJob struct{ fail bool }

func (failingJob) Name() string { return "test_job" }
func (j failingJob) Run(context.Context) error {
	if j.fail {
		return errors.New("boom")
	}
	return nil
}

// scrapeMetrics reads /metrics with the token and returns the exposition text.
func scrapeMetrics(t *testing.T, e *env, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// metricValue finds one sample's value by its name and exact label set; -1 when absent.
func metricValue(text, name, labels string) float64 {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name+labels) + ` ([0-9.e+-]+)$`)
	m := re.FindStringSubmatch(text)
	if m == nil {
		return -1
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

func TestMetricsMoveWithMessagesAndJobFailures(t *testing.T) {
	const token = "metrics-token-0123456789"
	clk := clockwork.NewFakeClock()
	mon := jobs.NewMonitor(clk)
	// The metrics read the service the env builds, once it is built.
	var svc *app.Service
	m := metrics.New(metrics.Source{Jobs: mon, Ops: func(ctx context.Context) (app.Ops, error) { return svc.Ops(ctx) }})
	e2 := newEnv(t, func(c *envConfig) {
		c.Ops = handlers.Ops{MetricsToken: token, Scheduler: mon, Metrics: m}
	})
	svc = e2.app.ConciergeService()

	if code, _ := scrapeMetrics(t, e2, ""); code != http.StatusUnauthorized {
		t.Fatalf("no token: %d, want 401", code)
	}
	if code, _ := scrapeMetrics(t, e2, "wrong-token-0123456789"); code != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d, want 401", code)
	}
	code, before := scrapeMetrics(t, e2, token)
	if code != http.StatusOK {
		t.Fatalf("scrape: %d\n%s", code, before)
	}
	deliveredBefore := max(metricValue(before, "concierge_messages", `{channel="sms",provider="outbox",status="delivered"}`), 0)

	owner := e2.login("owner", "bella")
	res := owner.post("/app/bella/inbox/"+itoa(e2.ids["bella.client"])+"/reply", url.Values{"body": {"See you tomorrow!"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply: %d", res.StatusCode)
	}
	mon.Run(context.Background(), failingJob{fail: false})
	mon.Run(context.Background(), failingJob{fail: true})

	_, after := scrapeMetrics(t, e2, token)
	if got := metricValue(after, "concierge_messages", `{channel="sms",provider="outbox",status="delivered"}`); got != deliveredBefore+1 {
		t.Fatalf("delivered SMS via the outbox: %v after one reply, was %v\n%s", got, deliveredBefore, grepLines(after, "concierge_messages"))
	}
	if got := metricValue(after, "concierge_job_runs_total", `{job="test_job"}`); got != 2 {
		t.Fatalf("job runs = %v, want 2", got)
	}
	if got := metricValue(after, "concierge_job_failures_total", `{job="test_job"}`); got != 1 {
		t.Fatalf("job failures = %v, want 1", got)
	}
	if got := metricValue(after, "concierge_job_last_success_timestamp_seconds", `{job="test_job"}`); got != float64(clk.Now().UnixMilli())/1000 {
		t.Fatalf("last success = %v, want %v", got, clk.Now().Unix())
	}
	// Durations are labelled by route pattern, never by a raw path with an id in it.
	if !strings.Contains(after, `concierge_http_request_duration_seconds_count{code="303",method="POST",route="/app/:slug/inbox/:client/reply"} 1`) {
		t.Fatalf("no request duration for the reply's route pattern:\n%s", grepLines(after, "request_duration_seconds_count"))
	}
	if strings.Contains(after, "/inbox/"+itoa(e2.ids["bella.client"])) {
		t.Fatal("a raw path with a client id became a label value")
	}
	for _, name := range []string{"concierge_send_queue_depth ", "concierge_send_queue_oldest_age_seconds ", "concierge_venues_low_wallet ",
		"concierge_db_statements_total "} {
		if !strings.Contains(after, "\n"+name) {
			t.Fatalf("%s missing from /metrics", name)
		}
	}
	if metricValue(after, "concierge_db_statements_total", "") <= metricValue(before, "concierge_db_statements_total", "") {
		t.Fatal("the statement counter did not move")
	}

	// /healthz: fine while jobs run, 503 once the scheduler has been silent too long.
	if res := e2.anon().get("/healthz"); res.StatusCode != http.StatusOK {
		t.Fatalf("healthz with a live scheduler: %d", res.StatusCode)
	}
	clk.Advance(3 * time.Minute)
	res = e2.anon().get("/healthz")
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "scheduler") {
		t.Fatalf("healthz with a stalled scheduler: %d %s", res.StatusCode, body)
	}
}

// Without a token (and with METRICS_ADDR serving it elsewhere, or not at all), /metrics
// on the app's address is not there.
func TestMetricsAnswer404WithoutAToken(t *testing.T) {
	mon := jobs.NewMonitor(clockwork.NewFakeClock())
	e := newEnv(t, func(c *envConfig) {
		c.Ops = handlers.Ops{Metrics: metrics.New(metrics.Source{Jobs: mon})}
	})
	if code, _ := scrapeMetrics(t, e, "anything-at-all-0123"); code != http.StatusNotFound {
		t.Fatalf("/metrics without METRICS_TOKEN: %d, want 404", code)
	}
	e = newEnv(t)
	if code, _ := scrapeMetrics(t, e, ""); code != http.StatusNotFound {
		t.Fatalf("/metrics with no metrics at all: %d, want 404", code)
	}
}

func grepLines(text, substr string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
