package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/attendance"
	"github.com/debrief-hq/debrief/ent/meeting"
	"github.com/debrief-hq/debrief/ent/meetingtombstone"
	"github.com/debrief-hq/debrief/ent/person"
	"github.com/debrief-hq/debrief/ent/predicate"
	"github.com/debrief-hq/debrief/ent/series"
	"github.com/debrief-hq/debrief/internal/calendar"
	dmeeting "github.com/debrief-hq/debrief/internal/meeting"
	"github.com/debrief-hq/debrief/internal/search"
)

// applyChunk bounds the ids in one IN list and the rows in one bulk insert
// (SQLite allows 32,766 bound values in a statement).
const applyChunk = 500

// meetingKey is a synced meeting's identity within an owner.
type meetingKey struct {
	uid  string
	orig int64 // original start, Unix microseconds
}

// syncedMeeting is a meeting as a sync wants it.
type syncedMeeting struct {
	key       meetingKey
	origStart time.Time
	source    string // sourceUID of the event's UID
	title     string
	desc      string
	location  string
	videoURL  string
	start     time.Time
	end       time.Time
	tz        string
	allDay    bool
	status    meeting.Status
	seriesKey string
	attendees []dmeeting.AttendeeInput
}

// ApplyEvents writes a batch of calendar events as meetings. A meeting is
// found by (owner, iCal UID, original start), so it keeps its notes across
// reschedules, calendars and re-imports; it is created, updated when
// anything differs, or left alone; cancelled and swept meetings become
// `cancelled` and are never deleted.
//
// A large batch is applied in transactions of about applyTxMeetings
// meetings, each committed on its own, so that a feed of 100,000 meetings
// does not hold SQLite's one writer for seconds while other accounts'
// saves wait; the cancellations follow, and the sync's new position
// (Outcome) commits last. A crash part-way leaves the old position: the
// next sync applies the batch again and, the keys making that safe,
// converges.
func (s *Store) ApplyEvents(ctx context.Context, b *calendar.Batch) (calendar.Summary, error) {
	// The events by UID, in order of appearance: they are compared and
	// written a few series at a time (deferred series expanded then), so
	// that a listing of 100,000 meetings is not converted and compared all
	// at once.
	type source struct {
		events, series []int
		count          int
	}
	byUID := map[string]*source{}
	var uids []string
	from := func(uid string) *source {
		uid = storedUID(uid)
		src := byUID[uid]
		if src == nil {
			src = &source{}
			byUID[uid] = src
			uids = append(uids, uid)
		}
		return src
	}
	total := len(b.Events)
	for i := range b.Events {
		src := from(b.Events[i].UID)
		src.events = append(src.events, i)
		src.count++
	}
	for i := range b.Series {
		src := from(b.Series[i].UID())
		src.series = append(src.series, i)
		src.count += b.Series[i].Count
		total += b.Series[i].Count
	}
	// The transactions: whole UIDs, about applyTxMeetings meetings each.
	var groups [][]string
	n := 0
	for _, uid := range uids {
		c := byUID[uid].count
		if len(groups) == 0 || n > 0 && n+c > applyTxMeetings {
			groups = append(groups, nil)
			n = 0
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], uid)
		n += c
	}
	st := &applyState{owner: b.Owner, people: map[string]string{}, series: map[string]*syncSeries{}, seriesByID: map[string]*syncSeries{}}
	seen := make(map[meetingKey]struct{}, total)
	shared := map[*calendar.Attendee][]dmeeting.AttendeeInput{}
	var sum calendar.Summary
	for _, group := range groups {
		var part calendar.Summary
		err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
			a := st.fork(tx, s.db.Dialect)
			part = calendar.Summary{}
			var keys []meetingKey
			for chunk := range slices.Chunk(group, seriesPerApply) {
				want := map[meetingKey]*syncedMeeting{}
				var order []meetingKey
				add := func(e *calendar.Event) {
					m := toSynced(e, b, shared)
					if _, dup := want[m.key]; !dup {
						order = append(order, m.key)
					}
					want[m.key] = m // the last description of a meeting wins
				}
				for _, uid := range chunk {
					src := byUID[uid]
					for _, i := range src.events {
						add(&b.Events[i])
					}
					for _, i := range src.series {
						evs := b.Series[i].Events()
						for j := range evs {
							add(&evs[j])
						}
					}
				}
				if err := a.prepareSeries(ctx, want, order); err != nil {
					return err
				}
				if err := a.apply(ctx, b.CalendarID, want, order, &part); err != nil {
					return err
				}
				keys = append(keys, order...)
			}
			if err := s.markApplied(ctx, tx, st, a.touched, a.newPeople, a.many); err != nil {
				return err
			}
			afterCommit(ctx, func() {
				st.adopt(a)
				for _, k := range keys {
					seen[k] = struct{}{}
				}
			})
			return nil
		})
		if err != nil {
			return sum, err
		}
		sum.Add(part)
	}
	b.Events, b.Series = nil, nil // read: a large listing is not held longer than needed
	// Cancellations and the sweep: found on a read connection, applied a
	// chunk at a time.
	gone, err := s.gone(ctx, b, seen)
	if err != nil {
		return sum, err
	}
	for chunk := range slices.Chunk(gone, applyTxMeetings) {
		ids := make([]string, len(chunk))
		for i, r := range chunk {
			ids[i] = r.ID
		}
		err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
			if err := tx.Meeting.Update().Where(meeting.OwnerID(b.Owner), meeting.IDIn(ids...), meeting.StatusNEQ(meeting.StatusCancelled)).
				SetStatus(meeting.StatusCancelled).Exec(ctx); err != nil {
				return err
			}
			return s.markApplied(ctx, tx, st, ids, nil, false)
		})
		if err != nil {
			return sum, err
		}
		for _, r := range chunk {
			sum.Cancelled++
			sum.Note("cancelled", r.Title, r.StartsAt)
		}
	}
	if b.Outcome != nil {
		err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
			return s.saveOutcome(ctx, tx, b.Owner, b.Outcome)
		})
		if err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// applyTxMeetings is about how many meetings one transaction of a sync
