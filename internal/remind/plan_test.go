package remind

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

var berlin = mustZone("Europe/Berlin")

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// at is a local time in Berlin.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, berlin)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// ledger is the store's bookkeeping in memory: each key recorded once,
// pending ones moved or withdrawn by the next plan, sent when due.
type ledger struct {
	rows []*row
	sent []sentRow
}

type row struct {
	Delivery
	id        string
	status    string // pending, sent, cancelled
	withdrawn bool
}

type sentRow struct {
	Delivery
	sentAt time.Time
}

func (l *ledger) record(planned []Delivery) {
	var pending []Pending
	for _, r := range l.rows {
		if r.status == "pending" {
			pending = append(pending, Pending{ID: r.id, Key: r.Key, At: r.At})
		}
	}
	c := Reconcile(pending, planned)
	for _, id := range c.Cancel {
		r := l.byID(id)
		r.status, r.withdrawn = "cancelled", true
	}
	for _, m := range c.Move {
		l.byID(m.ID).At = m.At
	}
	for _, d := range c.Insert {
		if r := l.byKey(d.Key); r != nil {
			if r.status == "cancelled" && r.withdrawn {
				r.status, r.withdrawn, r.At = "pending", false, d.At
			}
			continue
		}
		l.rows = append(l.rows, &row{Delivery: d, id: fmt.Sprint(len(l.rows) + 1), status: "pending"})
	}
}

func (l *ledger) deliver(now time.Time) {
	for _, r := range l.rows {
		if r.status != "pending" || r.At.After(now) {
			continue
		}
		if Folded(r.Kind, r.Reminder.Key, r.At, now) {
			r.status = "cancelled"
			continue
		}
		r.status = "sent"
		l.sent = append(l.sent, sentRow{Delivery: r.Delivery, sentAt: now})
	}
}

func (l *ledger) byID(id string) *row {
	for _, r := range l.rows {
		if r.id == id {
			return r
		}
	}
	return nil
}

func (l *ledger) byKey(k string) *row {
	for _, r := range l.rows {
		if r.Key == k {
			return r
		}
	}
	return nil
}

// sentOf lists what was sent on a channel for a ref, as "kind@local time".
func (l *ledger) sentOf(channel, ref string) []string {
	var out []string
	for _, s := range l.sent {
		if s.Channel == channel && s.Ref == ref {
			out = append(out, s.Kind+"@"+s.sentAt.In(berlin).Format("01-02 15:04"))
		}
	}
	return out
}

// week is a realistic account's week around the switch to summer time
// (Sunday 28 March 2027, 02:00 → 03:00 in Berlin).
type week struct {
	snap  Snapshot
	l     ledger
	clock time.Time
	// down is a span the server is not running.
	downFrom, downTo time.Time
}

func newWeek() *week {
	set := Defaults(true)
	set.Channels[KindPrep] = []string{InApp}
	set.QuietHours = &Quiet{Start: "21:00", End: "07:30"}
	w := &week{clock: at("2027-03-22 00:00")}
	w.snap.Owner = Owner{ID: "u1", Email: "me@example.com", Location: berlin, Settings: set, EmailOn: true,
		Webhooks: []Hook{{ID: "h1", Events: []string{KindDue, KindRecap}}}}
	// A weekly 1:1 with Alice, Tuesdays 10:00-10:30 local, across the switch.
	for _, d := range []string{"2027-03-23", "2027-03-30"} {
		w.snap.Meetings = append(w.snap.Meetings, Meeting{ID: "1on1-" + d, Start: at(d + " 10:00"), End: at(d + " 10:30"),
			Attendees: []string{"alice"}, HasNote: d == "2027-03-23"})
	}
	// A team meeting with Bob on Thursday, one late in the evening Friday.
	w.snap.Meetings = append(w.snap.Meetings,
		Meeting{ID: "team", Start: at("2027-03-25 14:00"), End: at("2027-03-25 15:00"), Attendees: []string{"bob", "carol"}, HasNote: true},
		Meeting{ID: "late", Start: at("2027-03-26 20:30"), End: at("2027-03-26 21:30"), Attendees: []string{"dave"}, HasNote: true},
	)
	w.snap.Items = []Item{
		// Due Wednesday, done on Thursday afternoon.
		{ID: "report", Mine: true, DueAt: ptr(at("2027-03-24 00:00")), CreatedAt: at("2027-03-20 12:00")},
		// Due the Monday after the switch: 09:00 summer time.
		{ID: "budget", Mine: true, DueAt: ptr(at("2027-03-29 00:00")), CreatedAt: at("2027-03-20 12:00")},
		// Someone else's: no due reminder for me.
		{ID: "bobs", Mine: false, DueAt: ptr(at("2027-03-24 00:00")), CreatedAt: at("2027-03-20 12:00")},
		// A remind-me-at on Thursday 15:00.
		{ID: "bank", Mine: true, RemindAt: ptr(at("2027-03-25 15:00")), CreatedAt: at("2027-03-22 08:00")},
		// A question for Alice written in Tuesday's 1:1: the next 1:1 brings it back.
		{ID: "q-budget", Question: true, People: []string{"alice"}, MeetingID: "1on1-2027-03-23", CreatedAt: at("2027-03-23 10:10")},
	}
	return w
}

