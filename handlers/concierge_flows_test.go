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
	"concierge/store"
)

func TestRescheduleMovesTheBookingAndTellsTheClient(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	v := e.venues["bella"]
	owner := e.login("owner", "bella")
	d := owner.chat(t, "bella", "reschedule Sarah")
	card := cardOf(d, "reschedule")
	if card.Length() != 1 || card.Find(`input[name=choice]`).Length() == 0 {
		t.Fatalf("want a reschedule card with proposed slots: %s", d.Text())
	}
	if n := card.Find(`input[name=choice]`).Length(); n > 3 {
		t.Fatalf("at most 3 proposals, got %d", n)
	}
	before, _ := e.st.Booking(ctx, v.ID, e.ids["bella.booking"])
	res := owner.htmxPost("/app/bella/concierge/actions/"+cardID(t, card)+"/send", url.Values{"choice": {"0"},
		"title": {"Move"}, "body": {card.Find("textarea[name=body]").Text()}})
	d = doc(t, res)
	summary := d.Find(`[data-testid="result-summary"]`).Text()
	if !strings.HasPrefix(summary, "Moved Sarah Smith to") || d.Find(`[data-testid="result-link"]`).Text() != "Open Calendar" {
		t.Fatalf("result: %q %s", summary, d.Text())
	}
	after, _ := e.st.Booking(ctx, v.ID, e.ids["bella.booking"])
	if after.Start.Equal(before.Start) && after.StaffID == before.StaffID {
		t.Fatal("the booking did not move")
	}
	msgs, _ := e.st.ClientMessages(ctx, v.ID, e.ids["bella.client"])
	if len(msgs) != 1 || msgs[0].Purpose != salon.PurposeRescheduleNotice || strings.Contains(msgs[0].Body, "{{") {
		t.Fatalf("the client is told, merge fields filled: %+v", msgs)
	}
}

func TestInboxReplyActionAndInboxPage(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	v := e.venues["bella"]
	e.st.RecordInbound(ctx, v.ID, store.InboundMessage{ClientID: e.ids["bella.client"], Channel: salon.SMS, From: "+61412345678",
		Body: "Can I come at 3 on Friday?", Provider: "twilio", ProviderID: "SMq1"})
	staff := e.login("staff", "bella")
	d := staff.chat(t, "bella", "reply to the inbox")
	card := cardOf(d, "inbox_reply")
	if card.Length() != 1 || !strings.Contains(d.Text(), "Can I come at 3 on Friday?") {
		t.Fatalf("want an inbox reply card quoting the client: %s", d.Text())
	}
	res := staff.htmxPost("/app/bella/concierge/actions/"+cardID(t, card)+"/send", url.Values{"title": {"Reply"}, "body": {"Yes, 3pm Friday works. See you then!"}})
	d = doc(t, res)
	link, _ := d.Find(`[data-testid="result-link"]`).Attr("href")
	if d.Find(`[data-testid="result-link"]`).Text() != "Open Messages" || !strings.Contains(link, "/inbox/") {
		t.Fatalf("result links to the thread: %s", d.Text())
	}
	td := doc(t, staff.get(link))
	if !strings.Contains(td.Find(`[data-testid="message-thread"]`).Text(), "Yes, 3pm Friday works.") || td.Find(`[data-testid="thread-status"]`).Text() != "open" {
		t.Fatalf("the reply shows in the thread, now open: %s", td.Text())
	}
	// Replying from the inbox page itself; an empty reply is refused beside the field.
	res = staff.post(link+"/reply", url.Values{"body": {"  "}})
	ed := doc(t, res)
	if res.StatusCode != 422 || ed.Find(`[data-testid="error-body"]`).Length() != 1 {
		t.Fatalf("empty reply: %d", res.StatusCode)
	}
	res = staff.post(link+"/reply", url.Values{"body": {"Also, bring your inspiration photos!"}})
	res.Body.Close()
	msgs, _ := e.st.ClientMessages(ctx, v.ID, e.ids["bella.client"])
	if res.StatusCode != http.StatusSeeOther || msgs[len(msgs)-1].Body != "Also, bring your inspiration photos!" {
		t.Fatalf("inbox reply: %d", res.StatusCode)
	}
	// Kiwi cannot read bella's thread.
	res = e.login("owner", "kiwi").get(strings.Replace(link, "/bella/", "/kiwi/", 1))
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Fatalf("cross-venue thread: %d", res.StatusCode)
	}
}

