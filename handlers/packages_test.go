package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"concierge/jobs"
	"concierge/salon"
	"concierge/store"
)

// The Owner bundles Colour and Cut as a package at one price: the booking page offers
// it with times that fit both services, a client books it online at the package's
// price, staff book it from the calendar form, and a reconnect message for Colour is
// counted reconnected by the package booking.
func TestPackagesBookedOnlineAndByStaffCountForReconnect(t *testing.T) {
	e := newEnv(t)
	bella := e.venues["bella"]
	owner := e.login("owner", "bella")
	cut := e.ids["bella.service"]
	colour, err := e.st.EnsureService(t.Context(), bella.ID, store.NewService{Name: "Full Colour", Category: "Colour", DurationMin: 90,
		PriceMinor: 18000, StaffIDs: []int64{e.ids["bella.staff"]}})
	if err != nil {
		t.Fatal(err)
	}
	res := owner.post("/app/bella/settings/catalogue/packages", url.Values{"name": {"Colour & Cut"}, "price": {"230.00"},
		"service": {fmt.Sprint(colour), fmt.Sprint(cut)}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new package: %d", res.StatusCode)
	}
	var pkg int64
	fmt.Sscanf(res.Header.Get("Location"), "/app/bella/settings/catalogue/packages/%d", &pkg)
	if p, err := e.st.Package(t.Context(), bella.ID, pkg); err != nil || p.PriceMinor != 23000 || len(p.ServiceIDs) != 2 {
		t.Fatalf("saved: %+v %v", p, err)
	}
	if d := doc(t, owner.get("/app/bella/settings/catalogue")); !strings.Contains(d.Find(`[data-testid="package-row"]`).Text(), "Cut, Full Colour") {
		t.Fatalf("the catalogue lists: %q", d.Find(`[data-testid="package-list"]`).Text())
	}

	anon := e.anon()
	d := doc(t, anon.get("/book/bella"))
	opt := d.Find(fmt.Sprintf(`[data-testid="package-option"][value="%d"]`, pkg))
	if opt.Length() != 1 || !strings.Contains(opt.Parent().Text(), "Colour & Cut (Cut, Full Colour) · 150 min · A$230.00") {
		t.Fatalf("the booking page offers: %q", d.Find(`[data-testid="package-choice"]`).Text())
	}
	slots := bookSlotsQ(t, anon, fmt.Sprintf("package=%d&date=2026-11-25", pkg))
	if len(slots) == 0 || !strings.HasPrefix(slots[len(slots)-1], "14:30") {
		t.Fatalf("times for 150 minutes: %v (want the last at 14:30)", slots)
	}

	// Sarah was sent a reconnect for Colour yesterday; she books the package online.
	colourCat := e.categoryID("bella", "Colour")
	m, _, err := e.st.QueueOutbound(t.Context(), bella.ID, store.NewOutbound{ClientID: e.ids["bella.client"], Channel: salon.SMS,
		Purpose: salon.PurposeReconnect, To: "+61412345678", Body: "We miss you"})
	if err != nil {
		t.Fatal(err)
	}
	e.st.DB().Exec(`UPDATE messages SET status = 'delivered' WHERE id = ?`, m.ID)
	e.st.DB().Exec(`INSERT INTO reconnect_sends (message_id, venue_id, client_id, category_id, created_at) VALUES (?, ?, ?, ?, ?)`,
		m.ID, bella.ID, e.ids["bella.client"], colourCat, e.clk.Now().Add(-24*time.Hour).Unix())
	reconnected := func() string {
		t.Helper()
		d := doc(t, owner.get("/app/bella/marketing/reconnect"))
		return strings.TrimSpace(d.Find(`[data-testid="reconnected"][data-category="Colour"]`).Text())
	}
	if got := reconnected(); got != "0" {
		t.Fatalf("before the booking, reconnected %q", got)
	}
	first, _ := doc(t, anon.get(fmt.Sprintf("/book/bella?package=%d&date=2026-11-25", pkg))).Find(`[data-testid="slot"]`).First().Attr("value")
	sel := url.Values{"package": {fmt.Sprint(pkg)}, "date": {"2026-11-25"}, "slot": {first}}
	u, confirm := guestAtReview(t, e, "0412 345 678", sel)
	if !strings.Contains(e.reviewText, "Colour & Cut (Cut, Full Colour) (150 min)") || !strings.Contains(e.reviewText, "A$230.00") {
		t.Fatalf("Review: %q", e.reviewText)
	}
	res = u.post("/book/bella/confirm", confirm)
	d = doc(t, res)
	if res.StatusCode != 200 {
		t.Fatalf("confirm: %d %s", res.StatusCode, d.Find("section").Text())
	}
	var online int64
	e.st.DB().QueryRow(`SELECT id FROM bookings WHERE source = 'online'`).Scan(&online)
	b, err := e.st.Booking(t.Context(), bella.ID, online)
	if err != nil || b.PriceMinor != 23000 || len(b.Services) != 2 || b.Services[0].PackageName != "Colour & Cut" || b.End.Sub(b.Start).Minutes() != 150 {
		t.Fatalf("the online package booking: %+v %v", b, err)
	}
	if got := reconnected(); got != "1" {
		t.Fatalf("the package booking did not count for Colour: reconnected %q", got)
	}

	// Staff book it from the calendar form, with no service ticked.
	if d := doc(t, owner.get("/app/bella/bookings/new")); d.Find(fmt.Sprintf(`[data-testid="package-select"] option[value="%d"]`, pkg)).Length() != 1 {
		t.Fatal("the staff booking form does not offer the package")
	}
	res = owner.post("/app/bella/bookings", url.Values{"client_id": {fmt.Sprint(e.ids["bella.client"])}, "staff_id": {fmt.Sprint(e.ids["bella.staff"])},
		"date": {"2026-11-26"}, "time": {"10:00"}, "package_id": {fmt.Sprint(pkg)}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("staff booking of the package: %d", res.StatusCode)
	}
	if n := e.count(`SELECT count(*) FROM bookings b WHERE b.source = 'staff' AND b.price_minor = 23000 AND
		(SELECT count(*) FROM booking_services bs WHERE bs.booking_id = b.id AND bs.package_id = ?) = 2`, pkg); n != 1 {
		t.Fatalf("staff package bookings: %d", n)
	}

	// A client who leaves Review with the package: the Follow-ups card names it, and
	// Book for client opens the staff form with it chosen.
	e.st.DB().Exec(`DELETE FROM otp_codes`)
	second, _ := doc(t, anon.get(fmt.Sprintf("/book/bella?package=%d&date=2026-11-25", pkg))).Find(`[data-testid="slot"]`).Eq(1).Attr("value")
	sel.Set("slot", second)
	guestAtReview(t, e, "0412 771 009", sel)
	e.clk.Advance(10 * time.Minute)
	if err := (jobs.Drafts{Concierge: e.app.ConciergeService()}).Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	card := doc(t, owner.get("/app/bella/calendar?panel=incomplete")).Find(`[data-testid="incomplete-card"]`)
	if card.Length() != 1 || !strings.Contains(card.Text(), "Colour & Cut (Cut, Full Colour)") {
		t.Fatalf("the Follow-ups card: %q", card.Text())
	}
	bookFor, _ := card.Find(`a[href*="/bookings/new"]`).Attr("href")
	if d := doc(t, owner.get(bookFor)); d.Find(fmt.Sprintf(`[data-testid="package-select"] option[value="%d"][selected]`, pkg)).Length() != 1 {
		t.Fatalf("Book for client (%s) does not choose the package", bookFor)
	}

	// With one of its services archived, the package cannot be booked by staff either.
	if err := e.st.SetServiceArchived(t.Context(), bella.ID, 0, colour, true); err != nil {
		t.Fatal(err)
	}
	res = owner.post("/app/bella/bookings", url.Values{"client_id": {fmt.Sprint(e.ids["bella.client"])}, "staff_id": {fmt.Sprint(e.ids["bella.staff"])},
		"date": {"2026-11-27"}, "time": {"10:00"}, "package_id": {fmt.Sprint(pkg)}})
	if d := doc(t, res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(`[data-testid="error-package_id"]`).Text(), "not available") {
		t.Fatalf("a package with an archived service: %d %q", res.StatusCode, d.Find(".field-error").Text())
	}
	if d := doc(t, owner.get("/app/bella/bookings/new")); d.Find(fmt.Sprintf(`[data-testid="package-select"] option[value="%d"]`, pkg)).Length() != 0 {
		t.Fatal("the staff form offers a package with an archived service")
	}
	if err := e.st.SetServiceArchived(t.Context(), bella.ID, 0, colour, false); err != nil {
		t.Fatal(err)
	}

	// Archived, the package is offered nowhere new.
	res = owner.post(fmt.Sprintf("/app/bella/settings/catalogue/packages/%d/archive", pkg), url.Values{"archived": {"true"}})
	res.Body.Close()
	if d := doc(t, anon.get("/book/bella")); d.Find(`[data-testid="package-option"]`).Length() != 0 {
		t.Fatal("an archived package is offered online")
	}
}

// bookSlotsQ are the slot labels bella's booking page offers for a query.
func bookSlotsQ(t *testing.T, u *user, q string) []string {
	t.Helper()
	var out []string
	doc(t, u.get("/book/bella?"+q)).Find(`[data-testid="slot"]`).Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimSpace(s.Parent().Text()))
	})
	return out
}

