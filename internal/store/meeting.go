package store

import (
	"context"
	stdsql "database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	entdialect "entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/actionitem"
	"github.com/debrief-hq/debrief/ent/attendance"
	"github.com/debrief-hq/debrief/ent/decision"
	"github.com/debrief-hq/debrief/ent/meeting"
	"github.com/debrief-hq/debrief/ent/meetingtombstone"
	"github.com/debrief-hq/debrief/ent/note"
	"github.com/debrief-hq/debrief/ent/organization"
	"github.com/debrief-hq/debrief/ent/person"
	"github.com/debrief-hq/debrief/ent/personemail"
	"github.com/debrief-hq/debrief/ent/predicate"
	"github.com/debrief-hq/debrief/ent/question"
	"github.com/debrief-hq/debrief/ent/series"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/calendar"
	"github.com/debrief-hq/debrief/internal/cursor"
	dmeeting "github.com/debrief-hq/debrief/internal/meeting"
	dnote "github.com/debrief-hq/debrief/internal/note"
	dperson "github.com/debrief-hq/debrief/internal/person"
	"github.com/debrief-hq/debrief/internal/search"
)

// toMeetingWith converts a meeting row; attendees come from loadAttendees.
func toMeetingWith(m *ent.Meeting, attendees []dmeeting.Attendee) dmeeting.Meeting {
	out := dmeeting.Meeting{
		ID: m.ID, Title: m.Title, Description: m.Description, Location: m.Location, VideoURL: m.VideoURL,
		StartsAt: m.StartsAt.UTC(), EndsAt: m.EndsAt.UTC(), TimeZone: m.TimeZone, AllDay: m.AllDay,
		Status: dmeeting.Status(m.Status), SeriesID: m.SeriesID, CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(),
		Attendees: attendees, Hidden: m.HiddenAt != nil, CalendarSays: m.CalendarSays,
	}
	if out.Attendees == nil {
		out.Attendees = []dmeeting.Attendee{}
	}
	return out
}

// loadAttendees reads the attendees of the given meetings in one query (a
// join of attendances and persons), organizer first, then by address.
func (s *Store) loadAttendees(ctx context.Context, meetingIDs ...string) (map[string][]dmeeting.Attendee, error) {
	out := map[string][]dmeeting.Attendee{}
	if len(meetingIDs) == 0 {
		return out, nil
	}
	ids := make([]any, len(meetingIDs))
	for i, id := range meetingIDs {
		ids[i] = id
	}
	q := s.queries.attendeesOfOne
	if len(ids) > 1 {
		q = attendeesQuery(s.db.Dialect, len(ids))
	}
	rows, err := s.db.SQL.QueryContext(ctx, q, ids...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var mid string
		var at dmeeting.Attendee
		if err := rows.Scan(&mid, &at.PersonID, &at.Email, &at.Name, &at.ResponseStatus, &at.Organizer, &at.Optional); err != nil {
			return nil, translate(err)
		}
		out[mid] = append(out[mid], at)
	}
	return out, translate(rows.Err())
}

// attendeesQuery is the SQL of loadAttendees for n meeting ids.
func attendeesQuery(dialect string, n int) string {
	b := sql.Dialect(dialect)
	a, p := b.Table(attendance.Table).As("a"), b.Table(person.Table).As("p")
	ids := make([]any, n)
	for i := range ids {
		ids[i] = ""
	}
	q, _ := b.Select(a.C(attendance.FieldMeetingID), a.C(attendance.FieldPersonID), p.C(person.FieldEmail), p.C(person.FieldName),
		a.C(attendance.FieldResponseStatus), a.C(attendance.FieldOrganizer), a.C(attendance.FieldOptional)).
		From(a).Join(p).On(a.C(attendance.FieldPersonID), p.C(person.FieldID)).
		Where(sql.In(a.C(attendance.FieldMeetingID), ids...)).
		OrderBy(a.C(attendance.FieldMeetingID), sql.Desc(a.C(attendance.FieldOrganizer)), p.C(person.FieldEmail)).
		Query()
	return q
}

