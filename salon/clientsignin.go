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

// MaskSecret stands in for any secret a message carries (a code, a resume link's
// signature): as many '*' as the secret has characters, so the stored text measures
// the same segments and cost as the text sent.
func MaskSecret(secret string) string { return strings.Repeat("*", len(secret)) }

// RevealCode puts the real secret back into a masked message body, for the provider
// only.
func RevealCode(body, secret string) string {
	if secret == "" {
		return body
	}
	return strings.Replace(body, MaskSecret(secret), secret, 1)
}

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
