package handlers_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"concierge/llm"
)

// fakeModel is an httptest stand-in for an OpenAI-compatible chat-completions API.
type fakeModel struct {
	srv   *httptest.Server
	calls atomic.Int32
	// cut receives a value for each request whose caller gave up while it waited.
	cut chan struct{}
	// done is closed when the test ends, releasing handlers that wait for a cancellation.
	done    chan struct{}
	release func()
}

type chatRequest struct {
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	Tools []json.RawMessage `json:"tools"`
	// ctx is the request's context: a handler may wait on it like a model that never answers.
	ctx context.Context
	f   *fakeModel
}

// hang answers nothing until the caller gives up (or the test ends): a model that
// never replies, so only the caller's deadline ends the call.
func hang(w http.ResponseWriter, req chatRequest) {
	select {
	case <-req.ctx.Done():
		req.f.cut <- struct{}{}
	case <-req.f.done:
	}
}

func toolCall(name, args string) string {
	b, _ := json.Marshal(map[string]any{"choices": []any{map[string]any{"message": map[string]any{"role": "assistant", "content": "",
		"tool_calls": []any{map[string]any{"id": "call_1", "type": "function", "function": map[string]any{"name": name, "arguments": args}}}}}}})
	return string(b)
}

func textReply(s string) string {
	b, _ := json.Marshal(map[string]any{"choices": []any{map[string]any{"message": map[string]any{"role": "assistant", "content": s}}}})
	return string(b)
}

var linkRe = regexp.MustCompile(`https?://\S+`)

// newFakeModel scripts the model: with tools, it looks the client up, then proposes
// client outreach for the id it got back; without tools (drafting) it writes a text
// that keeps the template's link.
func newFakeModel(t *testing.T, handler func(w http.ResponseWriter, r chatRequest)) *fakeModel {
	f := &fakeModel{done: make(chan struct{}), cut: make(chan struct{}, 16)}
	var once sync.Once
	f.release = func() { once.Do(func() { close(f.done) }) }
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.calls.Add(1)
		var req chatRequest
		json.NewDecoder(r.Body).Decode(&req)
		req.ctx, req.f = r.Context(), f
		w.Header().Set("Content-Type", "application/json")
		handler(w, req)
	}))
	t.Cleanup(f.srv.Close)
	t.Cleanup(f.release) // runs first: Close waits for the handlers
	return f
}

func scriptedModel(w http.ResponseWriter, req chatRequest) {
	last := req.Messages[len(req.Messages)-1]
	switch {
	case len(req.Tools) > 0 && last.Role == "user":
		io.WriteString(w, toolCall("lookup_client", `{"name":"Sarah"}`))
	case len(req.Tools) > 0 && last.Role == "tool":
		var hits []struct{ ID int64 }
		json.Unmarshal([]byte(last.Content), &hits)
		io.WriteString(w, toolCall("propose_client_outreach", `{"client_id":`+itoa(hits[0].ID)+`}`))
	default:
		link := linkRe.FindString(last.Content)
		io.WriteString(w, textReply("Hi Sarah, we've missed you! Fancy a colour refresh soon? Book here: "+link))
	}
}

func withModel(url string, timeout time.Duration) func(*envConfig) {
	return func(c *envConfig) {
		c.Model = llm.New(llm.Config{APIKey: "sk-test", BaseURL: url, Model: "test-model", Timeout: timeout})
	}
}

func sparks(t *testing.T, e *env, slug string) int64 {
	v, _ := e.st.Venue(t.Context(), e.venues[slug].ID)
	return v.Sparks
}

func TestModelPicksActionsByToolCalls(t *testing.T) {
	f := newFakeModel(t, scriptedModel)
	e := newEnv(t, withModel(f.srv.URL, 5*time.Second))
	before := sparks(t, e, "bella")
	// The router understands nothing here; the model looks Sarah up and proposes outreach.
	d := e.login("owner", "bella").chat(t, "bella", "Sarah hasn't been in for ages, could you nudge her?")
	card := cardOf(d, "client_outreach")
	if card.Length() != 1 {
		t.Fatalf("want a client outreach card from the model's tool calls: %s", d.Text())
	}
	body := card.Find("textarea[name=body]").Text()
	if !strings.HasPrefix(body, "Hi Sarah, we've missed you!") || !strings.Contains(body, "https://concierge.example.com/book/bella") {
		t.Fatalf("the draft is the model's, keeping the link: %q", body)
	}
	if got := sparks(t, e, "bella"); got != before-2 {
		t.Fatalf("1 Spark for the selector turn and 1 for the draft: %d → %d", before, got)
	}
	if oob := d.Find(`#sparks[hx-swap-oob]`).Text(); oob != itoa(before-2)+" Sparks left · 2 of 200 Sparks used this month" {
		t.Fatalf("the balance on the page updates: %q", oob)
	}
	if f.calls.Load() != 3 {
		t.Fatalf("want 3 model calls (lookup, propose, draft), got %d", f.calls.Load())
	}
}

