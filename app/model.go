package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"concierge/llm"
	"concierge/salon"
	"concierge/store"
)

// Model is the language model the Concierge may use; nil means rule-based only.
type Model interface {
	RunTools(ctx context.Context, system, user string, tools []llm.Tool, answer llm.Answer) ([]llm.ToolCall, string, error)
	Complete(ctx context.Context, system, user string) (string, error)
}

// proposeArgs are the arguments of every propose_* tool.
type proposeArgs struct {
	Cohort     string `json:"cohort"`
	WindowDays int    `json:"window_days"`
	ClientID   int64  `json:"client_id"`
	Service    string `json:"service"`
	Week       bool   `json:"week"`
	Tomorrow   bool   `json:"tomorrow"`
}

var cohortEnum = []string{"vips", "top_spenders", "regulars", "new_this_month", "lapsed"}

func obj(props map[string]any, required ...string) map[string]any {
	o := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// tools lists what the model may call: three lookups answered in code, and one
// propose_* tool per action this person may originate.
func (t *turn) tools() []llm.Tool {
	out := []llm.Tool{
		{Name: "lookup_client", Description: "Find clients of this venue by name, phone or email. Returns up to 5 matches with their ids.",
			Parameters: obj(map[string]any{"name": map[string]any{"type": "string"}}, "name")},
		{Name: "list_gaps", Description: "List open slots in the staff's working hours.",
			Parameters: obj(map[string]any{"when": map[string]any{"type": "string", "enum": []string{"tomorrow", "next_14_days"}}}, "when")},
		{Name: "count_audience", Description: "Count the clients in a cohort and how many can be messaged.",
			Parameters: obj(map[string]any{"cohort": map[string]any{"type": "string", "enum": cohortEnum},
				"window_days": map[string]any{"type": "integer", "enum": []int{30, 60, 90, 180}}}, "cohort")},
	}
	args := obj(map[string]any{
		"cohort":      map[string]any{"type": "string", "enum": cohortEnum},
		"window_days": map[string]any{"type": "integer", "enum": []int{30, 60, 90, 180}},
		"client_id":   map[string]any{"type": "integer", "description": "from lookup_client"},
		"service":     map[string]any{"type": "string"},
		"week":        map[string]any{"type": "boolean", "description": "this week / last 7 days rather than today"},
		"tomorrow":    map[string]any{"type": "boolean"},
	})
	for _, a := range salon.Catalogue {
		if a.ID == salon.EnableReconnect { // surfaces by itself, never on request
			continue
		}
		if !salon.Decide(a.ID, t.w.Member.Role, true, t.w.Venue.Solo).Allowed {
			continue
		}
		out = append(out, llm.Tool{Name: "propose_" + string(a.ID), Description: a.Name + ": " + a.Executes + ".", Parameters: args})
	}
	return out
}

// selectWithModel lets the model choose actions by tool calls. Its choices become an
// intent that goes through exactly the same role and gate checks as the router's.
func (t *turn) selectWithModel(ctx context.Context) (salon.Intent, string, error) {
	v := t.w.Venue
	system := fmt.Sprintf(`You are the Concierge of %s, a salon. Staff ask you for help with their clients and calendar.
Choose the actions that fit the request by calling propose_ tools; call lookup_client first when a client is named,
and list_gaps or count_audience when you need numbers. Only propose actions you have tools for. Reply in one or two
short sentences of British English.`, v.Name)
	var in salon.Intent
	answer := func(ctx context.Context, call llm.ToolCall) (string, bool, error) {
		switch call.Name {
		case "lookup_client":
			var a struct{ Name string }
			json.Unmarshal([]byte(call.Arguments), &a)
			matches, err := t.s.Store.FindClients(ctx, v.ID, a.Name, 5)
			if err != nil {
				return "", false, err
			}
			type hit struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
			}
			var hits []hit
			for _, c := range matches {
				hits = append(hits, hit{c.ID, c.FullName()})
				if t.lookedUp == nil {
					t.lookedUp = map[int64]bool{}
				}
				t.lookedUp[c.ID] = true // the only ids a proposal may name
			}
			b, _ := json.Marshal(hits)
			return string(b), false, nil
		case "list_gaps":
			var a struct{ When string }
			json.Unmarshal([]byte(call.Arguments), &a)
			from, to := t.now, t.now.Add(salon.GapHorizon)
			if a.When == "tomorrow" {
				l := t.now.In(t.loc())
				from = time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, t.loc())
				to = from.AddDate(0, 0, 1)
			}
			gaps, err := t.s.Store.Gaps(ctx, v, from, to)
			if err != nil {
				return "", false, err
			}
			var list []string
			for i, g := range gaps {
				if i == 10 {
					break
				}
				list = append(list, g.Start.In(t.loc()).Format("Mon 2 Jan 15:04")+"–"+g.End.In(t.loc()).Format("15:04")+" with "+g.StaffName)
			}
			return fmt.Sprintf("%d open slots: %s", len(gaps), strings.Join(list, "; ")), false, nil
		case "count_audience":
			var a proposeArgs
			json.Unmarshal([]byte(call.Arguments), &a)
			cohort, ok := salon.ParseCohort(a.Cohort)
			if !ok {
				return "unknown cohort", false, nil
			}
			aud, err := t.s.Store.AudienceCounts(ctx, v, store.AudienceRequest{Cohort: cohort, WindowDays: a.WindowDays, WaveCap: cohort == salon.CohortLapsed})
			if err != nil {
				return "", false, err
			}
			return fmt.Sprintf("%d in the cohort, %d can be messaged", aud.Count, aud.SendableCount), false, nil
		}
		if id, ok := strings.CutPrefix(call.Name, "propose_"); ok {
			if _, known := salon.LookupAction(salon.ActionID(id)); known {
				var a proposeArgs
				json.Unmarshal([]byte(call.Arguments), &a)
				in.Actions = append(in.Actions, salon.ActionID(id))
				if c, ok := salon.ParseCohort(a.Cohort); ok && in.Cohort == "" {
					in.Cohort = c
				}
				if in.WindowDays == 0 {
					in.WindowDays = a.WindowDays
				}
				if in.ClientID == 0 {
					in.ClientID = a.ClientID
				}
				if in.Service == "" {
					in.Service = a.Service
				}
				in.Week, in.Tomorrow = in.Week || a.Week, in.Tomorrow || a.Tomorrow
				return "", true, nil
			}
		}
		return "unknown tool", false, nil
	}
	_, text, err := t.s.Model.RunTools(ctx, system, t.text, t.tools(), answer)
	return in, text, err
}

