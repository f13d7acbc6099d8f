// Command concierge is the whole product in one binary: the web app, its background
// jobs, and the admin CLI (venues, users, CSV import, benchmark fixtures).
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jonboulle/clockwork"
	"golang.org/x/net/netutil"

	"concierge/app"
	"concierge/demo"
	"concierge/handlers"
	"concierge/jobs"
	"concierge/llm"
	"concierge/messaging"
	"concierge/metrics"
	"concierge/salon"
	"concierge/static"
	"concierge/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "concierge:", err)
		os.Exit(1)
	}
}

const usage = `Usage: concierge <command> [flags]

Commands:
  serve     run the web app (the default); --demo seeds the demo venues
  venue     venue add --slug S --name N --country AU|GB|NZ --tz Area/City
  user      user add --venue S --email E --password P --role owner|manager|staff --name N
  import    import --venue S [--clients clients.csv] [--bookings bookings.csv] [--dry-run]
  seed      seed --venue S --clients N --years Y   (deterministic benchmark fixtures)
  backup    backup --db FILE --to OUT   (a consistent copy, safe while the server runs)
  restore   restore --from BACKUP --db FILE   (refused while a server uses FILE)

Every command accepts --db (default ./concierge.db). Run 'concierge <command> -h' for its flags.
`

