package app

import (
	"context"

	"concierge/salon"
	"concierge/store"
)

// Client Reconnect and the post-visit rebook nudge.

// DefaultReconnectTemplate and the follow-up are the built-in texts; venues edit theirs.
const (
	DefaultReconnectTemplate = "Hi {{FirstName}}, it's been a while since your last {{CategoryName}} visit at {{BusinessName}}. " +
		"Shall we book you in? {{BookingLink}}"
	DefaultFollowupTemplate = "Hi {{FirstName}}, just checking in from {{BusinessName}}: your next {{CategoryName}} appointment is due. " +
		"{{BookingLink}}"
	// The reconnect emails' subjects when the venue has set none: an email never goes
	// without one.
	DefaultReconnectSubject = "Time for your next visit at {{BusinessName}}"
	DefaultFollowupSubject  = "Your next {{CategoryName}} visit at {{BusinessName}}"
	DefaultRebookTemplate   = "Hi {{FirstName}}, thanks for visiting {{BusinessName}}! Ready to book your next visit? {{BookingLink}}"
)

func orDefault(t, def string) string {
	if t == "" {
		return def
	}
	return t
}

// NewReconnect drafts the message to the clients overdue in a category (0: every
// category) as a cohort outreach card: the normal audience preview, filters, quiet
// hours, approval and hold-to-confirm apply when it is sent.
func (s *Service) NewReconnect(ctx context.Context, w Who, categoryID int64, categoryName string) (salon.ConciergeAction, error) {
	n, _, err := s.draftReconnect(ctx, w, categoryID, categoryName, false)
	if err != nil {
		return salon.ConciergeAction{}, err
	}
	return s.Store.CreateAction(ctx, w.Venue.ID, n)
}

// draftReconnect is the reconnect card before it is stored, with its audience counted
// (freshOnly: only clients not yet sent a reconnect since their last visit in the
// category, the daily automation's "newly overdue").
func (s *Service) draftReconnect(ctx context.Context, w Who, categoryID int64, categoryName string, freshOnly bool) (store.NewAction, store.Audience, error) {
	rs, err := s.Store.Reconnect(ctx, w.Venue.ID)
	if err != nil {
		return store.NewAction{}, store.Audience{}, err
	}
	act, _ := salon.LookupAction(salon.CohortOutreach)
	ch, also := reconnectChannel(w.Venue, rs.Channel)
	title := "Reconnect with every overdue client"
	if categoryID != 0 {
		title = "Reconnect with clients overdue for " + categoryName
	}
	n := store.NewAction{Kind: salon.CohortOutreach, Tier: act.Tier, CreatedBy: w.User.ID, Title: title, Channel: ch,
		Subject: orDefault(rs.Subject, DefaultReconnectSubject), Body: orDefault(rs.Template, DefaultReconnectTemplate),
		Params: salon.ActionParams{Cohort: salon.CohortOverdue, CategoryID: categoryID, AlsoEmail: also, FreshOnly: freshOnly}}
	aud, err := s.Store.AudienceCounts(ctx, w.Venue, AudienceRequestFor(salon.ConciergeAction{Kind: n.Kind, Channel: ch, Params: n.Params}))
	if err != nil {
		return n, aud, err
	}
	n.Audience, n.CostE4 = aud.SendableCount, batchCost(w.Venue, n.Body, aud.SendableCount)
	return n, aud, nil
}

// overdueCategories names, per overdue client, every category a reconnect action is
// sending them about (seed 003: "Contact All Overdue Clients … for every service you
// offer"): one message names them all ("Colour and Cut & Style"), most overdue first;
// the daily automation names only the categories not yet sent about.
func (s *Service) overdueCategories(ctx context.Context, v salon.Venue, p salon.ActionParams) (map[int64]string, error) {
	names, err := s.Store.CategoryNames(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	overdue, err := s.Store.OverdueCategories(ctx, v, p.CategoryID, p.FreshOnly)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(overdue))
	for client, cats := range overdue {
		out[client] = categoryList(names, cats)
	}
	return out, nil
}

