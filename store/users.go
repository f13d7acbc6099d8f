package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"concierge/salon"
)

var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("not a real password"), BcryptCost)
	return h
})

// BcryptCost is the cost used for new passwords; tests lower it for speed.
var BcryptCost = bcrypt.DefaultCost

// NewUser is what adding a person to a venue needs (salon.NewUser, with its validation).
type NewUser = salon.NewUser

// AddUser creates the user (or reuses one with that email), gives them the role in the
// venue and a staff record of the same name so they have their own bookings and clients.
// Re-adding an existing member changes their role.
func (s *Store) AddUser(ctx context.Context, venueID, actorID int64, n NewUser) (salon.User, error) {
	email, hash, err := checked(&n)
	if err != nil {
		return salon.User{}, err
	}
	var u salon.User
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = s.addUser(ctx, tx, venueID, actorID, n, email, hash)
		return err
	})
	return u, err
}

// checked validates a new user (salon.NewUser.Validate), trims the name and hashes the
// password.
func checked(n *NewUser) (string, []byte, error) {
	if errs := n.Validate(); len(errs) > 0 {
		return "", nil, salon.Invalid(errs)
	}
	email, _ := salon.ParseEmail(n.Email)
	n.Name = strings.TrimSpace(n.Name)
	hash, err := bcrypt.GenerateFromPassword([]byte(n.Password), BcryptCost)
	if err != nil {
		return "", nil, fmt.Errorf("store: hash password: %w", err)
	}
	return email, hash, nil
}

// addUser is AddUser's transaction, for callers that create more in the same one.
func (s *Store) addUser(ctx context.Context, tx *sql.Tx, venueID, actorID int64, n NewUser, email string, hash []byte) (salon.User, error) {
	var u salon.User
	err := func() error {
		now := s.now().Unix()
		err := tx.QueryRowContext(ctx, `SELECT id, email, name, password_hash FROM users WHERE email = ?`, email).
			Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			res, err := tx.ExecContext(ctx, `INSERT INTO users (email, name, password_hash, created_at) VALUES (?, ?, ?, ?)`,
				email, n.Name, string(hash), now)
			if err != nil {
				return mapErr(err, "user "+email)
			}
			u.ID, _ = res.LastInsertId()
			u.Email, u.Name, u.PasswordHash = email, n.Name, string(hash)
		case err != nil:
			return fmt.Errorf("store: find user: %w", err)
		}
		staffID, err := ensureStaff(ctx, tx, venueID, n.Name, now)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE staff SET user_id = ? WHERE id = ?`, u.ID, staffID); err != nil {
			return fmt.Errorf("store: link staff: %w", err)
		}
		var before string
		if err := tx.QueryRowContext(ctx, `SELECT role FROM memberships WHERE user_id = ? AND venue_id = ?`, u.ID, venueID).Scan(&before); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: find membership: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO memberships (user_id, venue_id, role, manage_waitlist, staff_id) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (user_id, venue_id) DO UPDATE SET role = excluded.role, manage_waitlist = excluded.manage_waitlist`,
			u.ID, venueID, n.Role, b2i(n.ManageWaitlist || n.Role != salon.Staff), staffID)
		if err != nil {
			return fmt.Errorf("store: add membership: %w", err)
		}
		if before != "" && before != string(n.Role) {
			// Re-adding a member with another role is a role change: new sessions only.
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
				return fmt.Errorf("store: end sessions: %w", err)
			}
		}
		return audit(ctx, tx, s.now(), venueID, actorID, "user", u.ID, "member_added", nil, map[string]any{"email": email, "role": n.Role})
	}()
	return u, err
}

// Authenticate checks an email and password. A wrong email or password both give
// ErrNotFound, and a bcrypt comparison runs either way so timing does not tell which.
func (s *Store) Authenticate(ctx context.Context, email, password string) (salon.User, error) {
	var u salon.User
	err := s.db.QueryRowContext(ctx, `SELECT id, email, name, password_hash FROM users WHERE email = ?`,
		strings.TrimSpace(email)).Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash)
	if errors.Is(err, sql.ErrNoRows) {
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return salon.User{}, salon.ErrNotFound
	}
	if err != nil {
		return salon.User{}, fmt.Errorf("store: authenticate: %w", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		return salon.User{}, salon.ErrNotFound
	}
	return u, nil
}

