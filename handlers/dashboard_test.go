package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// dashboard loads a venue's dashboard as u.
func dashboard(t *testing.T, u *user, slug string) *goquery.Document {
	t.Helper()
	res := u.get("/app/" + slug)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", res.StatusCode)
	}
	return doc(t, res)
}

func attention(d *goquery.Document, testid string) *goquery.Selection {
	return d.Find(`[data-testid="needs-attention"] [data-testid="` + testid + `"]`)
}

// TestDashboardAllClear: with nothing to act on the dashboard says so; Staff, who may
// not fill gaps, see "All clear" even with tomorrow's gaps open, which an Owner is shown.
func TestDashboardAllClear(t *testing.T) {
	e := newEnv(t)
	d := dashboard(t, e.login("staff", "bella"), "bella")
	if attention(d, "all-clear").Length() != 1 || d.Find(`[data-testid="needs-attention"] li`).Length() != 0 {
		t.Fatalf("staff with nothing to do: all clear %d, rows %d", attention(d, "all-clear").Length(), d.Find(`[data-testid="needs-attention"] li`).Length())
	}
	owner := dashboard(t, e.login("owner", "bella"), "bella")
	gaps := attention(owner, "attention-gaps")
	if gaps.Length() != 1 || attention(owner, "all-clear").Length() != 0 {
		t.Fatalf("owner: gaps row %d, all clear %d", gaps.Length(), attention(owner, "all-clear").Length())
	}
	if href := gaps.Find("a.button").AttrOr("href", ""); href != "/app/bella/backfill" {
		t.Errorf("gaps button goes to %q, want the ranked list", href)
	}
	// Tiles say what they measure.
	for _, id := range []string{"kpi-wallet", "kpi-sparks"} {
		if l := owner.Find(`[data-testid="` + id + `"] .kpi-label`).Text(); len(l) < 30 {
			t.Errorf("%s label %q does not explain itself", id, l)
		}
	}
}

// TestDashboardApprovals: Owners see an action queued by a Manager with Approve and
// Reject, which act through the pending routes; its creator gets Review; Staff see nothing.
func TestDashboardApprovals(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	manager := e.login("manager", "bella")
	card := cardOf(manager.chat(t, "bella", "win back lapsed clients"), "win_back")
	manager.htmxPost("/app/bella/concierge/actions/"+cardID(t, card)+"/send", url.Values{"body": {card.Find("textarea[name=body]").Text()}}).Body.Close()
	pending := func() int {
		return e.count(`SELECT count(*) FROM actions WHERE venue_id = ? AND status = 'pending'`, e.venues["bella"].ID)
	}
	if pending() != 1 {
		t.Fatalf("%d pending", pending())
	}
	owner := e.login("owner", "bella")
	row := attention(dashboard(t, owner, "bella"), "attention-approval")
	if row.Length() != 1 || row.Find(`[data-testid="attention-approve"]`).Length() != 1 || row.Find(`[data-testid="attention-reject"]`).Length() != 1 {
		t.Fatalf("owner's approval row: %d", row.Length())
	}
	mrow := attention(dashboard(t, manager, "bella"), "attention-approval")
	if mrow.Length() != 1 || mrow.Find(`[data-testid="attention-approve"]`).Length() != 0 {
		t.Errorf("the creator's row must offer Review, not Approve")
	}
	if attention(dashboard(t, e.login("staff", "bella"), "bella"), "attention-approval").Length() != 0 {
		t.Error("staff see an approval")
	}
	if attention(dashboard(t, e.login("owner", "kiwi"), "kiwi"), "attention-approval").Length() != 0 {
		t.Error("another venue's approval shown")
	}
	action := row.Find("form").AttrOr("action", "")
	res := owner.post(action, url.Values{})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || pending() != 0 {
		t.Fatalf("approve from the dashboard: %d, %d pending", res.StatusCode, pending())
	}
	if attention(dashboard(t, owner, "bella"), "attention-approval").Length() != 0 {
		t.Error("approved action still shown")
	}
}