// run is the whole program, with its inputs passed in so tests can drive it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, getenv, stdout, stderr)
	case "venue":
		return venueCmd(ctx, args, stdout, stderr)
	case "user":
		return userCmd(ctx, args, stdout, stderr)
	case "import":
		return importCmd(ctx, args, stdout, stderr)
	case "seed":
		return seedCmd(ctx, args, stdout, stderr)
	case "backup":
		return backupCmd(ctx, args, stdout, stderr)
	case "restore":
		return restoreCmd(ctx, args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "./concierge.db", "path of the SQLite database file")
	return fs, db
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("serve", stderr)
	addr := fs.String("addr", ":8080", "address to listen on")
	seedDemo := fs.Bool("demo", false, "seed the demo venues and their logins (known password) when the database is new; without it a new install opens the first-run page")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, err := newLogger(getenv, stderr)
	if err != nil {
		return err
	}
	started := time.Now()
	// Held while serving: a restore (or a second server) on this file is refused.
	release, err := store.Lock(*dbPath)
	if err != nil {
		return err
	}
	defer release()
	st, err := store.Open(ctx, *dbPath, time.Now)
	if err != nil {
		return err
	}
	defer st.Close()
	if *seedDemo {
		if err := demo.SeedDemo(ctx, st, st.Now()); err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
	}
	key, err := sessionKey(ctx, st, getenv("SESSION_KEY"))
	if err != nil {
		return err
	}
	senders, smsName, emailName, err := buildSenders(getenv)
	if err != nil {
		return err
	}
	smsFrom := ""
	if smsName == "twilio" {
		smsFrom, _ = salon.ParsePhone(getenv("TWILIO_FROM"), salon.AU) // checked by buildSenders
	}
	dispatch := &app.Dispatcher{Store: st, Senders: senders, Log: log}
	var model app.Model
	conciergeMode := "rule-based"
	if cfg, ok := llm.ConfigFromEnv(getenv); ok {
		model, conciergeMode = llm.New(cfg), "model "+cfg.Model
	}
	// Where clients' links point: PUBLIC_URL, else the address saved on the first-run page
	// or in Settings; the demo falls back to its own local address (see app.PublicAddress).
	address := &app.PublicAddress{Env: strings.TrimRight(getenv("PUBLIC_URL"), "/")}
	if *seedDemo {
		address.Demo = demoAddress(*addr)
	}
	// The one Concierge service: the HTTP handlers and every job share it.
	svc := &app.Service{Store: st, Dispatch: dispatch, Model: model, PublicURL: address.Env, Address: address, Log: log, LinkKey: key,
		DefaultSMSFrom: smsFrom}
	if err := address.Load(ctx, st); err != nil {
		return err
	}
	if v := address.View(); v.Problem != "" {
		log.Warn("messages go without links until the public address is set", "problem", v.Problem, "fix", salon.PublicAddressWhere)
	}
	// Cookies, HSTS and webhook checks take the address in force at start.
	publicURL := address.View().URL
	if publicURL == "" {
		publicURL = "http://localhost:8080"
	}
	clock := clockwork.NewRealClock()
	monitor := jobs.NewMonitor(clock)
	ops, metricsSrv, err := buildOps(getenv, svc, monitor, log)
	if err != nil {
		return err
	}
	srv := handlers.NewServer(svc, handlers.Config{
		PublicURL: publicURL, TwilioAuthToken: getenv("TWILIO_AUTH_TOKEN"), TwilioFrom: smsFrom, SessionKey: key,
		SMSProvider: smsName, EmailProvider: emailName, TrustProxy: getenv("TRUST_PROXY") == "1",
		Ops: ops,
	}, static.FS, log)

	// A crash may have left sends mid-flight: rows being handed over become unknown
	// (never re-sent); batches are then resumed from their queued rows.
	if err := (jobs.StuckSends{Concierge: svc, Log: log, AtStart: true}).Run(ctx); err != nil {
		return err
	}
	stuck := jobs.StuckSends{Concierge: svc, Log: log}
	resume := jobs.ResumeSends{Concierge: svc, IdleFor: time.Minute}
	go func() {
		// At start every executing action is stalled: nobody else is running it.
		if err := (jobs.ResumeSends{Concierge: svc, AtStart: true}).Run(ctx); err != nil {
			log.Error("resume sends at start", "err", err)
		}
	}()
	sched, err := jobs.StartMonitored(ctx, clock, log, monitor,
		jobs.Every{Job: stuck, Interval: time.Minute},
		jobs.Every{Job: jobs.ExpireActions{Concierge: svc, Log: log}, Interval: time.Minute},
		jobs.Every{Job: jobs.ScheduledSends{Concierge: svc}, Interval: 5 * time.Second},
		jobs.Every{Job: resume, Interval: 10 * time.Second},
		jobs.Every{Job: jobs.DayStats{Concierge: svc}, Interval: time.Minute},
		jobs.Every{Job: jobs.ReconnectAutomation{Concierge: svc}, Interval: time.Minute},
		jobs.Every{Job: jobs.ReconnectFollowUps{Concierge: svc}, Interval: 5 * time.Minute},
		jobs.Every{Job: jobs.RebookPrompts{Concierge: svc}, Interval: 5 * time.Minute},
		jobs.Every{Job: jobs.Drafts{Concierge: svc}, Interval: 15 * time.Second})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		sched.Shutdown()
		return fmt.Errorf("listen %s: %w", *addr, err)
	}
	if getenv("TRUST_PROXY") != "1" {
		// Behind a proxy every connection comes from the proxy; otherwise no one
		// network may take more than its share of the connections.
		ln = limitPerNetwork(ln, httpLimits.PerNetwork)
	}
	ln = netutil.LimitListener(ln, maxConnections())
	httpSrv := &http.Server{Handler: srv.Echo(), ReadHeaderTimeout: httpLimits.ReadHeader, ReadTimeout: httpLimits.Read,
		WriteTimeout: httpLimits.Write, IdleTimeout: httpLimits.Idle, MaxHeaderBytes: httpLimits.MaxHeaderBytes}
	fmt.Fprintf(stdout, "Concierge listening on http://%s (SMS: %s, email: %s, concierge: %s, ready in %s)\n", displayAddr(ln.Addr()),
		smsName, emailName, conciergeMode, time.Since(started).Round(time.Millisecond))
	errc := make(chan error, 2)
	go func() { errc <- httpSrv.Serve(ln) }()
	if metricsSrv != nil {
		mln, err := net.Listen("tcp", metricsSrv.Addr)
		if err != nil {
			httpSrv.Close()
			sched.Shutdown()
			return fmt.Errorf("listen METRICS_ADDR %s: %w", metricsSrv.Addr, err)
		}
		fmt.Fprintf(stdout, "Metrics on http://%s/metrics\n", displayAddr(mln.Addr()))
		go func() { errc <- metricsSrv.Serve(mln) }()
		defer metricsSrv.Close()
	}
	select {
	case err := <-errc:
		sched.Shutdown()
		return err
	case <-ctx.Done():
	}
	// Graceful stop: the HTTP server first, then the scheduler and background sends, then
	// (deferred) the database.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	herr := httpSrv.Shutdown(shutdownCtx)
	serr := sched.Shutdown()
	svc.Stop() // batch sends stop between messages; the rest resumes at the next start
	return errors.Join(herr, serr)
}