// writes: about 100 ms of SQLite's writer on these machines, so that other
// writes wait no longer than that behind a sync.
const applyTxMeetings = 1000

// applyState is what a sync's transactions pass on to the next once
// committed: the people and series it has found or made, and how much it
// has marked for the search index.
type applyState struct {
	owner      string
	people     map[string]string // email → person id
	series     map[string]*syncSeries
	seriesByID map[string]*syncSeries
	// marked counts the meetings and people marked for the index so far;
	// past bulkMeetings the owner's whole index is refreshed instead.
	marked int
	all    bool
}

// fork is an applier for one transaction: it starts from what committed
// transactions made, and what it makes stays its own until its
// transaction commits (one that rolls back, or runs again in a group
// commit, must not leave ids of rows that do not exist).
func (st *applyState) fork(tx *ent.Client, dialect string) *applier {
	a := &applier{tx: tx, dialect: dialect, owner: st.owner, people: maps.Clone(st.people),
		series: make(map[string]*syncSeries, len(st.series)), seriesByID: make(map[string]*syncSeries, len(st.seriesByID))}
	for k, sr := range st.series {
		cp := *sr
		a.series[k] = &cp
		a.seriesByID[cp.id] = &cp
	}
	return a
}

// adopt takes what a committed transaction's applier found and made.
func (st *applyState) adopt(a *applier) {
	st.people, st.series, st.seriesByID = a.people, a.series, a.seriesByID
}

// markApplied marks what a sync's transaction changed for the search
// index: the meetings and people, or, once a sync has changed more than
// bulkMeetings of them, the owner's whole index (once).
func (s *Store) markApplied(ctx context.Context, tx *ent.Client, st *applyState, meetings, people []string, many bool) error {
	// The meetings changed: their recaps, preps and next-meeting reminders.
	if err := s.replan(ctx, st.owner); err != nil {
		return err
	}
	if st.all {
		return nil
	}
	n := len(meetings) + len(people)
	if many || st.marked+n > bulkMeetings {
		if err := s.markSearch(ctx, tx, st.owner, search.KeyAll); err != nil {
			return err
		}
		afterCommit(ctx, func() { st.all = true })
		return nil
	}
	if err := s.markMeetingsAndPeople(ctx, tx, st.owner, meetings, people); err != nil {
		return err
	}
	afterCommit(ctx, func() { st.marked += n })
	return nil
}

