package calendar

import (
	"fmt"
	"sort"
	"time"

	"github.com/teambition/rrule-go"
)

// Window is the span recurring series are expanded in: occurrences that start
// (or originally started) in [From, To) become meetings.
type Window struct{ From, To time.Time }

// DefaultWindow is 90 days back to 365 days ahead of now.
func DefaultWindow(now time.Time) Window {
	return Window{From: now.AddDate(0, 0, -90), To: now.AddDate(0, 0, 365)}
}

// DayOf is the day a date or date-time names, as midnight in loc: the
// date as written, in the zone it was written in (local midnight in a
// Windows zone names that day, not the evening before in the user's).
func DayOf(t time.Time, loc *time.Location) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

func (w Window) contains(t time.Time) bool { return !t.Before(w.From) && t.Before(w.To) }

// Limits bound the work one series may cost, so a hostile rule (a million
// occurrences, a rule that never reaches the window) is cut short and
// reported instead of hanging a sync.
const (
	// MaxRuleSteps is how many instances of one rule are walked, from its
	// start, before giving up on reaching the window's end.
	MaxRuleSteps = 50_000
	// MaxOccurrences is how many occurrences of one series become meetings.
	MaxOccurrences = 1_000
)

// Period is an extra occurrence (RDATE): a start, and an end when the date
// was given as a period.
type Period struct{ Start, End time.Time }

// Series is a recurring event before expansion.
type Series struct {
	// Master carries the fields every occurrence starts from; its Start and
	// End (in Loc) are the first occurrence's.
	Master  Event
	Loc     *time.Location
	Rules   []rrule.ROption
	RDates  []Period
	ExDates []time.Time
}

// Override replaces one occurrence (RECURRENCE-ID / a Google instance), or,
// with ThisAndFuture, that occurrence and every later one.
type Override struct {
	Event
	RecurrenceID  time.Time
	ThisAndFuture bool
}

// Deferred is a series whose occurrences are made when they are applied,
// a few series at a time: a feed of 2,000 weekly series is 120,000
// occurrences, 31 MB held at once as events.
type Deferred struct {
	Series    Series
	Overrides []Override
	Window    Window
	// Count is how many occurrences Expand gives.
	Count int
}

// UID is the series' UID.
func (d *Deferred) UID() string { return d.Series.Master.UID }

// Events expands the series (the problems it has were reported when it
// was read).
func (d *Deferred) Events() []Event {
	evs, _ := Expand(d.Series, d.Overrides, d.Window)
	return evs
}

// Flatten expands every deferred series into f.Events, sorted by start.
func (f *Feed) Flatten() {
	for i := range f.Series {
		f.Events = append(f.Events, f.Series[i].Events()...)
	}
	f.Series = nil
	sort.SliceStable(f.Events, func(i, j int) bool { return f.Events[i].Start.Before(f.Events[j].Start) })
}

// Expand returns the occurrences of s that fall in w, with the overrides
// applied, and what it had to leave out. Every occurrence carries the master's
// UID and its original start, so a moved occurrence keeps its identity.
func Expand(s Series, overrides []Override, w Window) ([]Event, []string) {
	var out []Event
	notes := expand(s, overrides, w, func(ev Event) { out = append(out, ev) })
	return out, notes
}

// Count is how many occurrences Expand gives, and its notes, without
// making them.
func Count(s Series, overrides []Override, w Window) (int, []string) {
	n := 0
	notes := expand(s, overrides, w, func(Event) { n++ })
	return n, notes
}

