package handlers

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"concierge/salon"
)

// signInThrottle holds the sign-in budgets (salon.SignInWait has the numbers). A
// budget is spent when an attempt starts, under the lock, before the password is
// compared: 40 concurrent guesses get salon.SignInAttempts comparisons, not 39.
//
// Budgets: one per account for browsers it has never signed in on, one per account
// and known browser, one per client network (IPv4 address or IPv6 /64) for unknown
// browsers. A stranger can exhaust an account's unknown-browser budget, but the
// Owner's own browser keeps its budget and signs in as usual.
type signInThrottle struct {
	mu      sync.Mutex
	now     func() time.Time
	buckets map[string]*signInBucket
	begun   int
}

type signInBucket struct {
	attempts      []time.Time // counted attempts still in the window, oldest first
	limit         int
	failuresInRow int
	lastFailure   time.Time
}

// signInTicket is one attempt in progress: the budgets it was counted in.
type signInTicket struct {
	account, network string // bucket keys; network is empty for a known browser
	at               time.Time
}

func newSignInThrottle(now func() time.Time) *signInThrottle {
	return &signInThrottle{now: now, buckets: map[string]*signInBucket{}}
}

// counted returns a budget's attempts still inside the window (nil for an unknown
// budget, which is not created: a refused attempt must leave nothing behind).
func (t *signInThrottle) counted(key string, now time.Time) *signInBucket {
	b := t.buckets[key]
	if b == nil {
		return nil
	}
	cut := now.Add(-salon.SignInWindow)
	i := 0
	for i < len(b.attempts) && !b.attempts[i].After(cut) {
		i++
	}
	b.attempts = b.attempts[i:]
	return b
}

// accountKey names an account's budget by a digest of the typed email, so every
// budget costs the same few bytes whatever was typed.
func accountKey(prefix, email string) string {
	sum := sha256.Sum256([]byte(email))
	return prefix + hex.EncodeToString(sum[:16])
}

// begin counts an attempt, or says how long to wait when a budget is spent.
func (t *signInThrottle) begin(email, ip, deviceID string, known bool) (signInTicket, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.begun++
	if t.begun%1000 == 0 {
		t.sweep(now)
	}
	tk := signInTicket{account: accountKey("account:", email), network: "network:" + salon.ClientNetwork(ip), at: now}
	if known {
		tk.account, tk.network = accountKey("device:"+deviceID+":", email), ""
	}
	keys := map[string]int{tk.account: salon.SignInAttempts}
	if tk.network != "" {
		keys[tk.network] = salon.SignInAttemptsPerIP
	}
	return t.take(tk, keys, now)
}

// beginPasswordCheck counts a check of a signed-in person's current password (before
// changing it) against the same budget size as sign-in: a stolen session cannot be
// used to guess the password and take the account over.
func (t *signInThrottle) beginPasswordCheck(userID int64) (signInTicket, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	tk := signInTicket{account: fmt.Sprintf("password-check:%d", userID), at: now}
	return t.take(tk, map[string]int{tk.account: salon.SignInAttempts}, now)
}

// take spends one attempt of every budget in keys, or none and says how long to wait.
// The caller holds the lock.
func (t *signInThrottle) take(tk signInTicket, keys map[string]int, now time.Time) (signInTicket, time.Duration) {
	var wait time.Duration
	for key, limit := range keys {
		if b := t.counted(key, now); b != nil {
			wait = max(wait, salon.SignInWait(now, b.attempts, limit, b.failuresInRow, b.lastFailure))
		}
	}
	if wait > 0 {
		return signInTicket{}, wait
	}
	for key, limit := range keys {
		b := t.buckets[key]
		if b == nil {
			b = &signInBucket{limit: limit}
			t.buckets[key] = b
		}
		b.attempts = append(b.attempts, now)
	}
	return tk, 0
}

// end records the outcome: a success clears the account's budget and gives the
// network its attempt back; a failure stays counted and lengthens the backoff.
func (t *signInThrottle) end(tk signInTicket, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if ok {
		delete(t.buckets, tk.account)
		if b := t.buckets[tk.network]; b != nil {
			if i := slices.Index(b.attempts, tk.at); i >= 0 {
				b.attempts = slices.Delete(b.attempts, i, i+1)
			}
		}
		return
	}
	for _, key := range []string{tk.account, tk.network} {
		if b := t.buckets[key]; b != nil {
			b.failuresInRow++
			b.lastFailure = t.now()
		}
	}
}

// sweep drops budgets with nothing left to remember, so guessed emails cannot grow
// the map without bound.
func (t *signInThrottle) sweep(now time.Time) {
	for key, b := range t.buckets {
		t.counted(key, now)
		if len(b.attempts) == 0 && now.Sub(b.lastFailure) > salon.SignInWindow {
			delete(t.buckets, key)
		}
	}
}

const deviceCookie = "concierge_device"

// device is this browser as far as sign-in is concerned: a random id and the accounts
// that have signed in on it (as keyed tags, not addresses), in a signed cookie.
type device struct {
	ID   string
	Tags []string
	tag  func(email string) string
}

func (d device) knows(email string) bool { return slices.Contains(d.Tags, d.tag(email)) }

func newDeviceStore(key []byte, secure bool) *sessions.CookieStore {
	ds := sessions.NewCookieStore(key)
	ds.Options = &sessions.Options{Path: "/login", MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure}
	return ds
}

func (s *Server) deviceOf(c echo.Context) device {
	key := s.cfg.SessionKey
	d := device{tag: func(email string) string {
		m := hmac.New(sha256.New, key)
		m.Write([]byte("device-account:" + strings.ToLower(email)))
		return hex.EncodeToString(m.Sum(nil))[:24]
	}}
	if sess, err := s.devices.Get(c.Request(), deviceCookie); err == nil {
		d.ID, _ = sess.Values["id"].(string)
		tags, _ := sess.Values["accounts"].(string)
		if tags != "" {
			d.Tags = strings.Split(tags, ",")
		}
	}
	if d.ID == "" {
		b := make([]byte, 16)
		rand.Read(b)
		d.ID, d.Tags = hex.EncodeToString(b), nil
	}
	return d
}

// rememberDevice marks this browser as one the account has signed in on (the most
// recent 10 accounts are kept).
func (s *Server) rememberDevice(c echo.Context, d device, email string) error {
	tag := d.tag(email)
	tags := append([]string{tag}, slices.DeleteFunc(slices.Clone(d.Tags), func(t string) bool { return t == tag })...)
	if len(tags) > 10 {
		tags = tags[:10]
	}
	sess, _ := s.devices.New(c.Request(), deviceCookie)
	sess.Values = map[any]any{"id": d.ID, "accounts": strings.Join(tags, ",")}
	return sess.Save(c.Request(), c.Response())
}
