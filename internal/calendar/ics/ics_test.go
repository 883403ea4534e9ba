package ics

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/calendar"
)

const fixtures = "../../../testdata/ics/"

// wide is a window that holds every date the fixtures use.
var wide = calendar.Window{From: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}

func parseFile(t *testing.T, name string, w calendar.Window, floating *time.Location) *Feed {
	t.Helper()
	data, err := os.ReadFile(fixtures + name)
	if err != nil {
		t.Fatal(err)
	}
	return Parse(data, Options{Window: w, Floating: floating})
}

// starts lists uid's occurrences as local start times.
func starts(f *Feed, uid string) []string {
	var out []string
	for _, e := range f.Events {
		if e.UID == uid {
			out = append(out, e.Start.Format("2006-01-02T15:04Z07:00"))
		}
	}
	return out
}

func reasons(f *Feed) string {
	var rs []string
	for _, p := range f.Problems {
		rs = append(rs, p.Reason)
	}
	return strings.Join(rs, "\n")
}

func event(t *testing.T, f *Feed, uid string, start string) calendar.Event {
	t.Helper()
	for _, e := range f.Events {
		if e.UID == uid && e.Start.Format("2006-01-02T15:04Z07:00") == start {
			return e
		}
	}
	t.Fatalf("no occurrence of %s at %s; have %v", uid, start, starts(f, uid))
	return calendar.Event{}
}

// TestRFC5545Examples checks series from RFC 5545's own examples (as
// CalendarServer's test suite carries them) against the occurrences the RFC
// lists, including the change from EDT to EST.
func TestRFC5545Examples(t *testing.T) {
	f := parseFile(t, "ccs-calendarserver/2445AllExamples.ics", wide, time.UTC)
	cases := []struct {
		uid  string
		want []string
	}{
		{"RExample01", []string{ // daily for 10 occurrences
			"1997-09-02T09:00-04:00", "1997-09-03T09:00-04:00", "1997-09-04T09:00-04:00", "1997-09-05T09:00-04:00", "1997-09-06T09:00-04:00",
			"1997-09-07T09:00-04:00", "1997-09-08T09:00-04:00", "1997-09-09T09:00-04:00", "1997-09-10T09:00-04:00", "1997-09-11T09:00-04:00"}},
		{"RExample04", []string{ // every 10 days, 5 occurrences
			"1997-09-02T09:00-04:00", "1997-09-12T09:00-04:00", "1997-09-22T09:00-04:00", "1997-10-02T09:00-04:00", "1997-10-12T09:00-04:00"}},
		{"RExample09b", []string{ // weekly on Tuesday and Thursday, 10 occurrences
			"1997-09-02T09:00-04:00", "1997-09-04T09:00-04:00", "1997-09-09T09:00-04:00", "1997-09-11T09:00-04:00", "1997-09-16T09:00-04:00",
			"1997-09-18T09:00-04:00", "1997-09-23T09:00-04:00", "1997-09-25T09:00-04:00", "1997-09-30T09:00-04:00", "1997-10-02T09:00-04:00"}},
		{"RExample12", []string{ // monthly on the first Friday, 10 occurrences, across both DST changes
			"1997-09-05T09:00-04:00", "1997-10-03T09:00-04:00", "1997-11-07T09:00-05:00", "1997-12-05T09:00-05:00", "1998-01-02T09:00-05:00",
			"1998-02-06T09:00-05:00", "1998-03-06T09:00-05:00", "1998-04-03T09:00-05:00", "1998-05-01T09:00-04:00", "1998-06-05T09:00-04:00"}},
		{"RExample15", []string{ // monthly on the second-to-last Monday, 6 occurrences
			"1997-09-22T09:00-04:00", "1997-10-20T09:00-04:00", "1997-11-17T09:00-05:00", "1997-12-22T09:00-05:00", "1998-01-19T09:00-05:00", "1998-02-16T09:00-05:00"}},
	}
	for _, c := range cases {
		if got := starts(f, c.uid); !slices.Equal(got, c.want) {
			t.Errorf("%s:\n got %v\nwant %v", c.uid, got, c.want)
		}
	}
	// An occurrence keeps its original start as identity, in UTC.
	if e := event(t, f, "RExample12", "1997-11-07T09:00-05:00"); !e.OriginalStart.Equal(time.Date(1997, 11, 7, 14, 0, 0, 0, time.UTC)) || e.SeriesKey != "RExample12" || e.TimeZone != "US/Eastern" {
		t.Errorf("RExample12 on 7 Nov: original start %v, series %q, zone %q", e.OriginalStart, e.SeriesKey, e.TimeZone)
	}
	// Rules that repeat by the minute, or have no end, are cut short and said so.
	if r := reasons(f); !strings.Contains(r, "every minute is not a meeting series") || !strings.Contains(r, "more than 1000 occurrences in the window") {
		t.Errorf("problems = %s", r)
	}
}