const draftSystem = `You write messages a salon sends to its clients. Write the message text only, nothing else.
Friendly, professional, not pushy. British English spelling (colour, personalise). Texts at most 280 characters.
Keep merge fields such as {{FirstName}}, {{ServiceName}}, {{StaffName}}, {{Date}} and {{DealLink}} exactly as written, and any link exactly.`

// modelText asks the model for a message and checks it: non-empty, within the SMS
// limit, and keeping every merge variable and link of the template.
func (s *Service) modelText(ctx context.Context, venueID int64, channel salon.Channel, prompt, template string) (string, bool) {
	if s.Model == nil {
		return "", false
	}
	if ok, err := s.Store.SpendSparks(ctx, venueID, 1); err != nil || !ok {
		return "", false // no Sparks left: the template stands
	}
	out, err := s.Model.Complete(ctx, draftSystem, prompt)
	// A model that writes an older spelling ({{name}}) gets today's ({{FirstName}}).
	out = salon.CanonicalMergeFields(strings.Trim(strings.TrimSpace(out), `"`))
	if err != nil || out == "" || (channel == salon.SMS && salon.OverSMSLimit(out)) {
		if err != nil && s.Log != nil {
			s.Log.Warn("model draft failed", "err", err)
		}
		return "", false
	}
	for _, keep := range mustKeep(template) {
		if !strings.Contains(out, keep) {
			return "", false
		}
	}
	return out, true
}

// mustKeep lists the merge variables and links a model draft has to keep.
func mustKeep(template string) []string {
	var out []string
	for _, f := range strings.Fields(template) {
		f = strings.TrimRight(f, ".,!?:;")
		if strings.HasPrefix(f, "{{") || strings.HasPrefix(f, "http://") || strings.HasPrefix(f, "https://") {
			out = append(out, f)
		}
	}
	return out
}

// modelDraft rewrites a card's template draft with the model, 1 Spark per draft.
func (t *turn) modelDraft(ctx context.Context, n *store.NewAction) {
	a, _ := salon.LookupAction(n.Kind)
	prompt := fmt.Sprintf("Action: %s. Venue: %s. What the staff member asked: %q. What we know: %s\nRewrite this draft in your own words: %s",
		a.Name, t.w.Venue.Name, t.text, strings.Join(t.lines, " "), n.Body)
	if body, ok := t.s.modelText(ctx, t.w.Venue.ID, n.Channel, prompt, n.Body); ok {
		n.Body = body
		if n.Audience > 0 {
			n.CostE4 = batchCost(t.w.Venue, body, n.Audience)
		}
	}
}