func TestStorefrontLinkAndChoices(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	ctx := t.Context()
	v := e.venues["bella"]
	e.st.CreateClient(ctx, v.ID, 0, salon.ClientInput{FirstName: "Sarah", LastName: "Jones", Phone: "0412 777 888"})
	owner := e.login("owner", "bella")
	d := owner.chat(t, "bella", "send my booking link to Sarah")
	if d.Find(`[data-testid="client-choices"] button`).Length() != 2 || d.Find(`[data-testid="action-card"]`).Length() != 0 {
		t.Fatalf("two Sarahs: choose first: %s", d.Text())
	}
	d = owner.chat(t, "bella", "send my booking link to Sarah Smith")
	card := cardOf(d, "storefront_link")
	if card.Length() != 1 || !strings.Contains(card.Find("textarea[name=body]").Text(), "https://concierge.example.com/book/bella") {
		t.Fatalf("storefront card with the booking link: %s", d.Text())
	}
	res := owner.htmxPost("/app/bella/concierge/actions/"+cardID(t, card)+"/send", url.Values{"title": {"Link"}, "body": {card.Find("textarea[name=body]").Text()}})
	d = doc(t, res)
	if d.Find(`[data-testid="result-summary"]`).Text() != "Sent to Sarah Smith" {
		t.Fatalf("sent: %s", d.Text())
	}
}

func TestNavigateCardsAndTheirPages(t *testing.T) {
	e := newEnv(t)
	e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	manager := e.login("manager", "bella")
	d := manager.chat(t, "bella", "show me my lapsed clients")
	filter := cardOf(d, "filter_clients")
	reconnect := cardOf(d, "enable_reconnect")
	if filter.AttrOr("data-tier", "") != "navigate" || reconnect.Length() != 1 {
		t.Fatalf("filter card and the self-surfacing reconnect card: %s", d.Text())
	}
	href, _ := filter.Find(`[data-testid="navigate-link"]`).Attr("href")
	res := manager.get(href)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/clients?cohort=lapsed") {
		t.Fatalf("navigate: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	cd := doc(t, manager.get(res.Header.Get("Location")))
	if !strings.Contains(cd.Find(`[data-testid="cohort-filter"]`).Text(), "lapsed clients") || cd.Find(`[data-testid="client-row"]`).Length() != 1 {
		t.Fatalf("clients page with the cohort applied: %s", cd.Text())
	}
	// The reconnect card leads to a real settings page; switching it on stops the card surfacing.
	href, _ = reconnect.Find(`[data-testid="navigate-link"]`).Attr("href")
	res = manager.get(href)
	res.Body.Close()
	res = manager.post(res.Header.Get("Location"), url.Values{"reconnect": {"true"}, "time": {"10:00"}, "grace_pct": {"20"}, "channel": {"sms"},
		"followup_days": {"7"}})
	res.Body.Close()
	if on, _, _ := e.st.Automation(t.Context(), e.venues["bella"].ID); !on || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reconnect automation saved: %v %d", on, res.StatusCode)
	}
	// Automations page: bad days refused, good saved.
	res = manager.post("/app/bella/automations", url.Values{"rebook_on": {"true"}, "rebook_prompt_days": {"0"}})
	ad := doc(t, res)
	if res.StatusCode != 422 || ad.Find(`[data-testid="error-rebook_prompt_days"]`).Length() != 1 {
		t.Fatalf("0 days refused: %d", res.StatusCode)
	}
	res = manager.post("/app/bella/automations", url.Values{"rebook_on": {"true"}, "rebook_prompt_days": {"28"}})
	res.Body.Close()
	if _, days, _ := e.st.Automation(t.Context(), e.venues["bella"].ID); days != 28 {
		t.Fatalf("rebook days %d", days)
	}
	// Staff get neither the navigate cards nor the pages.
	d = e.login("staff", "bella").chat(t, "bella", "show me my VIPs")
	if d.Find(`[data-testid="action-card"]`).Length() != 0 {
		t.Fatal("staff get no filter card")
	}
	res = e.login("staff", "bella").get("/app/bella/automations")
	res.Body.Close()
	if res.StatusCode != 403 {
		t.Fatalf("staff automations: %d", res.StatusCode)
	}
}

