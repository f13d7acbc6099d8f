package handlers_test

import (
	"net/url"
	"testing"
)

// Every form and endpoint added for backfill, reconnect, online booking and follow-ups
// answers garbage with a 4xx page, never a 500, and sends or books nothing.
func TestNewEndpointsRefuseGarbage(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	guest := e.anon()
	guest.get("/book/bella").Body.Close()
	junk := url.Values{"staff": {"x"}, "start": {"yesterday"}, "service_id": {"-1"}, "client": {"abc", "0"}, "body": {"\x00"},
		"category_id": {"abc"}, "slot": {"12:ab"}, "service": {"zz"}, "date": {"2020-13-45"}, "draft": {"q"}, "phone": {"hello"},
		"code": {"12"}, "first_name": {""}, "time": {"25:99"}, "grace_pct": {"many"}, "channel": {"pigeon"}, "followup_days": {"-3"},
		"rebook_on": {"true"}, "rebook_prompt_days": {"x"}, "reminder_template": {string(make([]byte, 400))}, "client_id": {"nope"}}
	cases := []struct {
		who    *user
		method string
		path   string
	}{
		{owner, "GET", "/app/bella/backfill?staff=x&start=yesterday"},
		{owner, "POST", "/app/bella/backfill/preview"},
		{owner, "POST", "/app/bella/backfill/offers"},
		{owner, "POST", "/app/bella/backfill/draft"},
		{owner, "GET", "/app/bella/marketing/reconnect?category=abc"},
		{owner, "POST", "/app/bella/marketing/reconnect/contact"},
		{owner, "POST", "/app/bella/settings/reconnect"},
		{owner, "POST", "/app/bella/automations"},
		{owner, "POST", "/app/bella/settings/messages"},
		{owner, "POST", "/app/bella/followups/waitlist"},
		{owner, "POST", "/app/bella/followups/waitlist/abc/remove"},
		{owner, "POST", "/app/bella/followups/incomplete/999/remind"},
		{owner, "POST", "/app/bella/followups/incomplete/abc/dismiss"},
		{owner, "GET", "/app/bella/concierge/actions/abc/card"},
		{guest, "GET", "/book/bella?service=zz&date=2020-13-45&staff=x"},
		{guest, "GET", "/book/nowhere"},
		{guest, "POST", "/book/bella/review"},
		{guest, "POST", "/book/bella/code"},
		{guest, "POST", "/book/bella/verify"},
		{guest, "POST", "/book/bella/confirm"},
		{guest, "GET", "/book/bella/review?draft=q&slot=1:2"},
		{guest, "GET", "/book/bella/resume?d=1&e=99999999999&s=forged"},
		{guest, "POST", "/deals/not-a-token/claim"},
		{guest, "POST", "/deals/not-a-token/code"},
		{guest, "POST", "/deals/not-a-token/verify"},
	}
	count := func() (n int) {
		e.st.DB().QueryRow(`SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM bookings) + (SELECT count(*) FROM actions)
			+ (SELECT count(*) FROM waitlist_entries) + (SELECT count(*) FROM booking_drafts)`).Scan(&n)
		return n
	}
	before := count()
	for _, tc := range cases {
		res := tc.who.get(tc.path)
		if tc.method == "POST" {
			res = tc.who.post(tc.path, junk)
		}
		res.Body.Close()
		if res.StatusCode >= 500 || res.StatusCode < 200 {
			t.Errorf("%s %s: %d", tc.method, tc.path, res.StatusCode)
		}
		if tc.method == "POST" && res.StatusCode < 400 && res.StatusCode != 200 {
			t.Errorf("%s %s accepted garbage: %d", tc.method, tc.path, res.StatusCode)
		}
	}
	if after := count(); after != before {
		t.Fatalf("garbage changed something: %d → %d rows", before, after)
	}
}
