package handlers_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"concierge/salon"
	"concierge/store"
)

// regular is a client with four completed Cut visits six weeks apart, the last one six
// weeks before tomorrow, at 10:00 with the venue's staff member: a strong candidate for
// a gap tomorrow at 10:00.
func (e *env) regular(t *testing.T, slug, name, phone string) salon.Client {
	t.Helper()
	v := e.venues[slug]
	c, err := e.st.CreateClient(context.Background(), v.ID, 0, salon.ClientInput{FirstName: name, LastName: "Regular", Phone: phone,
		Email: strings.ToLower(name) + "@example.com", NotifySMS: true})
	if err != nil {
		t.Fatal(err)
	}
	tomorrow := e.clk.Now().In(v.Location()).AddDate(0, 0, 1)
	for i := 0; i < 4; i++ {
		d := tomorrow.AddDate(0, 0, -42*(i+1))
		start := time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, v.Location())
		res, err := e.st.DB().Exec(`INSERT INTO bookings (venue_id, client_id, staff_id, start_at, end_at, price_minor, status, created_at)
			VALUES (?, ?, ?, ?, ?, 9000, 'completed', ?)`, v.ID, c.ID, e.ids[slug+".staff"], start.Unix(), start.Add(time.Hour).Unix(), start.Add(-48*time.Hour).Unix())
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		e.st.DB().Exec(`INSERT INTO booking_services (booking_id, service_id) VALUES (?, ?)`, id, e.ids[slug+".service"])
	}
	if err := e.st.ForgetDayStats(t.Context(), v.ID); err != nil { // recompute visit figures and profiles
		t.Fatal(err)
	}
	return c
}

// gapURL is the backfill page of tomorrow's 10:00 gap of the venue's staff member.
func (e *env) gapQuery(slug string) url.Values {
	v := e.venues[slug]
	tomorrow := e.clk.Now().In(v.Location()).AddDate(0, 0, 1)
	return url.Values{"staff": {fmt.Sprint(e.ids[slug+".staff"])}, "start": {tomorrow.Format("2006-01-02") + "T10:00"}}
}

func TestBackfillPageRolesAndVenues(t *testing.T) {
	e := newEnv(t)
	e.regular(t, "bella", "Ava", "0412 600 001")
	q := e.gapQuery("bella").Encode()
	for role, want := range map[string]int{"owner": 200, "manager": 200, "staff": 403} {
		u := e.login(role, "bella")
		for _, path := range []string{"/app/bella/backfill", "/app/bella/backfill?" + q} {
			res := u.get(path)
			res.Body.Close()
			if res.StatusCode != want {
				t.Errorf("%s %s: %d, want %d", role, path, res.StatusCode, want)
			}
		}
		form := e.gapQuery("bella")
		form.Set("service_id", fmt.Sprint(e.ids["bella.service"]))
		form.Set("body", "Hi {{name}}, reply YES")
		form.Add("client", fmt.Sprint(e.ids["bella.client"]))
		if role == "staff" {
			res := u.post("/app/bella/backfill/offers", form)
			res.Body.Close()
			if res.StatusCode != 403 {
				t.Errorf("staff sends an offer: %d", res.StatusCode)
			}
		}
	}
	// Another venue's owner sees none of it.
	res := e.login("owner", "kiwi").get("/app/bella/backfill?" + q)
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("kiwi owner on bella's backfill: %d", res.StatusCode)
	}
	// A gap that is not open is a clear message, not an error page.
	res = e.login("owner", "bella").get("/app/bella/backfill?staff=" + fmt.Sprint(e.ids["bella.staff"]) + "&start=2020-01-01T10:00")
	d := doc(t, res)
	if res.StatusCode != 409 || !strings.Contains(d.Text(), "no longer open") {
		t.Errorf("a closed gap: %d %s", res.StatusCode, d.Find("main").Text())
	}
}

