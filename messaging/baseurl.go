package messaging

import (
	"fmt"
	"net/url"
	"strings"
)

func parseBaseURL(s string) (*url.URL, error) {
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("messaging: base URL %q is not an absolute URL", s)
	}
	return u, nil
}
