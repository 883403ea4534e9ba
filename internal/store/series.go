package store

import (
	"context"
	"maps"
	"slices"

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
