package store

import (
	"context"
	"sort"

	"entgo.io/ent/dialect/sql"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/actionitem"
	"github.com/debrief-hq/debrief/ent/attendance"
	"github.com/debrief-hq/debrief/ent/decision"
	"github.com/debrief-hq/debrief/ent/meeting"
	"github.com/debrief-hq/debrief/ent/note"
	"github.com/debrief-hq/debrief/ent/organization"
	"github.com/debrief-hq/debrief/ent/person"
	"github.com/debrief-hq/debrief/ent/personemail"
	"github.com/debrief-hq/debrief/ent/predicate"
	"github.com/debrief-hq/debrief/ent/question"
	"github.com/debrief-hq/debrief/ent/series"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/cursor"
	dmeeting "github.com/debrief-hq/debrief/internal/meeting"
	dnote "github.com/debrief-hq/debrief/internal/note"
	dperson "github.com/debrief-hq/debrief/internal/person"
)

func toMeeting(m *ent.Meeting) dmeeting.Meeting {
	out := dmeeting.Meeting{
		ID: m.ID, Title: m.Title, Description: m.Description, Location: m.Location, VideoURL: m.VideoURL,
		StartsAt: m.StartsAt.UTC(), EndsAt: m.EndsAt.UTC(), TimeZone: m.TimeZone, AllDay: m.AllDay,
		Status: string(m.Status), SeriesID: m.SeriesID, CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(),
		Attendees: []dmeeting.Attendee{},
	}
	for _, a := range m.Edges.Attendances {
		if a.Edges.Person == nil {
			continue
		}
		out.Attendees = append(out.Attendees, dmeeting.Attendee{
			PersonID: a.PersonID, Email: a.Edges.Person.Email, Name: a.Edges.Person.Name,
			ResponseStatus: string(a.ResponseStatus), Organizer: a.Organizer, Optional: a.Optional,
		})
	}
	// Organizer first, then by address: a stable order for clients and tests.
	sort.SliceStable(out.Attendees, func(i, j int) bool {
		a, b := out.Attendees[i], out.Attendees[j]
		if a.Organizer != b.Organizer {
			return a.Organizer
		}
		return a.Email < b.Email
	})
	return out
}

func withAttendees(q *ent.AttendanceQuery) { q.WithPerson() }

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
		return setAttendees(ctx, tx, owner, m.ID, in.Attendees)
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

// setAttendees replaces a meeting's attendees, finding or creating People.
func setAttendees(ctx context.Context, tx *ent.Client, owner, meetingID string, as []dmeeting.AttendeeInput) error {
	if _, err := tx.Attendance.Delete().Where(attendance.MeetingID(meetingID)).Exec(ctx); err != nil {
		return err
	}
	if len(as) == 0 {
		return nil
	}
	bulk := make([]*ent.AttendanceCreate, 0, len(as))
	for _, a := range as {
		p, err := findOrCreatePerson(ctx, tx, owner, a.Email, a.Name)
		if err != nil {
			return err
		}
		bulk = append(bulk, tx.Attendance.Create().SetOwnerID(owner).SetMeetingID(meetingID).SetPersonID(p.ID).
			SetResponseStatus(attendance.ResponseStatus(a.ResponseStatus)).SetOrganizer(a.Organizer).SetOptional(a.Optional))
	}
	return tx.Attendance.CreateBulk(bulk...).Exec(ctx)
}

// findOrCreatePerson returns the owner's person with this address (primary
// or not), creating them (and their organization) if new. Concurrent callers
// converge on one row through the unique (owner_id, email) indexes.
func findOrCreatePerson(ctx context.Context, tx *ent.Client, owner, email, name string) (*ent.Person, error) {
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
			return tx.Person.UpdateOne(p).SetName(name).Save(ctx)
		}
		return p, nil
	}
	if !ent.IsNotFound(err) {
		return nil, err
	}
	create := tx.Person.Create().SetOwnerID(owner).SetEmail(email).SetName(name).SetEmails([]string{email})
	if domain := dperson.OrgDomain(email); domain != "" {
		orgID, err := findOrCreateOrg(ctx, tx, owner, domain)
		if err != nil {
			return nil, err
		}
		create.SetOrganizationID(orgID)
	}
	err = create.OnConflict(sql.ConflictColumns(person.FieldOwnerID, person.FieldEmail), sql.DoNothing()).Exec(ctx)
	if err != nil && !isNoRows(err) {
		return nil, err
	}
	p, err = tx.Person.Query().Where(person.OwnerID(owner), person.Email(email)).Only(ctx)
	if err != nil {
		return nil, err
	}
	err = tx.PersonEmail.Create().SetOwnerID(owner).SetPersonID(p.ID).SetEmail(email).
		OnConflict(sql.ConflictColumns(personemail.FieldOwnerID, personemail.FieldEmail), sql.DoNothing()).Exec(ctx)
	if err != nil && !isNoRows(err) {
		return nil, err
	}
	return p, nil
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
	m, err := s.db.Ent.Meeting.Query().Where(meeting.OwnerID(owner), meeting.ID(id)).
		WithAttendances(withAttendees).Only(ctx)
	if err != nil {
		return dmeeting.Meeting{}, notFound(err, "meeting")
	}
	return toMeeting(m), nil
}