// categoryList names categories by id in one phrase (salon.CategoryList).
func categoryList(names map[int64]string, ids []int64) string {
	list := make([]string, 0, len(ids))
	for _, id := range ids {
		list = append(list, names[id])
	}
	return salon.CategoryList(list)
}

// EmailAlsoCount is how many clients a reconnect sent by SMS and email ("both") emails
// as well, from the email audience worked out on its own (0 for any other card): the
// preview and the Send button count them apart from the texts (seeds 002/003: "send a
// simple SMS or Email or both").
func (s *Service) EmailAlsoCount(ctx context.Context, v salon.Venue, a salon.ConciergeAction) (int, error) {
	if !a.Params.AlsoEmail {
		return 0, nil
	}
	req := AudienceRequestFor(a)
	req.Channel = salon.Email
	aud, err := s.Store.AudienceCounts(ctx, v, req)
	return aud.SendableCount, err
}

// reconnectChannel is the main channel and whether an email goes as well.
func reconnectChannel(v salon.Venue, setting string) (salon.Channel, bool) {
	switch {
	case !v.Country.SendsSMS() || setting == "email":
		return salon.Email, false
	case setting == "both":
		return salon.SMS, true
	}
	return salon.SMS, false
}

// RunReconnectAutomation sends the day's first messages to newly overdue clients in
// every venue that has the automation on, once a venue day, at or after its time and
// outside quiet hours.
func (s *Service) RunReconnectAutomation(ctx context.Context) error {
	venues, err := s.Store.Venues(ctx)
	if err != nil {
		return err
	}
	now := s.Store.Now()
	for _, v := range venues {
		rs, err := s.Store.Reconnect(ctx, v.ID)
		if err != nil {
			return err
		}
		local := now.In(v.Location())
		if !rs.Automatic || v.InQuietHours(now) || local.Hour()*60+local.Minute() < rs.TimeMin {
			continue
		}
		if ok, err := s.Store.ClaimReconnectRun(ctx, v.ID, local.Format("2006-01-02")); err != nil || !ok {
			if err != nil {
				return err
			}
			continue
		}
		owner, err := s.Store.VenueOwner(ctx, v.ID)
		if err != nil {
			return err
		}
		w := Who{Venue: v, User: salon.User{ID: owner}, Member: salon.Membership{Role: salon.Owner}}
		// The newly overdue, counted once: that count proves someone can be sent to.
		n, aud, err := s.draftReconnect(ctx, w, 0, "", true)
		if err != nil {
			return err
		}
		// Nobody newly overdue today: nothing to send, so no action or send is recorded.
		if err := s.someoneToSendCounted(ctx, v, salon.ConciergeAction{Kind: n.Kind, Channel: n.Channel, Params: n.Params}, &aud); err != nil {
			if salon.ErrorCode(err) != salon.CodeConflict {
				return err
			}
			continue
		}
		a, err := s.Store.CreateAction(ctx, v.ID, n)
		if err != nil {
			return err
		}
		claimed, err := s.Store.ClaimExecution(ctx, v.ID, a.ID, owner)
		if err != nil {
			return err
		}
		// Switched on by an Owner or Manager: the daily send needs no further approval.
		if _, err := s.runClaimed(ctx, w, claimed, true); err != nil {
			return err
		}
	}
	return nil
}

