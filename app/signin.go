package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"

	"concierge/salon"
	"concierge/store"
)

// Client sign-in by one-time code, shared by online booking and flash-deal claims: a
// 6-digit code to the phone (by email at an email-only venue), checked before anything
// is said about who the phone belongs to; the client is then found by what the code
// proved. The browser-session side (remembering a verified code) stays with the web.

// ErrTooManyCodes says which code limit a request reached (phone, email, network or
// venue) and when to try again.
type ErrTooManyCodes = store.ErrTooManyCodes

// CodeLife is how long a sign-in code (and a browser's proof of one) lasts.
const CodeLife = store.OTPLife

// newCode is a random 6-digit code.
func newCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	return fmt.Sprintf("%06d", n.Int64())
}

// SendSignInCode issues a code within the limits (a *store.ErrTooManyCodes names the
// limit reached) and sends it. The stored message shows the code masked; only the
// provider gets it. A failed hand-over is logged: the page looks the same either way.
func (s *Service) SendSignInCode(ctx context.Context, v salon.Venue, phone, email, network string) error {
	code := newCode()
	if err := s.Store.IssueCode(ctx, v.ID, store.CodeRequest{Phone: phone, Email: email, Network: network, Code: code}); err != nil {
		return err
	}
	body := fmt.Sprintf("Your %s booking code is %s. It expires in %d minutes.", v.Name, salon.CodeMask, int(store.OTPLife.Minutes()))
	out := store.NewOutbound{Channel: salon.SMS, Purpose: salon.PurposeOTP, To: phone, Body: body}
	if email != "" {
		out.Channel, out.To, out.Subject = salon.Email, email, "Your booking code"
	}
	if cl, err := s.Store.SignInClient(ctx, v.ID, verifiedPhone(v, phone), email); err == nil {
		out.ClientID = cl.ID
	}
	m, _, err := s.Store.QueueOutbound(ctx, v.ID, out)
	if err != nil {
		return err
	}
	if _, err := s.Dispatch.DeliverCode(ctx, v.ID, m.ID, code); err != nil {
		s.logger().Warn("sign-in code not sent", "err", err)
	}
	return nil
}

// CheckSignInCode checks a code for the phone and address it was sent to; a wrong,
// used or expired code is a salon.Invalid error on the code field.
func (s *Service) CheckSignInCode(ctx context.Context, v salon.Venue, phone, email, code string) error {
	return s.Store.VerifyCode(ctx, v.ID, phone, email, code)
}

// verifiedPhone is the phone a code proves: the one it was texted to. At an
// email-only venue the code proves the address, not the phone typed beside it.
func verifiedPhone(v salon.Venue, phone string) string {
	if v.Channel() == salon.Email {
		return ""
	}
	return phone
}

// SignInName is the name a new client gives after their code; Asked says the name
// step was posted (so empty fields are errors rather than the first showing).
type SignInName struct {
	First, Last string
	Asked       bool
}

// SignedInClient finds the client a verified code proved, or creates them once they
// have given their name. needName: verified, new here, name still to give; its field
// errors (first_name, last_name) come as a salon.Invalid error.
func (s *Service) SignedInClient(ctx context.Context, v salon.Venue, phone, email string, name SignInName) (clientID int64, needName bool, err error) {
	cl, err := s.Store.SignInClient(ctx, v.ID, verifiedPhone(v, phone), email)
	if err == nil {
		return cl.ID, false, nil
	}
	if !errors.Is(err, salon.ErrNotFound) {
		return 0, false, err
	}
	if name.First == "" || name.Last == "" {
		errs := map[string]string{}
		if name.Asked && name.First == "" {
			errs["first_name"] = "Enter your first name."
		}
		if name.Asked && name.Last == "" {
			errs["last_name"] = "Enter your last name."
		}
		if len(errs) > 0 {
			return 0, true, salon.Invalid(errs)
		}
		return 0, true, nil
	}
	created, err := s.Store.CreateClient(ctx, v.ID, 0, salon.ClientInput{FirstName: name.First, LastName: name.Last, Phone: phone, Email: email,
		NotifySMS: v.Country.SendsSMS(), NotifyEmail: email != ""})
	if fe := salon.FieldErrors(err); fe != nil {
		return 0, true, err
	}
	if err != nil {
		return 0, false, err
	}
	return created.ID, false, nil
}