func TestBackfillRankOfferAndFirstYesBooks(t *testing.T) {
	e, _ := newTwilioEnv(t)
	ava := e.regular(t, "bella", "Ava", "0412 600 001")
	ben := e.regular(t, "bella", "Ben", "0412 600 002")
	owner := e.login("owner", "bella")
	d := doc(t, owner.get("/app/bella/backfill?"+e.gapQuery("bella").Encode()))
	cands := d.Find(`[data-testid="candidate"]`)
	if cands.Length() != 2 {
		t.Fatalf("two ranked regulars, got %d: %s", cands.Length(), d.Find("main").Text())
	}
	for i := range cands.Length() {
		row := cands.Eq(i)
		score, _ := strconv.Atoi(row.AttrOr("data-score", ""))
		if score < 70 || row.AttrOr("data-band", "") != "high" || row.AttrOr("data-client-id", "") == "" {
			t.Errorf("candidate %d: score %d band %s id %q", i, score, row.AttrOr("data-band", ""), row.AttrOr("data-client-id", ""))
		}
	}
	if n := d.Find(`[data-testid="audience-sendable"]`).Text(); n != "2" {
		t.Fatalf("both preselected and sendable: %q", n)
	}
	// Send the offer to both.
	form := e.gapQuery("bella")
	form.Set("service_id", fmt.Sprint(e.ids["bella.service"]))
	form.Set("body", "Hi {{name}}, an opening tomorrow at 10:00. Reply YES to book.")
	form.Add("client", fmt.Sprint(ava.ID))
	form.Add("client", fmt.Sprint(ben.ID))
	res := owner.post("/app/bella/backfill/offers", form)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("offer sent: %d", res.StatusCode)
	}
	sent := e.count(`SELECT count(*) FROM messages WHERE offer_id IS NOT NULL AND status IN ('sent', 'delivered') AND (body LIKE 'Hi Ava,%' OR body LIKE 'Hi Ben,%')`)
	if sent != 2 {
		t.Fatalf("one personal offer each: %d", sent)
	}
	// 100 YES replies race, 50 from each: exactly one booking.
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from := []string{"+61412600001", "+61412600002"}[i%2]
			e.twilioPost("/webhooks/twilio/sms", url.Values{"MessageSid": {fmt.Sprintf("SMyes%03d", i)}, "From": {from}, "To": {"+61400000000"},
				"Body": {[]string{" yes!", "YES", "Yes.", "yes "}[i%4]}}, "")
		}()
	}
	wg.Wait()
	var bookings int
	var winner int64
	e.st.DB().QueryRow(`SELECT count(*), max(client_id) FROM bookings WHERE source = 'backfill'`).Scan(&bookings, &winner)
	if bookings != 1 {
		t.Fatalf("exactly one booking from 100 racing YESes, got %d", bookings)
	}
	booked := e.count(`SELECT count(*) FROM messages WHERE purpose = 'booking_confirmation' AND body LIKE 'You''re booked%'`)
	taken := e.count(`SELECT count(*) FROM messages WHERE purpose = 'booking_confirmation' AND body LIKE 'Sorry%just been taken%'`)
	already := e.count(`SELECT count(*) FROM messages WHERE purpose = 'booking_confirmation' AND body LIKE 'You''re already booked%'`)
	if booked != 1 || taken != 50 || already != 49 {
		t.Fatalf("one confirmation, 50 'just taken' to the other client, 49 'already booked': %d %d %d", booked, taken, already)
	}
	// A replayed webhook changes nothing.
	before := countMessages(t, e)
	e.twilioPost("/webhooks/twilio/sms", url.Values{"MessageSid": {"SMyes000"}, "From": {"+61412600001"}, "To": {"+61400000000"}, "Body": {"YES"}}, "")
	if after := countMessages(t, e); after != before {
		t.Fatalf("replay recorded or replied: %d → %d", before, after)
	}
	// The recovery numbers count it: 2 sent, 1 client booked within 7 days.
	d = doc(t, owner.get("/app/bella/backfill"))
	if d.Find(`[data-testid="recovery-sent"] .kpi-value`).Text() != "2" || d.Find(`[data-testid="recovery-booked"] .kpi-value`).Text() != "1" ||
		d.Find(`[data-testid="recovery-conversion"] .kpi-value`).Text() != "50%" || d.Find(`[data-testid="recovery-revenue"] .kpi-value`).Text() != "A$90.00" {
		t.Fatalf("recovery: %s", d.Find(`[data-testid="recovery"]`).Text())
	}
	// The gap is gone from the list of open ones for that time.
	res = owner.get("/app/bella/backfill?" + e.gapQuery("bella").Encode())
	res.Body.Close()
	if res.StatusCode != 409 {
		t.Fatalf("the booked gap is no longer open: %d", res.StatusCode)
	}
	_ = winner
}

