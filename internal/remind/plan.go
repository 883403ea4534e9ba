// Package remind decides what Debrief reminds people of, when, and on
// which channels: due items, remind-me-at times, the overdue and morning
// digests, meeting recaps and preps, and questions kept for the next
// meeting with someone. The rules are pure functions over a snapshot of
// one person's graph (Plan, Fanout, Render), tested without a database;
// the Service runs them over the store on the job queue's timing and hands
// the results to the channels.
package remind

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Late is how late a reminder may still go out on its own after the
// server was down: a due-day reminder later than that is left to the
// overdue digest, a digest to the next one, a recap to the meeting page.
// A remind-me-at time the person chose goes out however late.
const Late = 24 * time.Hour

// Ahead is how far ahead a planning pass plans; the daily pass runs every
// hour, so every moment is planned a day before it comes, and a change to
// the graph plans its owner again at once.
const Ahead = 26 * time.Hour

// Owner is whom a plan is for.
type Owner struct {
	ID       string
	Name     string
	Email    string
	Location *time.Location
	Settings Settings
	// EmailOn: the server can send email.
	EmailOn  bool
	Webhooks []Hook
}

// Hook is one of the owner's webhooks and the kinds it receives.
type Hook struct {
	ID     string
	Events []string
}

// Item is an open action item or question.
type Item struct {
	ID       string
	Question bool
	// Mine: the owner owes it (an action item with no assignee).
	Mine        bool
	DueAt       *time.Time
	RemindAt    *time.Time
	NextMeeting bool
	// People are the people the line names (person ids).
	People    []string
	MeetingID string
	CreatedAt time.Time
}

// Ref is how a notification names the item.
func (it Item) Ref() string {
	if it.Question {
		return "question:" + it.ID
	}
	return "item:" + it.ID
}

// Meeting is a meeting near the planning window.
type Meeting struct {
	ID        string
	Start     time.Time
	End       time.Time
	AllDay    bool
	Cancelled bool
	// Attendees are the other people in it (person ids).
	Attendees []string
	// HasNote: a note was written for it (its recap checks the note has
	// content when it is sent).
	HasNote bool
}

// Snapshot is what planning needs of one owner's graph: their open items
// with a due date, a remind-me-at or people, and their meetings from Late
// before now to Ahead after it, by start.
type Snapshot struct {
	Owner    Owner
	Items    []Item
	Meetings []Meeting
}

// Reminder is one thing to tell the owner, once.
type Reminder struct {
	Kind string
	// Ref is what it is about: "item:<id>", "question:<id>",
	// "meeting:<id>" or "digest".
	Ref string
	// Key names it among everything the owner is ever reminded of: kind,
	// subject and moment.
	Key string
	At  time.Time
	// MeetingID is the meeting of a recap, a prep or a next-meeting reminder.
	MeetingID string
}

// Plan lists the reminders of s whose moment is in (now-Late, now+Ahead]
// (a remind-me-at of any age), for the store to record once each.
func Plan(s Snapshot, now time.Time) []Reminder {
	o := s.Owner
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	set := o.Settings
	on := func(kind string) bool { return len(set.Channels[kind]) > 0 }
	inWindow := func(t time.Time) bool { return t.After(now.Add(-Late)) && !t.After(now.Add(Ahead)) }
	var out []Reminder
	add := func(r Reminder) { out = append(out, r) }

	// The local days whose morning falls in the window.
	var days []time.Time
	for d := dayOf(now.Add(-Late), loc); !d.After(now.Add(Ahead)); d = d.AddDate(0, 0, 1) {
		if m := morning(d, set.MorningHour, loc); inWindow(m) {
			days = append(days, d)
		}
	}

	for _, it := range s.Items {
		if on(KindDue) && it.Mine && it.DueAt != nil {
			day := dayOf(*it.DueAt, loc)
			at := set.QuietHours.after(morning(day, set.MorningHour, loc), loc)
			if inWindow(at) {
				add(Reminder{Kind: KindDue, Ref: it.Ref(), Key: key(KindDue, it.Ref(), day.Format(time.DateOnly)), At: at})
			}
		}
		if on(KindDue) && it.RemindAt != nil && !it.RemindAt.After(now.Add(Ahead)) {
			add(Reminder{Kind: KindDue, Ref: it.Ref(), Key: key(KindDue, it.Ref(), "at", stamp(*it.RemindAt)), At: *it.RemindAt})
		}
		if on(KindNextMeeting) && (it.Question || it.NextMeeting) {
			if m, ok := nextWith(it, s.Meetings); ok && inWindow(m.Start) {
				// Once per item: after this meeting it is the person's to ask.
				add(Reminder{Kind: KindNextMeeting, Ref: it.Ref(), Key: key(KindNextMeeting, it.Ref()), At: m.Start, MeetingID: m.ID})
			}
		}
	}

	for _, d := range days {
		at := set.QuietHours.after(morning(d, set.MorningHour, loc), loc)
		date := d.Format(time.DateOnly)
		if on(KindMorning) {
			add(Reminder{Kind: KindMorning, Ref: "digest", Key: key(KindMorning, date), At: at})
		}
		if on(KindOverdue) && slices.ContainsFunc(s.Items, func(it Item) bool {
			return it.Mine && it.DueAt != nil && dayOf(*it.DueAt, loc).Before(d)
		}) {
			add(Reminder{Kind: KindOverdue, Ref: "digest", Key: key(KindOverdue, date), At: at})
		}
	}

	for _, m := range s.Meetings {
		if m.Cancelled {
			continue
		}
		ref := "meeting:" + m.ID
		if on(KindRecap) && m.HasNote {
			at := set.QuietHours.after(m.End.Add(time.Duration(set.RecapDelay)*time.Minute), loc)
			if inWindow(at) {
				add(Reminder{Kind: KindRecap, Ref: ref, Key: key(KindRecap, ref, stamp(m.End)), At: at, MeetingID: m.ID})
			}
		}
		if on(KindPrep) && !m.AllDay && len(m.Attendees) > 0 {
			at := m.Start.Add(-time.Duration(set.PrepMinutes) * time.Minute)
			// A prep is no use once the meeting has begun.
			if m.Start.After(now) && inWindow(at) {
				add(Reminder{Kind: KindPrep, Ref: ref, Key: key(KindPrep, ref, stamp(m.Start)), At: at, MeetingID: m.ID})
			}
		}
	}
	return out
}