func (s *Store) CreateMeeting(ctx context.Context, owner string, in dmeeting.CreateInput) (dmeeting.Meeting, error) {
	var id string
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		if in.SeriesID != nil {
			if err := mustExist(ctx, tx.Series.Query().Where(series.OwnerID(owner), series.ID(*in.SeriesID)).Exist, "series_id", "series"); err != nil {
				return err
			}
		}
		m, err := tx.Meeting.Create().SetOwnerID(owner).SetTitle(in.Title).SetDescription(in.Description).
			SetLocation(in.Location).SetVideoURL(in.VideoURL).SetStartsAt(ts(in.StartsAt)).SetEndsAt(ts(in.EndsAt)).
			SetTimeZone(in.TimeZone).SetAllDay(in.AllDay).SetStatus(meeting.Status(in.Status)).
			SetNillableSeriesID(in.SeriesID).Save(ctx)
		if err != nil {
			return err
		}
		id = m.ID
		if err := claimIdempotency(ctx, tx, "meeting", m.ID); err != nil {
			return err
		}
		people, err := setAttendees(ctx, tx, owner, m.ID, in.Attendees)
		if err != nil {
			return err
		}
		if err := s.replan(ctx, owner); err != nil {
			return err
		}
		return s.markMeetingsAndPeople(ctx, tx, owner, []string{m.ID}, people)
	})
	if err != nil {
		return dmeeting.Meeting{}, err
	}
	return s.meeting(ctx, owner, id)
}

// mustExist turns a missing referenced row into a field error.
func mustExist(ctx context.Context, exist func(context.Context) (bool, error), field, what string) error {
	ok, err := exist(ctx)
	if err != nil {
		return err
	}
	if !ok {
		var f apperr.Fields
		f.Add(field, "names no %s of yours", what)
		return f.Err()
	}
	return nil
}

// setAttendees replaces a meeting's attendees, finding or creating People;
// it returns the people it created or renamed (whose search documents
// change).
func setAttendees(ctx context.Context, tx *ent.Client, owner, meetingID string, as []dmeeting.AttendeeInput) ([]string, error) {
	if _, err := tx.Attendance.Delete().Where(attendance.MeetingID(meetingID)).Exec(ctx); err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, nil
	}
	var changed []string
	bulk := make([]*ent.AttendanceCreate, 0, len(as))
	for i, a := range as {
		if a.Email == "" {
			// By name alone: the one person of that name, else a new one
			// with an address that reaches nobody (a calendar may bring the
			// real one later).
			email, err := addressForName(ctx, tx, owner, i, a.Name)
			if err != nil {
				return nil, err
			}
			a.Email = email
		}
		p, isNew, err := findOrCreatePerson(ctx, tx, owner, a.Email, a.Name)
		if err != nil {
			return nil, err
		}
		if isNew {
			changed = append(changed, p.ID)
		}
		bulk = append(bulk, tx.Attendance.Create().SetOwnerID(owner).SetMeetingID(meetingID).SetPersonID(p.ID).
			SetResponseStatus(attendance.ResponseStatus(a.ResponseStatus)).SetOrganizer(a.Organizer).SetOptional(a.Optional))
	}
	return changed, tx.Attendance.CreateBulk(bulk...).Exec(ctx)
}

