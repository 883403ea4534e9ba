package store

import (
	"context"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/actionitem"
	"github.com/debrief-hq/debrief/ent/attendance"
	"github.com/debrief-hq/debrief/ent/decision"
	"github.com/debrief-hq/debrief/ent/meeting"
	"github.com/debrief-hq/debrief/ent/question"
	"github.com/debrief-hq/debrief/internal/agenda"
)

// briefRelated bounds the related meetings a brief looks at (the most recent).
const briefRelated = 300

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
	related := []*ent.Meeting{}
	if len(ids) > 0 {
		if related, err = s.db.Ent.Meeting.Query().Where(meeting.OwnerID(owner), meeting.IDIn(ids...)).
			Order(ent.Desc(meeting.FieldStartsAt)).Limit(briefRelated).All(ctx); err != nil {
			return d, translate(err)
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
		decision.MeetingIDIn(scope...)).Order(ent.Desc(decision.FieldDecidedAt)).Limit(briefRelated).WithPeople().All(ctx)
	if err != nil {
		return d, translate(err)
	}
	d.Decisions = mapSlice(ds, toDecision)
	return d, nil
}
