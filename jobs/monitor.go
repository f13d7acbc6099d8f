package jobs

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// Monitor records every job run: runs, failures, the last run and the last success
// of each job, read by /metrics and /healthz.
type Monitor struct {
	clock   clockwork.Clock
	started time.Time
	mu      sync.Mutex
	jobs    map[string]*JobStats
	lastRun time.Time
}

// JobStats is one job's record.
type JobStats struct {
	Name          string
	Runs          int64
	Failures      int64
	LastRun       time.Time
	LastSuccess   time.Time
	LastDuration  time.Duration
	LastError     string
	TotalDuration time.Duration
}

// NewMonitor starts a monitor on the scheduler's clock.
func NewMonitor(clock clockwork.Clock) *Monitor {
	return &Monitor{clock: clock, started: clock.Now(), jobs: map[string]*JobStats{}}
}

// register lists a job before its first run, so its counters read 0, not nothing.
func (m *Monitor) register(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.jobs[name] == nil {
		m.jobs[name] = &JobStats{Name: name}
	}
}

// Run runs job once and records the outcome.
func (m *Monitor) Run(ctx context.Context, job Job) error {
	start := m.clock.Now()
	err := job.Run(ctx)
	end := m.clock.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.jobs[job.Name()] == nil {
		m.jobs[job.Name()] = &JobStats{Name: job.Name()}
	}
	js := m.jobs[job.Name()]
	js.Runs++
	js.LastRun, js.LastDuration = end, end.Sub(start)
	js.TotalDuration += end.Sub(start)
	if err != nil {
		js.Failures++
		js.LastError = err.Error()
	} else {
		js.LastSuccess, js.LastError = end, ""
	}
	m.lastRun = end
	return err
}

// Jobs returns every job's record, by name.
func (m *Monitor) Jobs() []JobStats {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]JobStats, 0, len(m.jobs))
	for _, js := range m.jobs {
		out = append(out, *js)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Healthy says whether the scheduler has run a job within maxAge (or started less
// than maxAge ago): a stalled scheduler sends no reminders, offers or batches.
func (m *Monitor) Healthy(maxAge time.Duration) error {
	m.mu.Lock()
	last := m.lastRun
	m.mu.Unlock()
	now := m.clock.Now()
	if last.IsZero() {
		if now.Sub(m.started) > maxAge {
			return fmt.Errorf("the scheduler has run no job since it started %s ago", now.Sub(m.started).Round(time.Second))
		}
		return nil
	}
	if age := now.Sub(last); age > maxAge {
		return fmt.Errorf("the scheduler last ran a job %s ago", age.Round(time.Second))
	}
	return nil
}