// findOrCreatePerson returns the owner's person with this address (primary
// or not), creating them (and their organization) if new, and whether it
// created or renamed them. Concurrent callers converge on one row through
// the unique (owner_id, email) indexes; the one whose insert took reports
// it.
func findOrCreatePerson(ctx context.Context, tx *ent.Client, owner, email, name string) (*ent.Person, bool, error) {
	// Two point lookups: SQLite plans ent's IN-subquery form as a scan of
	// the owner's people.
	var p *ent.Person
	pid, err := tx.PersonEmail.Query().Where(personemail.OwnerID(owner), personemail.Email(email)).
		Select(personemail.FieldPersonID).String(ctx)
	if err == nil {
		p, err = tx.Person.Get(ctx, pid)
	}
	if err == nil {
		if p.Name == "" && name != "" {
			p, err = tx.Person.UpdateOne(p).SetName(name).Save(ctx)
			return p, err == nil, err
		}
		return p, false, nil
	}
	if !ent.IsNotFound(err) {
		return nil, false, err
	}
	create := tx.Person.Create().SetOwnerID(owner).SetEmail(email).SetName(name).SetEmails([]string{email})
	if domain := dperson.OrgDomain(email); domain != "" {
		orgID, err := findOrCreateOrg(ctx, tx, owner, domain)
		if err != nil {
			return nil, false, err
		}
		create.SetOrganizationID(orgID)
	}
	err = create.OnConflict(sql.ConflictColumns(person.FieldOwnerID, person.FieldEmail), sql.DoNothing()).Exec(ctx)
	if err != nil && !isNoRows(err) {
		return nil, false, err
	}
	created := err == nil
	p, err = tx.Person.Query().Where(person.OwnerID(owner), person.Email(email)).Only(ctx)
	if err != nil {
		return nil, false, err
	}
	err = tx.PersonEmail.Create().SetOwnerID(owner).SetPersonID(p.ID).SetEmail(email).
		OnConflict(sql.ConflictColumns(personemail.FieldOwnerID, personemail.FieldEmail), sql.DoNothing()).Exec(ctx)
	if err != nil && !isNoRows(err) {
		return nil, false, err
	}
	return p, created, nil
}

func findOrCreateOrg(ctx context.Context, tx *ent.Client, owner, domain string) (string, error) {
	id, err := tx.Organization.Query().Where(organization.OwnerID(owner), organization.Domain(domain)).OnlyID(ctx)
	if err == nil || !ent.IsNotFound(err) {
		return id, err
	}
	err = tx.Organization.Create().SetOwnerID(owner).SetDomain(domain).SetName(dperson.OrgName(domain)).
		OnConflict(sql.ConflictColumns(organization.FieldOwnerID, organization.FieldDomain), sql.DoNothing()).Exec(ctx)
	if err != nil && !isNoRows(err) {
		return "", err
	}
	return tx.Organization.Query().Where(organization.OwnerID(owner), organization.Domain(domain)).OnlyID(ctx)
}

// isNoRows recognises ent's report of an upsert that did nothing.
func isNoRows(err error) bool {
	return err != nil && err.Error() == "sql: no rows in result set"
}

func (s *Store) meeting(ctx context.Context, owner, id string) (dmeeting.Meeting, error) {
	m, err := s.db.Ent.Meeting.Query().Where(meeting.OwnerID(owner), meeting.ID(id)).Only(ctx)
	if err != nil {
		return dmeeting.Meeting{}, notFound(err, "meeting")
	}
	if err := withSeriesDescriptions(ctx, s.db.Ent, m); err != nil {
		return dmeeting.Meeting{}, err
	}
	att, err := s.loadAttendees(ctx, id)
	if err != nil {
		return dmeeting.Meeting{}, err
	}
	return toMeetingWith(m, att[id]), nil
}

