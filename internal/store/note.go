package store

import (
	"context"
	"time"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/meeting"
	"github.com/debrief-hq/debrief/ent/note"
	"github.com/debrief-hq/debrief/ent/person"
	"github.com/debrief-hq/debrief/ent/predicate"
	"github.com/debrief-hq/debrief/internal/apperr"
	dnote "github.com/debrief-hq/debrief/internal/note"
)

// noteSubject checks the subject exists for owner and returns the predicate
// selecting its note.
func noteSubject(ctx context.Context, c *ent.Client, owner string, on dnote.Subject, id string) (predicate.Note, error) {
	switch on {
	case dnote.OnPerson:
		ok, err := c.Person.Query().Where(person.OwnerID(owner), person.ID(id)).Exist(ctx)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, apperr.NotFound("person")
		}
		return note.And(note.OwnerID(owner), note.PersonID(id)), nil
	default:
		ok, err := c.Meeting.Query().Where(meeting.OwnerID(owner), meeting.ID(id)).Exist(ctx)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, apperr.NotFound("meeting")
		}
		return note.And(note.OwnerID(owner), note.MeetingID(id)), nil
	}
}

// subjectNote selects the note on a meeting or person.
func subjectNote(owner string, on dnote.Subject, id string) predicate.Note {
	if on == dnote.OnPerson {
		return note.And(note.OwnerID(owner), note.PersonID(id))
	}
	return note.And(note.OwnerID(owner), note.MeetingID(id))
}

func (s *Store) GetNote(ctx context.Context, owner string, on dnote.Subject, id string) (*dnote.Note, error) {
	sel, err := noteSubject(ctx, s.db.Ent, owner, on, id)
	if err != nil {
		return nil, translate(err)
	}
	n, err := s.db.Ent.Note.Query().Where(sel).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, translate(err)
	}
	out := toNote(n)
	return &out, nil
}

func stale(current int) error {
	return apperr.PreconditionFailed("the note changed since you loaded it (it is now at version %d); reload it and apply your edit again", current)
}

func (s *Store) SaveNote(ctx context.Context, owner string, on dnote.Subject, id string, in dnote.SaveInput) (dnote.Note, error) {
	var out dnote.Note
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		n, err := tx.Note.Query().Where(subjectNote(owner, on, id)).Only(ctx)
		switch {
		case ent.IsNotFound(err):
			// No note yet: the subject must exist (and be the owner's).
			if _, err := noteSubject(ctx, tx, owner, on, id); err != nil {
				return err
			}
			if in.IfVersion != nil && *in.IfVersion != 0 {
				return stale(0)
			}
			c := tx.Note.Create().SetOwnerID(owner).SetBody(in.Body)
			if on == dnote.OnPerson {
				c.SetPersonID(id)
			} else {
				c.SetMeetingID(id)
			}
			created, err := c.Save(ctx)
			if ent.IsConstraintError(err) {
				// Another save created the note first.
				return stale(1)
			}
			if err == nil {
				out = toNote(created)
			}
			return err
		case err != nil:
			return err
		}
		if in.IfVersion != nil && *in.IfVersion != n.Version {
			return stale(n.Version)
		}
		// Compare-and-set on the version: of two concurrent saves of the same
		// version, exactly one wins.
		now := ts(time.Now())
		updated, err := tx.Note.Update().Where(note.ID(n.ID), note.Version(n.Version)).
			SetBody(in.Body).SetVersion(n.Version + 1).SetUpdatedAt(now).Save(ctx)
		if err != nil {
			return err
		}
		if updated == 0 {
			return stale(n.Version + 1)
		}
		n.Body, n.Version, n.UpdatedAt = in.Body, n.Version+1, now
		out = toNote(n)
		return nil
	})
	return out, err
}