// run moves the clock to end, planning every hour (and after each change)
// and delivering every minute, as the server does.
func (w *week) run(t *testing.T, end time.Time, change func(now time.Time) bool) {
	t.Helper()
	for ; !w.clock.After(end); w.clock = w.clock.Add(time.Minute) {
		if !w.downFrom.IsZero() && !w.clock.Before(w.downFrom) && w.clock.Before(w.downTo) {
			continue
		}
		changed := change != nil && change(w.clock)
		if changed || w.clock.Minute() == 0 || w.clock.Equal(w.downTo) {
			w.l.record(Fanout(w.snap.Owner, Plan(w.snap, w.clock)))
		}
		w.l.deliver(w.clock)
	}
}

func TestPlanWeek(t *testing.T) {
	w := newWeek()
	w.run(t, at("2027-04-01 00:00"), func(now time.Time) bool {
		switch {
		case now.Equal(at("2027-03-25 16:00")):
			// "report" is ticked done: Friday's digest has nothing of mine.
			w.snap.Items = slices.DeleteFunc(w.snap.Items, func(it Item) bool { return it.ID == "report" })
			return true
		}
		return false
	})

	check := func(channel, ref string, want ...string) {
		t.Helper()
		if got := w.l.sentOf(channel, ref); !slices.Equal(got, want) {
			t.Errorf("%s %s: sent %q, want %q", channel, ref, got, want)
		}
	}
	// Due on its day at 09:00 local, before and after the switch (08:00
	// then 07:00 UTC), on each channel it goes to, once.
	check(InApp, "item:report", "reminder.due@03-24 09:00")
	check(Email, "item:report", "reminder.due@03-24 09:00")
	check(Webhook, "item:report", "reminder.due@03-24 09:00")
	check(InApp, "item:budget", "reminder.due@03-29 09:00")
	if s := w.l.sent[slices.IndexFunc(w.l.sent, func(s sentRow) bool { return s.Ref == "item:budget" })]; s.sentAt.UTC().Hour() != 7 {
		t.Errorf("budget reminded at %s UTC, want 07:00 (09:00 summer time)", s.sentAt.UTC())
	}
	check(InApp, "item:bobs")
	check(InApp, "item:bank", "reminder.due@03-25 15:00")
	// The overdue digest: one a day while something of mine is overdue
	// (report from Thursday until it was done; budget from Tuesday).
	check(InApp, "digest", "digest.overdue@03-25 09:00", "digest.overdue@03-30 09:00", "digest.overdue@03-31 09:00")
	// The webhook subscribes to due and recap only.
	check(Webhook, "digest")
	// Recaps 10 minutes after meetings with notes; the late one waits for
	// the end of the quiet hours (21:00-07:30).
	check(InApp, "meeting:1on1-2027-03-23", "meeting.prep@03-23 09:55", "meeting.recap@03-23 10:40")
	check(Webhook, "meeting:1on1-2027-03-23", "meeting.recap@03-23 10:40")
	check(InApp, "meeting:team", "meeting.prep@03-25 13:55", "meeting.recap@03-25 15:10")
	check(InApp, "meeting:late", "meeting.prep@03-26 20:25", "meeting.recap@03-27 07:30")
	// No note for the second 1:1 (yet): a prep, no recap.
	check(InApp, "meeting:1on1-2027-03-30", "meeting.prep@03-30 09:55")
	// The question comes back when the next 1:1 with Alice starts, once.
	check(InApp, "question:q-budget", "reminder.next_meeting@03-30 10:00")
	check(Email, "question:q-budget", "reminder.next_meeting@03-30 10:00")

	// Every key went out once.
	seen := map[string]bool{}
	for _, s := range w.l.sent {
		if seen[s.Key] {
			t.Errorf("%s sent twice", s.Key)
		}
		seen[s.Key] = true
	}
}

