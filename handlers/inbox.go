package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"concierge/app"
	"concierge/salon"
	"concierge/views"
)

// Inbox lists conversations by status.
func (s *Server) Inbox(c echo.Context) error {
	v := venue(c)
	filter := c.QueryParam("status")
	switch filter {
	case "", "unread", "escalated", "closed":
	default:
		filter = ""
	}
	convs, err := s.concierge.Conversations(c.Request().Context(), v.ID, filter)
	if err != nil {
		return err
	}
	vm := views.InboxVM{Filter: filter}
	for _, cv := range convs {
		vm.Items = append(vm.Items, views.InboxRow{ClientID: cv.ClientID, Name: cv.ClientName, Status: cv.Status, Last: cv.LastBody,
			At: cv.LastAt.In(v.Location()).Format("2 Jan 15:04")})
	}
	return render(c, http.StatusOK, views.InboxPage(s.page(c, "Inbox", "inbox"), vm))
}

func threadVM(v salon.Venue, t app.Thread) views.ThreadVM {
	cl := t.Client
	vm := views.ThreadVM{ClientID: cl.ID, Name: cl.FullName(), Status: t.Status, CanReply: true}
	if t.Status == "" {
		vm.Status = "no conversation yet"
	}
	vm.Contact = salon.FormatPhone(cl.Phone)
	if v.Channel() == salon.Email {
		vm.Contact = cl.Email
	}
	for _, m := range t.Messages {
		vm.Messages = append(vm.Messages, messageRow(v, m))
	}
	if why := v.Reach(cl, v.Channel(), salon.PurposeInboxReply); why != salon.Reachable {
		vm.CanReply, vm.Why = false, "No reply can go: "+salon.WhyUnreachable(cl.FirstName, []salon.ChannelReason{{Channel: v.Channel(), Why: why}})+"."
	}
	return vm
}

// Thread shows one conversation and marks it read.
func (s *Server) Thread(c echo.Context) error {
	id, err := paramID(c, "client")
	if err != nil {
		return err
	}
	t, err := s.concierge.ReadThread(c.Request().Context(), s.who(c), id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.ThreadPage(s.page(c, t.Client.FullName(), "inbox"), threadVM(venue(c), t)))
}

// Reply sends a reply through the inbox path; it shows in the thread.
func (s *Server) Reply(c echo.Context) error {
	id, err := paramID(c, "client")
	if err != nil {
		return err
	}
	v := venue(c)
	body := strings.TrimSpace(c.FormValue("body"))
	cl, problem, err := s.concierge.InboxReply(c.Request().Context(), s.who(c), id, body)
	if err != nil {
		return err
	}
	if problem == "" {
		return redirectAfterPost(c, fmt.Sprintf("/app/%s/inbox/%d", v.Slug, id))
	}
	t, err := s.concierge.ThreadWith(c.Request().Context(), v.ID, cl)
	if err != nil {
		return err
	}
	vm := threadVM(v, t)
	vm.ReplyError, vm.Draft = problem, body
	return render(c, http.StatusUnprocessableEntity, views.ThreadPage(s.page(c, cl.FullName(), "inbox"), vm))
}

func errText(err error) string { return salon.ErrorMessage(err) }

// SetThreadStatus opens, escalates or closes a conversation.
func (s *Server) SetThreadStatus(c echo.Context) error {
	id, err := paramID(c, "client")
	if err != nil {
		return err
	}
	v := venue(c)
	if err := s.concierge.SetThreadStatus(c.Request().Context(), s.who(c), id, c.FormValue("status")); err != nil {
		return err
	}
	return redirectAfterPost(c, fmt.Sprintf("/app/%s/inbox/%d", v.Slug, id))
}

// Deal is a flash deal's public page: a visitor signed in for the venue claims it with
// one press; anyone else signs in with a code first.
func (s *Server) Deal(c echo.Context) error {
	vm, _, err := s.dealVM(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.DealPage(vm))
}

