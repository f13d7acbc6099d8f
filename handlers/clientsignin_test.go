package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"concierge/messaging"
	"concierge/salon"
)

// bookForm is a complete choice at a venue (tomorrow 10:00) plus extra fields.
func bookForm(e *env, slug string, extra url.Values) url.Values {
	date, slot := e.tomorrowSlot(slug)
	form := url.Values{"service": {fmt.Sprint(e.ids[slug+".service"])}, "date": {date}, "slot": {slot}}
	for k, v := range extra {
		form[k] = v
	}
	return form
}

// fieldsOf lists a page's form field names and its error test ids: what a visitor can
// tell from the page.
func fieldsOf(t *testing.T, res *http.Response) string {
	t.Helper()
	d := doc(t, res)
	var out []string
	d.Find(`section input:not([type="hidden"]), [data-testid^="error-"]`).Each(func(_ int, s *goquery.Selection) {
		if n, ok := s.Attr("name"); ok {
			out = append(out, "field:"+n)
		}
		if id, ok := s.Attr("data-testid"); ok && strings.HasPrefix(id, "error-") {
			out = append(out, id)
		}
	})
	sort.Strings(out)
	return fmt.Sprintf("%d %s", res.StatusCode, strings.Join(out, " "))
}

// Item 3: the code page and a wrong or empty code answer the same for a client's
// phone and a stranger's: the code is checked before anything is looked up.
func TestSignInDoesNotTellWhoIsAClient(t *testing.T) {
	e := newEnv(t)
	u := e.anon()
	u.get("/book/bella").Body.Close()
	client, stranger := "0412 345 678", "0412 557 001" // Sarah Smith is a client of Bella
	for _, step := range []struct {
		name, path string
		extra      url.Values
	}{
		{"verify with an empty code", "/book/bella/verify", url.Values{"code": {""}}},
		{"verify with a wrong code", "/book/bella/verify", url.Values{"code": {"000000"}}},
		{"verify with no name fields at all", "/book/bella/verify", nil},
		{"the code page", "/book/bella/code", nil},
	} {
		var pages []string
		for _, phone := range []string{client, stranger} {
			extra := url.Values{"phone": {phone}}
			for k, v := range step.extra {
				extra[k] = v
			}
			pages = append(pages, fieldsOf(t, u.post(step.path, bookForm(e, "bella", extra))))
		}
		if pages[0] != pages[1] {
			t.Errorf("%s tells a client from a stranger:\n client:   %s\n stranger: %s", step.name, pages[0], pages[1])
		}
	}
}

// signInAt goes through the code flow at a venue and returns the page after the code
// (Review for a known client, the name step for a new one).
func signInAt(t *testing.T, e *env, u *user, slug, phone, email string) *http.Response {
	t.Helper()
	extra := url.Values{"phone": {phone}}
	to, _ := salon.ParsePhone(phone, e.venues[slug].Country)
	if email != "" {
		extra.Set("email", email)
		to = strings.ToLower(email)
	}
	res := u.post("/book/"+slug+"/code", bookForm(e, slug, extra))
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("code to %s: %d", to, res.StatusCode)
	}
	extra.Set("code", lastCode(t, e, to))
	return u.post("/book/"+slug+"/verify", bookForm(e, slug, extra))
}

// Item 12: a returning client of an email-only (NZ) venue is found by the address the
// code went to — no duplicate, their own draft — and a stranger typing that client's
// phone with another address is not signed in as them. At an SMS venue the texted
// phone finds the client the same way.
func TestReturningClientFoundWhateverTheCountry(t *testing.T) {
	e := newEnv(t)
	clients := func(slug string) int {
		return e.count(`SELECT count(*) FROM clients WHERE venue_id = ?`, e.venues[slug].ID)
	}
	draftClient := func(slug string) (id int64) {
		e.st.DB().QueryRow(`SELECT client_id FROM booking_drafts WHERE venue_id = ? ORDER BY id DESC LIMIT 1`, e.venues[slug].ID).Scan(&id)
		return id
	}
	for _, slug := range []string{"kiwi", "bella"} {
		before := clients(slug)
		phone, email := "021 123 4567", "Sarah@Example.com" // Sarah as she types it
		if slug == "bella" {
			phone, email = "0412 345 678", ""
		}
		u := e.anon()
		u.get("/book/" + slug).Body.Close()
		res := signInAt(t, e, u, slug, phone, email)
		d := doc(t, res)
		if res.StatusCode != 200 || d.Find(`[data-testid="book-review"]`).Length() != 1 {
			t.Fatalf("%s: Sarah goes straight to Review: %d %s", slug, res.StatusCode, d.Find("section").Text())
		}
		if clients(slug) != before || draftClient(slug) != e.ids[slug+".client"] {
			t.Fatalf("%s: no duplicate (%d → %d clients), Sarah's own draft (%d, want %d)", slug, before, clients(slug),
				draftClient(slug), e.ids[slug+".client"])
		}
	}
	// At the email-only venue the phone is not what the code proves.
	u := e.anon()
	u.get("/book/kiwi").Body.Close()
	res := signInAt(t, e, u, "kiwi", "021 123 4567", "mallory@example.nz")
	d := doc(t, res)
	if d.Find(`[data-testid="book-name"]`).Length() != 1 {
		t.Fatalf("a stranger with Sarah's phone is asked their name, not signed in as Sarah: %s", d.Find("section").Text())
	}
	res = u.post("/book/kiwi/verify", bookForm(e, "kiwi", url.Values{"phone": {"021 123 4567"}, "email": {"mallory@example.nz"},
		"first_name": {"Mal"}, "last_name": {"Lory"}}))
	d = doc(t, res)
	if d.Find(`[data-testid="book-review"]`).Length() != 1 || draftClient("kiwi") == e.ids["kiwi.client"] {
		t.Fatalf("the stranger books as themselves: %d %s", res.StatusCode, d.Find("section").Text())
	}
}