func TestRejectNotifiesAndSweptActionsShowExpired(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	manager := e.login("manager", "bella")
	card := cardOf(manager.chat(t, "bella", "win back lapsed clients"), "win_back")
	id := cardID(t, card)
	res := manager.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {card.Find("textarea[name=body]").Text()}})
	res.Body.Close()
	res = e.login("owner", "bella").post("/app/bella/concierge/pending/"+id+"/reject", url.Values{"reason": {"Too soon after the last one"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reject: %d", res.StatusCode)
	}
	nd := doc(t, manager.get("/app/bella/notifications"))
	if !strings.Contains(nd.Text(), "rejected") || !strings.Contains(nd.Text(), "Too soon after the last one") {
		t.Fatalf("the creator is told why: %s", nd.Text())
	}
	// A draft left alone for 8 days is swept and shows as expired; sending it is refused.
	card = cardOf(manager.chat(t, "bella", "win back lapsed clients"), "win_back")
	id = cardID(t, card)
	e.clk.Advance(8 * 24 * time.Hour)
	if err := (jobs.ExpireActions{Concierge: e.app.ConciergeService()}).Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	manager = e.login("manager", "bella")
	ad := doc(t, manager.get("/app/bella/concierge/actions/"+id))
	if ad.Find(`[data-testid="action-status"]`).Text() != "Expired" {
		t.Fatalf("swept action shows expired: %s", ad.Find(`[data-testid="action-status"]`).Text())
	}
	res = manager.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {"x"}})
	d := doc(t, res)
	if res.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="action-error"]`).Text(), "expired") {
		t.Fatalf("an expired action can never be sent: %d %s", res.StatusCode, d.Text())
	}
}

func TestFourthRefineIsRefusedOnTheCard(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	card := cardOf(owner.chat(t, "bella", "text Sarah"), "client_outreach")
	id := cardID(t, card)
	for i := 0; i < 3; i++ {
		res := owner.htmxPost("/app/bella/concierge/actions/"+id+"/refine", url.Values{"instruction": {"more formal"}})
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("refine %d: %d", i+1, res.StatusCode)
		}
	}
	res := owner.htmxPost("/app/bella/concierge/actions/"+id+"/refine", url.Values{"instruction": {"shorter"}})
	d := doc(t, res)
	if res.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="action-error"]`).Text(), "refined 3 times") {
		t.Fatalf("4th refine: %d %s", res.StatusCode, d.Text())
	}
	if d.Find(`[data-testid="refine-button"][disabled]`).Length() != 1 {
		t.Fatal("the refine button is disabled after 3")
	}
}

