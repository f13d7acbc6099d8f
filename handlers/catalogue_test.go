package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// categoryID finds a venue's category by name through the store.
func (e *env) categoryID(slug, name string) int64 {
	e.t.Helper()
	cats, err := e.st.Categories(e.t.Context(), e.venues[slug].ID)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, c := range cats {
		if c.Name == name {
			return c.ID
		}
	}
	e.t.Fatalf("%s has no category %q", slug, name)
	return 0
}

// bookSlots are the time labels the public booking page offers for one service on a day.
func bookSlots(t *testing.T, u *user, slug string, serviceID int64, date string) []string {
	t.Helper()
	d := doc(t, u.get(fmt.Sprintf("/book/%s?service=%d&date=%s", slug, serviceID, date)))
	var out []string
	d.Find(`[data-testid="slot"]`).Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimSpace(s.Parent().Text()))
	})
	return out
}

// bookOffers reports whether the public booking page lists the service.
func bookOffers(t *testing.T, u *user, slug string, serviceID int64) bool {
	t.Helper()
	d := doc(t, u.get("/book/"+slug))
	return d.Find(fmt.Sprintf(`input[name="service"][value="%d"]`, serviceID)).Length() == 1
}

// The Owner adds a category and a service with a buffer, performed by one team member:
// the booking page offers it with that team member only, its last start leaves room for
// the buffer, and changing the performers, the online flag or archiving it changes what
// the page offers at once. An archived service stays on the booking that has it.
func TestCatalogueServiceDrivesOnlineAvailability(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	bella := e.venues["bella"].ID
	zoe, err := e.st.EnsureStaff(t.Context(), bella, "Zoe")
	if err != nil {
		t.Fatal(err)
	}
	res := owner.post("/app/bella/settings/catalogue/categories", url.Values{"name": {"Nails"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add category: %d", res.StatusCode)
	}
	nails := e.categoryID("bella", "Nails")
	form := url.Values{"name": {"Gel Manicure"}, "category_id": {fmt.Sprint(nails)}, "duration_min": {"45"}, "buffer_min": {"15"},
		"price": {"55.00"}, "online_bookable": {"true"}, "staff": {fmt.Sprint(zoe)}}
	res = owner.post("/app/bella/settings/catalogue/services", form)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/settings/catalogue/services/") {
		t.Fatalf("add service: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	var gel int64
	fmt.Sscanf(res.Header.Get("Location"), "/app/bella/settings/catalogue/services/%d", &gel)
	sv, err := e.st.Service(t.Context(), bella, gel)
	if err != nil || sv.DurationMin != 45 || sv.BufferMin != 15 || sv.PriceMinor != 5500 || !sv.OnlineBookable || sv.CategoryName != "Nails" {
		t.Fatalf("saved service: %+v, %v", sv, err)
	}

	// Wednesday 25 November: both work 09:00–17:00 (the default hours) and nobody is booked.
	anon := e.anon()
	slots := bookSlots(t, anon, "bella", gel, "2026-11-25")
	if len(slots) == 0 {
		t.Fatal("no times offered for the new service")
	}
	for _, s := range slots {
		if !strings.HasSuffix(s, "Zoe") {
			t.Fatalf("offered with someone who does not perform it: %q", s)
		}
	}
	// 45 minutes and a 15-minute buffer: the last start is 16:00, not 16:15.
	if last := slots[len(slots)-1]; !strings.HasPrefix(last, "16:00") {
		t.Fatalf("last start %q, want 16:00 (the buffer must fit before 17:00)", last)
	}

	// Performed by the other team member instead: the page follows.
	form.Set("staff", fmt.Sprint(e.ids["bella.staff"]))
	res = owner.post(fmt.Sprintf("/app/bella/settings/catalogue/services/%d", gel), form)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit performers: %d", res.StatusCode)
	}
	for _, s := range bookSlots(t, anon, "bella", gel, "2026-11-25") {
		if !strings.HasSuffix(s, "bella staff") {
			t.Fatalf("after the change, offered %q", s)
		}
	}

	// Not bookable online: gone from the page (staff may still book it).
	form.Del("online_bookable")
	res = owner.post(fmt.Sprintf("/app/bella/settings/catalogue/services/%d", gel), form)
	res.Body.Close()
	if bookOffers(t, anon, "bella", gel) {
		t.Fatal("a staff-only service is offered online")
	}
	if d := doc(t, owner.get("/app/bella/bookings/new")); d.Find(fmt.Sprintf(`input[name="service_id"][value="%d"]`, gel)).Length() == 0 {
		t.Fatal("a staff-only service is missing from the staff booking form")
	}

	// Archiving Cut: no longer offered anywhere new, still on the booking that has it.
	cut := e.ids["bella.service"]
	res = owner.post(fmt.Sprintf("/app/bella/settings/catalogue/services/%d/archive", cut), url.Values{"archived": {"true"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("archive: %d", res.StatusCode)
	}
	if bookOffers(t, anon, "bella", cut) {
		t.Fatal("an archived service is offered online")
	}
	if d := doc(t, owner.get("/app/bella/bookings/new")); d.Find(fmt.Sprintf(`input[name="service_id"][value="%d"]`, cut)).Length() != 0 {
		t.Fatal("an archived service is offered on the staff booking form")
	}
	b, err := e.st.Booking(t.Context(), bella, e.ids["bella.booking"])
	if err != nil || len(b.Services) != 1 || b.Services[0].Name != "Cut" {
		t.Fatalf("the booking lost its archived service: %+v %v", b.Services, err)
	}
	if d := doc(t, owner.get("/app/bella/settings/catalogue")); d.Find(`[data-testid="archived"]`).Length() != 1 {
		t.Fatal("the catalogue does not mark the archived service")
	}
	res = owner.post(fmt.Sprintf("/app/bella/settings/catalogue/services/%d/archive", cut), url.Values{"archived": {"false"}})
	res.Body.Close()
	if !bookOffers(t, anon, "bella", cut) {
		t.Fatal("a restored service is not offered again")
	}
}

// Bad input is refused with 422, each message beside its field, the input kept, and
// nothing changed.
func TestCatalogueBadInput(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	cat := e.categoryID("bella", "Cut & Style")
	kiwiCat := e.categoryID("kiwi", "Cut & Style")
	service := fmt.Sprintf("/app/bella/settings/catalogue/services/%d", e.ids["bella.service"])
	good := url.Values{"name": {"Blow Dry"}, "category_id": {fmt.Sprint(cat)}, "duration_min": {"30"}, "buffer_min": {"0"}, "price": {"45"},
		"staff": {fmt.Sprint(e.ids["bella.staff"])}}
	with := func(k, v string) url.Values {
		f := cloneForm(good)
		f.Set(k, v)
		return f
	}
	cases := []struct {
		name, path string
		form       url.Values
		errs       map[string]string // data-testid suffix → message part
	}{
		{"every field at once", "/app/bella/settings/catalogue/services",
			url.Values{"name": {"  "}, "category_id": {""}, "duration_min": {"abc"}, "buffer_min": {"-5"}, "price": {"ten"}},
			map[string]string{"name": "Name is required", "category_id": "Choose a category", "duration_min": "from 5 to 720",
				"buffer_min": "from 0 to 240", "price": "like 95.00"}},
		{"too long", "/app/bella/settings/catalogue/services", with("duration_min", "721"), map[string]string{"duration_min": "from 5 to 720"}},
		{"price too high", service, with("price", "100000.01"), map[string]string{"price": "at most 100,000"}},
		{"name taken", "/app/bella/settings/catalogue/services", with("name", "Cut"), map[string]string{"name": "already a service called Cut"}},
		{"another venue's category", "/app/bella/settings/catalogue/services", with("category_id", fmt.Sprint(kiwiCat)),
			map[string]string{"category_id": "Choose a category"}},
		{"another venue's team member", service, with("staff", fmt.Sprint(e.ids["kiwi.staff"])), map[string]string{"staff": "Choose a team member"}},
		{"category name taken", "/app/bella/settings/catalogue/categories", url.Values{"name": {"Cut & Style"}},
			map[string]string{"name": "already a category called Cut & Style"}},
		{"category renamed to nothing", fmt.Sprintf("/app/bella/settings/catalogue/categories/%d", cat), url.Values{"name": {""}},
			map[string]string{fmt.Sprintf("category_%d", cat): "Name is required"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := e.snapshot()
			res := owner.post(tc.path, tc.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			d := doc(t, res)
			for field, want := range tc.errs {
				got := d.Find(`[data-testid="error-` + field + `"]`)
				if !strings.Contains(got.Text(), want) {
					t.Errorf("%s: %q, want it to say %q", field, got.Text(), want)
				}
				// Beside its field: the field points at its message.
				if id, _ := got.Attr("id"); id == "" || d.Find(`[aria-describedby="`+id+`"]`).Length() == 0 {
					t.Errorf("%s: the message is not tied to its field", field)
				}
			}
			if n := d.Find(".field-error").Length(); n != len(tc.errs) {
				t.Errorf("%d field messages, want %d", n, len(tc.errs))
			}
			if tc.form.Get("name") != "" {
				if v, _ := d.Find(`input[name="name"]`).First().Attr("value"); v != tc.form.Get("name") {
					t.Errorf("the typed name was not kept: %q", v)
				}
			}
			if after := e.snapshot(); after != before {
				t.Fatalf("a refused form changed the database:\n%s", diffLines(before, after))
			}
		})
	}
}

// Managers read the catalogue without a form; Staff are refused it; the writes are the
// Owner's (TestRolesOnSettings checks every route's status and that refusals change nothing).
func TestCatalogueManagerReadsOnly(t *testing.T) {
	e := newEnv(t)
	m := e.login("manager", "bella")
	d := doc(t, m.get("/app/bella/settings/catalogue"))
	if d.Find(`[data-testid="catalogue-readonly"]`).Length() != 1 || d.Find(`[data-testid="service-row"]`).Length() != 1 {
		t.Fatal("the Manager does not see the catalogue read-only")
	}
	if n := d.Find(`main form`).Length(); n != 0 {
		t.Fatalf("the Manager's catalogue has %d forms", n)
	}
	d = doc(t, m.get(fmt.Sprintf("/app/bella/settings/catalogue/services/%d", e.ids["bella.service"])))
	if d.Find(`[data-testid="service-readonly"]`).Length() != 1 || d.Find(`main form`).Length() != 0 {
		t.Fatal("the Manager's service page is not read-only")
	}
	if !strings.Contains(d.Find(`[data-testid="service-readonly"]`).Text(), "bella staff") {
		t.Fatal("the service page does not say who performs it")
	}
	for _, path := range []string{"/app/bella/settings/catalogue", fmt.Sprintf("/app/bella/settings/catalogue/services/%d", e.ids["bella.service"])} {
		res := e.login("staff", "bella").get(path)
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("Staff GET %s: %d, want 403", path, res.StatusCode)
		}
	}
}

// Another venue's service or category, named by id under one's own venue, is a 404
// and stays as it was.
func TestCatalogueOtherVenueIDs(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	kiwiService := e.ids["kiwi.service"]
	kiwiCat := e.categoryID("kiwi", "Cut & Style")
	before := e.snapshot()
	for _, r := range []struct {
		method, path string
		form         url.Values
	}{
		{http.MethodGet, fmt.Sprintf("/app/bella/settings/catalogue/services/%d", kiwiService), nil},
		{http.MethodPost, fmt.Sprintf("/app/bella/settings/catalogue/services/%d", kiwiService), url.Values{"name": {"Mine"}, "duration_min": {"30"},
			"price": {"1"}, "category_id": {fmt.Sprint(kiwiCat)}}},
		{http.MethodPost, fmt.Sprintf("/app/bella/settings/catalogue/services/%d/archive", kiwiService), url.Values{"archived": {"true"}}},
		{http.MethodPost, fmt.Sprintf("/app/bella/settings/catalogue/categories/%d", kiwiCat), url.Values{"name": {"Mine"}}},
	} {
		var res *http.Response
		if r.method == http.MethodGet {
			res = owner.get(r.path)
		} else {
			res = owner.post(r.path, r.form)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s: %d, want 404", r.method, r.path, res.StatusCode)
		}
	}
	if after := e.snapshot(); after != before {
		t.Fatalf("another venue's ids changed the database:\n%s", diffLines(before, after))
	}
}