func TestModelGatesStillApply(t *testing.T) {
	// The model proposes a win-back for Staff: the tool is not even offered, and if the
	// model insists the role rule in code refuses it.
	f := newFakeModel(t, func(w http.ResponseWriter, req chatRequest) {
		for _, raw := range req.Tools {
			if strings.Contains(string(raw), "propose_win_back") {
				t.Errorf("staff must not be offered the win-back tool")
			}
		}
		io.WriteString(w, toolCall("propose_win_back", `{"window_days":60}`))
	})
	e := newEnv(t, withModel(f.srv.URL, 5*time.Second))
	d := e.login("staff", "bella").chat(t, "bella", "get my lapsed clients back")
	if d.Find(`[data-testid="action-card"]`).Length() != 0 || !strings.Contains(d.Text(), "Only an Owner or Manager") {
		t.Fatalf("no card, and the reason: %s", d.Text())
	}
}

func TestModelFailuresFallBackToTheRouter(t *testing.T) {
	cases := map[string]func(w http.ResponseWriter, req chatRequest){
		// The model never answers: only the injected 300 ms deadline ends the call.
		"timeout": hang,
		"429": func(w http.ResponseWriter, req chatRequest) {
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"error":{"message":"Rate limit reached","type":"requests"}}`)
		},
		"garbage": func(w http.ResponseWriter, req chatRequest) { io.WriteString(w, `{"choices":[]}`) },
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFakeModel(t, h)
			e := newEnv(t, withModel(f.srv.URL, 300*time.Millisecond))
			u := e.login("staff", "bella")
			// The turn runs against a real HTTP server; a bound on the wall clock is the
			// only way to see that the deadline, not the fake, ended it.
			turn := make(chan *http.Response, 1)
			go func() {
				turn <- u.htmxPost("/app/bella/concierge/turns", url.Values{"message": {"fill my gaps tomorrow"}})
			}()
			var res *http.Response
			select {
			case res = <-turn:
			case <-time.After(5 * time.Second):
				f.release() // let the app finish so the servers can close
				t.Fatalf("the deadline must bound the turn: no answer after 5s (%d model calls)", f.calls.Load())
			}
			if res.StatusCode != 200 {
				res.Body.Close()
				t.Fatalf("turn: %d", res.StatusCode)
			}
			d := doc(t, res)
			if f.calls.Load() == 0 {
				t.Fatal("the model was never called, so nothing fell back")
			}
			if cardOf(d, "flash_deal").Length() != 1 {
				t.Fatalf("the router's card is there: %s", d.Text())
			}
			if name == "timeout" {
				// The server sees the client hang up a moment after the client gives up.
				select {
				case <-f.cut:
				case <-time.After(5 * time.Second):
					t.Fatal("the call to the model was not cut off by the deadline")
				}
			}
		})
	}
}

func TestZeroSparksNeverCallsTheModel(t *testing.T) {
	f := newFakeModel(t, scriptedModel)
	e := newEnv(t, withModel(f.srv.URL, 5*time.Second))
	e.st.DB().Exec(`UPDATE venues SET sparks = 0 WHERE id = ?`, e.venues["bella"].ID)
	d := e.login("owner", "bella").chat(t, "bella", "text Sarah")
	card := cardOf(d, "client_outreach")
	if card.Length() != 1 || f.calls.Load() != 0 {
		t.Fatalf("router and template at zero Sparks, no model call: %d calls, %s", f.calls.Load(), d.Text())
	}
	if !strings.Contains(card.Find("textarea[name=body]").Text(), "We'd love to see you again soon") {
		t.Fatal("the fallback template is the draft")
	}
	if sparks(t, e, "bella") != 0 {
		t.Fatal("Sparks never go below zero")
	}
}
