package salon

import (
	"net/netip"
	"strings"
)

// CodeMask stands in for a one-time sign-in code wherever a message is stored or
// shown: staff must not be able to read a client's code and sign in as them. It has
// the code's length and GSM-7 characters, so the stored text measures the same
// segments and cost as the text actually sent.
const CodeMask = "******"

// RevealCode puts the real code into a masked message body, for the provider only.
func RevealCode(body, code string) string { return strings.Replace(body, CodeMask, code, 1) }

// ClientNetwork is what the per-IP code limit counts by: an IPv4 address as it is, an
// IPv6 address by its /64 (one subscriber usually holds a whole /64, so counting
// single addresses would let them rotate through 2^64 of them). Anything unparsable
// is counted as written.
func ClientNetwork(ip string) string {
	addr, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		return ip
	}
	addr = addr.Unmap()
	if addr.Is4() {
		return addr.String()
	}
	p, err := addr.WithZone("").Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}