// A new client gives their name after the code, without a second code; an empty name
// is refused beside the field.
func TestNewClientNameStepAfterTheCode(t *testing.T) {
	e := newEnv(t)
	u := e.anon()
	u.get("/book/bella").Body.Close()
	res := signInAt(t, e, u, "bella", "0412 557 101", "")
	if d := doc(t, res); res.StatusCode != 200 || d.Find(`[data-testid="name-form"]`).Length() != 1 {
		t.Fatalf("the name step: %d %s", res.StatusCode, d.Find("section").Text())
	}
	name := url.Values{"phone": {"0412 557 101"}, "first_name": {""}, "last_name": {"Nguyen"}}
	res = u.post("/book/bella/verify", bookForm(e, "bella", name))
	if d := doc(t, res); res.StatusCode != 422 || d.Find(`[data-testid="error-first_name"]`).Length() != 1 {
		t.Fatalf("an empty first name: %d", res.StatusCode)
	}
	name.Set("first_name", "Linh")
	res = u.post("/book/bella/verify", bookForm(e, "bella", name))
	if d := doc(t, res); res.StatusCode != 200 || d.Find(`[data-testid="book-review"]`).Length() != 1 {
		t.Fatalf("named, at Review: %d %s", res.StatusCode, d.Find("section").Text())
	}
	// Another browser cannot use the name step without the code.
	other := e.anon()
	other.get("/book/bella").Body.Close()
	res = other.post("/book/bella/verify", bookForm(e, "bella", url.Values{"phone": {"0412 557 102"}, "first_name": {"X"}, "last_name": {"Y"}}))
	if d := doc(t, res); res.StatusCode != 422 || d.Find(`[data-testid="error-code"]`).Length() != 1 {
		t.Fatalf("no code, no sign-in: %d", res.StatusCode)
	}
}

// sendFrom asks for a code from a given client address (behind a trusted proxy).
func sendFrom(t *testing.T, u *user, slug, ip string, form url.Values) (int, string) {
	t.Helper()
	form.Set("_csrf", u.csrf())
	req, _ := http.NewRequest(http.MethodPost, u.e.srv.URL+"/book/"+slug+"/code", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", ip)
	res := u.do(req)
	d := doc(t, res)
	return res.StatusCode, d.Find(`.field-error`).Text()
}

// Item 5: codes are limited per destination address (not only per phone), per client
// network (an IPv6 /64, across venues) and per venue in total.
func TestSignInCodeLimitsPerDestinationNetworkAndVenue(t *testing.T) {
	e := newEnv(t, func(c *envConfig) { c.TrustProxy = true })
	u := e.anon()
	u.get("/book/kiwi").Body.Close()
	u.get("/book/bella").Body.Close()
	sent := func() int { return e.count(`SELECT count(*) FROM messages WHERE purpose = 'otp'`) }
	// One victim's address, a new phone each time, one IP: 3 codes, then refused.
	for i := range 4 {
		status, msg := sendFrom(t, u, "kiwi", "198.51.100.1", bookForm(e, "kiwi", url.Values{"phone": {fmt.Sprintf("021 555 01%02d", i)},
			"email": {"victim@example.nz"}}))
		if i < 3 && status != 200 || i == 3 && (status != http.StatusTooManyRequests || !strings.Contains(msg, "try again in")) {
			t.Fatalf("code %d to one address: %d %q", i+1, status, msg)
		}
	}
	if sent() != 3 {
		t.Fatalf("three codes reached the address: %d", sent())
	}
	// One IPv6 /64, a new address and phone each time, two venues: 10 codes, then refused.
	for i := range 11 {
		slug, form := "bella", url.Values{"phone": {fmt.Sprintf("0412 558 %03d", i)}}
		if i%2 == 1 {
			slug, form = "kiwi", url.Values{"phone": {fmt.Sprintf("021 555 02%02d", i)}, "email": {fmt.Sprintf("p%d@example.nz", i)}}
		}
		status, msg := sendFrom(t, u, slug, fmt.Sprintf("2001:db8:1:2::%x", i+1), bookForm(e, slug, form))
		if i < 10 && status != 200 || i == 10 && status != http.StatusTooManyRequests {
			t.Fatalf("code %d from one /64: %d %q", i+1, status, msg)
		}
	}
	// Another /64 is another network.
	if status, msg := sendFrom(t, u, "bella", "2001:db8:1:3::1", bookForm(e, "bella", url.Values{"phone": {"0412 559 000"}})); status != 200 {
		t.Fatalf("another /64: %d %q", status, msg)
	}
	// One venue, everyone different: the venue's hourly total holds.
	n := e.count(`SELECT count(*) FROM otp_codes WHERE venue_id = ?`, e.venues["bella"].ID)
	refused := 0
	for i := n; i < 61; i++ {
		status, _ := sendFrom(t, u, "bella", fmt.Sprintf("203.0.%d.%d", i/200, i%200+1), bookForm(e, "bella", url.Values{"phone": {fmt.Sprintf("0412 560 %03d", i)}}))
		if status == http.StatusTooManyRequests {
			refused++
		}
	}
	n = e.count(`SELECT count(*) FROM otp_codes WHERE venue_id = ?`, e.venues["bella"].ID)
	if n != 60 || refused != 1 {
		t.Fatalf("60 codes an hour per venue: %d issued, %d refused", n, refused)
	}
}

// recordingSender is a provider that keeps what it was handed.
type recordingSender struct {
	mu  sync.Mutex
	got []messaging.Envelope
}

func (r *recordingSender) Name() string { return "recording" }
func (r *recordingSender) Send(_ context.Context, m messaging.Envelope) (messaging.Receipt, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, m)
	return messaging.Receipt{Provider: "recording", ProviderID: fmt.Sprintf("rec-%d", m.MessageID)}, nil
}

