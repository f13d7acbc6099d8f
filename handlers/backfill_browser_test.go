package handlers_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// On a phone: the owner ranks clients for tomorrow's gap, changes the choice (the
// preview follows without a reload), sends the offer, and the page says so.
func TestBrowserBackfillOffer(t *testing.T) {
	e := newEnv(t)
	ctx, axe := browser(t)
	base := e.srv.URL
	e.regular(t, "bella", "Ava", "0412 600 001")
	e.regular(t, "bella", "Ben", "0412 600 002")
	step(t, ctx, "sign in", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "owner@bella.test"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="needs-attention"]`)))
	step(t, ctx, "gap list", chromedp.Navigate(base+"/app/bella/backfill"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="recovery"]`)))
	checkA11y(t, ctx, axe, "backfill gaps")
	step(t, ctx, "gap", chromedp.Navigate(base+"/app/bella/backfill?"+e.gapQuery("bella").Encode()),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="candidate"]`)))
	checkA11y(t, ctx, axe, "backfill ranking")
	sendable, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="audience-sendable"]`)))
	if sendable != "2" {
		t.Fatalf("both preselected: %q", sendable)
	}
	// Untick the first candidate: the preview shows 1 without a page load.
	chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__same = true; true`))
	step(t, ctx, "untick", chromedp.Click(chromedp.CSS(`[data-testid="candidate"] input[type=checkbox]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="send-button"][data-recipients="1"]`)))
	same, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__same === true`))
	if !same {
		t.Fatal("the preview reloaded the page")
	}
	step(t, ctx, "send", chromedp.Click(chromedp.CSS(`[data-testid="send-button"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)))
	flash, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="flash"]`)))
	if !strings.Contains(flash, "Offer sent to 1 of 1 clients") {
		t.Fatalf("flash: %q", flash)
	}
	var n int
	n = e.count(`SELECT count(*) FROM messages WHERE offer_id IS NOT NULL`)
	if n != 1 {
		t.Fatalf("one offer message: %d", n)
	}
}