func TestExdateRdateAndOverrides(t *testing.T) {
	// Daily for 7 with two days excluded.
	f := parseFile(t, "ical4j/EXDATE.ics", wide, time.UTC)
	want := []string{"2006-01-01T12:00+10:00", "2006-01-02T12:00+10:00", "2006-01-05T12:00+10:00", "2006-01-06T12:00+10:00", "2006-01-07T12:00+10:00"}
	if got := starts(f, "DDC5B090-1B46-4C1D-8A3C-D305516A0B90"); !slices.Equal(got, want) {
		t.Errorf("EXDATE.ics: got %v, want %v", got, want)
	}
	if e := f.Events[0]; e.End.Sub(e.Start) != time.Hour {
		t.Errorf("DURATION:PT1H gave %v", e.End.Sub(e.Start))
	}

	// Monthly on the first Tuesday plus RDATEs (one a period), less EXDATEs,
	// with two occurrences moved by RECURRENCE-ID.
	const uid = "623c13c0-6c2b-45d6-a12b-c33ad61c4868"
	f = parseFile(t, "ical_js/recur_instances.ics", calendar.Window{From: time.Date(2012, 9, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2013, 6, 1, 0, 0, 0, 0, time.UTC)}, time.UTC)
	want = []string{
		"2012-10-02T15:00-07:00",                           // moved from 10:00 by its override
		"2012-11-06T10:00-08:00",                           // rule; DST ended 4 Nov
		"2012-11-06T20:00-08:00",                           // the RDATE of 5 Nov, moved by an override given in UTC
		"2012-11-10T10:00-08:00", "2012-11-30T10:00-08:00", // RDATEs
		// 4 Dec excluded
		"2013-01-01T10:00-08:00",
		// 5 Feb excluded
		"2013-03-05T10:00-08:00",
		// 2 Apr excluded
		"2013-05-07T10:00-07:00",
	}
	if got := starts(f, uid); !slices.Equal(got, want) {
		t.Errorf("recur_instances.ics:\n got %v\nwant %v", got, want)
	}
	moved := event(t, f, uid, "2012-11-06T20:00-08:00")
	if !moved.OriginalStart.Equal(time.Date(2012, 11, 5, 18, 0, 0, 0, time.UTC)) || moved.End.Sub(moved.Start) != 30*time.Minute {
		t.Errorf("moved occurrence: original %v, length %v", moved.OriginalStart, moved.End.Sub(moved.Start))
	}

	// Two RRULEs in one event: weekly on Mondays, and every Sunday.
	f = parseFile(t, "ical_js/multiple_rrules.ics", wide, time.UTC)
	got := starts(f, "1334F9B7-6136-444E-A58D-472564C6AA73")
	if len(got) < 4 || !slices.Equal(got[:4], []string{"2012-03-26T11:00-07:00", "2012-04-01T11:00-07:00", "2012-04-02T11:00-07:00", "2012-04-08T11:00-07:00"}) {
		t.Errorf("multiple_rrules.ics: %v", got)
	}
	// UNTIL=20120730T065959Z is 29 Jul 23:59:59 in Los Angeles: the Monday
	// of 30 Jul falls after it.
	if last := got[len(got)-1]; last != "2012-07-29T11:00-07:00" {
		t.Errorf("multiple_rrules.ics ends at %s, want Sunday 29 Jul", last)
	}
}

