package store

import (
	"context"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/actionitem"
	"github.com/debrief-hq/debrief/ent/meeting"
	"github.com/debrief-hq/debrief/ent/series"
	"github.com/debrief-hq/debrief/internal/agenda"
)

func (s *Store) Series(ctx context.Context, owner, id string) (agenda.Series, error) {
	sr, err := s.db.Ent.Series.Query().Where(series.OwnerID(owner), series.ID(id)).Only(ctx)
	if err != nil {
		return agenda.Series{}, notFound(err, "series")
	}
	out := agenda.Series{ID: sr.ID, Title: sr.Title}
	rows, err := s.db.Ent.Meeting.Query().Where(meeting.OwnerID(owner), meeting.SeriesID(id)).
		Order(ent.Desc(meeting.FieldStartsAt), ent.Desc(meeting.FieldID)).Limit(agenda.SeriesOccurrences).WithNote().All(ctx)
	if err != nil {
		return out, translate(err)
	}
	ms, err := s.withAttendees(ctx, rows)
	if err != nil {
		return out, err
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		occ := agenda.Occurrence{Meeting: ms[i]}
		if r.Edges.Note != nil {
			n := toNote(r.Edges.Note)
			occ.Note = &n
		}
		out.Occurrences = append(out.Occurrences, occ)
		ids[i] = r.ID
	}
	if out.Occurrences == nil {
		out.Occurrences = []agenda.Occurrence{}
	}
	items, err := s.db.Ent.ActionItem.Query().Where(actionitem.OwnerID(owner), actionitem.StatusEQ(actionitem.StatusOpen),
		actionitem.MeetingIDIn(ids...)).WithAssignee().Order(ent.Asc(actionitem.FieldID)).Limit(agenda.ListLimit).All(ctx)
	if err != nil {
		return out, translate(err)
	}
	out.OpenActionItems = mapSlice(items, toActionItem)
	return out, nil
}
