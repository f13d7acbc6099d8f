package salon

import "time"

// Staff sign-in and sessions. The numbers:
//
//   - At most SignInAttempts passwords are compared per account within SignInWindow,
//     counted before the comparison so concurrent guesses cannot slip past the count.
//     Browsers where the person has signed in before ("known devices") have a budget of
//     their own, so a stranger guessing an Owner's password never locks the Owner out.
//   - After SignInBackoffAfter failures in a row, each further attempt waits longer
//     (10 s, 20 s, 40 s … at most the window) from the last failure.
//   - One IP may try SignInAttemptsPerIP passwords of unknown devices per window.
//   - A session ends after SessionIdleTimeout without a request, and SessionLifetime
//     after sign-in whatever happens.
const (
	MaxEmailLength      = 254 // the longest address mail systems accept
	MinPasswordLength   = 8
	MaxPasswordLength   = 72 // bcrypt reads no further
	SignInWindow        = 15 * time.Minute
	SignInAttempts      = 5
	SignInAttemptsPerIP = 30
	SignInBackoffAfter  = 3
	SignInBackoffBase   = 10 * time.Second
	SessionIdleTimeout  = 12 * time.Hour
	SessionLifetime     = 30 * 24 * time.Hour
)

// SignInWait is how long a sign-in bucket must wait before one more password may be
// compared: attempts are the times of the attempts still counted (oldest first),
// failuresInRow the failures since the last success, lastFailure the newest of them,
// limit the bucket's attempts per window. Zero means go ahead.
func SignInWait(now time.Time, attempts []time.Time, limit, failuresInRow int, lastFailure time.Time) time.Duration {
	var wait time.Duration
	if len(attempts) >= limit {
		wait = attempts[len(attempts)-limit].Add(SignInWindow).Sub(now)
	}
	if failuresInRow >= SignInBackoffAfter {
		step := SignInBackoffBase << min(failuresInRow-SignInBackoffAfter, 10)
		if step > SignInWindow {
			step = SignInWindow
		}
		if b := lastFailure.Add(step).Sub(now); b > wait {
			wait = b
		}
	}
	if wait < 0 {
		return 0
	}
	return wait
}

// SessionLive says whether a session created at created and last seen at lastSeen may
// still be used at now.
func SessionLive(now, created, lastSeen time.Time) bool {
	return now.Sub(lastSeen) <= SessionIdleTimeout && now.Sub(created) <= SessionLifetime
}

// CheckPassword is the rule for a new password: MinPasswordLength to
// MaxPasswordLength bytes. It returns the message to show, or "" when it will do.
func CheckPassword(p string) string {
	switch {
	case len(p) < MinPasswordLength:
		return "Password must be at least 8 characters."
	case len(p) > MaxPasswordLength:
		return "Password must be at most 72 characters."
	}
	return ""
}

// WrongCurrentPasswordMessage is what a password change is told when the current
// password given is not the person's.
const WrongCurrentPasswordMessage = "That is not your current password."
