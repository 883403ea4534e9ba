package store

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/actionitem"
	"github.com/debrief-hq/debrief/ent/decision"
	"github.com/debrief-hq/debrief/ent/meeting"
	"github.com/debrief-hq/debrief/ent/predicate"
	"github.com/debrief-hq/debrief/ent/question"
	"github.com/debrief-hq/debrief/ent/series"
	dactionitem "github.com/debrief-hq/debrief/internal/actionitem"
	"github.com/debrief-hq/debrief/internal/agenda"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/cursor"
	ddecision "github.com/debrief-hq/debrief/internal/decision"
	dquestion "github.com/debrief-hq/debrief/internal/question"
)

func (s *Store) Series(ctx context.Context, owner, id string, now time.Time, page cursor.Page) (agenda.Series, error) {
	sr, err := s.db.Ent.Series.Query().Where(series.OwnerID(owner), series.ID(id)).Only(ctx)
	if err != nil {
		return agenda.Series{}, notFound(err, "series")
	}
	out := agenda.Series{ID: sr.ID, Title: sr.Title, AgendaTemplate: sr.AgendaTemplate, Upcoming: []agenda.Occurrence{}}
	now = ts(now)
	ps := []predicate.Meeting{meeting.OwnerID(owner), meeting.SeriesID(id), meeting.StartsAtLTE(now), meeting.HiddenAtIsNil()}
	if a := page.After; a != nil && a.T != nil {
		t := ts(*a.T)
		ps = append(ps, meeting.Or(meeting.StartsAtLT(t), meeting.And(meeting.StartsAt(t), meeting.IDLT(a.ID))))
	}
	past, err := s.db.Ent.Meeting.Query().Where(ps...).
		Order(ent.Desc(meeting.FieldStartsAt), ent.Desc(meeting.FieldID)).Limit(page.Limit + 1).WithNote().All(ctx)
	if err != nil {
		return out, translate(err)
	}
	var next []*ent.Meeting
	if page.After == nil {
		if next, err = s.db.Ent.Meeting.Query().Where(meeting.OwnerID(owner), meeting.SeriesID(id), meeting.StartsAtGT(now), meeting.HiddenAtIsNil()).
			Order(ent.Asc(meeting.FieldStartsAt), ent.Asc(meeting.FieldID)).Limit(agenda.SeriesUpcoming).WithNote().All(ctx); err != nil {
			return out, translate(err)
		}
	}
	occ, err := s.occurrences(ctx, owner, append(slices.Clone(past), next...))
	if err != nil {
		return out, err
	}
	out.Past = cursor.Cut(occ[:len(past)], page.Limit, func(o agenda.Occurrence) cursor.Key {
		t := o.Meeting.StartsAt
		return cursor.Key{T: &t, ID: o.Meeting.ID}
	})
	out.Upcoming = append(out.Upcoming, occ[len(past):]...)
	// What is still open from the occurrences that have started.
	started := meeting.And(meeting.OwnerID(owner), meeting.SeriesID(id), meeting.StartsAtLTE(now))
	items, err := s.db.Ent.ActionItem.Query().Where(actionitem.OwnerID(owner), actionitem.StatusEQ(actionitem.StatusOpen),
		actionitem.HasMeetingWith(started)).WithAssignee().Order(ent.Asc(actionitem.FieldID)).Limit(agenda.ListLimit).All(ctx)
	if err != nil {
		return out, translate(err)
	}
	out.OpenActionItems = mapSlice(items, toActionItem)
	qs, err := s.db.Ent.Question.Query().Where(question.OwnerID(owner), question.StatusEQ(question.StatusOpen),
		question.HasMeetingWith(started)).Order(ent.Asc(question.FieldID)).Limit(agenda.ListLimit).All(ctx)
	if err != nil {
		return out, translate(err)
	}
	out.OpenQuestions = mapSlice(qs, toQuestion)
	return out, nil
}

func (s *Store) UpdateSeries(ctx context.Context, owner, id string, in agenda.SeriesUpdate) error {
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		n, err := tx.Series.Update().Where(series.OwnerID(owner), series.ID(id)).
			SetNillableAgendaTemplate(in.AgendaTemplate).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return apperr.NotFound("series")
		}
		return nil
	})
}

// occurrences are meetings with their notes, items, current decisions and
// questions (four queries however many meetings).
func (s *Store) occurrences(ctx context.Context, owner string, rows []*ent.Meeting) ([]agenda.Occurrence, error) {
	ms, err := s.withAttendees(ctx, rows)
	if err != nil {
		return nil, err
	}
	out := make([]agenda.Occurrence, len(rows))
	ids := make([]string, len(rows))
	at := make(map[string]int, len(rows))
	for i, r := range rows {
		out[i] = agenda.Occurrence{Meeting: ms[i], ActionItems: []dactionitem.Item{}, Decisions: []ddecision.Decision{}, Questions: []dquestion.Question{}}
		if r.Edges.Note != nil {
			n := toNote(r.Edges.Note)
			out[i].Note = &n
		}
		ids[i], at[r.ID] = r.ID, i
	}
	if len(ids) == 0 {
		return out, nil
	}
	items, err := s.db.Ent.ActionItem.Query().Where(actionitem.OwnerID(owner), actionitem.MeetingIDIn(ids...), actionitem.DetachedAtIsNil()).
		WithAssignee().Order(ent.Asc(actionitem.FieldID)).All(ctx)
	if err != nil {
		return nil, translate(err)
	}
	for _, it := range items {
		o := &out[at[*it.MeetingID]]
		o.ActionItems = append(o.ActionItems, toActionItem(it))
	}
	ds, err := s.db.Ent.Decision.Query().Where(decision.OwnerID(owner), decision.MeetingIDIn(ids...), decision.DetachedAtIsNil(),
		decision.SupersededByIDIsNil()).WithPeople().Order(ent.Asc(decision.FieldID)).All(ctx)
	if err != nil {
		return nil, translate(err)
	}
	for _, d := range ds {
		o := &out[at[*d.MeetingID]]
		o.Decisions = append(o.Decisions, toDecision(d))
	}
	qs, err := s.db.Ent.Question.Query().Where(question.OwnerID(owner), question.MeetingIDIn(ids...), question.DetachedAtIsNil()).
		Order(ent.Asc(question.FieldID)).All(ctx)
	if err != nil {
		return nil, translate(err)
	}
	for _, q := range qs {
		o := &out[at[*q.MeetingID]]
		o.Questions = append(o.Questions, toQuestion(q))
	}
	return out, nil
}

// withSeriesDescriptions fills in the description of the rows that share
// their series' (synced occurrences store it once, on the series).
func withSeriesDescriptions(ctx context.Context, c *ent.Client, rows ...*ent.Meeting) error {
	desc := map[string]string{} // series id → description
	for _, m := range rows {
		if m.SharesDescription && m.SeriesID != nil {
			desc[*m.SeriesID] = ""
		}
	}
	for chunk := range slices.Chunk(slices.Collect(maps.Keys(desc)), applyChunk) {
		// By primary key: the ids come from the owner's own meetings.
		srs, err := c.Series.Query().Where(series.IDIn(chunk...)).Select(series.FieldID, series.FieldDescription).All(ctx)
		if err != nil {
			return translate(err)
		}
		for _, sr := range srs {
			desc[sr.ID] = sr.Description
		}
	}
	for _, m := range rows {
		if m.SharesDescription && m.SeriesID != nil {
			m.Description = desc[*m.SeriesID]
		}
	}
	return nil
}
