package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// "Fill my gaps tomorrow" lists tomorrow's open slots; for the one chosen it proposes the
// clients the backfill ranking puts first (up to 5, the best 3 ticked) as an offer card
// naming the service and time; Send texts the ticked clients only, and a client the card
// did not offer is refused with nothing sent.
func TestFillGapsProposesTheRankedClients(t *testing.T) {
	e := newEnv(t)
	var regulars []string
	for i, name := range []string{"Ava", "Bea", "Cleo", "Dora", "Edie", "Fern"} {
		c := e.regular(t, "bella", name, fmt.Sprintf("0412 600 %03d", i+1))
		regulars = append(regulars, fmt.Sprint(c.ID))
	}
	owner := e.login("owner", "bella")
	d := owner.chat(t, "bella", "fill my gaps tomorrow")
	var card *goquery.Selection
	if choices := d.Find(`[data-testid="client-choices"] form`); choices.Length() > 0 {
		if d.Find(`[data-testid="action-card"]`).Length() != 0 {
			t.Fatalf("a list of slots comes without a card: %s", d.Text())
		}
		// Choose the morning slot (09:00 onwards), the one the 10:00 regulars suit.
		f := choices.First()
		if !strings.Contains(f.Text(), "09:00") {
			t.Fatalf("tomorrow's morning slot is offered first: %s", d.Text())
		}
		form := url.Values{"choice_turn": {f.Find("input[name=choice_turn]").AttrOr("value", "")}, "gap": {f.Find("input[name=gap]").AttrOr("value", "")}}
		d = doc(t, owner.htmxPost("/app/bella/concierge/turns", form))
		res := owner.htmxPost("/app/bella/concierge/turns", form)
		res.Body.Close()
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("a slot is chosen once: %d", res.StatusCode)
		}
	}
	card = cardOf(d, "gap_offer")
	if card.Length() != 1 || !strings.Contains(card.Text(), "Cut") || !strings.Contains(card.Text(), "09:00") {
		t.Fatalf("want one offer card naming the service and time: %s", d.Text())
	}
	boxes := card.Find(`[data-testid="offer-clients"] input[name=offer_client]`)
	if boxes.Length() != 5 || card.Find(`[data-testid="offer-clients"] input[name=offer_client][checked]`).Length() != 3 {
		t.Fatalf("five ranked clients, the best three ticked: %d boxes, %s", boxes.Length(), card.Text())
	}
	id := cardID(t, card)
	body := card.Find("textarea[name=body]").Text()
	var offered []string
	boxes.Each(func(_ int, b *goquery.Selection) { offered = append(offered, b.AttrOr("value", "")) })
	notOffered := ""
	for _, r := range regulars {
		if !strings.Contains(strings.Join(offered, ","), r) {
			notOffered = r
		}
	}
	res := owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {body}, "title": {"Offer"}, "offer_clients_set": {"1"},
		"offer_client": {offered[0], notOffered}})
	res.Body.Close()
	if res.StatusCode != http.StatusUnprocessableEntity || e.count(`SELECT count(*) FROM messages WHERE purpose = 'backfill'`) != 0 {
		t.Fatalf("a client the card did not offer: %d, %d sent", res.StatusCode, e.count(`SELECT count(*) FROM messages WHERE purpose = 'backfill'`))
	}
	res = owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"body": {body}, "title": {"Offer"}, "offer_clients_set": {"1"},
		"offer_client": {offered[1], offered[4]}})
	res.Body.Close()
	if n := e.count(`SELECT count(*) FROM messages WHERE purpose = 'backfill'`); n != 2 {
		t.Fatalf("the two ticked clients are offered the slot: %d messages (%d)", n, res.StatusCode)
	}
	for _, c := range []string{offered[1], offered[4]} {
		if e.count(`SELECT count(*) FROM messages WHERE purpose = 'backfill' AND client_id = ?`, c) != 1 {
			t.Fatalf("client %s was ticked but not offered", c)
		}
	}
	// Staff make a flash deal for a gap instead: they may not text ranked clients.
	if d := e.login("staff", "bella").chat(t, "bella", "fill my gaps tomorrow"); cardOf(d, "gap_offer").Length() != 0 {
		t.Fatalf("staff get no offer card: %s", d.Text())
	}
}