// SendReconnectFollowUps sends each due follow-up once: N days after the first
// message, to clients who have not booked the category since, outside quiet hours.
func (s *Service) SendReconnectFollowUps(ctx context.Context) error {
	venues, err := s.Store.Venues(ctx)
	if err != nil {
		return err
	}
	for _, v := range venues {
		if v.InQuietHours(s.Store.Now()) {
			continue
		}
		rs, err := s.Store.Reconnect(ctx, v.ID)
		if err != nil {
			return err
		}
		due, err := s.Store.DueFollowUps(ctx, v.ID, rs.FollowupDays)
		if err != nil {
			return err
		}
		var names map[int64]string
		for _, f := range due {
			if names == nil {
				if names, err = s.Store.CategoryNames(ctx, v.ID); err != nil {
					return err
				}
			}
			c, err := s.Store.Client(ctx, v.ID, f.ClientID)
			if err != nil {
				return err
			}
			if v.Reach(c, f.Channel, salon.PurposeReconnectFollowup) != salon.Reachable {
				continue // opted out or blocked since: no follow-up
			}
			if held, err := s.inConversation(ctx, v.ID, c.ID); err != nil || held {
				if err != nil {
					return err
				}
				continue
			}
			if ok, err := s.Store.ClaimFollowUp(ctx, f.MessageID); err != nil || !ok {
				if err != nil {
					return err
				}
				continue
			}
			// One follow-up names every category of the first message not rebooked since.
			fields := map[string]string{"FirstName": c.FirstName, "CategoryName": categoryList(names, f.CategoryIDs), "BusinessName": v.Name,
				"BookingLink": BookingLink(v, s.publicURL())}
			body := MergeFields(orDefault(rs.FollowupTemplate, DefaultFollowupTemplate), fields)
			subject := MergeFields(orDefault(rs.FollowupSubject, DefaultFollowupSubject), fields)
			m, err := s.Dispatch.SendToClient(ctx, v.ID, c, f.Channel, salon.PurposeReconnectFollowup, subject, body)
			if err != nil {
				s.logger().Warn("reconnect follow-up failed", "client_id", c.ID, "err", err)
			}
			if m.ID != 0 {
				if err := s.Store.RecordFollowUp(ctx, v.ID, m.ID, c.ID, f.CategoryIDs); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// inConversation reports whether a client's inbox thread holds marketing back
// (salon.HoldsMarketing): no nudge goes to someone waiting on an answer or a complaint.
func (s *Service) inConversation(ctx context.Context, venueID, clientID int64) (bool, error) {
	st, err := s.Store.ConversationStatus(ctx, venueID, clientID)
	return salon.HoldsMarketing(st), err
}

// SendRebookPrompts sends the post-visit nudge once per visit, N days after it, to
// clients with nothing booked ahead, outside quiet hours.
func (s *Service) SendRebookPrompts(ctx context.Context) error {
	venues, err := s.Store.Venues(ctx)
	if err != nil {
		return err
	}
	for _, v := range venues {
		_, days, err := s.Store.Automation(ctx, v.ID)
		if err != nil {
			return err
		}
		if days <= 0 || v.InQuietHours(s.Store.Now()) {
			continue
		}
		template, err := s.Store.RebookTemplate(ctx, v.ID)
		if err != nil {
			return err
		}
		due, err := s.Store.DueRebookPrompts(ctx, v.ID, days)
		if err != nil {
			return err
		}
		for _, r := range due {
			c, err := s.Store.Client(ctx, v.ID, r.ClientID)
			if err != nil {
				return err
			}
			if v.Reach(c, v.Channel(), salon.PurposeRebookPrompt) != salon.Reachable {
				continue
			}
			if held, err := s.inConversation(ctx, v.ID, c.ID); err != nil || held {
				if err != nil {
					return err
				}
				continue
			}
			if ok, err := s.Store.ClaimRebookPrompt(ctx, v.ID, r.BookingID); err != nil || !ok {
				if err != nil {
					return err
				}
				continue
			}
			body := MergeFields(orDefault(template, DefaultRebookTemplate), map[string]string{"FirstName": c.FirstName, "BusinessName": v.Name,
				"BookingLink": BookingLink(v, s.publicURL())})
			if _, err := s.Dispatch.SendToClient(ctx, v.ID, c, v.Channel(), salon.PurposeRebookPrompt, "Your next visit at "+v.Name, body); err != nil {
				s.logger().Warn("rebook nudge failed", "client_id", c.ID, "err", err)
			}
		}
	}
	return nil
}

// ReconnectCategory and OverdueClient are the Client Reconnect page's rows.
type (
	ReconnectCategory = store.ReconnectCategory
	OverdueClient     = store.OverdueClient
)

// ReconnectPage is the Client Reconnect page: overdue counts and results per service
// category, the settings, and the overdue clients of the selected category.
type ReconnectPage struct {
	Categories []ReconnectCategory
	Settings   salon.ReconnectSettings
	Overdue    []OverdueClient // of the selected category, at most shown
}

// ReconnectPage loads the page; selected is the category whose clients are listed (0:
// none), up to shown of them.
func (s *Service) ReconnectPage(ctx context.Context, v salon.Venue, selected int64, shown int) (ReconnectPage, error) {
	var p ReconnectPage
	var err error
	if p.Categories, err = s.Store.ReconnectCategories(ctx, v); err != nil {
		return p, err
	}
	if p.Settings, err = s.Store.Reconnect(ctx, v.ID); err != nil {
		return p, err
	}
	for _, cat := range p.Categories {
		if cat.ID == selected {
			p.Overdue, err = s.Store.OverdueClients(ctx, v, cat.ID, shown)
			return p, err
		}
	}
	return p, nil
}

// ContactOverdue drafts the reconnect message to the clients overdue in a category of
// the venue (0: every category) as an action card.
func (s *Service) ContactOverdue(ctx context.Context, w Who, categoryID int64) (salon.ConciergeAction, error) {
	chooseCategory := salon.Invalid(map[string]string{"category_id": "Choose a service category."})
	if categoryID < 0 {
		return salon.ConciergeAction{}, chooseCategory
	}
	name := ""
	if categoryID != 0 {
		names, err := s.Store.CategoryNames(ctx, w.Venue.ID)
		if err != nil {
			return salon.ConciergeAction{}, err
		}
		if name = names[categoryID]; name == "" {
			return salon.ConciergeAction{}, chooseCategory
		}
	}
	return s.NewReconnect(ctx, w, categoryID, name)
}

// ReconnectSettings are the venue's Client Reconnect options.
func (s *Service) ReconnectSettings(ctx context.Context, venueID int64) (salon.ReconnectSettings, error) {
	return s.Store.Reconnect(ctx, venueID)
}

// SaveReconnectSettings validates and saves the reconnect settings; on any error
// nothing changes.
func (s *Service) SaveReconnectSettings(ctx context.Context, w Who, rs salon.ReconnectSettings) error {
	if err := rs.Validate(w.Venue); err != nil {
		return err
	}
	return s.Store.SaveReconnect(ctx, w.Venue, w.User.ID, rs)
}

// RebookNudge is the post-visit rebook nudge's delay in days (0: off) and its text
// ("" the built-in one).
func (s *Service) RebookNudge(ctx context.Context, venueID int64) (days int, template string, err error) {
	if _, days, err = s.Store.Automation(ctx, venueID); err != nil {
		return 0, "", err
	}
	template, err = s.Store.RebookTemplate(ctx, venueID)
	return days, template, err
}

// SaveRebookNudge saves the rebook nudge's delay (0: off) and text ("" the built-in
// one), leaving the reconnect automation switch as it is.
func (s *Service) SaveRebookNudge(ctx context.Context, w Who, days int, template string) error {
	on, _, err := s.Store.Automation(ctx, w.Venue.ID)
	if err != nil {
		return err
	}
	if err := salon.CheckRebookTemplate(template); err != nil {
		return err
	}
	if err := s.Store.SetRebookTemplate(ctx, w.Venue.ID, template); err != nil {
		return err
	}
	if err := salon.CheckRebookPromptDays(days); err != nil {
		return err
	}
	return s.Store.SetAutomation(ctx, w.Venue.ID, w.User.ID, on, days)
}
