// Package jobs runs all background work in-process with gocron. Each job is a type with
// Run(ctx) error; the scheduler and the store share one injected clock.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"
)

// Job is one piece of background work.
type Job interface {
	Name() string
	Run(ctx context.Context) error
}

// Every pairs a job with its interval.
type Every struct {
	Job      Job
	Interval time.Duration
}

// Start builds and starts a scheduler running each job on its interval in singleton
// mode (a slow run is never overlapped by the next), logging errors.
func Start(ctx context.Context, clock clockwork.Clock, log *slog.Logger, list ...Every) (gocron.Scheduler, error) {
	return StartMonitored(ctx, clock, log, NewMonitor(clock), list...)
}

// StartMonitored is Start with every run recorded by mon (runs, failures, last success).
func StartMonitored(ctx context.Context, clock clockwork.Clock, log *slog.Logger, mon *Monitor, list ...Every) (gocron.Scheduler, error) {
	s, err := gocron.NewScheduler(gocron.WithClock(clock), gocron.WithStopTimeout(10*time.Second))
	if err != nil {
		return nil, fmt.Errorf("jobs: scheduler: %w", err)
	}
	for _, e := range list {
		job := e.Job
		mon.register(job.Name())
		_, err := s.NewJob(gocron.DurationJob(e.Interval),
			gocron.NewTask(func() {
				if err := mon.Run(ctx, job); err != nil {
					log.Error("job failed", "job", job.Name(), "err", err)
				}
			}),
			gocron.WithName(job.Name()),
			gocron.WithSingletonMode(gocron.LimitModeReschedule),
		)
		if err != nil {
			return nil, fmt.Errorf("jobs: register %s: %w", job.Name(), err)
		}
	}
	s.Start()
	return s, nil
}