func (s *Store) GetMeeting(ctx context.Context, owner, id string) (dmeeting.Detail, error) {
	d, kinds, err := s.meetingPage(ctx, owner, id)
	if err != nil {
		return dmeeting.Detail{}, err
	}
	if !kinds[attendance.Table] {
		att, err := s.loadAttendees(ctx, id)
		if err != nil {
			return dmeeting.Detail{}, err
		}
		if att[id] != nil {
			d.Attendees = att[id]
		}
	}
	if kinds[actionitem.Table] {
		items, err := s.db.Ent.ActionItem.Query().Where(actionitem.OwnerID(owner), actionitem.MeetingID(id)).WithAssignee().Order(ent.Asc(actionitem.FieldID)).All(ctx)
		if err != nil {
			return dmeeting.Detail{}, translate(err)
		}
		d.ActionItems = mapSlice(items, toActionItem)
	}
	if kinds[decision.Table] {
		ds, err := s.db.Ent.Decision.Query().Where(decision.OwnerID(owner), decision.MeetingID(id)).WithPeople().Order(ent.Asc(decision.FieldID)).All(ctx)
		if err != nil {
			return dmeeting.Detail{}, translate(err)
		}
		d.Decisions = mapSlice(ds, toDecision)
	}
	if kinds[question.Table] {
		qs, err := s.db.Ent.Question.Query().Where(question.OwnerID(owner), question.MeetingID(id)).Order(ent.Asc(question.FieldID)).All(ctx)
		if err != nil {
			return dmeeting.Detail{}, translate(err)
		}
		d.Questions = mapSlice(qs, toQuestion)
	}
	d.ActionItems = orEmpty(d.ActionItems)
	d.Decisions = orEmpty(d.Decisions)
	d.Questions = orEmpty(d.Questions)
	if d.SeriesID != nil {
		// By primary key: the series is the owner's meeting's.
		tpl, err := s.db.Ent.Series.Query().Where(series.ID(*d.SeriesID)).Select(series.FieldAgendaTemplate).String(ctx)
		if err != nil && !ent.IsNotFound(err) {
			return dmeeting.Detail{}, translate(err)
		}
		d.AgendaTemplate = tpl
	}
	return d, nil
}

func (s *Store) UpdateMeeting(ctx context.Context, owner, id string, in dmeeting.UpdateInput) (dmeeting.Meeting, error) {
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		m, err := tx.Meeting.Query().Where(meeting.OwnerID(owner), meeting.ID(id)).Only(ctx)
		if err != nil {
			return notFound(err, "meeting")
		}
		start, end := m.StartsAt, m.EndsAt
		if in.StartsAt != nil {
			start = *in.StartsAt
		}
		if in.EndsAt != nil {
			end = *in.EndsAt
		}
		if err := dmeeting.CheckTimes(start, end); err != nil {
			return err
		}
		if in.SeriesID != nil {
			if err := mustExist(ctx, tx.Series.Query().Where(series.OwnerID(owner), series.ID(*in.SeriesID)).Exist, "series_id", "series"); err != nil {
				return err
			}
		}
		u := tx.Meeting.UpdateOne(m).SetNillableTitle(in.Title).SetNillableDescription(in.Description).
			SetNillableLocation(in.Location).SetNillableVideoURL(in.VideoURL).
			SetStartsAt(ts(start)).SetEndsAt(ts(end)).SetNillableTimeZone(in.TimeZone).SetNillableAllDay(in.AllDay).
			SetNillableSeriesID(in.SeriesID)
		if in.Status != nil {
			u.SetStatus(meeting.Status(*in.Status))
		}
		// The description as shown (a shared one is the series'): what the
		// overlay below compares, and what a meeting keeps as its own when
		// it is edited or leaves its series.
		if err := withSeriesDescriptions(ctx, tx, m); err != nil {
			return err
		}
		if m.SharesDescription && (in.Description != nil || in.SeriesID != nil || in.ClearSeries) {
			if in.Description == nil {
				u.SetDescription(m.Description)
			}
			u.SetSharesDescription(false)
		}
		if in.ClearSeries {
			u.ClearSeriesID()
		}
		if in.Hidden != nil {
			switch {
			case *in.Hidden && m.HiddenAt == nil:
				u.SetHiddenAt(ts(time.Now()))
			case !*in.Hidden:
				u.ClearHiddenAt()
			}
		}
		if m.IcalUID != nil {
			// A meeting from a calendar: what its person changes stays
			// changed across syncs, with what the calendar says kept beside.
			stored := calendar.Fields{Title: m.Title, Description: m.Description, Location: m.Location, VideoURL: m.VideoURL,
				Status: string(m.Status), Start: ts(m.StartsAt), End: ts(m.EndsAt)}
			edited := stored
			edited.Start, edited.End = ts(start), ts(end)
			for _, f := range []struct {
				v   *string
				dst *string
			}{{in.Title, &edited.Title}, {in.Description, &edited.Description}, {in.Location, &edited.Location},
				{in.VideoURL, &edited.VideoURL}} {
				if f.v != nil {
					*f.dst = *f.v
				}
			}
			if in.Status != nil {
				edited.Status = string(*in.Status)
			}
			if says := calendar.Edit(stored, edited, m.CalendarSays); len(says) > 0 {
				u.SetCalendarSays(says)
			} else {
				u.ClearCalendarSays()
			}
		}
		if err := u.Exec(ctx); err != nil {
			return err
		}
		if err := s.replan(ctx, owner); err != nil {
			return err
		}
		if in.Attendees != nil {
			people, err := setAttendees(ctx, tx, owner, id, *in.Attendees)
			if err != nil {
				return err
			}
			return s.markMeetingsAndPeople(ctx, tx, owner, []string{id}, people)
		}
		return s.markMeetings(ctx, tx, owner, id)
	})
	if err != nil {
		return dmeeting.Meeting{}, err
	}
	return s.meeting(ctx, owner, id)
}

