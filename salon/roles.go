package salon

// Role is a person's role in one venue.
type Role string

// The roles, from most to least privileged.
const (
	Owner   Role = "owner"
	Manager Role = "manager"
	Staff   Role = "staff"
)

// ParseRole accepts owner, manager or staff.
func ParseRole(s string) (Role, bool) {
	switch Role(s) {
	case Owner, Manager, Staff:
		return Role(s), true
	}
	return "", false
}

// Approves says whether the role approves (or rejects) the actions others queue, and
// so sees every action of the venue and what is waiting: Owners and Managers.
func (r Role) Approves() bool { return r == Owner || r == Manager }

// Title is the role's display name.
func (r Role) Title() string {
	switch r {
	case Owner:
		return "Owner"
	case Manager:
		return "Manager"
	default:
		return "Staff"
	}
}

// Membership is a user's place in one venue.
type Membership struct {
	UserID         int64
	VenueID        int64
	Role           Role
	ManageWaitlist bool  // gates the Follow-ups panel; always on for Owner and Manager
	StaffID        int64 // the staff record whose bookings are this user's own; 0 if none
}

// CanManageWaitlist says who may use the Follow-ups panel: Owners and Managers always,
// Staff when given the permission.
func (m Membership) CanManageWaitlist() bool {
	return m.Role == Owner || m.Role == Manager || m.ManageWaitlist
}

// NoticeIncompleteBooking is the kind of the business-wide in-app notification sent
// when an online booking is abandoned.
const NoticeIncompleteBooking = "incomplete_booking"

// NoticeActionPending is the kind of notification asking approvers to look at a
// queued action; it names the action, which only Owners and Managers may see.
const NoticeActionPending = "action_pending"

// NoticeSparksLow is the kind of the notification sent once a month when 80% of the
// venue's Spark allowance is used; the allowance is managed by Owners and Managers.
const NoticeSparksLow = "sparks_low"

// HiddenNotices lists the kinds of business-wide notification this member does not
// see. Incomplete bookings are the Follow-ups panel's work, so only members who may
// manage the waitlist hear of them; approval requests go to those who can approve.
func (m Membership) HiddenNotices() []string {
	var hidden []string
	if !m.CanManageWaitlist() {
		hidden = append(hidden, NoticeIncompleteBooking)
	}
	if !m.Role.Approves() {
		hidden = append(hidden, NoticeActionPending)
	}
	if !m.CanManageVenue() {
		hidden = append(hidden, NoticeSparksLow)
	}
	return hidden
}

// CanSeeAction is the viewer rule of a Concierge action, for its page, its card and
// every route that acts on it: Owners and Managers see every action of the venue (they
// approve them), anyone else only the actions they created.
func (m Membership) CanSeeAction(createdBy int64) bool {
	return m.Role.Approves() || createdBy == m.UserID
}

// CanManageTeam says who edits staff, roles and logins: the Owner only.
func (m Membership) CanManageTeam() bool { return m.Role == Owner }

// CanManageVenue says who edits venue settings, prices, wallet and imports: Owner and Manager.
func (m Membership) CanManageVenue() bool { return m.Role == Owner || m.Role == Manager }

// User is a person who signs in.
type User struct {
	ID           int64
	Email        string
	Name         string
	PasswordHash string
}

// roleMessage is what a role other than owner, manager or staff is told.
const roleMessage = "Role must be owner, manager or staff."

// CheckRole refuses a role that is not owner, manager or staff.
func CheckRole(r Role) error {
	if _, ok := ParseRole(string(r)); !ok {
		return Invalid(map[string]string{"role": roleMessage})
	}
	return nil
}

// LastOwnerError is the refusal to take the Owner role from a venue's last Owner: a
// venue always keeps at least one. Whether they are the last is counted in the store.
func LastOwnerError() error {
	return Invalid(map[string]string{"role": "A venue needs at least one Owner."})
}

// NewUser is what adding a person to a venue needs.
type NewUser struct {
	Email, Name, Password string
	Role                  Role
	ManageWaitlist        bool
}

// Validate checks a new person's email, name, role and password; the map is empty
// when all is well.
func (n NewUser) Validate() map[string]string {
	errs := map[string]string{}
	if _, err := ParseEmail(n.Email); err != nil {
		errs["email"] = err.Error()
	}
	if msg := CheckName(n.Name); msg != "" {
		errs["name"] = msg
	}
	if _, ok := ParseRole(string(n.Role)); !ok {
		errs["role"] = roleMessage
	}
	if msg := CheckPassword(n.Password); msg != "" {
		errs["password"] = msg
	}
	return errs
}
