package handlers_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"concierge/salon"
	"concierge/store"
)

// The Owner sets up the catalogue in the browser: a category, a service performed by
// two team members (staff skills) with an option, and a package of it with Cut. The
// public booking page offers the option and the package; Sarah, sent a Reconnect
// message for Cut & Style yesterday, books the package online; Reconnect counts her
// reconnected.
func TestBrowserCatalogueToBookingToReconnect(t *testing.T) {
	e := newEnv(t)
	e.clk.Real() // the Review countdown runs on the browser's clock
	ctx, axe := browser(t)
	base := e.srv.URL
	bella := e.venues["bella"]
	zoe, err := e.st.EnsureStaff(t.Context(), bella.ID, "Zoe")
	if err != nil {
		t.Fatal(err)
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}

	step(t, ctx, "sign in", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "owner@bella.test"), chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")), chromedp.WaitVisible(chromedp.CSS(`[data-testid="kpi-today"]`)))
	step(t, ctx, "catalogue", chromedp.Navigate(base+"/app/bella/settings/catalogue"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="new-category"]`)))
	checkA11y(t, ctx, axe, "catalogue")
	step(t, ctx, "add a category", chromedp.SendKeys(chromedp.CSS("#f-name"), "Nails"),
		chromedp.Click(chromedp.CSS(`[data-testid="new-category"] button`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)))
	nails := e.categoryID("bella", "Nails")

	step(t, ctx, "new service", chromedp.Click(chromedp.CSS(`[data-testid="new-service"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="service-form"]`)))
	checkA11y(t, ctx, axe, "new service")
	step(t, ctx, "fill and save the service",
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Gel Manicure"),
		chromedp.SetValue(chromedp.CSS("#f-category_id"), fmt.Sprint(nails)),
		chromedp.SendKeys(chromedp.CSS("#f-duration_min"), "45"),
		chromedp.SendKeys(chromedp.CSS("#f-price"), "55"),
		// Staff skills: Zoe and the salon's stylist perform it.
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="staff"][value="%d"]`, zoe))),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="staff"][value="%d"]`, e.ids["bella.staff"]))),
		chromedp.Click(chromedp.CSS(`[data-testid="save-service"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="variant-form"]`)))
	var gel salon.Service
	services, _ := e.st.Services(t.Context(), bella.ID, false)
	for _, sv := range services {
		if sv.Name == "Gel Manicure" {
			gel = sv
		}
	}
	if gel.ID == 0 || gel.CategoryID != nails || len(gel.StaffIDs) != 2 {
		t.Fatalf("the service saved: %+v", gel)
	}
	step(t, ctx, "add an option",
		chromedp.SendKeys(chromedp.CSS("#f-variant_name"), "French tips"),
		chromedp.SetValue(chromedp.CSS("#f-extra_min"), "15"),
		chromedp.SetValue(chromedp.CSS("#f-extra_price"), "10.00"),
		chromedp.Click(chromedp.CSS(`[data-testid="add-variant"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="variant-row"]`)))
	checkA11y(t, ctx, axe, "service with an option")

	step(t, ctx, "new package", chromedp.Navigate(base+"/app/bella/settings/catalogue"),
		chromedp.Click(chromedp.CSS(`[data-testid="new-package"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="package-form"]`)))
	checkA11y(t, ctx, axe, "new package")
	step(t, ctx, "fill and save the package",
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Mani & Cut"),
		chromedp.SendKeys(chromedp.CSS("#f-price"), "120"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="service"][value="%d"]`, gel.ID))),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="service"][value="%d"]`, e.ids["bella.service"]))),
		chromedp.Click(chromedp.CSS(`[data-testid="save-package"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)))
	pkgs, _ := e.st.Packages(t.Context(), bella.ID, false)
	if len(pkgs) != 1 || pkgs[0].PriceMinor != 12000 || len(pkgs[0].ServiceIDs) != 2 {
		t.Fatalf("the package saved: %+v", pkgs)
	}
	pkg := pkgs[0]

	// Sarah was sent a Reconnect message for Cut & Style yesterday.
	m, _, err := e.st.QueueOutbound(t.Context(), bella.ID, store.NewOutbound{ClientID: e.ids["bella.client"], Channel: salon.SMS,
		Purpose: salon.PurposeReconnect, To: "+61412345678", Body: "We miss you"})
	if err != nil {
		t.Fatal(err)
	}
	e.st.DB().Exec(`UPDATE messages SET status = 'delivered' WHERE id = ?`, m.ID)
	e.st.DB().Exec(`INSERT INTO reconnect_sends (message_id, venue_id, client_id, category_id, created_at) VALUES (?, ?, ?, ?, ?)`,
		m.ID, bella.ID, e.ids["bella.client"], e.categoryID("bella", "Cut & Style"), time.Now().Add(-24*time.Hour).Unix())

	// The public booking page, on a phone.
	day := time.Now().In(bella.Location()).AddDate(0, 0, 2)
	for day.Weekday() == time.Sunday || day.Weekday() == time.Monday { // the team works Tuesday to Saturday
		day = day.AddDate(0, 0, 1)
	}
	step(t, ctx, "open the booking page", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(base+"/book/bella"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="package-choice"]`)))
	checkA11y(t, ctx, axe, "booking page with options and packages")
	if got := text(fmt.Sprintf(`#f-variant-%d`, gel.ID)); !strings.Contains(got, "French tips · +15 min · +A$10.00") {
		t.Fatalf("the booking page's options for Gel Manicure: %q", got)
	}
	if got := text(`[data-testid="package-choice"]`); !strings.Contains(got, "Mani & Cut (Cut, Gel Manicure) · 105 min · A$120.00") {
		t.Fatalf("the booking page's packages: %q", got)
	}
	step(t, ctx, "choose the package and a day",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-testid="package-option"][value="%d"]`, pkg.ID))),
		chromedp.SetValue(chromedp.CSS("#f-date"), day.Format("2006-01-02")),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-date").dispatchEvent(new Event("change", {bubbles: true}))`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="slot"]`)))
	step(t, ctx, "pick the first time", chromedp.Click(chromedp.CSS(`input[data-testid="slot"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="book-continue"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="book-signin"]`)))
	step(t, ctx, "phone", chromedp.SendKeys(chromedp.CSS("#f-phone"), "0412 345 678"),
		chromedp.Click(chromedp.CSS(`[data-testid="send-code"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="book-code"]`)))
	step(t, ctx, "code", chromedp.SendKeys(chromedp.CSS("#f-code"), lastCode(t, e, "+61412345678")),
		chromedp.Click(chromedp.CSS(`[data-testid="verify-code"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="book-countdown"]`)))
	if got := text(`dl.review`); !strings.Contains(got, "Mani & Cut (Cut, Gel Manicure) (105 min)") || !strings.Contains(got, "A$120.00") {
		t.Fatalf("Review: %q", got)
	}
	checkA11y(t, ctx, axe, "review of a package")
	step(t, ctx, "book", chromedp.Click(chromedp.CSS(`[data-testid="book-confirm"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="book-confirmed"]`)))
	if n := e.count(`SELECT count(*) FROM bookings b WHERE b.source = 'online' AND b.client_id = ? AND b.price_minor = 12000 AND
		(SELECT count(*) FROM booking_services bs WHERE bs.booking_id = b.id AND bs.package_id = ?) = 2`, e.ids["bella.client"], pkg.ID); n != 1 {
		t.Fatalf("Sarah's package booking: %d", n)
	}

	step(t, ctx, "reconnect", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/app/bella/marketing/reconnect"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="reconnect-categories"]`)))
	if got := strings.TrimSpace(text(`[data-testid="reconnected"][data-category="Cut & Style"]`)); got != "1" {
		t.Fatalf("Reconnect's Cut & Style reconnected: %q, want 1 (the package includes Cut)", got)
	}
}
