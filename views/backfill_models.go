package views

// BackfillVM is the backfill page: the gap list, or one gap with its ranked clients.
type BackfillVM struct {
	Days       []DayTab // list mode: the days with gaps
	Gaps       []GapRow // list mode: the chosen day's gaps
	Recovery   RecoveryVM
	Gap        *GapVM // rank mode
	Services   []Option
	Candidates []CandidateRow
	Waiting    []WaitingRow // waitlist clients whose request suits the gap, shown first
	Body       string
	Errors     FieldErrors
	Preview    *AudienceVM
	SendLabel  string
}

// GapRow is one open gap in the list.
type GapRow struct {
	Day, Time, Staff, Length, URL string
}

// GapVM is the gap being filled.
type GapVM struct {
	StaffID    int64
	Staff      string
	When       string
	Length     string
	Start      string // the start as the form and URLs carry it
	ServiceID  int64
	ActionURL  string // /app/{slug}/backfill
	CanRedraft bool   // a language model is configured
}

// CandidateRow is one ranked client.
type CandidateRow struct {
	ClientID  int64
	DataID    string // the external id when imported, else the internal id
	Rank      int
	Name      string
	Score     int
	Band      string
	Checked   bool
	Waiting   bool // also on the waitlist for this gap: chosen in "Waiting for this" above
	LastVisit string
	Interval  string
	Factors   []FactorCell
}

// WaitingRow is a waitlist client whose request suits the gap.
type WaitingRow struct {
	ClientID  int64
	Name      string
	Services  string // what they are waiting for
	Checked   bool
	CantOffer bool // a contact rule stops the offer reaching them now
}

// FactorCell is one factor of a candidate's score.
type FactorCell struct {
	Name   string
	Pct    int    // the factor, 0–100
	Points string // its weighted share of the score
}

// RecoveryVM is what backfill recovered in the last 30 days.
type RecoveryVM struct {
	Sent, Messaged, Booked int
	Revenue, Conversion    string
}

// DayTab is one day with gaps.
type DayTab struct {
	Label   string
	URL     string
	Count   int
	Current bool
}
