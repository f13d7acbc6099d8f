package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"concierge/jobs"
	"concierge/salon"
	"concierge/store"
)

// lastCode reads the newest sign-in code sent to an address: the message row holds it
// masked, the outbox's demo aid holds the real one.
func lastCode(t *testing.T, e *env, to string) string {
	t.Helper()
	var code string
	e.st.DB().QueryRow(`SELECT oc.code FROM messages m JOIN outbox_codes oc ON oc.message_id = m.id
		WHERE m.purpose = 'otp' AND m.to_addr = ? ORDER BY m.id DESC LIMIT 1`, to).Scan(&code)
	if len(code) != 6 {
		t.Fatalf("no code sent to %s", to)
	}
	return code
}

// tomorrowSlot is a free slot tomorrow at 10:00 with the venue's staff member.
func (e *env) tomorrowSlot(slug string) (date, slot string) {
	v := e.venues[slug]
	d := e.clk.Now().In(v.Location()).AddDate(0, 0, 1)
	start := time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, v.Location())
	return d.Format("2006-01-02"), fmt.Sprintf("%d:%d", start.Unix(), e.ids[slug+".staff"])
}

// signedInGuest signs a new client in through the code flow and returns them at Review.
func signedInGuest(t *testing.T, e *env, phone string) (*user, url.Values) {
	t.Helper()
	date, slot := e.tomorrowSlot("bella")
	sel := url.Values{"service": {fmt.Sprint(e.ids["bella.service"])}, "date": {date}, "slot": {slot}}
	u := e.anon()
	u.get("/book/bella").Body.Close()
	res := u.post("/book/bella/review", sel)
	d := doc(t, res)
	if d.Find(`[data-testid="book-signin"]`).Length() != 1 {
		t.Fatalf("Review asks to sign in first: %d %s", res.StatusCode, d.Text())
	}
	form := url.Values{"phone": {phone}}
	for k, v := range sel {
		form[k] = v
	}
	res = u.post("/book/bella/code", form)
	res.Body.Close()
	e164, _ := salon.ParsePhone(phone, salon.AU)
	form.Set("code", lastCode(t, e, e164))
	form.Set("first_name", "Guest")
	form.Set("last_name", phone[len(phone)-3:])
	res = u.post("/book/bella/verify", form)
	d = doc(t, res)
	if res.StatusCode != 200 || d.Find(`[data-testid="book-review"]`).Length() != 1 {
		t.Fatalf("signed in, at Review: %d %s", res.StatusCode, d.Find("section").Text())
	}
	return u, sel
}

func draftIDOf(t *testing.T, e *env, clientPhone string) string {
	var id int64
	e164, _ := salon.ParsePhone(clientPhone, salon.AU)
	e.st.DB().QueryRow(`SELECT d.id FROM booking_drafts d JOIN clients c ON c.id = d.client_id WHERE c.phone = ? ORDER BY d.id DESC LIMIT 1`, e164).Scan(&id)
	return fmt.Sprint(id)
}

// 100 clients review the same slot (it is not held) and confirm at once: one booking,
// everyone else gets the conflict page with the time picker.
func TestHundredConfirmsOneBooking(t *testing.T) {
	e := newEnv(t)
	type guest struct {
		u    *user
		form url.Values
	}
	var guests []guest
	for i := range 100 {
		phone := fmt.Sprintf("0412 55%d %03d", i/100, i)
		u, sel := signedInGuest(t, e, phone)
		sel.Set("draft", draftIDOf(t, e, phone))
		e.st.DB().Exec(`DELETE FROM otp_codes`) // every guest signs in from this one test IP: not what is tested here
		guests = append(guests, guest{u, sel})
	}
	codes := make([]int, len(guests))
	var wg sync.WaitGroup
	for i, g := range guests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := g.u.post("/book/bella/confirm", g.form)
			body := doc(t, res)
			codes[i] = res.StatusCode
			if res.StatusCode == http.StatusConflict && body.Find(`[data-testid="book-problem"]`).Length() == 0 {
				t.Errorf("the conflict page says why")
			}
		}()
	}
	wg.Wait()
	var n int
	e.st.DB().QueryRow(`SELECT count(*) FROM bookings WHERE source = 'online'`).Scan(&n)
	ok, conflict := 0, 0
	for _, c := range codes {
		switch c {
		case 200:
			ok++
		case 409:
			conflict++
		}
	}
	if n != 1 || ok != 1 || conflict != 99 {
		t.Fatalf("one booking: %d bookings, %d booked, %d conflicts", n, ok, conflict)
	}
}

