package salon

// ExclusionReasons say why a client in an audience cannot be messaged, in the order the
// filters apply: each excluded client is attributed to the first filter that removed
// them. The keys are those of an audience's Excluded counts; the labels are shown.
var ExclusionReasons = []struct{ Key, Label string }{
	{"opted_out", "opted out"},
	{"blocked", "blocked"},
	{"no_contact", "no contact details"},
	{"open_thread", "in an open or escalated inbox conversation"},
	{"recently_messaged", "messaged in the last 30 days"},
	{"wave_cap", "sent a win-back in the last 90 days"},
	{"cooldown", "contacted in the last 24 hours"},
	{"busy", "already booked at that time"},
}
