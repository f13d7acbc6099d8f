package handlers_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/net/html"

	"concierge/app"
	"concierge/handlers"
	"concierge/messaging"
	"concierge/salon"
	"concierge/static"
	"concierge/store"
)

// testClock is a settable clock shared by the store and the server.
type testClock struct {
	mu   sync.Mutex
	t    time.Time
	real bool // follow the wall clock (a browser test whose page timer drives time)
	// follow: run at wall-clock speed, offset from the wall clock by offset.
	follow bool
	offset time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.real:
		return time.Now()
	case c.follow:
		return time.Now().Add(c.offset)
	}
	return c.t
}

// Follow makes the clock run at wall-clock speed from the time it shows now, so a page
// timer can drive time while the time of day stays the test's. It returns the offset
// from the wall clock, for shiftBrowserClock.
func (c *testClock) Follow() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.follow, c.offset = true, time.Until(c.t)
	return c.offset
}

func (c *testClock) Real()                   { c.mu.Lock(); c.real = true; c.mu.Unlock() }
func (c *testClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// env is a running app with two venues: bella (AU) and kiwi (NZ), each with an owner,
// a manager and a staff login, a service and a few clients.
type env struct {
	t   *testing.T
	srv *httptest.Server
	app *handlers.Server
	st  *store.Store
	clk *testClock
	// dispatch is the app's dispatcher; a test may swap its Senders before sending.
	dispatch *app.Dispatcher
	venues   map[string]salon.Venue
	ids      map[string]int64 // named rows: "bella.client", "bella.staff", "bella.service", "bella.booking"
	// reviewText is the last Review a guest reached (guestAtReview).
	reviewText string
}

const password = "concierge-test"

// waitSends waits until the batch sends running in the background have finished.
func (e *env) waitSends() { e.app.ConciergeService().WaitSends() }

// envConfig is what a test may set before its server starts: the server's config and
// the app's model.
type envConfig struct {
	handlers.Config
	Model   app.Model
	Address *app.PublicAddress // where links point; nil: Config.PublicURL as it is
	// Wrap, when set, sits in front of the routes (a browser test holds a request open).
	Wrap func(http.Handler) http.Handler
}

// newService is the one app service of a test server, as main builds it.
func newService(st *store.Store, d *app.Dispatcher, cfg handlers.Config, model app.Model) *app.Service {
	return &app.Service{Store: st, Dispatch: d, Model: model, PublicURL: strings.TrimRight(cfg.PublicURL, "/"), LinkKey: cfg.SessionKey,
		DefaultSMSFrom: cfg.TwilioFrom, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func newEnv(t *testing.T, opts ...func(*envConfig)) *env {
	t.Helper()
	store.BcryptCost = bcrypt.MinCost
	clk := &testClock{t: time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)} // noon in Sydney
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "app.db"), clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, st: st, clk: clk, venues: map[string]salon.Venue{}, ids: map[string]int64{}}
	for _, v := range []struct {
		slug, tz, phone string
		country         salon.Country
	}{{"bella", "Australia/Sydney", "0412 345 678", salon.AU}, {"kiwi", "Pacific/Auckland", "021 123 4567", salon.NZ}} {
		venue, err := st.CreateVenue(ctx, store.NewVenue{Slug: v.slug, Name: strings.ToUpper(v.slug[:1]) + v.slug[1:], Country: v.country, TimeZone: v.tz})
		if err != nil {
			t.Fatal(err)
		}
		e.venues[v.slug] = venue
		for _, role := range []salon.Role{salon.Owner, salon.Manager, salon.Staff} {
			if _, err := st.AddUser(ctx, venue.ID, 0, store.NewUser{Email: string(role) + "@" + v.slug + ".test", Name: v.slug + " " + string(role),
				Password: password, Role: role}); err != nil {
				t.Fatal(err)
			}
		}
		staffID, _ := st.EnsureStaff(ctx, venue.ID, v.slug+" staff")
		svc, err := st.EnsureService(ctx, venue.ID, store.NewService{Name: "Cut", Category: "Cut & Style", DurationMin: 60, PriceMinor: 9000, StaffIDs: []int64{staffID}})
		if err != nil {
			t.Fatal(err)
		}
		c, err := st.CreateClient(ctx, venue.ID, 0, salon.ClientInput{FirstName: "Sarah", LastName: "Smith", Phone: v.phone, Email: "sarah@example.com", NotifySMS: true})
		if err != nil {
			t.Fatal(err)
		}
		b, err := st.CreateBooking(ctx, venue.ID, 0, store.BookingInput{ClientID: c.ID, StaffID: staffID, Start: clk.Now().Add(24 * time.Hour), ServiceIDs: []int64{svc}})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.TopUpWallet(ctx, venue.ID, 0, 1000, "test"); err != nil {
			t.Fatal(err)
		}
		e.ids[v.slug+".client"], e.ids[v.slug+".staff"], e.ids[v.slug+".service"], e.ids[v.slug+".booking"] = c.ID, staffID, svc, b.ID
	}
	d := &app.Dispatcher{Store: st, Senders: messaging.Senders{SMS: messaging.Outbox{}, Email: messaging.Outbox{}}}
	cfg := envConfig{Config: handlers.Config{PublicURL: "https://concierge.example.com", TwilioAuthToken: "testtoken",
		SessionKey: []byte("0123456789abcdef0123456789abcdef"), SMSProvider: "outbox", EmailProvider: "outbox"}}
	for _, o := range opts {
		o(&cfg)
	}
	svc := newService(st, d, cfg.Config, cfg.Model)
	svc.Address = cfg.Address
	srv := handlers.NewServer(svc, cfg.Config, static.FS, slog.New(slog.NewTextHandler(io.Discard, nil)))
	e.app, e.dispatch = srv, d
	var h http.Handler = srv.Echo()
	if cfg.Wrap != nil {
		h = cfg.Wrap(h)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(func() { e.srv.Close(); e.app.ConciergeService().Stop(); st.Close() })
	return e
}

// user is a browser-like client with a cookie jar.
type user struct {
	e    *env
	http *http.Client
}

func (e *env) anon() *user {
	jar, _ := cookiejar.New(nil)
	return &user{e: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// login signs in as role@slug.test.
func (e *env) login(role, slug string) *user {
	e.t.Helper()
	u := e.anon()
	res := u.post("/login", url.Values{"email": {role + "@" + slug + ".test"}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app" {
		e.t.Fatalf("login %s@%s: status %d", role, slug, res.StatusCode)
	}
	return u
}

// csrf returns the token from the CSRF cookie, fetching a page first if needed.
func (u *user) csrf() string {
	base, _ := url.Parse(u.e.srv.URL)
	for _, c := range u.http.Jar.Cookies(base) {
		if c.Name == "concierge_csrf" {
			return c.Value
		}
	}
	u.get("/login").Body.Close()
	for _, c := range u.http.Jar.Cookies(base) {
		if c.Name == "concierge_csrf" {
			return c.Value
		}
	}
	u.e.t.Error("no CSRF cookie") // not Fatal: racing tests call this from goroutines
	return ""
}

// do sends req. A request that gets no answer is an error of the test and reads as
// status 0 with an empty body: not t.Fatal, which must not be called from the
// goroutines that racing tests post from.
func (u *user) do(req *http.Request) *http.Response {
	u.e.t.Helper()
	res, err := u.http.Do(req)
	if err != nil {
		u.e.t.Errorf("%s %s: %v", req.Method, req.URL.Path, err)
		return noAnswer()
	}
	return res
}

// noAnswer stands for a response that never came.
func noAnswer() *http.Response {
	return &http.Response{StatusCode: 0, Header: http.Header{}, Body: http.NoBody}
}

func (u *user) get(path string) *http.Response {
	req, _ := http.NewRequest(http.MethodGet, u.e.srv.URL+path, nil)
	return u.do(req)
}

// post sends a form with the real CSRF token (the path of clients without Sec-Fetch-Site).
func (u *user) post(path string, form url.Values) *http.Response {
	// A copy: the caller's form may be shared by several users, each with their own token.
	form = cloneForm(form)
	if form.Get("_csrf") == "" {
		form.Set("_csrf", u.csrf())
	}
	req, _ := http.NewRequest(http.MethodPost, u.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return u.do(req)
}

func cloneForm(form url.Values) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// htmxPost posts as htmx would, with the token in the X-CSRF-Token header.
func (u *user) htmxPost(path string, form url.Values) *http.Response {
	req, _ := http.NewRequest(http.MethodPost, u.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", u.csrf())
	return u.do(req)
}

func (u *user) htmxGet(path string) *http.Response {
	req, _ := http.NewRequest(http.MethodGet, u.e.srv.URL+path, nil)
	req.Header.Set("HX-Request", "true")
	return u.do(req)
}

func doc(t *testing.T, res *http.Response) *goquery.Document {
	t.Helper()
	defer res.Body.Close()
	d, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		// Not Fatal: racing tests read their answers in goroutines.
		t.Errorf("read the page: %v", err)
		return goquery.NewDocumentFromNode(&html.Node{Type: html.DocumentNode})
	}
	return d
}

func storeNewUser(email, name string, role salon.Role) store.NewUser {
	return store.NewUser{Email: email, Name: name, Password: password, Role: role}
}

func salonRole(s string) salon.Role { r, _ := salon.ParseRole(s); return r }

// count runs a query that returns one number; a query that fails fails the test, so a
// broken query never reads as zero rows.
func (e *env) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.st.DB().QueryRow(q, args...).Scan(&n); err != nil {
		e.t.Fatalf("count %q: %v", q, err)
	}
	return n
}

// dump renders every row and column a query returns, to compare before and after.
func (e *env) dump(q string, args ...any) string {
	e.t.Helper()
	rows, err := e.st.DB().Query(q, args...)
	if err != nil {
		e.t.Fatalf("dump %q: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		e.t.Fatalf("dump %q: %v", q, err)
	}
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			e.t.Fatalf("dump %q: %v", q, err)
		}
		for i, c := range cols {
			fmt.Fprintf(&b, "%s=%v ", c, vals[i])
		}
		b.WriteString("\n")
	}
	if err := rows.Err(); err != nil {
		e.t.Fatalf("dump %q: %v", q, err)
	}
	return b.String()
}

// snapshot renders every table of the database, to show that a refused request changed
// nothing. Sessions are rendered without last_seen_at, which any signed-in request moves.
func (e *env) snapshot() string {
	e.t.Helper()
	rows, err := e.st.DB().Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		e.t.Fatalf("snapshot: %v", err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			e.t.Fatalf("snapshot: %v", err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(tables) == 0 {
		e.t.Fatalf("snapshot: %d tables, %v", len(tables), err)
	}
	var b strings.Builder
	for _, table := range tables {
		q := `SELECT * FROM ` + table
		if table == "sessions" {
			q = `SELECT id, token_hash, user_id, created_at, user_agent FROM sessions`
		}
		fmt.Fprintf(&b, "%s:\n%s", table, e.dump(q+` ORDER BY 1, 2`))
	}
	return b.String()
}
