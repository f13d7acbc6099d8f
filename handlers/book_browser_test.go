package handlers_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// shot saves a screenshot under SHOTS_DIR (when set) so a person can look at the flow.
func shot(t *testing.T, ctx interface{}, name string, buf []byte) {
	if dir := os.Getenv("SHOTS_DIR"); dir != "" && len(buf) > 0 {
		os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
	}
}

// A client books on a phone (390×844, touch): services → time → sign in with the
// texted code → Review with its countdown → Book → booked.
func TestBrowserOnlineBookingOnAPhone(t *testing.T) {
	e := newEnv(t)
	e.clk.Real() // the page's countdown runs on the browser's clock
	ctx, axe := browser(t)
	base := e.srv.URL
	v := e.venues["bella"]
	day := time.Now().In(v.Location()).AddDate(0, 0, 1)
	for day.Weekday() == time.Sunday || day.Weekday() == time.Monday { // the staff member works Tuesday to Saturday
		day = day.AddDate(0, 0, 1)
	}
	date := day.Format("2006-01-02")
	ten := time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, v.Location())
	step(t, ctx, "open", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(base+"/book/bella"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="book-choose"]`)))
	checkA11y(t, ctx, axe, "booking: choose")
	step(t, ctx, "choose service and day",
		chromedp.Click(chromedp.CSS(`input[name="service"]`)),
		chromedp.SetValue(chromedp.CSS("#f-date"), date),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-date").dispatchEvent(new Event("change", {bubbles: true}))`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="slot"]`)))
	buf, _ := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	shot(t, ctx, "book-1-choose", buf)
	step(t, ctx, "pick 10:00 and continue",
		chromedp.Click(chromedp.CSS(`input[data-testid="slot"][value^="`+fmt.Sprint(ten.Unix())+`:"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="book-continue"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="book-signin"]`)))
	checkA11y(t, ctx, axe, "booking: sign in")
	step(t, ctx, "phone", chromedp.SendKeys(chromedp.CSS("#f-phone"), "0412 554 001"),
		chromedp.Click(chromedp.CSS(`[data-testid="send-code"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="book-code"]`)))
	code := lastCode(t, e, "+61412554001")
	step(t, ctx, "code", chromedp.SendKeys(chromedp.CSS("#f-code"), code),
		chromedp.Click(chromedp.CSS(`[data-testid="verify-code"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="book-name"]`)))
	checkA11y(t, ctx, axe, "booking: name")
	step(t, ctx, "name", chromedp.SendKeys(chromedp.CSS("#f-first_name"), "Mona"),
		chromedp.SendKeys(chromedp.CSS("#f-last_name"), "Phone"),
		chromedp.Click(chromedp.CSS(`[data-testid="save-name"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="book-countdown"]`)))
	banner, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="book-countdown"]`)))
	if !strings.Contains(banner, "Finish booking in 9:") && !strings.Contains(banner, "Finish booking in 10:00") {
		t.Fatalf("the countdown: %q", banner)
	}
	checkA11y(t, ctx, axe, "booking: review")
	buf, _ = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	shot(t, ctx, "book-2-review", buf)
	step(t, ctx, "book", chromedp.Click(chromedp.CSS(`[data-testid="book-confirm"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="book-confirmed"]`)))
	buf, _ = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	shot(t, ctx, "book-3-done", buf)
	if n := e.count(`SELECT count(*) FROM bookings b JOIN clients c ON c.id = b.client_id WHERE b.source = 'online' AND c.first_name = 'Mona'`); n != 1 {
		t.Fatalf("booked: %d", n)
	}
}
