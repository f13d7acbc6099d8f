package handlers_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"concierge/store"
)

// uploadLogo posts a file as the logo field of the profile's logo form.
func uploadLogo(t *testing.T, u *user, name string, data []byte) *http.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("_csrf", u.csrf())
	fw, _ := w.CreateFormFile("logo", name)
	fw.Write(data)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, u.e.srv.URL+"/app/bella/settings/profile/logo", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return u.do(req)
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 4))
	img.Set(1, 1, color.RGBA{120, 40, 90, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The Owner's profile is what the public pages show: address, phone (a tel: link in
// international form), the intro and the cancellation window on the booking page, the
// logo served from the database; the flash-deal page carries the same header.
func TestVenueProfileOnPublicPages(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	anon := e.anon()
	d := doc(t, anon.get("/book/bella"))
	if !strings.Contains(d.Find(`[data-testid="venue-policy"]`).Text(), "at least 24 hours") || d.Find(`[data-testid="venue-logo"]`).Length() != 0 {
		t.Fatalf("defaults: policy %q, %d logos", d.Find(`[data-testid="venue-policy"]`).Text(), d.Find(`[data-testid="venue-logo"]`).Length())
	}
	res := owner.post("/app/bella/settings/profile", url.Values{"address": {" 12 King St, Newtown NSW 2042 "}, "phone": {"02 9876 5432"},
		"booking_intro": {"Welcome to Bella! Parking behind the salon."}, "cancel_window_hours": {"48"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save profile: %d", res.StatusCode)
	}
	logo := pngBytes(t)
	res = uploadLogo(t, owner, "logo.png", logo)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload logo: %d", res.StatusCode)
	}

	d = doc(t, anon.get("/book/bella"))
	if got := d.Find(`[data-testid="venue-address"]`).Text(); got != "12 King St, Newtown NSW 2042" {
		t.Errorf("address %q", got)
	}
	if href, _ := d.Find(`[data-testid="venue-phone"]`).Attr("href"); href != "tel:+61298765432" {
		t.Errorf("phone link %q", href)
	}
	if !strings.Contains(d.Find(`[data-testid="venue-intro"]`).Text(), "Parking behind the salon") {
		t.Error("no intro on the booking page")
	}
	if !strings.Contains(d.Find(`[data-testid="venue-policy"]`).Text(), "at least 48 hours") {
		t.Errorf("policy %q", d.Find(`[data-testid="venue-policy"]`).Text())
	}
	src, _ := d.Find(`[data-testid="venue-logo"]`).Attr("src")
	if alt, _ := d.Find(`[data-testid="venue-logo"]`).Attr("alt"); src == "" || alt != "Bella logo" {
		t.Fatalf("logo %q alt %q", src, alt)
	}
	res = anon.get(src)
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || !bytes.Equal(got, logo) {
		t.Fatalf("logo served: %d %s, %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(got))
	}

	deal, err := e.st.CreateDeal(t.Context(), e.venues["bella"], store.NewDeal{StaffID: e.ids["bella.staff"], ServiceID: e.ids["bella.service"],
		Start: e.clk.Now().Add(48 * time.Hour).Truncate(time.Hour), DiscountPct: 20})
	if err != nil {
		t.Fatal(err)
	}
	d = doc(t, anon.get("/deals/"+deal.Token))
	if d.Find(`[data-testid="venue-logo"]`).Length() != 1 || d.Find(`[data-testid="venue-address"]`).Text() != "12 King St, Newtown NSW 2042" {
		t.Fatal("the deal page lacks the venue's header")
	}

	// Removing the logo takes it off the pages; kiwi never had one.
	res = owner.post("/app/bella/settings/profile/logo/remove", url.Values{})
	res.Body.Close()
	if d := doc(t, anon.get("/book/bella")); d.Find(`[data-testid="venue-logo"]`).Length() != 0 {
		t.Fatal("a removed logo is still shown")
	}
	for _, path := range []string{src, "/book/kiwi/logo"} {
		res = anon.get(path)
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, res.StatusCode)
		}
	}
}

// A logo is checked by its bytes and size, and the profile field by field: 422, the
// message beside the field, nothing changed.
func TestVenueProfileBadInput(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	for _, tc := range []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"an SVG called .png", "logo.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "PNG, JPEG or WebP"},
		{"a text file", "logo.jpg", []byte("hello"), "PNG, JPEG or WebP"},
		{"too large", "big.png", append(pngBytes(t), make([]byte, 600<<10)...), "at most 512 KB"},
		{"no file", "empty.png", nil, "Choose an image file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.snapshot()
			res := uploadLogo(t, owner, tc.file, tc.data)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", res.StatusCode)
			}
			d := doc(t, res)
			if got := d.Find(`[data-testid="error-logo"]`).Text(); !strings.Contains(got, tc.want) {
				t.Fatalf("message %q, want %q", got, tc.want)
			}
			if d.Find(`#f-logo[aria-describedby="err-logo"]`).Length() != 1 {
				t.Fatal("the message is not tied to the file field")
			}
			if after := e.snapshot(); after != before {
				t.Fatalf("a refused logo changed the database:\n%s", diffLines(before, after))
			}
		})
	}

	before := e.snapshot()
	res := owner.post("/app/bella/settings/profile", url.Values{"address": {strings.Repeat("a", 201)}, "phone": {"123"},
		"booking_intro": {strings.Repeat("b", 601)}, "cancel_window_hours": {"a week"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.StatusCode)
	}
	d := doc(t, res)
	for field, want := range map[string]string{"address": "at most 200", "phone": "phone number", "booking_intro": "at most 600",
		"cancel_window_hours": "from 0 to 168"} {
		got := d.Find(`[data-testid="error-` + field + `"]`)
		if !strings.Contains(got.Text(), want) || d.Find(`[aria-describedby="err-`+field+`"]`).Length() != 1 {
			t.Errorf("%s: %q beside its field? want %q", field, got.Text(), want)
		}
	}
	if v, _ := d.Find(`#f-phone`).Attr("value"); v != "123" {
		t.Errorf("the typed phone was not kept: %q", v)
	}
	if after := e.snapshot(); after != before {
		t.Fatalf("a refused profile changed the database:\n%s", diffLines(before, after))
	}
}

// Managers read the profile; only the Owner has its forms.
func TestVenueProfileManagerReadsOnly(t *testing.T) {
	e := newEnv(t)
	d := doc(t, e.login("manager", "bella").get("/app/bella/settings/profile"))
	if d.Find(`[data-testid="profile-readonly"]`).Length() != 1 || d.Find(`main form`).Length() != 0 {
		t.Fatal("the Manager's profile page is not read-only")
	}
	d = doc(t, e.login("owner", "bella").get("/app/bella/settings/profile"))
	if d.Find(`[data-testid="profile-form"]`).Length() != 1 || d.Find(`[data-testid="logo-form"]`).Length() != 1 {
		t.Fatal("the Owner's profile page has no forms")
	}
}
