package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"

	"concierge/salon"
)

// sessionTouchEvery is how stale last_seen may get before a request writes it again:
// one write a minute per session instead of one per request.
const sessionTouchEvery = time.Minute

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateSession starts a session for the user and returns its token (for the cookie;
// only its hash is kept). Sessions past their idle time or lifetime are swept here.
func (s *Store) CreateSession(ctx context.Context, userID int64, userAgent string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("store: session token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	now := s.now()
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?`,
			now.Add(-salon.SessionIdleTimeout).Unix(), now.Add(-salon.SessionLifetime).Unix()); err != nil {
			return fmt.Errorf("store: sweep sessions: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, user_agent) VALUES (?, ?, ?, ?, ?)`,
			tokenHash(token), userID, now.Unix(), now.Unix(), userAgent)
		return mapErr(err, "session")
	})
	return token, err
}

// Session is a live sign-in.
type Session struct {
	ID, UserID int64
	Created    time.Time
	LastSeen   time.Time
	UserAgent  string
}

// SessionByToken returns the live session of a cookie token, sliding its idle time. An
// unknown, signed-out or expired token is ErrNotFound (and an expired row is removed).
func (s *Store) SessionByToken(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, salon.ErrNotFound
	}
	var ss Session
	var created, seen int64
	err := s.db.QueryRowContext(ctx, `SELECT id, user_id, created_at, last_seen_at, user_agent FROM sessions WHERE token_hash = ?`,
		tokenHash(token)).Scan(&ss.ID, &ss.UserID, &created, &seen, &ss.UserAgent)
	if err != nil {
		return Session{}, mapErr(err, "session")
	}
	ss.Created, ss.LastSeen = time.Unix(created, 0), time.Unix(seen, 0)
	now := s.now()
	if !salon.SessionLive(now, ss.Created, ss.LastSeen) {
		if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, ss.ID); err != nil {
			return Session{}, fmt.Errorf("store: end expired session: %w", err)
		}
		return Session{}, salon.ErrNotFound
	}
	if now.Sub(ss.LastSeen) >= sessionTouchEvery {
		if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, now.Unix(), ss.ID); err != nil {
			return Session{}, fmt.Errorf("store: touch session: %w", err)
		}
		ss.LastSeen = now
	}
	return ss, nil
}

// DeleteSession ends the session of a token (Sign out).
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash(token))
	if err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// EndUserSessions ends every session of the user except keepID (0 keeps none) and
// says how many ended.
func (s *Store) EndUserSessions(ctx context.Context, userID, keepID int64) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, keepID)
	if err != nil {
		return 0, fmt.Errorf("store: end sessions of user %d: %w", userID, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// SessionCount returns the number of the user's live sessions.
func (s *Store) SessionCount(ctx context.Context, userID int64) (int, error) {
	now := s.now()
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE user_id = ? AND last_seen_at >= ? AND created_at >= ?`,
		userID, now.Add(-salon.SessionIdleTimeout).Unix(), now.Add(-salon.SessionLifetime).Unix()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: session count: %w", err)
	}
	return n, nil
}

// SessionCounts returns the number of live sessions of each member of the venue.
func (s *Store) SessionCounts(ctx context.Context, venueID int64) (map[int64]int, error) {
	now := s.now()
	rows, err := s.db.QueryContext(ctx, `SELECT s.user_id, count(*) FROM sessions s
		JOIN memberships m ON m.user_id = s.user_id AND m.venue_id = ?
		WHERE s.last_seen_at >= ? AND s.created_at >= ? GROUP BY s.user_id`,
		venueID, now.Add(-salon.SessionIdleTimeout).Unix(), now.Add(-salon.SessionLifetime).Unix())
	if err != nil {
		return nil, fmt.Errorf("store: session counts: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var uid int64
		var n int
		if err := rows.Scan(&uid, &n); err != nil {
			return nil, err
		}
		out[uid] = n
	}
	return out, rows.Err()
}

// ChangePassword checks the current password, sets the new one and ends the user's
// other sessions (keepSessionID stays signed in), in one transaction.
func (s *Store) ChangePassword(ctx context.Context, userID, keepSessionID int64, current, next string) error {
	u, err := s.User(ctx, userID)
	if err != nil {
		return err
	}
	errs := map[string]string{}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(current)) != nil {
		errs["current"] = salon.WrongCurrentPasswordMessage
	}
	if msg := salon.CheckPassword(next); msg != "" {
		errs["password"] = msg
	}
	if len(errs) > 0 {
		return salon.Invalid(errs)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(next), BcryptCost)
	if err != nil {
		return fmt.Errorf("store: hash password: %w", err)
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, string(hash), userID); err != nil {
			return fmt.Errorf("store: change password: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, keepSessionID); err != nil {
			return fmt.Errorf("store: end sessions: %w", err)
		}
		// The change is on the record of every venue the person works in.
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_events (venue_id, user_id, entity, entity_id, event, created_at)
			SELECT venue_id, ?, 'user', ?, 'password_changed', ? FROM memberships WHERE user_id = ?`, userID, userID, s.now().Unix(), userID)
		if err != nil {
			return fmt.Errorf("store: audit password change: %w", err)
		}
		return nil
	})
}