// apply creates, updates or leaves alone the meetings of a few series.
func (a *applier) apply(ctx context.Context, calendarID string, want map[meetingKey]*syncedMeeting, order []meetingKey, sum *calendar.Summary) error {
	existing, err := a.load(ctx, order)
	if err != nil {
		return err
	}
	var creates []*syncedMeeting
	for _, k := range order {
		m := want[k]
		old, ok := existing[k]
		if !ok {
			if m.status != meeting.StatusCancelled {
				// A cancellation of a meeting never seen makes none.
				creates = append(creates, m)
			}
			continue
		}
		if old.deleted {
			sum.Unchanged++
			continue
		}
		changed, err := a.update(ctx, old, m, a.seriesFor(m), calendarID)
		if changed {
			a.touch(old.id)
		}
		switch {
		case err != nil:
			return err
		case changed && m.status == meeting.StatusCancelled && old.status != meeting.StatusCancelled:
			sum.Cancelled++
			sum.Note("cancelled", m.title, m.start)
		case changed:
			sum.Updated++
			sum.Note("updated", m.title, m.start)
		default:
			sum.Unchanged++
		}
	}
	if err := a.create(ctx, creates, calendarID); err != nil {
		return err
	}
	sum.Created += len(creates)
	for _, m := range creates {
		sum.Note("created", m.title, m.start)
	}
	return nil
}

// toSynced is the meeting an event describes. The occurrences of a series
// share their master's attendee slice, so they share one converted slice
// too (a feed of 2,000 weekly series is 120,000 meetings).
func toSynced(e *calendar.Event, b *calendar.Batch, shared map[*calendar.Attendee][]dmeeting.AttendeeInput) *syncedMeeting {
	orig := e.IdentityStart()
	tz := e.TimeZone
	if tz == "" {
		tz = b.UserTZ
	}
	m := &syncedMeeting{
		key:       meetingKey{storedUID(storable(e.UID)), ts(orig).UnixMicro()},
		origStart: ts(orig),
		source:    sourceUID(storable(e.UID)),
		title:     clipBytes(storable(e.Title), 1000),
		desc:      storable(e.Description),
		location:  clipBytes(storable(e.Location), 1000),
		start:     ts(e.Start),
		end:       ts(e.End),
		tz:        tz,
		allDay:    e.AllDay,
		status:    meeting.Status(e.Status),
	}
	if len(e.VideoURL) <= 2048 {
		m.videoURL = storable(e.VideoURL)
	}
	if e.SeriesKey != "" {
		m.seriesKey = storedUID(storable(e.SeriesKey))
	}
	if len(e.Attendees) == 0 {
		return m
	}
	if as, ok := shared[&e.Attendees[0]]; ok && len(as) <= len(e.Attendees) {
		m.attendees = as
		return m
	}
	self := strings.ToLower(b.UserEmail)
	for _, at := range e.Attendees {
		if at.Email == self || len(at.Email) > 254 {
			continue
		}
		m.attendees = append(m.attendees, dmeeting.AttendeeInput{Email: storable(at.Email), Name: clipBytes(storable(at.Name), 200),
			ResponseStatus: at.Response, Organizer: at.Organizer, Optional: at.Optional})
	}
	slices.SortFunc(m.attendees, func(x, y dmeeting.AttendeeInput) int { return strings.Compare(x.Email, y.Email) })
	shared[&e.Attendees[0]] = m.attendees
	return m
}

// storedUID is the UID a synced meeting is stored and found under: without
// Google's split-series suffix (both halves of a split series keep their
// meetings), and fitting the 1,024 bytes the column holds (longer ones,
// seen from some Exchange servers, are kept as their hash).
func storedUID(uid string) string {
	uid = calendar.BaseUID(uid)
	if len(uid) <= 1024 && utf8.ValidString(uid) {
		return uid
	}
	h := sha256.Sum256([]byte(uid))
	return "sha256:" + hex.EncodeToString(h[:])
}

// sourceUID is what a synced meeting stores as its source_uid: the UID of
// the part of a split series it came from, or "" when that is its
// ical_uid (nearly always).
func sourceUID(uid string) string {
	if calendar.BaseUID(uid) == uid {
		return ""
	}
	if len(uid) <= 1024 && utf8.ValidString(uid) {
		return uid
	}
	h := sha256.Sum256([]byte(uid))
	return "sha256:" + hex.EncodeToString(h[:])
}