func TestThisAndFuture(t *testing.T) {
	// A Lotus Notes override with RANGE=THISANDFUTURE and RDATE periods in a
	// zone the feed defines only by its VTIMEZONE.
	f := parseFile(t, "icalendar/issue_156_RDATE_with_PERIOD_TZID_khal_2.ics", wide, time.UTC)
	got := starts(f, "BF5109494E67AAE20025875100566D31-Lotus_Notes_Generated")
	want := []string{"2021-11-01T16:00+01:00", "2021-12-06T16:00+01:00", "2022-01-03T16:00+01:00", "2022-02-07T16:00+01:00"}
	if !slices.Equal(got, want) {
		t.Errorf("issue_156: got %v, want %v (%s)", got, want, reasons(f))
	}

	// A series split at its third occurrence: this and every later one an hour
	// later, retitled; the first two untouched.
	feed := []byte(strings.Join([]string{
		"BEGIN:VCALENDAR", "VERSION:2.0",
		"BEGIN:VEVENT", "UID:weekly-1", "SUMMARY:Planning", "DTSTART;TZID=Europe/Berlin:20260105T100000",
		"DTEND;TZID=Europe/Berlin:20260105T110000", "RRULE:FREQ=WEEKLY;COUNT=5", "END:VEVENT",
		"BEGIN:VEVENT", "UID:weekly-1", "SUMMARY:Planning (new time)", "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20260119T100000",
		"DTSTART;TZID=Europe/Berlin:20260119T110000", "DTEND;TZID=Europe/Berlin:20260119T113000", "END:VEVENT",
		"END:VCALENDAR"}, "\r\n"))
	f = Parse(feed, Options{Window: wide})
	want = []string{"2026-01-05T10:00+01:00", "2026-01-12T10:00+01:00", "2026-01-19T11:00+01:00", "2026-01-26T11:00+01:00", "2026-02-02T11:00+01:00"}
	if got := starts(f, "weekly-1"); !slices.Equal(got, want) {
		t.Fatalf("THISANDFUTURE: got %v, want %v", got, want)
	}
	last := event(t, f, "weekly-1", "2026-02-02T11:00+01:00")
	if last.Title != "Planning (new time)" || last.End.Sub(last.Start) != 30*time.Minute ||
		!last.OriginalStart.Equal(time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("after the split: %q, %v long, original start %v", last.Title, last.End.Sub(last.Start), last.OriginalStart)
	}
	if first := event(t, f, "weekly-1", "2026-01-05T10:00+01:00"); first.Title != "Planning" {
		t.Errorf("before the split: %q", first.Title)
	}
}

func TestTimeZones(t *testing.T) {
	cases := []struct {
		file, uid, start string
		zone             string // the meeting's zone; "" where the feed's zone has no IANA name
	}{
		// Windows name (Exchange).
		{"icalendar/timezone_same_start.ics", "", "2017-02-24T12:00-08:00", "America/Los_Angeles"},
		// A VTIMEZONE-only zone with Outlook's 1601 observance: fixed +08:00.
		{"ical4j/2207678.ics", "", "2008-10-31T09:30+08:00", ""},
		// Outlook 2003's own rules for Sydney, compiled: daylight time in March.
		{"ical4j/Standup.ics", "", "2009-03-10T09:30+11:00", ""},
		// X-WR-TIMEZONE and a TZID'd DTSTART.
		{"ccs-calendarserver/TruncatedApr01.ics", "F756C5EB-2D97-41AA-8E70-31AC0C0217DB", "2007-04-01T12:00-04:00", "America/New_York"},
		// A vendor-prefixed name and a custom zone that follows New York.
		{"icalendar/pacific_fiji.ics", "noend123", "2014-08-29T08:00+12:00", "Pacific/Fiji"},
	}
	for _, c := range cases {
		f := parseFile(t, c.file, wide, time.UTC)
		if len(f.Events) == 0 {
			t.Errorf("%s: no events (%s)", c.file, reasons(f))
			continue
		}
		uid := c.uid
		if uid == "" {
			uid = f.Events[0].UID
		}
		var found *calendar.Event
		for i, e := range f.Events {
			if e.UID == uid && e.Start.Format("2006-01-02T15:04Z07:00") == c.start {
				found = &f.Events[i]
			}
		}
		if found == nil {
			t.Errorf("%s: no occurrence at %s; first is %s (%s)", c.file, c.start, f.Events[0].Start.Format(time.RFC3339), reasons(f))
			continue
		}
		if found.TimeZone != c.zone {
			t.Errorf("%s: zone %q, want %q", c.file, found.TimeZone, c.zone)
		}
		if strings.Contains(reasons(f), "unknown time zone") {
			t.Errorf("%s: %s", c.file, reasons(f))
		}
	}

	// A zone nobody can resolve is read in the floating zone, and said so.
	f := parseFile(t, "icalendar/issue_218_bad_tzid.ics", wide, time.UTC)
	if !strings.Contains(reasons(f), `unknown time zone "UTC+11"`) || len(f.Events) != 1 {
		t.Errorf("issue_218: %d events, %s", len(f.Events), reasons(f))
	}
}

