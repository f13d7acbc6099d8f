package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// requestGate holds the POSTs to paths ending in suffix open until the test lets them go,
// so a browser test can look at the page while a request runs.
type requestGate struct {
	suffix string
	open   chan struct{}
	once   sync.Once
}

func newRequestGate(suffix string) *requestGate {
	return &requestGate{suffix: suffix, open: make(chan struct{})}
}

func (g *requestGate) release() { g.once.Do(func() { close(g.open) }) }

func (g *requestGate) option(cfg *envConfig) {
	cfg.Wrap = func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, g.suffix) {
				select {
				case <-g.open:
				case <-r.Context().Done():
				}
			}
			h.ServeHTTP(w, r)
		})
	}
}

// gatedEnv is a test server whose POSTs to suffix wait for release; the gate opens before
// the server closes.
func gatedEnv(t *testing.T, suffix string) (*env, *requestGate) {
	t.Helper()
	g := newRequestGate(suffix)
	e := newEnv(t, g.option)
	t.Cleanup(g.release)
	return e, g
}

func signIn(t *testing.T, ctx context.Context, e *env, width, height int64) {
	t.Helper()
	step(t, ctx, "sign in", chromedp.EmulateViewport(width, height), chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "owner@bella.test"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="kpi-today"]`)))
}

// poll waits up to 10 s for a JavaScript condition, failing with what it was waiting for.
func poll(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](js)); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// pollAcrossNavigation is poll for a condition on the page a navigation brings: an
// evaluation cut off by the page going away is asked again on the next one.
func pollAcrossNavigation(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		_, err := chromedp.Run(pctx, chromedp.Poll[bool](js))
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
	}
}

// Issue 14 item 6: while Send runs the card says so and none of its buttons can be pressed
// again; when the answer comes the result replaces it.
func TestBrowserBusyWhileSendRuns(t *testing.T) {
	e, gate := gatedEnv(t, "/send")
	e.clk.Advance(-3 * time.Hour) // 09:00 in Sydney
	ctx, axe := browser(t)
	signIn(t, ctx, e, 390, 844)
	step(t, ctx, "card", chromedp.Navigate(e.srv.URL+"/app/bella/concierge"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="chat-input"]`), "text Sarah"),
		chromedp.Click(chromedp.CSS(`[data-testid="chat-send"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="action-card"][data-action="client_outreach"]`)))
	poll(t, ctx, "before Send: no busy line", `(() => {
		const b = document.querySelector('[data-testid="action-card"] [data-testid="busy"]');
		return !!b && getComputedStyle(b).display === "none";
	})()`)
	step(t, ctx, "send", chromedp.Click(chromedp.CSS(`[data-testid="send-button"]`)))
	poll(t, ctx, "while Send runs: Working… shown, the card's buttons disabled", `(() => {
		const card = document.querySelector('[data-testid="action-card"]');
		const b = card.querySelector('[data-testid="busy"]');
		return getComputedStyle(b).display !== "none" && b.textContent.includes("Working") &&
			card.querySelector('[data-testid="send-button"]').disabled &&
			card.querySelector('[data-testid="save-draft"]').disabled &&
			card.querySelector('[data-testid="refine-button"]').disabled;
	})()`)
	checkA11y(t, ctx, axe, "card while sending")
	gate.release()
	step(t, ctx, "result", chromedp.WaitVisible(chromedp.CSS(`[data-testid="result-card"]`)))
}

// A Settings save (a plain form post) is busy too: its button disabled and Working… shown
// until the next page comes.
func TestBrowserBusyWhileSettingsSave(t *testing.T) {
	e, gate := gatedEnv(t, "/settings/send-delay")
	ctx, _ := browser(t) // no axe run here: a page mid-navigation does not evaluate it
	signIn(t, ctx, e, 1280, 900)
	form := `form[action$="/settings/send-delay"]`
	step(t, ctx, "settings", chromedp.Navigate(e.srv.URL+"/app/bella/settings"),
		chromedp.WaitVisible(chromedp.CSS(form+` button`)))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.samePage = true; document.querySelector('#f-send_delay_seconds').value = "45"; true`)); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "save", chromedp.Click(chromedp.CSS(form+` button`)))
	poll(t, ctx, "while saving: the button disabled, Working… beside it", `(() => {
		const f = document.querySelector('`+form+`');
		const b = f.querySelector('[data-testid="busy"]');
		return window.samePage === true && f.querySelector('button').disabled && f.getAttribute("aria-busy") === "true" &&
			!!b && getComputedStyle(b).display !== "none" && b.textContent.includes("Working");
	})()`)
	gate.release()
	// The page is replaced under the poll, so it is asked again until the new one answers.
	pollAcrossNavigation(t, ctx, "saved: a new page, the button usable", `window.samePage === undefined &&
		document.querySelector('#f-send_delay_seconds') && document.querySelector('#f-send_delay_seconds').value === "45" &&
		!document.querySelector('`+form+` button').disabled`)
}

// After a refused submit the first error is in view and focused: on a full page (a 422
// Settings page) and after an htmx swap (the client form).
func TestBrowserFirstErrorFocused(t *testing.T) {
	e := newEnv(t)
	ctx, axe := browser(t)
	signIn(t, ctx, e, 390, 844)
	step(t, ctx, "settings", chromedp.Navigate(e.srv.URL+"/app/bella/settings"),
		chromedp.WaitVisible(chromedp.CSS(`#f-time_zone`)))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('#f-time_zone').value = "Mars/Olympus"; true`)); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "save a bad venue", chromedp.Click(chromedp.CSS(`form[action$="/settings/venue"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-time_zone"]`)))
	poll(t, ctx, "the bad time zone focused and in view", `(() => {
		const a = document.activeElement, r = a.getBoundingClientRect();
		return a.id === "f-time_zone" && a.getAttribute("aria-invalid") === "true" && r.top >= 0 && r.bottom <= innerHeight;
	})()`)
	checkA11y(t, ctx, axe, "settings with an error")

	step(t, ctx, "new client", chromedp.Navigate(e.srv.URL+"/app/bella/clients/new"),
		chromedp.WaitVisible(chromedp.CSS(`#client-form`)))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.samePage = true; document.querySelector('#f-email').value = "not-an-email"; true`)); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "add a bad client", chromedp.Click(chromedp.CSS(`#client-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#client-form [aria-invalid="true"]`)))
	poll(t, ctx, "the first invalid field focused after the swap", `(() => {
		const a = document.activeElement, first = document.querySelector('#client-form [aria-invalid="true"]');
		const r = a.getBoundingClientRect();
		return window.samePage === true && a === first && r.top >= 0 && r.bottom <= innerHeight;
	})()`)
}

// A hold button says so before it is pressed.
func TestBrowserHoldButtonSaysHold(t *testing.T) {
	_, ctx, _, _ := holdSetup(t, false)
	label, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="send-button"][data-hold] .hold-label`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(label, "Hold to send to 55 clients") {
		t.Fatalf("hold button label: %q", label)
	}
}
