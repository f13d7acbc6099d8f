package messaging

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type countingSender struct {
	mu    sync.Mutex
	times []time.Time
	fail  int // the first `fail` sends answer 429
	calls atomic.Int32
}

func (c *countingSender) Name() string { return "counting" }
func (c *countingSender) Send(ctx context.Context, e Envelope) (Receipt, error) {
	n := c.calls.Add(1)
	c.mu.Lock()
	c.times = append(c.times, time.Now())
	c.mu.Unlock()
	if int(n) <= c.fail {
		return Receipt{}, &ErrRetryLater{After: 2 * time.Second, Cause: errors.New("429")}
	}
	return Receipt{Provider: "counting", ProviderID: "x", Status: StatusSent}, nil
}

func TestLimitedNeverExceedsTheRate(t *testing.T) {
	inner := &countingSender{}
	l := NewLimited(inner, 50)
	var wg sync.WaitGroup
	for i := 0; i < 150; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); l.Send(context.Background(), Envelope{}) }()
	}
	wg.Wait()
	// After the first second's burst, tokens come every 20 ms: any 900 ms window holds at
	// most 46 of them. The times are stamped by the provider after the limiter lets a
	// send through, so a busy machine can bunch a few together; 51 leaves room for that
	// and still catches a limiter that lets sends through early.
	inner.mu.Lock()
	defer inner.mu.Unlock()
	for i := range inner.times {
		n := 0
		for j := i; j < len(inner.times) && inner.times[j].Sub(inner.times[i]) < 900*time.Millisecond; j++ {
			n++
		}
		if i > 50 && n > 51 {
			t.Fatalf("%d sends within 900 ms after the burst", n)
		}
	}
	if got := inner.times[len(inner.times)-1].Sub(inner.times[0]); got < 1900*time.Millisecond {
		t.Fatalf("150 sends at 50/s (burst 50) need about 2 s, took %s", got)
	}
}

func TestLimitedHonoursRetryAfter(t *testing.T) {
	inner := &countingSender{fail: 2}
	l := NewLimited(inner, 1000)
	var waited []time.Duration
	l.sleep = func(ctx context.Context, d time.Duration) error { waited = append(waited, d); return nil }
	r, err := l.Send(context.Background(), Envelope{})
	if err != nil || r.ProviderID != "x" || inner.calls.Load() != 3 {
		t.Fatalf("retried after two 429s: %v, %d calls", err, inner.calls.Load())
	}
	if len(waited) != 2 || waited[0] < time.Second {
		t.Fatalf("waited out Retry-After before each retry: %v", waited)
	}
	// A provider that keeps refusing: give up after maxRetries and report it.
	always := &countingSender{fail: 100}
	l = NewLimited(always, 1000)
	l.sleep = func(context.Context, time.Duration) error { return nil }
	if _, err := l.Send(context.Background(), Envelope{}); err == nil || always.calls.Load() != maxRetries+1 {
		t.Fatalf("gives up after %d retries: %v, %d calls", maxRetries, err, always.calls.Load())
	}
}

func TestResend429BecomesRetryLater(t *testing.T) {
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("retry-after", "7")
		w.WriteHeader(429)
		w.Write([]byte(`{"statusCode":429,"name":"rate_limit_exceeded","message":"Too many requests"}`))
	}))
	defer fake.Close()
	rs, _ := NewResend(ResendConfig{APIKey: "re_test", From: "a@b.test", BaseURL: fake.URL})
	_, err := rs.Send(context.Background(), Envelope{MessageID: 1, To: "c@d.test", Body: "hi"})
	var later *ErrRetryLater
	if !errors.As(err, &later) || later.After != 7*time.Second {
		t.Fatalf("want retry after 7 s, got %v", err)
	}
}
