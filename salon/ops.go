package salon

// LowWalletSegments is how many SMS segments a venue's wallet must still pay for before
// it counts as low: 100 segments is a day or two of reminders and replies for a busy
// salon, time enough for an operator alerted by /metrics to top it up.
const LowWalletSegments = 100

// WalletLow says whether the venue's SMS wallet is running low: it texts (email-only
// countries never spend from the wallet) and holds less than LowWalletSegments at its
// SMS price.
func (v Venue) WalletLow() bool {
	if v.Channel() != SMS || v.SMSPriceE4 <= 0 {
		return false
	}
	return v.WalletE4 < LowWalletSegments*v.SMSPriceE4
}