// User loads a user by id.
func (s *Store) User(ctx context.Context, id int64) (salon.User, error) {
	var u salon.User
	err := s.db.QueryRowContext(ctx, `SELECT id, email, name, password_hash FROM users WHERE id = ?`, id).
		Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash)
	return u, mapErr(err, "user")
}

// Membership loads a user's membership of a venue; ErrNotFound when they have none.
func (s *Store) Membership(ctx context.Context, userID, venueID int64) (salon.Membership, error) {
	m := salon.Membership{UserID: userID, VenueID: venueID}
	var role string
	var staffID sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT role, manage_waitlist, staff_id FROM memberships WHERE user_id = ? AND venue_id = ?`,
		userID, venueID).Scan(&role, &m.ManageWaitlist, &staffID)
	m.Role, m.StaffID = salon.Role(role), staffID.Int64
	return m, mapErr(err, "membership")
}

// UserVenue is one venue a user belongs to, for the venue switcher.
type UserVenue struct {
	Slug, Name string
	Role       salon.Role
}

// UserVenues lists the venues a user belongs to.
func (s *Store) UserVenues(ctx context.Context, userID int64) ([]UserVenue, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT v.slug, v.name, m.role FROM memberships m JOIN venues v ON v.id = m.venue_id
		WHERE m.user_id = ? ORDER BY v.name`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: user venues: %w", err)
	}
	return collect(rows, func(r row) (UserVenue, error) {
		var uv UserVenue
		err := r.Scan(&uv.Slug, &uv.Name, &uv.Role)
		return uv, err
	})
}

// Member is a row of the staff and roles page.
type Member struct {
	UserID         int64
	Email, Name    string
	Role           salon.Role
	ManageWaitlist bool
}

// Members lists the people with a login in the venue.
func (s *Store) Members(ctx context.Context, venueID int64) ([]Member, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT u.id, u.email, u.name, m.role, m.manage_waitlist
		FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.venue_id = ?
		ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'manager' THEN 1 ELSE 2 END, u.name`, venueID)
	if err != nil {
		return nil, fmt.Errorf("store: members: %w", err)
	}
	return collect(rows, func(r row) (Member, error) {
		var m Member
		err := r.Scan(&m.UserID, &m.Email, &m.Name, &m.Role, &m.ManageWaitlist)
		return m, err
	})
}

// SetMemberRole changes a member's role and Manage Waitlist permission. The venue always
// keeps at least one Owner.
func (s *Store) SetMemberRole(ctx context.Context, venueID, actorID, userID int64, role salon.Role, manageWaitlist bool) error {
	if err := salon.CheckRole(role); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var before string
		if err := tx.QueryRowContext(ctx, `SELECT role FROM memberships WHERE venue_id = ? AND user_id = ?`, venueID, userID).Scan(&before); err != nil {
			return mapErr(err, "membership")
		}
		if before == string(salon.Owner) && role != salon.Owner {
			var owners int
			tx.QueryRowContext(ctx, `SELECT count(*) FROM memberships WHERE venue_id = ? AND role = 'owner'`, venueID).Scan(&owners)
			if owners <= 1 {
				return salon.LastOwnerError()
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE memberships SET role = ?, manage_waitlist = ? WHERE venue_id = ? AND user_id = ?`,
			role, b2i(manageWaitlist || role != salon.Staff), venueID, userID)
		if err != nil {
			return fmt.Errorf("store: set role: %w", err)
		}
		if before != string(role) {
			// What a signed-in person may do changed: they sign in again everywhere.
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
				return fmt.Errorf("store: end sessions: %w", err)
			}
		}
		return audit(ctx, tx, s.now(), venueID, actorID, "user", userID, "role_changed", before, role)
	})
}

// Secret returns the named installation secret, creating it with gen on first use.
func (s *Store) Secret(ctx context.Context, name string, gen func() []byte) ([]byte, error) {
	var v []byte
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT value FROM app_secrets WHERE name = ?`, name).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			v = gen()
			_, err = tx.ExecContext(ctx, `INSERT INTO app_secrets (name, value) VALUES (?, ?)`, name, v)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: secret %s: %w", name, err)
	}
	return v, nil
}