func TestReviewCountdownWithTheClock(t *testing.T) {
	e := newEnv(t)
	u, sel := signedInGuest(t, e, "0412 551 001")
	sel.Set("draft", draftIDOf(t, e, "0412 551 001"))
	reload := func() (banner, red string, timeout bool, confirm int) {
		d := doc(t, u.get("/book/bella/review?"+sel.Encode()))
		b := d.Find(`[data-testid="book-countdown"]`)
		return strings.Join(strings.Fields(b.Text()), " "), b.AttrOr("data-red", ""), d.Find(`[data-testid="book-timeout"]`).Length() == 1,
			d.Find(`[data-testid="book-confirm"]`).Length()
	}
	if banner, red, _, _ := reload(); banner != "Finish booking in 10:00" || red != "false" {
		t.Fatalf("amber at the start: %q red=%s", banner, red)
	}
	e.clk.Advance(7*time.Minute + 30*time.Second)
	if banner, red, _, _ := reload(); banner != "Finish booking in 2:30" || red != "false" {
		t.Fatalf("still amber at 2:30: %q red=%s", banner, red)
	}
	e.clk.Advance(30 * time.Second)
	if banner, red, _, _ := reload(); banner != "Finish booking in 2:00" || red != "true" {
		t.Fatalf("red at 2:00: %q red=%s", banner, red)
	}
	e.clk.Advance(2 * time.Minute)
	if _, _, timeout, confirm := reload(); !timeout || confirm != 0 {
		t.Fatalf("at 0:00 the client is asked to pick a time again (timeout %v, confirm buttons %d)", timeout, confirm)
	}
	res := u.post("/book/bella/confirm", sel)
	d := doc(t, res)
	var n int
	e.st.DB().QueryRow(`SELECT count(*) FROM bookings WHERE source = 'online'`).Scan(&n)
	if res.StatusCode != http.StatusConflict || d.Find(`[data-testid="book-timeout"]`).Length() != 1 || n != 0 {
		t.Fatalf("a confirm after the 10 minutes books nothing: %d, %d bookings", res.StatusCode, n)
	}
}

