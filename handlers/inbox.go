package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"concierge/salon"
	"concierge/store"
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
	convs, err := s.store.Conversations(c.Request().Context(), v.ID, filter)
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

func (s *Server) threadVM(c echo.Context, cl salon.Client) (views.ThreadVM, error) {
	v := venue(c)
	ctx := c.Request().Context()
	status, err := s.store.ConversationStatus(ctx, v.ID, cl.ID)
	if err != nil {
		return views.ThreadVM{}, err
	}
	msgs, err := s.store.ClientMessages(ctx, v.ID, cl.ID)
	if err != nil {
		return views.ThreadVM{}, err
	}
	vm := views.ThreadVM{ClientID: cl.ID, Name: cl.FullName(), Status: status, CanReply: true}
	if status == "" {
		vm.Status = "no conversation yet"
	}
	vm.Contact = salon.FormatPhone(cl.Phone)
	if v.Channel() == salon.Email {
		vm.Contact = cl.Email
	}
	for _, m := range msgs {
		vm.Messages = append(vm.Messages, messageRow(v, m))
	}
	if why := cl.Reach(v.Channel(), salon.PurposeInboxReply); why != salon.Reachable {
		vm.CanReply, vm.Why = false, "No reply can go: "+salon.WhyUnreachable(cl.FirstName, []salon.ChannelReason{{Channel: v.Channel(), Why: why}})+"."
	}
	return vm, nil
}

// Thread shows one conversation and marks it read.
func (s *Server) Thread(c echo.Context) error {
	id, err := paramID(c, "client")
	if err != nil {
		return err
	}
	v := venue(c)
	cl, err := s.store.Client(c.Request().Context(), v.ID, id)
	if err != nil {
		return err
	}
	st, err := s.store.ConversationStatus(c.Request().Context(), v.ID, id)
	if err != nil {
		return err
	}
	if st == "unread" {
		if err := s.store.SetConversationStatus(c.Request().Context(), v.ID, id, user(c).ID, "open"); err != nil {
			return err
		}
	}
	vm, err := s.threadVM(c, cl)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.ThreadPage(s.page(c, cl.FullName(), "inbox"), vm))
}

// Reply sends a reply through the inbox path; it shows in the thread.
func (s *Server) Reply(c echo.Context) error {
	id, err := paramID(c, "client")
	if err != nil {
		return err
	}
	v := venue(c)
	cl, err := s.store.Client(c.Request().Context(), v.ID, id)
	if err != nil {
		return err
	}
	body := strings.TrimSpace(c.FormValue("body"))
	problem := ""
	switch {
	case body == "":
		problem = "Type a reply."
	case v.Channel() == salon.SMS && len([]rune(body)) > 1600:
		problem = "A text can be at most 1,600 characters."
	}
	if problem == "" {
		_, err = s.dispatch.SendToClient(c.Request().Context(), v.ID, cl, v.Channel(), salon.PurposeInboxReply, "Re: your message to "+v.Name, body)
		if err == nil {
			if err := s.store.SetConversationStatus(c.Request().Context(), v.ID, id, user(c).ID, "open"); err != nil {
				return err
			}
			return redirectAfterPost(c, fmt.Sprintf("/app/%s/inbox/%d", v.Slug, id))
		}
		problem = "The reply could not be sent: " + errText(err)
		if fe := salon.FieldErrors(err); fe["body"] != "" {
			problem = fe["body"] // the reply itself needs fixing: say how, beside it
		}
	}
	vm, verr := s.threadVM(c, cl)
	if verr != nil {
		return verr
	}
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
	if _, err := s.store.Client(c.Request().Context(), v.ID, id); err != nil {
		return err
	}
	if err := s.store.SetConversationStatus(c.Request().Context(), v.ID, id, user(c).ID, c.FormValue("status")); err != nil {
		return err
	}
	return redirectAfterPost(c, fmt.Sprintf("/app/%s/inbox/%d", v.Slug, id))
}

// Deal is a flash deal's public page: a visitor signed in for the venue claims it with
// one press; anyone else signs in with a code first.
func (s *Server) Deal(c echo.Context) error {
	vm, _, _, err := s.dealVM(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.DealPage(vm))
}

