// Package metrics exposes Concierge to Prometheus with the official client: the send
// pipeline and wallets read from the database at scrape time, job runs from the
// scheduler's monitor, and HTTP request durations by route pattern.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"concierge/app"
	"concierge/jobs"
)

// Metrics is the registry and the collectors fed as the app runs.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.HistogramVec
}

// Source is where scrape-time figures come from.
type Source struct {
	Ops  func(ctx context.Context) (app.Ops, error) // the database's figures (app.Service.Ops)
	Jobs *jobs.Monitor                              // nil: no scheduler in this process
	Log  *slog.Logger
}

// New builds the registry: Go runtime and process collectors, HTTP durations, and the
// scrape-time collector over src.
func New(src Source) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{reg: reg, requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "concierge_http_request_duration_seconds",
		Help:    "HTTP request durations by route pattern (never the raw path), method and status code.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "method", "code"})}
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, &scrape{src: src})
	return m
}

// ObserveRequest records one HTTP request. route is the pattern it matched
// ("/app/:slug/clients/:id"), so client ids and tokens never become label values.
func (m *Metrics) ObserveRequest(route, method string, code int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(code)).Observe(d.Seconds())
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

var (
	descMessages = prometheus.NewDesc("concierge_messages",
		"Messages in the database by channel, provider and status (provider is empty until one is chosen).",
		[]string{"channel", "provider", "status"}, nil)
	descQueueDepth = prometheus.NewDesc("concierge_send_queue_depth",
		"Messages queued and not yet handed to a provider.", nil, nil)
	descQueueOldest = prometheus.NewDesc("concierge_send_queue_oldest_age_seconds",
		"Age of the oldest queued message (0 when nothing is queued).", nil, nil)
	descLowWallet = prometheus.NewDesc("concierge_venues_low_wallet",
		"Venues whose SMS wallet pays for fewer than 100 segments at their SMS price.", nil, nil)
	descLowWalletVenue = prometheus.NewDesc("concierge_venue_wallet_low",
		"1 for each venue whose SMS wallet is low, by venue slug.", []string{"venue"}, nil)
	descStatements = prometheus.NewDesc("concierge_db_statements_total",
		"SQL statements the database has run since the process started.", nil, nil)
	descScrapeError = prometheus.NewDesc("concierge_metrics_database_up",
		"1 when the scrape could read the database's figures, 0 when it could not.", nil, nil)
	descJobRuns = prometheus.NewDesc("concierge_job_runs_total",
		"Runs of each background job since the process started.", []string{"job"}, nil)
	descJobFailures = prometheus.NewDesc("concierge_job_failures_total",
		"Runs of each background job that returned an error.", []string{"job"}, nil)
	descJobLastSuccess = prometheus.NewDesc("concierge_job_last_success_timestamp_seconds",
		"Unix time of each job's last successful run (0: none yet).", []string{"job"}, nil)
	descJobDuration = prometheus.NewDesc("concierge_job_duration_seconds_total",
		"Time spent in each background job.", []string{"job"}, nil)
)

// scrape reads the database and the job monitor when Prometheus scrapes.
type scrape struct{ src Source }

func (s *scrape) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descMessages, descQueueDepth, descQueueOldest, descLowWallet, descLowWalletVenue,
		descStatements, descScrapeError, descJobRuns, descJobFailures, descJobLastSuccess, descJobDuration} {
		ch <- d
	}
}

func (s *scrape) Collect(ch chan<- prometheus.Metric) {
	if s.src.Ops != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		o, err := s.src.Ops(ctx)
		cancel()
		up := 1.0
		if err != nil {
			up = 0
			if s.src.Log != nil {
				s.src.Log.Error("metrics: read the database", "err", err)
			}
		} else {
			for _, t := range o.Messages {
				ch <- prometheus.MustNewConstMetric(descMessages, prometheus.GaugeValue, float64(t.Count), t.Channel, t.Provider, t.Status)
			}
			ch <- prometheus.MustNewConstMetric(descQueueDepth, prometheus.GaugeValue, float64(o.QueueDepth))
			ch <- prometheus.MustNewConstMetric(descQueueOldest, prometheus.GaugeValue, o.OldestQueuedAge.Seconds())
			ch <- prometheus.MustNewConstMetric(descLowWallet, prometheus.GaugeValue, float64(len(o.LowWalletVenues)))
			for _, slug := range o.LowWalletVenues {
				ch <- prometheus.MustNewConstMetric(descLowWalletVenue, prometheus.GaugeValue, 1, slug)
			}
			ch <- prometheus.MustNewConstMetric(descStatements, prometheus.CounterValue, float64(o.Statements))
		}
		ch <- prometheus.MustNewConstMetric(descScrapeError, prometheus.GaugeValue, up)
	}
	if s.src.Jobs != nil {
		for _, j := range s.src.Jobs.Jobs() {
			ch <- prometheus.MustNewConstMetric(descJobRuns, prometheus.CounterValue, float64(j.Runs), j.Name)
			ch <- prometheus.MustNewConstMetric(descJobFailures, prometheus.CounterValue, float64(j.Failures), j.Name)
			last := 0.0
			if !j.LastSuccess.IsZero() {
				last = float64(j.LastSuccess.UnixMilli()) / 1000
			}
			ch <- prometheus.MustNewConstMetric(descJobLastSuccess, prometheus.GaugeValue, last, j.Name)
			ch <- prometheus.MustNewConstMetric(descJobDuration, prometheus.CounterValue, j.TotalDuration.Seconds(), j.Name)
		}
	}
}