func TestAudiencePreviewOnBatchCards(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	e.lapsedClient(t, "bella", "Max", "0412 555 002")
	out := e.lapsedClient(t, "bella", "Olga", "0412 555 003")
	e.st.DB().Exec(`UPDATE clients SET sms_opt_out = 1 WHERE id = ?`, out.ID)
	owner := e.login("owner", "bella")
	card := cardOf(owner.chat(t, "bella", "win back lapsed clients"), "win_back")
	if card.Find(`[data-testid="audience-count"]`).Text() != "3" || card.Find(`[data-testid="audience-sendable"]`).Text() != "2" {
		t.Fatalf("count and sendable: %s", card.Text())
	}
	ex := card.Find(`[data-testid="audience-excluded"][data-reason="opted_out"]`)
	if ex.Length() != 1 || !strings.HasPrefix(ex.Text(), "1 ") {
		t.Fatalf("exclusions by filter: %s", card.Text())
	}
	if s := card.Find(`[data-testid="audience-samples"]`).Text(); s != "Lena, Max" {
		t.Fatalf("samples: %q", s)
	}
	btn := card.Find(`[data-testid="send-button"]`)
	if btn.AttrOr("data-recipients", "") != "2" || btn.AttrOr("data-cost-minor", "") != "14" || !strings.Contains(btn.Text(), "Send to 2 clients · A$0.14") {
		t.Fatalf("send button: %q recipients=%s cost=%s", btn.Text(), btn.AttrOr("data-recipients", ""), btn.AttrOr("data-cost-minor", ""))
	}
	// 180 days: nobody is that lapsed.
	id := cardID(t, card)
	res := owner.htmxPost("/app/bella/concierge/actions/"+id+"/audience", url.Values{"window_days": {"180"}, "body": {card.Find("textarea[name=body]").Text()}})
	d := doc(t, res)
	if d.Find(`[data-testid="audience-count"]`).Text() != "0" || d.Find(`[data-testid="window-picker"] option[selected]`).AttrOr("value", "") != "180" {
		t.Fatalf("re-query for 180 days: %s", d.Text())
	}
	res = owner.htmxPost("/app/bella/concierge/actions/"+id+"/audience", url.Values{"window_days": {"45"}})
	res.Body.Close()
	if res.StatusCode != 422 {
		t.Fatalf("only 30/60/90/180: %d", res.StatusCode)
	}
	// An empty wallet disables Send with the warning.
	e.st.DB().Exec(`UPDATE venues SET wallet_e4 = 0 WHERE id = ?`, e.venues["bella"].ID)
	card = cardOf(owner.chat(t, "bella", "win back lapsed clients"), "win_back")
	if card.Find(`[data-testid="wallet-warning"]`).Length() != 1 || card.Find(`[data-testid="send-button"][disabled]`).Length() != 1 {
		t.Fatalf("wallet warning: %s", card.Text())
	}
	res = owner.htmxPost("/app/bella/concierge/actions/"+cardID(t, card)+"/send", url.Values{"body": {card.Find("textarea[name=body]").Text()}})
	d = doc(t, res)
	if res.StatusCode != 422 || !strings.Contains(d.Text(), "Wallet balance is short") {
		t.Fatalf("the server refuses too: %d", res.StatusCode)
	}
}

func TestServerRefusesFiftyPlusWithoutHoldProof(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 55; i++ {
		e.st.CreateClient(t.Context(), e.venues["bella"].ID, 0, salon.ClientInput{FirstName: fmt.Sprintf("Vip%02d", i),
			Phone: fmt.Sprintf("0412 600 %03d", i), Tags: "VIP"})
	}
	owner := e.login("owner", "bella")
	card := cardOf(owner.chat(t, "bella", "send to VIPs"), "cohort_outreach")
	if card.Find(`[data-testid="send-button"][data-hold]`).Length() != 1 {
		t.Fatalf("55 recipients: a hold button: %s", card.Text())
	}
	id := cardID(t, card)
	body := card.Find("textarea[name=body]").Text()
	res := owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {body}})
	d := doc(t, res)
	if res.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="action-error"]`).Text(), "press and hold") {
		t.Fatalf("refused without the proof: %d %s", res.StatusCode, d.Text())
	}
	if n := e.count(`SELECT count(*) FROM messages`); n != 0 {
		t.Fatalf("nothing sent, got %d", n)
	}
	res = owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {body}, "hold_confirmed": {"1"}})
	d = doc(t, res)
	// The batch goes out in the background; the card shows progress and polls itself.
	poll, _ := d.Find(`[data-testid="sending"]`).Attr("hx-get")
	if res.StatusCode != 200 || !strings.Contains(d.Find(`[data-testid="sending-progress"]`).Text(), "of 55 handed over") {
		t.Fatalf("with the proof: %d %s", res.StatusCode, d.Text())
	}
	e.waitSends()
	d = doc(t, owner.htmxGet(poll))
	if d.Find(`[data-testid="result-summary"]`).Text() != "Sent 55, failed 0" || d.Find(`[data-testid="sending"]`).Length() != 0 {
		t.Fatalf("after the send: %s", d.Text())
	}
}