// A package's bad input is refused beside its fields and changes nothing; another
// venue's service cannot go into one, nor another venue's package be read or changed;
// a Manager reads a package without a form.
func TestPackageBadInputRolesAndTenancy(t *testing.T) {
	e := newEnv(t)
	bella := e.venues["bella"]
	owner := e.login("owner", "bella")
	cut := fmt.Sprint(e.ids["bella.service"])
	dry, err := e.st.EnsureService(t.Context(), bella.ID, store.NewService{Name: "Blow Dry", Category: "Cut & Style", DurationMin: 30, PriceMinor: 4500})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		form url.Values
		errs map[string]string
	}{
		{"everything wrong", url.Values{"name": {""}, "price": {"lots"}, "service": {cut}},
			map[string]string{"name": "Name is required", "price": "like 95.00", "services": "Choose 2 to 10 services"}},
		{"another venue's service", url.Values{"name": {"Mixed"}, "price": {"10"}, "service": {cut, fmt.Sprint(e.ids["kiwi.service"])}},
			map[string]string{"services": "Choose 2 to 10 services"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.snapshot()
			res := owner.post("/app/bella/settings/catalogue/packages", tc.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", res.StatusCode)
			}
			d := doc(t, res)
			for field, want := range tc.errs {
				got := d.Find(`[data-testid="error-` + field + `"]`)
				if !strings.Contains(got.Text(), want) || d.Find(`[aria-describedby="err-`+field+`"]`).Length() != 1 {
					t.Errorf("%s: %q beside its field? want %q", field, got.Text(), want)
				}
			}
			if after := e.snapshot(); after != before {
				t.Fatalf("a refused package changed the database:\n%s", diffLines(before, after))
			}
		})
	}
	pkg, err := e.st.SavePackage(t.Context(), bella.ID, 0, 0, salon.PackageInput{Name: "Cut & Dry", PriceMinor: 12000,
		ServiceIDs: []int64{e.ids["bella.service"], dry}})
	if err != nil {
		t.Fatal(err)
	}
	d := doc(t, e.login("manager", "bella").get(fmt.Sprintf("/app/bella/settings/catalogue/packages/%d", pkg)))
	if d.Find(`[data-testid="package-readonly"]`).Length() != 1 || d.Find(`main form`).Length() != 0 {
		t.Fatal("the Manager's package page is not read-only")
	}
	// kiwi's owner names bella's package under kiwi: 404, and nothing changes.
	kiwi := e.login("owner", "kiwi")
	before := e.snapshot()
	for _, r := range []struct {
		method, path string
	}{
		{http.MethodGet, fmt.Sprintf("/app/kiwi/settings/catalogue/packages/%d", pkg)},
		{http.MethodPost, fmt.Sprintf("/app/kiwi/settings/catalogue/packages/%d", pkg)},
		{http.MethodPost, fmt.Sprintf("/app/kiwi/settings/catalogue/packages/%d/archive", pkg)},
	} {
		var res *http.Response
		if r.method == http.MethodGet {
			res = kiwi.get(r.path)
		} else {
			res = kiwi.post(r.path, url.Values{"name": {"Mine"}, "price": {"1"}, "archived": {"true"}, "service": {fmt.Sprint(e.ids["kiwi.service"])}})
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s: %d, want 404", r.method, r.path, res.StatusCode)
		}
	}
	if after := e.snapshot(); after != before {
		t.Fatalf("another venue's package changed:\n%s", diffLines(before, after))
	}
}
