package google

import (
	"fmt"
	"sort"
	"strings"
	"time"

	gcal "google.golang.org/api/calendar/v3"

	"github.com/debrief-hq/debrief/internal/calendar"
	"github.com/debrief-hq/debrief/internal/calendar/ics"
)

// notMeetings are event types that hold no meeting.
var notMeetings = map[string]bool{"outOfOffice": true, "focusTime": true, "workingLocation": true, "birthday": true}

var responses = map[string]string{"needsAction": "needs_action", "accepted": "accepted", "declined": "declined", "tentative": "tentative"}

// uidOf is an event's iCalendar UID; an item that lost it (a deleted event
// reports only its id) falls back to the UID Google gives its own events.
func uidOf(e *gcal.Event) string {
	if e.ICalUID != "" {
		return e.ICalUID
	}
	id := e.Id
	if e.RecurringEventId != "" {
		id = e.RecurringEventId
	}
	if i := strings.IndexByte(id, '_'); i > 0 && !strings.HasPrefix(id[i:], "_R") {
		id = id[:i] // an instance id is <series id>_<original start>
	}
	return id + "@google.com"
}

// expand turns a listing of Google events — series masters, their
// exceptions, single events — into occurrences in w, with the cancellations
// it names. Series are expanded by the calendar package's engine.
func expand(items []*gcal.Event, w calendar.Window, calTZ string, u calendar.User) ([]calendar.Event, []calendar.Cancellation, []calendar.Problem) {
	userLoc := loadLoc(u.TimeZone, time.UTC)
	defLoc := loadLoc(calTZ, userLoc)
	masters := map[string]*gcal.Event{}
	exceptions := map[string][]*gcal.Event{}
	var singles []*gcal.Event
	var out []calendar.Event
	var cancels []calendar.Cancellation
	var problems []calendar.Problem
	for _, e := range items {
		switch {
		case notMeetings[e.EventType]:
		case e.RecurringEventId != "":
			exceptions[e.RecurringEventId] = append(exceptions[e.RecurringEventId], e)
		case len(e.Recurrence) > 0 && e.Status != "cancelled":
			masters[e.Id] = e
		case e.Status == "cancelled":
			// A deleted single event or a deleted series: every
			// occurrence of its UID.
			cancels = append(cancels, calendar.Cancellation{UID: uidOf(e)})
		default:
			singles = append(singles, e)
		}
	}
	for _, e := range singles {
		ev, err := toEvent(e, defLoc, userLoc, u.Email)
		if err != nil {
			problems = append(problems, calendar.Problem{UID: uidOf(e), Reason: err.Error(), Skipped: true})
			continue
		}
		if ev.Start.Before(w.To) && !ev.End.Before(w.From) {
			out = append(out, ev)
		}
	}
	ids := make([]string, 0, len(masters))
	for id := range masters {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		m := masters[id]
		evs, notes, err := expandSeries(m, exceptions[id], w, defLoc, userLoc, u.Email)
		delete(exceptions, id)
		if err != nil {
			problems = append(problems, calendar.Problem{UID: uidOf(m), Reason: err.Error(), Skipped: true})
			continue
		}
		for _, n := range notes {
			problems = append(problems, calendar.Problem{UID: uidOf(m), Reason: n})
		}
		out = append(out, evs...)
	}
	// Exceptions without their master in the listing stand as the
	// occurrences they describe (the caller fetches whole series when it
	// can).
	for _, exs := range exceptions {
		for _, e := range exs {
			if e.Status == "cancelled" {
				if orig, err := parseWhen(e.OriginalStartTime, defLoc, userLoc); err == nil {
					cancels = append(cancels, calendar.Cancellation{UID: uidOf(e), OriginalStart: orig.UTC()})
				}
				continue
			}
			ev, err := toEvent(e, defLoc, userLoc, u.Email)
			if err != nil {
				problems = append(problems, calendar.Problem{UID: uidOf(e), Reason: err.Error(), Skipped: true})
				continue
			}
			orig, err := parseWhen(e.OriginalStartTime, defLoc, userLoc)
			if err != nil {
				problems = append(problems, calendar.Problem{UID: uidOf(e), Reason: "originalStartTime: " + err.Error(), Skipped: true})
				continue
			}
			ev.OriginalStart, ev.SeriesKey = orig.UTC(), calendar.BaseUID(ev.UID)
			out = append(out, ev)
		}
	}
	return out, cancels, problems
}

