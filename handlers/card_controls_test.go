package handlers_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"concierge/salon"
)

// noShow adds a client who missed an appointment `ago` before the test clock.
func (e *env) noShow(t *testing.T, slug, name, phone string, ago time.Duration) salon.Client {
	t.Helper()
	v := e.venues[slug]
	c, err := e.st.CreateClient(t.Context(), v.ID, 0, salon.ClientInput{FirstName: name, LastName: "Missed", Phone: phone, NotifySMS: true})
	if err != nil {
		t.Fatal(err)
	}
	start := e.clk.Now().Add(-ago)
	if _, err := e.st.DB().Exec(`INSERT INTO bookings (venue_id, client_id, staff_id, start_at, end_at, price_minor, status, created_at)
		VALUES (?, ?, ?, ?, ?, 9000, 'no_show', ?)`, v.ID, c.ID, e.ids[slug+".staff"], start.Unix(), start.Add(time.Hour).Unix(), start.Add(-48*time.Hour).Unix()); err != nil {
		t.Fatal(err)
	}
	return c
}

// actionRow is an action's stored state, to show a refused control changed nothing.
func (e *env) actionRow(id string) string {
	return e.dump(`SELECT status, title, subject, body, params, audience, cost_e4, client_id FROM actions WHERE id = ?`, id)
}

// Item 3: the no-show card's window is a control (today / last 7 days), not a magic
// word; the count, cost and wording follow it, and "today" is never sent for a 7-day send.
func TestNoShowWindowPickerFollowsTheWording(t *testing.T) {
	e := newEnv(t)
	e.noShow(t, "bella", "Tara", "0412 555 101", 2*time.Hour)   // today, 10:00
	e.noShow(t, "bella", "Uma", "0412 555 102", 3*24*time.Hour) // Fri 20 Nov
	owner := e.login("owner", "bella")
	card := cardOf(owner.chat(t, "bella", "follow up no-shows"), "no_show_followup")
	picker := card.Find(`[data-testid="window-picker"]`)
	if picker.Length() != 1 || picker.Find(`option[selected]`).AttrOr("value", "") != "today" || card.Find(`[data-testid="audience-count"]`).Text() != "1" {
		t.Fatalf("a no-show card with a window picker on today, 1 client: %s", card.Text())
	}
	if body := card.Find("textarea[name=body]").Text(); !strings.Contains(body, "today") {
		t.Fatalf("today's draft: %q", body)
	}
	id := cardID(t, card)
	path := "/app/bella/concierge/actions/" + id + "/audience"

	// A value the page never offers: 422 beside the control, nothing changed.
	before := e.actionRow(id)
	res := owner.htmxPost(path, url.Values{"window": {"month"}, "title": {"X"}, "body": {"Changed"}})
	d := doc(t, res)
	if res.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="error-window"]`).Text(), "Today or Last 7 days") {
		t.Fatalf("an unoffered window: %d %s", res.StatusCode, d.Text())
	}
	if after := e.actionRow(id); after != before {
		t.Fatalf("a refused window changed the action:\n%s\n%s", before, after)
	}

	res = owner.htmxPost(path, url.Values{"window": {"week"}, "title": {card.Find("input[name=title]").AttrOr("value", "")},
		"body": {card.Find("textarea[name=body]").Text()}})
	d = doc(t, res)
	body := d.Find("textarea[name=body]").Text()
	btn := d.Find(`[data-testid="send-button"]`)
	if res.StatusCode != 200 || d.Find(`[data-testid="audience-count"]`).Text() != "2" || !strings.Contains(btn.Text(), "2 clients") {
		t.Fatalf("last 7 days: 2 clients: %d %s", res.StatusCode, d.Text())
	}
	if strings.Contains(strings.ToLower(body), "today") || !strings.Contains(body, "{{Date}}") {
		t.Fatalf("a 7-day draft never says today: %q", body)
	}
	if d.Find(`[data-testid="window-picker"] option[selected]`).AttrOr("value", "") != "week" {
		t.Fatal("the picker shows the window picked")
	}
	// A hand edit that says "today" to a week's audience is refused beside the message.
	res = owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"title": {"No-shows"}, "body": {"Hi {{FirstName}}, we missed you today!"}})
	d = doc(t, res)
	if res.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="error-body"]`).Text(), "can't say “today”") {
		t.Fatalf("today to a week's no-shows: %d %s", res.StatusCode, d.Text())
	}
	res = owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"title": {"No-shows"}, "body": {body}})
	d = doc(t, res)
	if res.StatusCode != 200 {
		t.Fatalf("send: %d %s", res.StatusCode, d.Text())
	}
	e.waitSends()
	var bodies []string
	rows, _ := e.st.DB().Query(`SELECT body FROM messages WHERE action_id = ? ORDER BY client_id`, id)
	for rows.Next() {
		var b string
		rows.Scan(&b)
		bodies = append(bodies, b)
	}
	rows.Close()
	if len(bodies) != 2 || !strings.Contains(bodies[0], "on Mon 23 Nov!") || !strings.Contains(bodies[1], "on Fri 20 Nov!") {
		t.Fatalf("each no-show is told their own day: %q", bodies)
	}
}