// httpLimits bound what one connection may hold: a body trickled a byte at a time is
// cut off after Read, a stalled reader of our response after Write, and headers are
// at most 64 KiB. Read covers the largest upload (a 10 MB CSV import) on a slow line.
var httpLimits = struct {
	ReadHeader, Read, Write, Idle time.Duration
	MaxHeaderBytes                int
	PerNetwork                    int // open connections from one IPv4 address or IPv6 /64
}{ReadHeader: 10 * time.Second, Read: 60 * time.Second, Write: 90 * time.Second, Idle: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
	PerNetwork: 100}

// maxConnections keeps open connections well below the process's file limit, so a flood
// of slow clients waits in the kernel's queue instead of starving SQLite and the
// providers' connections of file descriptors.
func maxConnections() int {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil || rl.Cur < 256 {
		return 128
	}
	return int(min(rl.Cur*3/4, 10000))
}

// limitPerNetwork closes, as soon as they are accepted, connections from a network
// that already holds n open ones, so one client cannot hold every connection slot
// (a salon's whole team behind one router uses a few dozen).
func limitPerNetwork(ln net.Listener, n int) net.Listener {
	return &networkLimitedListener{Listener: ln, max: n, open: map[string]int{}}
}

type networkLimitedListener struct {
	net.Listener
	max  int
	mu   sync.Mutex
	open map[string]int
}

func (l *networkLimitedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		host, _, _ := net.SplitHostPort(c.RemoteAddr().String())
		network := salon.ClientNetwork(host)
		l.mu.Lock()
		full := l.open[network] >= l.max
		if !full {
			l.open[network]++
		}
		l.mu.Unlock()
		if full {
			c.Close()
			continue
		}
		return &networkConn{Conn: c, release: sync.OnceFunc(func() {
			l.mu.Lock()
			if l.open[network]--; l.open[network] <= 0 {
				delete(l.open, network)
			}
			l.mu.Unlock()
		})}, nil
	}
}

type networkConn struct {
	net.Conn
	release func()
}

func (c *networkConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}

// demoAddress is the demo's own address for its links: this computer, on the port
// served ("--addr :9090" → http://localhost:9090).
func demoAddress(addr string) string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" || port == "0" {
		port = "8080"
	}
	return "http://localhost:" + port
}

func displayAddr(a net.Addr) string {
	s := a.String()
	if strings.HasPrefix(s, "[::]:") {
		return "localhost:" + strings.TrimPrefix(s, "[::]:")
	}
	return s
}

// newLogger logs text lines, or JSON objects with LOG_FORMAT=json (for a log shipper).
func newLogger(getenv func(string) string, w io.Writer) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: logLevel(getenv("LOG_LEVEL"))}
	switch strings.ToLower(getenv("LOG_FORMAT")) {
	case "", "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("LOG_FORMAT must be text or json, not %q", getenv("LOG_FORMAT"))
}

// buildOps sets up /metrics: with METRICS_TOKEN on the app's address behind that
// bearer token, with METRICS_ADDR on a listener of its own (returned, not yet
// listening); with neither, /metrics answers 404. The scheduler check of /healthz is
// always on.
func buildOps(getenv func(string) string, svc *app.Service, monitor *jobs.Monitor, log *slog.Logger) (handlers.Ops, *http.Server, error) {
	ops := handlers.Ops{Scheduler: monitor}
	token, addr := getenv("METRICS_TOKEN"), getenv("METRICS_ADDR")
	if token == "" && addr == "" {
		return ops, nil, nil
	}
	if token != "" && len(token) < 16 {
		return ops, nil, errors.New("METRICS_TOKEN must be at least 16 characters")
	}
	m := metrics.New(metrics.Source{Ops: svc.Ops, Jobs: monitor, Log: log})
	ops.Metrics, ops.MetricsToken = m, token
	var msrv *http.Server
	if addr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", m.Handler())
		msrv = &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: httpLimits.ReadHeader, WriteTimeout: httpLimits.Write}
	}
	return ops, msrv, nil
}

