package handlers_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"concierge/jobs"
	"concierge/messaging"
	"concierge/salon"
	"concierge/store"
)

// scheduledWinBack has the owner send a win-back to the given lapsed clients and
// returns its action id (now scheduled).
func scheduledWinBack(t *testing.T, e *env, owner *user) int64 {
	t.Helper()
	card := cardOf(owner.chat(t, "bella", "win back lapsed clients"), "win_back")
	id := cardID(t, card)
	res := owner.htmxPost("/app/bella/concierge/actions/"+id+"/send", url.Values{"title": {"Win back"}, "body": {card.Find("textarea[name=body]").Text()}})
	d := doc(t, res)
	if d.Find(`[data-testid="countdown"]`).Length() != 1 || d.Find(`[data-testid="cancel-send"]`).Length() != 1 {
		t.Fatalf("a scheduled card with countdown and Cancel: %s", d.Text())
	}
	return mustInt(t, id)
}

func messagesOf(t *testing.T, e *env, actionID int64) int {
	t.Helper()
	return e.count(`SELECT count(*) FROM messages WHERE action_id = ?`, actionID)
}

func TestHundredFiresAndTheWorkerSendOnce(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour) // 09:00 Sydney
	for i := 0; i < 5; i++ {
		e.lapsedClient(t, "bella", fmt.Sprintf("Lena%d", i), fmt.Sprintf("0412 555 %03d", i))
	}
	owner := e.login("owner", "bella")
	id := scheduledWinBack(t, e, owner)
	// Too early: firing does nothing.
	res := owner.htmxPost(fmt.Sprintf("/app/bella/concierge/actions/%d/fire", id), nil)
	res.Body.Close()
	if n := messagesOf(t, e, id); n != 0 {
		t.Fatalf("nothing goes out before the countdown ends: %d", n)
	}
	e.clk.Advance(30 * time.Second)
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := owner.htmxPost(fmt.Sprintf("/app/bella/concierge/actions/%d/fire", id), nil)
			res.Body.Close()
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := (jobs.ScheduledSends{Concierge: e.app.ConciergeService()}).Run(t.Context()); err != nil {
			t.Error(err)
		}
	}()
	wg.Wait()
	e.waitSends()
	a, _ := e.st.Action(t.Context(), e.venues["bella"].ID, id)
	if n := messagesOf(t, e, id); n != 5 || a.Status != salon.StatusExecuted || a.ResultSummary != "Sent 5, failed 0" {
		t.Fatalf("exactly one send of 5 messages: %d messages, %s %q", n, a.Status, a.ResultSummary)
	}
	trail, _ := e.st.AuditTrail(t.Context(), e.venues["bella"].ID, "action", id)
	fires := 0
	for _, ev := range trail {
		if ev.Event == "fire" {
			fires++
		}
	}
	if fires != 1 {
		t.Fatalf("one fire in the audit, got %d", fires)
	}
}

func TestCancelRacingFireIsOneOrTheOther(t *testing.T) {
	for round := 0; round < 8; round++ {
		e := newEnv(t)
		e.clk.Advance(-3 * time.Hour)
		e.lapsedClient(t, "bella", "Lena", "0412 555 001")
		e.lapsedClient(t, "bella", "Max", "0412 555 002")
		owner := e.login("owner", "bella")
		id := scheduledWinBack(t, e, owner)
		e.clk.Advance(30 * time.Second) // exactly at the deadline
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			res := owner.htmxPost(fmt.Sprintf("/app/bella/concierge/actions/%d/cancel", id), nil)
			res.Body.Close()
		}()
		go func() {
			defer wg.Done()
			res := owner.htmxPost(fmt.Sprintf("/app/bella/concierge/actions/%d/fire", id), nil)
			res.Body.Close()
		}()
		wg.Wait()
		e.waitSends()
		a, _ := e.st.Action(t.Context(), e.venues["bella"].ID, id)
		n := messagesOf(t, e, id)
		switch a.Status {
		case salon.StatusCancelled:
			if n != 0 {
				t.Fatalf("cancelled but %d messages", n)
			}
		case salon.StatusExecuted:
			if n != 2 {
				t.Fatalf("sent but %d messages", n)
			}
		default:
			t.Fatalf("final state %s", a.Status)
		}
	}
}