// partOf matches the meetings of one part of a series by the UID the
// provider gave it: the parts of a split series share their ical_uid, and
// the part's own UID is their source_uid (none for the original part).
func partOf(uid string) []predicate.Meeting {
	p := []predicate.Meeting{meeting.IcalUID(storedUID(uid))}
	if src := sourceUID(uid); src != "" {
		return append(p, meeting.SourceUID(src))
	}
	return append(p, meeting.SourceUIDIsNil())
}

// clipBytes shortens s to at most n bytes on a rune boundary.
func clipBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

type applier struct {
	tx      *ent.Client
	dialect string
	// touched are the meetings created, changed or cancelled (up to
	// bulkMeetings of them; past that, many).
	touched []string
	many    bool
	owner   string
	people  map[string]string // email → person id
	// newPeople were created or renamed (their search documents change).
	newPeople []string
	series    map[string]*syncSeries // provider key → series
	// seriesByID are the same by id, for stored meetings that share their
	// series' description.
	seriesByID map[string]*syncSeries
}

// syncSeries is a series as a sync sees it.
type syncSeries struct{ id, desc string }

// storedDesc is how a meeting of the series stores desc: once, on the
// series, when it is the series' description.
func (sr *syncSeries) storedDesc(desc string) (own string, shared bool) {
	if sr != nil && desc != "" && desc == sr.desc {
		return "", true
	}
	return desc, false
}

// existingMeeting is what a sync compares a stored meeting with: a
// compact copy, its strings interned (the occurrences of a series share
// their title, description and attendees), so that a feed of 100,000
// meetings does not hold 100,000 copies of a long description.
type existingMeeting struct {
	id, title, desc, location, videoURL, tz string
	source                                  string
	start, end                              time.Time
	allDay                                  bool
	status                                  meeting.Status
	seriesID, calendarID                    string
	attendees                               string // attendeeKey of its attendances
	says                                    map[string]string
	// deleted: its person deleted it (a tombstone): no sync makes it again.
	deleted bool
}

// seriesPerApply is how many UIDs (series) ApplyEvents converts, compares
// and writes at a time: on the 2,000-series benchmark feed with attendees,
// 20 took 12.6 s, 50 and 200 10.8–11.6 s over runs (docs/performance.md);
// loads still read loadChunk UIDs at a time.
const seriesPerApply = 200

// loadChunk is how many UIDs load reads at once: a series may have hundreds
// of occurrences, each with its attendees.
const loadChunk = 10

// load reads the owner's meetings with the batch's UIDs, with attendees.
func (a *applier) load(ctx context.Context, keys []meetingKey) (map[meetingKey]*existingMeeting, error) {
	uids := make([]string, 0, len(keys))
	seen := map[string]bool{}
	for _, k := range keys {
		if !seen[k.uid] {
			seen[k.uid] = true
			uids = append(uids, k.uid)
		}
	}
	intern := map[string]string{}
	in := func(s string) string {
		if v, ok := intern[s]; ok {
			return v
		}
		intern[s] = s
		return s
	}
	out := make(map[meetingKey]*existingMeeting, len(keys))
	for chunk := range slices.Chunk(uids, loadChunk) {
		rows, err := a.tx.Meeting.Query().Where(meeting.OwnerID(a.owner), meeting.IcalUIDIn(chunk...)).
			WithAttendances(func(q *ent.AttendanceQuery) { q.WithPerson(func(q *ent.PersonQuery) { q.Select(person.FieldEmail) }) }).All(ctx)
		if err != nil {
			return nil, err
		}
		if err := a.withSeriesDescriptions(ctx, rows); err != nil {
			return nil, err
		}
		for _, r := range rows {
			if r.IcalUID == nil || r.OriginalStart == nil {
				continue
			}
			e := &existingMeeting{id: r.ID, title: in(r.Title), desc: in(r.Description), location: in(r.Location),
				videoURL: in(r.VideoURL), tz: in(r.TimeZone), start: r.StartsAt, end: r.EndsAt, allDay: r.AllDay, status: r.Status,
				attendees: in(storedAttendeeKey(r.Edges.Attendances))}
			if r.SeriesID != nil {
				e.seriesID = *r.SeriesID
			}
			if r.CalendarID != nil {
				e.calendarID = *r.CalendarID
			}
			if r.SourceUID != nil {
				e.source = *r.SourceUID
			}
			e.says = r.CalendarSays
			out[meetingKey{*r.IcalUID, ts(*r.OriginalStart).UnixMicro()}] = e
		}
		// What its person deleted stays deleted.
		tombs, err := a.tx.MeetingTombstone.Query().Where(meetingtombstone.OwnerID(a.owner), meetingtombstone.IcalUIDIn(chunk...)).All(ctx)
		if err != nil {
			return nil, err
		}
		for _, tb := range tombs {
			k := meetingKey{tb.IcalUID, ts(tb.OriginalStart).UnixMicro()}
			if _, ok := out[k]; !ok {
				out[k] = &existingMeeting{deleted: true}
			}
		}
	}
	return out, nil
}

