package views

// DashboardVM is the dashboard: today's numbers and appointments.
type DashboardVM struct {
	DateLabel                 string
	Today, Completed, NoShows int
	Upcoming                  int
	Revenue, Wallet           string
	Sparks                    int64
	SparkUse                  string // "37 of 200 Sparks used this month"
	Channel                   string
	Appointments              []BookingRow
	GapsTomorrow              int  // open gaps in tomorrow's working hours
	ShowBackfill              bool // Owner and Manager: the backfill link and recovery numbers
	Recovery                  RecoveryVM
	Incomplete                int // incomplete online bookings; the card shows only above zero, with the permission
	// Needs attention: each figure is 0 (or empty) unless the member may act on it.
	Approvals         []DashApproval // actions waiting for an Owner or Manager
	Unread, Escalated int            // inbox threads waiting for a reply
	WalletLow         bool           // the SMS wallet holds less than salon.LowWalletSegments texts
	TroubledSends     int            // failed or unknown sends of the last week
	TroubledDays      int
}

// DashApproval is one action waiting for approval, approved or rejected from the dashboard.
type DashApproval struct {
	ID                   int64
	Title, Kind, Creator string
	Audience             int
	Cost                 string
	Own                  bool // its creator cannot approve it: Review instead
}

// NothingToDo says the Needs attention list is empty.
func (vm DashboardVM) NothingToDo() bool {
	return len(vm.Approvals) == 0 && vm.Unread == 0 && vm.Escalated == 0 && vm.Incomplete == 0 &&
		!(vm.ShowBackfill && vm.GapsTomorrow > 0) && !vm.WalletLow && vm.TroubledSends == 0
}

// BookingRow is one appointment in a list or calendar column.
type BookingRow struct {
	ID          int64
	Time        string
	ClientID    int64
	ClientName  string
	StaffName   string
	Services    string
	Status      string
	StatusLabel string
	Price       string
	Started     bool // completion and no-show are offered once it has started
	Top, Height int  // calendar placement in minutes from the column's start
}

// ClientsVM is the client list with search and paging.
type ClientsVM struct {
	Query       string
	Cohort      string // a cohort filter from the Concierge, e.g. vips
	CohortLabel string
	Rows        []ClientRow
	Total       int
	Page, Pages int
}

// ClientRow is one line of the client list.
type ClientRow struct {
	ID                 int64
	Name, Phone, Email string
	Tags               []string
	Flags              []string // "SMS opt-out", "Blocked", …
}

// ClientForm is the client edit form's values and errors.
type ClientForm struct {
	Action                            string
	IsNew                             bool
	FirstName, LastName, Phone, Email string
	Birthday, Tags                    string
	SMSOptOut, EmailOptOut, Blocked   bool
	NotifySMS, NotifyEmail            bool
	Errors                            FieldErrors
	Saved                             bool
	Country                           string
}

// ClientVM is a client's page.
type ClientVM struct {
	ID                 int64
	Name               string
	Phone, Email       string
	Birthday           string
	Tags               []string
	Flags              []string
	Completed, NoShows int
	Upcoming           int
	Spend, LastVisit   string
	Bookings           []BookingRow
	Messages           []MessageRow
	Form               ClientForm
	Data               ClientDataVM // the export and forget card (clientdata.templ)
}

// MessageRow is a message in a thread or the outbox.
type MessageRow struct {
	ID                 int64
	ClientID           int64
	ClientName         string
	Channel, Direction string
	Purpose            string
	To, Subject, Body  string
	Status, Error      string
	Segments           int
	Cost               string
	At                 string
	CanSimulateReply   bool
	DemoText           string // outbox mode, Owners only: the real text the masked body stands for (a code, a resume link)
}

// CalendarVM is the day view: one column per staff member.
type CalendarVM struct {
	Date, DateLabel       string
	Prev, Next, TodayDate string
	IsToday               bool
	StartMin, EndMin      int // the visible window, minutes after midnight
	Hours                 []HourMark
	Columns               []StaffColumn
	FollowUps             *FollowUpsVM // nil without the Manage Waitlist permission
}

// HourMark is a labelled line on the calendar.
type HourMark struct {
	Label string
	Top   int
}

