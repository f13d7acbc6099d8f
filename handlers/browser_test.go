package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// browser starts headless Chromium for this test, or skips with a clear reason. In CI
// (CI=true) a missing Chromium or axe-core fails instead, so CI never skips.
func browser(t *testing.T) (context.Context, string) {
	t.Helper()
	skip := func(why string) {
		if os.Getenv("CI") != "" {
			t.Fatalf("browser test cannot run in CI: %s", why)
		}
		t.Skipf("browser test skipped: %s", why)
	}
	var exe string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			exe = p
			break
		}
	}
	if exe == "" {
		skip("no Chromium found (apt-get install chromium)")
	}
	axe, err := os.ReadFile(filepath.Join("..", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		skip("axe-core not installed (npm ci)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-component-update", true))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	if err := chromedp.Do(ctx); err != nil { // start the browser without a deadline
		t.Fatalf("start chromium: %v", err)
	}
	return ctx, string(axe)
}

// step runs actions with a deadline.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// shiftBrowserClock moves the pages' Date.now by offset (what the countdowns read), so
// they agree with a server clock that follows the wall clock at that offset.
func shiftBrowserClock(t *testing.T, ctx context.Context, offset time.Duration) {
	t.Helper()
	script := fmt.Sprintf(`(() => { const now = Date.now.bind(Date); Date.now = () => now() + %d; })();`, offset.Milliseconds())
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script}); err != nil {
		t.Fatalf("shift the browser's clock: %v", err)
	}
}

type axeViolation struct {
	ID, Impact, Help string
	Nodes            []string
}

