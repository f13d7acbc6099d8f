package handlers_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"concierge/salon"
)

// TestEveryActionRouteChecksTheViewerRule: Staff reach nothing of an action someone
// else created — not its page, not its card through /card or /fire, not any POST —
// while an Owner or Manager of the venue still can.
func TestEveryActionRouteChecksTheViewerRule(t *testing.T) {
	e := newEnv(t)
	e.clk.Advance(-3 * time.Hour) // 09:00 Sydney, outside quiet hours
	for i := 0; i < 3; i++ {
		e.lapsedClient(t, "bella", fmt.Sprintf("Lena%d", i), fmt.Sprintf("0412 555 %03d", i))
	}
	owner := e.login("owner", "bella")
	id := scheduledWinBack(t, e, owner)
	a, err := e.st.Action(t.Context(), e.venues["bella"].ID, id)
	if err != nil {
		t.Fatal(err)
	}
	var routes [][2]string
	for _, rt := range appRoutes(t, e) {
		if strings.HasPrefix(rt[1], "/app/:slug/concierge/actions/:id") {
			routes = append(routes, rt)
		}
	}
	if len(routes) < 10 {
		t.Fatalf("expected every action route, found %d", len(routes))
	}
	staff := e.login("staff", "bella")
	for _, rt := range routes {
		path := strings.NewReplacer(":slug", "bella", ":id", fmt.Sprint(id)).Replace(rt[1])
		for _, htmx := range []bool{false, true} {
			var res *http.Response
			switch {
			case rt[0] == http.MethodGet && htmx:
				res = staff.htmxGet(path)
			case rt[0] == http.MethodGet:
				res = staff.get(path)
			case htmx:
				res = staff.htmxPost(path, url.Values{"body": {"Mine now"}, "title": {"Mine"}, "window_days": {"60"}})
			default:
				res = staff.post(path, url.Values{"body": {"Mine now"}, "title": {"Mine"}, "window_days": {"60"}})
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("staff %s %s (htmx %v) = %d, want 404", rt[0], path, htmx, res.StatusCode)
			}
			if strings.Contains(string(body), a.Title) || strings.Contains(string(body), `data-testid="action-card"`) {
				t.Errorf("staff %s %s (htmx %v) shows the owner's card", rt[0], path, htmx)
			}
		}
	}
	after, _ := e.st.Action(t.Context(), e.venues["bella"].ID, id)
	if after.Status != salon.StatusScheduled || after.Body != a.Body || after.Title != a.Title {
		t.Fatalf("staff requests changed the owner's action: %s %q", after.Status, after.Title)
	}
	// The manager sees it (the detail page and the card the countdown polls).
	manager := e.login("manager", "bella")
	for _, p := range []string{"", "/card"} {
		res := manager.get(fmt.Sprintf("/app/bella/concierge/actions/%d%s", id, p))
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("manager GET %q: %d", p, res.StatusCode)
		}
	}
	d := doc(t, manager.htmxPost(fmt.Sprintf("/app/bella/concierge/actions/%d/fire", id), nil))
	if d.Find(`[data-testid="action-card"]`).Length() != 1 {
		t.Fatalf("the manager's fire shows the card: %s", d.Text())
	}
}
