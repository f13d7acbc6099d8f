package views

// ReconnectVM is the Client Reconnect page.
type ReconnectVM struct {
	Categories   []ReconnectRow
	TotalOverdue int
	Selected     *OverdueListVM // the category whose overdue clients are listed
	Automatic    bool
}

// ReconnectRow is one service category.
type ReconnectRow struct {
	ID          int64
	Name        string
	Overdue     int
	Sent        int
	Reconnected int
	Revenue     string
	ListURL     string
	Current     bool
}

// OverdueListVM lists the overdue clients of one category.
type OverdueListVM struct {
	CategoryID   int64
	CategoryName string
	Clients      []OverdueRow
	More         int // beyond the list
}

// OverdueRow is one overdue client.
type OverdueRow struct {
	ClientID    int64
	Name        string
	LastVisit   string
	Interval    string
	DaysOverdue int
}

// ReconnectSettingsVM is the reconnect settings page.
type ReconnectSettingsVM struct {
	Automatic        bool
	GracePct         string
	Channel          string
	EmailOnly        bool
	FollowupDays     string
	Time             string // HH:MM
	Template         string
	FollowupTemplate string
	TemplatePreview  string
	FollowupPreview  string
	Subject          string // the emails' subjects, the built-in ones when the venue has set none
	FollowupSubject  string
	Errors           FieldErrors
}
