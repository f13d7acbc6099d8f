package handlers_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"concierge/store"
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
	// A real deal, so the claim forms read the garbage instead of stopping at an unknown token.
	deal, err := e.st.CreateDeal(t.Context(), e.venues["bella"], store.NewDeal{StaffID: e.ids["bella.staff"], ServiceID: e.ids["bella.service"],
		Start: e.clk.Now().Add(48 * time.Hour).Truncate(time.Hour), DiscountPct: 20})
	if err != nil {
		t.Fatal(err)
	}
	guest.get("/deals/" + deal.Token).Body.Close()
	// want is the handler's own answer. No case wants 400 or 403, the CSRF middleware's
	// refusals, so a POST stopped before its handler fails here.
	cases := []struct {
		who    *user
		method string
		path   string
		want   int
	}{
		{owner, "GET", "/app/bella/backfill?staff=x&start=yesterday", 422},
		{owner, "POST", "/app/bella/backfill/preview", 422},
		{owner, "POST", "/app/bella/backfill/offers", 422},
		{owner, "POST", "/app/bella/backfill/draft", 422},
		{owner, "GET", "/app/bella/marketing/reconnect?category=abc", 200}, // an unknown category shows them all
		{owner, "POST", "/app/bella/marketing/reconnect/contact", 422},
		{owner, "POST", "/app/bella/settings/reconnect", 422},
		{owner, "POST", "/app/bella/automations", 422},
		{owner, "POST", "/app/bella/settings/messages", 422},
		{owner, "POST", "/app/bella/followups/waitlist", 422},
		{owner, "POST", "/app/bella/followups/waitlist/abc/remove", 404},
		{owner, "POST", "/app/bella/followups/incomplete/999/remind", 404},
		{owner, "POST", "/app/bella/followups/incomplete/abc/dismiss", 404},
		{owner, "GET", "/app/bella/concierge/actions/abc/card", 404},
		{guest, "GET", "/book/bella?service=zz&date=2020-13-45&staff=x", 200}, // the form, nothing chosen
		{guest, "GET", "/book/nowhere", 404},
		{guest, "POST", "/book/bella/review", 422},
		{guest, "POST", "/book/bella/code", 422},
		{guest, "POST", "/book/bella/verify", 422},
		{guest, "POST", "/book/bella/confirm", 422},
		{guest, "GET", "/book/bella/review?draft=q&slot=1:2", 303}, // back to the start
		{guest, "GET", "/book/bella/resume?d=1&e=99999999999&s=forged", 410},
		{guest, "POST", "/deals/" + deal.Token + "/claim", 422},
		{guest, "POST", "/deals/" + deal.Token + "/code", 422},
		{guest, "POST", "/deals/" + deal.Token + "/verify", 422},
		{guest, "POST", "/deals/not-a-token/claim", 404},
		{guest, "POST", "/deals/not-a-token/code", 404},
		{guest, "POST", "/deals/not-a-token/verify", 404},
	}
	// Every table a refused form could write to, and the venues' settings.
	rows := func() int {
		t.Helper()
		n := 0
		for _, table := range []string{"messages", "bookings", "actions", "waitlist_entries", "booking_drafts", "clients",
			"otp_codes", "outbox_codes", "gap_offers", "deals", "reconnect_sends"} {
			n += e.count(`SELECT count(*) FROM ` + table)
		}
		return n
	}
	// The venues' settings; stats_day and profiles_version are caches a page view refreshes.
	const settings = `SELECT id, slug, name, country, time_zone, quiet_start, quiet_end, solo, wallet_e4, sparks, sms_price_e4,
		storefront_url, review_link, reconnect_automation, rebook_prompt_days, rebook_prompt_template, send_delay_seconds,
		reconnect_grace_pct, reconnect_channel, reconnect_followup_days, reconnect_time, reconnect_template,
		reconnect_followup_template, reconnect_last_run, incomplete_reminder_sms, incomplete_reminder_email,
		incomplete_reminder_template, sms_from FROM venues ORDER BY id`
	beforeRows, beforeVenues := rows(), e.dump(settings)
	for _, tc := range cases {
		var res *http.Response
		if tc.method == "POST" {
			res = tc.who.post(tc.path, junk)
		} else {
			res = tc.who.get(tc.path)
		}
		res.Body.Close()
		if res.StatusCode != tc.want {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, res.StatusCode, tc.want)
		}
	}
	if after := rows(); after != beforeRows {
		t.Errorf("garbage changed something: %d → %d rows", beforeRows, after)
	}
	if after := e.dump(settings); after != beforeVenues {
		t.Errorf("garbage changed a venue's settings:\n%s\n→\n%s", beforeVenues, after)
	}
}