// expand passes the occurrences of s in w to emit, in order of start.
func expand(s Series, overrides []Override, w Window, emit func(Event)) []string {
	var notes []string
	loc := s.Loc
	if loc == nil {
		loc = time.UTC
	}
	start := s.Master.Start.In(loc)
	dur := s.Master.End.Sub(s.Master.Start)
	if dur < 0 {
		dur = 0
	}

	// The occurrence set: DTSTART, every rule's instances, RDATEs, less EXDATEs.
	type occ struct {
		start time.Time
		end   time.Time // zero: start + dur
	}
	set := map[int64]occ{}
	add := func(t, end time.Time) {
		if len(set) < 4*MaxOccurrences {
			set[t.Unix()] = occ{t, end}
		}
	}
	add(start, time.Time{})
	for _, opt := range s.Rules {
		opt.Dtstart = start
		if !opt.Until.IsZero() && s.Master.AllDay {
			// An all-day series' UNTIL is a date; it includes that day.
			opt.Until = time.Date(opt.Until.Year(), opt.Until.Month(), opt.Until.Day(), 23, 59, 59, 0, loc)
		}
		if opt.Freq == rrule.SECONDLY || opt.Freq == rrule.MINUTELY {
			notes = append(notes, fmt.Sprintf("a rule repeating %s is not a meeting series; only its first occurrence is kept", freqName(opt.Freq)))
			continue
		}
		if opt.Until.IsZero() || opt.Until.After(w.To) {
			// Nothing after the window matters; without a bound rrule-go
			// walks 290 years past the start looking for instances of a
			// rule that has none.
			opt.Until = w.To
		}
		if opt.Count == 0 {
			opt.Dtstart = fastForward(opt, w.From)
		} else if opt.Dtstart.Before(w.From.AddDate(-200, 0, 0)) {
			notes = append(notes, "a counted recurrence rule starts more than 200 years before the window; only its first occurrence is kept")
			continue
		}
		times, note, err := instances(opt, w, dur)
		if err != nil {
			notes = append(notes, "a recurrence rule is invalid ("+err.Error()+"); only its first occurrence is kept")
			continue
		}
		if note != "" {
			notes = append(notes, note)
		}
		for _, t := range times {
			add(t, time.Time{})
		}
	}
	for _, p := range s.RDates {
		add(p.Start.In(loc), p.End)
	}
	for _, x := range s.ExDates {
		delete(set, x.Unix())
		if s.Master.AllDay {
			// An all-day EXDATE names a day, however it is written.
			delete(set, DayOf(x, loc).Unix())
		}
	}

	// Overrides: one per original start; this-and-future ones in order.
	single := map[int64]*Override{}
	var future []*Override
	for i := range overrides {
		o := &overrides[i]
		if o.ThisAndFuture {
			future = append(future, o)
		}
		single[o.RecurrenceID.Unix()] = o
		if _, ok := set[o.RecurrenceID.Unix()]; !ok {
			// An override of an occurrence the rules do not give (or one an
			// EXDATE removed and the provider still describes) stands alone.
			set[o.RecurrenceID.Unix()] = occ{start: o.RecurrenceID.In(loc)}
		}
	}
	sort.Slice(future, func(i, j int) bool { return future[i].RecurrenceID.Before(future[j].RecurrenceID) })

	keys := make([]int64, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })

	n := 0
	for _, k := range keys {
		o := set[k]
		ev := s.Master
		ev.OriginalStart = o.start.UTC()
		ev.Start = o.start
		ev.End = o.start.Add(dur)
		if !o.end.IsZero() && !o.end.Before(o.start) {
			ev.End = o.end
		}
		if ov, ok := single[k]; ok {
			orig := ev.OriginalStart
			ev = ov.Event
			ev.OriginalStart = orig
		} else if ov := lastBefore(future, o.start); ov != nil {
			shift := ov.Start.Sub(ov.RecurrenceID)
			orig := ev.OriginalStart
			ev = ov.Event
			ev.OriginalStart = orig
			ev.Start = o.start.Add(shift)
			ev.End = ev.Start.Add(ov.End.Sub(ov.Start))
		}
		ev.UID = s.Master.UID
		ev.SeriesKey = s.Master.SeriesKey
		if !w.contains(ev.OriginalStart) && !w.contains(ev.Start) {
			continue
		}
		if s.Master.Status == Cancelled {
			ev.Status = Cancelled
		}
		emit(ev)
		if n++; n >= MaxOccurrences {
			notes = append(notes, fmt.Sprintf("a series has more than %d occurrences in the window; the rest are left out", MaxOccurrences))
			break
		}
	}
	return dedupe(notes)
}

// instances lists a rule's starts that matter to the window, within the
// step and occurrence limits. rrule-go panics on some dates it cannot
// represent (year 0, found by FuzzParse); that is an invalid rule here.
func instances(opt rrule.ROption, w Window, dur time.Duration) (out []time.Time, note string, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, note, err = nil, "", fmt.Errorf("it cannot be expanded")
		}
	}()
	r, err := rrule.NewRRule(opt)
	if err != nil {
		return nil, "", err
	}
	next := r.Iterator()
	steps := 0
	for {
		t, ok := next()
		if !ok || !t.Before(w.To) {
			return out, "", nil
		}
		if steps++; steps > MaxRuleSteps {
			return out, fmt.Sprintf("a recurrence rule was stopped after %d occurrences before reaching the end of the window", MaxRuleSteps), nil
		}
		if t.Add(dur).After(w.From) || w.contains(t) {
			if len(out) == MaxOccurrences {
				return out, fmt.Sprintf("a series has more than %d occurrences in the window; the rest are left out", MaxOccurrences), nil
			}
			out = append(out, t)
		}
	}
}

// fastForward moves an uncounted rule's start forward by whole periods to
// just before from, so that a series begun decades ago (or in year 1, in a
// hostile feed) is not walked instance by instance to reach the window. The
// instances from the new start are the same: each period's rule parts are
// unchanged, and a whole number of INTERVALs keeps the cadence.
func fastForward(opt rrule.ROption, from time.Time) time.Time {
	start := opt.Dtstart
	n := max(opt.Interval, 1)
	lead := from.AddDate(0, 0, -14) // keep two weeks before the window for overlaps
	if !start.Before(lead) {
		return start
	}
	switch opt.Freq {
	case rrule.YEARLY:
		if start.Month() == time.February && start.Day() == 29 {
			return start
		}
		k := (lead.Year() - start.Year() - 1) / n
		if k > 0 {
			return start.AddDate(k*n, 0, 0)
		}
	case rrule.MONTHLY:
		if start.Day() > 28 {
			return start // a shifted day 29–31 would spill into the next month
		}
		months := (lead.Year()-start.Year())*12 + int(lead.Month()-start.Month()) - 1
		if k := months / n; k > 0 {
			return start.AddDate(0, k*n, 0)
		}
	case rrule.WEEKLY:
		if k := int(lead.Sub(start).Hours()/24/7) / n; k > 0 {
			return start.AddDate(0, 0, 7*k*n)
		}
	case rrule.DAILY:
		if k := int(lead.Sub(start).Hours()/24) / n; k > 0 {
			return start.AddDate(0, 0, k*n)
		}
	case rrule.HOURLY:
		// Whole days of whole intervals keep both the hour of day and the
		// cadence.
		step := time.Duration(n) * 24 * time.Hour
		if k := int64(lead.Sub(start) / step); k > 0 {
			return start.Add(time.Duration(k) * step)
		}
	}
	return start
}

// lastBefore is the latest this-and-future override whose original start is
// before t, or nil.
func lastBefore(future []*Override, t time.Time) *Override {
	var found *Override
	for _, o := range future {
		if o.RecurrenceID.Before(t) {
			found = o
		}
	}
	return found
}

func freqName(f rrule.Frequency) string {
	switch f {
	case rrule.SECONDLY:
		return "every second"
	case rrule.MINUTELY:
		return "every minute"
	}
	return f.String()
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	out := ss[:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
