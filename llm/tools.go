package llm

import (
	"context"
	"errors"
	"fmt"
	"strings"

	openai "github.com/sashabaranov/go-openai"
)

// Tool is a function the model may call, with a JSON-schema object for its arguments.
type Tool struct {
	Name        string
	Description string
	Parameters  map[string]any
}

// ToolCall is one call the model made.
type ToolCall struct {
	Name      string
	Arguments string // JSON
}

// Answer handles one tool call. final=true means the call is a decision the caller
// acts on (it is returned, not answered); otherwise result is sent back to the model.
type Answer func(ctx context.Context, call ToolCall) (result string, final bool, err error)

// maxRounds bounds the tool conversation (lookups before a decision).
const maxRounds = 4

// RunTools has the model pick tools for the user's message: information tools are
// answered through answer and the conversation continues; it ends when the model
// makes final calls or replies in plain text, all within the client's deadline.
func (c *Client) RunTools(ctx context.Context, system, user string, tools []Tool, answer Answer) (final []ToolCall, text string, err error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var defs []openai.Tool
	for _, t := range tools {
		defs = append(defs, openai.Tool{Type: openai.ToolTypeFunction, Function: &openai.FunctionDefinition{
			Name: t.Name, Description: t.Description, Parameters: t.Parameters}})
	}
	msgs := []openai.ChatCompletionMessage{
		{Role: openai.ChatMessageRoleSystem, Content: system},
		{Role: openai.ChatMessageRoleUser, Content: user},
	}
	for round := 0; round < maxRounds; round++ {
		resp, err := c.api.CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: c.model, Messages: msgs, Tools: defs})
		if err != nil {
			return nil, "", mapErr(err)
		}
		if len(resp.Choices) == 0 {
			return nil, "", errors.New("llm: the model returned no choices")
		}
		m := resp.Choices[0].Message
		if len(m.ToolCalls) == 0 {
			return final, strings.TrimSpace(m.Content), nil
		}
		msgs = append(msgs, m)
		answered := false
		for _, tc := range m.ToolCalls {
			call := ToolCall{Name: tc.Function.Name, Arguments: tc.Function.Arguments}
			result, isFinal, err := answer(ctx, call)
			if err != nil {
				return nil, "", err
			}
			if isFinal {
				final = append(final, call)
				result = "ok"
			} else {
				answered = true
			}
			msgs = append(msgs, openai.ChatCompletionMessage{Role: openai.ChatMessageRoleTool, ToolCallID: tc.ID, Content: result})
		}
		if !answered { // only decisions: nothing more to ask the model
			return final, strings.TrimSpace(m.Content), nil
		}
	}
	return final, "", fmt.Errorf("llm: no decision after %d rounds", maxRounds)
}

func mapErr(err error) error {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) && apiErr.HTTPStatusCode == 429 {
		return ErrRateLimited
	}
	return fmt.Errorf("llm: %w", err)
}
