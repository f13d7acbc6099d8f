package handlers_test

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestClientExportByRole(t *testing.T) {
	e := newEnv(t)
	id := itoa(e.ids["bella.client"])
	base := "/app/bella/clients/" + id
	for _, role := range []string{"owner", "manager"} {
		u := e.login(role, "bella")
		d := doc(t, u.get(base))
		if d.Find(`[data-testid="export-json"]`).Length() != 1 || d.Find(`[data-testid="export-csv"]`).Length() != 1 {
			t.Fatalf("%s sees no export links on the client page", role)
		}
		if got := d.Find(`[data-testid="forget-link"]`).Length(); got != map[string]int{"owner": 1, "manager": 0}[role] {
			t.Fatalf("%s sees %d forget links", role, got)
		}
		res := u.get(base + "/export.json")
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("%s: export.json %d %q", role, res.StatusCode, res.Header.Get("Content-Disposition"))
		}
		var x struct {
			Profile struct {
				FirstName string `json:"first_name"`
			} `json:"profile"`
			Consents map[string]bool  `json:"consents"`
			Bookings []map[string]any `json:"bookings"`
			Messages []map[string]any `json:"messages"`
		}
		if err := json.NewDecoder(res.Body).Decode(&x); err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if x.Profile.FirstName != "Sarah" || len(x.Bookings) != 1 || x.Consents == nil {
			t.Fatalf("%s: export.json = %+v", role, x)
		}
		if _, ok := x.Consents["sms_opt_out"]; !ok {
			t.Fatalf("consents lack sms_opt_out: %v", x.Consents)
		}
		res = u.get(base + "/export.csv")
		recs, err := csv.NewReader(res.Body).ReadAll()
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("export.csv: %d %v", res.StatusCode, err)
		}
		var phone string
		for _, r := range recs {
			if r[0] == "profile" && r[3] == "phone" {
				phone = r[4]
			}
		}
		if phone != "'+61412345678" {
			t.Fatalf("the phone cell in the CSV is %q, want it neutralised", phone)
		}
	}
	staff := e.login("staff", "bella")
	if d := doc(t, staff.get(base)); d.Find(`[data-testid="client-data"]`).Length() != 0 {
		t.Fatal("staff see the client data card")
	}
	for _, path := range []string{base + "/export.json", base + "/export.csv", "/app/bella/settings/export/clients.csv", base + "/forget"} {
		if res := staff.get(path); res.StatusCode != http.StatusForbidden {
			t.Fatalf("staff GET %s: %d, want 403", path, res.StatusCode)
		}
	}
	// Another venue's owner cannot reach this client.
	kiwi := e.login("owner", "kiwi")
	for _, path := range []string{"/app/kiwi/clients/" + id + "/export.json", "/app/bella/clients/" + id + "/export.json"} {
		if res := kiwi.get(path); res.StatusCode != http.StatusNotFound {
			t.Fatalf("kiwi owner GET %s: %d, want 404", path, res.StatusCode)
		}
	}
}

func TestVenueExportIsTheImportsColumns(t *testing.T) {
	e := newEnv(t)
	u := e.login("manager", "bella")
	if d := doc(t, u.get("/app/bella/settings/import")); d.Find(`[data-testid="export-clients"]`).Length() != 1 {
		t.Fatal("the import page offers no export")
	}
	res := u.get("/app/bella/settings/export/clients.csv")
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(string(b), "external_id,first_name,last_name,phone,email,birthday,sms_opt_out,email_opt_out,blocked,tags\n") {
		t.Fatalf("clients.csv: %d\n%s", res.StatusCode, b)
	}
	if !strings.Contains(string(b), ",Sarah,Smith,'+61412345678,sarah@example.com,") {
		t.Fatalf("clients.csv lacks Sarah:\n%s", b)
	}
	res = u.get("/app/bella/settings/export/bookings.csv")
	b, _ = io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(string(b), "external_id,client_external_id,staff_name,service,category,start,duration_min,price,status,created\n") ||
		!strings.Contains(string(b), ",bella staff,Cut,Cut & Style,") || strings.Contains(string(b), "Kiwi") {
		t.Fatalf("bookings.csv: %d\n%s", res.StatusCode, b)
	}
	if res := u.get("/app/bella/settings/export/passwords.csv"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("an unknown export file: %d", res.StatusCode)
	}
}

func TestForgetClientNeedsTheOwnerAndAConfirmation(t *testing.T) {
	e := newEnv(t)
	id := itoa(e.ids["bella.client"])
	base := "/app/bella/clients/" + id
	manager := e.login("manager", "bella")
	if res := manager.post(base+"/forget", url.Values{"confirm": {"true"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("manager forgetting: %d, want 403", res.StatusCode)
	}
	owner := e.login("owner", "bella")
	d := doc(t, owner.get(base+"/forget"))
	if d.Find(`[data-testid="forget-confirm"]`).Length() != 1 || !strings.Contains(d.Find("h1").Text(), "Sarah Smith") {
		t.Fatal("no confirm step")
	}
	res := owner.post(base+"/forget", url.Values{})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("forget without the confirmation: %d, want 422", res.StatusCode)
	}
	if d := doc(t, res); d.Find(`[data-testid="error-confirm"]`).Length() != 1 {
		t.Fatal("no message beside the confirmation box")
	}
	if n := e.count(`SELECT count(*) FROM clients WHERE id = ? AND first_name = 'Sarah'`, e.ids["bella.client"]); n != 1 {
		t.Fatal("the client was forgotten without a confirmation")
	}
	res = owner.post(base+"/forget", url.Values{"confirm": {"true"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != base+"?saved=forgotten" {
		t.Fatalf("forget: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	d = doc(t, owner.get(base))
	if got := d.Find(`[data-testid="client-name"]`).Text(); got != "Forgotten client" {
		t.Fatalf("client page name after forgetting: %q", got)
	}
	if d.Find(`[data-testid="forgotten-note"]`).Length() != 1 || d.Find(`[data-testid="forget-link"]`).Length() != 0 {
		t.Fatal("the client page does not say the client is forgotten")
	}
	if n := e.count(`SELECT count(*) FROM bookings WHERE id = ? AND price_minor = 9000`, e.ids["bella.booking"]); n != 1 {
		t.Fatal("the booking's revenue was not kept")
	}
	if n := e.count(`SELECT count(*) FROM audit_events WHERE entity = 'client' AND entity_id = ? AND event = 'forgotten'`, e.ids["bella.client"]); n != 1 {
		t.Fatal("forgetting is not in the audit")
	}
	// kiwi's Sarah is someone else and keeps her name.
	if n := e.count(`SELECT count(*) FROM clients WHERE id = ? AND first_name = 'Sarah'`, e.ids["kiwi.client"]); n != 1 {
		t.Fatal("another venue's client was touched")
	}
}
