package views

// ClientDataVM is the client page's "Their data" card: what the viewer may do with the
// client's record.
type ClientDataVM struct {
	ClientID  int64
	CanExport bool // Owner or Manager
	CanForget bool // Owner
	Forgotten bool // already anonymised
}

// ForgetClientVM is the confirm step of forgetting a client.
type ForgetClientVM struct {
	ClientID int64
	Name     string
	Bookings int
	Messages int
	Errors   FieldErrors
}