// nextWith is the first meeting after an item was written that one of its
// people attends (the people of the meeting it came from when the line
// names nobody), other than that meeting itself.
func nextWith(it Item, ms []Meeting) (Meeting, bool) {
	people := it.People
	if len(people) == 0 && it.MeetingID != "" {
		if i := slices.IndexFunc(ms, func(m Meeting) bool { return m.ID == it.MeetingID }); i >= 0 {
			people = ms[i].Attendees
		}
	}
	if len(people) == 0 {
		return Meeting{}, false
	}
	for _, m := range ms {
		if m.Cancelled || m.ID == it.MeetingID || !m.Start.After(it.CreatedAt) {
			continue
		}
		if slices.ContainsFunc(m.Attendees, func(p string) bool { return slices.Contains(people, p) }) {
			return m, true
		}
	}
	return Meeting{}, false
}

// Delivery is one reminder on one channel (for a webhook, one webhook).
type Delivery struct {
	Reminder
	Channel   string
	WebhookID string
	// Key is the reminder's key and the channel's: unique per owner, the
	// store records each once, ever.
	Key string
}

// Fanout turns reminders into deliveries on the owner's channels. A kind
// going by email needs the server able to send it; by webhook, it goes to
// every webhook subscribed to it. The overdue digest does not go where the
// morning digest (which lists the overdue items) goes.
func Fanout(o Owner, rs []Reminder) []Delivery {
	var out []Delivery
	for _, r := range rs {
		for _, ch := range o.Settings.Channels[r.Kind] {
			if r.Kind == KindOverdue && slices.Contains(o.Settings.Channels[KindMorning], ch) {
				continue
			}
			switch ch {
			case InApp:
				out = append(out, Delivery{Reminder: r, Channel: ch, Key: r.Key + "|" + ch})
			case Email:
				if o.EmailOn && o.Email != "" {
					out = append(out, Delivery{Reminder: r, Channel: ch, Key: r.Key + "|" + ch})
				}
			case Webhook:
				for _, h := range o.Webhooks {
					if slices.Contains(h.Events, r.Kind) {
						out = append(out, Delivery{Reminder: r, Channel: ch, WebhookID: h.ID, Key: r.Key + "|" + ch + ":" + h.ID})
					}
				}
			}
		}
	}
	return out
}

// DueDay is the local day an item is due on.
func DueDay(due time.Time, loc *time.Location) time.Time { return dayOf(due, loc) }

// Folded reports whether a due-day reminder planned for at is too late to
// go out alone at now (the overdue digest carries it).
func Folded(kind, key string, at, now time.Time) bool {
	return kind == KindDue && !isRemindAt(key) && now.Sub(at) > Late
}

func isRemindAt(key string) bool {
	// reminder.due|item:<id>|at|<stamp>
	n := 0
	for i := 0; i+3 < len(key); i++ {
		if key[i] == '|' {
			n++
			if n == 2 {
				return key[i+1:i+4] == "at|"
			}
		}
	}
	return false
}

func dayOf(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// morning is the morning hour of a local day (DST keeps it local).
func morning(day time.Time, hour int, loc *time.Location) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), hour, 0, 0, 0, loc)
}

func stamp(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

func key(parts ...string) string { return strings.Join(parts, "|") }

// Pending is a recorded delivery not yet sent.
type Pending struct {
	ID  string
	Key string
	At  time.Time
	// Retrying: a send failed and it waits for its retry, which a plan
	// does not move.
	Retrying bool
}

// Moved is a pending delivery whose moment changed (a meeting moved, the
// quiet hours or the morning hour changed).
type Moved struct {
	ID string
	At time.Time
}

// Changes are what recording a plan does to an owner's pending deliveries.
type Changes struct {
	Insert []Delivery
	Move   []Moved
	// Cancel are pending deliveries the plan no longer has: the item was
	// done or its date changed, the meeting was deleted, the kind turned off.
	Cancel []string
}

// Reconcile compares the owner's pending deliveries with a new plan of
// theirs. Insert may name deliveries already sent or cancelled: the store
// records each key once, so those stay as they are (one withdrawn by an
// earlier plan comes back).
func Reconcile(pending []Pending, planned []Delivery) Changes {
	var c Changes
	want := make(map[string]Delivery, len(planned))
	for _, d := range planned {
		want[d.Key] = d
	}
	have := make(map[string]bool, len(pending))
	for _, p := range pending {
		have[p.Key] = true
		d, ok := want[p.Key]
		switch {
		case !ok:
			c.Cancel = append(c.Cancel, p.ID)
		// Moments are kept to the microsecond (PostgreSQL's precision).
		case !d.At.Truncate(time.Microsecond).Equal(p.At.Truncate(time.Microsecond)) && !p.Retrying:
			c.Move = append(c.Move, Moved{ID: p.ID, At: d.At})
		}
	}
	for _, d := range planned {
		if !have[d.Key] {
			c.Insert = append(c.Insert, d)
		}
	}
	return c
}