// TestDashboardInboxRows: unread and escalated threads are shown to everyone (all may
// answer the inbox), each with its count, and only in their venue.
func TestDashboardInboxRows(t *testing.T) {
	e := newEnv(t)
	staff := e.login("staff", "bella")
	if d := dashboard(t, staff, "bella"); attention(d, "attention-unread").Length()+attention(d, "attention-escalated").Length() != 0 {
		t.Fatal("inbox rows with an empty inbox")
	}
	if _, err := e.st.DB().Exec(`INSERT INTO conversations (venue_id, client_id, status, last_message_at) VALUES (?, ?, 'escalated', 0)`,
		e.venues["bella"].ID, e.ids["bella.client"]); err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"owner", "manager", "staff"} {
		d := dashboard(t, e.login(role, "bella"), "bella")
		row := attention(d, "attention-escalated")
		if row.AttrOr("data-count", "") != "1" || row.Find("a.button").AttrOr("href", "") != "/app/bella/inbox?status=escalated" {
			t.Errorf("%s: escalated row %d %q", role, row.Length(), row.AttrOr("data-count", ""))
		}
		if attention(d, "attention-unread").Length() != 0 {
			t.Errorf("%s: unread row without unread threads", role)
		}
	}
	e.st.DB().Exec(`UPDATE conversations SET status = 'unread'`)
	if row := attention(dashboard(t, staff, "bella"), "attention-unread"); row.AttrOr("data-count", "") != "1" {
		t.Error("unread row missing")
	}
	if d := dashboard(t, e.login("staff", "kiwi"), "kiwi"); attention(d, "attention-unread").Length() != 0 || attention(d, "all-clear").Length() != 1 {
		t.Error("another venue's thread shown")
	}
}

// TestDashboardWalletAndSends: a low wallet and failed or unknown sends of the last week
// are shown to Owners and Managers, not to Staff, and not once they are old or topped up.
func TestDashboardWalletAndSends(t *testing.T) {
	e := newEnv(t)
	owner, manager, staff := e.login("owner", "bella"), e.login("manager", "bella"), e.login("staff", "bella")
	if d := dashboard(t, owner, "bella"); attention(d, "attention-wallet").Length()+attention(d, "attention-sends").Length() != 0 {
		t.Fatal("rows with nothing wrong")
	}
	vid := e.venues["bella"].ID
	// 100 texts at 500 (e4) each need 50000; the wallet holds less.
	e.st.DB().Exec(`UPDATE venues SET sms_price_e4 = 500, wallet_e4 = 1000 WHERE id = ?`, vid)
	old := e.clk.Now().AddDate(0, 0, -8).Unix()
	for _, m := range []struct {
		status string
		at     int64
	}{{"failed", e.clk.Now().Unix()}, {"unknown", e.clk.Now().Unix()}, {"failed", old}, {"delivered", e.clk.Now().Unix()}} {
		if _, err := e.st.DB().Exec(`INSERT INTO messages (venue_id, client_id, channel, direction, purpose, body, status, created_at, updated_at)
			VALUES (?, ?, 'sms', 'out', 'reminder', 'hi', ?, ?, ?)`, vid, e.ids["bella.client"], m.status, m.at, m.at); err != nil {
			t.Fatal(err)
		}
	}
	for name, u := range map[string]*user{"owner": owner, "manager": manager} {
		d := dashboard(t, u, "bella")
		if w := attention(d, "attention-wallet"); w.Find("a.button").AttrOr("href", "") != "/app/bella/settings" {
			t.Errorf("%s: wallet row %d", name, w.Length())
		}
		if s := attention(d, "attention-sends"); s.AttrOr("data-count", "") != "2" || s.Find("a.button").AttrOr("href", "") != "/app/bella/outbox" {
			t.Errorf("%s: sends row count %q", name, s.AttrOr("data-count", ""))
		}
	}
	if d := dashboard(t, staff, "bella"); attention(d, "attention-wallet").Length()+attention(d, "attention-sends").Length() != 0 {
		t.Error("staff see wallet or sends")
	}
	e.st.DB().Exec(`UPDATE venues SET wallet_e4 = 50000 WHERE id = ?`, vid)
	if attention(dashboard(t, owner, "bella"), "attention-wallet").Length() != 0 {
		t.Error("wallet row after top-up")
	}
}

// TestDashboardIncompleteRow: incomplete online bookings for those who manage the
// waitlist, never for Staff.
func TestDashboardIncompleteRow(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	if attention(dashboard(t, owner, "bella"), "attention-incomplete").Length() != 0 {
		t.Fatal("incomplete row at zero")
	}
	now := e.clk.Now().Unix()
	if _, err := e.st.DB().Exec(`INSERT INTO booking_drafts (venue_id, client_id, service_ids, start_at, status, review_started_at, last_engaged_at, created_at)
		VALUES (?, ?, ?, ?, 'incomplete', ?, ?, ?)`, e.venues["bella"].ID, e.ids["bella.client"], fmt.Sprint(e.ids["bella.service"]), now+86400, now, now, now); err != nil {
		t.Fatal(err)
	}
	if r := attention(dashboard(t, owner, "bella"), "attention-incomplete"); r.AttrOr("data-count", "") != "1" {
		t.Error("incomplete row missing")
	}
	if attention(dashboard(t, e.login("staff", "bella"), "bella"), "attention-incomplete").Length() != 0 {
		t.Error("staff see incomplete bookings")
	}
}