// attendeeKey sums up attendees for comparison: address, response,
// organizer, optional, sorted by address.
func attendeeKey(as []dmeeting.AttendeeInput) string {
	var b strings.Builder
	for _, a := range as {
		fmt.Fprintf(&b, "%s|%s|%t|%t;", a.Email, a.ResponseStatus, a.Organizer, a.Optional)
	}
	return b.String()
}

func storedAttendeeKey(atts []*ent.Attendance) string {
	as := make([]dmeeting.AttendeeInput, 0, len(atts))
	for _, at := range atts {
		email := ""
		if at.Edges.Person != nil {
			email = at.Edges.Person.Email
		}
		as = append(as, dmeeting.AttendeeInput{Email: email, ResponseStatus: string(at.ResponseStatus), Organizer: at.Organizer, Optional: at.Optional})
	}
	slices.SortFunc(as, func(x, y dmeeting.AttendeeInput) int { return strings.Compare(x.Email, y.Email) })
	return attendeeKey(as)
}

// seriesFor is the series of a recurring meeting (prepareSeries found or
// made it).
func (a *applier) seriesFor(m *syncedMeeting) *syncSeries {
	if m.seriesKey == "" {
		return nil
	}
	return a.series[m.seriesKey]
}

// prepareSeries finds or makes the series of the meetings in want, and
// settles each one's description: the one most of its occurrences in the
// batch carry (the master's, but for exceptions), which they then store
// once, on the series. A series' description changes only when more of
// the batch's occurrences carry the new one than the old (an edit of the
// whole series, not of one occurrence); its meetings outside the batch
// that shared the old one get their own copy first, so no meeting's
// description changes unseen.
func (a *applier) prepareSeries(ctx context.Context, want map[meetingKey]*syncedMeeting, order []meetingKey) error {
	counts := map[string]*descTally{}
	var keys []string
	for _, k := range order {
		m := want[k]
		if m.seriesKey == "" {
			continue
		}
		t := counts[m.seriesKey]
		if t == nil {
			t = &descTally{title: m.title}
			counts[m.seriesKey] = t
			keys = append(keys, m.seriesKey)
		}
		t.add(m.desc)
	}
	var missing []string
	for _, k := range keys {
		if a.series[k] == nil {
			missing = append(missing, k)
		}
	}
	for chunk := range slices.Chunk(missing, applyChunk) {
		rows, err := a.tx.Series.Query().Where(series.OwnerID(a.owner), series.ProviderKeyIn(chunk...)).
			Select(series.FieldID, series.FieldProviderKey, series.FieldDescription).All(ctx)
		if err != nil {
			return err
		}
		for _, r := range rows {
			a.know(*r.ProviderKey, &syncSeries{id: r.ID, desc: r.Description})
		}
	}
	for _, k := range keys {
		t := counts[k]
		top := t.top()
		sr := a.series[k]
		if sr == nil {
			r, err := a.tx.Series.Create().SetOwnerID(a.owner).SetProviderKey(k).SetTitle(t.title).SetDescription(top).Save(ctx)
			if err != nil {
				return err
			}
			a.know(k, &syncSeries{id: r.ID, desc: top})
			continue
		}
		if top == sr.desc || t.count(top) < 2 || t.count(top) <= t.count(sr.desc) {
			continue
		}
		if err := a.tx.Meeting.Update().Where(meeting.SeriesID(sr.id), meeting.SharesDescription(true)).
			SetDescription(sr.desc).SetSharesDescription(false).Exec(ctx); err != nil {
			return err
		}
		if err := a.tx.Series.UpdateOneID(sr.id).SetDescription(top).Exec(ctx); err != nil {
			return err
		}
		sr.desc = top
	}
	return nil
}

