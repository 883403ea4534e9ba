package calendar

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Cancellation names a meeting (or, with a zero OriginalStart, every
// occurrence of a UID) a provider cancels without describing it.
type Cancellation struct {
	UID           string
	OriginalStart time.Time
}

// Batch is what one sync or import brings for one owner.
type Batch struct {
	Owner string
	// UserEmail is the owner's own address: they are not their own attendee.
	UserEmail string
	// UserTZ is the zone of meetings whose feed names none.
	UserTZ string
	// CalendarID is the calendar the events come from, "" for a file import.
	CalendarID string
	Events     []Event
	// Series are expanded as they are applied.
	Series []Deferred
	Cancel []Cancellation
	// Sweep, for a complete listing of CalendarID, cancels that calendar's
	// meetings in SweepWindow that the listing no longer holds.
	Sweep       bool
	SweepWindow Window
	// SweepUIDs are series listed whole: their meetings in SweepWindow the
	// batch lacks are cancelled, whatever calendar they came from.
	SweepUIDs []string
	// Keep are UIDs the sweep leaves alone: their events were in the
	// listing but could not be read.
	Keep []string
	// Outcome, when set, is saved on its connection in the same transaction
	// (validators, sync token, times): a sync's changes and its position
	// commit together or not at all.
	Outcome *SyncOutcome
}

// Summary counts what a sync or import changed.
type Summary struct {
	Created   int
	Updated   int
	Cancelled int
	Unchanged int
	// Changes lists what was created, updated and cancelled (the first
	// MaxChanges), for the command line.
	Changes []Change
}

// MaxChanges bounds Summary.Changes.
const MaxChanges = 1000

// Change is one meeting a sync created, updated or cancelled.
type Change struct {
	Action string // created, updated, cancelled
	Title  string
	Start  time.Time
}

// Note records a change.
func (s *Summary) Note(action, title string, start time.Time) {
	if len(s.Changes) < MaxChanges {
		s.Changes = append(s.Changes, Change{action, title, start})
	}
}

// Add sums two summaries.
func (s *Summary) Add(o Summary) {
	s.Created += o.Created
	s.Updated += o.Updated
	s.Cancelled += o.Cancelled
	s.Unchanged += o.Unchanged
	for _, c := range o.Changes {
		s.Note(c.Action, c.Title, c.Start)
	}
}

// Store applies a batch in one transaction: every meeting keyed by
// (owner, UID, original start) is created or updated, never deleted; a
// cancelled or vanished one becomes cancelled and keeps its notes.
type Store interface {
	// The batch's Events and Series are consumed: it sets them to nil once
	// read, so that a large listing is not held twice.
	ApplyEvents(ctx context.Context, b *Batch) (Summary, error)
}

// Limit leaves out of the batch what is past limit meetings, whole UIDs at
// a time in the order they come (a series is never cut in two), and keeps
// what it left out from the sweep (the calendar still holds it). It
// returns how many meetings it left out, and the problem that says so.
func (b *Batch) Limit(limit int) (int, *Problem) {
	if b.Size() <= limit {
		return 0, nil
	}
	counts := map[string]int{}
	var order []string
	note := func(uid string, n int) {
		uid = BaseUID(uid)
		if _, ok := counts[uid]; !ok {
			order = append(order, uid)
		}
		counts[uid] += n
	}
	for i := range b.Events {
		note(b.Events[i].UID, 1)
	}
	for i := range b.Series {
		note(b.Series[i].UID(), b.Series[i].Count)
	}
	dropped := map[string]bool{}
	n, left := 0, 0
	first := ""
	for _, uid := range order {
		if n+counts[uid] <= limit {
			n += counts[uid]
			continue
		}
		dropped[uid] = true
		left += counts[uid]
		if first == "" {
			first = uid
		}
	}
	b.Events = slices.DeleteFunc(b.Events, func(e Event) bool { return dropped[BaseUID(e.UID)] })
	b.Series = slices.DeleteFunc(b.Series, func(d Deferred) bool { return dropped[BaseUID(d.UID())] })
	b.SweepUIDs = slices.DeleteFunc(b.SweepUIDs, func(uid string) bool { return dropped[BaseUID(uid)] })
	for uid := range dropped {
		b.Keep = append(b.Keep, uid)
	}
	return left, &Problem{UID: first, Skipped: true,
		Reason: fmt.Sprintf("the calendar holds more than %d meetings (DEBRIEF_CALENDAR_MEETING_LIMIT); %d were left out", limit, left)}
}

// Size is how many meetings the batch holds.
func (b *Batch) Size() int {
	n := len(b.Events)
	for i := range b.Series {
		n += b.Series[i].Count
	}
	return n
}