func TestFloatingAndAllDay(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	la, _ := time.LoadLocation("America/Los_Angeles")
	// All-day dates land on the same day in the user's zone, east or west of
	// UTC, even when the feed writes a TZID on them.
	for _, loc := range []*time.Location{tokyo, la, time.UTC} {
		f := parseFile(t, "ical4j/google_aus_holidays.ics", wide, loc)
		for _, e := range f.Events {
			if !e.AllDay {
				t.Fatalf("%s is not all-day", e.Title)
			}
			if h, m, _ := e.Start.In(loc).Clock(); h != 0 || m != 0 {
				t.Fatalf("%s starts at %s in %s, not midnight", e.Title, e.Start.In(loc), loc)
			}
		}
		australiaDay := ""
		for _, e := range f.Events {
			if e.Title == "Australia Day" && e.Start.Year() == 2002 {
				australiaDay = e.Start.In(loc).Format("2006-01-02")
			}
		}
		if australiaDay != "2002-01-26" {
			t.Errorf("in %s, Australia Day 2002 is on %q", loc, australiaDay)
		}
	}
	// An all-day override given as a UTC date-time replaces its day, not a
	// second occurrence beside it.
	f := parseFile(t, "ical4j/google_aus_holidays.ics", wide, time.UTC)
	if got := starts(f, "frs5bom08phjhek3rfseulju04@google.com"); len(got) == 0 || slices.Index(got, "2012-01-01T00:00Z") < 0 || countOf(got, "2012-01-01T00:00Z") != 1 {
		t.Errorf("New Year: %v", got)
	}

	// Floating times are in the user's zone.
	feed := []byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:f1\r\nDTSTART:20260310T090000\r\nDTEND:20260310T100000\r\nSUMMARY:Floating\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	f = Parse(feed, Options{Window: wide, Floating: tokyo})
	if len(f.Events) != 1 || f.Events[0].Start.Format(time.RFC3339) != "2026-03-10T09:00:00+09:00" || f.Events[0].TimeZone != "Asia/Tokyo" {
		t.Errorf("floating: %+v", f.Events)
	}
}

func countOf(ss []string, s string) int {
	n := 0
	for _, x := range ss {
		if x == s {
			n++
		}
	}
	return n
}