func TestSignInCodeLimits(t *testing.T) {
	e := newEnv(t)
	date, slot := e.tomorrowSlot("bella")
	sel := url.Values{"service": {fmt.Sprint(e.ids["bella.service"])}, "date": {date}, "slot": {slot}}
	u := e.anon()
	u.get("/book/bella").Body.Close()
	send := func(phone string) (*http.Response, string) {
		form := url.Values{"phone": {phone}}
		for k, v := range sel {
			form[k] = v
		}
		res := u.post("/book/bella/code", form)
		d := doc(t, res)
		return res, d.Find(`[data-testid="error-phone"]`).Text()
	}
	// A number of another country is refused.
	if res, msg := send("+44 7911 123456"); res.StatusCode != 422 || !strings.Contains(msg, "AU") {
		t.Fatalf("a UK number at an AU venue: %d %q", res.StatusCode, msg)
	}
	// Five wrong guesses are counted; the sixth is refused even when right.
	if res, _ := send("0412 552 001"); res.StatusCode != 200 {
		t.Fatalf("code sent: %d", res.StatusCode)
	}
	code := lastCode(t, e, "+61412552001")
	verify := func(c string) (int, string) {
		form := url.Values{"phone": {"0412 552 001"}, "code": {c}, "first_name": {"Zed"}, "last_name": {"Q"}}
		for k, v := range sel {
			form[k] = v
		}
		res := u.post("/book/bella/verify", form)
		d := doc(t, res)
		return res.StatusCode, d.Find(`[data-testid="error-code"]`).Text()
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for i := 1; i <= 5; i++ {
		if status, _ := verify(wrong); status != 422 {
			t.Fatalf("wrong guess %d: %d", i, status)
		}
	}
	if status, msg := verify(code); status != 422 || !strings.Contains(msg, "Too many wrong tries") {
		t.Fatalf("the 6th try is refused even with the right code: %d %q", status, msg)
	}
	// Three codes an hour per phone: the 4th is refused with when to try again.
	send("0412 552 001")
	send("0412 552 001")
	res, msg := send("0412 552 001")
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(msg, "try again in") {
		t.Fatalf("4th code within the hour: %d %q", res.StatusCode, msg)
	}
	// A code expires after 5 minutes.
	send("0412 552 002")
	code = lastCode(t, e, "+61412552002")
	e.clk.Advance(5 * time.Minute)
	form := url.Values{"phone": {"0412 552 002"}, "code": {code}, "first_name": {"Y"}, "last_name": {"Q"}}
	for k, v := range sel {
		form[k] = v
	}
	if res := u.post("/book/bella/verify", form); res.StatusCode != 422 {
		t.Fatalf("an expired code: %d", res.StatusCode)
	}
}

// The draft timeline with a fake clock, each step checked on the draft itself: active
// and nothing sent at 9:59; incomplete at 10:00 with one notification and one
// reminder; the reminder's link resumes it (active again, a fresh 10 minutes: still
// active at 9:59, incomplete with one more notification and reminder at 10:00); a
// booking converts it. Another client's draft, dismissed, is kept until 24 hours after
// their last engagement and expires at 24 hours.
func TestDraftTimeline(t *testing.T) {
	e := newEnv(t)
	v := e.venues["bella"]
	if err := e.st.SaveIncompleteReminder(t.Context(), v, 0, store.IncompleteReminder{SMS: true}); err != nil {
		t.Fatal(err)
	}
	u, sel := signedInGuest(t, e, "0412 553 001")
	job := jobs.Drafts{Concierge: e.app.ConciergeService()}
	run := func() {
		t.Helper()
		if err := job.Run(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	count := func(q string, args ...any) int64 {
		t.Helper()
		var n int64
		if err := e.st.DB().QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	reminders := func() int64 {
		return count(`SELECT count(*) FROM messages WHERE purpose = 'incomplete_booking_reminder'`)
	}
	notes := func() int64 { return count(`SELECT count(*) FROM notifications WHERE kind = 'incomplete_booking'`) }
	status := func(id int64) string {
		t.Helper()
		d, err := e.st.Draft(t.Context(), v.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		return d.Status
	}
	owner := e.login("owner", "bella")
	panel := func() int {
		d := doc(t, owner.get("/app/bella/calendar?panel=incomplete"))
		return d.Find(`[data-testid="incomplete-card"]`).Length()
	}
	client := count(`SELECT id FROM clients WHERE phone = '+61412553001'`)
	draft := count(`SELECT id FROM booking_drafts WHERE client_id = ?`, client)
	if got := status(draft); got != "active" {
		t.Fatalf("at Review the draft is active, got %s", got)
	}
	e.clk.Advance(9*time.Minute + 59*time.Second)
	run()
	if got := status(draft); got != "active" || panel() != 0 || notes() != 0 || reminders() != 0 {
		t.Fatalf("nothing at 9:59: draft %s, panel %d, notifications %d, reminders %d", got, panel(), notes(), reminders())
	}
	e.clk.Advance(time.Second)
	run()
	run()
	if got := status(draft); got != "incomplete" || panel() != 1 || notes() != 1 || reminders() != 1 {
		t.Fatalf("at 10:00: draft %s, panel %d, notifications %d, reminders %d", got, panel(), notes(), reminders())
	}
	d := doc(t, owner.get("/app/bella"))
	if d.Find(`[data-testid="attention-incomplete"]`).AttrOr("data-count", "") != "1" {
		t.Fatalf("the dashboard card: %q", d.Find(`[data-testid="attention-incomplete"]`).Text())
	}
	// The stored reminder (which staff can read) has the link's signature masked: the
	// link signs its holder in as the client. Only the provider got the real link.
	var body, sig string
	if err := e.st.DB().QueryRow(`SELECT m.body, o.code FROM messages m JOIN outbox_codes o ON o.message_id = m.id
		WHERE m.purpose = 'incomplete_booking_reminder'`).Scan(&body, &sig); err != nil {
		t.Fatal(err)
	}
	if len(sig) != 32 || strings.Contains(body, sig) || !strings.Contains(body, "&s="+strings.Repeat("*", 32)) {
		t.Fatalf("the stored reminder must mask the resume signature: %q (signature %q)", body, sig)
	}
	staff := e.login("staff", "bella")
	for _, page := range []string{"/app/bella/outbox", fmt.Sprintf("/app/bella/clients/%d", draftClient(t, e))} {
		res := staff.get(page)
		d = doc(t, res)
		html, _ := d.Html()
		if res.StatusCode != http.StatusOK || !strings.Contains(html, "/resume?") || strings.Contains(html, sig) {
			t.Fatalf("%s: staff must see the reminder with its link masked (status %d)", page, res.StatusCode)
		}
	}
	// The reminder's resume link reopens Review with the choice restored.
	link := salon.RevealCode(regexp.MustCompile(`https://\S+`).FindString(body), sig)
	path := strings.TrimPrefix(link, "https://concierge.example.com")
	fresh := e.anon()
	rd := doc(t, fresh.get(path))
	if rd.Find(`[data-testid="book-review"]`).Length() != 1 || !strings.Contains(rd.Find(`[data-testid="review-when"]`).Text(), "10:00") {
		t.Fatalf("the resume link reopens Review: %s", rd.Find("section").Text())
	}
	// A tampered link gets a friendly page.
	res := fresh.get(strings.Replace(path, "&s=", "&s=0", 1))
	td := doc(t, res)
	if res.StatusCode != http.StatusGone || td.Find(`[data-testid="book-expired"]`).Length() != 1 {
		t.Fatalf("tampered link: %d", res.StatusCode)
	}
	// Resuming re-engaged the client: the same draft is active again, off the panel,
	// with a fresh 10 minutes; leaving again earns one more notification and reminder.
	if got, again := status(draft), count(`SELECT id FROM booking_drafts WHERE client_id = ? AND status = 'active'`, client); got != "active" || again != draft || panel() != 0 {
		t.Fatalf("resumed: draft %d %s (active draft %d), panel %d", draft, got, again, panel())
	}
	e.clk.Advance(9*time.Minute + 59*time.Second)
	run()
	if got := status(draft); got != "active" || notes() != 1 || reminders() != 1 {
		t.Fatalf("9:59 after resuming: draft %s, notifications %d, reminders %d", got, notes(), reminders())
	}
	e.clk.Advance(time.Second)
	run()
	run()
	if got := status(draft); got != "incomplete" || panel() != 1 || notes() != 2 || reminders() != 2 {
		t.Fatalf("10:00 after resuming: draft %s, panel %d, notifications %d, reminders %d", got, panel(), notes(), reminders())
	}
	// Booking converts the draft: it leaves the panel.
	form := url.Values{"client_id": {fmt.Sprint(client)},
		"staff_id": {fmt.Sprint(e.ids["bella.staff"])}, "service_id": {fmt.Sprint(e.ids["bella.service"])},
		"date": {sel.Get("date")}, "time": {"15:00"}}
	owner = e.login("owner", "bella")
	res = owner.post("/app/bella/bookings", form)
	res.Body.Close()
	if got := status(draft); got != "converted" || panel() != 0 {
		t.Fatalf("converted: draft %s, panel %d (%d)", got, panel(), res.StatusCode)
	}
	// Another client's draft, dismissed, is gone 24 hours after their last engagement
	// (reaching Review), not a second before; the converted one stays converted.
	u2, _ := signedInGuest(t, e, "0412 553 002")
	_ = u2
	_ = u
	draft2 := count(`SELECT d.id FROM booking_drafts d JOIN clients c ON c.id = d.client_id WHERE c.phone = '+61412553002'`)
	e.clk.Advance(11 * time.Minute)
	run()
	if got := status(draft2); got != "incomplete" {
		t.Fatalf("the second draft at 11 minutes: %s", got)
	}
	owner = e.login("owner", "bella")
	res = owner.post(fmt.Sprintf("/app/bella/followups/incomplete/%d/dismiss", draft2), nil)
	res.Body.Close()
	if got := status(draft2); got != "dismissed" || panel() != 0 {
		t.Fatalf("dismissed: draft %s, panel %d", got, panel())
	}
	e.clk.Advance(24*time.Hour - 11*time.Minute - time.Second)
	run()
	if got := status(draft2); got != "dismissed" {
		t.Fatalf("a second before 24 hours the dismissed draft is kept: %s", got)
	}
	e.clk.Advance(time.Second)
	run()
	if got, first := status(draft2), status(draft); got != "expired" || first != "converted" {
		t.Fatalf("24 hours after the last engagement: second draft %s (want expired), first %s (want converted)", got, first)
	}
	if n := count(`SELECT count(*) FROM booking_drafts WHERE status IN ('active', 'incomplete', 'dismissed')`); n != 0 {
		t.Fatalf("24 hours after the last engagement every draft is gone: %d", n)
	}
}

// Book for client prefills the form from the draft and says which services were left
// out because they are no longer offered.
func TestBookForClientSkipsArchivedServices(t *testing.T) {
	e := newEnv(t)
	v := e.venues["bella"]
	extra, err := e.st.EnsureService(t.Context(), v.ID, store.NewService{Name: "Head Massage", Category: "Extras", DurationMin: 15, PriceMinor: 2000,
		StaffIDs: []int64{e.ids["bella.staff"]}})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := e.st.Client(t.Context(), v.ID, e.ids["bella.client"])
	start := e.clk.Now().Add(48 * time.Hour).Truncate(time.Hour)
	if _, err := e.st.SaveDraft(t.Context(), v.ID, store.NewDraft{ClientID: c.ID, ServiceIDs: []int64{e.ids["bella.service"], extra}, Start: start}); err != nil {
		t.Fatal(err)
	}
	e.st.DB().Exec(`UPDATE services SET archived = 1 WHERE id = ?`, extra)
	e.clk.Advance(11 * time.Minute)
	(jobs.Drafts{Concierge: e.app.ConciergeService()}).Run(t.Context())
	owner := e.login("owner", "bella")
	d := doc(t, owner.get("/app/bella/calendar?panel=incomplete"))
	card := d.Find(`[data-testid="incomplete-card"]`)
	if card.AttrOr("data-client-phone", "") != c.Phone || card.Find(`a[href^="tel:"]`).Length() != 1 || card.Find(`a[href^="mailto:"]`).Length() != 1 {
		t.Fatalf("the card: %s", card.Text())
	}
	href, _ := card.Find(`[data-testid="book-for-client"]`).Attr("href")
	f := doc(t, owner.get(href))
	if !strings.Contains(f.Find(`[data-testid="booking-skipped"]`).Text(), "Head Massage is no longer offered") {
		t.Fatalf("the form says what was skipped: %s", f.Find("main").Text())
	}
	if f.Find(fmt.Sprintf(`input[name="service_id"][value="%d"]:checked`, e.ids["bella.service"])).Length() != 1 {
		t.Fatal("the still-offered service is ticked")
	}
	// Send reminder always sends (the automation is off) and says by what: Sarah has
	// notifications by email off, so by SMS only.
	res := owner.htmxPost(fmt.Sprintf("/app/bella/followups/incomplete/%s/remind", card.Find(`form`).First().AttrOr("action", "x")[len("/app/bella/followups/incomplete/"):len(card.Find(`form`).First().AttrOr("action", "x"))-len("/remind")]), nil)
	res.Body.Close()
	if trig := res.Header.Get("HX-Trigger"); !strings.Contains(trig, "Reminder sent by SMS.") {
		t.Fatalf("toast: %q", trig)
	}
}

func TestWaitlistPanelAndPermission(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	form := url.Values{"client_id": {fmt.Sprint(e.ids["bella.client"])}, "service_id": {fmt.Sprint(e.ids["bella.service"])},
		"day": {"3"}, "band": {"morning"}, "notes": {"Prefers Mia"}}
	res := owner.post("/app/bella/followups/waitlist", form)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("added: %d", res.StatusCode)
	}
	d := doc(t, owner.get("/app/bella/calendar?panel=waitlist"))
	entry := d.Find(`[data-testid="waitlist-entry"]`)
	// Wednesday 25 November, morning: the staff member works 09:00–17:00 and is free.
	if entry.Length() != 1 || !strings.Contains(entry.Find(`[data-testid="waitlist-matches"]`).Text(), "Wed 25 Nov 09:00") {
		t.Fatalf("the entry with its matching gaps: %s", entry.Text())
	}
	// Bad input: no service.
	res = owner.post("/app/bella/followups/waitlist", url.Values{"client_id": {fmt.Sprint(e.ids["bella.client"])}})
	bad := doc(t, res)
	if res.StatusCode != 422 || bad.Find(`#follow-ups [data-testid="error-services"]`).Length() != 1 {
		t.Fatalf("no service: %d, the error beside the field", res.StatusCode)
	}
	// Staff without the Manage Waitlist permission see no panel and may not change it.
	staff := e.login("staff", "bella")
	sd := doc(t, staff.get("/app/bella/calendar"))
	if sd.Find("#follow-ups").Length() != 0 {
		t.Fatal("no panel for staff without the permission")
	}
	var id int64
	e.st.DB().QueryRow(`SELECT id FROM waitlist_entries`).Scan(&id)
	res = staff.post(fmt.Sprintf("/app/bella/followups/waitlist/%d/remove", id), nil)
	res.Body.Close()
	if res.StatusCode != 403 {
		t.Fatalf("staff remove: %d", res.StatusCode)
	}
	// Another venue cannot touch it.
	res = e.login("owner", "kiwi").post(fmt.Sprintf("/app/kiwi/followups/waitlist/%d/remove", id), nil)
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Fatalf("kiwi remove: %d", res.StatusCode)
	}
	res = owner.post(fmt.Sprintf("/app/bella/followups/waitlist/%d/remove", id), nil)
	res.Body.Close()
	var n int
	e.st.DB().QueryRow(`SELECT count(*) FROM waitlist_entries`).Scan(&n)
	if res.StatusCode != http.StatusSeeOther || n != 0 {
		t.Fatalf("removed: %d, %d left", res.StatusCode, n)
	}
}

// An email-only (NZ) venue sends the sign-in code by email; an expired resume link gets
// the friendly page; the dashboard card hides at zero and from staff without the
// permission.
func TestBookingEdges(t *testing.T) {
	e := newEnv(t)
	// NZ: phone of NZ, code by email.
	v := e.venues["kiwi"]
	d := v.Location()
	day := e.clk.Now().In(d).AddDate(0, 0, 1)
	start := time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, d)
	sel := url.Values{"service": {fmt.Sprint(e.ids["kiwi.service"])}, "date": {day.Format("2006-01-02")},
		"slot": {fmt.Sprintf("%d:%d", start.Unix(), e.ids["kiwi.staff"])}}
	u := e.anon()
	u.get("/book/kiwi").Body.Close()
	form := url.Values{"phone": {"021 555 0101"}, "email": {"tui@example.nz"}}
	for k, vs := range sel {
		form[k] = vs
	}
	res := u.post("/book/kiwi/code", form)
	page := doc(t, res)
	var ch, to string
	e.st.DB().QueryRow(`SELECT channel, to_addr FROM messages WHERE purpose = 'otp' ORDER BY id DESC LIMIT 1`).Scan(&ch, &to)
	if res.StatusCode != 200 || page.Find(`[data-testid="book-code"]`).Length() != 1 || ch != "email" || to != "tui@example.nz" {
		t.Fatalf("NZ code by email: %d %s %s", res.StatusCode, ch, to)
	}
	// An expired resume link.
	bella := e.venues["bella"]
	c, _ := e.st.Client(t.Context(), bella.ID, e.ids["bella.client"])
	dr, err := e.st.SaveDraft(t.Context(), bella.ID, store.NewDraft{ClientID: c.ID, ServiceIDs: []int64{e.ids["bella.service"]},
		Start: e.clk.Now().Add(48 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	link := e.app.ConciergeService().ResumeLink(bella, dr)
	e.clk.Advance(25 * time.Hour)
	res = e.anon().get(strings.TrimPrefix(link, "https://concierge.example.com"))
	exp := doc(t, res)
	if res.StatusCode != http.StatusGone || exp.Find(`[data-testid="book-expired"]`).Length() != 1 {
		t.Fatalf("expired link: %d", res.StatusCode)
	}
	// The KPI card: hidden at zero.
	owner := e.login("owner", "bella")
	if doc(t, owner.get("/app/bella")).Find(`[data-testid="attention-incomplete"]`).Length() != 0 {
		t.Fatal("no card at zero")
	}
	e.st.DB().Exec(`UPDATE booking_drafts SET status = 'incomplete', last_engaged_at = ? WHERE id = ?`, e.clk.Now().Unix(), dr.ID)
	if doc(t, owner.get("/app/bella")).Find(`[data-testid="attention-incomplete"]`).Length() != 1 {
		t.Fatal("the card shows one")
	}
	if doc(t, e.login("staff", "bella").get("/app/bella")).Find(`[data-testid="attention-incomplete"]`).Length() != 0 {
		t.Fatal("hidden from staff without Manage Waitlist")
	}
}

// Item 2: after one sign-in, a crafted slot books nothing — in the past, in 2099, at
// 03:00, off the slot grid, with a team member who does not do the service, or from a
// draft already booked — neither at Review nor at confirm; the real confirm books once
// and texts once.
func TestConfirmBooksOnlyAnOfferedSlotOnce(t *testing.T) {
	e := newEnv(t)
	v := e.venues["bella"]
	loc := v.Location()
	// Ann works the same hours but does not do the Cut; Ben does.
	ann, _ := e.st.EnsureStaff(t.Context(), v.ID, "Ann")
	ben, _ := e.st.EnsureStaff(t.Context(), v.ID, "Ben")
	if _, err := e.st.DB().Exec(`INSERT INTO service_staff (service_id, staff_id) VALUES (?, ?)`, e.ids["bella.service"], ben); err != nil {
		t.Fatal(err)
	}
	u, sel := signedInGuest(t, e, "0412 556 001")
	draft := draftIDOf(t, e, "0412 556 001")
	tomorrow := e.clk.Now().In(loc).AddDate(0, 0, 1)
	at := func(d time.Time, hh, mm int) int64 {
		return time.Date(d.Year(), d.Month(), d.Day(), hh, mm, 0, 0, loc).Unix()
	}
	staff := e.ids["bella.staff"]
	crafted := map[string]string{
		"in the past":          fmt.Sprintf("%d:%d", at(tomorrow.AddDate(0, 0, -3), 10, 0), staff),
		"in 2099":              fmt.Sprintf("%d:%d", at(tomorrow.AddDate(73, 0, 0), 10, 0), staff),
		"at 03:00":             fmt.Sprintf("%d:%d", at(tomorrow, 3, 0), staff),
		"at 10:07":             fmt.Sprintf("%d:%d", at(tomorrow, 10, 7), staff),
		"staff without Cut":    fmt.Sprintf("%d:%d", at(tomorrow, 10, 0), ann),
		"beyond 14 days":       fmt.Sprintf("%d:%d", at(tomorrow.AddDate(0, 0, 15), 10, 0), staff),
		"within the lead time": fmt.Sprintf("%d:%d", e.clk.Now().Add(15*time.Minute).Unix(), staff),
	}
	bookings := func() (n int) {
		e.st.DB().QueryRow(`SELECT count(*) FROM bookings WHERE source = 'online'`).Scan(&n)
		return n
	}
	confirmations := func() (n int) {
		e.st.DB().QueryRow(`SELECT count(*) FROM messages WHERE purpose = 'booking_confirmation'`).Scan(&n)
		return n
	}
	for name, slot := range crafted {
		for _, path := range []string{"/book/bella/review", "/book/bella/confirm"} {
			form := url.Values{"service": sel["service"], "date": sel["date"], "slot": {slot}, "draft": {draft}}
			res := u.post(path, form)
			d := doc(t, res)
			if res.StatusCode < 400 || res.StatusCode >= 500 || d.Find(`[data-testid="book-review"]`).Length() != 0 {
				t.Errorf("%s via %s: %d, %s", name, path, res.StatusCode, d.Find("section").Text())
			}
		}
	}
	if n := bookings(); n != 0 {
		t.Fatalf("crafted slots booked %d appointments", n)
	}
	var start int64
	e.st.DB().QueryRow(`SELECT start_at FROM booking_drafts WHERE id = ?`, draft).Scan(&start)
	if start != at(tomorrow, 10, 0) {
		t.Fatalf("a refused slot does not move the draft: %s", time.Unix(start, 0).In(loc))
	}
	// The real confirm books once.
	form := url.Values{"service": sel["service"], "date": sel["date"], "slot": sel["slot"], "draft": {draft}}
	res := u.post("/book/bella/confirm", form)
	if d := doc(t, res); res.StatusCode != 200 || d.Find(`[data-testid="book-confirmed"]`).Length() != 1 {
		t.Fatalf("the offered slot books: %d %s", res.StatusCode, d.Find("section").Text())
	}
	// Re-posting the converted draft books nothing more — the same slot, or Ben (free at
	// the same time and able to do the Cut).
	for _, slot := range []string{sel.Get("slot"), fmt.Sprintf("%d:%d", at(tomorrow, 10, 0), ben)} {
		form.Set("slot", slot)
		res := u.post("/book/bella/confirm", form)
		d := doc(t, res)
		if res.StatusCode != http.StatusConflict || d.Find(`[data-testid="book-problem"]`).Length() != 1 {
			t.Errorf("re-posting a booked draft (%s): %d %s", slot, res.StatusCode, d.Find("section").Text())
		}
	}
	if n, m := bookings(), confirmations(); n != 1 || m != 1 {
		t.Fatalf("one booking and one text: %d bookings, %d confirmations", n, m)
	}
}

// Item 2, staff side: Book for client warns before saving a time outside the team
// member's hours (03:00, or a day off) and saves it only when the box is ticked.
func TestStaffBookingOutsideHoursWarnsFirst(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	tomorrow := e.clk.Now().In(e.venues["bella"].Location()).AddDate(0, 0, 1) // a Tuesday: works 09:00–17:00
	form := url.Values{"client_id": {fmt.Sprint(e.ids["bella.client"])}, "staff_id": {fmt.Sprint(e.ids["bella.staff"])},
		"service_id": {fmt.Sprint(e.ids["bella.service"])}, "date": {tomorrow.Format("2006-01-02")}, "time": {"03:00"}}
	count := func() (n int) {
		e.st.DB().QueryRow(`SELECT count(*) FROM bookings WHERE status = 'booked'`).Scan(&n)
		return n
	}
	before := count()
	for _, tc := range []struct{ date, time, want string }{
		{tomorrow.Format("2006-01-02"), "03:00", "outside bella staff's hours on Tuesdays (09:00–17:00)"},
		{tomorrow.Format("2006-01-02"), "16:30", "outside bella staff's hours"}, // ends 17:30
		{tomorrow.AddDate(0, 0, 5).Format("2006-01-02"), "10:00", "does not work on Sundays"},
	} {
		form.Set("date", tc.date)
		form.Set("time", tc.time)
		res := owner.post("/app/bella/bookings", form)
		d := doc(t, res)
		if res.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="error-outside_hours"]`).Text(), tc.want) ||
			d.Find(`[data-testid="outside-hours"]`).Length() != 1 {
			t.Fatalf("%s %s: %d %q", tc.date, tc.time, res.StatusCode, d.Find(`[data-testid="error-outside_hours"]`).Text())
		}
		if count() != before {
			t.Fatalf("%s %s: nothing saved before the box is ticked", tc.date, tc.time)
		}
	}
	form.Set("outside_hours", "1")
	res := owner.post("/app/bella/bookings", form)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || count() != before+1 {
		t.Fatalf("ticked: %d, %d bookings", res.StatusCode, count()-before)
	}
	// Inside the hours nothing is asked.
	delete(form, "outside_hours")
	form.Set("date", tomorrow.Format("2006-01-02"))
	form.Set("time", "14:00")
	res = owner.post("/app/bella/bookings", form)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || count() != before+2 {
		t.Fatalf("inside the hours: %d", res.StatusCode)
	}
}

// Attack review: a service id sent eight times made one Men's Cut four hours long at
// eight times the price. A service chosen twice is one service.
func TestRepeatedServiceIDsCountOnce(t *testing.T) {
	e := newEnv(t)
	u, sel := signedInGuest(t, e, "0412 556 002")
	draft := draftIDOf(t, e, "0412 556 002")
	svc := sel.Get("service")
	form := url.Values{"service": {svc, svc, svc, svc}, "date": sel["date"], "slot": sel["slot"], "draft": {draft},
		"notes": {strings.Repeat("n", 5000)}}
	res := u.post("/book/bella/review", form)
	res.Body.Close()
	res = u.post("/book/bella/confirm", form)
	if d := doc(t, res); res.StatusCode != 200 || d.Find(`[data-testid="book-confirmed"]`).Length() != 1 {
		t.Fatalf("confirm: %d %s", res.StatusCode, d.Find("section").Text())
	}
	var start, end, price int64
	var notes string
	e.st.DB().QueryRow(`SELECT start_at, end_at, price_minor, notes FROM bookings WHERE source = 'online'`).Scan(&start, &end, &price, &notes)
	if end-start != 3600 || price != 9000 {
		t.Fatalf("one 60-minute Cut at 90.00 expected, got %d minutes at %d", (end-start)/60, price)
	}
	if len(notes) > 1000 {
		t.Fatalf("notes kept %d characters, at most 1000", len(notes))
	}
}

// draftClient is the client of the newest booking draft.
func draftClient(t *testing.T, e *env) int64 {
	t.Helper()
	var id int64
	if err := e.st.DB().QueryRow(`SELECT client_id FROM booking_drafts ORDER BY id DESC LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
