package handlers_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/crypto/bcrypt"

	"concierge/app"
	"concierge/demo"
	"concierge/handlers"
	"concierge/messaging"
	"concierge/static"
	"concierge/store"
)

// newDemoEnv is the app over the demo venues, seeded at the eval's fixed clock:
// Tuesday 24 November 2026, 15:30 in Sydney.
func newDemoEnv(t *testing.T) *env {
	t.Helper()
	store.BcryptCost = bcrypt.MinCost
	clk := &testClock{t: time.Date(2026, 11, 24, 4, 30, 0, 0, time.UTC)}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedDemo(ctx, st, clk.Now()); err != nil {
		t.Fatal(err)
	}
	d := &app.Dispatcher{Store: st, Senders: messaging.Senders{SMS: messaging.Outbox{}, Email: messaging.Outbox{}}}
	cfg := handlers.Config{PublicURL: "https://concierge.example.com", SessionKey: []byte("0123456789abcdef0123456789abcdef"),
		SMSProvider: "outbox", EmailProvider: "outbox"}
	srv := handlers.NewServer(newService(st, d, cfg, nil), cfg, static.FS, slog.New(slog.NewTextHandler(io.Discard, nil)))
	e := &env{t: t, st: st, clk: clk, app: srv, dispatch: d, srv: httptest.NewServer(srv.Echo())}
	t.Cleanup(func() { e.srv.Close(); srv.ConciergeService().Stop(); st.Close() })
	return e
}

// phraseRow is one row of testdata/concierge-phrases.tsv (see its README in the eval set).
type phraseRow struct {
	line                                   int
	role, earlier, utterance, want, target string
	why                                    string
}

func readPhrases(t *testing.T, path string) []phraseRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = '\t', true, 6
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []phraseRow
	for i, rec := range recs[1:] {
		rows = append(rows, phraseRow{line: i + 2, role: rec[0], earlier: rec[1], utterance: rec[2], want: rec[3], target: rec[4], why: rec[5]})
	}
	return rows
}

// TestConciergePhrases runs every row of the phrases set through the real chat route as
// the row's role, each in a fresh conversation (a new person of that role; a staff row's
// person is Sophie Turner's staff record, as staff@bella.test is), and scores the reply
// to the utterance by the set's rules: the one expected card with its target, a choice
// list offering the expected clients, or no card.
func TestConciergePhrases(t *testing.T) {
	e := newDemoEnv(t)
	ctx := context.Background()
	v, err := e.st.VenueBySlug(ctx, "bella")
	if err != nil {
		t.Fatal(err)
	}
	var sophie int64
	if err := e.st.DB().QueryRow(`SELECT m.staff_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'staff@bella.test'`).Scan(&sophie); err != nil {
		t.Fatal(err)
	}
	rows := readPhrases(t, filepath.Join("testdata", "concierge-phrases.tsv"))
	passed := 0
	for i, row := range rows {
		email := fmt.Sprintf("eval%d@bella.test", i)
		if _, err := e.st.AddUser(ctx, v.ID, 0, storeNewUser(email, "Eval "+row.role, salonRole(row.role))); err != nil {
			t.Fatal(err)
		}
		if row.role == "staff" {
			if _, err := e.st.DB().Exec(`UPDATE memberships SET staff_id = ? WHERE user_id = (SELECT id FROM users WHERE email = ?)`, sophie, email); err != nil {
				t.Fatal(err)
			}
		}
		u := e.anon()
		if res := u.post("/login", url.Values{"email": {email}, "password": {password}}); res.StatusCode != 303 {
			t.Fatalf("login %s: %d", email, res.StatusCode)
		}
		var reply *goquery.Selection
		turns := []string{}
		if row.earlier != "" {
			turns = strings.Split(row.earlier, " | ")
		}
		for _, msg := range append(turns, row.utterance) {
			res := u.htmxPost("/app/bella/concierge/turns", url.Values{"message": {msg}})
			if res.StatusCode != 200 {
				t.Fatalf("line %d: %q: status %d", row.line, msg, res.StatusCode)
			}
			reply = doc(t, res).Find(`[data-testid="turn-concierge"]`).Last()
		}
		if miss := scorePhrase(e, row, reply); miss != "" {
			t.Errorf("line %d (%s) %q: %s\n    why: %s\n    reply: %s", row.line, row.role, row.utterance, miss, row.why,
				strings.Join(strings.Fields(reply.Text()), " "))
			continue
		}
		passed++
	}
	t.Logf("concierge phrases: %d of %d rows right (%.0f%%)", passed, len(rows), 100*float64(passed)/float64(len(rows)))
}

// scorePhrase returns what is wrong with a reply, or "".
func scorePhrase(e *env, row phraseRow, reply *goquery.Selection) string {
	cards := reply.Find(`[data-testid="action-card"]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return row.want == "enable_reconnect" || s.AttrOr("data-action", "") != "enable_reconnect"
	})
	choices := reply.Find(`[data-testid="client-choices"]`)
	var kinds []string
	cards.Each(func(_ int, s *goquery.Selection) { kinds = append(kinds, s.AttrOr("data-action", "?")) })
	target := map[string]string{}
	for _, kv := range strings.Split(row.target, ";") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			target[k] = v
		}
	}
	switch row.want {
	case "none":
		if cards.Length() > 0 {
			return fmt.Sprintf("want no card, got %v", kinds)
		}
		return ""
	case "choose":
		if cards.Length() > 0 || choices.Length() == 0 {
			return fmt.Sprintf("want a choice list and no card, got cards %v and %d choice lists", kinds, choices.Length())
		}
		for _, ext := range strings.Split(target["offers"], ",") {
			if ext == "" {
				continue
			}
			id := e.count(`SELECT id FROM clients WHERE external_id = ?`, ext)
			if choices.Find(fmt.Sprintf(`[data-client-id="%s"],[data-client-id="%d"]`, ext, id)).Length() == 0 {
				return fmt.Sprintf("the choice list does not offer %s", ext)
			}
		}
		return ""
	}
	if cards.Length() != 1 || kinds[0] != row.want || choices.Length() > 0 {
		return fmt.Sprintf("want one %s card and no choice list, got cards %v and %d choice lists", row.want, kinds, choices.Length())
	}
	card := cards.First()
	if want, ok := target["client"]; ok {
		got := card.AttrOr("data-client-id", "")
		if !containsWord(strings.Split(want, "|"), got) {
			return fmt.Sprintf("want the card for %s, its data-client-id is %q", want, got)
		}
	}
	if want, ok := target["cohort"]; ok && card.AttrOr("data-cohort", "") != want {
		return fmt.Sprintf("want cohort %s, the card's data-cohort is %q", want, card.AttrOr("data-cohort", ""))
	}
	if want, ok := target["window"]; ok {
		days := map[string]string{"today": "1", "week": "7"}[want]
		if days == "" {
			days = want
		}
		if got := card.AttrOr("data-window-days", ""); got != days {
			return fmt.Sprintf("want window %s, the card's data-window-days is %q", want, got)
		}
	}
	if want, ok := target["service"]; ok && !strings.Contains(card.Text(), want) {
		return fmt.Sprintf("the card does not name %s", want)
	}
	if _, ok := target["slot"]; ok {
		tomorrow := e.clk.Now().In(mustLoc("Australia/Sydney")).AddDate(0, 0, 1).Format("2006-01-02")
		if got := card.AttrOr("data-slot-date", ""); got != tomorrow {
			return fmt.Sprintf("want one of tomorrow's slots (%s), the card's data-slot-date is %q", tomorrow, got)
		}
	}
	return ""
}

func containsWord(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}
