// Package ics reads iCalendar (RFC 5545) feeds and files into calendar
// events: it splits a feed into its components so that one bad event costs
// only itself, decodes each with go-ical, resolves time zones (IANA, Windows,
// VTIMEZONE-only) and expands series with the calendar package's engine.
package ics

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"
	"golang.org/x/text/encoding/charmap"

	"github.com/debrief-hq/debrief/internal/calendar"
)

// Feed and Problem are the calendar package's.
type (
	Feed    = calendar.Feed
	Problem = calendar.Problem
)

// Options say how to read a feed.
type Options struct {
	Window calendar.Window
	// Floating is the zone for times without one (the user's zone).
	Floating *time.Location
	// Defer leaves recurring series unexpanded in Feed.Series (their
	// problems reported, their occurrences counted) for the store to
	// expand a few at a time; otherwise Feed.Events holds every
	// occurrence, sorted by start.
	Defer bool
}

// Read is Parse in the shape calendar.ParseICS asks for, series deferred.
func Read(data []byte, w calendar.Window, floating *time.Location) *Feed {
	return Parse(data, Options{Window: w, Floating: floating, Defer: true})
}

// Limits on what one feed may hold.
const (
	maxDepth      = 8      // nesting of components
	maxComponents = 50_000 // VEVENTs read from one feed
	maxOccurrence = 200_000
)