// descTally counts a series' descriptions in a batch.
type descTally struct {
	title string // its first occurrence's, for a series made now
	descs []string
	n     []int
}

func (t *descTally) add(desc string) {
	// Occurrences of a series share their master's string, so == is mostly
	// a pointer comparison.
	if i := slices.Index(t.descs, desc); i >= 0 {
		t.n[i]++
	} else {
		t.descs, t.n = append(t.descs, desc), append(t.n, 1)
	}
}

func (t *descTally) count(desc string) int {
	if i := slices.Index(t.descs, desc); i >= 0 {
		return t.n[i]
	}
	return 0
}

// top is the description most occurrences carry (the first seen of a tie).
func (t *descTally) top() string {
	best := 0
	for i := range t.descs {
		if t.n[i] > t.n[best] {
			best = i
		}
	}
	return t.descs[best]
}

// know records a series by provider key and id.
func (a *applier) know(key string, sr *syncSeries) {
	a.series[key] = sr
	a.seriesByID[sr.id] = sr
}

// withSeriesDescriptions fills in the description of rows that share
// their series', as it is stored now.
func (a *applier) withSeriesDescriptions(ctx context.Context, rows []*ent.Meeting) error {
	var unknown []*ent.Meeting
	for _, r := range rows {
		if !r.SharesDescription || r.SeriesID == nil {
			continue
		}
		if sr, ok := a.seriesByID[*r.SeriesID]; ok {
			r.Description = sr.desc
		} else {
			unknown = append(unknown, r)
		}
	}
	return withSeriesDescriptions(ctx, a.tx, unknown...)
}

func (a *applier) person(ctx context.Context, email, name string) (string, error) {
	if id, ok := a.people[email]; ok {
		return id, nil
	}
	p, changed, err := findOrCreatePerson(ctx, a.tx, a.owner, email, name)
	if err != nil {
		return "", err
	}
	if changed {
		a.newPeople = append(a.newPeople, p.ID)
	}
	a.people[email] = p.ID
	return p.ID, nil
}

// meetingCols and attendanceCols are the columns create writes.
var (
	meetingCols = []string{meeting.FieldCreatedAt, meeting.FieldUpdatedAt, meeting.FieldOwnerID, meeting.FieldCalendarID,
		meeting.FieldID, meeting.FieldTitle, meeting.FieldDescription, meeting.FieldSharesDescription, meeting.FieldLocation, meeting.FieldVideoURL, meeting.FieldStartsAt,
		meeting.FieldEndsAt, meeting.FieldTimeZone, meeting.FieldAllDay, meeting.FieldStatus, meeting.FieldIcalUID,
		meeting.FieldOriginalStart, meeting.FieldSeriesID, meeting.FieldSourceUID}
	attendanceCols = []string{attendance.FieldCreatedAt, attendance.FieldUpdatedAt, attendance.FieldOwnerID,
		attendance.FieldID, attendance.FieldMeetingID, attendance.FieldPersonID, attendance.FieldResponseStatus, attendance.FieldOrganizer,
		attendance.FieldOptional}
)

// touch records a meeting the batch changes, for the search index.
func (a *applier) touch(id string) {
	if len(a.touched) < bulkMeetings {
		a.touched = append(a.touched, id)
	} else {
		a.many = true
	}
}

// create inserts new meetings and their attendances in bulk.
func (a *applier) create(ctx context.Context, ms []*syncedMeeting, calendarID string) error {
	var cal any
	if calendarID != "" {
		cal = calendarID
	}
	now := meeting.DefaultCreatedAt()
	for chunk := range slices.Chunk(ms, applyChunk) {
		rows := make([][]any, 0, len(chunk))
		var atts [][]any
		for _, m := range chunk {
			if err := validSynced(m); err != nil {
				return err
			}
			var ser any
			sr := a.seriesFor(m)
			if sr != nil {
				ser = sr.id
			}
			desc, shared := sr.storedDesc(m.desc)
			id := meeting.DefaultID()
			a.touch(id)
			var src any
			if m.source != "" {
				src = m.source
			}
			rows = append(rows, []any{id, m.title, desc, shared, m.location, m.videoURL, m.start, m.end, m.tz,
				m.allDay, string(m.status), m.key.uid, m.origStart, ser, src})
			var err error
			if atts, err = a.attendances(ctx, atts, id, m.attendees); err != nil {
				return err
			}
		}
		if err := bulkInsert(ctx, a.tx, a.dialect, meeting.Table, meetingCols, []any{now, now, a.owner, cal}, rows); err != nil {
			return err
		}
		if err := bulkInsert(ctx, a.tx, a.dialect, attendance.Table, attendanceCols, []any{now, now, a.owner}, atts); err != nil {
			return err
		}
	}
	return nil
}

