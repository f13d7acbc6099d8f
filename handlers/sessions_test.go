package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// userID looks up a login's user id.
func (e *env) userID(email string) int64 {
	e.t.Helper()
	var id int64
	if err := e.st.DB().QueryRow(`SELECT id FROM users WHERE email = ?`, email).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// signedIn reports whether the browser's session opens a venue page.
func signedIn(t *testing.T, u *user) bool {
	t.Helper()
	res := u.get("/app/bella")
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// copyOf is a second browser holding a copy of u's cookies (a captured cookie).
func copyOf(e *env, u *user) *user {
	c := e.anon()
	base, _ := url.Parse(e.srv.URL)
	c.http.Jar.SetCookies(base, u.http.Jar.Cookies(base))
	return c
}

// Item 7: after Sign out, a copy of the cookie taken before is worthless.
func TestSignOutEndsTheSessionServerSide(t *testing.T) {
	e := newEnv(t)
	u := e.login("owner", "bella")
	captured := copyOf(e, u)
	if !signedIn(t, captured) {
		t.Fatal("the copied cookie should work while the session lives")
	}
	u.post("/logout", nil).Body.Close()
	if signedIn(t, captured) {
		t.Fatal("a captured cookie still works after Sign out")
	}
}

// Item 7: a session ends after 12 idle hours and, however busy, 30 days after sign-in.
func TestSessionIdleTimeoutAndLifetime(t *testing.T) {
	e := newEnv(t)
	u := e.login("owner", "bella")
	e.clk.Advance(13 * time.Hour)
	if signedIn(t, u) {
		t.Fatal("a session idle for 13 hours must end")
	}
	u = e.login("owner", "bella")
	elapsed := time.Duration(0)
	for elapsed+11*time.Hour <= 30*24*time.Hour {
		e.clk.Advance(11 * time.Hour)
		elapsed += 11 * time.Hour
		if !signedIn(t, u) {
			t.Fatalf("a session in use must last 30 days, ended after %s", elapsed)
		}
	}
	e.clk.Advance(30*24*time.Hour - elapsed + time.Minute)
	if signedIn(t, u) {
		t.Fatal("a session must end 30 days after sign-in, however busy")
	}
}

// Item 7: changing a password ends the person's other sessions, not this one.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	e := newEnv(t)
	phone := e.login("manager", "bella")
	laptop := e.login("manager", "bella")
	form := url.Values{"current": {password}, "password": {"a-new-password"}, "confirm": {"a-new-password"}}
	if got := doc(t, laptop.get("/app/bella/account")).Find(`[data-testid="my-sessions"]`).Text(); !strings.Contains(got, "Here and on 1 other browser.") {
		t.Fatalf("the Account page should count the other browser: %q", got)
	}

	// Bad input changes nothing and says why beside the field.
	bad := url.Values{"current": {"nope"}, "password": {"short"}, "confirm": {"short"}}
	res := laptop.post("/app/bella/account/password", bad)
	d := doc(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity || d.Find(`[data-testid="error-current"]`).Length() == 0 || d.Find(`[data-testid="error-password"]`).Length() == 0 {
		t.Fatalf("wrong current and short new password: %d", res.StatusCode)
	}
	mismatch := url.Values{"current": {password}, "password": {"a-new-password"}, "confirm": {"another-one"}}
	res = laptop.post("/app/bella/account/password", mismatch)
	d = doc(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity || d.Find(`[data-testid="error-confirm"]`).Length() == 0 {
		t.Fatalf("confirmation differs: %d", res.StatusCode)
	}
	if !signedIn(t, phone) {
		t.Fatal("a refused change must not end sessions")
	}

	res = laptop.post("/app/bella/account/password", form)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change password: %d", res.StatusCode)
	}
	if !signedIn(t, laptop) {
		t.Fatal("the browser that changed the password stays signed in")
	}
	if signedIn(t, phone) {
		t.Fatal("the other browser must be signed out after a password change")
	}
	res = e.anon().post("/login", url.Values{"email": {"manager@bella.test"}, "password": {"a-new-password"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the new password signs in: %d", res.StatusCode)
	}
}

// Item 7: a role change ends the person's sessions; an Owner can sign a member out
// everywhere; nobody else can, and not for another venue's people.
func TestRoleChangeAndSignOutEverywhere(t *testing.T) {
	e := newEnv(t)
	owner := e.login("owner", "bella")
	staff := e.login("staff", "bella")
	staffID := e.userID("staff@bella.test")

	res := owner.post(fmt.Sprintf("/app/bella/settings/team/%d", staffID), url.Values{"role": {"manager"}})
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("role change: %d", res.StatusCode)
	}
	if signedIn(t, staff) {
		t.Fatal("a role change must end that person's sessions")
	}

	manager := e.login("manager", "bella")
	staff = e.login("staff", "bella")
	staffAgain := e.login("staff", "bella")
	d := doc(t, owner.get("/app/bella/settings/team"))
	if got := d.Find(fmt.Sprintf(`[data-testid="signout-%d"]`, staffID)).Text(); !strings.Contains(got, "2 browsers") {
		t.Fatalf("team page should say where they are signed in, got %q", got)
	}
	// A manager cannot reach it; another venue's owner gets 404 for this venue's people.
	res = manager.post(fmt.Sprintf("/app/bella/settings/team/%d/signout", staffID), nil)
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden || !signedIn(t, staff) {
		t.Fatalf("manager: %d", res.StatusCode)
	}
	kiwiOwner := e.login("owner", "kiwi")
	res = kiwiOwner.post(fmt.Sprintf("/app/kiwi/settings/team/%d/signout", staffID), nil)
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound || !signedIn(t, staff) {
		t.Fatalf("another venue's owner: %d", res.StatusCode)
	}
	res = owner.post(fmt.Sprintf("/app/bella/settings/team/%d/signout", staffID), nil)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out everywhere: %d", res.StatusCode)
	}
	if signedIn(t, staff) || signedIn(t, staffAgain) {
		t.Fatal("sign out everywhere must end every session of the member")
	}
	if !signedIn(t, owner) || !signedIn(t, manager) {
		t.Fatal("other people stay signed in")
	}
}