// Parse reads data. It never fails as a whole: what it cannot read is a
// Problem, and a feed with nothing readable gives no events and says why.
func Parse(data []byte, opt Options) *Feed {
	if opt.Floating == nil {
		opt.Floating = time.UTC
	}
	f := &Feed{}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		data = toUTF8(data, f)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		// PostgreSQL keeps no NUL in text: a NUL anywhere (a title, a UID)
		// is the replacement character, on both databases alike.
		f.Problems = append(f.Problems, Problem{Reason: "the feed has NUL characters; they were replaced with U+FFFD"})
		data = bytes.ReplaceAll(data, []byte{0}, []byte("\uFFFD"))
	}
	blocks, calProps, problems := split(data)
	f.Problems = append(f.Problems, problems...)
	f.Name = calProps["X-WR-CALNAME"]
	f.Method = strings.ToUpper(calProps["METHOD"])
	floating := opt.Floating
	if tz := calProps["X-WR-TIMEZONE"]; tz != "" {
		if loc := ianaZone(tz); loc != nil {
			floating = loc
		}
	}
	z := newZones(floating, opt.Floating)

	var events []*vevent
	for _, b := range blocks {
		comp, err := decode(b)
		if err != nil {
			f.Problems = append(f.Problems, Problem{Line: b.line, UID: b.uid(), Reason: err.Error(), Skipped: true})
			continue
		}
		switch comp.Name {
		case "VTIMEZONE":
			if id := unescape.Replace(propValue(comp, "TZID")); id != "" {
				z.defs[id] = comp
			}
		case "VEVENT":
			f.Components++
			events = append(events, &vevent{comp: comp, line: b.line})
		}
	}
	if _, ok := calProps["BEGIN"]; !ok && len(blocks) == 0 {
		f.Problems = append(f.Problems, Problem{Line: 1, Reason: "no BEGIN:VCALENDAR or BEGIN:VEVENT found: this is not an iCalendar file"})
	}

	// Read every event, then group a series' master with its overrides.
	type group struct {
		master    *parsed
		overrides []*parsed
	}
	groups := map[string]*group{}
	var order []string
	for _, v := range events {
		p, err := readEvent(v, z, f.Method == "CANCEL")
		if err != nil {
			f.Problems = append(f.Problems, Problem{Line: v.line, UID: propValue(v.comp, "UID"), Reason: err.Error(), Skipped: true})
			continue
		}
		f.Problems = append(f.Problems, p.problems...)
		if p.cancelOnly {
			f.Cancellations = append(f.Cancellations, calendar.Cancellation{UID: p.ev.UID, OriginalStart: p.recurrenceID.UTC()})
			continue
		}
		g := groups[p.ev.UID]
		if g == nil {
			g = &group{}
			groups[p.ev.UID] = g
			order = append(order, p.ev.UID)
		}
		if p.recurrenceID.IsZero() {
			if g.master != nil && g.master.sequence > p.sequence {
				continue
			}
			g.master = p
		} else {
			g.overrides = append(g.overrides, p)
		}
	}

	total := 0
	for _, uid := range order {
		g := groups[uid]
		var evs []calendar.Event
		var notes []string
		var deferred *calendar.Deferred
		switch {
		case g.master != nil && g.master.recurs():
			var ovs []calendar.Override
			for _, o := range g.overrides {
				if g.master.ev.AllDay {
					// An all-day series' RECURRENCE-ID names a day, even
					// when written as a date-time: the day as written, in
					// whatever zone (Exchange writes local midnight in a
					// Windows zone, others UTC midnight).
					o.recurrenceID = calendar.DayOf(o.recurrenceID, g.master.loc)
				}
				ovs = append(ovs, o.override())
			}
			ser := g.master.series()
			if opt.Defer {
				// Counted now (for the feed's limit and its problems),
				// made when applied.
				var n int
				n, notes = calendar.Count(ser, ovs, opt.Window)
				deferred = &calendar.Deferred{Series: ser, Overrides: ovs, Window: opt.Window, Count: n}
			} else {
				evs, notes = calendar.Expand(ser, ovs, opt.Window)
			}
		default:
			// A single event; overrides without a recurring master stand as
			// the occurrences they name.
			if m := g.master; m != nil {
				if opt.Window.From.IsZero() || within(opt.Window, m.ev.Start, m.ev.End) {
					evs = append(evs, m.ev)
				}
			}
			for _, o := range g.overrides {
				if g.master == nil && o.recurs() {
					// An override that carries its own recurrence (Lotus
					// Notes sends the rest of a series this way) expands.
					more, n := calendar.Expand(o.series(), nil, opt.Window)
					evs, notes = append(evs, more...), append(notes, n...)
					continue
				}
				ev := o.ev
				ev.OriginalStart = o.recurrenceID.UTC()
				ev.SeriesKey = calendar.BaseUID(ev.UID)
				if opt.Window.From.IsZero() || within(opt.Window, ev.Start, ev.End) || within(opt.Window, ev.OriginalStart, ev.OriginalStart) {
					evs = append(evs, ev)
				}
			}
		}
		line := 0
		if g.master != nil {
			line = g.master.line
		}
		for _, n := range notes {
			f.Problems = append(f.Problems, Problem{Line: line, UID: uid, Reason: n})
		}
		count := len(evs)
		if deferred != nil {
			count = deferred.Count
		}
		if total+count > maxOccurrence {
			f.Problems = append(f.Problems, Problem{Line: line, UID: uid, Reason: fmt.Sprintf("the feed expands to more than %d meetings; the rest are left out", maxOccurrence), Skipped: true})
			break
		}
		total += count
		if deferred != nil {
			if count > 0 {
				f.Series = append(f.Series, *deferred)
			}
			continue
		}
		f.Events = append(f.Events, evs...)
	}
	sort.SliceStable(f.Events, func(i, j int) bool { return f.Events[i].Start.Before(f.Events[j].Start) })
	return f
}

// toUTF8 repairs a feed that is not valid UTF-8. UTF-8 with a few broken
// sequences keeps its text, the broken bytes replaced; a feed with no UTF-8
// sequence at all is read as Windows-1252, the usual other encoding of
// Outlook exports.
func toUTF8(data []byte, f *Feed) []byte {
	multi := 0
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r != utf8.RuneError && n > 1 {
			multi++
		}
		i += n
	}
	if multi == 0 {
		if dec, err := charmap.Windows1252.NewDecoder().Bytes(data); err == nil {
			f.Problems = append(f.Problems, Problem{Reason: "the feed is not UTF-8; it was read as Windows-1252"})
			return dec
		}
	}
	f.Problems = append(f.Problems, Problem{Reason: "the feed has bytes that are not UTF-8; they were replaced with U+FFFD"})
	return bytes.ToValidUTF8(data, []byte("\uFFFD"))
}

func within(w calendar.Window, start, end time.Time) bool {
	return start.Before(w.To) && (end.After(w.From) || !start.Before(w.From))
}

