package salon

import "unicode/utf16"

// gsm7 holds the GSM 03.38 basic character set; gsm7Ext the extension table, whose
// characters take two septets (an escape and the character).
var gsm7 = map[rune]bool{}
var gsm7Ext = map[rune]bool{}

func init() {
	for _, r := range "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà" {
		gsm7[r] = true
	}
	for _, r := range "^{}\\[~]|€\f" {
		gsm7Ext[r] = true
	}
}

// Encoding is how an SMS body is encoded.
type Encoding string

// The SMS encodings.
const (
	GSM7 Encoding = "GSM-7"
	UCS2 Encoding = "UCS-2"
)

// SMSInfo describes how a body will travel: its encoding, length in that encoding's
// units and number of segments.
type SMSInfo struct {
	Encoding Encoding
	Units    int
	Segments int
}

// MeasureSMS counts segments: GSM-7 fits 160 septets in one segment and 153 per
// segment when concatenated; UCS-2 fits 70 UTF-16 units, 67 when concatenated. An
// empty body is zero segments.
func MeasureSMS(body string) SMSInfo {
	septets, isGSM := 0, true
	for _, r := range body {
		switch {
		case gsm7[r]:
			septets++
		case gsm7Ext[r]:
			septets += 2
		default:
			isGSM = false
		}
	}
	if isGSM {
		return SMSInfo{Encoding: GSM7, Units: septets, Segments: segments(septets, 160, 153)}
	}
	units := len(utf16.Encode([]rune(body)))
	return SMSInfo{Encoding: UCS2, Units: units, Segments: segments(units, 70, 67)}
}

func segments(units, single, multi int) int {
	switch {
	case units == 0:
		return 0
	case units <= single:
		return 1
	default:
		return (units + multi - 1) / multi
	}
}

// MessageCost is the one rule for what a message costs the venue: an SMS is its
// segments × the venue's per-segment price (in ten-thousandths of the currency unit);
// email, and anything from a venue that never texts (NZ), costs nothing and has no
// segments.
func MessageCost(v Venue, ch Channel, body string) (segments int, costE4 int64) {
	if ch != SMS || !v.Country.SendsSMS() {
		return 0, 0
	}
	segments = MeasureSMS(body).Segments
	return segments, SMSCostE4(segments, v.SMSPriceE4)
}

// SMSCostE4 is segments × per-segment price, in ten-thousandths of the currency unit.
func SMSCostE4(segments int, priceE4 int64) int64 { return int64(segments) * priceE4 }
