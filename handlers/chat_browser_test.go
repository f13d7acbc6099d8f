package handlers_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"concierge/salon"
)

// Item 7: while a turn runs the chat shows "Thinking…" and Ask (and the chips) cannot be
// pressed again; when the answer comes both are back. The turn is held open by a model
// that answers only when the test lets it (then with a 429, so the router answers).
func TestBrowserThinkingStateWhileATurnRuns(t *testing.T) {
	gate := make(chan struct{})
	var once sync.Once
	open := func() { once.Do(func() { close(gate) }) }
	f := newFakeModel(t, func(w http.ResponseWriter, req chatRequest) {
		select {
		case <-gate:
		case <-req.ctx.Done():
		}
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"error":{"message":"Rate limit reached","type":"requests"}}`)
	})
	t.Cleanup(open)
	e := newEnv(t, withModel(f.srv.URL, 10*time.Second))
	ctx, axe := browser(t)
	step(t, ctx, "sign in", chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "owner@bella.test"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="kpi-today"]`)),
		chromedp.Navigate(e.srv.URL+"/app/bella/concierge"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="suggestion"]`)))
	if shown, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector('[data-testid="chat-thinking"]')).display === "none"`)); !shown {
		t.Fatal("no thinking line before anything is asked")
	}
	checkA11y(t, ctx, axe, "empty chat with suggestions")
	step(t, ctx, "ask", chromedp.SendKeys(chromedp.CSS(`[data-testid="chat-input"]`), "make a flash deal for tomorrow"),
		chromedp.Click(chromedp.CSS(`[data-testid="chat-send"]`)))
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](`(() => {
		const th = document.querySelector('[data-testid="chat-thinking"]');
		return getComputedStyle(th).display !== "none" && th.textContent.includes("Thinking") &&
			document.querySelector('[data-testid="chat-send"]').disabled &&
			[...document.querySelectorAll('[data-testid="suggestion"]')].every(b => b.disabled);
	})()`)); err != nil {
		t.Fatalf("while the turn runs: thinking shown, Ask and the chips disabled: %v", err)
	}
	checkA11y(t, ctx, axe, "chat while thinking")
	open()
	step(t, ctx, "answer", chromedp.WaitVisible(chromedp.CSS(`[data-testid="action-card"][data-action="flash_deal"]`)))
	pctx2, cancel2 := context.WithTimeout(ctx, 10*time.Second)
	defer cancel2()
	if _, err := chromedp.Run(pctx2, chromedp.Poll[bool](`getComputedStyle(document.querySelector('[data-testid="chat-thinking"]')).display === "none" &&
		!document.querySelector('[data-testid="chat-send"]').disabled &&
		getComputedStyle(document.querySelector('[data-testid="chat-suggestions"]')).display === "none"`)); err != nil {
		t.Fatalf("after the answer: no thinking line, Ask enabled, the chips gone: %v", err)
	}
}

// Item 3: the no-show card's window picker re-counts in place and rewords the draft.
func TestBrowserNoShowWindowPicker(t *testing.T) {
	e := newEnv(t)
	e.noShow(t, "bella", "Tara", "0412 555 101", 2*time.Hour)
	e.noShow(t, "bella", "Uma", "0412 555 102", 3*24*time.Hour)
	ctx, axe := browser(t)
	step(t, ctx, "sign in", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "owner@bella.test"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="kpi-today"]`)),
		chromedp.Navigate(e.srv.URL+"/app/bella/concierge"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="chat-input"]`), "follow up no-shows"),
		chromedp.Click(chromedp.CSS(`[data-testid="chat-send"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-action="no_show_followup"] [data-testid="window-picker"]`)))
	checkA11y(t, ctx, axe, "no-show card with its window picker")
	chromedp.Run(ctx, chromedp.Evaluate[bool](`window.noReload = true; true`))
	step(t, ctx, "pick the last 7 days", chromedp.SetValue(chromedp.CSS(`[data-testid="window-picker"]`), "week"))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('[data-testid="window-picker"]').dispatchEvent(new Event('change', {bubbles: true}))`)); err != nil {
		t.Fatal(err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](`(() => {
		const card = document.querySelector('[data-action="no_show_followup"]');
		const body = card.querySelector('[data-testid="draft-body"]').value;
		return card.querySelector('[data-testid="audience-count"]').textContent === "2" &&
			card.querySelector('[data-testid="send-button"]').dataset.recipients === "2" &&
			!/today/i.test(body) && body.includes("{{Date}}") &&
			card.querySelector('[data-testid="draft-counter"]').textContent.includes(" for Tara") && window.noReload === true;
	})()`)); err != nil {
		t.Fatalf("count, Send and wording follow the window in place: %v", err)
	}
	checkA11y(t, ctx, axe, "no-show card for the last 7 days")
	// Typing keeps the counter on the message as Tara would get it, not the raw template.
	counter, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const ta = document.querySelector('[data-action="no_show_followup"] [data-testid="draft-body"]');
		ta.value = "Hi {{FirstName}}, see you on {{Date}}";
		ta.dispatchEvent(new Event('input', {bubbles: true}));
		return document.querySelector('[data-action="no_show_followup"] [data-testid="draft-counter"]').textContent;
	})()`))
	want := fmt.Sprintf("%d/280 characters for Tara", len("Hi Tara, see you on Mon 23 Nov"))
	if err != nil || !strings.HasPrefix(counter, want) {
		t.Fatalf("live counter: %q (%v), want %q…", counter, err, want)
	}
}

// Item 3: the storefront link's client picker: find a client, add them, and the Send
// button goes to both, in place.
func TestBrowserStorefrontClientPicker(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	if _, err := e.st.CreateClient(t.Context(), e.venues["bella"].ID, 0, salonClient("Ben", "Ng", "0412 777 001")); err != nil {
		t.Fatal(err)
	}
	ctx, axe := browser(t)
	step(t, ctx, "sign in", chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "owner@bella.test"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="kpi-today"]`)),
		chromedp.Navigate(e.srv.URL+"/app/bella/concierge"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="chat-input"]`), "send my booking link to Sarah Smith"),
		chromedp.Click(chromedp.CSS(`[data-testid="chat-send"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="client-picker"]`)))
	checkA11y(t, ctx, axe, "storefront card with its client picker")
	step(t, ctx, "find Ben", chromedp.SendKeys(chromedp.CSS(`[data-testid="client-picker"] input[type=search]`), "Ben"),
		chromedp.WaitReady(chromedp.CSS(`[data-testid="client-add"] option[value]:not([value=""])`)),
		chromedp.Click(chromedp.CSS(`[data-testid="update-recipients"]`)))
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](`document.querySelectorAll('[data-testid="recipient"]').length === 2 &&
		document.querySelector('[data-testid="send-button"]').textContent.includes("Send to 2 clients")`)); err != nil {
		t.Fatalf("two recipients and the Send button for both: %v", err)
	}
}

func salonClient(first, last, phone string) salon.ClientInput {
	return salon.ClientInput{FirstName: first, LastName: last, Phone: phone, NotifySMS: true}
}