// dealVM is the public deal page's data: the deal, whether it can still be claimed, and
// who is signed in for its venue.
func (s *Server) dealVM(c echo.Context) (views.DealVM, app.DealOffer, error) {
	now := s.now()
	o, err := s.concierge.DealByToken(c.Request().Context(), c.Param("token"), now, func(v salon.Venue) int64 { return s.bookClient(c, v) })
	if err != nil {
		return views.DealVM{}, o, err
	}
	d, v := o.Deal, o.Venue
	loc := v.Location()
	vm := views.DealVM{Profile: publicVenue(v), Venue: d.VenueName, Service: d.ServiceName, Staff: d.StaffName, When: app.DealWhen(d, v),
		Price: salon.FormatMinor(d.Country, d.PriceMinor), DealPrice: salon.FormatMinor(d.Country, d.DealPriceMinor), Discount: d.DiscountPct,
		Expired: o.Expired(now), Claimed: d.BookingID != 0 || o.Taken, ClaimURL: "/deals/" + d.Token + "/claim", CSRF: csrfToken(c),
		SignIn:     views.SignInVM{Step: "signin", Action: "/deals/" + d.Token, CSRF: csrfToken(c), NeedEmail: v.Channel() == salon.Email, Sub: true},
		SignedInAs: o.SignedIn.FirstName}
	// The venue's own storefront when it has one, else online booking here, opened on
	// the deal's service, team member and day.
	if strings.HasPrefix(v.StorefrontURL, "http") {
		vm.BookURL = v.StorefrontURL
	} else {
		vm.BookURL = fmt.Sprintf("/book/%s?service=%d&staff=%d&date=%s", d.VenueSlug, d.ServiceID, d.StaffID, d.Start.In(loc).Format("2006-01-02"))
	}
	return vm, o, nil
}

// dealClosed renders a deal that can no longer be claimed (taken or ended).
func dealClosed(c echo.Context, vm views.DealVM) error {
	return render(c, http.StatusConflict, views.DealPage(vm))
}

// DealSendCode sends the sign-in code for a claim, within the same limits as online
// booking.
func (s *Server) DealSendCode(c echo.Context) error {
	vm, o, err := s.dealVM(c)
	if err != nil {
		return err
	}
	if vm.Claimed || vm.Expired {
		return dealClosed(c, vm)
	}
	in := readSignIn(c)
	vm.SignIn.Phone, vm.SignIn.Email = in.Phone, in.Email
	status, errs, err := s.sendSignInCode(c, o.Venue, in)
	if err != nil {
		return err
	}
	if errs != nil {
		vm.SignIn.Errors = errs
		return render(c, status, views.DealPage(vm))
	}
	vm.SignIn.Step = "code"
	return render(c, http.StatusOK, views.DealPage(vm))
}

// DealVerify checks the claim's code (then a new client's name), signs the client in
// for the venue and claims the deal for them.
func (s *Server) DealVerify(c echo.Context) error {
	vm, o, err := s.dealVM(c)
	if err != nil {
		return err
	}
	if vm.Claimed || vm.Expired {
		return dealClosed(c, vm)
	}
	in := readSignIn(c)
	vm.SignIn.Step, vm.SignIn.Phone, vm.SignIn.Email, vm.SignIn.First, vm.SignIn.Last = "code", in.Phone, in.Email, in.First, in.Last
	clientID, needName, errs, err := s.verifySignIn(c, o.Venue, in)
	if err != nil {
		return err
	}
	if needName {
		vm.SignIn.Step, vm.SignIn.Errors = "name", errs
		status := http.StatusOK
		if len(errs) > 0 {
			status = http.StatusUnprocessableEntity
		}
		return render(c, status, views.DealPage(vm))
	}
	if errs != nil {
		if errs.Has("phone") || errs.Has("email") {
			vm.SignIn.Step = "signin"
		}
		vm.SignIn.Errors = errs
		return render(c, http.StatusUnprocessableEntity, views.DealPage(vm))
	}
	if err := s.signInBookClient(c, o.Venue, clientID); err != nil {
		return err
	}
	return s.claimDealFor(c, vm, o, clientID)
}

// ClaimDeal books a flash deal for the client signed in for its venue, the first to
// claim it; the deal then closes for everyone else. Nobody is booked or messaged for
// a visitor who has not proved their phone.
func (s *Server) ClaimDeal(c echo.Context) error {
	vm, o, err := s.dealVM(c)
	if err != nil {
		return err
	}
	if vm.Claimed || vm.Expired {
		return dealClosed(c, vm)
	}
	clientID := s.bookClient(c, o.Venue)
	if clientID == 0 {
		vm.Problem = "Sign in with the code we send you before claiming the deal."
		return render(c, http.StatusUnprocessableEntity, views.DealPage(vm))
	}
	return s.claimDealFor(c, vm, o, clientID)
}

// claimDealFor claims the deal for a signed-in client (who is sent a confirmation).
func (s *Server) claimDealFor(c echo.Context, vm views.DealVM, o app.DealOffer, clientID int64) error {
	err := s.concierge.ClaimDeal(c.Request().Context(), o, clientID)
	switch {
	case err == nil:
		vm.Booked = true
		return render(c, http.StatusOK, views.DealPage(vm))
	case errors.Is(err, salon.ErrDealTaken):
		vm.Claimed = true
		return dealClosed(c, vm)
	case salon.ErrorCode(err) != "":
		vm.Problem = errText(err)
	default:
		return err
	}
	return render(c, http.StatusUnprocessableEntity, views.DealPage(vm))
}
