package store_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"concierge/salon"
	"concierge/store"
)

// Migration 00017 rewrites the older merge-field spellings in open drafts to the one
// syntax, and leaves sent actions' text as it was sent. Its Up statement is run again
// on rows written the old way.
func TestMergeFieldMigrationRewritesOpenDrafts(t *testing.T) {
	f := newFixture(t, salon.AU)
	ctx := context.Background()
	owner, _, _ := f.users(t)
	open, err := f.st.CreateAction(ctx, f.venue.ID, store.NewAction{Kind: salon.Reschedule, Tier: salon.Draft, CreatedBy: owner, Title: "Move",
		Subject: "For {{name}}", Body: "Hi {{name}}, moved to {{date}} with {{staff}} for your {{service}}. {{deal_link}} {{ReviewLink}}"})
	if err != nil {
		t.Fatal(err)
	}
	sent, err := f.st.CreateAction(ctx, f.venue.ID, store.NewAction{Kind: salon.WinBack, Tier: salon.Draft, CreatedBy: owner, Title: "Sent", Body: "Hi {{name}}"})
	if err != nil {
		t.Fatal(err)
	}
	f.st.DB().Exec(`UPDATE actions SET status = 'executed' WHERE id = ?`, sent.ID)
	raw, err := os.ReadFile("migrations/00017_merge_field_syntax.sql")
	if err != nil {
		t.Fatal(err)
	}
	up := strings.SplitN(strings.SplitN(string(raw), "-- +goose Down", 2)[0], "-- +goose Up", 2)[1]
	if _, err := f.st.DB().Exec(up); err != nil {
		t.Fatal(err)
	}
	a, _ := f.st.Action(ctx, f.venue.ID, open.ID)
	if a.Body != "Hi {{FirstName}}, moved to {{Date}} with {{StaffName}} for your {{ServiceName}}. {{DealLink}} {{ReviewLink}}" || a.Subject != "For {{FirstName}}" {
		t.Fatalf("open draft: %q / %q", a.Subject, a.Body)
	}
	if s, _ := f.st.Action(ctx, f.venue.ID, sent.ID); s.Body != "Hi {{name}}" {
		t.Fatalf("a sent action keeps its text: %q", s.Body)
	}
}
