package calendar

import (
	"maps"
	"time"
)

// Fields are what a person may change on a meeting that came from a
// calendar.
type Fields struct {
	Title, Description, Location, VideoURL, Status string
	Start, End                                     time.Time
}

// field names one of Fields in a meeting's calendar_says and in the API.
type field struct {
	name string
	get  func(Fields) string
	set  func(*Fields, string)
}

var fields = []field{
	{"title", func(f Fields) string { return f.Title }, func(f *Fields, v string) { f.Title = v }},
	{"description", func(f Fields) string { return f.Description }, func(f *Fields, v string) { f.Description = v }},
	{"location", func(f Fields) string { return f.Location }, func(f *Fields, v string) { f.Location = v }},
	{"video_url", func(f Fields) string { return f.VideoURL }, func(f *Fields, v string) { f.VideoURL = v }},
	{"status", func(f Fields) string { return f.Status }, func(f *Fields, v string) { f.Status = v }},
	{"starts_at", func(f Fields) string { return stamp(f.Start) }, func(f *Fields, v string) { f.Start = unstamp(v) }},
	{"ends_at", func(f Fields) string { return stamp(f.End) }, func(f *Fields, v string) { f.End = unstamp(v) }},
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func unstamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// Overlay is what a sync writes to a meeting whose person changed some of
// its fields (says: each changed field with what the calendar said of it):
// the event's values for the fields they did not change, theirs for those
// they did, and, beside theirs, what the calendar says now. A sync never
// undoes an edit.
func Overlay(event, stored Fields, says map[string]string) (Fields, map[string]string) {
	if len(says) == 0 {
		return event, says
	}
	out := event
	next := make(map[string]string, len(says))
	for _, f := range fields {
		if _, edited := says[f.name]; edited {
			next[f.name] = f.get(event)
			f.set(&out, f.get(stored))
		}
	}
	return out, next
}

// Edit is a person's change to a meeting from a calendar: the fields it
// sets take their values, and what the calendar said of each is kept in
// says (an edit back to the calendar's value drops it: the calendar speaks
// for that field again).
func Edit(stored, edited Fields, says map[string]string) map[string]string {
	next := maps.Clone(says)
	if next == nil {
		next = map[string]string{}
	}
	for _, f := range fields {
		before, after := f.get(stored), f.get(edited)
		if before == after {
			continue
		}
		cal, overridden := next[f.name]
		switch {
		case overridden && cal == after:
			delete(next, f.name)
		case !overridden:
			next[f.name] = before
		}
	}
	return next
}

// Says is what the calendar says of the fields a person changed, as Fields
// over the stored ones (for showing beside them).
func Says(stored Fields, says map[string]string) Fields {
	out := stored
	for _, f := range fields {
		if v, ok := says[f.name]; ok {
			f.set(&out, v)
		}
	}
	return out
}
