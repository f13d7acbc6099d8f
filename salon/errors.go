package salon

import (
	"errors"
	"fmt"
)

// Code classifies a domain error so that one place (the HTTP error handler) can map it
// to a status and a message without matching strings.
type Code string

// The error codes.
const (
	CodeInvalid   Code = "invalid"   // bad input; Fields says which
	CodeNotFound  Code = "not_found" // no such row in this venue
	CodeConflict  Code = "conflict"  // a uniqueness or overlap rule refused the write
	CodeForbidden Code = "forbidden" // the role does not allow it
	CodeLimited   Code = "limited"   // throttled; try later
)

// Error is a domain error with a code, a message fit to show a person, and for
// validation failures the message per form field.
type Error struct {
	Code    Code
	Message string
	Fields  map[string]string
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	return fmt.Sprintf("%s: %v", e.Message, e.Fields)
}

// Sentinel errors usable with errors.Is.
var (
	ErrNotFound  = &Error{Code: CodeNotFound, Message: "Not found."}
	ErrForbidden = &Error{Code: CodeForbidden, Message: "You do not have permission to do that."}
)

// Is lets errors.Is match any *Error with the same code: errors.Is(err, ErrNotFound).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Invalid builds a validation error from field messages.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: CodeInvalid, Message: "Please correct the highlighted fields.", Fields: fields}
}

// Conflict builds a conflict error with a message fit to show.
func Conflict(msg string) *Error { return &Error{Code: CodeConflict, Message: msg} }

// ErrorCode returns the code of a domain error in err's chain, or "" when there is none.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// FieldErrors returns the field messages of a validation error in err's chain.
func FieldErrors(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) && e.Code == CodeInvalid {
		return e.Fields
	}
	return nil
}

// ErrorMessage is the message fit to show of the domain error in err's chain, or
// err's own text when there is none.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}
