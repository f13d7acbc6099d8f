package handlers_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"concierge/salon"
)

// completedToday adds a client whose visit with a team member finished earlier today.
func (e *env) completedToday(t *testing.T, slug, name, phone string, staffID int64) salon.Client {
	t.Helper()
	v := e.venues[slug]
	c, err := e.st.CreateClient(t.Context(), v.ID, 0, salon.ClientInput{FirstName: name, LastName: "Visit", Phone: phone, NotifySMS: true})
	if err != nil {
		t.Fatal(err)
	}
	start := e.clk.Now().Add(-2 * time.Hour)
	if _, err := e.st.DB().Exec(`INSERT INTO bookings (venue_id, client_id, staff_id, start_at, end_at, price_minor, status, created_at)
		VALUES (?, ?, ?, ?, ?, 9000, 'completed', ?)`, v.ID, c.ID, staffID, start.Unix(), start.Add(time.Hour).Unix(), start.Add(-72*time.Hour).Unix()); err != nil {
		t.Fatal(err)
	}
	return c
}

// Item 5: "make it shorter" as often as asked keeps the greeting, the merge fields and
// the link; when nothing more can go, it says so and changes nothing.
func TestRefineShorterKeepsTheDraftWhole(t *testing.T) {
	e := newEnv(t)
	e.completedToday(t, "bella", "Rae", "0412 555 401", e.ids["bella.staff"])
	owner := e.login("owner", "bella")
	card := cardOf(owner.chat(t, "bella", "ask today's clients for a review"), "review_request")
	id := cardID(t, card)
	var body string
	for i := 1; i <= 3; i++ {
		res := owner.htmxPost("/app/bella/concierge/actions/"+id+"/refine", url.Values{"instruction": {"make it shorter"}})
		d := doc(t, res)
		body = d.Find("textarea[name=body]").Text()
		if !strings.HasPrefix(body, "Hi {{FirstName}},") || !strings.Contains(body, "{{ReviewLink}}") {
			t.Fatalf("shorter #%d lost the greeting or the link: %q", i, body)
		}
		if i == 3 {
			if res.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="action-error"]`).Text(), "as short as it gets") {
				t.Fatalf("a third shorter has nothing left to drop: %d %s", res.StatusCode, d.Text())
			}
		} else if res.StatusCode != 200 {
			t.Fatalf("shorter #%d: %d", i, res.StatusCode)
		}
	}
	a, _ := e.st.Action(t.Context(), e.venues["bella"].ID, atoi(t, id))
	if a.Body != "Hi {{FirstName}}, you can leave us a review here: {{ReviewLink}}" || a.Refines != 2 {
		t.Fatalf("the draft after two shorters (the refused one not counted): %q, %d refines", a.Body, a.Refines)
	}
}

// Item 5: {{StaffName}} and {{Date}} are each recipient's own in a batch, one syntax
// everywhere (an old {{name}} still fills), and the counter measures the message filled
// for a real client.
func TestBatchFillsStaffAndDatePerRecipient(t *testing.T) {
	e := newEnv(t)
	v := e.venues["bella"]
	e.st.DB().Exec(`UPDATE venues SET review_link = 'https://g.page/r/bella' WHERE id = ?`, v.ID)
	mia, _ := e.st.EnsureStaff(t.Context(), v.ID, "Mia")
	e.completedToday(t, "bella", "Rae", "0412 555 401", e.ids["bella.staff"])
	e.completedToday(t, "bella", "Sol", "0412 555 402", mia)
	owner := e.login("owner", "bella")
	card := cardOf(owner.chat(t, "bella", "ask today's clients for a review"), "review_request")
	id := cardID(t, card)
	body := card.Find("textarea[name=body]").Text()
	if !strings.HasPrefix(body, "Hi {{FirstName}},") {
		t.Fatalf("drafts use the documented syntax: %q", body)
	}
	// The counter is the message as Rae (the first who can be messaged) will get it.
	filled := strings.NewReplacer("{{FirstName}}", "Rae", "{{ReviewLink}}", "https://g.page/r/bella").Replace(body)
	want := fmt.Sprintf("%d/280 characters for Rae", utf8.RuneCountInString(filled))
	if got := card.Find(`[data-testid="draft-counter"]`).Text(); !strings.HasPrefix(got, want) {
		t.Fatalf("counter: %q, want %q…", got, want)
	}
	edited := "Hi {{name}}, thanks for seeing {{StaffName}} on {{Date}}! A review would mean a lot: {{ReviewLink}}"
	res := owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"title": {"Reviews"}, "body": {edited}})
	d := doc(t, res)
	if res.StatusCode != 200 {
		t.Fatalf("send: %d %s", res.StatusCode, d.Text())
	}
	e.waitSends()
	got := map[string]bool{}
	rows, _ := e.st.DB().Query(`SELECT body FROM messages WHERE action_id = ?`, id)
	for rows.Next() {
		var b string
		rows.Scan(&b)
		got[b] = true
	}
	rows.Close()
	for _, w := range []string{
		"Hi Rae, thanks for seeing bella staff on Mon 23 Nov! A review would mean a lot: https://g.page/r/bella",
		"Hi Sol, thanks for seeing Mia on Mon 23 Nov! A review would mean a lot: https://g.page/r/bella",
	} {
		if !got[w] {
			t.Fatalf("want %q among %v", w, got)
		}
	}
}

// Item 5: an email draft always has a subject: saving one without is refused beside
// the field and changes nothing.
func TestEmailDraftKeepsItsSubject(t *testing.T) {
	e := newEnv(t)
	e.lapsedClient(t, "kiwi", "Tui", "021 555 0101")
	owner := e.login("owner", "kiwi")
	card := cardOf(owner.chat(t, "kiwi", "win back lapsed clients"), "win_back")
	id := cardID(t, card)
	subject := card.Find("input[name=subject]").AttrOr("value", "")
	if subject == "" {
		t.Fatal("an email card starts with a subject")
	}
	res := owner.htmxPost("/app/kiwi/concierge/actions/"+id+"/save", url.Values{"title": {"Win back"}, "subject": {" "}, "body": {"Hi {{FirstName}}, come back soon."}})
	d := doc(t, res)
	if res.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="error-subject"]`).Text(), "An email needs a subject") {
		t.Fatalf("saving without a subject: %d %s", res.StatusCode, d.Text())
	}
	if a, _ := e.st.Action(t.Context(), e.venues["kiwi"].ID, atoi(t, id)); a.Subject != subject || strings.Contains(a.Body, "come back soon") {
		t.Fatalf("nothing saved: %q %q", a.Subject, a.Body)
	}
}
