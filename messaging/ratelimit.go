package messaging

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// ErrRetryLater is returned by a provider that refused a message for now (HTTP 429):
// nothing was created, so the same message may be handed over again after After.
type ErrRetryLater struct {
	After time.Duration
	Cause error
}

func (e *ErrRetryLater) Error() string {
	return fmt.Sprintf("provider asked to retry after %s: %v", e.After, e.Cause)
}

func (e *ErrRetryLater) Unwrap() error { return e.Cause }

// retryAfter reads a Retry-After header value in seconds; a missing or odd value
// means one second.
func retryAfter(v string) time.Duration {
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	return time.Second
}

// Limited wraps a Sender so that it never exceeds a rate (messages per second) and
// honours a provider's 429: every send waits out the provider's Retry-After, and the
// refused message is handed over again (a 429 means it was not created), up to
// maxRetries times.
type Limited struct {
	Sender
	limiter    *rate.Limiter
	mu         sync.Mutex
	pauseUntil time.Time
	sleep      func(ctx context.Context, d time.Duration) error
}

const maxRetries = 3

// NewLimited limits s to perSecond messages a second (with no burst beyond one second's worth).
func NewLimited(s Sender, perSecond float64) *Limited {
	burst := int(perSecond)
	if burst < 1 {
		burst = 1
	}
	return &Limited{Sender: s, limiter: rate.NewLimiter(rate.Limit(perSecond), burst), sleep: sleepCtx}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Send waits for the rate and any provider pause, then sends.
func (l *Limited) Send(ctx context.Context, e Envelope) (Receipt, error) {
	for attempt := 0; ; attempt++ {
		l.mu.Lock()
		wait := time.Until(l.pauseUntil)
		l.mu.Unlock()
		if wait > 0 {
			if err := l.sleep(ctx, wait); err != nil {
				return Receipt{}, err
			}
		}
		if err := l.limiter.Wait(ctx); err != nil {
			return Receipt{}, err
		}
		r, err := l.Sender.Send(ctx, e)
		var later *ErrRetryLater
		if !errors.As(err, &later) || attempt == maxRetries {
			return r, err
		}
		l.mu.Lock()
		if until := time.Now().Add(later.After); until.After(l.pauseUntil) {
			l.pauseUntil = until
		}
		l.mu.Unlock()
	}
}
