package salon

import "testing"

func TestParsePublicURL(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"https://salon.example.com/", "https://salon.example.com", true},
		{"salon.example.com", "https://salon.example.com", true},
		{"http://bella.example.com:8443/concierge", "http://bella.example.com:8443/concierge", true},
		{"", "", false},
		{"http://localhost:8080", "", false},
		{"http://127.0.0.1:8080", "", false},
		{"http://[::1]:8080", "", false},
		{"http://192.168.1.20:8080", "", false},
		{"http://10.0.0.5", "", false},
		{"http://0.0.0.0:8080", "", false},
		{"http://salon-pc:8080", "", false},
		{"http://salon.local", "", false},
		{"ftp://salon.example.com", "", false},
		{"https://salon.example.com/?x=1", "", false},
		{"https://user:pw@salon.example.com", "", false},
	}
	for _, tc := range cases {
		got, err := ParsePublicURL(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParsePublicURL(%q) = %q, %v; want %q ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestLocalLink(t *testing.T) {
	cases := []struct{ body, want string }{
		{"Book here: http://localhost:8080/book/bella.", "http://localhost:8080/book/bella"},
		{"Book: https://salon.example.com/book/bella and http://127.0.0.1:9000/x", "http://127.0.0.1:9000/x"},
		{"Book here: https://salon.example.com/book/bella", ""},
		{"Reply to this message and we'll find you a time.", ""},
		{"See HTTP://LOCALHOST/book", "HTTP://LOCALHOST/book"},
		{"Review us at https://g.page/r/bella", ""},
	}
	for _, tc := range cases {
		if got := LocalLink(tc.body); got != tc.want {
			t.Errorf("LocalLink(%q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}