func TestPlanFollowsTheData(t *testing.T) {
	w := newWeek()
	w.run(t, at("2027-03-24 08:00"), nil)
	// The due date moves from Wednesday to Friday before the reminder.
	w.snap.Items[0].DueAt = ptr(at("2027-03-26 00:00"))
	// The 1:1 of the 30th moves an hour later, and gets a note.
	w.snap.Meetings[1].Start, w.snap.Meetings[1].End, w.snap.Meetings[1].HasNote = at("2027-03-30 11:00"), at("2027-03-30 11:30"), true
	// The team meeting is deleted.
	w.snap.Meetings = slices.DeleteFunc(w.snap.Meetings, func(m Meeting) bool { return m.ID == "team" })
	w.run(t, at("2027-03-31 00:00"), nil)
	if got := w.l.sentOf(InApp, "item:report"); !slices.Equal(got, []string{"reminder.due@03-26 09:00"}) {
		t.Errorf("moved due date: sent %q", got)
	}
	if got := w.l.sentOf(InApp, "meeting:team"); got != nil {
		t.Errorf("deleted meeting: sent %q", got)
	}
	if got := w.l.sentOf(InApp, "meeting:1on1-2027-03-30"); !slices.Equal(got, []string{"meeting.prep@03-30 10:55", "meeting.recap@03-30 11:40"}) {
		t.Errorf("moved meeting: sent %q", got)
	}
	if got := w.l.sentOf(InApp, "question:q-budget"); !slices.Equal(got, []string{"reminder.next_meeting@03-30 11:00"}) {
		t.Errorf("question: sent %q", got)
	}
	// Reopened: an item done (its reminder withdrawn) and opened again
	// before its day is reminded after all.
	w = newWeek()
	w.run(t, at("2027-03-23 12:00"), nil)
	report := w.snap.Items[0]
	w.snap.Items = w.snap.Items[1:]
	w.run(t, at("2027-03-23 13:00"), nil)
	w.snap.Items = append(w.snap.Items, report)
	w.run(t, at("2027-03-24 12:00"), nil)
	if got := w.l.sentOf(InApp, "item:report"); !slices.Equal(got, []string{"reminder.due@03-24 09:00"}) {
		t.Errorf("reopened item: sent %q", got)
	}
}

func TestPlanAfterDowntime(t *testing.T) {
	w := newWeek()
	// Down from Wednesday 20:00 to Friday 10:00: Thursday's 09:00 reminders
	// are 25 hours late.
	w.downFrom, w.downTo = at("2027-03-24 20:00"), at("2027-03-26 10:00")
	w.snap.Items = append(w.snap.Items, Item{ID: "thu", Mine: true, DueAt: ptr(at("2027-03-25 00:00")), CreatedAt: at("2027-03-20 12:00")},
		Item{ID: "fri", Mine: true, DueAt: ptr(at("2027-03-26 00:00")), CreatedAt: at("2027-03-20 12:00")})
	w.run(t, at("2027-03-27 00:00"), nil)
	// Thursday's due reminder is folded into Friday's digest; Friday's
	// comes late, once; the missed remind-me-at and recap come late, once.
	for ref, want := range map[string][]string{
		"item:thu":     nil,
		"item:fri":     {"reminder.due@03-26 10:00"},
		"item:bank":    {"reminder.due@03-26 10:00"},
		"meeting:team": {"meeting.recap@03-26 10:00"},
		"digest":       {"digest.overdue@03-26 10:00"},
	} {
		if got := w.l.sentOf(InApp, ref); !slices.Equal(got, want) {
			t.Errorf("%s: sent %q, want %q", ref, got, want)
		}
	}
	// The prep of a meeting missed entirely is not sent after it started.
	if got := w.l.sentOf(InApp, "meeting:team"); slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, KindPrep) }) {
		t.Errorf("prep after the meeting: %q", got)
	}
}

