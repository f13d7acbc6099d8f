package handlers_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

func TestClientEditRejectsBadPhoneBesideTheField(t *testing.T) {
	e := newEnv(t)
	u := e.login("staff", "bella")
	path := fmt.Sprintf("/app/bella/clients/%d", e.ids["bella.client"])
	form := url.Values{"first_name": {"Changed"}, "last_name": {"Smith"}, "phone": {"12345"}, "email": {"sarah@example.com"}}

	res := u.post(path, form)
	d := doc(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("want 422, got %d", res.StatusCode)
	}
	msg := d.Find(`#client-form [data-testid="error-phone"]`)
	if !strings.Contains(msg.Text(), "not a valid phone number") {
		t.Fatalf("want the phone error beside the field, got %q", msg.Text())
	}
	if id, _ := d.Find("#f-phone").Attr("aria-describedby"); id != "err-phone" {
		t.Fatalf("the phone input should point at its error, got %q", id)
	}
	if v, _ := d.Find("#f-phone").Attr("value"); v != "12345" {
		t.Fatalf("the form keeps what was typed, got %q", v)
	}

	// The htmx path answers with just the form fragment, also 422.
	res = u.htmxPost(path, form)
	d = doc(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity || d.Find("main").Length() != 0 || d.Find(`#client-form [data-testid="error-phone"]`).Length() != 1 {
		t.Fatalf("htmx: want a 422 form fragment, got %d", res.StatusCode)
	}

	c, _ := e.st.Client(t.Context(), e.venues["bella"].ID, e.ids["bella.client"])
	if c.FirstName != "Sarah" || c.Phone != "+61412345678" {
		t.Fatalf("nothing may change on a validation error: %+v", c)
	}

	// A good edit saves and normalises.
	res = u.htmxPost(path, url.Values{"first_name": {"Sarah"}, "last_name": {"Smith"}, "phone": {"0498 765 432"}, "tags": {"VIP"}})
	d = doc(t, res)
	if res.StatusCode != 200 || d.Find(`[data-testid="client-saved"]`).Length() != 1 {
		t.Fatalf("want saved fragment, got %d", res.StatusCode)
	}
	c, _ = e.st.Client(t.Context(), e.venues["bella"].ID, e.ids["bella.client"])
	if c.Phone != "+61498765432" || !c.HasTag("VIP") {
		t.Fatalf("saved wrongly: %+v", c)
	}
}

func TestCreateClientValidation(t *testing.T) {
	e := newEnv(t)
	u := e.login("staff", "bella")
	res := u.post("/app/bella/clients", url.Values{"first_name": {""}, "email": {"not-an-email"}})
	d := doc(t, res)
	if res.StatusCode != 422 || d.Find(`[data-testid="error-first_name"]`).Length() != 1 || d.Find(`[data-testid="error-email"]`).Length() != 1 {
		t.Fatalf("want 422 with first name and email errors, got %d", res.StatusCode)
	}
	res = u.post("/app/bella/clients", url.Values{"first_name": {"New"}, "phone": {"0411 222 333"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/app/bella/clients/") {
		t.Fatalf("want redirect to the new client, got %d", res.StatusCode)
	}
}

func TestBookingOverlapRefusedWithMessage(t *testing.T) {
	e := newEnv(t)
	u := e.login("staff", "bella")
	loc := e.venues["bella"].Location()
	existing := e.clk.Now().Add(24 * time.Hour).In(loc)
	form := url.Values{
		"client_id": {fmt.Sprint(e.ids["bella.client"])}, "staff_id": {fmt.Sprint(e.ids["bella.staff"])},
		"service_id": {fmt.Sprint(e.ids["bella.service"])}, "date": {existing.Format("2006-01-02")},
		"time": {existing.Add(30 * time.Minute).Format("15:04")},
	}
	res := u.post("/app/bella/bookings", form)
	d := doc(t, res)
	if res.StatusCode != http.StatusConflict || !strings.Contains(d.Find(`[data-testid="booking-conflict"]`).Text(), "already booked") {
		t.Fatalf("want 409 with the overlap message, got %d", res.StatusCode)
	}
	form.Set("time", existing.Add(time.Hour).Format("15:04"))
	res = u.post("/app/bella/bookings", form)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("back-to-back booking should succeed, got %d", res.StatusCode)
	}
	// Bad input: no services, bad time.
	res = u.post("/app/bella/bookings", url.Values{"client_id": {fmt.Sprint(e.ids["bella.client"])}, "staff_id": {fmt.Sprint(e.ids["bella.staff"])},
		"date": {"2026-12-01"}, "time": {"25:99"}})
	d = doc(t, res)
	if res.StatusCode != 422 || d.Find(`[data-testid="error-time"]`).Length() != 1 {
		t.Fatalf("want 422 with a time error, got %d", res.StatusCode)
	}
}

func TestBookingStatusChanges(t *testing.T) {
	e := newEnv(t)
	u := e.login("staff", "bella")
	path := fmt.Sprintf("/app/bella/bookings/%d/status", e.ids["bella.booking"])
	res := u.post(path, url.Values{"status": {"completed"}})
	res.Body.Close()
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("a future booking cannot be completed: %d", res.StatusCode)
	}
	e.clk.Advance(25 * time.Hour)
	u = e.login("staff", "bella") // the session went idle meanwhile
	res = u.post(path, url.Values{"status": {"no_show"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("no-show after start: %d", res.StatusCode)
	}
	b, _ := e.st.Booking(t.Context(), e.venues["bella"].ID, e.ids["bella.booking"])
	if b.Status != "no_show" {
		t.Fatalf("status %s", b.Status)
	}
	res = u.post(path, url.Values{"status": {"bogus"}})
	res.Body.Close()
	if res.StatusCode != 422 {
		t.Fatalf("bogus status: %d", res.StatusCode)
	}
}

func TestSettingsValidation(t *testing.T) {
	e := newEnv(t)
	u := e.login("manager", "bella")
	res := u.post("/app/bella/settings/venue", url.Values{"name": {"Bella"}, "country": {"AU"}, "time_zone": {"Mars/Olympus"},
		"quiet_start": {"25:00"}, "quiet_end": {"09:00"}, "solo": {"true"}})
	d := doc(t, res)
	if res.StatusCode != 422 || d.Find(`[data-testid="error-time_zone"]`).Length() != 1 || d.Find(`[data-testid="error-quiet_start"]`).Length() != 1 {
		t.Fatalf("want 422 with time zone and quiet-hours errors, got %d", res.StatusCode)
	}
	res = u.post("/app/bella/settings/venue", url.Values{"name": {"Bella"}, "country": {"AU"}, "time_zone": {"Australia/Sydney"},
		"quiet_start": {"20:00"}, "quiet_end": {"09:00"}, "solo": {"true"}})
	d = doc(t, res)
	if res.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="error-solo"]`).Text(), "exactly one active staff") {
		t.Fatalf("solo needs one active staff member, got %d", res.StatusCode)
	}
	res = u.post("/app/bella/settings/wallet", url.Values{"amount": {"-5"}})
	d = doc(t, res)
	if res.StatusCode != 422 || d.Find(`[data-testid="error-amount"]`).Length() != 1 {
		t.Fatalf("negative top-up: %d", res.StatusCode)
	}
	res = u.post("/app/bella/settings/wallet", url.Values{"amount": {"25.50"}, "note": {"INV-1"}})
	res.Body.Close()
	v, _ := e.st.Venue(t.Context(), e.venues["bella"].ID)
	if res.StatusCode != http.StatusSeeOther || v.WalletE4 != (1000+25_50)*100 {
		t.Fatalf("top-up: %d, wallet %d", res.StatusCode, v.WalletE4)
	}
	res = u.post("/app/bella/settings/sms-price", url.Values{"sms_price": {"0.05"}})
	res.Body.Close()
	v, _ = e.st.Venue(t.Context(), e.venues["bella"].ID)
	if v.SMSPriceE4 != 500 {
		t.Fatalf("price: %d", v.SMSPriceE4)
	}
}

func TestImportPageReportsLine7AndImportsNothing(t *testing.T) {
	e := newEnv(t)
	u := e.login("owner", "bella")
	csv := "external_id,first_name,last_name,phone,email,birthday,sms_opt_out,email_opt_out,blocked,tags\n" +
		"i1,A,A,0412 000 001,,,false,false,false,\n" + "i2,B,B,0412 000 002,,,false,false,false,\n" +
		"i3,C,C,0412 000 003,,,false,false,false,\n" + "i4,D,D,0412 000 004,,,false,false,false,\n" +
		"i5,E,E,0412 000 005,,,false,false,false,\n" + "i6,F,F,12345,,,false,false,false,\n"
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("_csrf", u.csrf())
	w.WriteField("dry_run", "false")
	fw, _ := w.CreateFormFile("clients", "clients.csv")
	fw.Write([]byte(csv))
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/app/bella/settings/import", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	res := u.do(req)
	d := doc(t, res)
	errs := d.Find(`[data-testid="import-errors"] li`)
	if res.StatusCode != 422 || errs.Length() != 1 || !strings.HasPrefix(errs.Text(), "clients.csv line 7: phone: ") {
		t.Fatalf("want one 'line 7: phone' error, got %d %q", res.StatusCode, errs.Text())
	}
	page, _ := e.st.SearchClients(t.Context(), e.venues["bella"].ID, "", 1)
	if page.Total != 1 {
		t.Fatalf("nothing may be imported: %d clients", page.Total)
	}
}

func TestStaffHoursEditing(t *testing.T) {
	e := newEnv(t)
	u := e.login("owner", "bella")
	staffID := e.ids["bella.staff"]
	path := fmt.Sprintf("/app/bella/settings/team/staff/%d", staffID)
	res := u.get(path)
	d := doc(t, res)
	if res.StatusCode != 200 || d.Find(`input[name="works_2"]`).Length() != 1 {
		t.Fatalf("staff form: %d", res.StatusCode)
	}
	// End before start is refused beside that day and nothing changes.
	res = u.post(path, url.Values{"active": {"true"}, "works_1": {"true"}, "start_1": {"17:00"}, "end_1": {"09:00"}})
	d = doc(t, res)
	if res.StatusCode != 422 || d.Find(`[data-testid="error-hours_1"]`).Length() != 1 {
		t.Fatalf("want 422 with a Monday error, got %d", res.StatusCode)
	}
	st, _ := e.st.StaffMember(t.Context(), e.venues["bella"].ID, staffID)
	if len(st.Hours) != 5 {
		t.Fatalf("hours changed on error: %+v", st.Hours)
	}
	res = u.post(path, url.Values{"active": {"true"}, "works_1": {"true"}, "start_1": {"10:00"}, "end_1": {"18:30"},
		"works_6": {"true"}, "start_6": {"08:00"}, "end_6": {"12:00"}})
	res.Body.Close()
	st, _ = e.st.StaffMember(t.Context(), e.venues["bella"].ID, staffID)
	if res.StatusCode != http.StatusSeeOther || len(st.Hours) != 2 || st.Hours[0].Weekday != time.Monday || st.Hours[0].End.String() != "18:30" {
		t.Fatalf("want Monday and Saturday saved, got %d %+v", res.StatusCode, st.Hours)
	}
	// Managers cannot edit hours; another venue's staff is not found.
	res = e.login("manager", "bella").post(path, url.Values{"active": {"false"}})
	res.Body.Close()
	if res.StatusCode != 403 {
		t.Fatalf("manager: %d", res.StatusCode)
	}
	res = u.get(fmt.Sprintf("/app/bella/settings/team/staff/%d", e.ids["kiwi.staff"]))
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Fatalf("kiwi staff from bella: %d", res.StatusCode)
	}
}

func TestCountryChangeResetsSMSPrice(t *testing.T) {
	e := newEnv(t)
	u := e.login("owner", "bella")
	res := u.post("/app/bella/settings/venue", url.Values{"name": {"Bella"}, "country": {"NZ"}, "time_zone": {"Pacific/Auckland"},
		"quiet_start": {"20:00"}, "quiet_end": {"09:00"}})
	res.Body.Close()
	v, _ := e.st.Venue(t.Context(), e.venues["bella"].ID)
	if res.StatusCode != http.StatusSeeOther || v.Country != "NZ" || v.SMSPriceE4 != 0 {
		t.Fatalf("NZ is email-only with no SMS price: %d %s %d", res.StatusCode, v.Country, v.SMSPriceE4)
	}
	res = u.post("/app/bella/settings/sms-price", url.Values{"sms_price": {"0.05"}})
	res.Body.Close()
	v, _ = e.st.Venue(t.Context(), e.venues["bella"].ID)
	if res.StatusCode != 422 || v.SMSPriceE4 != 0 {
		t.Fatalf("an NZ venue cannot set an SMS price: %d, price %d", res.StatusCode, v.SMSPriceE4)
	}
}

// A person in two venues picks one at /app, then switches with the header's switcher:
// it offers both venues by slug (app.js goes to /app/<slug>), the open one selected,
// and each venue applies the person's role there. A person in one venue has no switcher.
func TestVenueSwitcherForPeopleInTwoVenues(t *testing.T) {
	e := newEnv(t)
	if _, err := e.st.AddUser(t.Context(), e.venues["kiwi"].ID, 0, storeNewUser("manager@bella.test", "Bella manager", salonRole("staff"))); err != nil {
		t.Fatal(err)
	}
	u := e.login("manager", "bella")
	res := u.get("/app")
	picker := doc(t, res)
	if res.StatusCode != 200 {
		t.Fatalf("/app with two venues shows the picker, got %d", res.StatusCode)
	}
	var choices []string
	picker.Find(`main a[href^="/app/"]`).Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		choices = append(choices, href+" "+strings.Join(strings.Fields(a.Text()), " "))
	})
	if want := []string{"/app/bella Bella (Manager)", "/app/kiwi Kiwi (Staff)"}; strings.Join(choices, "|") != strings.Join(want, "|") {
		t.Fatalf("the picker offers each venue with the role there: %q, want %q", choices, want)
	}
	for _, open := range []string{"kiwi", "bella"} {
		d := doc(t, u.get("/app/"+open))
		var opts []string
		d.Find(`[data-testid="venue-switcher"] option`).Each(func(_ int, o *goquery.Selection) {
			v, _ := o.Attr("value")
			opts = append(opts, v+"="+o.Text())
		})
		selected := d.Find(`[data-testid="venue-switcher"] option[selected]`)
		if strings.Join(opts, " ") != "bella=Bella kiwi=Kiwi" || selected.Length() != 1 || selected.AttrOr("value", "") != open {
			t.Errorf("in %s: switcher options %q, %d selected (%q), want both venues by slug and %s selected",
				open, opts, selected.Length(), selected.AttrOr("value", ""), open)
		}
	}
	// In kiwi this person is Staff: no settings there, but still Manager in bella.
	res = u.get("/app/kiwi/settings")
	res.Body.Close()
	if res.StatusCode != 403 {
		t.Fatalf("staff in kiwi: %d", res.StatusCode)
	}
	res = u.get("/app/bella/settings")
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("manager in bella: %d", res.StatusCode)
	}
	// One venue: /app opens it, and the header names it without a switcher.
	one := e.login("owner", "bella")
	res = one.get("/app")
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app/bella" {
		t.Fatalf("/app with one venue opens it: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if d := doc(t, one.get("/app/bella")); d.Find(`[data-testid="venue-switcher"]`).Length() != 0 || d.Find(".venue-name").Text() != "Bella" {
		t.Fatalf("one venue: no switcher, the venue's name: %q", d.Find(".venue-name").Text())
	}
}