// Item 11b: a sign-in code is never stored or shown in plain text: the message row,
// the Messages page and the client's thread show it masked; the provider gets the
// real text; in outbox mode Owners alone see the code, labelled as a demo aid.
func TestSignInCodesMasked(t *testing.T) {
	e := newEnv(t)
	u := e.anon()
	u.get("/book/bella").Body.Close()
	res := u.post("/book/bella/code", bookForm(e, "bella", url.Values{"phone": {"0412 345 678"}})) // Sarah's phone
	res.Body.Close()
	code := lastCode(t, e, "+61412345678")
	var body string
	e.st.DB().QueryRow(`SELECT body FROM messages WHERE purpose = 'otp' ORDER BY id DESC LIMIT 1`).Scan(&body)
	if strings.Contains(body, code) || !strings.Contains(body, salon.CodeMask) {
		t.Fatalf("the stored body: %q", body)
	}
	for _, role := range []string{"manager", "staff", "owner"} {
		staff := e.login(role, "bella")
		for _, path := range []string{"/app/bella/outbox", fmt.Sprintf("/app/bella/inbox/%d", e.ids["bella.client"])} {
			d := doc(t, staff.get(path))
			text := d.Find("main").Text()
			demo := d.Find(`[data-testid="demo-code"]`)
			inDemo := strings.Contains(demo.Text(), code)
			if role != "owner" || path != "/app/bella/outbox" {
				if strings.Contains(text, code) {
					t.Errorf("%s sees the code on %s", role, path)
				}
				continue
			}
			if !inDemo || !strings.Contains(demo.Text(), "Demo aid") || strings.Count(text, code) != 1 {
				t.Errorf("the owner's demo aid on %s: %q", path, demo.Text())
			}
		}
	}
	// A real provider gets the real text, and no demo code is kept.
	rec := &recordingSender{}
	e.dispatch.Senders = messaging.Senders{SMS: rec, Email: rec}
	res = u.post("/book/bella/code", bookForm(e, "bella", url.Values{"phone": {"0412 557 201"}}))
	res.Body.Close()
	var stored string
	var kept int
	e.st.DB().QueryRow(`SELECT body FROM messages WHERE purpose = 'otp' ORDER BY id DESC LIMIT 1`).Scan(&stored)
	kept = e.count(`SELECT count(*) FROM outbox_codes`)
	if len(rec.got) != 1 || strings.Contains(rec.got[0].Body, salon.CodeMask) || rec.got[0].Body == stored || kept != 1 {
		t.Fatalf("the provider's texts %+v, stored %q, demo codes kept %d", rec.got, stored, kept)
	}
	real := regexp.MustCompile(`code is (\d{6})`).FindStringSubmatch(rec.got[0].Body)
	if real == nil || salon.RevealCode(stored, real[1]) != rec.got[0].Body {
		t.Fatalf("only the code differs: stored %q, sent %q", stored, rec.got[0].Body)
	}
}