// Item 3: the birthday card's window (today / this week) and its wording.
func TestBirthdayWindowPicker(t *testing.T) {
	e := newEnv(t)
	v := e.venues["bella"]
	for _, c := range []salon.ClientInput{{FirstName: "Bea", Phone: "0412 555 201", Birthday: "--11-23"}, {FirstName: "Cy", Phone: "0412 555 202", Birthday: "--11-26"}} {
		if _, err := e.st.CreateClient(t.Context(), v.ID, 0, c); err != nil {
			t.Fatal(err)
		}
	}
	staff := e.login("staff", "bella")
	card := cardOf(staff.chat(t, "bella", "any birthdays?"), "birthday")
	if card.Find(`[data-testid="audience-count"]`).Text() != "1" || card.Find(`[data-testid="window-picker"] option`).Length() != 2 {
		t.Fatalf("today's birthdays with a window picker: %s", card.Text())
	}
	id := cardID(t, card)
	res := staff.htmxPost("/app/bella/concierge/actions/"+id+"/audience", url.Values{"window": {"week"}})
	d := doc(t, res)
	if res.StatusCode != 200 || d.Find(`[data-testid="audience-count"]`).Text() != "2" || d.Find("input[name=title]").AttrOr("value", "") != "Birthday wishes for this week" {
		t.Fatalf("this week: %d %s", res.StatusCode, d.Text())
	}
	if a, _ := e.st.Action(t.Context(), v.ID, atoi(t, id)); !a.Params.Week {
		t.Fatalf("the window is stored: %+v", a.Params)
	}
	// Asked for the week straight away, the draft is the week's from the start.
	week := cardOf(staff.chat(t, "bella", "any birthdays this week?"), "birthday")
	if week.Find("input[name=title]").AttrOr("value", "") != "Birthday wishes for this week" || strings.Contains(week.Find("textarea[name=body]").Text(), "today") ||
		week.Find(`[data-testid="window-picker"] option[selected]`).AttrOr("value", "") != "week" {
		t.Fatalf("this week's card: %s", week.Text())
	}
	// Another person's card is not theirs to change; another venue's is not found.
	res = e.login("manager", "bella").htmxPost("/app/bella/concierge/actions/"+id+"/audience", url.Values{"window": {"today"}})
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Fatalf("another person's draft: %d", res.StatusCode)
	}
	res = e.login("owner", "kiwi").htmxPost("/app/kiwi/concierge/actions/"+id+"/audience", url.Values{"window": {"today"}})
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Fatalf("another venue's card: %d", res.StatusCode)
	}
}