func TestFireReFiltersTheAudience(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	max := e.lapsedClient(t, "bella", "Max", "0412 555 002")
	owner := e.login("owner", "bella")
	id := scheduledWinBack(t, e, owner)
	// Max books during the countdown: no longer lapsed.
	if _, err := e.st.CreateBooking(t.Context(), e.venues["bella"].ID, 0, store.BookingInput{ClientID: max.ID, StaffID: e.ids["bella.staff"],
		Start: e.clk.Now().Add(72 * time.Hour), ServiceIDs: []int64{e.ids["bella.service"]}}); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(31 * time.Second)
	(jobs.ScheduledSends{Concierge: e.app.ConciergeService()}).Run(t.Context())
	msgs, _ := e.st.ClientMessages(t.Context(), e.venues["bella"].ID, max.ID)
	if len(msgs) != 0 || messagesOf(t, e, id) != 1 {
		t.Fatalf("a client who booked meanwhile is not messaged: %d to Max, %d in all", len(msgs), messagesOf(t, e, id))
	}
}

func TestQuietHoursHoldAScheduledSendUntilMorning(t *testing.T) {
	e := newEnv(t)
	loc := e.venues["bella"].Location()
	// 19:59:50 in Sydney: sent now, due at 20:00:20, inside quiet hours (20:00–09:00).
	at := time.Date(2026, 11, 23, 19, 59, 50, 0, loc)
	e.clk.Advance(at.Sub(e.clk.Now()))
	e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	e.st.DB().Exec(`UPDATE venues SET send_delay_seconds = 30 WHERE id = ?`, e.venues["bella"].ID)
	owner := e.login("owner", "bella")
	id := scheduledWinBack(t, e, owner)
	worker := jobs.ScheduledSends{Concierge: e.app.ConciergeService()}
	for _, tc := range []struct {
		at   time.Time
		sent bool
	}{
		{time.Date(2026, 11, 23, 20, 30, 0, 0, loc), false},
		{time.Date(2026, 11, 24, 8, 59, 0, 0, loc), false},
		{time.Date(2026, 11, 24, 9, 0, 0, 0, loc), true},
	} {
		e.clk.Advance(tc.at.Sub(e.clk.Now()))
		if err := worker.Run(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := messagesOf(t, e, id) > 0; got != tc.sent {
			t.Fatalf("at %s: sent=%v, want %v", tc.at.Format("15:04"), got, tc.sent)
		}
		if !tc.sent {
			owner = e.login("owner", "bella")
			d := doc(t, owner.get(fmt.Sprintf("/app/bella/concierge/actions/%d", id)))
			if p := d.Find(`[data-testid="paused"]`).Text(); !strings.Contains(p, "Paused for quiet hours — sends at 09:00") {
				t.Fatalf("the card says it is paused: %q", p)
			}
		}
	}
}

func TestSendDelaySetting(t *testing.T) {
	e := newEnv(t)
	if err := e.st.SetSendDelay(t.Context(), e.venues["bella"].ID, 0, 301); salon.FieldErrors(err)["send_delay_seconds"] == "" {
		t.Fatalf("never more than 5 minutes: %v", err)
	}
	if err := e.st.SetSendDelay(t.Context(), e.venues["bella"].ID, 0, 120); err != nil {
		t.Fatal(err)
	}
	d, _ := e.st.SendDelay(t.Context(), e.venues["bella"].ID)
	if d != 2*time.Minute {
		t.Fatalf("delay %s", d)
	}
}

func TestEngageListsBatchSendsPerRecipient(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	e.lapsedClient(t, "bella", "Lena", "0412 555 001")
	e.lapsedClient(t, "bella", "Max", "0412 555 002")
	owner := e.login("owner", "bella")
	id := scheduledWinBack(t, e, owner)
	e.clk.Advance(31 * time.Second)
	owner.htmxPost(fmt.Sprintf("/app/bella/concierge/actions/%d/fire", id), nil).Body.Close()
	e.waitSends()
	d := doc(t, owner.htmxGet(fmt.Sprintf("/app/bella/concierge/actions/%d/card", id)))
	link, _ := d.Find(`[data-testid="result-link"]`).Attr("href")
	if link != fmt.Sprintf("/app/bella/engage/%d", id) || d.Find(`[data-testid="result-link"]`).Text() != "Open Engage" {
		t.Fatalf("the result card opens Engage: %q", link)
	}
	// A message left mid-send by a crash shows as unknown, never re-sent.
	var one int64
	e.st.DB().QueryRow(`SELECT id FROM messages WHERE action_id = ? ORDER BY id LIMIT 1`, id).Scan(&one)
	e.st.DB().Exec(`UPDATE messages SET status = 'sending', updated_at = ? WHERE id = ?`, e.clk.Now().Add(-time.Hour).Unix(), one)
	(jobs.StuckSends{Concierge: e.app.ConciergeService()}).Run(t.Context())
	ld := doc(t, owner.get("/app/bella/engage"))
	if ld.Find(`[data-testid="engage-row"]`).Length() != 1 || !strings.Contains(ld.Text(), "1 unknown") {
		t.Fatalf("engage feed: %s", ld.Text())
	}
	dd := doc(t, owner.get(link))
	if dd.Find(`[data-testid="engage-recipient"]`).Length() != 2 || dd.Find(`[data-testid="engage-recipient"][data-status="unknown"]`).Length() != 1 {
		t.Fatalf("per-recipient status: %s", dd.Text())
	}
	// Another venue sees nothing of it.
	res := e.login("owner", "kiwi").get(strings.Replace(link, "/bella/", "/kiwi/", 1))
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Fatalf("cross-venue engage: %d", res.StatusCode)
	}
}

