package messaging_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"concierge/messaging"
)

// A venue with its own sending number texts from it; the others from the default.
func TestTwilioSendsFromTheVenueNumber(t *testing.T) {
	var from string
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		from = r.PostForm.Get("From")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		io.WriteString(w, `{"sid":"SM1","status":"queued"}`)
	}))
	defer fake.Close()
	u, _ := url.Parse(fake.URL)
	tw := messaging.NewTwilio(messaging.TwilioConfig{AccountSID: "ACtest123", AuthToken: "secret", From: "+61400000000",
		HTTPClient: &http.Client{Transport: rewrite{u}, Timeout: 5 * time.Second}})
	for _, tc := range []struct{ venue, want string }{{"", "+61400000000"}, {"+61400000111", "+61400000111"}} {
		r, err := tw.Send(context.Background(), messaging.Envelope{Channel: messaging.SMS, From: tc.venue, To: "+61412345678", Body: "Hi"})
		if err != nil {
			t.Fatal(err)
		}
		if from != tc.want || r.From != tc.want {
			t.Errorf("venue number %q: sent from %q, receipt %q; want %q", tc.venue, from, r.From, tc.want)
		}
	}
}
