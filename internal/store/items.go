package store

import (
	"context"
	"time"

	"entgo.io/ent/dialect"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/meeting"
	"github.com/debrief-hq/debrief/ent/note"
	"github.com/debrief-hq/debrief/ent/person"
	"github.com/debrief-hq/debrief/internal/cursor"
)

func idKey[T any](id func(T) string) func(T) cursor.Key {
	return func(v T) cursor.Key { return cursor.Key{ID: id(v)} }
}

func checkRefs(ctx context.Context, tx *ent.Client, owner string, personID, meetingID *string) error {
	if personID != nil {
		if err := mustExist(ctx, tx.Person.Query().Where(person.OwnerID(owner), person.ID(*personID)).Exist, "owner_id", "person"); err != nil {
			return err
		}
	}
	if meetingID != nil {
		if err := mustExist(ctx, tx.Meeting.Query().Where(meeting.OwnerID(owner), meeting.ID(*meetingID)).Exist, "meeting_id", "meeting"); err != nil {
			return err
		}
	}
	return nil
}

func dedupe(ids []string) []string {
	seen := map[string]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			out = append(out, id)
		}
		seen[id] = true
	}
	return out
}

// rewriteNote changes a note's body in the writer's transaction (a new
// version, the open tabs told) when edit finds what it changes.
func (s *Store) rewriteNote(ctx context.Context, tx *ent.Client, owner, noteID string, edit func(body string) (string, bool)) error {
	q := tx.Note.Query().Where(note.ID(noteID), note.OwnerID(owner))
	if s.db.Dialect == dialect.Postgres {
		q = q.ForUpdate()
	}
	n, err := q.Only(ctx)
	if err != nil {
		return err
	}
	body, found := edit(n.Body)
	if !found || body == n.Body {
		return nil
	}
	if err := tx.Note.UpdateOne(n).SetBody(body).SetVersion(n.Version + 1).SetUpdatedAt(ts(time.Now())).Exec(ctx); err != nil {
		return err
	}
	n.Version++
	return s.publishNote(ctx, tx, owner, n, false) // the item's own write says its meeting's items changed
}
