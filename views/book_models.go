package views

// BookVM is the public booking page, one step at a time: choose, sign in, review,
// done (or a problem).
type BookVM struct {
	Slug, Venue string
	Profile     PublicVenueVM // the venue's header: logo, address, phone, policy
	CSRF        string
	Step        string // choose, signin, code, review, done, expired, problem
	// The selection, carried through every step.
	Services  []ServiceOption
	Packages  []ServiceOption // packages bookable online (radio "package")
	Staff     []Option        // "" = Any team member
	StaffID   string
	Dates     []Option
	Date      string
	Slots     []SlotChoice
	Slot      string // "unix:staffID"
	Notes     string
	Selection []Hidden // the selection as hidden fields for the later steps
	// Sign-in.
	Phone, Email, First, Last string
	NeedEmail                 bool
	// Review and done.
	Summary    []string // "Full Colour (90 min)"
	When, With string
	Total      string
	DeadlineMS int64  // when the 10 minutes end, unix milliseconds
	Left       string // "9:42", rendered by the server, kept live by app.js
	Red        bool   // 2 minutes or less
	DraftID    int64
	Errors     FieldErrors
	Problem    string
	ChooseURL  string // back to the time picker with the selection
}

// SignInVM is one step of the code sign-in (signin, code, name), posted to
// Action+"/code" and Action+"/verify" with Hidden carried along.
type SignInVM struct {
	Step, Action, CSRF string
	Hidden             []Hidden
	Phone, Email       string
	First, Last        string
	NeedEmail          bool // email-only venue: the code goes by email
	Sub                bool // inside a page with its own h1 (a deal): the step heading is an h2
	Errors             FieldErrors
}

// SlotChoice is one bookable time.
type SlotChoice struct {
	Value, Label string
	Checked      bool
}

// Hidden is a hidden form field.
type Hidden struct{ Name, Value string }

// FollowUpsVM is the calendar's Follow-ups panel (Manage Waitlist permission).
type FollowUpsVM struct {
	Tab        string // waitlist or incomplete
	Incomplete []IncompleteCard
	Count      int // the amber badge
	Waitlist   []WaitlistRow
	Services   []ServiceOption
	Errors     FieldErrors
	ClientOpts []Option
}

// IncompleteCard is one abandoned online booking.
type IncompleteCard struct {
	DraftID      int64
	ClientID     int64
	Name         string
	Phone, Email string
	PhoneHref    string // tel: link
	PhoneLabel   string // the number as the venue writes it
	Services     string
	When         string
	With         string
	LastActivity string // "12 min ago"
	// LastActivityAt is the exact time (shown on hover), LastActivityISO its datetime.
	LastActivityAt, LastActivityISO string
	NobodyFree                      bool   // "Any team member" and nobody is free then: the form asks who
	Reminder                        string // "Reminder sent by SMS 21 Nov 10:04", "Not sent: Sofia has muted SMS and email" or "No reminder yet"
	CanRemind                       bool
	CantRemind                      string // why Send reminder is off: "Sofia has muted SMS and email"
	BookURL                         string
	RemindLabel                     string
}

// WaitlistRow is one waitlist entry, with the open gaps that suit it.
type WaitlistRow struct {
	ID       int64
	ClientID int64
	Name     string
	Services string
	Prefs    string
	Notes    string
	Matches  []string // "Tue 24 Nov 10:00 with Mia"
}

// ReminderVM is Settings → Automated messages → Incomplete booking reminder.
type ReminderVM struct {
	SMS, Email, EmailOnly bool
	Template, Preview     string
	Errors                FieldErrors
}
