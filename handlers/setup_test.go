package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"concierge/app"
	"concierge/handlers"
	"concierge/messaging"
	"concierge/static"
	"concierge/store"
)

// newInstall is a running app on a brand-new database: no venue, no login.
func newInstall(t *testing.T) *env {
	t.Helper()
	store.BcryptCost = bcrypt.MinCost
	clk := &testClock{t: time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "new.db"), clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	d := &app.Dispatcher{Store: st, Senders: messaging.Senders{SMS: messaging.Outbox{}, Email: messaging.Outbox{}}}
	cfg := handlers.Config{PublicURL: "https://concierge.example.com",
		SessionKey: []byte("0123456789abcdef0123456789abcdef"), SMSProvider: "outbox", EmailProvider: "outbox"}
	srv := handlers.NewServer(newService(st, d, cfg, nil), cfg, static.FS, slog.New(slog.NewTextHandler(io.Discard, nil)))
	e := &env{t: t, st: st, clk: clk, app: srv, dispatch: d, srv: httptest.NewServer(srv.Echo())}
	t.Cleanup(func() { e.srv.Close(); srv.ConciergeService().Stop(); st.Close() })
	return e
}

func setupForm(slug string) url.Values {
	return url.Values{"name": {"Studio " + slug}, "slug": {slug}, "country": {"GB"}, "time_zone": {"Europe/London"},
		"owner_name": {"Amy"}, "owner_email": {"amy@" + slug + ".test"}, "owner_password": {"a-long-password"}, "owner_confirm": {"a-long-password"}}
}

// Item 9: a new install opens the first-run page, which creates the venue and its
// Owner once; bad input is refused beside the field; afterwards the page is gone.
func TestFirstRunCreatesTheVenueAndOwnerOnce(t *testing.T) {
	e := newInstall(t)
	u := e.anon()
	for _, p := range []string{"/", "/login"} {
		res := u.get(p)
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/setup" {
			t.Fatalf("%s on a new install: %d %q, want the first-run page", p, res.StatusCode, res.Header.Get("Location"))
		}
	}
	d := doc(t, u.get("/setup"))
	if d.Find(`[data-testid="setup"] form`).Length() != 1 {
		t.Fatal("first-run form missing")
	}

	bad := setupForm("studio")
	bad.Set("slug", "No Spaces!")
	bad.Set("owner_email", "not-an-email")
	bad.Set("owner_password", "short")
	bad.Set("owner_confirm", "short")
	res := u.post("/setup", bad)
	d = doc(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad setup: %d", res.StatusCode)
	}
	for _, f := range []string{"slug", "owner_email", "owner_password"} {
		if d.Find(`[data-testid="error-`+f+`"]`).Length() == 0 {
			t.Errorf("no error beside %s", f)
		}
	}
	if ok, _ := e.st.HasVenue(context.Background()); ok {
		t.Fatal("a refused setup must create nothing")
	}

	res = u.post("/setup", setupForm("studio"))
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app/studio/settings?saved=setup" {
		t.Fatalf("setup: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	res = u.get("/app/studio/settings/team")
	d = doc(t, res)
	if res.StatusCode != http.StatusOK || d.Find(`[data-testid="members"]`).Text() == "" {
		t.Fatalf("the new Owner is signed in and reaches the team page: %d", res.StatusCode)
	}

	// Never again: GET and POST are 404, and sign-in is the way in.
	stranger := e.anon()
	res = stranger.get("/setup")
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("setup page after setup: %d", res.StatusCode)
	}
	res = stranger.post("/setup", setupForm("evil"))
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("second setup: %d", res.StatusCode)
	}
	res = stranger.get("/login")
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("sign-in after setup: %d", res.StatusCode)
	}
}

// Item 9: two first-run forms posted at once make one venue and one Owner.
func TestFirstRunRaceMakesOneVenue(t *testing.T) {
	e := newInstall(t)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			res := e.anon().post("/setup", setupForm("racer"+string(rune('a'+i))))
			res.Body.Close()
		}(i)
	}
	wg.Wait()
	venues := e.count(`SELECT count(*) FROM venues`)
	owners := e.count(`SELECT count(*) FROM memberships WHERE role = 'owner'`)
	if venues != 1 || owners != 1 {
		t.Fatalf("20 racing setups made %d venues and %d owners, want 1 and 1", venues, owners)
	}
}