func (s *Store) GetMeeting(ctx context.Context, owner, id string) (dmeeting.Detail, error) {
	m, err := s.db.Ent.Meeting.Query().Where(meeting.OwnerID(owner), meeting.ID(id)).
		WithAttendances(withAttendees).
		WithNote().
		WithActionItems(func(q *ent.ActionItemQuery) { q.WithAssignee().Order(ent.Asc(actionitem.FieldID)) }).
		WithDecisions(func(q *ent.DecisionQuery) { q.WithPeople().Order(ent.Asc(decision.FieldID)) }).
		WithQuestions(func(q *ent.QuestionQuery) { q.Order(ent.Asc(question.FieldID)) }).
		Only(ctx)
	if err != nil {
		return dmeeting.Detail{}, notFound(err, "meeting")
	}
	d := dmeeting.Detail{
		Meeting:     toMeeting(m),
		ActionItems: mapSlice(m.Edges.ActionItems, toActionItem),
		Decisions:   mapSlice(m.Edges.Decisions, toDecision),
		Questions:   mapSlice(m.Edges.Questions, toQuestion),
	}
	if m.Edges.Note != nil {
		n := toNote(m.Edges.Note)
		d.Note = &n
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
		if in.ClearSeries {
			u.ClearSeriesID()
		}
		if err := u.Exec(ctx); err != nil {
			return err
		}
		if in.Attendees != nil {
			return setAttendees(ctx, tx, owner, id, *in.Attendees)
		}
		return nil
	})
	if err != nil {
		return dmeeting.Meeting{}, err
	}
	return s.meeting(ctx, owner, id)
}

func (s *Store) DeleteMeeting(ctx context.Context, owner, id string) error {
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		ok, err := tx.Meeting.Query().Where(meeting.OwnerID(owner), meeting.ID(id)).Exist(ctx)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.NotFound("meeting")
		}
		// Foreign keys do the rest: the note goes (cascade), attendances go,
		// extracted items stay with meeting_id and note_id set to null.
		if _, err := tx.Note.Delete().Where(note.MeetingID(id)).Exec(ctx); err != nil {
			return err
		}
		return tx.Meeting.DeleteOneID(id).Exec(ctx)
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
		ps = append(ps, meeting.HasAttendancesWith(attendance.PersonID(f.PersonID)))
	}
	if f.SeriesID != "" {
		ps = append(ps, meeting.SeriesID(f.SeriesID))
	}
	if f.Status != "" {
		ps = append(ps, meeting.StatusEQ(meeting.Status(f.Status)))
	}
	if a := f.Page.After; a != nil && a.T != nil {
		t := ts(*a.T)
		ps = append(ps, meeting.Or(meeting.StartsAtGT(t), meeting.And(meeting.StartsAt(t), meeting.IDGT(a.ID))))
	}
	rows, err := s.db.Ent.Meeting.Query().Where(ps...).WithAttendances(withAttendees).
		Order(ent.Asc(meeting.FieldStartsAt), ent.Asc(meeting.FieldID)).Limit(f.Page.Limit + 1).All(ctx)
	if err != nil {
		return cursor.Result[dmeeting.Meeting]{}, translate(err)
	}
	return cursor.Cut(mapSlice(rows, toMeeting), f.Page.Limit, func(m dmeeting.Meeting) cursor.Key {
		t := m.StartsAt
		return cursor.Key{T: &t, ID: m.ID}
	}), nil
}

func toNote(n *ent.Note) dnote.Note {
	return dnote.Note{ID: n.ID, Body: n.Body, Version: n.Version, MeetingID: n.MeetingID, PersonID: n.PersonID, UpdatedAt: n.UpdatedAt.UTC()}
}