// expandSeries expands one recurring event with its exceptions.
func expandSeries(m *gcal.Event, exs []*gcal.Event, w calendar.Window, defLoc, userLoc *time.Location, self string) ([]calendar.Event, []string, error) {
	master, err := toEvent(m, defLoc, userLoc, self)
	if err != nil {
		return nil, nil, err
	}
	master.SeriesKey = calendar.BaseUID(master.UID)
	loc := master.Start.Location()
	rules, rdates, exdates, notes := ics.Recurrence(m.Recurrence, loc, userLoc)
	var overrides []calendar.Override
	for _, e := range exs {
		orig, err := parseWhen(e.OriginalStartTime, loc, userLoc)
		if err != nil {
			notes = append(notes, "an exception has no readable originalStartTime; it is ignored")
			continue
		}
		var ev calendar.Event
		if e.Status == "cancelled" {
			// A cancelled instance carries only its original start.
			ev = master
			ev.Status = calendar.Cancelled
			ev.Start, ev.End = orig, orig.Add(master.End.Sub(master.Start))
		} else if ev, err = toEvent(e, loc, userLoc, self); err != nil {
			notes = append(notes, "an exception is unreadable ("+err.Error()+"); it is ignored")
			continue
		}
		overrides = append(overrides, calendar.Override{Event: ev, RecurrenceID: orig})
	}
	evs, more := calendar.Expand(calendar.Series{Master: master, Loc: loc, Rules: rules, RDates: rdates, ExDates: exdates}, overrides, w)
	return evs, append(notes, more...), nil
}

// toEvent reads a Google event's own fields.
func toEvent(e *gcal.Event, defLoc, userLoc *time.Location, self string) (calendar.Event, error) {
	ev := calendar.Event{UID: uidOf(e), Title: strings.TrimSpace(e.Summary), Description: e.Description, Location: e.Location}
	if e.Start == nil {
		return ev, fmt.Errorf("event %s has no start", e.Id)
	}
	start, err := parseWhen(e.Start, defLoc, userLoc)
	if err != nil {
		return ev, fmt.Errorf("start: %v", err)
	}
	ev.Start, ev.AllDay = start, e.Start.Date != ""
	ev.End = start
	if e.End != nil && !e.EndTimeUnspecified {
		if end, err := parseWhen(e.End, defLoc, userLoc); err == nil && !end.Before(start) {
			ev.End = end
		}
	}
	if ev.AllDay && !ev.End.After(ev.Start) {
		ev.End = ev.Start.AddDate(0, 0, 1)
	}
	if name := ev.Start.Location().String(); name != "UTC" && name != "Local" {
		ev.TimeZone = name
	}
	switch e.Status {
	case "cancelled":
		ev.Status = calendar.Cancelled
	case "tentative":
		ev.Status = calendar.Tentative
	default:
		ev.Status = calendar.Confirmed
	}
	ev.VideoURL = e.HangoutLink
	if e.ConferenceData != nil {
		for _, ep := range e.ConferenceData.EntryPoints {
			if ep.EntryPointType == "video" && strings.HasPrefix(ep.Uri, "https://") {
				ev.VideoURL = ep.Uri
				break
			}
		}
	}
	if ev.VideoURL == "" {
		ev.VideoURL = calendar.FindVideoURL(e.Location, e.Description)
	}
	self = strings.ToLower(self)
	seen := map[string]bool{}
	organizer := ""
	if e.Organizer != nil {
		organizer = strings.ToLower(e.Organizer.Email)
	}
	for _, a := range e.Attendees {
		email := strings.ToLower(strings.TrimSpace(a.Email))
		if a.Resource || email == "" || a.Self || email == self || seen[email] || !strings.Contains(email, "@") {
			continue
		}
		seen[email] = true
		resp := responses[a.ResponseStatus]
		if resp == "" {
			resp = "needs_action"
		}
		ev.Attendees = append(ev.Attendees, calendar.Attendee{Email: email, Name: strings.TrimSpace(a.DisplayName),
			Response: resp, Organizer: a.Organizer || email == organizer, Optional: a.Optional})
	}
	if e.Organizer != nil && organizer != "" && !seen[organizer] && !e.Organizer.Self && organizer != self &&
		strings.Contains(organizer, "@") && !strings.HasSuffix(organizer, "calendar.google.com") {
		ev.Attendees = append(ev.Attendees, calendar.Attendee{Email: organizer, Name: strings.TrimSpace(e.Organizer.DisplayName),
			Response: "accepted", Organizer: true})
	}
	return ev, nil
}

// parseWhen reads an EventDateTime: a date-time (in its own zone, else the
// calendar's), or a date (midnight in the user's zone, so it stays on its
// day).
func parseWhen(d *gcal.EventDateTime, defLoc, userLoc *time.Location) (time.Time, error) {
	if d == nil {
		return time.Time{}, fmt.Errorf("missing")
	}
	if d.Date != "" {
		return time.ParseInLocation("2006-01-02", d.Date, userLoc)
	}
	t, err := time.Parse(time.RFC3339, d.DateTime)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time", d.DateTime)
	}
	return t.In(loadLoc(d.TimeZone, defLoc)), nil
}

func loadLoc(name string, fallback *time.Location) *time.Location {
	if name == "" {
		return fallback
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return fallback
}