func (s *Store) DeleteMeeting(ctx context.Context, owner, id string) error {
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		m, err := tx.Meeting.Query().Where(meeting.OwnerID(owner), meeting.ID(id)).
			Select(meeting.FieldIcalUID, meeting.FieldOriginalStart).Only(ctx)
		if err != nil {
			return notFound(err, "meeting")
		}
		if m.IcalUID != nil && m.OriginalStart != nil {
			// From a calendar: no sync may make it again.
			err := tx.MeetingTombstone.Create().SetOwnerID(owner).SetIcalUID(*m.IcalUID).SetOriginalStart(ts(*m.OriginalStart)).
				OnConflictColumns(meetingtombstone.FieldOwnerID, meetingtombstone.FieldIcalUID, meetingtombstone.FieldOriginalStart).
				DoNothing().Exec(ctx)
			if err != nil && !isNoRows(err) {
				return err
			}
		}
		// Foreign keys do the rest: the note goes (cascade), attendances go,
		// extracted items stay with meeting_id and note_id set to null (and
		// are indexed on their own from now on).
		keys, err := looseKeys(ctx, []string{search.KeyMeeting(id)},
			tx.ActionItem.Query().Where(actionitem.MeetingID(id)).IDs,
			tx.Decision.Query().Where(decision.MeetingID(id)).IDs,
			tx.Question.Query().Where(question.MeetingID(id)).IDs)
		if err != nil {
			return err
		}
		if _, err := tx.Note.Delete().Where(note.MeetingID(id)).Exec(ctx); err != nil {
			return err
		}
		if err := tx.Meeting.DeleteOneID(id).Exec(ctx); err != nil {
			return err
		}
		if err := s.replan(ctx, owner); err != nil {
			return err
		}
		return s.markSearch(ctx, tx, owner, keys...)
	})
}

func (s *Store) ListMeetings(ctx context.Context, owner string, f dmeeting.Filter) (cursor.Result[dmeeting.Meeting], error) {
	ps := []predicate.Meeting{meeting.OwnerID(owner)}
	if f.From != nil {
		ps = append(ps, meeting.EndsAtGTE(ts(*f.From)))
	}
	if f.To != nil {
		ps = append(ps, meeting.StartsAtLT(ts(*f.To)))
	}
	if f.PersonID != "" {
		ps = append(ps, meeting.HasAttendancesWith(attendance.OwnerID(owner), attendance.PersonID(f.PersonID)))
	}
	if f.SeriesID != "" {
		ps = append(ps, meeting.SeriesID(f.SeriesID))
	}
	if f.Status != "" {
		ps = append(ps, meeting.StatusEQ(meeting.Status(f.Status)))
	}
	if f.Hidden {
		ps = append(ps, meeting.HiddenAtNotNil())
	} else {
		ps = append(ps, meeting.HiddenAtIsNil())
	}
	if a := f.Page.After; a != nil && a.T != nil {
		t := ts(*a.T)
		ps = append(ps, meeting.Or(meeting.StartsAtGT(t), meeting.And(meeting.StartsAt(t), meeting.IDGT(a.ID))))
	}
	rows, err := s.db.Ent.Meeting.Query().Where(ps...).
		Order(ent.Asc(meeting.FieldStartsAt), ent.Asc(meeting.FieldID)).Limit(f.Page.Limit + 1).All(ctx)
	if err != nil {
		return cursor.Result[dmeeting.Meeting]{}, translate(err)
	}
	ms, err := s.withAttendees(ctx, rows)
	if err != nil {
		return cursor.Result[dmeeting.Meeting]{}, err
	}
	return cursor.Cut(ms, f.Page.Limit, func(m dmeeting.Meeting) cursor.Key {
		t := m.StartsAt
		return cursor.Key{T: &t, ID: m.ID}
	}), nil
}