// block is one top-level component's unfolded lines.
type block struct {
	line  int
	name  string
	lines []string
}

func (b block) uid() string {
	for _, l := range b.lines {
		if len(l) > 4 && strings.EqualFold(l[:4], "UID:") {
			return strings.TrimSpace(l[4:])
		}
	}
	return ""
}

// split unfolds data into content lines and cuts out each VEVENT and
// VTIMEZONE, wherever it sits (inside VCALENDAR, or bare as some tools
// write it). A component left open, closed by the wrong END, or nested too
// deep is reported and skipped; the rest of the feed still reads.
func split(data []byte) ([]block, map[string]string, []Problem) {
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	raw := strings.Split(text, "\n")

	type line struct {
		n    int
		text string
	}
	var lines []line
	for i, l := range raw {
		if (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) && len(lines) > 0 {
			lines[len(lines)-1].text += l[1:]
			continue
		}
		if strings.TrimSpace(l) == "" {
			continue
		}
		lines = append(lines, line{i + 1, l})
	}

	var blocks []block
	var problems []Problem
	calProps := map[string]string{}
	var cur *block
	var stack []string // open components inside cur
	depth := 0         // open VCALENDARs outside any block
	for _, l := range lines {
		name, value := nameValue(l.text)
		switch {
		case cur == nil && name == "BEGIN" && (value == "VEVENT" || value == "VTIMEZONE"):
			if len(blocks) >= maxComponents {
				problems = append(problems, Problem{Line: l.n, Reason: fmt.Sprintf("the feed has more than %d components; the rest are left out", maxComponents), Skipped: true})
				return blocks, calProps, problems
			}
			cur = &block{line: l.n, name: value, lines: []string{l.text}}
			stack = []string{value}
		case cur == nil && name == "BEGIN":
			if value == "VCALENDAR" {
				calProps["BEGIN"] = value // seen: this is an iCalendar stream
			}
			depth++
		case cur == nil && name == "END":
			depth--
		case cur == nil:
			if depth <= 1 && name != "" {
				if _, seen := calProps[name]; !seen {
					calProps[name] = strings.TrimSpace(value)
				}
			}
		case name == "BEGIN":
			if len(stack) >= maxDepth {
				problems = append(problems, Problem{Line: cur.line, UID: cur.uid(), Reason: fmt.Sprintf("components nested more than %d deep", maxDepth), Skipped: true})
				cur, stack = nil, nil
				continue
			}
			stack = append(stack, value)
			cur.lines = append(cur.lines, l.text)
		case name == "END":
			if value != stack[len(stack)-1] {
				problems = append(problems, Problem{Line: cur.line, UID: cur.uid(),
					Reason: fmt.Sprintf("BEGIN:%s at line %d is closed by END:%s at line %d", stack[len(stack)-1], cur.line, value, l.n), Skipped: true})
				cur, stack = nil, nil
				if value == "VCALENDAR" {
					depth--
				}
				continue
			}
			stack = stack[:len(stack)-1]
			cur.lines = append(cur.lines, l.text)
			if len(stack) == 0 {
				blocks = append(blocks, *cur)
				cur = nil
			}
		default:
			cur.lines = append(cur.lines, l.text)
		}
	}
	if cur != nil {
		problems = append(problems, Problem{Line: cur.line, UID: cur.uid(), Reason: fmt.Sprintf("BEGIN:%s at line %d is never closed (the feed is truncated)", cur.name, cur.line), Skipped: true})
	}
	return blocks, calProps, problems
}

// nameValue returns a content line's upper-cased name (without parameters)
// and, for BEGIN and END, the upper-cased component name.
func nameValue(l string) (string, string) {
	i := strings.IndexAny(l, ";:")
	if i < 0 {
		return "", ""
	}
	name := strings.ToUpper(strings.TrimSpace(l[:i]))
	value := ""
	if j := strings.IndexByte(l, ':'); j >= 0 {
		value = l[j+1:]
	}
	if name == "BEGIN" || name == "END" {
		value = strings.ToUpper(strings.TrimSpace(value))
	}
	return name, value
}

