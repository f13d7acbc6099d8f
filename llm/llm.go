// Package llm talks to any OpenAI-compatible chat-completions endpoint (base URL and
// model are settings). Every call carries a deadline: go-openai's default HTTP client
// has no timeout. Callers fall back to rule-based behaviour on any error.
package llm

import (
	"context"
	"errors"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// DefaultModel is used when OPENAI_MODEL is not set.
const DefaultModel = "gpt-4o-mini"

// DefaultTimeout bounds every model call.
const DefaultTimeout = 15 * time.Second

// Config selects the endpoint.
type Config struct {
	APIKey  string
	BaseURL string // empty: OpenAI
	Model   string
	Timeout time.Duration
}

// ConfigFromEnv reads OPENAI_API_KEY, OPENAI_BASE_URL and OPENAI_MODEL; ok is false
// when no key is set (the app then runs its rule-based concierge).
func ConfigFromEnv(getenv func(string) string) (Config, bool) {
	cfg := Config{APIKey: getenv("OPENAI_API_KEY"), BaseURL: getenv("OPENAI_BASE_URL"), Model: getenv("OPENAI_MODEL")}
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	return cfg, cfg.APIKey != ""
}

// Client is a chat-completions client.
type Client struct {
	api     *openai.Client
	model   string
	timeout time.Duration
}

// New builds a client for cfg.
func New(cfg Config) *Client {
	oc := openai.DefaultConfig(cfg.APIKey)
	if cfg.BaseURL != "" {
		oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	return &Client{api: openai.NewClientWithConfig(oc), model: cfg.Model, timeout: cfg.Timeout}
}

// ErrRateLimited is returned for a 429 from the endpoint.
var ErrRateLimited = errors.New("llm: rate limited")

// Complete asks for one reply to a system prompt and a user message.
func (c *Client) Complete(ctx context.Context, system, user string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	resp, err := c.api.CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model: c.model,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: system},
			{Role: openai.ChatMessageRoleUser, Content: user},
		},
	})
	if err != nil {
		return "", mapErr(err)
	}
	if len(resp.Choices) == 0 {
		return "", errors.New("llm: the model returned no choices")
	}
	return strings.TrimSpace(resp.Choices[0].Message.Content), nil
}