func TestAttendeesAndStatus(t *testing.T) {
	f := parseFile(t, "ical4j/incoming.ics", wide, time.UTC)
	if len(f.Events) != 1 {
		t.Fatalf("incoming.ics: %d events", len(f.Events))
	}
	e := f.Events[0]
	var got []string
	for _, a := range e.Attendees {
		got = append(got, fmt.Sprintf("%s|%s|%s|%v|%v", a.Email, a.Name, a.Response, a.Organizer, a.Optional))
	}
	t.Log(got)
	if len(e.Attendees) == 0 {
		t.Fatal("no attendees")
	}
	organizers := 0
	for _, a := range e.Attendees {
		if a.Organizer {
			organizers++
		}
		if a.Email != strings.ToLower(a.Email) || !strings.Contains(a.Email, "@") {
			t.Errorf("attendee email %q", a.Email)
		}
	}
	if organizers != 1 {
		t.Errorf("%d organizers in %v", organizers, got)
	}

	feed := []byte(strings.Join([]string{
		"BEGIN:VCALENDAR", "METHOD:PUBLISH",
		"BEGIN:VEVENT", "UID:s1", "DTSTART:20260301T100000Z", "DTEND:20260301T110000Z", "SUMMARY:Review\\, final",
		"STATUS:TENTATIVE", "LOCATION:https://acme.zoom.us/j/123?pwd=x", "DESCRIPTION:Agenda:\\nitem one",
		"ORGANIZER;CN=Ann:mailto:Ann@Acme.com",
		"ATTENDEE;CN=Ann;PARTSTAT=ACCEPTED:mailto:ann@acme.com",
		"ATTENDEE;CN=Bob;PARTSTAT=DECLINED;ROLE=OPT-PARTICIPANT:MAILTO:bob@acme.com",
		"ATTENDEE;CN=Room 4;CUTYPE=ROOM:mailto:room4@resource.acme.com",
		"ATTENDEE;CN=not an address:invalid",
		"END:VEVENT",
		"BEGIN:VEVENT", "UID:s2", "DTSTART:20260302T100000Z", "STATUS:CANCELLED", "END:VEVENT",
		"END:VCALENDAR"}, "\r\n"))
	f = Parse(feed, Options{Window: wide})
	if len(f.Events) != 2 {
		t.Fatalf("%d events: %s", len(f.Events), reasons(f))
	}
	e = f.Events[0]
	if e.Title != "Review, final" || e.Status != calendar.Tentative || e.VideoURL != "https://acme.zoom.us/j/123?pwd=x" || e.Description != "Agenda:\nitem one" {
		t.Errorf("s1: %+v", e)
	}
	got = nil
	for _, a := range e.Attendees {
		got = append(got, fmt.Sprintf("%s|%s|%s|%v|%v", a.Email, a.Name, a.Response, a.Organizer, a.Optional))
	}
	if want := []string{"ann@acme.com|Ann|accepted|true|false", "bob@acme.com|Bob|declined|false|true"}; !slices.Equal(got, want) {
		t.Errorf("attendees:\n got %v\nwant %v", got, want)
	}
	if f.Events[1].Status != calendar.Cancelled || f.Events[1].End != f.Events[1].Start {
		t.Errorf("s2: %+v", f.Events[1])
	}

	// METHOD:CANCEL cancels what it names, with or without times.
	cancel := []byte("BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\nUID:s1\r\nDTSTART:20260301T100000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:s3\r\nRECURRENCE-ID:20260305T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	f = Parse(cancel, Options{Window: wide})
	if len(f.Events) != 1 || f.Events[0].Status != calendar.Cancelled {
		t.Errorf("CANCEL events: %+v", f.Events)
	}
	if len(f.Cancellations) != 1 || f.Cancellations[0].UID != "s3" || !f.Cancellations[0].OriginalStart.Equal(time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("CANCEL by name: %+v", f.Cancellations)
	}
}

// TestMalformed: feeds that are broken in the ways real ones are import what
// they can and say what they skipped.
func TestMalformed(t *testing.T) {
	cases := []struct {
		file   string
		events int
		reason string
	}{
		{"icalendar/broken_dtstart.ics", 0, `DTSTART: "INVALID-DATE" is not a date-time`},
		{"ccs-calendarserver/calendar_fix_recurrence__2.ics", 0, "is not a date-time"},
		{"icalendar/issue_1081_invalid_rrule_freq.ics", 1, "RRULE \"FREQ=INVALID_TYPE_CAUSES_ERROR\" is invalid"},
		{"icalendar/invalid_duration.ics", 1, "DURATION is unreadable"},
		{"icalendar/small_bad_calendar.ics", 0, "VEVENT has no DTSTART"},
		{"icalendar/big_bad_calendar.ics", 0, "VEVENT has no DTSTART"},
		{"libical/issue252.ics", 0, "is closed by END:"},
		{"libical/malloc.ics", 0, "is closed by END:"},
		{"ical4j/1106817412.ics", 1, "bytes that are not UTF-8"},
		{"ical_js/blank_line_mid.ics", 0, ""},
		{"ical4j/boeing.ics", 0, ""}, // free/busy only: nothing to import, nothing wrong
	}
	for _, c := range cases {
		f := parseFile(t, c.file, wide, time.UTC)
		if len(f.Events) != c.events {
			t.Errorf("%s: %d events, want %d (%s)", c.file, len(f.Events), c.events, reasons(f))
		}
		if c.reason == "" && len(f.Problems) != 0 {
			t.Errorf("%s: problems %s", c.file, reasons(f))
		}
		if c.reason != "" && !strings.Contains(reasons(f), c.reason) {
			t.Errorf("%s: problems %q, want one containing %q", c.file, reasons(f), c.reason)
		}
	}
	// A line go-ical cannot decode (it used to panic on this one, found by
	// FuzzParse) costs only that line when the event is otherwise sound, and
	// the component when it is not.
	f := Parse([]byte("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20260101T100000Z\nX;0=\nEND:VEVENT\nEND:VCALENDAR\n"), Options{Window: wide})
	if len(f.Events) != 1 || len(f.Problems) != 0 {
		t.Errorf("bad extra line: %d events, %s", len(f.Events), reasons(f))
	}
	f = Parse([]byte("BEGIN:VTIMEZONE\nBEGIN:DAYLIGHT\n0;0=\nEND:DAYLIGHT\nEND:VTIMEZONE\nBEGIN:VEVENT\nUID:y\nDTSTART;0=\nEND:VEVENT\n"), Options{Window: wide})
	if len(f.Events) != 0 || !strings.Contains(reasons(f), "VEVENT does not parse: a content line is malformed") {
		t.Errorf("bad DTSTART line: %s", reasons(f))
	}
	for _, junk := range []string{"", "hello", "BEGIN:VEVENT", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n", "\x00\xff\xfe"} {
		f := Parse([]byte(junk), Options{Window: wide})
		if len(f.Events) != 0 || len(f.Problems) == 0 {
			t.Errorf("%q: %d events, problems %q", junk, len(f.Events), reasons(f))
		}
	}
}

// TestHostile: the feeds a malicious or broken server might send finish
// quickly with what they can give.
func TestHostile(t *testing.T) {
	w := calendar.Window{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	ev := func(uid, extra string) string {
		return "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTART:20260105T100000Z\r\nDTEND:20260105T110000Z\r\n" + extra + "END:VEVENT\r\n"
	}
	wrap := func(s string) []byte { return []byte("BEGIN:VCALENDAR\r\n" + s + "END:VCALENDAR\r\n") }

	// A million occurrences, every second.
	f := Parse(wrap(ev("secondly", "RRULE:FREQ=SECONDLY;COUNT=1000000\r\n")), Options{Window: w})
	if len(f.Events) != 1 || !strings.Contains(reasons(f), "every second") {
		t.Errorf("secondly: %d events, %s", len(f.Events), reasons(f))
	}
	// An hourly rule that never ends.
	f = Parse(wrap(ev("hourly", "RRULE:FREQ=HOURLY\r\n")), Options{Window: w})
	if len(f.Events) != calendar.MaxOccurrences || !strings.Contains(reasons(f), "more than 1000 occurrences") {
		t.Errorf("hourly: %d events, %s", len(f.Events), reasons(f))
	}
	// A daily rule from 1900 that has to walk a long way to reach the window.
	f = Parse(wrap(strings.ReplaceAll(ev("old", "RRULE:FREQ=DAILY\r\n"), "20260105T", "19000105T")), Options{Window: w})
	if len(f.Events) != 365 {
		t.Errorf("from 1900: %d events, %s", len(f.Events), reasons(f))
	}
	// An uncounted hourly one from 1900 is fast-forwarded to the window.
	f = Parse(wrap(strings.ReplaceAll(ev("far", "RRULE:FREQ=HOURLY;INTERVAL=5\r\n"), "20260105T", "19000105T")), Options{Window: w})
	if len(f.Events) != calendar.MaxOccurrences || f.Events[0].Start.Before(w.From) || f.Events[1].Start.Sub(f.Events[0].Start) != 5*time.Hour {
		t.Errorf("hourly from 1900: %d events from %v, %s", len(f.Events), f.Events[0].Start, reasons(f))
	}
	// A counted one cannot be, and is stopped when its instances run out
	// of budget before the window.
	f = Parse(wrap(strings.ReplaceAll(ev("counted", "RRULE:FREQ=HOURLY;COUNT=1000000\r\n"), "20260105T", "19000105T")), Options{Window: w})
	if len(f.Events) != 0 || !strings.Contains(reasons(f), "stopped after") {
		t.Errorf("counted hourly from 1900: %d events, %s", len(f.Events), reasons(f))
	}
	// Rules that can never match finish quickly, also in a zone definition.
	start := time.Now()
	f = Parse(wrap("BEGIN:VTIMEZONE\r\nTZID:X\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"+
		"RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"+
		strings.ReplaceAll(ev("never", "RRULE:FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30\r\n"), "DTSTART:20260105T100000Z", "DTSTART;TZID=X:00010105T100000")), Options{Window: w})
	if len(f.Events) != 0 && len(f.Events) != 1 {
		t.Errorf("never: %d events", len(f.Events))
	}
	t.Logf("rules that never match: %v", time.Since(start))
	// Components nested 10,000 deep.
	f = Parse(wrap(ev("nested", strings.Repeat("BEGIN:X\r\n", 10000)+strings.Repeat("END:X\r\n", 10000))+ev("after", "")), Options{Window: w})
	if got := starts(f, "after"); len(got) != 1 || !strings.Contains(reasons(f), "nested more than") {
		t.Errorf("nested: after=%v, %s", got, reasons(f))
	}
	// More events than a feed may hold.
	var sb strings.Builder
	for i := 0; i < maxComponents+10; i++ {
		sb.WriteString(ev(fmt.Sprint("many-", i), ""))
	}
	f = Parse(wrap(sb.String()), Options{Window: w})
	if len(f.Events) != maxComponents || !strings.Contains(reasons(f), "more than 50000 components") {
		t.Errorf("many: %d events, %s", len(f.Events), reasons(f))
	}
}

// TestEveryFixture reads every ICS fixture: none may fail or panic, and what
// comes out is well formed.
func TestEveryFixture(t *testing.T) {
	files, err := filepath.Glob(fixtures + "*/*.ics")
	if err != nil || len(files) < 70 {
		t.Fatalf("found %d fixtures (%v)", len(files), err)
	}
	for _, path := range files {
		name := strings.TrimPrefix(path, fixtures)
		f := parseFile(t, name, wide, time.UTC)
		if len(f.Events) == 0 && len(f.Problems) == 0 && f.Components > 0 {
			t.Errorf("%s: %d components, no events and no reason", name, f.Components)
		}
		for _, e := range f.Events {
			if e.UID == "" || e.End.Before(e.Start) || (e.Status != calendar.Confirmed && e.Status != calendar.Tentative && e.Status != calendar.Cancelled) {
				t.Errorf("%s: malformed event %+v", name, e)
			}
			if e.Recurring() && e.SeriesKey == "" {
				t.Errorf("%s: occurrence without a series: %+v", name, e)
			}
		}
		for _, p := range f.Problems {
			if p.Reason == "" {
				t.Errorf("%s: a problem without a reason", name)
			}
		}
		// Reading the same feed again gives the same meetings.
		if again := parseFile(t, name, wide, time.UTC); !reflect.DeepEqual(again.Events, f.Events) {
			t.Errorf("%s: a second read differs", name)
		}
	}
}

// TestOutlookAllDayExceptions: an all-day series whose EXDATE and
// RECURRENCE-ID Exchange writes as local midnight in a Windows zone names
// those days, whatever the reader's zone: the excluded day is gone and the
// moved occurrence appears once, on its new day. The expected days were
// worked out by hand (testdata/ics/debrief/README.md).
func TestOutlookAllDayExceptions(t *testing.T) {
	want := []string{"2021-04-05 Offsite", "2021-04-06 Offsite", "2021-04-08 Offsite", "2021-04-10 Offsite",
		"2021-04-11 Offsite", "2021-04-13 Offsite (moved)"}
	for _, zone := range []string{"America/New_York", "America/Los_Angeles", "UTC", "Europe/Berlin", "Asia/Tokyo", "Pacific/Auckland"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		f := parseFile(t, "debrief/outlook-allday-exceptions.ics", wide, loc)
		var got []string
		for _, e := range f.Events {
			if !e.AllDay || e.Start.Location() != loc || e.End.Sub(e.Start) != 24*time.Hour {
				t.Errorf("%s: %s is not one all-day day in the reader's zone: %v – %v", zone, e.Title, e.Start, e.End)
			}
			got = append(got, e.Start.Format(time.DateOnly)+" "+e.Title)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: occurrences\n%s\nwant\n%s", zone, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if p := reasons(f); p != "" {
			t.Errorf("%s: problems: %s", zone, p)
		}
	}
}
