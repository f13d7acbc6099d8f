package views

import (
	"net/http"
	"net/url"

	"concierge/salon"
	"strconv"
)

func itoa(n int) string { return strconv.Itoa(n) }

func errorTitle(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusForbidden:
		return "Not allowed"
	case http.StatusTooManyRequests:
		return "Too many attempts"
	case http.StatusUnprocessableEntity, http.StatusBadRequest:
		return "Please check your input"
	case http.StatusConflict:
		return "That could not be done"
	default:
		return "Something went wrong"
	}
}

func urlq(s string) string { return url.QueryEscape(s) }

// cardAction is the URL of an action card's sub-action (send, save, refine, discard),
// or the approve URL when the card is shown to an approver.
func cardAction(p Page, c CardVM, what string) string {
	if c.ApproveMode && what == "send" {
		return p.AppURL("concierge", "pending", c.ID, "approve")
	}
	return p.AppURL("concierge", "actions", c.ID, what)
}

// smsCounter is the server-rendered character and segment count of a draft as filled
// for one client (name; "" when there is nobody to fill it for); app.js keeps it live.
func smsCounter(filled, name string) string {
	info := salon.MeasureSMS(filled)
	forWhom := ""
	if name != "" {
		forWhom = " for " + name
	}
	return strconv.Itoa(len([]rune(filled))) + "/" + strconv.Itoa(salon.SMSDraftLimit) + " characters" + forWhom + " · " + strconv.Itoa(info.Segments) + " SMS segment" + ifThen(info.Segments == 1, "", "s") + " (" + string(info.Encoding) + ")"
}

// costMinor is the card's cost in minor units for the send button's data attribute.
func costMinor(c CardVM) string {
	if c.Preview != nil {
		return strconv.FormatInt(c.Preview.CostMinor, 10)
	}
	return ""
}

// sparkAlertPct is the share of the monthly Spark allowance whose use is notified
// (salon.SparkAlertPct).
const sparkAlertPct = salon.SparkAlertPct
