// Package calendar owns calendar sync: the provider-neutral event model, the
// recurrence engine both providers expand their series with, and the mapping
// of events onto meetings (identity, series, people). The providers live in
// calendar/ics and calendar/google.
package calendar

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Status is an event's status, in the meeting's vocabulary.
type Status string

const (
	Confirmed Status = "confirmed"
	Tentative Status = "tentative"
	Cancelled Status = "cancelled"
)

// Attendee is one person invited to an event. Rooms and resources are not
// attendees: providers drop them before they get here.
type Attendee struct {
	Email     string // lower-case
	Name      string
	Response  string // needs_action, accepted, declined, tentative
	Organizer bool
	Optional  bool
}

// Event is one occurrence of a meeting as a provider describes it, after
// recurrence expansion: a single event, or one instance of a series.
type Event struct {
	// UID is the event's iCalendar UID (Google's iCalUID). With OriginalStart
	// it is the meeting's identity.
	UID string
	// OriginalStart is the start the series' rule gave this occurrence
	// (RECURRENCE-ID / originalStartTime), zero for a single event.
	OriginalStart time.Time
	// SeriesKey names the series the occurrence belongs to ("" = none).
	SeriesKey string

	Title       string
	Description string
	Location    string
	VideoURL    string
	Start, End  time.Time
	AllDay      bool
	TimeZone    string // IANA name the times were given in, "" when unknown
	Status      Status
	Attendees   []Attendee
}

// Recurring reports whether the event is an occurrence of a series.
func (e *Event) Recurring() bool { return !e.OriginalStart.IsZero() }

// SingleEventStart is the original start stored for an event that is not part
// of a series. Identity is (UID, original start), and a single event keeps its
// identity when it is moved, so its original start cannot be its start; the
// Unix epoch is a value no occurrence of a real series has.
var SingleEventStart = time.Unix(0, 0).UTC()

// IdentityStart is the original start a meeting for e is keyed by.
func (e *Event) IdentityStart() time.Time {
	if e.OriginalStart.IsZero() {
		return SingleEventStart
	}
	return e.OriginalStart.UTC()
}

// splitSuffix matches the suffix Google puts in a series' UID when it is
// split by an "edit this and following"
// (`<id>_R20250327T123000@google.com`).
var splitSuffix = regexp.MustCompile(`_R\d{8}(?:T\d{6}Z?)?(@[^@]*)?$`)

// BaseUID is uid without Google's split-series suffix: the occurrences of both
// halves of a split series keep the identity (and the notes) they had.
func BaseUID(uid string) string {
	if !strings.Contains(uid, "_R") {
		return uid // nearly every UID: no regexp, no copy
	}
	return splitSuffix.ReplaceAllString(uid, "$1")
}

// videoLink finds a meeting link in free text (description, location).
var videoLink = regexp.MustCompile(`https://(?:meet\.google\.com|[\w.-]*zoom\.us|teams\.microsoft\.com|teams\.live\.com|[\w.-]*webex\.com|whereby\.com|meet\.jit\.si|[\w.-]*gotomeeting\.com|app\.chime\.aws)/[^\s<>"'\\)]*`)

// FindVideoURL returns the first meeting link in the given texts, or "".
func FindVideoURL(texts ...string) string {
	for _, t := range texts {
		if m := videoLink.FindString(t); m != "" {
			return strings.TrimRight(m, ".,;")
		}
	}
	return ""
}

// Problem is something in a feed that was skipped or read with a guess.
type Problem struct {
	Line   int // where the component starts, 1-based (0: not known)
	UID    string
	Reason string
	// Skipped is true when the component was left out, false when it was
	// imported with a guess (an unknown zone, a missing length).
	Skipped bool
}

// Feed is what a provider's listing holds, expanded over a window.
type Feed struct {
	Name   string // the calendar's name, when the feed gives one
	Method string // iTIP method (PUBLISH, REQUEST, CANCEL, …), ICS only
	Events []Event
	// Series are recurring events left unexpanded (ics.Options.Defer):
	// their occurrences are made when they are applied.
	Series   []Deferred
	Problems []Problem
	// Cancellations name meetings the feed cancels without describing them.
	Cancellations []Cancellation
	// Components counts the events read, well-formed or not.
	Components int
}

// Clip shortens s to at most n bytes, cut on a rune boundary, marking the
// cut with "…": for quoting feed text and provider errors in messages.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// Location is the user's time zone, UTC when it cannot be loaded.
func (u User) Location() *time.Location {
	if loc, err := time.LoadLocation(u.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}