func countMessages(t *testing.T, e *env) int {
	t.Helper()
	return e.count(`SELECT count(*) FROM messages`)
}

func TestBackfillOfferValidation(t *testing.T) {
	e := newEnv(t)
	var ids []string
	for i := range 6 {
		c := e.regular(t, "bella", fmt.Sprintf("R%d", i), fmt.Sprintf("0412 600 %03d", i))
		ids = append(ids, fmt.Sprint(c.ID))
	}
	owner := e.login("owner", "bella")
	base := e.gapQuery("bella")
	base.Set("service_id", fmt.Sprint(e.ids["bella.service"]))
	base.Set("body", "Hi {{name}}, reply YES")
	cases := []struct {
		name, field string
		change      func(url.Values)
	}{
		{"nobody chosen", "client", func(f url.Values) {}},
		{"six chosen", "client", func(f url.Values) { f["client"] = ids }},
		{"empty message", "body", func(f url.Values) { f.Set("body", " "); f["client"] = ids[:1] }},
		{"a service that does not fit", "service_id", func(f url.Values) { f.Set("service_id", "999999"); f["client"] = ids[:1] }},
	}
	for _, tc := range cases {
		form := url.Values{}
		for k, v := range base {
			form[k] = append([]string(nil), v...)
		}
		tc.change(form)
		res := owner.post("/app/bella/backfill/offers", form)
		d := doc(t, res)
		if res.StatusCode != 422 || d.Find(`[data-testid="error-`+tc.field+`"]`).Length() != 1 {
			t.Errorf("%s: %d %s", tc.name, res.StatusCode, d.Find(".field-error").Text())
		}
	}
	if n := countMessages(t, e); n != 0 {
		t.Fatalf("nothing sent on bad input: %d", n)
	}
	// Quiet hours: 21:00 in Sydney.
	e.clk.Advance(9 * time.Hour)
	form := e.gapQuery("bella")
	form.Set("service_id", fmt.Sprint(e.ids["bella.service"]))
	form.Set("body", "Hi {{name}}, reply YES")
	form["client"] = ids[:1]
	owner = e.login("owner", "bella")
	res := owner.post("/app/bella/backfill/offers", form)
	d := doc(t, res)
	if res.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="error-body"]`).Text(), "quiet hours") || countMessages(t, e) != 0 {
		t.Fatalf("no offer at night: %d %s", res.StatusCode, d.Find(".field-error").Text())
	}
}

func TestFlashDealClaimFirstWins(t *testing.T) {
	e := newEnv(t)
	v := e.venues["bella"]
	start := e.clk.Now().Add(48 * time.Hour).Truncate(time.Hour)
	d, err := e.st.CreateDeal(context.Background(), v, store.NewDeal{StaffID: e.ids["bella.staff"], ServiceID: e.ids["bella.service"],
		Start: start, DiscountPct: 20})
	if err != nil {
		t.Fatal(err)
	}
	anon := e.anon()
	page := doc(t, anon.get("/deals/"+d.Token))
	if page.Find(`[data-testid="deal-signin"] input[name="phone"]`).Length() != 1 {
		t.Fatalf("an open deal asks for a mobile to sign in: %s", page.Text())
	}
	// A bad phone is refused beside the field, nothing sent.
	res := anon.post("/deals/"+d.Token+"/code", url.Values{"phone": {"12345"}})
	bad := doc(t, res)
	if res.StatusCode != 422 || bad.Find(`[data-testid="error-phone"]`).Length() != 1 || countMessages(t, e) != 0 {
		t.Fatalf("bad phone: %d %s", res.StatusCode, bad.Find("main").Text())
	}
	// 20 people sign in with a code, then give their names at once: one booking at the
	// deal price, everyone else told it has gone.
	var signedIn []*user
	for i := range 20 {
		u := e.anon()
		u.get("/deals/" + d.Token).Body.Close() // the CSRF cookie
		phone := fmt.Sprintf("0412 700 %03d", i)
		res := u.post("/deals/"+d.Token+"/code", url.Values{"phone": {phone}})
		res.Body.Close()
		e164, _ := salon.ParsePhone(phone, salon.AU)
		res = u.post("/deals/"+d.Token+"/verify", url.Values{"phone": {phone}, "code": {lastCode(t, e, e164)}})
		if named := doc(t, res); named.Find(`[data-testid="deal-name"]`).Length() != 1 {
			t.Fatalf("a new client gives their name after the code: %d %s", res.StatusCode, named.Find("main").Text())
		}
		e.st.DB().Exec(`DELETE FROM otp_codes`) // every claimer asks from this one test IP: not what is tested here
		signedIn = append(signedIn, u)
	}
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i, u := range signedIn {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := u.post("/deals/"+d.Token+"/verify", url.Values{"phone": {fmt.Sprintf("0412 700 %03d", i)}, "first_name": {fmt.Sprintf("Claimer%d", i)},
				"last_name": {"X"}})
			res.Body.Close()
			codes[i] = res.StatusCode
		}()
	}
	wg.Wait()
	var n int
	var price int64
	e.st.DB().QueryRow(`SELECT count(*), max(price_minor) FROM bookings WHERE source = 'flash_deal'`).Scan(&n, &price)
	ok, gone := 0, 0
	for _, c := range codes {
		switch c {
		case 200:
			ok++
		case http.StatusConflict:
			gone++
		}
	}
	if n != 1 || ok != 1 || gone != 19 || price != d.DealPriceMinor {
		t.Fatalf("one claim wins: %d bookings, %d successes, price %d (deal %d), codes %v", n, ok, price, d.DealPriceMinor, codes)
	}
	closed := doc(t, anon.get("/deals/"+d.Token))
	if closed.Find(`[data-testid="deal-taken"]`).Length() != 1 || closed.Find(`[data-testid="deal-signin"]`).Length() != 0 {
		t.Fatalf("the deal closes: %s", closed.Find("main").Text())
	}
}

// Item 4: holding a deal link is not enough to book it in an existing client's name:
// a claim with their phone but without their code books nothing and messages no one;
// with the code the client is booked as themselves, and once signed in a second deal
// is one press.
func TestFlashDealClaimNeedsTheCode(t *testing.T) {
	e := newEnv(t)
	v := e.venues["bella"]
	deal := func(hours int) store.Deal {
		d, err := e.st.CreateDeal(context.Background(), v, store.NewDeal{StaffID: e.ids["bella.staff"], ServiceID: e.ids["bella.service"],
			Start: e.clk.Now().Add(time.Duration(hours) * time.Hour).Truncate(time.Hour), DiscountPct: 20})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	d := deal(48)
	sarah := url.Values{"first_name": {"Sarah"}, "last_name": {"Smith"}, "phone": {"0412 345 678"}}
	booked := func() int { return e.count(`SELECT count(*) FROM bookings WHERE source = 'flash_deal'`) }
	mallory := e.anon()
	mallory.get("/deals/" + d.Token).Body.Close()
	before := countMessages(t, e)
	for _, path := range []string{"/claim", "/verify"} {
		res := mallory.post("/deals/"+d.Token+path, sarah)
		res.Body.Close()
		if res.StatusCode != 422 {
			t.Errorf("a claim without the code via %s: %d", path, res.StatusCode)
		}
	}
	res := mallory.post("/deals/"+d.Token+"/verify", url.Values{"phone": {"0412 345 678"}, "code": {"000000"}})
	if bad := doc(t, res); res.StatusCode != 422 || bad.Find(`[data-testid="error-code"]`).Length() != 1 {
		t.Errorf("a wrong code: %d", res.StatusCode)
	}
	if booked() != 0 || countMessages(t, e) != before {
		t.Fatalf("nothing booked or sent without the code: %d bookings, %d → %d messages", booked(), before, countMessages(t, e))
	}
	// Sarah herself, with the code: booked as Sarah, no name asked, one confirmation.
	u := e.anon()
	u.get("/deals/" + d.Token).Body.Close()
	res = u.post("/deals/"+d.Token+"/code", url.Values{"phone": {"0412 345 678"}})
	if page := doc(t, res); res.StatusCode != 200 || page.Find(`[data-testid="deal-code"] input[name="code"]`).Length() != 1 {
		t.Fatalf("the code step: %d %s", res.StatusCode, page.Find("main").Text())
	}
	res = u.post("/deals/"+d.Token+"/verify", url.Values{"phone": {"0412 345 678"}, "code": {lastCode(t, e, "+61412345678")}})
	if page := doc(t, res); res.StatusCode != 200 || page.Find(`[data-testid="deal-booked"]`).Length() != 1 {
		t.Fatalf("Sarah claims it: %d %s", res.StatusCode, page.Find("main").Text())
	}
	var owner int64
	var confirmations int
	e.st.DB().QueryRow(`SELECT client_id FROM bookings WHERE source = 'flash_deal'`).Scan(&owner)
	confirmations = e.count(`SELECT count(*) FROM messages WHERE purpose = 'booking_confirmation' AND client_id = ?`, owner)
	if owner != e.ids["bella.client"] || confirmations != 1 {
		t.Fatalf("booked for Sarah (%d, want %d), confirmed once (%d)", owner, e.ids["bella.client"], confirmations)
	}
	// Signed in, the next deal is one press.
	d2 := deal(72)
	page := doc(t, u.get("/deals/"+d2.Token))
	if !strings.Contains(page.Find("main").Text(), "signed in as Sarah") || page.Find(`[data-testid="deal-claim"]`).Length() != 1 {
		t.Fatalf("signed in: %s", page.Find("main").Text())
	}
	res = u.post("/deals/"+d2.Token+"/claim", nil)
	if done := doc(t, res); res.StatusCode != 200 || done.Find(`[data-testid="deal-booked"]`).Length() != 1 || booked() != 2 {
		t.Fatalf("one press: %d, %d bookings", res.StatusCode, booked())
	}
}

// With a model configured, the offer can be rewritten by it (1 Spark); a rewrite that
// drops {{FirstName}} or the YES is refused and the template stands.
func TestBackfillOfferModelDraft(t *testing.T) {
	reply := "Hi {{FirstName}}! A spot just opened tomorrow at 10:00. Reply YES and it's yours."
	f := newFakeModel(t, func(w http.ResponseWriter, r chatRequest) { io.WriteString(w, textReply(reply)) })
	e := newEnv(t, withModel(f.srv.URL, 5*time.Second))
	e.regular(t, "bella", "Ava", "0412 600 001")
	owner := e.login("owner", "bella")
	form := e.gapQuery("bella")
	form.Set("service_id", fmt.Sprint(e.ids["bella.service"]))
	before := sparks(t, e, "bella")
	d := doc(t, owner.post("/app/bella/backfill/draft", form))
	if got := d.Find("#f-body").Text(); got != reply || sparks(t, e, "bella") != before-1 {
		t.Fatalf("the model's offer: %q (sparks %d → %d)", got, before, sparks(t, e, "bella"))
	}
	reply = "Hi there, a spot opened tomorrow." // no {{FirstName}}, no YES
	d = doc(t, owner.post("/app/bella/backfill/draft", form))
	if got := d.Find("#f-body").Text(); !strings.HasPrefix(got, "Hi {{FirstName}}, great news!") {
		t.Fatalf("a rewrite that loses the name or the YES is refused: %q", got)
	}
}
