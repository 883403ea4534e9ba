// Package apperr owns Debrief's error model: a kind that says what went wrong
// in terms a caller can act on, a message safe to show a person, and the cause
// kept for logs. It knows nothing about HTTP; httpapi maps kinds to statuses once.
package apperr

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Kind classifies an error for callers.
type Kind int

const (
	KindInternal Kind = iota
	KindInvalid
	KindNotFound
	KindConflict
	KindPreconditionFailed
	KindUnauthenticated
	KindForbidden
	KindRateLimited
	KindUnavailable
	KindUpstream
	KindUnsupportedMedia
)

// FieldError names one bad input field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the error every service returns.
type Error struct {
	Kind    Kind
	Message string // safe to show a person
	Fields  []FieldError
	Err     error // the cause, for logs only
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	// One field's problem is the message itself (Fields.Err); a stored
	// error text (a connection's last error) said it twice.
	if len(e.Fields) > 1 {
		for _, f := range e.Fields {
			fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
		}
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

func newf(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...)}
}

// Invalid reports bad input.
func Invalid(format string, args ...any) *Error { return newf(KindInvalid, format, args...) }

// NotFound reports that a thing does not exist for this user. Another user's
// row is reported the same way, so ids leak nothing.
func NotFound(what string) *Error { return newf(KindNotFound, "%s not found", what) }

// Conflict reports a clash with existing state (a duplicate, a reused key).
func Conflict(format string, args ...any) *Error { return newf(KindConflict, format, args...) }

// PreconditionFailed reports a stale version (optimistic locking).
func PreconditionFailed(format string, args ...any) *Error {
	return newf(KindPreconditionFailed, format, args...)
}

// Unauthenticated reports missing or bad credentials.
func Unauthenticated(format string, args ...any) *Error {
	return newf(KindUnauthenticated, format, args...)
}

// Forbidden reports an authenticated request that may not do this.
func Forbidden(format string, args ...any) *Error { return newf(KindForbidden, format, args...) }

// RateLimited reports too many attempts.
func RateLimited(format string, args ...any) *Error { return newf(KindRateLimited, format, args...) }

// Upstream reports that a server Debrief depends on (a calendar feed,
// Google) failed or refused; the message says how.
func Upstream(err error, format string, args ...any) *Error {
	e := newf(KindUpstream, format, args...)
	e.Err = err
	return e
}

// Internal wraps an unexpected failure; its cause is never shown.
func Internal(err error) *Error {
	return &Error{Kind: KindInternal, Message: "internal error", Err: err}
}

// Message is the message of an *Error, or "internal error".
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// KindOf returns the kind of err, KindInternal for errors that are not *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// Is reports whether err is an *Error of kind k.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// Fields collects field errors so Validate can report all of them at once.
type Fields []FieldError

// Add records a problem with one field.
func (f *Fields) Add(field, format string, args ...any) {
	*f = append(*f, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// MaxLen records a problem when s has more than max characters (not bytes:
// limits are what a person counts). It reports whether s fits.
func (f *Fields) MaxLen(field, s string, max int) bool {
	if utf8.RuneCountInString(s) > max {
		f.Add(field, "must be at most %d characters", max)
		return false
	}
	return true
}

// Err returns an Invalid error listing every field problem, or nil.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	msg := "invalid input: " + f[0].Field + " " + f[0].Message
	if len(f) > 1 {
		msg = fmt.Sprintf("invalid input in %d fields", len(f))
	}
	return &Error{Kind: KindInvalid, Message: msg, Fields: f}
}