// checkA11y runs axe-core on the current page and fails on serious or critical violations.
func checkA11y(t *testing.T, ctx context.Context, axe, page string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(sctx, chromedp.Evaluate[bool](axe+";true")); err != nil {
		t.Fatalf("%s: load axe: %v", page, err)
	}
	out, err := chromedp.Run(sctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(
		r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => ({
			ID: v.id, Impact: v.impact, Help: v.help, Nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: run axe: %v", page, err)
	}
	// Output that is not a JSON list (an error, null) must not read as zero violations.
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil || vs == nil {
		t.Fatalf("%s: axe output is not a list of violations (%v): %.200q", page, err, out)
	}
	for _, v := range vs {
		t.Errorf("%s: accessibility %s (%s): %s at %v", page, v.ID, v.Impact, v.Help, v.Nodes)
	}
}

func TestBrowserLoginDashboardEditClient(t *testing.T) {
	e := newEnv(t)
	ctx, axe := browser(t)
	base := e.srv.URL

	step(t, ctx, "open login", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("#email")))
	checkA11y(t, ctx, axe, "login")
	step(t, ctx, "sign in",
		chromedp.SendKeys(chromedp.CSS("#email"), "staff@bella.test"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="kpi-today"]`)))
	checkA11y(t, ctx, axe, "dashboard")

	// Live search swaps the results in place (htmx).
	step(t, ctx, "clients", chromedp.Navigate(base+"/app/bella/clients"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="client-search"]`)))
	checkA11y(t, ctx, axe, "clients")
	step(t, ctx, "search", chromedp.SendKeys(chromedp.CSS(`[data-testid="client-search"]`), "smith"))
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](`location.search.includes("q=smith") && document.querySelector('[data-testid="client-total"]').textContent.startsWith("1 ")`)); err != nil {
		t.Fatalf("live search did not swap the results: %v", err)
	}
	step(t, ctx, "open client", chromedp.Click(chromedp.CSS(`[data-testid="client-row"] a`)), chromedp.WaitVisible(chromedp.CSS("#client-form")))
	checkA11y(t, ctx, axe, "client page")

	// A bad phone is refused beside the field, swapped in without a reload.
	step(t, ctx, "bad phone",
		chromedp.SetValue(chromedp.CSS("#f-phone"), "12345"),
		chromedp.Click(chromedp.CSS(`#client-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-phone"]`)))
	msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="error-phone"]`)))
	if err != nil || !strings.Contains(msg, "not a valid phone number") {
		t.Fatalf("phone error: %q %v", msg, err)
	}
	checkA11y(t, ctx, axe, "client form with errors")
	c, _ := e.st.Client(t.Context(), e.venues["bella"].ID, e.ids["bella.client"])
	if c.Phone != "+61412345678" {
		t.Fatalf("a rejected edit changed the phone: %s", c.Phone)
	}

	step(t, ctx, "good edit",
		chromedp.SetValue(chromedp.CSS("#f-phone"), "0498 111 222"),
		chromedp.SetValue(chromedp.CSS("#f-tags"), "VIP"),
		chromedp.Click(chromedp.CSS(`#client-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="client-saved"]`)))
	c, _ = e.st.Client(t.Context(), e.venues["bella"].ID, e.ids["bella.client"])
	if c.Phone != "+61498111222" || !c.HasTag("VIP") {
		t.Fatalf("edit not saved: %+v", c)
	}

	for _, page := range []string{"/app/bella/calendar", "/app/bella/bookings/new", "/app/bella/outbox"} {
		step(t, ctx, page, chromedp.Navigate(base+page), chromedp.WaitVisible(chromedp.CSS("main")))
		checkA11y(t, ctx, axe, page)
	}
	// Sign out, then the owner's settings pages.
	step(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS("#email")))
	step(t, ctx, "sign in as owner",
		chromedp.SendKeys(chromedp.CSS("#email"), "owner@bella.test"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="kpi-today"]`)))
	for _, page := range []string{"/app/bella/settings", "/app/bella/settings/team", "/app/bella/settings/import",
		"/app/bella/marketing/reconnect", "/app/bella/settings/reconnect", "/app/bella/automations"} {
		step(t, ctx, page, chromedp.Navigate(base+page), chromedp.WaitVisible(chromedp.CSS("main")))
		checkA11y(t, ctx, axe, page)
	}
}

func TestBrowserBookAppointmentFromCalendar(t *testing.T) {
	e := newEnv(t)
	ctx, axe := browser(t)
	base := e.srv.URL
	day := e.clk.Now().In(e.venues["bella"].Location()).AddDate(0, 0, 2).Format("2006-01-02")

	step(t, ctx, "sign in", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "staff@bella.test"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="kpi-today"]`)))
	step(t, ctx, "new booking", chromedp.Navigate(base+"/app/bella/bookings/new?date="+day),
		chromedp.WaitVisible(chromedp.CSS("#client-find")),
		chromedp.SendKeys(chromedp.CSS("#client-find"), "sarah"),
		// An option of a closed select has no box, so wait for it to exist, not to show.
		chromedp.WaitReady(chromedp.CSS(`#f-client_id option[value="`+itoa(e.ids["bella.client"])+`"]`)))
	checkA11y(t, ctx, axe, "booking form")
	step(t, ctx, "fill and book",
		chromedp.SetValue(chromedp.CSS("#f-staff_id"), itoa(e.ids["bella.staff"])),
		chromedp.SetValue(chromedp.CSS("#f-time"), "14:30"),
		chromedp.Click(chromedp.CSS(`input[name="service_id"][value="`+itoa(e.ids["bella.service"])+`"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="save-booking"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)))
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "/app/bella/calendar?date="+day) {
		t.Fatalf("after booking the calendar of that day opens, got %s", loc)
	}
	text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="calendar-column"]:last-child`)))
	found, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll('[data-testid="calendar-booking"]')].some(b => b.textContent.includes("14:30") && b.textContent.includes("Sarah Smith"))`))
	if !found {
		t.Fatalf("the new booking should show on the calendar: %q", text)
	}
	checkA11y(t, ctx, axe, "calendar with booking")

	// Booking the same slot again is refused with the reason, swapped into the form.
	step(t, ctx, "double book", chromedp.Navigate(base+"/app/bella/bookings/new?date="+day+"&client="+itoa(e.ids["bella.client"])),
		chromedp.WaitVisible(chromedp.CSS("#f-time")),
		chromedp.SetValue(chromedp.CSS("#f-staff_id"), itoa(e.ids["bella.staff"])),
		chromedp.SetValue(chromedp.CSS("#f-time"), "15:00"),
		chromedp.Click(chromedp.CSS(`input[name="service_id"][value="`+itoa(e.ids["bella.service"])+`"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="save-booking"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="booking-conflict"]`)))
	msg, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="booking-conflict"]`)))
	if !strings.Contains(msg, "already booked from 14:30 to 15:30") {
		t.Fatalf("conflict message: %q", msg)
	}
}

