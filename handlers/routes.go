package handlers

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Routes registers the whole URL surface in one place.
func (s *Server) Routes(e *echo.Echo) {
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{}))
	e.Use(s.requestLogger)
	e.Use(s.observeRequests)
	e.Use(middleware.Recover())
	e.Use(s.securityHeaders)
	e.Use(middleware.BodyLimit("10M"))
	e.Use(middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "header:X-CSRF-Token,form:_csrf",
		CookieName:     "concierge_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   s.secureCookies(),
		CookieSameSite: 2, // http.SameSiteLaxMode
		// Every CSRF refusal (missing or wrong token) becomes one error the error
		// handler recognises by identity, never by its wording.
		ErrorHandler: func(error, echo.Context) error { return errCSRF },
		Skipper: func(c echo.Context) bool {
			// Webhooks authenticate by provider signature instead.
			return len(c.Path()) >= 10 && c.Path()[:10] == "/webhooks/"
		},
	}))

	e.GET("/healthz", s.Healthz)
	e.GET("/metrics", s.Metrics)
	e.GET("/static/*", s.Static)
	e.GET("/", s.Home, s.requireSetUp)
	e.GET("/login", s.LoginForm, s.requireSetUp)
	e.POST("/login", s.Login)
	e.GET("/setup", s.SetupForm)
	e.POST("/setup", s.Setup)
	e.POST("/logout", s.Logout)
	e.POST("/webhooks/twilio/sms", s.TwilioInbound)
	e.POST("/webhooks/twilio/status", s.TwilioStatus)
	e.GET("/deals/:token", s.Deal)
	e.POST("/deals/:token/claim", s.ClaimDeal)
	e.POST("/deals/:token/code", s.DealSendCode)
	e.POST("/deals/:token/verify", s.DealVerify)
	e.GET("/book/:slug", s.BookChoose)
	e.POST("/book/:slug/review", s.BookReview)
	e.GET("/book/:slug/review", s.BookReviewAgain)
	e.POST("/book/:slug/code", s.BookSendCode)
	e.POST("/book/:slug/verify", s.BookVerify)
	e.POST("/book/:slug/confirm", s.BookConfirm)
	e.GET("/book/:slug/resume", s.BookResume)
	e.GET("/book/:slug/logo", s.BookLogo)

	app := e.Group("/app", s.requireUser)
	app.GET("", s.VenueIndex)

	v := app.Group("/:slug", s.requireMember)
	v.GET("", s.Dashboard)
	v.GET("/notifications", s.Notifications)
	v.GET("/account", s.Account)
	v.POST("/account/password", s.ChangePassword)
	v.POST("/account/signout-others", s.SignOutOthers)

	v.GET("/clients", s.Clients)
	v.GET("/clients/options", s.ClientOptions)
	v.GET("/clients/new", s.NewClient)
	v.POST("/clients", s.CreateClient)
	v.GET("/clients/:id", s.Client)
	v.POST("/clients/:id", s.UpdateClient)
	v.GET("/clients/:id/export.json", s.ExportClientJSON, s.requireVenueManager)
	v.GET("/clients/:id/export.csv", s.ExportClientCSV, s.requireVenueManager)
	v.GET("/clients/:id/forget", s.ForgetClientForm, s.requireOwner)
	v.POST("/clients/:id/forget", s.ForgetClient, s.requireOwner)

	v.GET("/calendar", s.Calendar)
	fu := v.Group("/followups", s.requireWaitlist)
	fu.POST("/incomplete/:id/remind", s.SendDraftReminder)
	fu.POST("/incomplete/:id/dismiss", s.DismissDraft)
	fu.POST("/waitlist", s.AddWaitlist)
	fu.POST("/waitlist/:id/remove", s.RemoveWaitlist)
	v.GET("/bookings/new", s.NewBooking)
	v.POST("/bookings", s.CreateBooking)
	v.GET("/bookings/:id", s.Booking)
	v.POST("/bookings/:id", s.UpdateBooking)
	v.POST("/bookings/:id/status", s.SetBookingStatus)

	v.GET("/concierge", s.Concierge)
	v.POST("/concierge/turns", s.ConciergeTurn)
	v.POST("/concierge/new", s.NewConversation)
	// Every route on one action passes the same viewer rule first.
	act := v.Group("/concierge/actions/:id", s.requireActionViewer)
	act.GET("", s.ActionDetail)
	act.GET("/go", s.GoAction)
	act.GET("/card", s.ActionCardFragment)
	act.POST("/save", s.SaveAction)
	act.POST("/refine", s.RefineAction)
	act.POST("/discard", s.DiscardAction)
	act.POST("/send", s.SendAction)
	act.POST("/audience", s.AudienceAction)
	act.POST("/recipients", s.RecipientsAction)
	act.POST("/fire", s.FireAction)
	act.POST("/cancel", s.CancelAction)
	pending := v.Group("/concierge/pending", s.requireApprover)
	pending.GET("", s.Pending)
	pending.POST("/:id/approve", s.ApproveAction)
	pending.POST("/:id/reject", s.RejectAction)

	v.GET("/inbox", s.Inbox)
	v.GET("/inbox/:client", s.Thread)
	v.POST("/inbox/:client/reply", s.Reply)
	v.POST("/inbox/:client/status", s.SetThreadStatus)

	marketing := v.Group("/marketing", s.requireVenueManager)
	marketing.GET("/reconnect", s.Reconnect)
	marketing.POST("/reconnect/contact", s.ContactOverdue)

	backfill := v.Group("/backfill", s.requireVenueManager)
	backfill.GET("", s.Backfill)
	backfill.POST("/preview", s.BackfillPreview)
	backfill.POST("/offers", s.SendOffer)
	backfill.POST("/draft", s.RedraftOffer)

	v.GET("/engage", s.Engage)
	v.GET("/engage/:id", s.EngageDetail)
	v.GET("/outbox", s.Outbox)
	v.POST("/outbox/simulate", s.SimulateReply)

	auto := v.Group("/automations", s.requireVenueManager)
	auto.GET("", s.Automations)
	auto.POST("", s.SaveAutomations)

	st := v.Group("/settings", s.requireVenueManager)
	st.GET("", s.Settings)
	st.POST("/venue", s.SaveVenue)
	st.POST("/sms-price", s.SaveSMSPrice)
	// Which number a venue texts from decides where replies and STOPs land: the Owner's call.
	st.POST("/sms-number", s.SaveSMSNumber, s.requireOwner)
	st.POST("/public-url", s.SavePublicURL, s.requireOwner)
	st.POST("/wallet", s.TopUp)
	// The Spark allowance decides what the language model may spend: the Owner's call.
	st.POST("/sparks", s.SaveSparkAllowance, s.requireOwner)
	st.POST("/send-delay", s.SaveSendDelay)
	st.GET("/messages", s.IncompleteReminderSettings)
	st.POST("/messages", s.SaveIncompleteReminder)
	st.GET("/reconnect", s.ReconnectSettings)
	st.POST("/reconnect", s.SaveReconnect)
	st.GET("/import", s.ImportForm)
	st.POST("/import", s.Import)
	st.GET("/export/:file", s.ExportVenue)
	// The venue profile and the catalogue: Managers read them, the Owner changes them.
	st.GET("/profile", s.Profile)
	st.POST("/profile", s.SaveProfile, s.requireOwner)
	st.POST("/profile/logo", s.UploadLogo, s.requireOwner)
	st.POST("/profile/logo/remove", s.RemoveLogo, s.requireOwner)
	st.GET("/catalogue", s.Catalogue)
	st.POST("/catalogue/categories", s.SaveCategory, s.requireOwner)
	st.POST("/catalogue/categories/:category", s.SaveCategory, s.requireOwner)
	st.GET("/catalogue/services/new", s.NewServiceForm, s.requireOwner)
	st.POST("/catalogue/services", s.SaveService, s.requireOwner)
	st.GET("/catalogue/services/:service", s.ServiceForm)
	st.POST("/catalogue/services/:service", s.SaveService, s.requireOwner)
	st.POST("/catalogue/services/:service/archive", s.ArchiveService, s.requireOwner)
	st.POST("/catalogue/services/:service/variants", s.AddVariant, s.requireOwner)
	st.POST("/catalogue/services/:service/variants/:variant/archive", s.ArchiveVariant, s.requireOwner)
	st.GET("/catalogue/packages/new", s.NewPackageForm, s.requireOwner)
	st.POST("/catalogue/packages", s.SavePackage, s.requireOwner)
	st.GET("/catalogue/packages/:package", s.PackageForm)
	st.POST("/catalogue/packages/:package", s.SavePackage, s.requireOwner)
	st.POST("/catalogue/packages/:package/archive", s.ArchivePackage, s.requireOwner)
	team := st.Group("/team", s.requireOwner)
	team.GET("", s.Team)
	team.POST("", s.AddMember)
	team.POST("/:user", s.SetMemberRole)
	team.POST("/:user/signout", s.SignOutMember)
	team.GET("/staff/:staff", s.StaffHours)
	team.POST("/staff/:staff", s.SaveStaffHours)
}