func logLevel(s string) slog.Level {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// sessionKey uses SESSION_KEY when set (32+ characters), or a random key kept in the
// database so sessions survive restarts.
func sessionKey(ctx context.Context, st *store.Store, env string) ([]byte, error) {
	if env != "" {
		if len(env) < 32 {
			return nil, errors.New("SESSION_KEY must be at least 32 characters")
		}
		return []byte(env), nil
	}
	return st.Secret(ctx, "session_key", func() []byte {
		b := make([]byte, 64)
		rand.Read(b)
		return b
	})
}

// buildSenders picks providers from the environment: Twilio and Resend when their
// variables are set, the outbox otherwise.
func buildSenders(getenv func(string) string) (messaging.Senders, string, string, error) {
	s := messaging.Senders{SMS: messaging.Outbox{}, Email: messaging.Outbox{}}
	smsName, emailName := "outbox", "outbox"
	sid, token, from := getenv("TWILIO_ACCOUNT_SID"), getenv("TWILIO_AUTH_TOKEN"), getenv("TWILIO_FROM")
	switch {
	case sid != "" && token != "" && from != "":
		// Inbound texts are routed by the number they were sent to, compared in E.164:
		// a default number written any other way would match no venue (STOPs lost).
		if !strings.HasPrefix(strings.TrimSpace(from), "+") {
			return s, "", "", errors.New("TWILIO_FROM must be in international form, like +61400000000")
		}
		e164, err := salon.ParsePhone(from, salon.AU)
		if err != nil {
			return s, "", "", fmt.Errorf("TWILIO_FROM: %w", err)
		}
		from = e164
		cb := ""
		if pu := strings.TrimRight(getenv("PUBLIC_URL"), "/"); pu != "" {
			cb = pu + "/webhooks/twilio/status"
		}
		s.SMS, smsName = messaging.NewTwilio(messaging.TwilioConfig{AccountSID: sid, AuthToken: token, From: from, StatusCallbackURL: cb}), "twilio"
	case sid != "" || token != "" || from != "":
		return s, "", "", errors.New("set all of TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM, or none")
	}
	key, efrom := getenv("RESEND_API_KEY"), getenv("RESEND_FROM")
	switch {
	case key != "" && efrom != "":
		r, err := messaging.NewResend(messaging.ResendConfig{APIKey: key, From: efrom, BaseURL: getenv("RESEND_BASE_URL")})
		if err != nil {
			return s, "", "", err
		}
		s.Email, emailName = r, "resend"
	case key != "" || efrom != "":
		return s, "", "", errors.New("set both RESEND_API_KEY and RESEND_FROM, or neither")
	}
	// Real providers are never driven faster than they allow (messages per second,
	// env-configurable); the outbox sends nowhere and needs no limit.
	if smsName != "outbox" {
		s.SMS = messaging.NewLimited(s.SMS, rateSetting(getenv("SMS_RATE_PER_SECOND"), 10))
	}
	if emailName != "outbox" {
		s.Email = messaging.NewLimited(s.Email, rateSetting(getenv("EMAIL_RATE_PER_SECOND"), 10))
	}
	return s, smsName, emailName, nil
}

// rateSetting reads a positive messages-per-second setting, or the default.
func rateSetting(v string, def float64) float64 {
	if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 && f <= 1000 {
		return f
	}
	return def
}

func openStore(ctx context.Context, path string) (*store.Store, error) {
	return store.Open(ctx, path, time.Now)
}

func venueCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: concierge venue add --slug S --name N --country AU|GB|NZ --tz Area/City")
	}
	fs, dbPath := newFlags("venue add", stderr)
	slug := fs.String("slug", "", "URL name of the venue, e.g. bella")
	name := fs.String("name", "", "display name")
	country := fs.String("country", "", "AU, GB or NZ")
	tz := fs.String("tz", "", "IANA time zone, e.g. Australia/Sydney")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, err := openStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	v, err := st.CreateVenue(ctx, store.NewVenue{Slug: *slug, Name: *name, Country: salon.Country(strings.ToUpper(*country)), TimeZone: *tz})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "Created venue %s (%s, %s, %s). Staff pages: /app/%s\n", v.Slug, v.Name, v.Country, v.TimeZone, v.Slug)
	return nil
}

func userCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: concierge user add --venue S --email E --password P --role owner|manager|staff --name N")
	}
	fs, dbPath := newFlags("user add", stderr)
	slug := fs.String("venue", "", "venue slug")
	email := fs.String("email", "", "sign-in email")
	password := fs.String("password", "", "password (8+ characters)")
	role := fs.String("role", "", "owner, manager or staff")
	name := fs.String("name", "", "display name")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, err := openStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	v, err := st.VenueBySlug(ctx, *slug)
	if err != nil {
		return fmt.Errorf("no venue %q", *slug)
	}
	u, err := st.AddUser(ctx, v.ID, 0, store.NewUser{Email: *email, Name: *name, Password: *password, Role: salon.Role(strings.ToLower(*role))})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "%s (%s) is now %s of %s\n", u.Name, u.Email, strings.ToLower(*role), v.Name)
	return nil
}

