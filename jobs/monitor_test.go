package jobs

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

type stubJob struct {
	name string
	err  error
}

func (j stubJob) Name() string              { return j.name }
func (j stubJob) Run(context.Context) error { return j.err }

func TestMonitorCountsRunsFailuresAndStalls(t *testing.T) {
	clk := clockwork.NewFakeClockAt(time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC))
	m := NewMonitor(clk)
	m.register("idle")
	if err := m.Healthy(2 * time.Minute); err != nil {
		t.Fatalf("a scheduler that just started is healthy: %v", err)
	}
	clk.Advance(3 * time.Minute)
	if err := m.Healthy(2 * time.Minute); err == nil || !strings.Contains(err.Error(), "no job since it started") {
		t.Fatalf("no job in 3 minutes: %v", err)
	}
	m.Run(context.Background(), stubJob{name: "sends"})
	okAt := clk.Now()
	clk.Advance(time.Second)
	if err := m.Run(context.Background(), stubJob{name: "sends", err: errors.New("boom")}); err == nil {
		t.Fatal("Run hid the job's error")
	}
	if err := m.Healthy(2 * time.Minute); err != nil {
		t.Fatalf("a job ran a second ago: %v", err)
	}
	got := m.Jobs()
	if len(got) != 2 || got[0].Name != "idle" || got[0].Runs != 0 || got[1].Name != "sends" {
		t.Fatalf("jobs: %+v", got)
	}
	s := got[1]
	if s.Runs != 2 || s.Failures != 1 || !s.LastSuccess.Equal(okAt) || s.LastError != "boom" || !s.LastRun.Equal(clk.Now()) {
		t.Fatalf("sends: %+v", s)
	}
	clk.Advance(5 * time.Minute)
	if err := m.Healthy(2 * time.Minute); err == nil || !strings.Contains(err.Error(), "last ran a job 5m") {
		t.Fatalf("silent for 5 minutes: %v", err)
	}
}