// Item 3: the spotlight's cohort is picked on the card.
func TestSpotlightCohortPicker(t *testing.T) {
	e := newEnv(t)
	v := e.venues["bella"]
	for i, name := range []string{"Vera", "Vic"} {
		if _, err := e.st.CreateClient(t.Context(), v.ID, 0, salon.ClientInput{FirstName: name, Phone: "0412 555 30" + itoa(int64(i)), Tags: "VIP"}); err != nil {
			t.Fatal(err)
		}
	}
	owner := e.login("owner", "bella")
	card := cardOf(owner.chat(t, "bella", "promote Cut to VIPs"), "service_spotlight")
	if card.Find(`[data-testid="cohort-picker"] option[selected]`).AttrOr("value", "") != "vips" || card.Find(`[data-testid="audience-count"]`).Text() != "2" {
		t.Fatalf("a spotlight to VIPs with a cohort picker: %s", card.Text())
	}
	id := cardID(t, card)
	before := e.actionRow(id)
	res := owner.htmxPost("/app/bella/concierge/actions/"+id+"/audience", url.Values{"cohort": {"lapsed"}})
	d := doc(t, res)
	if res.StatusCode != 422 || d.Find(`[data-testid="error-cohort"]`).Length() != 1 || e.actionRow(id) != before {
		t.Fatalf("a cohort the picker does not offer: %d %s", res.StatusCode, d.Text())
	}
	res = owner.htmxPost("/app/bella/concierge/actions/"+id+"/audience", url.Values{"cohort": {"regulars"}})
	d = doc(t, res)
	if res.StatusCode != 200 || d.Find(`[data-testid="audience-count"]`).Text() != "0" || d.Find(`[data-testid="cohort-picker"] option[selected]`).AttrOr("value", "") != "regulars" {
		t.Fatalf("regulars: none yet: %d %s", res.StatusCode, d.Text())
	}
}

// Item 3: the approver changes a win-back's window on the review page (it used to 404),
// and the pending action's count and cost follow; the creator cannot change it once queued.
func TestApproverChangesTheWinBackWindow(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	manager := e.login("manager", "bella")
	card := cardOf(manager.chat(t, "bella", "win back lapsed clients"), "win_back")
	id := cardID(t, card)
	res := manager.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {card.Find("textarea[name=body]").Text()}})
	res.Body.Close()
	owner := e.login("owner", "bella")
	page := doc(t, owner.get("/app/bella/concierge/actions/"+id))
	if page.Find(`[data-testid="window-picker"]`).Length() != 1 {
		t.Fatalf("the review page has the window picker: %s", page.Text())
	}
	res = owner.htmxPost("/app/bella/concierge/actions/"+id+"/audience", url.Values{"window_days": {"180"}, "body": {card.Find("textarea[name=body]").Text()},
		"title": {"Win back lapsed clients"}})
	d := doc(t, res)
	if res.StatusCode != 200 || d.Find(`[data-testid="audience-count"]`).Text() != "0" || !strings.Contains(d.Find(`[data-testid="send-button"]`).Text(), "Approve and send to 0") {
		t.Fatalf("the approver's card, re-counted: %d %s", res.StatusCode, d.Text())
	}
	if d.Find(`[data-testid="reject-button"]`).Length() != 1 {
		t.Fatal("the card stays the approver's (approve and reject)")
	}
	a, _ := e.st.Action(t.Context(), e.venues["bella"].ID, atoi(t, id))
	if a.Params.WindowDays != 180 || a.Audience != 0 || a.Status != salon.StatusPending {
		t.Fatalf("stored for the queue: %+v audience %d %s", a.Params, a.Audience, a.Status)
	}
	before := e.actionRow(id)
	res = owner.htmxPost("/app/bella/concierge/actions/"+id+"/audience", url.Values{"window_days": {"45"}})
	d = doc(t, res)
	if res.StatusCode != 422 || d.Find(`[data-testid="error-window_days"]`).Length() != 1 || e.actionRow(id) != before {
		t.Fatalf("45 days is not offered: %d", res.StatusCode)
	}
	res = manager.htmxPost("/app/bella/concierge/actions/"+id+"/audience", url.Values{"window_days": {"30"}})
	res.Body.Close()
	if res.StatusCode != 422 || e.actionRow(id) != before {
		t.Fatalf("the creator cannot change a queued action: %d", res.StatusCode)
	}
	res = e.login("staff", "bella").htmxPost("/app/bella/concierge/actions/"+id+"/audience", url.Values{"window_days": {"30"}})
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Fatalf("staff: %d", res.StatusCode)
	}
}