// validSynced runs the schema's validators on what create writes without
// ent's builders.
func validSynced(m *syncedMeeting) error {
	for _, err := range []error{meeting.TitleValidator(m.title), meeting.LocationValidator(m.location),
		meeting.VideoURLValidator(m.videoURL), meeting.TimeZoneValidator(m.tz), meeting.StatusValidator(m.status),
		meeting.IcalUIDValidator(m.key.uid)} {
		if err != nil {
			return fmt.Errorf("meeting %q: %w", m.key.uid, err)
		}
	}
	return nil
}

// attendances appends the rows of a meeting's attendees to rows (the
// columns of attendanceCols after the shared ones).
func (a *applier) attendances(ctx context.Context, rows [][]any, meetingID string, as []dmeeting.AttendeeInput) ([][]any, error) {
	for _, at := range as {
		if err := attendance.ResponseStatusValidator(attendance.ResponseStatus(at.ResponseStatus)); err != nil {
			return nil, fmt.Errorf("attendee %s: %w", at.Email, err)
		}
		pid, err := a.person(ctx, at.Email, at.Name)
		if err != nil {
			return nil, err
		}
		rows = append(rows, []any{attendance.DefaultID(), meetingID, pid, at.ResponseStatus, at.Organizer, at.Optional})
	}
	return rows, nil
}

// update brings an existing meeting in line with m, reporting whether
// anything changed. Attendees are replaced only when they differ.
func (a *applier) update(ctx context.Context, old *existingMeeting, m *syncedMeeting, sr *syncSeries, calendarID string) (bool, error) {
	series := ""
	if sr != nil {
		series = sr.id
	}
	says := old.says
	if len(old.says) > 0 {
		// Its person changed some fields: theirs stay, and what the calendar
		// says of them now is kept beside them.
		ev, next := calendar.Overlay(calendar.Fields{Title: m.title, Description: m.desc, Location: m.location, VideoURL: m.videoURL,
			Status: string(m.status), Start: m.start, End: m.end},
			calendar.Fields{Title: old.title, Description: old.desc, Location: old.location, VideoURL: old.videoURL,
				Status: string(old.status), Start: old.start, End: old.end}, old.says)
		o := *m
		o.title, o.desc, o.location, o.videoURL, o.status, o.start, o.end = ev.Title, ev.Description, ev.Location, ev.VideoURL,
			meeting.Status(ev.Status), ev.Start, ev.End
		m, says = &o, next
	}
	same := maps.Equal(says, old.says) && old.title == m.title && old.desc == m.desc && old.location == m.location && old.videoURL == m.videoURL &&
		old.start.Equal(m.start) && old.end.Equal(m.end) && old.tz == m.tz && old.allDay == m.allDay &&
		old.status == m.status && old.seriesID == series && old.source == m.source && (calendarID == "" || old.calendarID == calendarID)
	sameAttendees := old.attendees == attendeeKey(m.attendees)
	if same && sameAttendees {
		return false, nil
	}
	if !same {
		desc, shared := sr.storedDesc(m.desc)
		u := a.tx.Meeting.Update().Where(meeting.ID(old.id)).SetTitle(m.title).SetDescription(desc).SetSharesDescription(shared).
			SetLocation(m.location).SetVideoURL(m.videoURL).SetStartsAt(m.start).SetEndsAt(m.end).SetTimeZone(m.tz).
			SetAllDay(m.allDay).SetStatus(m.status)
		if len(says) > 0 {
			u.SetCalendarSays(says)
		}
		if m.source != "" {
			u.SetSourceUID(m.source)
		} else {
			u.ClearSourceUID()
		}
		if sr != nil {
			u.SetSeriesID(sr.id)
		} else {
			u.ClearSeriesID()
		}
		if calendarID != "" {
			u.SetCalendarID(calendarID)
		}
		if err := u.Exec(ctx); err != nil {
			return false, err
		}
	}
	if !sameAttendees {
		if _, err := a.tx.Attendance.Delete().Where(attendance.MeetingID(old.id)).Exec(ctx); err != nil {
			return false, err
		}
		atts, err := a.attendances(ctx, nil, old.id, m.attendees)
		if err != nil {
			return false, err
		}
		now := attendance.DefaultCreatedAt()
		if err := bulkInsert(ctx, a.tx, a.dialect, attendance.Table, attendanceCols, []any{now, now, a.owner}, atts); err != nil {
			return false, err
		}
	}
	return true, nil
}