// gateSender lets through one message per tick, so a test can stop a batch half way.
type gateSender struct {
	entered chan struct{} // a hand-over has reached the provider
	tick    chan struct{} // let it complete
	done    chan struct{} // closed: no more gating
	sent    atomic.Int32
}

func (g *gateSender) Name() string { return "gate" }
func (g *gateSender) Send(ctx context.Context, m messaging.Envelope) (messaging.Receipt, error) {
	select {
	case g.entered <- struct{}{}:
		select {
		case <-g.tick:
		case <-g.done:
		}
	case <-g.done:
	}
	g.sent.Add(1)
	return messaging.Receipt{Provider: "gate", ProviderID: fmt.Sprintf("g-%d", m.MessageID), Status: messaging.StatusSent}, nil
}

// A batch is handed over after the request has returned (the card polls its progress);
// stopping the app half way leaves the rest queued, and the resume job sends exactly
// those: every recipient gets one message.
func TestBatchSendsInTheBackgroundAndResumesAfterAStop(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour)
	for i := 0; i < 6; i++ {
		e.lapsedClient(t, "bella", fmt.Sprintf("Lena%d", i), fmt.Sprintf("0412 555 %03d", i))
	}
	gate := &gateSender{entered: make(chan struct{}), tick: make(chan struct{}), done: make(chan struct{})}
	t.Cleanup(func() {
		select {
		case <-gate.done:
		default:
			close(gate.done) // a failed test never leaves a send waiting on the gate
		}
	})
	e.dispatch.Senders = messaging.Senders{SMS: gate, Email: gate}
	owner := e.login("owner", "bella")
	id := scheduledWinBack(t, e, owner)
	e.clk.Advance(31 * time.Second)
	d := doc(t, owner.htmxPost(fmt.Sprintf("/app/bella/concierge/actions/%d/fire", id), nil))
	// The request came back while the first hand-over waits on the provider.
	if got := d.Find(`[data-testid="sending-progress"]`).Text(); !strings.Contains(got, "of 6 handed over") || gate.sent.Load() != 0 {
		t.Fatalf("a sending card with progress: %s", d.Text())
	}
	for range 2 {
		<-gate.entered
		gate.tick <- struct{}{}
	}
	// Stop while the third hand-over is with the provider: it completes, no fourth starts.
	<-gate.entered
	e.app.ConciergeService().StopSending()
	gate.tick <- struct{}{}
	e.waitSends()
	a, _ := e.st.Action(t.Context(), e.venues["bella"].ID, id)
	if a.Status != salon.StatusExecuting || gate.sent.Load() != 3 {
		t.Fatalf("stopped half way: %s after %d sends", a.Status, gate.sent.Load())
	}
	d = doc(t, owner.htmxGet(fmt.Sprintf("/app/bella/concierge/actions/%d/card", id)))
	if got := d.Find(`[data-testid="sending-progress"]`).Text(); !strings.Contains(got, "3 of 6 handed over") {
		t.Fatalf("progress after the stop: %s", got)
	}
	// The next start resumes from the queued rows.
	close(gate.done)
	if err := (jobs.ResumeSends{Concierge: e.app.ConciergeService(), AtStart: true}).Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	a, _ = e.st.Action(t.Context(), e.venues["bella"].ID, id)
	var dupes int
	dupes = e.count(`SELECT count(*) FROM (SELECT client_id FROM messages WHERE action_id = ? GROUP BY client_id HAVING count(*) > 1)`, id)
	if a.Status != salon.StatusExecuted || a.ResultSummary != "Sent 6, failed 0" || gate.sent.Load() != 6 || dupes != 0 {
		t.Fatalf("resumed: %s %q, %d provider calls, %d duplicates", a.Status, a.ResultSummary, gate.sent.Load(), dupes)
	}
}
