package salon

import (
	"testing"
	"time"
)

func TestSignInWait(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	five := []time.Time{ago(14 * time.Minute), ago(10 * time.Minute), ago(5 * time.Minute), ago(2 * time.Minute), ago(time.Minute)}
	cases := []struct {
		name     string
		attempts []time.Time
		inRow    int
		last     time.Time
		want     time.Duration
	}{
		{"nothing counted", nil, 0, time.Time{}, 0},
		{"two failures: no backoff yet", five[3:], 2, ago(time.Minute), 0},
		{"third failure in a row: 10 s", five[2:], 3, now, 10 * time.Second},
		{"third failure 4 s ago: 6 s left", five[2:], 3, ago(4 * time.Second), 6 * time.Second},
		{"fourth: 20 s", five[1:], 4, now, 20 * time.Second},
		{"five in the window: until the oldest leaves", five, 5, ago(time.Minute), time.Minute},
		{"backoff longer than the window's wait wins", five[1:], 9, now, 640 * time.Second},
		{"backoff capped at the window", nil, 40, now, SignInWindow},
		{"a success reset the row: only the window counts", five[1:], 0, time.Time{}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := SignInWait(now, tc.attempts, SignInAttempts, tc.inRow, tc.last); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestSessionLive(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		name          string
		created, seen time.Duration
		want          bool
	}{
		{"fresh", 0, 0, true},
		{"idle 12 h", 20 * time.Hour, 12 * time.Hour, true},
		{"idle 12 h 1 s", 20 * time.Hour, 12*time.Hour + time.Second, false},
		{"busy but 30 days old", 30 * 24 * time.Hour, 0, true},
		{"busy but past 30 days", 30*24*time.Hour + time.Second, 0, false},
	}
	for _, tc := range cases {
		if got := SessionLive(now, now.Add(-tc.created), now.Add(-tc.seen)); got != tc.want {
			t.Errorf("%s: got %v", tc.name, got)
		}
	}
}
