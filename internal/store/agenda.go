package store

import (
	"context"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/actionitem"
	"github.com/debrief-hq/debrief/ent/meeting"
	"github.com/debrief-hq/debrief/ent/question"
	"github.com/debrief-hq/debrief/internal/agenda"
)

func (s *Store) Day(ctx context.Context, owner string, start, end time.Time) (agenda.Today, error) {
	start, end = ts(start), ts(end)
	var t agenda.Today
	rows, err := s.db.Ent.Meeting.Query().
		Where(meeting.OwnerID(owner), meeting.StartsAtLT(end), meeting.EndsAtGT(start), meeting.HiddenAtIsNil()).
		Order(ent.Asc(meeting.FieldStartsAt), ent.Asc(meeting.FieldID)).Limit(agenda.ListLimit).All(ctx)
	if err != nil {
		return t, translate(err)
	}
	if t.Meetings, err = s.withAttendees(ctx, rows); err != nil {
		return t, err
	}
	open, err := s.db.Ent.ActionItem.Query().
		Where(actionitem.OwnerID(owner), actionitem.StatusEQ(actionitem.StatusOpen), actionitem.AssigneeIDIsNil(),
			actionitem.Or(actionitem.DueAtIsNil(), actionitem.DueAtGTE(start))).
		Order(actionitem.ByDueAt(sql.OrderNullsLast()), actionitem.ByID()).Limit(agenda.ListLimit).All(ctx)
	if err != nil {
		return t, translate(err)
	}
	t.OpenActionItems = mapSlice(open, toActionItem)
	overdue, err := s.db.Ent.ActionItem.Query().
		Where(actionitem.OwnerID(owner), actionitem.StatusEQ(actionitem.StatusOpen), actionitem.DueAtLT(start)).
		WithAssignee().Order(ent.Asc(actionitem.FieldDueAt), ent.Asc(actionitem.FieldID)).Limit(agenda.ListLimit).All(ctx)
	if err != nil {
		return t, translate(err)
	}
	t.Overdue = mapSlice(overdue, toActionItem)
	qs, err := s.db.Ent.Question.Query().Where(question.OwnerID(owner), question.StatusEQ(question.StatusOpen)).
		Order(ent.Desc(question.FieldID)).Limit(agenda.ListLimit).All(ctx)
	if err != nil {
		return t, translate(err)
	}
	t.OpenQuestions = mapSlice(qs, toQuestion)
	return t, nil
}