// StaffColumn is one staff member's day.
type StaffColumn struct {
	StaffID  int64
	Name     string
	Hours    string
	Off      bool
	Bookings []BookingRow
}

// BookingForm is the create/edit appointment form.
type BookingForm struct {
	ID              int64
	Action          string
	ClientID        int64
	ClientName      string
	ClientOptions   []Option
	StaffID         int64
	Staff           []Option
	Date, Time      string
	Services        []ServiceOption
	PackageID       int64           // the package chosen, if any
	Variants        map[int64]int64 // service id → the option chosen
	Packages        []Option        // the venue's packages (not archived)
	Notes           string
	Errors          FieldErrors
	ConflictMessage string
	Skipped         string // "Gel Nails is no longer offered and was left out."
	OutsideHours    bool   // show the "book outside their hours" box (ticked when posted ticked)
}

// Option is a select option.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

// ServiceOption is a service checkbox.
type ServiceOption struct {
	ID       int64
	Label    string
	Category string
	Checked  bool
	Name     string   // the service's own name (the options' label says which it is for)
	Variants []Option // its options on the booking page: value "service:variant"
}

// SettingsVM is the venue settings page.
type SettingsVM struct {
	SendDelay    string
	SendDelayErr string
	Venue        VenueForm
	SMSPrice     string
	SMSPriceErr  string
	Currency     string
	EmailOnly    bool
	Wallet       string
	TopUpErr     string
	Ledger       []LedgerRow
	Staff        []StaffHoursRow
	// SMSFrom is the venue's own sending number as typed; DefaultFrom the instance's
	// (TWILIO_FROM, "" in outbox mode) used when it has none.
	SMSFrom, SMSFromErr, DefaultFrom string
	PublicAddress                    PublicAddressVM // where clients' links point (publicurl.templ)
	// BookingURL is the venue's online booking page, absolute, to copy and share.
	BookingURL string
	// TimeZones are offered in the time zone field's list (any valid zone is accepted).
	TimeZones []string
	// The monthly Spark budget: this month's use, the allowance as typed, and whether
	// the viewer (an Owner) may change it.
	SparkUse, SparkAllowance, SparkAllowanceErr string
	CanSetSparks                                bool
}

// VenueForm is the venue settings form.
type VenueForm struct {
	Name, Country, TimeZone   string
	QuietStart, QuietEnd      string
	Solo                      bool
	StorefrontURL, ReviewLink string
	Errors                    FieldErrors
}

// LedgerRow is one wallet movement.
type LedgerRow struct {
	At, Kind, Amount, Note string
}

// StaffHoursRow lists a staff member's hours.
type StaffHoursRow struct {
	ID     int64
	Name   string
	Active bool
	Hours  string
	Login  bool
}

// StaffForm edits a staff member's weekly hours and active flag.
type StaffForm struct {
	StaffID int64
	Name    string
	Active  bool
	Days    []DayHours
	Errors  FieldErrors
}

// DayHours is one weekday row of the staff form.
type DayHours struct {
	Weekday    int
	Label      string
	Works      bool
	Start, End string
}

// TeamVM is the staff and roles page (Owner only).
type TeamVM struct {
	Members []MemberRow
	Staff   []StaffHoursRow
	Form    TeamForm
}

// MemberRow is a person with a login.
type MemberRow struct {
	UserID            int64
	Name, Email, Role string
	ManageWaitlist    bool
	IsSelf            bool
	Sessions          int // live sign-ins
}

func signedInText(n int) string {
	switch n {
	case 0:
		return "Not signed in"
	case 1:
		return "Signed in on 1 browser"
	}
	return "Signed in on " + itoa(n) + " browsers"
}

// TeamForm adds a person.
type TeamForm struct {
	Name, Email, Role string
	Errors            FieldErrors
}

// ImportVM is the CSV import page and its report.
type ImportVM struct {
	Ran     bool
	DryRun  bool
	Errors  []string
	Summary string
	FormErr string
}

// OutboxVM lists the venue's messages.
type OutboxVM struct {
	Provider  string
	Simulator bool
	Messages  []MessageRow
	Page      int
	HasMore   bool
}

// NotificationsVM lists in-app notifications.
type NotificationsVM struct {
	Items []NotificationRow
}

// NotificationRow is one notification.
type NotificationRow struct {
	Body, Link, At string
	Unread         bool
}