func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("import", stderr)
	slug := fs.String("venue", "", "venue slug")
	clients := fs.String("clients", "", "clients.csv path")
	bookings := fs.String("bookings", "", "bookings.csv path")
	dry := fs.Bool("dry-run", false, "check every row and change nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *clients == "" && *bookings == "" {
		return errors.New("give --clients, --bookings or both")
	}
	st, err := openStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	v, err := st.VenueBySlug(ctx, *slug)
	if err != nil {
		return fmt.Errorf("no venue %q", *slug)
	}
	open := func(p string) (io.Reader, func(), error) {
		if p == "" {
			return nil, func() {}, nil
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, nil, err
		}
		return f, func() { f.Close() }, nil
	}
	cr, cclose, err := open(*clients)
	if err != nil {
		return err
	}
	defer cclose()
	br, bclose, err := open(*bookings)
	if err != nil {
		return err
	}
	defer bclose()
	res, err := st.ImportCSV(ctx, v.ID, 0, cr, br, *dry)
	if err != nil {
		return err
	}
	for _, e := range res.Errors {
		fmt.Fprintln(stdout, e.String())
	}
	fmt.Fprintln(stdout, res.Summary())
	if len(res.Errors) > 0 {
		return fmt.Errorf("%d problem(s); nothing imported", len(res.Errors))
	}
	return nil
}

func seedCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("seed", stderr)
	slug := fs.String("venue", "", "venue slug (created as an AU venue if it does not exist)")
	clients := fs.Int("clients", 10000, "number of clients")
	years := fs.Float64("years", 2, "years of history")
	seed := fs.Uint64("seed", 1, "random seed (same seed, same data)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *clients < 1 || *clients > 1_000_000 || *years <= 0 || *years > 10 {
		return errors.New("--clients must be 1 to 1,000,000 and --years above 0 and at most 10")
	}
	st, err := openStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	v, err := st.VenueBySlug(ctx, *slug)
	if errors.Is(err, salon.ErrNotFound) {
		v, err = st.CreateVenue(ctx, store.NewVenue{Slug: *slug, Name: *slug, Country: salon.AU, TimeZone: "Australia/Sydney"})
	}
	if err != nil {
		return describe(err)
	}
	started := time.Now()
	stats, err := demo.Populate(ctx, st, v, demo.Options{Clients: *clients, Years: *years, Seed: *seed, Now: st.Now()})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Seeded %s: %d clients, %d bookings, %d staff in %s\n", v.Slug, stats.Clients, stats.Bookings, stats.Staff,
		time.Since(started).Round(time.Millisecond))
	return nil
}

// describe turns a validation error into a readable line for the terminal.
func describe(err error) error {
	if fe := salon.FieldErrors(err); fe != nil {
		var parts []string
		for k, v := range fe {
			parts = append(parts, k+": "+v)
		}
		sort.Strings(parts)
		return errors.New(strings.Join(parts, "; "))
	}
	return err
}

func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("backup", stderr)
	to := fs.String("to", "", "file to write the backup to (must not exist)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("give --to, the file to write the backup to, e.g. --to concierge-$(date +%F).db")
	}
	started := time.Now()
	if err := store.Backup(ctx, *dbPath, *to); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up %s to %s (integrity check ok, %s)\n", *dbPath, *to, time.Since(started).Round(time.Millisecond))
	return nil
}

func restoreCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("restore", stderr)
	from := fs.String("from", "", "backup file made by 'concierge backup'")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" {
		return errors.New("give --from, the backup file to restore")
	}
	keep := *dbPath + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
	if err := store.Restore(ctx, *from, *dbPath, keep); err != nil {
		if errors.Is(err, store.ErrInUse) {
			return fmt.Errorf("%w; stop the server first (e.g. systemctl stop concierge), then run restore again", err)
		}
		return err
	}
	fmt.Fprintf(stdout, "Restored %s from %s.", *dbPath, *from)
	if _, err := os.Stat(keep); err == nil {
		fmt.Fprintf(stdout, " The database it replaced is kept as %s.", keep)
	}
	fmt.Fprintln(stdout, " Start the server again.")
	return nil
}
