package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"concierge/app"
	"concierge/salon"
	"concierge/views"
)

// The code sign-in that online booking and flash-deal claims share: a 6-digit
// code to the phone (by email at an email-only venue), checked before anything is said
// about who the phone belongs to; the client is then found by what the code proved.

// signIn is what a sign-in form carries.
type signIn struct {
	Phone, Email string // as typed
	First, Last  string
	Code         string
	AskedName    bool // the name step was posted (its fields are present)
}

func readSignIn(c echo.Context) signIn {
	form, _ := c.FormParams()
	_, asked := form["first_name"]
	return signIn{Phone: strings.TrimSpace(c.FormValue("phone")), Email: strings.TrimSpace(c.FormValue("email")),
		First: strings.TrimSpace(c.FormValue("first_name")), Last: strings.TrimSpace(c.FormValue("last_name")),
		Code: strings.TrimSpace(c.FormValue("code")), AskedName: asked}
}

// destination parses the phone (of the venue's country) and, at an email-only venue,
// the address the code goes to; the field errors say what is wrong.
func (in signIn) destination(v salon.Venue) (phone, email string, errs views.FieldErrors) {
	errs = views.FieldErrors{}
	phone, err := salon.ParseCountryPhone(in.Phone, v.Country)
	if err != nil {
		errs["phone"] = err.Error()
	}
	if v.Channel() == salon.Email {
		if email, err = salon.ParseEmail(in.Email); err != nil || in.Email == "" {
			errs["email"] = "Enter your email address: we send the code there."
		}
	}
	if len(errs) > 0 {
		return "", "", errs
	}
	return phone, email, nil
}

// sendSignInCode issues a code within the limits and sends it. status is 200, or
// 422/429 with the field errors.
func (s *Server) sendSignInCode(c echo.Context, v salon.Venue, in signIn) (status int, errs views.FieldErrors, err error) {
	phone, email, errs := in.destination(v)
	if errs != nil {
		return http.StatusUnprocessableEntity, errs, nil
	}
	err = s.concierge.SendSignInCode(c.Request().Context(), v, phone, email, salon.ClientNetwork(c.RealIP()))
	var many *app.ErrTooManyCodes
	if errors.As(err, &many) {
		return http.StatusTooManyRequests, views.FieldErrors{many.Field: many.Error()}, nil
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, nil, nil
}

// verifySignIn checks the code first — the answer to a wrong code is the same for
// clients and strangers — then finds the client by what the code proved, or creates
// them once they have given their name. needName: verified, new here, name still
// to give (the name step). A verified code is remembered for OTPLife so the name step
// needs no second code.
func (s *Server) verifySignIn(c echo.Context, v salon.Venue, in signIn) (clientID int64, needName bool, errs views.FieldErrors, err error) {
	ctx := c.Request().Context()
	phone, email, errs := in.destination(v)
	if errs != nil {
		return 0, false, errs, nil
	}
	if !s.verifiedInSession(c, v, phone, email) {
		if err := s.concierge.CheckSignInCode(ctx, v, phone, email, in.Code); err != nil {
			if fe := salon.FieldErrors(err); fe != nil {
				return 0, false, views.FieldErrors(fe), nil
			}
			return 0, false, nil, err
		}
		if err := s.rememberVerified(c, v, phone, email); err != nil {
			return 0, false, nil, err
		}
	}
	clientID, needName, err = s.concierge.SignedInClient(ctx, v, phone, email, app.SignInName{First: in.First, Last: in.Last, Asked: in.AskedName})
	if fe := salon.FieldErrors(err); fe != nil {
		return 0, needName, views.FieldErrors(fe), nil
	}
	if needName && err == nil {
		return 0, true, views.FieldErrors{}, nil
	}
	return clientID, needName, nil, err
}

func verifiedKey(v salon.Venue) string { return fmt.Sprintf("verified_%d", v.ID) }

// rememberVerified notes in the booking session that this phone and address were
// just proved by a code.
func (s *Server) rememberVerified(c echo.Context, v salon.Venue, phone, email string) error {
	sess, _ := s.sessions.Get(c.Request(), bookSession)
	sess.Values[verifiedKey(v)] = phone + "\n" + email + "\n" + strconv.FormatInt(s.now().Unix(), 10)
	return sess.Save(c.Request(), c.Response())
}

// verifiedInSession reports whether this phone and address were proved by a code in
// this browser within OTPLife.
func (s *Server) verifiedInSession(c echo.Context, v salon.Venue, phone, email string) bool {
	sess, err := s.sessions.Get(c.Request(), bookSession)
	if err != nil {
		return false
	}
	raw, _ := sess.Values[verifiedKey(v)].(string)
	parts := strings.Split(raw, "\n")
	if len(parts) != 3 || parts[0] != phone || parts[1] != email {
		return false
	}
	at, err := strconv.ParseInt(parts[2], 10, 64)
	return err == nil && s.now().Before(time.Unix(at, 0).Add(app.CodeLife))
}
