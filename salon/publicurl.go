package salon

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
)

// The public address is where clients' links point: booking pages, resume links, flash
// deals. It is PUBLIC_URL when set, else the address saved on the first-run page or in
// Settings. A link to this computer or a private network (localhost, 127.0.0.1,
// 192.168.x.x, a name without a dot) opens on no client's phone, so outside the demo
// no message carrying one is queued, and links are left out while no address is set.

// PublicAddressWhere is what a person is told about where to set the address.
const PublicAddressWhere = "Set your public address (e.g. https://salon.example.com) under Settings → Venue → Public address, or with PUBLIC_URL."

// ParsePublicURL checks an address typed on the first-run page or in Settings and
// returns it without a trailing slash. It must be http(s), have a host, carry no query
// or fragment, and be reachable from a client's phone (see PublicURLProblem).
func ParsePublicURL(s string) (string, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	if s == "" {
		return "", fmt.Errorf("Enter the address clients and staff use, e.g. https://salon.example.com.")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("Use a web address like https://salon.example.com.")
	}
	if p := PublicURLProblem(s); p != "" {
		return "", fmt.Errorf("%s", p)
	}
	return s, nil
}

// PublicURLProblem says why links built on the address would not open on a client's
// phone, or "" when they would.
func PublicURLProblem(u string) string {
	if strings.TrimSpace(u) == "" {
		return "No public address is set, so messages cannot carry links to your booking pages."
	}
	p, err := url.Parse(u)
	if err != nil || p.Hostname() == "" {
		return fmt.Sprintf("%q is not a web address.", u)
	}
	if localHost(p.Hostname()) {
		return fmt.Sprintf("%s points at this computer or a private network: links to it open on no client's phone.", u)
	}
	return ""
}

// localHost reports a host name or IP that only this machine or its own network can
// reach.
func localHost(h string) bool {
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	if ip := net.ParseIP(h); ip != nil {
		return ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() || ip.IsLinkLocalUnicast()
	}
	return h == "localhost" || strings.HasSuffix(h, ".localhost") || strings.HasSuffix(h, ".local") ||
		strings.HasSuffix(h, ".internal") || strings.HasSuffix(h, ".lan") || !strings.Contains(h, ".")
}

var linkPattern = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"']+`)

// LocalLink returns the first link in a message that points at this computer or a
// private network ("" when there is none): such a message is not queued outside the
// demo.
func LocalLink(body string) string {
	for _, l := range linkPattern.FindAllString(body, -1) {
		l = strings.TrimRight(l, ".,;:!?)")
		if u, err := url.Parse(l); err == nil && u.Hostname() != "" && localHost(u.Hostname()) {
			return l
		}
	}
	return ""
}

// LocalLinkError is the message beside a draft whose link would not open.
func LocalLinkError(link string) string {
	return fmt.Sprintf("The link %s opens only on this computer, not on a client's phone, so this message is not sent. %s", link, PublicAddressWhere)
}