// dealVM is the public deal page's data: the deal, whether it can still be claimed, and
// who is signed in for its venue.
func (s *Server) dealVM(c echo.Context) (views.DealVM, store.Deal, salon.Venue, error) {
	ctx := c.Request().Context()
	d, err := s.store.DealByToken(ctx, c.Param("token"))
	if err != nil {
		return views.DealVM{}, d, salon.Venue{}, err
	}
	v, err := s.store.Venue(ctx, d.VenueID)
	if err != nil {
		return views.DealVM{}, d, v, err
	}
	loc := v.Location()
	vm := views.DealVM{Venue: d.VenueName, Service: d.ServiceName, Staff: d.StaffName, When: d.Start.In(loc).Format("Monday 2 January, 15:04"),
		Price: salon.FormatMinor(d.Country, d.PriceMinor), DealPrice: salon.FormatMinor(d.Country, d.DealPriceMinor), Discount: d.DiscountPct,
		Expired: !s.now().Before(d.ExpiresAt), Claimed: d.BookingID != 0, ClaimURL: "/deals/" + d.Token + "/claim", CSRF: csrfToken(c),
		SignIn: views.SignInVM{Step: "signin", Action: "/deals/" + d.Token, CSRF: csrfToken(c), NeedEmail: v.Channel() == salon.Email, Sub: true}}
	// The venue's own storefront when it has one, else online booking here, opened on
	// the deal's service, team member and day.
	if strings.HasPrefix(v.StorefrontURL, "http") {
		vm.BookURL = v.StorefrontURL
	} else {
		vm.BookURL = fmt.Sprintf("/book/%s?service=%d&staff=%d&date=%s", d.VenueSlug, d.ServiceID, d.StaffID, d.Start.In(loc).Format("2006-01-02"))
	}
	if !vm.Claimed && !vm.Expired {
		taken, err := s.store.SlotTaken(ctx, d.VenueID, d.StaffID, d.Start, d.End)
		if err != nil {
			return vm, d, v, err
		}
		vm.Claimed = taken
	}
	if id := s.bookClient(c, v); id != 0 {
		if cl, err := s.store.Client(ctx, v.ID, id); err == nil {
			vm.SignedInAs = cl.FirstName
		}
	}
	return vm, d, v, nil
}

// dealClosed renders a deal that can no longer be claimed (taken or ended).
func dealClosed(c echo.Context, vm views.DealVM) error {
	return render(c, http.StatusConflict, views.DealPage(vm))
}

// DealSendCode sends the sign-in code for a claim, within the same limits as online
// booking.
func (s *Server) DealSendCode(c echo.Context) error {
	vm, _, v, err := s.dealVM(c)
	if err != nil {
		return err
	}
	if vm.Claimed || vm.Expired {
		return dealClosed(c, vm)
	}
	in := readSignIn(c)
	vm.SignIn.Phone, vm.SignIn.Email = in.Phone, in.Email
	status, errs, err := s.sendSignInCode(c, v, in)
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
	vm, d, v, err := s.dealVM(c)
	if err != nil {
		return err
	}
	if vm.Claimed || vm.Expired {
		return dealClosed(c, vm)
	}
	in := readSignIn(c)
	vm.SignIn.Step, vm.SignIn.Phone, vm.SignIn.Email, vm.SignIn.First, vm.SignIn.Last = "code", in.Phone, in.Email, in.First, in.Last
	clientID, needName, errs, err := s.verifySignIn(c, v, in)
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
	if err := s.signInBookClient(c, v, clientID); err != nil {
		return err
	}
	return s.claimDealFor(c, vm, d, clientID)
}

// ClaimDeal books a flash deal for the client signed in for its venue, the first to
// claim it; the deal then closes for everyone else. Nobody is booked or messaged for
// a visitor who has not proved their phone.
func (s *Server) ClaimDeal(c echo.Context) error {
	vm, d, v, err := s.dealVM(c)
	if err != nil {
		return err
	}
	if vm.Claimed || vm.Expired {
		return dealClosed(c, vm)
	}
	clientID := s.bookClient(c, v)
	if clientID == 0 {
		vm.Problem = "Sign in with the code we send you before claiming the deal."
		return render(c, http.StatusUnprocessableEntity, views.DealPage(vm))
	}
	return s.claimDealFor(c, vm, d, clientID)
}

// claimDealFor claims the deal for a signed-in client and confirms it to them.
func (s *Server) claimDealFor(c echo.Context, vm views.DealVM, d store.Deal, clientID int64) error {
	ctx := c.Request().Context()
	d, err := s.store.ClaimDeal(ctx, d.Token, clientID)
	switch {
	case err == nil:
		vm.Booked = true
		if b, berr := s.store.Booking(ctx, d.VenueID, d.BookingID); berr == nil {
			if cl, cerr := s.store.Client(ctx, d.VenueID, b.ClientID); cerr == nil {
				ch := salon.Venue{Country: d.Country}.Channel()
				msg := fmt.Sprintf("You're booked: %s with %s, %s, at %s (flash deal, %s). See you then!", d.ServiceName, d.StaffName, vm.When,
					d.VenueName, vm.DealPrice)
				if _, serr := s.dispatch.SendToClient(ctx, d.VenueID, cl, ch, salon.PurposeBookingConfirm, "Your booking at "+d.VenueName, msg); serr != nil && s.log != nil {
					s.log.Warn("deal confirmation failed", "deal", d.ID, "err", serr)
				}
			}
			s.concierge.Notify(ctx, d.VenueID, 0, "deal_claimed", fmt.Sprintf("%s claimed the flash deal: %s with %s, %s.", b.ClientName,
				d.ServiceName, d.StaffName, vm.When), fmt.Sprintf("/app/%s/bookings/%d", d.VenueSlug, b.ID))
		}
		return render(c, http.StatusOK, views.DealPage(vm))
	case errors.Is(err, store.ErrDealTaken):
		vm.Claimed = true
		return dealClosed(c, vm)
	case salon.ErrorCode(err) != "":
		vm.Problem = errText(err)
	default:
		return err
	}
	return render(c, http.StatusUnprocessableEntity, views.DealPage(vm))
}