// Item 3: the storefront link goes to one client or a small group picked on the card.
func TestStorefrontClientPicker(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	v := e.venues["bella"]
	ben, _ := e.st.CreateClient(t.Context(), v.ID, 0, salon.ClientInput{FirstName: "Ben", LastName: "Ng", Phone: "0412 777 001"})
	out, _ := e.st.CreateClient(t.Context(), v.ID, 0, salon.ClientInput{FirstName: "Olly", LastName: "Out", Phone: "0412 777 002", SMSOptOut: true})
	owner := e.login("owner", "bella")
	card := cardOf(owner.chat(t, "bella", "send my booking link to Sarah Smith"), "storefront_link")
	if card.Find(`[data-testid="client-picker"] [data-testid="recipient"]`).Length() != 1 {
		t.Fatalf("a storefront card with its client picker: %s", card.Text())
	}
	id := cardID(t, card)
	path := "/app/bella/concierge/actions/" + id + "/recipients"
	form := func(ids ...int64) url.Values {
		f := url.Values{"title": {"Link"}, "body": {card.Find("textarea[name=body]").Text()}}
		for _, x := range ids {
			f.Add("client_id", itoa(x))
		}
		return f
	}
	before := e.actionRow(id)
	for name, f := range map[string]url.Values{
		"another venue's client": form(e.ids["bella.client"], e.ids["kiwi.client"]),
		"opted out":              form(e.ids["bella.client"], out.ID),
		"nobody":                 form(),
		"too many":               form(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
	} {
		res := owner.htmxPost(path, f)
		d := doc(t, res)
		if res.StatusCode != 422 || d.Find(`[data-testid="error-clients"]`).Length() != 1 || e.actionRow(id) != before {
			t.Fatalf("%s: %d %s", name, res.StatusCode, d.Text())
		}
	}
	res := owner.htmxPost(path, form(e.ids["bella.client"], ben.ID))
	d := doc(t, res)
	if res.StatusCode != 200 || d.Find(`[data-testid="recipient"]`).Length() != 2 || !strings.Contains(d.Find(`[data-testid="send-button"]`).Text(), "Send to 2 clients · A$0.14") {
		t.Fatalf("two clients, count and cost: %d %s", res.StatusCode, d.Text())
	}
	res = owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"title": {"Link"}, "body": {d.Find("textarea[name=body]").Text()}})
	d = doc(t, res)
	if got := d.Find(`[data-testid="result-summary"]`).Text(); got != "Sent to Sarah Smith, Ben Ng" {
		t.Fatalf("sent to both: %q %s", got, d.Text())
	}
	var bodies []string
	rows, _ := e.st.DB().Query(`SELECT body FROM messages WHERE action_id = ? ORDER BY client_id`, id)
	for rows.Next() {
		var b string
		rows.Scan(&b)
		bodies = append(bodies, b)
	}
	rows.Close()
	if len(bodies) != 2 || !strings.HasPrefix(bodies[0], "Hi Sarah,") || !strings.HasPrefix(bodies[1], "Hi Ben,") {
		t.Fatalf("each by their own name: %q", bodies)
	}
	if res := e.login("staff", "bella").htmxPost(path, form(ben.ID)); res.StatusCode != http.StatusNotFound {
		t.Fatalf("someone else's card: %d", res.StatusCode)
	}
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