// wanted are the properties an event or zone is read from; when a component
// does not decode whole, it is decoded again from these alone.
var wanted = map[string]bool{
	"BEGIN": true, "END": true, "UID": true, "SUMMARY": true, "DESCRIPTION": true, "LOCATION": true,
	"DTSTART": true, "DTEND": true, "DURATION": true, "STATUS": true, "ORGANIZER": true, "ATTENDEE": true,
	"RRULE": true, "RDATE": true, "EXDATE": true, "RECURRENCE-ID": true, "SEQUENCE": true, "URL": true,
	"CONFERENCE": true, "X-GOOGLE-CONFERENCE": true, "X-MICROSOFT-SKYPETEAMSMEETINGURL": true,
	"TZID": true, "TZOFFSETFROM": true, "TZOFFSETTO": true, "TZNAME": true, "X-LIC-LOCATION": true,
}

// decode parses a block with go-ical.
func decode(b block) (*ical.Component, error) {
	comp, err := decodeLines(b.lines)
	if err == nil {
		return comp, nil
	}
	var kept []string
	for _, l := range b.lines {
		if n, _ := nameValue(l); wanted[n] {
			kept = append(kept, l)
		}
	}
	if comp, err2 := decodeLines(kept); err2 == nil {
		return comp, nil
	}
	return nil, fmt.Errorf("%s does not parse: %s", b.name, strings.TrimPrefix(err.Error(), "ical: "))
}

func decodeLines(lines []string) (comp *ical.Component, err error) {
	defer func() {
		// go-ical indexes past the end of some malformed parameter lists
		// (found by FuzzParse; the crasher is kept in testdata/fuzz).
		if r := recover(); r != nil {
			comp, err = nil, fmt.Errorf("a content line is malformed")
		}
	}()
	var sb strings.Builder
	sb.WriteString("BEGIN:VCALENDAR\r\n")
	for _, l := range lines {
		sb.WriteString(l)
		sb.WriteString("\r\n")
	}
	sb.WriteString("END:VCALENDAR\r\n")
	cal, err := ical.NewDecoder(strings.NewReader(sb.String())).Decode()
	if err != nil {
		return nil, err
	}
	if len(cal.Children) != 1 {
		return nil, fmt.Errorf("expected one component, found %d", len(cal.Children))
	}
	return cal.Children[0], nil
}

type vevent struct {
	comp *ical.Component
	line int
}

// parsed is one VEVENT read into an event, before expansion.
type parsed struct {
	ev            calendar.Event
	line          int
	loc           *time.Location
	sequence      int
	recurrenceID  time.Time
	thisAndFuture bool
	rules         []rrule.ROption
	rdates        []calendar.Period
	exdates       []time.Time
	problems      []Problem
	cancelOnly    bool // an iTIP CANCEL without times
}

func (p *parsed) recurs() bool { return len(p.rules) > 0 || len(p.rdates) > 0 }

func (p *parsed) series() calendar.Series {
	m := p.ev
	m.SeriesKey = calendar.BaseUID(m.UID)
	return calendar.Series{Master: m, Loc: p.loc, Rules: p.rules, RDates: p.rdates, ExDates: p.exdates}
}

func (p *parsed) override() calendar.Override {
	return calendar.Override{Event: p.ev, RecurrenceID: p.recurrenceID, ThisAndFuture: p.thisAndFuture}
}