func toNote(n *ent.Note) dnote.Note {
	return dnote.Note{ID: n.ID, Body: n.Body, Version: n.Version, MeetingID: n.MeetingID, PersonID: n.PersonID, UpdatedAt: n.UpdatedAt.UTC()}
}

// withAttendees converts meeting rows, loading all their attendees at once.
func (s *Store) withAttendees(ctx context.Context, rows []*ent.Meeting) ([]dmeeting.Meeting, error) {
	ids := make([]string, len(rows))
	for i, m := range rows {
		ids[i] = m.ID
	}
	if err := withSeriesDescriptions(ctx, s.db.Ent, rows...); err != nil {
		return nil, err
	}
	att, err := s.loadAttendees(ctx, ids...)
	if err != nil {
		return nil, err
	}
	out := make([]dmeeting.Meeting, len(rows))
	for i, m := range rows {
		out[i] = toMeetingWith(m, att[m.ID])
	}
	return out, nil
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// meetingPage reads a meeting with its note, and which kinds of things it
// has (action items, decisions, questions: by table); attendance's table
// is there when its attendees came with it. The meeting page is the most
// read thing in Debrief. On SQLite these are two point queries rather than
// one join (the meeting LEFT JOIN note with the item-kind subqueries cost
// ~47 µs a read against ~10 µs for the two, measured on 10,000 meetings
// with 300-word notes); on PostgreSQL one read (meetingWholeQuery).
func (s *Store) meetingPage(ctx context.Context, owner, id string) (dmeeting.Detail, map[string]bool, error) {
	var (
		d                        dmeeting.Detail
		series, noteID, body     sql.NullString
		version                  sql.NullInt64
		noteUpdated, hiddenAt    sql.NullTime
		says                     []byte
		hasItems, hasDec, hasQue bool
	)
	cols := []any{&d.ID, &d.Title, &d.Description, &d.Location, &d.VideoURL, &d.StartsAt, &d.EndsAt, &d.TimeZone,
		&d.AllDay, &d.Status, &series, &d.CreatedAt, &d.UpdatedAt, &hiddenAt, &says, &hasItems, &hasDec, &hasQue}
	var attendees sql.NullString
	kindsRead := map[string]bool{}
	if s.queries.meetingWhole != "" {
		// One round trip: the note and the attendees come with the meeting.
		cols = append(cols, &noteID, &body, &version, &noteUpdated, &attendees)
		err := s.db.SQL.QueryRowContext(ctx, s.queries.meetingWhole, owner, id).Scan(cols...)
		if errors.Is(err, stdsql.ErrNoRows) {
			return d, nil, apperr.NotFound("meeting")
		}
		if err != nil {
			return d, nil, translate(err)
		}
	} else {
		err := s.db.SQL.QueryRowContext(ctx, s.queries.meetingPage, owner, id).Scan(cols...)
		if errors.Is(err, stdsql.ErrNoRows) {
			return d, nil, apperr.NotFound("meeting")
		}
		if err != nil {
			return d, nil, translate(err)
		}
		err = s.db.SQL.QueryRowContext(ctx, s.queries.meetingNote, owner, id).Scan(&noteID, &body, &version, &noteUpdated)
		if err != nil && !errors.Is(err, stdsql.ErrNoRows) {
			return d, nil, translate(err)
		}
	}
	d.StartsAt, d.EndsAt, d.CreatedAt, d.UpdatedAt = d.StartsAt.UTC(), d.EndsAt.UTC(), d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	d.Hidden = hiddenAt.Valid
	if len(says) > 0 && string(says) != "null" {
		if err := json.Unmarshal(says, &d.CalendarSays); err != nil {
			return d, nil, translate(err)
		}
	}
	d.Attendees = []dmeeting.Attendee{}
	if s.queries.meetingWhole != "" {
		ats, err := unpackAttendees(attendees.String)
		if err != nil {
			return d, nil, fmt.Errorf("meeting %s: %w", id, err)
		}
		d.Attendees = append(d.Attendees, ats...)
		kindsRead[attendance.Table] = true
	}
	if series.Valid {
		d.SeriesID = &series.String
	}
	if noteID.Valid {
		mid := id
		d.Note = &dnote.Note{ID: noteID.String, Body: body.String, Version: int(version.Int64), MeetingID: &mid, UpdatedAt: noteUpdated.Time.UTC()}
	}
	kindsRead[actionitem.Table], kindsRead[decision.Table], kindsRead[question.Table] = hasItems, hasDec, hasQue
	return d, kindsRead, nil
}

// meetingPageQuery is the SQL of meetingPage's first read; its arguments
// are the owner and the meeting id.
func meetingPageQuery(dialect string) string {
	b := sql.Dialect(dialect)
	m := b.Table(meeting.Table).As("m")
	has := func(table string) sql.Querier {
		t := b.Table(table)
		return sql.Exists(b.Select().AppendSelectExpr(sql.Expr("1")).From(t).Where(sql.And(
			sql.ColumnsEQ(t.C("owner_id"), m.C(meeting.FieldOwnerID)), sql.ColumnsEQ(t.C("meeting_id"), m.C(meeting.FieldID)))))
	}
	// A description shared with the series is read from it (the subquery
	// runs only for those).
	sr := b.Table(series.Table).As("s")
	of, _ := b.Select(sr.C(series.FieldDescription)).From(sr).Where(sql.ColumnsEQ(sr.C(series.FieldID), m.C(meeting.FieldSeriesID))).Query()
	desc := fmt.Sprintf("CASE WHEN %s THEN COALESCE((%s), '') ELSE %s END",
		m.C(meeting.FieldSharesDescription), of, m.C(meeting.FieldDescription))
	q, _ := b.Select(m.C(meeting.FieldID), m.C(meeting.FieldTitle)).AppendSelectExpr(sql.Expr(desc)).
		AppendSelect(m.C(meeting.FieldLocation), m.C(meeting.FieldVideoURL), m.C(meeting.FieldStartsAt), m.C(meeting.FieldEndsAt), m.C(meeting.FieldTimeZone),
			m.C(meeting.FieldAllDay), m.C(meeting.FieldStatus), m.C(meeting.FieldSeriesID), m.C(meeting.FieldCreatedAt),
			m.C(meeting.FieldUpdatedAt), m.C(meeting.FieldHiddenAt), m.C(meeting.FieldCalendarSays)).
		AppendSelectExprAs(has(actionitem.Table), "has_items").
		AppendSelectExprAs(has(decision.Table), "has_decisions").
		AppendSelectExprAs(has(question.Table), "has_questions").
		From(m).
		Where(sql.And(sql.EQ(m.C(meeting.FieldOwnerID), "owner"), sql.EQ(m.C(meeting.FieldID), "id"))).
		Query()
	return q
}

// meetingWholeQuery is meetingPage in one read on PostgreSQL, where each
// read is a round trip: the meeting, its note and its attendees, packed in
// one text column in loadAttendees' order (see unpackAttendees: building
// and parsing JSON for them cost a tenth of the read). "" on SQLite, in
// the process, where three reads cost less than building one.
func meetingWholeQuery(dialect string) string {
	if dialect != entdialect.Postgres {
		return ""
	}
	field := func(c string) string { return "octet_length(" + c + "), ':', " + c }
	return `SELECT mp.*, n.id, n.body, n.version, n.updated_at,
	(SELECT string_agg(concat(` + field("a.person_id") + `, ` + field("a.response_status") + `, ` + field("p.email") + `, ` +
		field("p.name") + `, a.organizer::int, a.optional::int), '' ORDER BY a.organizer DESC, p.email)
	FROM attendances a JOIN persons p ON p.id = a.person_id WHERE a.meeting_id = mp.id)
FROM (` + meetingPageQuery(dialect) + `) mp LEFT JOIN notes n ON n.owner_id = $1 AND n.meeting_id = mp.id`
}

// unpackAttendees reads meetingWholeQuery's attendees: for each, its
// person id, response, email and name, each as <bytes>:<text>, then
// whether they organise and whether they are optional, as 0 or 1. The
// lengths make any text safe to pack.
func unpackAttendees(packed string) ([]dmeeting.Attendee, error) {
	var out []dmeeting.Attendee
	field := func() (string, error) {
		n, rest, ok := strings.Cut(packed, ":")
		size, err := strconv.Atoi(n)
		if !ok || err != nil || size < 0 || size > len(rest) {
			return "", fmt.Errorf("packed attendees: a field of %q bytes", n)
		}
		packed = rest[size:]
		return rest[:size], nil
	}
	for packed != "" {
		var at dmeeting.Attendee
		var err error
		for _, f := range []*string{&at.PersonID, &at.ResponseStatus, &at.Email, &at.Name} {
			if *f, err = field(); err != nil {
				return nil, err
			}
		}
		if len(packed) < 2 {
			return nil, errors.New("packed attendees: no flags after a name")
		}
		at.Organizer, at.Optional, packed = packed[0] == '1', packed[1] == '1', packed[2:]
		out = append(out, at)
	}
	return out, nil
}

// meetingNoteQuery is the SQL of meetingPage's second read: the note of
// the meeting, by owner and meeting id.
func meetingNoteQuery(dialect string) string {
	b := sql.Dialect(dialect)
	n := b.Table(note.Table)
	q, _ := b.Select(n.C(note.FieldID), n.C(note.FieldBody), n.C(note.FieldVersion), n.C(note.FieldUpdatedAt)).
		From(n).Where(sql.And(sql.EQ(n.C(note.FieldOwnerID), "owner"), sql.EQ(n.C(note.FieldMeetingID), "id"))).
		Query()
	return q
}

func (s *Store) NextMeeting(ctx context.Context, owner string, now time.Time) (dmeeting.Meeting, error) {
	row, err := s.db.Ent.Meeting.Query().Where(meeting.OwnerID(owner), meeting.EndsAtGT(ts(now)),
		meeting.StatusNEQ(meeting.StatusCancelled), meeting.AllDay(false), meeting.HiddenAtIsNil()).
		Order(ent.Asc(meeting.FieldStartsAt), ent.Asc(meeting.FieldID)).First(ctx)
	if ent.IsNotFound(err) {
		return dmeeting.Meeting{}, apperr.NotFound("meeting ahead")
	}
	if err != nil {
		return dmeeting.Meeting{}, translate(err)
	}
	ms, err := s.withAttendees(ctx, []*ent.Meeting{row})
	if err != nil {
		return dmeeting.Meeting{}, err
	}
	return ms[0], nil
}

// addressForName is the address of the owner's one person called name
// (any case), or, when nobody is, a placeholder one at NameOnlyDomain; two
// people of that name are a field error (their address tells them apart).
func addressForName(ctx context.Context, tx *ent.Client, owner string, i int, name string) (string, error) {
	ps, err := tx.Person.Query().Where(person.OwnerID(owner), person.NameEqualFold(name)).Limit(2).All(ctx)
	if err != nil {
		return "", err
	}
	switch len(ps) {
	case 1:
		return ps[0].Email, nil
	case 0:
		return dperson.NameOnlyAddress(name), nil
	}
	var f apperr.Fields
	f.Add(fmt.Sprintf("attendees[%d].name", i), "more than one of your people is called %s: give their email address", name)
	return "", f.Err()
}