// gone lists the meetings a batch cancels: those it names by UID only,
// and those a listing whole (a series, or a calendar's complete listing)
// no longer holds. It reads on a read connection; ApplyEvents cancels them
// a chunk at a time.
func (s *Store) gone(ctx context.Context, b *calendar.Batch, seen map[meetingKey]struct{}) ([]*ent.Meeting, error) {
	var out []*ent.Meeting
	done := map[string]bool{}
	add := func(r *ent.Meeting) {
		if !done[r.ID] {
			done[r.ID] = true
			out = append(out, r)
		}
	}
	read := s.db.Ent
	for _, c := range b.Cancel {
		q := read.Meeting.Query().Where(meeting.OwnerID(b.Owner), meeting.StatusNEQ(meeting.StatusCancelled))
		if !c.OriginalStart.IsZero() {
			// One occurrence, whichever part of a split series holds it.
			q.Where(meeting.IcalUID(storedUID(storable(c.UID))), meeting.OriginalStart(ts(c.OriginalStart)))
		} else {
			// A whole series or event: only its own part of a split series.
			q.Where(partOf(storable(c.UID))...)
		}
		rows, err := q.Select(meeting.FieldID, meeting.FieldTitle, meeting.FieldStartsAt).All(ctx)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			add(r)
		}
	}
	live := []predicate.Meeting{meeting.OwnerID(b.Owner), meeting.StatusNEQ(meeting.StatusCancelled)}
	for chunk := range slices.Chunk(b.SweepUIDs, applyChunk) {
		// A series listed whole sweeps its own part: a split series' other
		// parts may be absent from an incremental listing.
		parts := make([]predicate.Meeting, len(chunk))
		for i, u := range chunk {
			parts[i] = meeting.And(partOf(storable(u))...)
		}
		if err := sweep(ctx, read, b.SweepWindow, append(slices.Clone(live), meeting.Or(parts...)), seen, nil, add); err != nil {
			return nil, err
		}
	}
	if b.Sweep && b.CalendarID != "" {
		keep := map[string]bool{}
		for _, uid := range b.Keep {
			keep[storedUID(storable(uid))] = true
		}
		if err := sweep(ctx, read, b.SweepWindow, append(live, meeting.CalendarID(b.CalendarID)), seen, keep, add); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sweepSlice is the span of meetings a sweep reads at a time: a calendar
// of 120,000 meetings read at once held 60 MB (the sync's peak); a month
// of it is a few MB, read along the (owner_id, starts_at) index.
const sweepSlice = 30 * 24 * time.Hour

// sweep passes to gone the synced meetings in w matching where that the
// batch no longer holds (and whose UID is not to be kept), reading them a
// month at a time.
func sweep(ctx context.Context, read *ent.Client, w calendar.Window, where []predicate.Meeting, seen map[meetingKey]struct{}, keep map[string]bool, gone func(*ent.Meeting)) error {
	for from := ts(w.From); from.Before(w.To); from = from.Add(sweepSlice) {
		to := from.Add(sweepSlice)
		if to.After(w.To) {
			to = ts(w.To)
		}
		rows, err := read.Meeting.Query().Where(where...).Where(meeting.StartsAtGTE(from), meeting.StartsAtLT(to)).
			Select(meeting.FieldID, meeting.FieldTitle, meeting.FieldStartsAt, meeting.FieldIcalUID, meeting.FieldOriginalStart).All(ctx)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r.IcalUID == nil || r.OriginalStart == nil || keep[*r.IcalUID] {
				continue
			}
			if _, ok := seen[meetingKey{*r.IcalUID, ts(*r.OriginalStart).UnixMicro()}]; !ok {
				gone(r)
			}
		}
	}
	return nil
}
