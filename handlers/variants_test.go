package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"concierge/jobs"
	"concierge/salon"
)

// guestAtReview signs a new client in through the code flow with a selection of one's
// own and returns them at Review with the form that confirms it.
func guestAtReview(t *testing.T, e *env, phone string, sel url.Values) (*user, url.Values) {
	t.Helper()
	u := e.anon()
	u.get("/book/bella").Body.Close()
	res := u.post("/book/bella/review", sel)
	if d := doc(t, res); d.Find(`[data-testid="book-signin"]`).Length() != 1 {
		t.Fatalf("Review asks to sign in first: %d %s", res.StatusCode, d.Find("section").Text())
	}
	form := cloneForm(sel)
	form.Set("phone", phone)
	u.post("/book/bella/code", form).Body.Close()
	e164, _ := salon.ParsePhone(phone, salon.AU)
	form.Set("code", lastCode(t, e, e164))
	form.Set("first_name", "Guest")
	form.Set("last_name", phone[len(phone)-3:])
	res = u.post("/book/bella/verify", form)
	d := doc(t, res)
	if res.StatusCode != 200 || d.Find(`[data-testid="book-review"]`).Length() != 1 {
		t.Fatalf("signed in, at Review: %d %s", res.StatusCode, d.Find("section").Text())
	}
	confirm := cloneForm(sel)
	confirm.Set("draft", draftIDOf(t, e, phone))
	e.reviewText = d.Find(`dl.review`).Text()
	return u, confirm
}