func TestBrowserConciergeChatCardEditSend(t *testing.T) {
	e := newEnv(t)
	ctx, axe := browser(t)
	base := e.srv.URL
	e.clk.Advance(-3 * time.Hour) // 09:00 in Sydney
	step(t, ctx, "sign in", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "owner@bella.test"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="kpi-today"]`)))
	step(t, ctx, "chat", chromedp.Navigate(base+"/app/bella/concierge"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="chat-input"]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="chat-input"]`), "text Sarah"),
		chromedp.Click(chromedp.CSS(`[data-testid="chat-send"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="action-card"][data-action="client_outreach"]`)))
	checkA11y(t, ctx, axe, "concierge with a card")
	// Edit the draft: the live counter follows the typing.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('[data-testid="draft-body"]').value = ""; true`)); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "edit draft",
		chromedp.SendKeys(chromedp.CSS(`[data-testid="draft-body"]`), "Hi Sarah, a colour slot opened on Friday at 2pm. Shall I book it? 🙂"))
	counter, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="draft-counter"]`)))
	if !strings.Contains(counter, "UCS-2") || !strings.Contains(counter, "1 SMS segment") {
		t.Fatalf("live counter: %q", counter)
	}
	step(t, ctx, "send", chromedp.Click(chromedp.CSS(`[data-testid="send-button"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="result-card"]`)))
	summary, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="result-summary"]`)))
	link, _ := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`[data-testid="result-link"]`), "href"))
	if summary != "Sent to Sarah Smith" || !strings.Contains(link.Value, "/app/bella/inbox/") {
		t.Fatalf("result card: %q %q", summary, link.Value)
	}
	checkA11y(t, ctx, axe, "concierge with a result card")
	msgs, _ := e.st.ClientMessages(t.Context(), e.venues["bella"].ID, e.ids["bella.client"])
	if len(msgs) != 1 || !strings.Contains(msgs[0].Body, "🙂") {
		t.Fatalf("the edited draft is what was sent: %+v", msgs)
	}
	step(t, ctx, "follow the link", chromedp.Click(chromedp.CSS(`[data-testid="result-link"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="message-thread"]`)))
}

func TestBrowserWindowPickerRequeriesLive(t *testing.T) {
	e := newEnv(t)
	ctx, axe := browser(t)
	e.clk.Advance(-3 * time.Hour)
	e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	step(t, ctx, "sign in", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "owner@bella.test"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="kpi-today"]`)),
		chromedp.Navigate(e.srv.URL+"/app/bella/concierge"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="chat-input"]`), "win back lapsed clients"),
		chromedp.Click(chromedp.CSS(`[data-testid="chat-send"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="window-picker"]`)))
	checkA11y(t, ctx, axe, "win-back card with preview")
	// Mark the page so a reload would be noticed.
	chromedp.Run(ctx, chromedp.Evaluate[bool](`window.noReload = true; true`))
	step(t, ctx, "pick 180 days", chromedp.SetValue(chromedp.CSS(`[data-testid="window-picker"]`), "180"))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('[data-testid="window-picker"]').dispatchEvent(new Event('change', {bubbles: true}))`)); err != nil {
		t.Fatal(err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](`document.querySelector('[data-testid="audience-count"]').textContent === "0" &&
		document.querySelector('[data-testid="send-button"]').dataset.costMinor === "0" && window.noReload === true`)); err != nil {
		t.Fatalf("count, sendable and cost update in place: %v", err)
	}
}

func TestBrowserCountdownFiresTheScheduledSend(t *testing.T) {
	e := newEnv(t)
	ctx, axe := browser(t)
	// The page's own timer fires, so time runs at wall-clock speed, but from noon in
	// Sydney on the server and in the browser alike: far from quiet hours (20:00–09:00)
	// whenever the test runs.
	shiftBrowserClock(t, ctx, e.clk.Follow())
	if _, err := e.st.DB().Exec(`UPDATE venues SET send_delay_seconds = 2 WHERE id = ?`, e.venues["bella"].ID); err != nil {
		t.Fatal(err)
	}
	e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	step(t, ctx, "sign in", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "owner@bella.test"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="kpi-today"]`)),
		chromedp.Navigate(e.srv.URL+"/app/bella/concierge"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="chat-input"]`), "win back lapsed clients"),
		chromedp.Click(chromedp.CSS(`[data-testid="chat-send"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-action="win_back"] [data-testid="send-button"]`)),
		chromedp.Click(chromedp.CSS(`[data-action="win_back"] [data-testid="send-button"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="countdown"]`)))
	checkA11y(t, ctx, axe, "scheduled win-back")
	step(t, ctx, "countdown fires", chromedp.WaitVisible(chromedp.CSS(`[data-action="win_back"] [data-testid="result-summary"]`)))
	summary, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-action="win_back"] [data-testid="result-summary"]`)))
	if summary != "Sent 1, failed 0" {
		t.Fatalf("result after the countdown: %q", summary)
	}
}
