package handlers_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"concierge/messaging"
)

// refusingSender is a provider that refuses every message (an unreachable number).
type refusingSender struct{}

func (refusingSender) Name() string { return "refusing" }
func (refusingSender) Send(context.Context, messaging.Envelope) (messaging.Receipt, error) {
	return messaging.Receipt{}, errors.New("21211: invalid 'To' phone number")
}

// contactOverdueCard opens the Contact Overdue Clients card (category "" = Contact All)
// and returns the card page and the action id.
func contactOverdueCard(t *testing.T, e *env, u *user, category string) (string, *http.Response) {
	t.Helper()
	res := u.post("/app/bella/marketing/reconnect/contact", url.Values{"category_id": {category}})
	res.Body.Close()
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "/concierge/actions/") {
		t.Fatalf("contact: %d %s", res.StatusCode, loc)
	}
	return loc[strings.LastIndex(loc, "/")+1:], u.get(loc)
}

// Item 1. Seed 000's FAQ: "Three filters that aren't always obvious: recently-messaged
// dedup (any outbound in last 30 days), …". SPEC §5: replies and confirmations count,
// and so does a send in an unknown state; one the provider refused does not.
func TestRecentlyMessagedIsAnyOutboundTheProviderTook(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-2 * time.Hour) // 10:00 in Sydney
	ann := e.overdueRegular(t, "Ann", "0412 900 001", 55)
	bob := e.overdueRegular(t, "Bob", "0412 900 002", 60)
	e.overdueRegular(t, "Cy", "0412 900 003", 65)
	owner := e.login("owner", "bella")
	reply := func(id int64, body string) {
		t.Helper()
		res := owner.post(fmt.Sprintf("/app/bella/inbox/%d/reply", id), url.Values{"body": {body}})
		res.Body.Close()
		res = owner.post(fmt.Sprintf("/app/bella/inbox/%d/status", id), url.Values{"status": {"closed"}})
		res.Body.Close()
	}
	// Ann gets an ordinary reply from the inbox (not marketing); Bob's reply is refused
	// by the provider.
	reply(ann.ID, "Thanks Ann, see you soon!")
	e.dispatch.Senders.SMS = refusingSender{}
	reply(bob.ID, "Thanks Bob!")
	e.dispatch.Senders.SMS = messaging.Outbox{}
	if n := e.count(`SELECT count(*) FROM messages WHERE client_id = ? AND status = 'failed'`, bob.ID); n != 1 {
		t.Fatalf("Bob's reply should have been refused: %d failed", n)
	}
	if n := e.count(`SELECT count(*) FROM messages WHERE client_id = ? AND direction = 'out' AND status = 'delivered'`, ann.ID); n != 1 {
		t.Fatalf("Ann's reply should have gone: %d", n)
	}
	e.clk.Advance(48 * time.Hour) // past the 24-hour cooldown, well inside 30 days
	owner = e.login("owner", "bella")
	var cat string
	e.st.DB().QueryRow(`SELECT category_id FROM services WHERE id = ?`, e.ids["bella.service"]).Scan(&cat)
	_, res := contactOverdueCard(t, e, owner, cat)
	d := doc(t, res)
	if got := d.Find(`[data-testid="audience-count"]`).Text(); got != "3" {
		t.Fatalf("three overdue, got %q", got)
	}
	if got := d.Find(`[data-testid="audience-excluded"][data-reason="recently_messaged"]`).Text(); !strings.HasPrefix(got, "1 ") {
		t.Fatalf("Ann (an inbox reply 2 days ago) is recently messaged; Bob's refused reply does not count: %q", got)
	}
	if got := d.Find(`[data-testid="audience-sendable"]`).Text(); got != "2" {
		t.Fatalf("Bob and Cy can be messaged, got %q: %s", got, d.Find(`[data-testid="audience-samples"]`).Text())
	}
	if s := d.Find(`[data-testid="audience-samples"]`).Text(); strings.Contains(s, "Ann") || !strings.Contains(s, "Bob") {
		t.Fatalf("samples: %q", s)
	}
	// A send whose outcome is unknown (the app stopped mid-send) counts: it may have
	// reached the phone.
	if _, err := e.st.DB().Exec(`UPDATE messages SET status = 'unknown' WHERE id = (SELECT max(id) FROM messages WHERE client_id = ?)`, ann.ID); err != nil {
		t.Fatal(err)
	}
	_, res = contactOverdueCard(t, e, owner, cat)
	if got := doc(t, res).Find(`[data-testid="audience-sendable"]`).Text(); got != "2" {
		t.Fatalf("an unknown send still counts: sendable %q", got)
	}
}

// Item 7. Seeds 002/003: "Click on Marketing > Client Reconnect." Reconnect, Engage and
// Automations sit under one Marketing menu, open on its own pages; Staff see only what
// they may open (Engage).
func TestMarketingMenuGroupsReconnectEngageAutomations(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	for _, tc := range []struct {
		path string
		open bool
	}{{"/app/bella", false}, {"/app/bella/marketing/reconnect", true}, {"/app/bella/engage", true}, {"/app/bella/automations", true}} {
		d := doc(t, owner.get(tc.path))
		menu := d.Find(`nav.mainnav [data-testid="nav-marketing"]`)
		if strings.TrimSpace(menu.Find("summary").Text()) != "Marketing" {
			t.Fatalf("%s: no Marketing menu: %s", tc.path, d.Find("nav.mainnav").Text())
		}
		var links []string
		menu.Find("a.navlink").Each(func(_ int, a *goquery.Selection) { links = append(links, a.Text()+"="+a.AttrOr("href", "")) })
		want := "Client Reconnect=/app/bella/marketing/reconnect Engage=/app/bella/engage Automations=/app/bella/automations"
		if strings.Join(links, " ") != want {
			t.Fatalf("%s: Marketing holds %v", tc.path, links)
		}
		if _, open := menu.Attr("open"); open != tc.open {
			t.Fatalf("%s: menu open %v, want %v", tc.path, open, tc.open)
		}
		// They are no longer loose in the main bar.
		if n := d.Find(`nav.mainnav > a.navlink[href="/app/bella/engage"], nav.mainnav > a.navlink[href="/app/bella/marketing/reconnect"]`).Length(); n != 0 {
			t.Fatalf("%s: %d marketing links outside the menu", tc.path, n)
		}
	}
	d := doc(t, e.login("staff", "bella").get("/app/bella"))
	if got := d.Find(`[data-testid="nav-marketing"] a.navlink`).Text(); got != "Engage" {
		t.Fatalf("staff see %q under Marketing", got)
	}
}
