package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"concierge/salon"
	"concierge/store"
)

// bookedClient adds a client with an appointment the day after tomorrow.
func (e *env) bookedClient(t *testing.T, first, last, phone string, hour int) salon.Client {
	t.Helper()
	v := e.venues["bella"]
	c, err := e.st.CreateClient(t.Context(), v.ID, 0, salon.ClientInput{FirstName: first, LastName: last, Phone: phone, NotifySMS: true})
	if err != nil {
		t.Fatal(err)
	}
	start := e.clk.Now().In(v.Location()).Truncate(time.Hour).AddDate(0, 0, 2)
	start = time.Date(start.Year(), start.Month(), start.Day(), hour, 0, 0, 0, v.Location())
	if _, err := e.st.CreateBooking(t.Context(), v.ID, 0, store.BookingInput{ClientID: c.ID, StaffID: e.ids["bella.staff"], Start: start,
		ServiceIDs: []int64{e.ids["bella.service"]}}); err != nil {
		t.Fatal(err)
	}
	return c
}

// A name matching several clients asks which, and the answer goes on with what was asked:
// choosing a Sarah for "reschedule Sarah" gives a reschedule card for her, echoed by name.
// The list survives a reload, and only a client it offered can be chosen, by the person
// it was offered to.
func TestChoiceCarriesTheRequestAndOffersOnlyItsClients(t *testing.T) {
	e := newEnv(t)
	baker := e.bookedClient(t, "Sarah", "Baker", "0412 600 001", 10)
	smith, _ := e.st.Client(t.Context(), e.venues["bella"].ID, e.ids["bella.client"])
	owner := e.login("owner", "bella")
	d := owner.chat(t, "bella", "reschedule Sarah")
	choices := d.Find(`[data-testid="client-choices"] [data-client-id]`)
	if d.Find(`[data-testid="action-card"]`).Length() != 0 || choices.Length() != 2 {
		t.Fatalf("want a choice of the two Sarahs and no card: %s", d.Text())
	}
	for _, c := range []salon.Client{baker, smith} {
		if d.Find(fmt.Sprintf(`[data-testid="client-choices"] [data-client-id="%d"]`, c.ID)).Length() != 1 {
			t.Fatalf("%s is not offered: %s", c.FullName(), d.Text())
		}
	}
	turn, _ := d.Find(`[data-testid="client-choices"] input[name=choice_turn]`).Attr("value")

	// A reload shows the question as it was asked.
	page := doc(t, owner.get("/app/bella/concierge"))
	if page.Find(`[data-testid="client-choices"] [data-client-id]`).Length() != 2 {
		t.Fatalf("the choice list is gone after a reload")
	}

	// A client the list did not offer, or a turn that is not this person's, chooses nothing.
	other := e.bookedClient(t, "Tom", "Other", "0412 600 002", 12)
	before := e.count(`SELECT count(*) FROM actions`)
	res := owner.htmxPost("/app/bella/concierge/turns", url.Values{"choice_turn": {turn}, "client_id": {fmt.Sprint(other.ID)}})
	res.Body.Close()
	if res.StatusCode != http.StatusUnprocessableEntity || e.count(`SELECT count(*) FROM actions`) != before {
		t.Fatalf("a client never offered was chosen: %d", res.StatusCode)
	}
	manager := e.login("manager", "bella")
	res = manager.htmxPost("/app/bella/concierge/turns", url.Values{"choice_turn": {turn}, "client_id": {fmt.Sprint(baker.ID)}})
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound || e.count(`SELECT count(*) FROM actions`) != before {
		t.Fatalf("another person answered the owner's question: %d", res.StatusCode)
	}

	res = owner.htmxPost("/app/bella/concierge/turns", url.Values{"choice_turn": {turn}, "client_id": {fmt.Sprint(baker.ID)}})
	d = doc(t, res)
	card := cardOf(d, "reschedule")
	if card.Length() != 1 || card.AttrOr("data-client-id", "") != fmt.Sprint(baker.ID) {
		t.Fatalf("want a reschedule card for Sarah Baker: %s", d.Text())
	}
	if echo := d.Find(`[data-testid="turn-user"]`).Text(); !strings.Contains(echo, "Reschedule Sarah Baker") || strings.Contains(echo, "#") {
		t.Fatalf("the choice is echoed by name: %q", echo)
	}
}