func readEvent(v *vevent, z *zones, cancelAll bool) (*parsed, error) {
	c := v.comp
	p := &parsed{line: v.line}
	note := func(format string, args ...any) {
		p.problems = append(p.problems, Problem{Line: v.line, UID: propValue(c, "UID"), Reason: fmt.Sprintf(format, args...)})
	}
	startProp := c.Props.Get("DTSTART")
	if startProp == nil {
		if uid := propValue(c, "UID"); uid != "" && (cancelAll || strings.EqualFold(propValue(c, "STATUS"), "CANCELLED")) {
			// An iTIP cancellation names the meeting only by UID (and
			// RECURRENCE-ID for one occurrence).
			p.cancelOnly = true
			p.ev.UID, p.ev.Status = uid, calendar.Cancelled
			if rid := c.Props.Get("RECURRENCE-ID"); rid != nil {
				t, _, _, err := readTime(rid, z)
				if err != nil {
					return nil, fmt.Errorf("RECURRENCE-ID: %v", err)
				}
				p.recurrenceID = t
			}
			return p, nil
		}
		return nil, fmt.Errorf("VEVENT has no DTSTART")
	}
	start, allDay, loc, err := readTime(startProp, z)
	if err != nil {
		return nil, fmt.Errorf("DTSTART: %v", err)
	}
	if tzid := startProp.Params.Get("TZID"); tzid != "" {
		if _, ok := z.lookup(tzid); !ok {
			note("unknown time zone %q; read in %s", tzid, z.floating)
		}
	}
	p.loc = loc
	ev := &p.ev
	ev.Start, ev.AllDay = start, allDay
	if loc != time.UTC && ianaZone(loc.String()) != nil {
		// A UTC time says nothing of where the meeting is, and a zone
		// compiled from a VTIMEZONE has no name a meeting can carry: both
		// leave the zone to the user's.
		ev.TimeZone = loc.String()
	}

	switch {
	case c.Props.Get("DTEND") != nil:
		end, _, _, err := readTime(c.Props.Get("DTEND"), z)
		if err != nil || end.Before(start) {
			note("DTEND is unreadable or before DTSTART; the event is given no length")
			end = start
		}
		ev.End = end
	case c.Props.Get("DURATION") != nil:
		d, err := c.Props.Get("DURATION").Duration()
		if err != nil || d < 0 {
			note("DURATION is unreadable; the event is given no length")
			d = 0
		}
		if allDay && d%(24*time.Hour) == 0 {
			ev.End = start.AddDate(0, 0, int(d/(24*time.Hour)))
		} else {
			ev.End = start.Add(d)
		}
	case allDay:
		ev.End = start.AddDate(0, 0, 1)
	default:
		ev.End = start
	}

	ev.UID = strings.TrimSpace(propValue(c, "UID"))
	if ev.UID == "" {
		h := sha256.Sum256([]byte(startProp.Value + "\x00" + propValue(c, "SUMMARY")))
		ev.UID = "debrief-" + hex.EncodeToString(h[:8])
		note("VEVENT has no UID; it is identified by its start and summary")
	}
	ev.Title = text(c, "SUMMARY")
	ev.Description = text(c, "DESCRIPTION")
	ev.Location = text(c, "LOCATION")
	ev.Status = calendar.Confirmed
	switch strings.ToUpper(propValue(c, "STATUS")) {
	case "CANCELLED":
		ev.Status = calendar.Cancelled
	case "TENTATIVE":
		ev.Status = calendar.Tentative
	}
	if cancelAll {
		ev.Status = calendar.Cancelled
	}
	if sp := c.Props.Get("SEQUENCE"); sp != nil {
		if n, err := sp.Int(); err == nil {
			p.sequence = n
		}
	}
	ev.VideoURL = videoURL(c)
	ev.Attendees = attendees(c)

	if rid := c.Props.Get("RECURRENCE-ID"); rid != nil {
		t, _, _, err := readTime(rid, z)
		if err != nil {
			return nil, fmt.Errorf("RECURRENCE-ID: %v", err)
		}
		p.recurrenceID = t
		p.thisAndFuture = strings.EqualFold(rid.Params.Get("RANGE"), "THISANDFUTURE")
	}
	p.rules, p.rdates, p.exdates = recurrence(c, loc, z, func(msg string) { note("%s", msg) })
	return p, nil
}

// recurrence reads a component's RRULEs, RDATEs and EXDATEs; what cannot be
// read is ignored and reported through note.
func recurrence(c *ical.Component, loc *time.Location, z *zones, note func(string)) (rules []rrule.ROption, rdates []calendar.Period, exdates []time.Time) {
	for _, rp := range c.Props.Values("RRULE") {
		opt, err := rrule.StrToROptionInLocation(strings.Join(strings.Fields(rp.Value), ""), loc)
		if err != nil {
			note(fmt.Sprintf("RRULE %q is invalid (%v); it is ignored", clip(rp.Value), err))
			continue
		}
		rules = append(rules, *opt)
	}
	for _, rp := range c.Props.Values("RDATE") {
		for _, v := range strings.Split(rp.Value, ",") {
			per, err := readPeriod(rp, strings.TrimSpace(v), z)
			if err != nil {
				note(fmt.Sprintf("RDATE %q is invalid; it is ignored", clip(v)))
				continue
			}
			rdates = append(rdates, per)
		}
	}
	for _, xp := range c.Props.Values("EXDATE") {
		for _, v := range strings.Split(xp.Value, ",") {
			one := xp
			one.Value = strings.TrimSpace(v)
			t, _, _, err := readTime(&one, z)
			if err != nil {
				note(fmt.Sprintf("EXDATE %q is invalid; it is ignored", clip(v)))
				continue
			}
			exdates = append(exdates, t)
		}
	}
	return rules, rdates, exdates
}