func TestPlanTimeZoneChange(t *testing.T) {
	// A person in New York with an item due Wednesday (their midnight, as
	// the store keeps it), who moves to Tokyo: the reminder follows the
	// new zone's morning.
	ny, tokyo := mustZone("America/New_York"), mustZone("Asia/Tokyo")
	o := Owner{ID: "u", Location: ny, Settings: Defaults(false)}
	due := time.Date(2027, 3, 24, 0, 0, 0, 0, ny)
	it := Item{ID: "x", Mine: true, DueAt: &due}
	now := time.Date(2027, 3, 23, 12, 0, 0, 0, ny)
	rs := Plan(Snapshot{Owner: o, Items: []Item{it}}, now)
	if i := slices.IndexFunc(rs, func(r Reminder) bool { return r.Kind == KindDue }); i < 0 || !rs[i].At.Equal(time.Date(2027, 3, 24, 9, 0, 0, 0, ny)) {
		t.Fatalf("New York: %+v", rs)
	}
	// The store moves due dates with the zone (same calendar date); the
	// plan then has the Tokyo morning.
	o.Location = tokyo
	tdue := time.Date(2027, 3, 24, 0, 0, 0, 0, tokyo)
	it.DueAt = &tdue
	rs = Plan(Snapshot{Owner: o, Items: []Item{it}}, now)
	if i := slices.IndexFunc(rs, func(r Reminder) bool { return r.Kind == KindDue }); i < 0 || !rs[i].At.Equal(time.Date(2027, 3, 24, 9, 0, 0, 0, tokyo)) {
		t.Fatalf("Tokyo: %+v", rs)
	}
}

func TestQuietHours(t *testing.T) {
	q := &Quiet{Start: "22:00", End: "07:00"}
	for in, want := range map[string]string{
		"2027-03-23 21:59": "2027-03-23 21:59",
		"2027-03-23 22:00": "2027-03-24 07:00",
		"2027-03-23 23:30": "2027-03-24 07:00",
		"2027-03-24 03:00": "2027-03-24 07:00",
		"2027-03-24 07:00": "2027-03-24 07:00",
	} {
		if got := q.after(at(in), berlin); !got.Equal(at(want)) {
			t.Errorf("%s: %s, want %s", in, got.In(berlin), want)
		}
	}
	day := &Quiet{Start: "12:00", End: "13:30"}
	if got := day.after(at("2027-03-23 12:15"), berlin); !got.Equal(at("2027-03-23 13:30")) {
		t.Errorf("lunch: %s", got)
	}
	var none *Quiet
	if got := none.after(at("2027-03-23 23:00"), berlin); !got.Equal(at("2027-03-23 23:00")) {
		t.Errorf("no quiet hours moved a reminder: %s", got)
	}
}

func TestFanout(t *testing.T) {
	set := Defaults(true)
	set.Channels[KindMorning] = []string{Email}
	o := Owner{ID: "u", Email: "me@example.com", EmailOn: true, Settings: set,
		Webhooks: []Hook{{ID: "a", Events: []string{KindOverdue}}, {ID: "b", Events: []string{KindDue}}}}
	ds := Fanout(o, []Reminder{{Kind: KindOverdue, Key: "digest.overdue|2027-03-24"}, {Kind: KindMorning, Key: "digest.morning|2027-03-24"}})
	var keys []string
	for _, d := range ds {
		keys = append(keys, d.Key)
	}
	// The overdue digest skips email, where the morning digest goes.
	want := []string{"digest.overdue|2027-03-24|in_app", "digest.overdue|2027-03-24|webhook:a", "digest.morning|2027-03-24|email"}
	if !slices.Equal(keys, want) {
		t.Errorf("keys %q, want %q", keys, want)
	}
	// Without a server that sends email, or an address, nothing goes by email.
	o.EmailOn = false
	for _, d := range Fanout(o, []Reminder{{Kind: KindMorning, Key: "k"}}) {
		t.Errorf("delivery without email: %+v", d)
	}
}

func TestFolded(t *testing.T) {
	now := at("2027-03-26 10:00")
	for _, c := range []struct {
		kind, key string
		at        time.Time
		want      bool
	}{
		{KindDue, "reminder.due|item:x|2027-03-25", at("2027-03-25 09:00"), true},
		{KindDue, "reminder.due|item:x|2027-03-25", at("2027-03-25 10:30"), false},
		{KindDue, "reminder.due|item:x|at|1800000000", at("2027-03-20 09:00"), false},
		{KindRecap, "meeting.recap|meeting:m|1", at("2027-03-20 09:00"), false},
	} {
		if got := Folded(c.kind, c.key, c.at, now); got != c.want {
			t.Errorf("%s at %s: folded %v", c.key, c.at, got)
		}
	}
}
