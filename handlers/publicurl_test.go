package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"concierge/app"
	"concierge/handlers"
	"concierge/jobs"
	"concierge/messaging"
	"concierge/salon"
	"concierge/static"
	"concierge/store"
)

// A real install without PUBLIC_URL asks for its public address on the first-run page,
// refuses one no client's phone could open, and shows the saved one in Settings.
func TestFirstRunAsksForThePublicAddress(t *testing.T) {
	store.BcryptCost = bcrypt.MinCost
	clk := &testClock{t: time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "new.db"), clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	d := &app.Dispatcher{Store: st, Senders: messaging.Senders{SMS: messaging.Outbox{}, Email: messaging.Outbox{}}}
	key := []byte("0123456789abcdef0123456789abcdef")
	svc := &app.Service{Store: st, Dispatch: d, Address: &app.PublicAddress{}, LinkKey: key}
	srv := handlers.NewServer(svc, handlers.Config{SessionKey: key, SMSProvider: "outbox", EmailProvider: "outbox"},
		static.FS, slog.New(slog.NewTextHandler(io.Discard, nil)))
	e := &env{t: t, st: st, clk: clk, app: srv, dispatch: d, srv: httptest.NewServer(srv.Echo())}
	t.Cleanup(func() { e.srv.Close(); svc.Stop(); st.Close() })

	u := e.anon()
	if d := doc(t, u.get("/setup")); d.Find(`[data-testid="setup-public-url"] input[name="public_url"]`).Length() != 1 {
		t.Fatal("the first-run page does not ask for the public address")
	}
	for _, bad := range []string{"", "http://localhost:8080", "http://192.168.1.10"} {
		form := setupForm("studio")
		form.Set("public_url", bad)
		res := u.post("/setup", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("setup with public address %q: %d, want 422", bad, res.StatusCode)
		}
		if d := doc(t, res); d.Find(`[data-testid="error-public_url"]`).Length() != 1 {
			t.Fatalf("no message beside the public address for %q", bad)
		}
	}
	if n := e.count(`SELECT count(*) FROM venues`); n != 0 {
		t.Fatal("a refused setup created a venue")
	}
	form := setupForm("studio")
	form.Set("public_url", "salon.example.com/")
	res := u.post("/setup", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("setup: %d", res.StatusCode)
	}
	d2 := doc(t, u.get("/app/studio/settings"))
	if got := d2.Find(`[data-testid="public-address-url"]`).Text(); got != "https://salon.example.com" {
		t.Fatalf("Settings shows the public address %q", got)
	}
	if d2.Find(`[data-testid="public-address-problem"]`).Length() != 0 {
		t.Fatal("Settings reports a problem with a good address")
	}
	if got := svc.PublicURLNow(); got != "https://salon.example.com" {
		t.Fatalf("links point at %q after setup", got)
	}
	// The Owner changes it in Settings; a local address is refused beside the field.
	res = u.post("/app/studio/settings/public-url", url.Values{"public_url": {"http://127.0.0.1:8080"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a local address in Settings: %d", res.StatusCode)
	}
	if d := doc(t, res); !strings.Contains(d.Find(`[data-testid="error-public_url"]`).Text(), "private network") {
		t.Fatal("no reason beside the field")
	}
	res = u.post("/app/studio/settings/public-url", url.Values{"public_url": {"https://book.studio.example"}})
	if res.StatusCode != http.StatusSeeOther || svc.PublicURLNow() != "https://book.studio.example" {
		t.Fatalf("saving the address: %d, links at %q", res.StatusCode, svc.PublicURLNow())
	}
}

// Without a public address (outside the demo) no message with a link is queued: drafts
// invite a reply instead of linking, and a typed local link is refused with where to
// set the address. The demo keeps its local links and says it is the demo.
func TestNoLocalLinksWithoutAPublicAddress(t *testing.T) {
	e := newEnv(t, func(c *envConfig) { c.Address = &app.PublicAddress{} })
	owner := e.login("owner", "bella")
	d := doc(t, owner.get("/app/bella/settings"))
	if !strings.Contains(d.Find(`[data-testid="public-address-problem"]`).Text(), "No public address is set") {
		t.Fatal("Settings does not say the public address is missing")
	}
	if d.Find(`#public-address input[name="public_url"]`).Length() != 1 {
		t.Fatal("the Owner cannot set the address in Settings")
	}
	if link := app.BookingLink(e.venues["bella"], e.app.ConciergeService().PublicURLNow()); strings.Contains(link, "http") {
		t.Fatalf("the booking link without a public address is %q", link)
	}
	before := e.count(`SELECT count(*) FROM messages`)
	res := owner.post("/app/bella/inbox/"+itoa(e.ids["bella.client"])+"/reply", url.Values{"body": {"Book again: http://localhost:8080/book/bella"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a reply with a local link: %d, want 422", res.StatusCode)
	}
	body, _ := io.ReadAll(res.Body)
	if !strings.Contains(string(body), "Public address") || !strings.Contains(string(body), "only on this computer") {
		t.Fatal("the reply form does not say why or where to set the address")
	}
	if after := e.count(`SELECT count(*) FROM messages`); after != before {
		t.Fatal("a message with a local link was queued")
	}
	// Managers see the address but cannot change it.
	if d := doc(t, e.login("manager", "bella").get("/app/bella/settings")); d.Find(`#public-address input[name="public_url"]`).Length() != 0 {
		t.Fatal("a manager is offered the public address form")
	}
	if res := e.login("manager", "bella").post("/app/bella/settings/public-url", url.Values{"public_url": {"https://x.example.com"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a manager saving the address: %d", res.StatusCode)
	}

	demo := newEnv(t, func(c *envConfig) {
		c.Address = &app.PublicAddress{Demo: "http://localhost:8080"}
	})
	owner = demo.login("owner", "bella")
	if d := doc(t, owner.get("/app/bella/settings")); d.Find(`[data-testid="public-address-demo"]`).Length() != 1 {
		t.Fatal("the demo's Settings does not say its links are local")
	}
	res = owner.post("/app/bella/inbox/"+itoa(demo.ids["bella.client"])+"/reply", url.Values{"body": {"Book again: http://localhost:8080/book/bella"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the demo refused its own local link: %d", res.StatusCode)
	}
}

// An incomplete-booking reminder is its link back to Review: without a public address it
// is not sent, and the card says why and where to set the address.
func TestReminderWaitsForThePublicAddress(t *testing.T) {
	e := newEnv(t, func(c *envConfig) { c.Address = &app.PublicAddress{} })
	v := e.venues["bella"]
	if err := e.st.SaveIncompleteReminder(t.Context(), v, 0, store.IncompleteReminder{SMS: true, Email: true}); err != nil {
		t.Fatal(err)
	}
	c, _ := incompleteFor(t, e, salon.ClientInput{FirstName: "Nina", LastName: "Link", Phone: "0412 661 009", Email: "nina@example.com",
		NotifySMS: true, NotifyEmail: true})
	e.clk.Advance(11 * time.Minute)
	if err := (jobs.Drafts{Concierge: e.app.ConciergeService()}).Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM messages WHERE client_id = ?`, c.ID); n != 0 {
		t.Fatalf("%d reminders with a dead link were queued", n)
	}
	owner := e.login("owner", "bella")
	status := doc(t, owner.get("/app/bella/calendar?panel=incomplete")).Find(`[data-testid="reminder-status"]`).Text()
	if !strings.Contains(status, "no public address is set") || !strings.Contains(status, "Public address") {
		t.Fatalf("the card says: %q", status)
	}
	// Once the Owner sets it, the next reminder goes, with a link that opens.
	if res := owner.post("/app/bella/settings/public-url", url.Values{"public_url": {"https://bella.example.com"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the address: %d", res.StatusCode)
	}
	var draft int64
	e.st.DB().QueryRow(`SELECT id FROM booking_drafts WHERE client_id = ?`, c.ID).Scan(&draft)
	res := owner.htmxPost("/app/bella/followups/incomplete/"+itoa(draft)+"/remind", nil)
	res.Body.Close()
	var body string
	e.st.DB().QueryRow(`SELECT body FROM messages WHERE client_id = ? ORDER BY id LIMIT 1`, c.ID).Scan(&body)
	if !strings.Contains(body, "https://bella.example.com/book/bella/resume?") {
		t.Fatalf("the reminder after setting the address: %q (%s)", body, res.Header.Get("HX-Trigger"))
	}
}
