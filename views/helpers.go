package views

import (
	"net/http"
	"net/url"
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
