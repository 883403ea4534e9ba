package store

import (
	"context"
	"sort"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/actionitem"
	"github.com/debrief-hq/debrief/ent/attendance"
	"github.com/debrief-hq/debrief/ent/decision"
	"github.com/debrief-hq/debrief/ent/meeting"
	"github.com/debrief-hq/debrief/ent/question"
	"github.com/debrief-hq/debrief/internal/agenda"
)

// briefCandidates bounds the meetings sharing attendees that a brief reads
// (those sharing the most), briefRelated those it keeps (the most recent).
const (
	briefCandidates = 2000
	briefRelated    = 300
)

func (s *Store) BriefData(ctx context.Context, owner, id string) (agenda.BriefData, error) {
	var d agenda.BriefData
	m, err := s.meeting(ctx, owner, id)
	if err != nil {
		return d, err
	}
	d.Meeting = m
	people := make([]string, len(m.Attendees))
	for i, a := range m.Attendees {
		people[i] = a.PersonID
	}
	// Meetings sharing attendees, with how many they share.
	common := map[string]int{}
	if len(people) > 0 {
		var rows []struct {
			MeetingID string `json:"meeting_id"`
			Count     int    `json:"count"`
		}
		err := s.db.Ent.Attendance.Query().
			Where(attendance.OwnerID(owner), attendance.PersonIDIn(people...), attendance.MeetingIDNEQ(id)).
			GroupBy(attendance.FieldMeetingID).Aggregate(ent.Count()).Scan(ctx, &rows)
		if err != nil {
			return d, translate(err)
		}
		for _, r := range rows {
			common[r.MeetingID] = r.Count
		}
	}
	ids := make([]string, 0, len(common))
	for mid := range common {
		ids = append(ids, mid)
	}
	// The most relevant first when there are very many.
	sort.Slice(ids, func(i, j int) bool {
		if common[ids[i]] != common[ids[j]] {
			return common[ids[i]] > common[ids[j]]
		}
		return ids[i] > ids[j]
	})
	if len(ids) > briefCandidates {
		ids = ids[:briefCandidates]
	}
	related := []*ent.Meeting{}
	if len(ids) > 0 {
		// By primary key only: the ids come from the owner's own attendances,
		// and with owner_id (or an ORDER BY) in the query SQLite may walk all
		// of the owner's meetings instead.
		if related, err = s.db.Ent.Meeting.Query().Where(meeting.IDIn(ids...)).
			Select(meeting.FieldID, meeting.FieldTitle, meeting.FieldStartsAt, meeting.FieldEndsAt, meeting.FieldSeriesID).All(ctx); err != nil {
			return d, translate(err)
		}
		sort.Slice(related, func(i, j int) bool { return related[i].StartsAt.After(related[j].StartsAt) })
		if len(related) > briefRelated {
			related = related[:briefRelated]
		}
	}
	var series []*ent.Meeting
	if m.SeriesID != nil {
		if series, err = s.db.Ent.Meeting.Query().
			Where(meeting.OwnerID(owner), meeting.SeriesID(*m.SeriesID), meeting.IDNEQ(id), meeting.StartsAtLT(m.StartsAt)).
			Order(ent.Desc(meeting.FieldStartsAt)).Limit(agenda.BriefPrevious).WithNote().All(ctx); err != nil {
			return d, translate(err)
		}
	}
	seriesMeetings, err := s.withAttendees(ctx, series)
	if err != nil {
		return d, err
	}
	scope := []string{id}
	seen := map[string]bool{id: true}
	for i, sm := range series {
		r := agenda.Related{Meeting: seriesMeetings[i], SameSeries: true, Common: common[sm.ID]}
		if sm.Edges.Note != nil {
			r.NoteBody = sm.Edges.Note.Body
		}
		d.Related = append(d.Related, r)
		scope, seen[sm.ID] = append(scope, sm.ID), true
	}
	for _, rm := range related {
		if seen[rm.ID] {
			continue
		}
		sameSeries := m.SeriesID != nil && rm.SeriesID != nil && *rm.SeriesID == *m.SeriesID
		d.Related = append(d.Related, agenda.Related{Meeting: toMeetingWith(rm, nil), SameSeries: sameSeries, Common: common[rm.ID]})
		scope, seen[rm.ID] = append(scope, rm.ID), true
	}

	iOwe, err := s.db.Ent.ActionItem.Query().Where(actionitem.OwnerID(owner), actionitem.StatusEQ(actionitem.StatusOpen),
		actionitem.AssigneeIDIsNil(), actionitem.MeetingIDIn(scope...)).Limit(briefRelated).All(ctx)
	if err != nil {
		return d, translate(err)
	}
	d.IOwe = mapSlice(iOwe, toActionItem)
	if len(people) > 0 {
		owed, err := s.db.Ent.ActionItem.Query().Where(actionitem.OwnerID(owner), actionitem.StatusEQ(actionitem.StatusOpen),
			actionitem.AssigneeIDIn(people...)).WithAssignee().Limit(briefRelated).All(ctx)
		if err != nil {
			return d, translate(err)
		}
		d.OwedToMe = mapSlice(owed, toActionItem)
	}
	qs, err := s.db.Ent.Question.Query().Where(question.OwnerID(owner), question.StatusEQ(question.StatusOpen),
		question.MeetingIDIn(scope...)).Limit(briefRelated).All(ctx)
	if err != nil {
		return d, translate(err)
	}
	d.Questions = mapSlice(qs, toQuestion)
	ds, err := s.db.Ent.Decision.Query().Where(decision.OwnerID(owner), decision.SupersededByIDIsNil(),
		decision.DetachedAtIsNil(), decision.MeetingIDIn(scope...)).Order(ent.Desc(decision.FieldDecidedAt)).Limit(briefRelated).WithPeople().All(ctx)
	if err != nil {
		return d, translate(err)
	}
	d.Decisions = mapSlice(ds, toDecision)
	return d, nil
}