// Recurrence reads recurrence lines as Google's API gives them
// (`RRULE:…`, `EXDATE;TZID=…:…`, `RDATE;VALUE=DATE:…`) for a series whose
// start is in loc; dates (all-day) are in the user's zone. Google's series
// are expanded by the same engine as ICS feeds.
func Recurrence(lines []string, loc, dates *time.Location) (rules []rrule.ROption, rdates []calendar.Period, exdates []time.Time, problems []string) {
	note := func(msg string) { problems = append(problems, msg) }
	var kept []string
	for _, l := range lines {
		if n, _ := nameValue(l); n == "RRULE" || n == "RDATE" || n == "EXDATE" {
			kept = append(kept, l)
		} else {
			note(fmt.Sprintf("recurrence line %q is not RRULE, RDATE or EXDATE; it is ignored", clip(l)))
		}
	}
	c, err := decodeLines(append(append([]string{"BEGIN:VEVENT"}, kept...), "END:VEVENT"))
	if err != nil {
		note("the recurrence does not parse: " + strings.TrimPrefix(err.Error(), "ical: "))
		return nil, nil, nil, problems
	}
	z := newZones(loc, dates)
	rules, rdates, exdates = recurrence(c, loc, z, note)
	return rules, rdates, exdates, problems
}

// readTime reads a DATE or DATE-TIME property: UTC, in its TZID's zone, or
// floating. A date is midnight in the user's zone, so an all-day event
// stays on its day.
func readTime(p *ical.Prop, z *zones) (t time.Time, allDay bool, loc *time.Location, err error) {
	v := strings.TrimSpace(p.Value)
	isDate := strings.EqualFold(p.Params.Get("VALUE"), "DATE") || len(v) == 8 || len(v) == 9 && (v[8] == 'Z' || v[8] == 'z')
	if isDate {
		if len(v) >= 8 {
			v = v[:8]
		}
		t, err = time.ParseInLocation("20060102", v, z.dates)
		if err != nil {
			return t, false, nil, fmt.Errorf("%q is not a date (YYYYMMDD)", clip(p.Value))
		}
		return t, true, z.dates, nil
	}
	if strings.HasSuffix(v, "Z") || strings.HasSuffix(v, "z") {
		t, err = time.ParseInLocation("20060102T150405", v[:len(v)-1], time.UTC)
		if err != nil {
			return t, false, nil, fmt.Errorf("%q is not a date-time (YYYYMMDDTHHMMSSZ)", clip(p.Value))
		}
		return t, false, time.UTC, nil
	}
	loc = z.floating
	if tzid := p.Params.Get("TZID"); tzid != "" {
		loc, _ = z.lookup(tzid)
	}
	t, err = time.ParseInLocation("20060102T150405", v, loc)
	if err != nil {
		return t, false, nil, fmt.Errorf("%q is not a date-time (YYYYMMDDTHHMMSS)", clip(p.Value))
	}
	return t, false, loc, nil
}

// readPeriod reads one RDATE value: a date, a date-time, or a period
// (start/end or start/duration).
func readPeriod(p ical.Prop, v string, z *zones) (calendar.Period, error) {
	startV, endV, isPeriod := strings.Cut(v, "/")
	one := p
	one.Params = ical.Params{}
	for k, vs := range p.Params {
		if k != "VALUE" {
			one.Params[k] = vs
		}
	}
	one.Value = startV
	start, _, _, err := readTime(&one, z)
	if err != nil {
		return calendar.Period{}, err
	}
	per := calendar.Period{Start: start}
	if isPeriod {
		if strings.HasPrefix(endV, "P") || strings.HasPrefix(endV, "+P") {
			d := ical.NewProp("DURATION")
			d.Value = endV
			if dur, err := d.Duration(); err == nil {
				per.End = start.Add(dur)
			}
		} else {
			one.Value = endV
			if end, _, _, err := readTime(&one, z); err == nil {
				per.End = end
			}
		}
	}
	return per, nil
}

