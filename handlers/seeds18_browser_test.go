package handlers_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"concierge/jobs"
	"concierge/salon"
	"concierge/store"
)

// The pages issue 18 changed, with their new parts showing (a reconnect by SMS and
// email across two categories, an incomplete booking's card, a gap with someone
// waiting, the Spark budget, the Marketing menu open), at phone and desktop widths:
// axe finds no serious or critical violation.
func TestBrowserSeeds18PagesAreAccessible(t *testing.T) {
	e := newEnv(t)
	ctx, axe := browser(t)
	v := e.venues["bella"]
	e.clk.Advance(-2 * time.Hour) // 10:00 in Sydney
	colour, err := e.st.EnsureService(t.Context(), v.ID, store.NewService{Name: "Full colour", Category: "Colour", DurationMin: 60,
		PriceMinor: 15000, StaffIDs: []int64{e.ids["bella.staff"]}})
	if err != nil {
		t.Fatal(err)
	}
	e.overdueRegular(t, "Ann", "0412 900 001", 55)
	dee, _ := e.st.CreateClient(t.Context(), v.ID, 0, salon.ClientInput{FirstName: "Dee", LastName: "Both", Phone: "0412 900 004",
		Email: "dee@example.com", NotifySMS: true})
	e.overdueIn(t, dee, e.ids["bella.service"], 42, 56, 7)
	e.overdueIn(t, dee, colour, 30, 41, 9)
	if err := e.st.SaveReconnect(t.Context(), v, 0, salon.ReconnectSettings{GracePct: 20, Channel: "both", FollowupDays: 7, TimeMin: 600}); err != nil {
		t.Fatal(err)
	}
	e.regular(t, "bella", "Ava", "0412 600 001")
	wes, _ := e.st.CreateClient(t.Context(), v.ID, 0, salon.ClientInput{FirstName: "Wes", LastName: "Waiting", Phone: "0412 600 010"})
	if _, err := e.st.AddWaitlist(t.Context(), v.ID, 0, salon.WaitlistEntry{ClientID: wes.ID, ServiceIDs: []int64{e.ids["bella.service"]}}); err != nil {
		t.Fatal(err)
	}
	incompleteFor(t, e, salon.ClientInput{FirstName: "Nina", LastName: "Left", Phone: "0412 661 002", Email: "nina@example.com", NotifySMS: true})
	e.clk.Advance(11 * time.Minute)
	if err := (jobs.Drafts{Concierge: e.app.ConciergeService()}).Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	base := e.srv.URL
	step(t, ctx, "sign in", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "owner@bella.test"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="kpi-today"]`)),
		chromedp.Navigate(base+"/app/bella/marketing/reconnect"),
		chromedp.Click(chromedp.CSS(`[data-testid="contact-all"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="audience-sendable-email"]`)))
	card, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	pages := []string{"/app/bella", "/app/bella/concierge", "/app/bella/marketing/reconnect", card, "/app/bella/calendar?panel=incomplete",
		"/app/bella/settings", "/app/bella/settings/reconnect", "/app/bella/backfill?" + e.gapQuery("bella").Encode()}
	for _, w := range []int64{390, 1280} {
		for _, p := range pages {
			url := p
			if url[0] == '/' {
				url = base + p
			}
			step(t, ctx, fmt.Sprintf("%s at %d", p, w), chromedp.EmulateViewport(w, 900), chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("main")))
			checkA11y(t, ctx, axe, fmt.Sprintf("%s at %d px", p, w))
		}
	}
}