// Saying which answers the question too: "the Baker one", "the second".
func TestTypedAnswerToWhichOne(t *testing.T) {
	e := newEnv(t)
	baker := e.bookedClient(t, "Sarah", "Baker", "0412 600 001", 10)
	owner := e.login("owner", "bella")
	for _, answer := range []string{"the Baker one", "baker", "Sarah Baker please"} {
		if d := owner.chat(t, "bella", "text Sarah"); d.Find(`[data-testid="client-choices"]`).Length() != 1 {
			t.Fatalf("want the question first: %s", d.Text())
		}
		d := owner.chat(t, "bella", answer)
		if card := cardOf(d, "client_outreach"); card.Length() != 1 || card.AttrOr("data-client-id", "") != fmt.Sprint(baker.ID) {
			t.Fatalf("%q: want a message card for Sarah Baker: %s", answer, d.Text())
		}
	}
}

// A pronoun means the client of the previous turn, and only of that turn.
func TestPronounMeansThePreviousTurnsClient(t *testing.T) {
	e := newEnv(t)
	sarah := e.ids["bella.client"]
	owner := e.login("owner", "bella")
	if d := owner.chat(t, "bella", "what has Sarah Smith got coming up?"); d.Find(`[data-testid="action-card"]`).Length() != 0 ||
		!strings.Contains(d.Text(), "Sarah Smith has coming up") {
		t.Fatalf("a question about a client answers it: %s", d.Text())
	}
	d := owner.chat(t, "bella", "text her")
	if card := cardOf(d, "client_outreach"); card.Length() != 1 || card.AttrOr("data-client-id", "") != fmt.Sprint(sarah) ||
		!strings.Contains(card.Text(), "Sarah Smith") {
		t.Fatalf("'her' is Sarah Smith, and the card says so: %s", d.Text())
	}
	owner.chat(t, "bella", "how are we doing?")
	if d := owner.chat(t, "bella", "text her"); d.Find(`[data-testid="action-card"]`).Length() != 0 {
		t.Fatalf("'her' two turns later means nobody: %s", d.Text())
	}
	if d := owner.chat(t, "bella", "get hold of Bartholomew Quill"); d.Find(`[data-testid="action-card"]`).Length() != 0 ||
		!strings.Contains(d.Text(), "couldn't find a client called Bartholomew Quill") {
		t.Fatalf("a name matching nobody: no card, and it says so: %s", d.Text())
	}
	if d := owner.chat(t, "bella", fmt.Sprintf("text client #%d", sarah)); d.Find(`[data-testid="action-card"]`).Length() != 0 {
		t.Fatalf("an id typed in a message selects nobody: %s", d.Text())
	}
}

// The name index follows every write path: a client added or renamed behind the app's
// back is found by the next turn.
func TestChatNamesFollowWrites(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	if d := owner.chat(t, "bella", "text Zed Newname"); d.Find(`[data-testid="action-card"]`).Length() != 0 {
		t.Fatalf("nobody is called Zed yet: %s", d.Text())
	}
	v := e.venues["bella"]
	if _, err := e.st.DB().Exec(`INSERT INTO clients (venue_id, first_name, last_name, phone, email, notify_sms, notify_email, tags, search_text, created_at)
		VALUES (?, 'Zed', 'Newname', '+61412600009', '', 1, 0, '', 'zed newname', ?)`, v.ID, e.clk.Now().Unix()); err != nil {
		t.Fatal(err)
	}
	if d := owner.chat(t, "bella", "text Zed Newname"); cardOf(d, "client_outreach").Length() != 1 {
		t.Fatalf("a client added is found: %s", d.Text())
	}
	if _, err := e.st.DB().Exec(`UPDATE clients SET first_name = 'Quentin', last_name = 'Other' WHERE first_name = 'Zed'`); err != nil {
		t.Fatal(err)
	}
	if d := owner.chat(t, "bella", "text Zed Newname"); cardOf(d, "client_outreach").Length() != 0 {
		t.Fatalf("a renamed client is not found by the old name: %s", d.Text())
	}
	if d := owner.chat(t, "bella", "text Quentin Other"); cardOf(d, "client_outreach").Length() != 1 {
		t.Fatalf("a renamed client is found by the new name: %s", d.Text())
	}
}

