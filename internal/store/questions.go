package store

import (
	"context"
	"time"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/predicate"
	"github.com/debrief-hq/debrief/ent/question"
	"github.com/debrief-hq/debrief/internal/capture"
	"github.com/debrief-hq/debrief/internal/cursor"
	dquestion "github.com/debrief-hq/debrief/internal/question"
)

func toQuestion(q *ent.Question) dquestion.Question {
	return dquestion.Question{ID: q.ID, Text: q.Text, Status: dquestion.Status(q.Status), MeetingID: q.MeetingID,
		CreatedAt: q.CreatedAt.UTC(), AnsweredAt: utc(q.AnsweredAt), RemindAt: utc(q.RemindAt),
		InNote: q.NoteID != nil && q.DetachedAt == nil, PersonID: q.AboutPersonID, Answer: q.Answer}
}

// Question reads one question.
func (s *Store) Question(ctx context.Context, owner, id string) (dquestion.Question, error) {
	q, err := s.db.Ent.Question.Query().Where(question.OwnerID(owner), question.ID(id)).Only(ctx)
	if err != nil {
		return dquestion.Question{}, notFound(err, "question")
	}
	return toQuestion(q), nil
}

func (s *Store) UpdateQuestion(ctx context.Context, owner, id string, in dquestion.UpdateInput) (dquestion.Question, error) {
	var out *ent.Question
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		q, err := tx.Question.Query().Where(question.OwnerID(owner), question.ID(id)).Only(ctx)
		if err != nil {
			return notFound(err, "question")
		}
		u := tx.Question.UpdateOne(q).SetNillableText(in.Text).SetNillableRemindAt(tsp(in.RemindAt))
		if in.ClearRemind {
			u.ClearRemindAt()
		}
		status := in.Status
		if in.Answer != nil && status == nil {
			// An answer answers it; taking the answer back opens it again.
			st := dquestion.StatusAnswered
			if *in.Answer == "" {
				st = dquestion.Status(q.Status)
				if q.Status == question.StatusAnswered {
					st = dquestion.StatusOpen
				}
			}
			status = &st
		}
		if in.Answer != nil {
			if *in.Answer == "" {
				u.ClearAnswer()
			} else {
				u.SetAnswer(*in.Answer)
			}
		}
		if status != nil && *status != dquestion.Status(q.Status) {
			u.SetStatus(question.Status(*status))
			if *status == dquestion.StatusAnswered {
				u.SetAnsweredAt(ts(time.Now()))
			} else {
				u.ClearAnsweredAt()
			}
		}
		if out, err = u.Save(ctx); err != nil {
			return err
		}
		if err := s.markItem(ctx, tx, owner, out.MeetingID, out.ID); err != nil {
			return err
		}
		if in.Answer == nil || q.NoteID == nil || q.BlockID == nil || q.DetachedAt != nil {
			return nil
		}
		// The note says the answer under the question: the next save of the
		// note reads it from there.
		return s.rewriteNote(ctx, tx, owner, *q.NoteID, func(body string) (string, bool) {
			return capture.SetAnswer(body, *q.BlockID, *in.Answer)
		})
	})
	if err != nil {
		return dquestion.Question{}, err
	}
	return toQuestion(out), nil
}

func (s *Store) ListQuestions(ctx context.Context, owner string, f dquestion.Filter) (cursor.Result[dquestion.Question], error) {
	ps := []predicate.Question{question.OwnerID(owner)}
	if f.Status != "" {
		ps = append(ps, question.StatusEQ(question.Status(f.Status)))
	}
	if f.MeetingID != "" {
		ps = append(ps, question.MeetingID(f.MeetingID))
	}
	if f.Page.After != nil {
		ps = append(ps, question.IDGT(f.Page.After.ID))
	}
	rows, err := s.db.Ent.Question.Query().Where(ps...).Order(ent.Asc(question.FieldID)).Limit(f.Page.Limit + 1).All(ctx)
	if err != nil {
		return cursor.Result[dquestion.Question]{}, translate(err)
	}
	return cursor.Cut(mapSlice(rows, toQuestion), f.Page.Limit, idKey(func(q dquestion.Question) string { return q.ID })), nil
}