// unescape undoes TEXT escaping (RFC 5545 §3.3.11).
var unescape = strings.NewReplacer(`\,`, ",", `\;`, ";", `\\`, `\`, `\n`, "\n", `\N`, "\n")

func text(c *ical.Component, name string) string {
	p := c.Props.Get(name)
	if p == nil {
		return ""
	}
	// Not p.Text(): that stops at the first unescaped comma, which many
	// producers leave in titles and descriptions.
	return strings.TrimSpace(unescape.Replace(p.Value))
}

func videoURL(c *ical.Component) string {
	for _, name := range []string{"X-GOOGLE-CONFERENCE", "X-MICROSOFT-SKYPETEAMSMEETINGURL", "CONFERENCE", "URL"} {
		for _, p := range c.Props.Values(name) {
			if v := strings.TrimSpace(p.Value); strings.HasPrefix(v, "https://") {
				if name != "URL" || calendar.FindVideoURL(v) != "" {
					return v
				}
			}
		}
	}
	return calendar.FindVideoURL(text(c, "LOCATION"), text(c, "DESCRIPTION"))
}

var partstat = map[string]string{
	"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative", "NEEDS-ACTION": "needs_action", "DELEGATED": "declined",
}

// attendees reads ATTENDEE and ORGANIZER: people by email, rooms and
// resources left out, the organizer flagged.
func attendees(c *ical.Component) []calendar.Attendee {
	var out []calendar.Attendee
	seen := map[string]int{}
	add := func(p ical.Prop, organizer bool) {
		cutype := strings.ToUpper(p.Params.Get("CUTYPE"))
		if cutype == "ROOM" || cutype == "RESOURCE" {
			return
		}
		email := mailto(p.Value)
		if email == "" {
			email = mailto(p.Params.Get("EMAIL"))
		}
		if email == "" {
			return
		}
		a := calendar.Attendee{
			Email:     email,
			Name:      strings.TrimSpace(strings.Trim(p.Params.Get("CN"), `"`)),
			Response:  partstat[strings.ToUpper(p.Params.Get("PARTSTAT"))],
			Organizer: organizer,
			Optional:  strings.EqualFold(p.Params.Get("ROLE"), "OPT-PARTICIPANT") || strings.EqualFold(p.Params.Get("ROLE"), "NON-PARTICIPANT"),
		}
		if a.Response == "" {
			a.Response = "needs_action"
		}
		if a.Name == email {
			a.Name = ""
		}
		if i, ok := seen[email]; ok {
			if organizer {
				out[i].Organizer = true
				if out[i].Name == "" {
					out[i].Name = a.Name
				}
			}
			return
		}
		seen[email] = len(out)
		out = append(out, a)
	}
	for _, p := range c.Props.Values("ATTENDEE") {
		add(p, false)
	}
	if p := c.Props.Get("ORGANIZER"); p != nil {
		o := *p
		if _, ok := seen[mailto(o.Value)]; !ok && o.Params.Get("PARTSTAT") == "" {
			o.Params = ical.Params{}
			for k, v := range p.Params {
				o.Params[k] = v
			}
			o.Params.Set("PARTSTAT", "ACCEPTED")
		}
		add(o, true)
	}
	return out
}

// mailto returns the lower-cased address of a `mailto:` URI (or a bare
// address), or "" when there is none.
func mailto(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 7 && strings.EqualFold(v[:7], "mailto:") {
		v = v[7:]
	}
	v = strings.ToLower(strings.TrimSpace(v))
	at := strings.LastIndexByte(v, '@')
	if at <= 0 || at == len(v)-1 || strings.ContainsAny(v, " <>,;:\"") || len(v) > 254 {
		return ""
	}
	return v
}

func clip(s string) string { return calendar.Clip(s, 60) }