// In a browser: "reschedule Sarah" asks which Sarah, the question survives a reload,
// and the button chosen gives a reschedule card for that Sarah.
func TestBrowserRescheduleChoosesWhichSarah(t *testing.T) {
	e := newEnv(t)
	baker := e.bookedClient(t, "Sarah", "Baker", "0412 600 001", 10)
	ctx, axe := browser(t)
	base := e.srv.URL
	step(t, ctx, "sign in", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "owner@bella.test"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="kpi-today"]`)))
	step(t, ctx, "ask", chromedp.Navigate(base+"/app/bella/concierge"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="chat-input"]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="chat-input"]`), "reschedule Sarah"),
		chromedp.Click(chromedp.CSS(`[data-testid="chat-send"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="client-choices"]`)))
	checkA11y(t, ctx, axe, "concierge with a choice list")
	choice := fmt.Sprintf(`[data-testid="client-choices"] [data-client-id="%d"] button`, baker.ID)
	step(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(choice)))
	step(t, ctx, "choose", chromedp.Click(chromedp.CSS(choice)),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`[data-testid="action-card"][data-action="reschedule"][data-client-id="%d"]`, baker.ID))))
	echo, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('[data-testid="turn-user"]')].pop().textContent`))
	if err != nil || !strings.Contains(echo, "Reschedule Sarah Baker") {
		t.Fatalf("the choice is echoed by name: %q %v", echo, err)
	}
}

// Found by an attack review: a choice is answered once, and two reschedule cards for one
// booking move it (and text the client) once.
func TestChoiceAnsweredOnceAndABookingMovedOnce(t *testing.T) {
	e := newEnv(t)
	baker := e.bookedClient(t, "Sarah", "Baker", "0412 600 001", 10)
	owner := e.login("owner", "bella")
	d := owner.chat(t, "bella", "reschedule Sarah")
	turn, _ := d.Find(`[data-testid="client-choices"] input[name=choice_turn]`).Attr("value")
	choose := url.Values{"choice_turn": {turn}, "client_id": {fmt.Sprint(baker.ID)}}
	first := doc(t, owner.htmxPost("/app/bella/concierge/turns", choose))
	res := owner.htmxPost("/app/bella/concierge/turns", choose)
	res.Body.Close()
	if res.StatusCode != http.StatusConflict || e.count(`SELECT count(*) FROM actions WHERE kind = 'reschedule'`) != 1 {
		t.Fatalf("a replayed choice: %d, %d reschedule cards", res.StatusCode, e.count(`SELECT count(*) FROM actions WHERE kind = 'reschedule'`))
	}
	second := owner.chat(t, "bella", "reschedule Sarah Baker")
	for i, card := range []*goquery.Selection{cardOf(first, "reschedule"), cardOf(second, "reschedule")} {
		form := url.Values{"choice": {fmt.Sprint(i)}, "body": {card.Find("textarea[name=body]").Text()},
			"title": {card.Find("input[name=title]").AttrOr("value", "")}}
		res := owner.htmxPost("/app/bella/concierge/actions/"+cardID(t, card)+"/send", form)
		res.Body.Close()
	}
	if n := e.count(`SELECT count(*) FROM messages WHERE client_id = ? AND purpose = 'reschedule_notice'`, baker.ID); n != 1 {
		t.Fatalf("two cards for one booking sent %d notices", n)
	}
	if n := e.count(`SELECT count(*) FROM audit_events WHERE entity = 'booking' AND event = 'updated'`); n > 1 {
		t.Fatalf("the booking moved %d times", n)
	}
}

// Found by an attack review: after a "which one?" list, what is said about someone else
// is not an answer; a list is narrowed before it is cut; a name nobody has gets no list.
func TestChoiceIsNotGuessedFromOtherWords(t *testing.T) {
	e := newEnv(t)
	v := e.venues["bella"]
	baker := e.bookedClient(t, "Sarah", "Baker", "0412 600 001", 10)
	amelia := e.bookedClient(t, "Amelia", "Baker", "0412 600 002", 12)
	owner := e.login("owner", "bella")
	owner.chat(t, "bella", "reschedule Sarah")
	if d := owner.chat(t, "bella", "reschedule Amelia Baker"); cardOf(d, "reschedule").AttrOr("data-client-id", "") != fmt.Sprint(amelia.ID) {
		t.Fatalf("a client named in full is that client, not the Sarah who shares her surname: %s", d.Text())
	}
	owner.chat(t, "bella", "reschedule Sarah")
	if d := owner.chat(t, "bella", "who was the last client in today?"); d.Find(`[data-testid="action-card"]`).Length() != 0 {
		t.Fatalf("a word like 'last' in a question is no answer: %s", d.Text())
	}
	// Twelve more Sarahs with nothing booked: the two with an appointment are the list.
	for i := range 12 {
		if _, err := e.st.CreateClient(t.Context(), v.ID, 0, salon.ClientInput{FirstName: "Sarah", LastName: fmt.Sprintf("Extra%02d", i),
			Phone: fmt.Sprintf("0412 610 %03d", i), NotifySMS: true}); err != nil {
			t.Fatal(err)
		}
	}
	late := e.bookedClient(t, "Sarah", "Zed", "0412 600 003", 14) // the newest Sarah, with a booking
	d := owner.chat(t, "bella", "reschedule Sarah")
	if d.Find(fmt.Sprintf(`[data-testid="client-choices"] [data-client-id="%d"]`, late.ID)).Length() != 1 ||
		d.Find(fmt.Sprintf(`[data-testid="client-choices"] [data-client-id="%d"]`, baker.ID)).Length() != 1 ||
		d.Find(`[data-testid="client-choices"] [data-client-id]`).Length() != 3 {
		t.Fatalf("the list offers the three Sarahs with an appointment: %s", d.Text())
	}
	if d := owner.chat(t, "bella", "text Sarah Nobody"); d.Find(`[data-testid="client-choices"]`).Length() != 0 ||
		d.Find(`[data-testid="action-card"]`).Length() != 0 || !strings.Contains(d.Text(), "couldn't find a client called Sarah Nobody") {
		t.Fatalf("a full name of nobody offers no Sarahs: %s", d.Text())
	}
}

// Found by an attack review: "it" and "them" are things and groups; two people named,
// a request not to, and a question propose no message to anyone.
func TestNoClientGuessedFromPronounsNegationsOrTwoNames(t *testing.T) {
	e := newEnv(t)
	e.bookedClient(t, "Henry", "King", "0412 600 004", 11)
	owner := e.login("owner", "bella")
	for _, msg := range []string{"text everyone about it", "let the team know about it", "how do i send them a receipt"} {
		owner.chat(t, "bella", "what has Sarah Smith got coming up?")
		if d := owner.chat(t, "bella", msg); d.Find(`[data-testid="action-card"]`).Length() != 0 {
			t.Fatalf("%q after a question about Sarah: %s", msg, d.Text())
		}
	}
	for _, msg := range []string{"let Sarah know that Henry King cancelled", "dont text sarah smith", "don't send anything to the vips yet",
		"can you tell me how many vips we have", "can you explain what a win back campaign is?"} {
		d := owner.chat(t, "bella", msg)
		for _, kind := range []string{"client_outreach", "cohort_outreach", "win_back", "reschedule"} {
			if cardOf(d, kind).Length() != 0 {
				t.Fatalf("%q proposed a %s: %s", msg, kind, d.Text())
			}
		}
	}
	if d := owner.chat(t, "bella", "don't reschedule Sarah Smith, reschedule Henry King"); cardOf(d, "reschedule").Length() != 1 ||
		!strings.Contains(cardOf(d, "reschedule").Text(), "Henry King") {
		t.Fatalf("the part that asks is done: %s", d.Text())
	}
	if d := owner.chat(t, "bella", "reschedule Henry King and send the vips a note"); cardOf(d, "cohort_outreach").Length() != 0 ||
		!strings.Contains(d.Text(), "You also asked for a cohort outreach") {
		t.Fatalf("a second request is named, not dropped silently: %s", d.Text())
	}
}

// Fifty presses of the same choice at once propose one card: the answer is claimed in
// one write, and the other 49 are told it was answered.
func TestFiftySimultaneousChoicesMakeOneCard(t *testing.T) {
	e := newEnv(t)
	baker := e.bookedClient(t, "Sarah", "Baker", "0412 600 001", 10)
	owner := e.login("owner", "bella")
	d := owner.chat(t, "bella", "reschedule Sarah")
	turn, _ := d.Find(`[data-testid="client-choices"] input[name=choice_turn]`).Attr("value")
	form := url.Values{"choice_turn": {turn}, "client_id": {fmt.Sprint(baker.ID)}, "_csrf": {owner.csrf()}}
	codes := make(chan int, 50)
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := owner.htmxPost("/app/bella/concierge/turns", form)
			res.Body.Close()
			codes <- res.StatusCode
		}()
	}
	wg.Wait()
	close(codes)
	got := map[int]int{}
	for c := range codes {
		got[c]++
	}
	if got[http.StatusOK] != 1 || got[http.StatusConflict] != 49 || e.count(`SELECT count(*) FROM actions WHERE kind = 'reschedule'`) != 1 {
		t.Fatalf("50 simultaneous choices: %v, %d cards", got, e.count(`SELECT count(*) FROM actions WHERE kind = 'reschedule'`))
	}
}
