package llm_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"concierge/llm"
)

func TestComplete(t *testing.T) {
	var got struct {
		Model    string `json:"model"`
		Messages []struct{ Role, Content string }
	}
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" || r.Header.Get("Authorization") != "Bearer sk-test" {
			t.Errorf("unexpected request %s %s", r.URL.Path, r.Header.Get("Authorization"))
		}
		json.NewDecoder(r.Body).Decode(&got)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"choices":[{"message":{"role":"assistant","content":"  Hi Sarah!  "}}]}`)
	}))
	defer fake.Close()
	c := llm.New(llm.Config{APIKey: "sk-test", BaseURL: fake.URL + "/v1", Model: "test-model"})
	out, err := c.Complete(context.Background(), "be kind", "hello")
	if err != nil || out != "Hi Sarah!" {
		t.Fatalf("got %q %v", out, err)
	}
	if got.Model != "test-model" || len(got.Messages) != 2 || got.Messages[0].Role != "system" || got.Messages[1].Content != "hello" {
		t.Fatalf("unexpected body %+v", got)
	}
}

func TestCompleteErrors(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer slow.Close()
	defer close(release) // runs first, so Close does not wait on the handler
	start := time.Now()
	_, err := llm.New(llm.Config{APIKey: "k", BaseURL: slow.URL, Timeout: 100 * time.Millisecond}).Complete(context.Background(), "s", "u")
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("want a deadline error quickly, got %v after %s", err, time.Since(start))
	}
	limited := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(429)
		io.WriteString(w, `{"error":{"message":"slow down","type":"rate_limit"}}`)
	}))
	defer limited.Close()
	if _, err := llm.New(llm.Config{APIKey: "k", BaseURL: limited.URL}).Complete(context.Background(), "s", "u"); !errors.Is(err, llm.ErrRateLimited) {
		t.Fatalf("want rate limited, got %v", err)
	}
}

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{}
	if _, ok := llm.ConfigFromEnv(func(k string) string { return env[k] }); ok {
		t.Fatal("no key: rule-based")
	}
	env["OPENAI_API_KEY"] = "sk"
	cfg, ok := llm.ConfigFromEnv(func(k string) string { return env[k] })
	if !ok || cfg.Model != llm.DefaultModel {
		t.Fatalf("%+v", cfg)
	}
}
