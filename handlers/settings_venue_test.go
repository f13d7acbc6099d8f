package handlers_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Settings → Venue: the time zone is picked from a searchable list of IANA zones (and
// still checked on the server), the online booking page is shown absolute with a Copy
// button, and an empty review link says where it is missed.
func TestSettingsVenueZoneBookingURLAndReviewLink(t *testing.T) {
	e := newEnv(t)
	u := e.login("owner", "bella")
	d := doc(t, u.get("/app/bella/settings"))
	zone := d.Find(`[data-testid="time-zone"]`)
	if zone.AttrOr("list", "") != "time-zones" || zone.AttrOr("value", "") != e.venues["bella"].TimeZone {
		t.Fatalf("time zone input offers the zone list: %v", zone.Nodes)
	}
	opts := d.Find(`datalist#time-zones option`)
	var zones []string
	opts.Each(func(_ int, o *goquery.Selection) { zones = append(zones, o.AttrOr("value", "")) })
	if !contains(zones, "Australia/Sydney") || !contains(zones, "Europe/London") || !contains(zones, "Pacific/Auckland") {
		t.Fatalf("the list has the salon zones: %v", zones)
	}

	link := d.Find(`[data-testid="booking-url"]`)
	if got := strings.TrimSpace(link.Text()); !strings.HasPrefix(got, "http") || !strings.HasSuffix(got, "/book/bella") {
		t.Fatalf("booking URL is absolute: %q", got)
	}
	if d.Find(`[data-testid="copy-booking-url"]`).AttrOr("data-copy", "") != "#"+link.AttrOr("id", "-") {
		t.Fatal("a Copy button points at the booking URL")
	}
	res := u.get("/static/app.js")
	js, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(js), `[data-copy]`) {
		t.Fatal("app.js handles Copy buttons (no inline script under the CSP)")
	}

	if miss := d.Find(`[data-testid="review-link-missing"]`).Text(); !strings.Contains(miss, "review") || !strings.Contains(miss, "{{ReviewLink}}") {
		t.Fatalf("an empty review link is flagged with where it is used: %q", miss)
	}

	form := url.Values{"name": {"Bella"}, "country": {"AU"}, "time_zone": {"Mars/Olympus"}, "quiet_start": {"20:00"}, "quiet_end": {"09:00"},
		"review_link": {"https://g.page/r/bella/review"}}
	res = u.post("/app/bella/settings/venue", form)
	d = doc(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity || d.Find(`[data-testid="error-time_zone"]`).Length() != 1 ||
		d.Find(`datalist#time-zones option`).Length() == 0 {
		t.Fatalf("an unknown zone is refused with the list kept: %d", res.StatusCode)
	}
	form.Set("time_zone", "Asia/Tokyo") // not in the list, but a real zone
	res = u.post("/app/bella/settings/venue", form)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("any valid IANA zone saves: %d", res.StatusCode)
	}
	d = doc(t, u.get("/app/bella/settings"))
	if d.Find(`[data-testid="time-zone"]`).AttrOr("value", "") != "Asia/Tokyo" || d.Find(`[data-testid="review-link-missing"]`).Length() != 0 {
		t.Fatal("saved zone shown; the review-link flag is gone once it is set")
	}
}

// Automated messages have one name, the Marketing menu's: "Automations", on the menu,
// the Settings tabs and the pages' headings.
func TestAutomationsHaveOneName(t *testing.T) {
	e := newEnv(t)
	u := e.login("owner", "bella")
	for _, path := range []string{"/app/bella/settings", "/app/bella/automations", "/app/bella/settings/messages"} {
		d := doc(t, u.get(path))
		text := d.Text()
		if strings.Contains(text, "Automated messages") || strings.Contains(text, "Rebook nudge") {
			t.Fatalf("%s still uses another name", path)
		}
		tab := d.Find(`nav.tabs a[href="/app/bella/automations"]`)
		if strings.TrimSpace(tab.Text()) != "Automations" {
			t.Fatalf("%s: the Settings tab says Automations: %q", path, tab.Text())
		}
		if menu := d.Find(`[data-testid="nav-marketing"] a[href="/app/bella/automations"]`); !strings.Contains(menu.Text(), "Automations") {
			t.Fatalf("%s: the menu says Automations", path)
		}
	}
	d := doc(t, u.get("/app/bella/settings/messages"))
	if strings.TrimSpace(d.Find("h1").Text()) != "Automations" {
		t.Fatalf("the booking reminder page is one of the Automations: %q", d.Find("h1").Text())
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