// The Owner gives Cut a "Long hair" option (+30 min, +A$20): the booking page offers it
// under Cut, times leave room for the extra half hour, Review lists it with its price,
// the booking made keeps it (time, price, name), and an abandoned booking's Follow-ups
// card names it. Bad option input is refused beside its fields.
func TestServiceVariantsOnlineAndOnFollowUps(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	cut := e.ids["bella.service"]
	servicePage := fmt.Sprintf("/app/bella/settings/catalogue/services/%d", cut)

	before := e.snapshot()
	res := owner.post(servicePage+"/variants", url.Values{"variant_name": {""}, "extra_min": {"half an hour"}, "extra_price": {"-3"}})
	d := doc(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad option: %d", res.StatusCode)
	}
	for field, want := range map[string]string{"variant_name": "Name is required", "extra_min": "from 0 to 240", "extra_price": "like 20.00"} {
		if got := d.Find(`[data-testid="error-` + field + `"]`).Text(); !strings.Contains(got, want) || d.Find(`[aria-describedby="err-`+field+`"]`).Length() != 1 {
			t.Errorf("%s: %q beside its field? want %q", field, got, want)
		}
	}
	if after := e.snapshot(); after != before {
		t.Fatalf("a refused option changed the database:\n%s", diffLines(before, after))
	}

	res = owner.post(servicePage+"/variants", url.Values{"variant_name": {"Long hair"}, "extra_min": {"30"}, "extra_price": {"20.00"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add option: %d", res.StatusCode)
	}
	sv, _ := e.st.Service(t.Context(), e.venues["bella"].ID, cut)
	if len(sv.Variants) != 1 {
		t.Fatalf("variants: %+v", sv.Variants)
	}
	long := sv.Variants[0].ID
	choice := fmt.Sprintf("%d:%d", cut, long)
	if d := doc(t, owner.get(servicePage)); d.Find(`[data-testid="variant-row"]`).Length() != 1 {
		t.Fatal("the service page does not list the option")
	}

	anon := e.anon()
	d = doc(t, anon.get("/book/bella"))
	opt := d.Find(`[data-testid="variant-select"] option[value="` + choice + `"]`)
	if !strings.Contains(opt.Text(), "Long hair · +30 min · +A$20.00") {
		t.Fatalf("the booking page does not offer the option: %q", d.Find(`[data-testid="variant-select"]`).Text())
	}
	if label := d.Find(`label[for="f-variant-` + fmt.Sprint(cut) + `"]`).Text(); !strings.Contains(label, "Option for Cut") {
		t.Fatalf("the option list has no label: %q", label)
	}
	last := func(q string) string {
		d := doc(t, anon.get("/book/bella?"+q))
		s := d.Find(`[data-testid="slot"]`)
		return strings.TrimSpace(s.Last().Parent().Text())
	}
	if got := last(fmt.Sprintf("service=%d&date=2026-11-25", cut)); !strings.HasPrefix(got, "16:00") {
		t.Fatalf("standard Cut: last start %q, want 16:00", got)
	}
	if got := last(fmt.Sprintf("service=%d&variant=%s&date=2026-11-25", cut, choice)); !strings.HasPrefix(got, "15:30") {
		t.Fatalf("Cut with Long hair: last start %q, want 15:30", got)
	}

	// Booked with the option: 90 minutes at A$110, named with it.
	date, slot := e.tomorrowSlot("bella")
	sel := url.Values{"service": {fmt.Sprint(cut)}, "variant": {choice}, "date": {date}, "slot": {slot}}
	u, confirm := guestAtReview(t, e, "0412 771 001", sel)
	if !strings.Contains(e.reviewText, "Cut (Long hair) (90 min)") || !strings.Contains(e.reviewText, "A$110.00") {
		t.Fatalf("Review: %q", e.reviewText)
	}
	res = u.post("/book/bella/confirm", confirm)
	d = doc(t, res)
	if res.StatusCode != 200 || !strings.Contains(d.Find("section").Text(), "Cut (Long hair)") {
		t.Fatalf("confirm: %d %s", res.StatusCode, d.Find("section").Text())
	}
	var bookingID int64
	e.st.DB().QueryRow(`SELECT id FROM bookings WHERE source = 'online'`).Scan(&bookingID)
	b, err := e.st.Booking(t.Context(), e.venues["bella"].ID, bookingID)
	if err != nil || b.PriceMinor != 11000 || b.End.Sub(b.Start) != 90*time.Minute || len(b.Services) != 1 || b.Services[0].Label() != "Cut (Long hair)" {
		t.Fatalf("booked: %+v %v", b, err)
	}

	// Another client leaves Review with the option chosen: their Follow-ups card names it.
	start, _ := time.ParseInLocation("2006-01-02 15:04", date+" 14:00", e.venues["bella"].Location())
	sel.Set("slot", fmt.Sprintf("%d:%d", start.Unix(), e.ids["bella.staff"]))
	e.st.DB().Exec(`DELETE FROM otp_codes`)
	guestAtReview(t, e, "0412 771 002", sel)
	e.clk.Advance(10 * time.Minute)
	if err := (jobs.Drafts{Concierge: e.app.ConciergeService()}).Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	card := doc(t, owner.get("/app/bella/calendar?panel=incomplete")).Find(`[data-testid="incomplete-card"]`)
	if card.Length() != 1 || !strings.Contains(card.Text(), "Cut (Long hair)") {
		t.Fatalf("the Follow-ups card: %q", card.Text())
	}

	// Book for client opens the staff form with the option chosen; staff book it so.
	bookFor, _ := card.Find(`a[href*="/bookings/new"]`).Attr("href")
	form := doc(t, owner.get(bookFor))
	if form.Find(`[data-testid="variant-select"] option[value="`+choice+`"][selected]`).Length() != 1 {
		t.Fatalf("Book for client (%s) does not choose the option", bookFor)
	}
	res = owner.post("/app/bella/bookings", url.Values{"client_id": {fmt.Sprint(e.ids["bella.client"])}, "staff_id": {fmt.Sprint(e.ids["bella.staff"])},
		"date": {"2026-11-27"}, "time": {"10:00"}, "service_id": {fmt.Sprint(cut)}, "variant": {choice}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("staff booking with the option: %d", res.StatusCode)
	}
	if n := e.count(`SELECT count(*) FROM bookings b JOIN booking_services bs ON bs.booking_id = b.id
		WHERE b.source = 'staff' AND b.price_minor = 11000 AND bs.variant_id = ? AND b.end_at - b.start_at = 5400`, long); n != 1 {
		t.Fatalf("staff bookings with the option: %d", n)
	}
	var staffBooking int64
	e.st.DB().QueryRow(`SELECT id FROM bookings WHERE source = 'staff' AND price_minor = 11000`).Scan(&staffBooking)
	if d := doc(t, owner.get(fmt.Sprintf("/app/bella/bookings/%d", staffBooking))); d.Find(`[data-testid="variant-select"] option[value="`+choice+`"][selected]`).Length() != 1 {
		t.Fatal("the booking's edit form does not show its option")
	}

	// Archived, the option is no longer offered; the booking keeps it.
	res = owner.post(fmt.Sprintf("%s/variants/%d/archive", servicePage, long), url.Values{"archived": {"true"}})
	res.Body.Close()
	if d := doc(t, anon.get("/book/bella")); d.Find(`[data-testid="variant-select"]`).Length() != 0 {
		t.Fatal("an archived option is still offered")
	}
	if b, _ := e.st.Booking(t.Context(), e.venues["bella"].ID, bookingID); b.Services[0].Label() != "Cut (Long hair)" {
		t.Fatalf("the booking lost its option: %+v", b.Services)
	}
	// Another venue's service cannot be given an option through bella.
	res = owner.post(fmt.Sprintf("/app/bella/settings/catalogue/services/%d/variants", e.ids["kiwi.service"]),
		url.Values{"variant_name": {"Mine"}, "extra_min": {"0"}, "extra_price": {"0"}})
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("kiwi's service through bella: %d, want 404", res.StatusCode)
	}
}
