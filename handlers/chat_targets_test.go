package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

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
