package store

import (
	"cmp"
	"context"
	stdsql "database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/meeting"
	"github.com/debrief-hq/debrief/ent/note"
	"github.com/debrief-hq/debrief/ent/person"
	"github.com/debrief-hq/debrief/ent/personemail"
	"github.com/debrief-hq/debrief/ent/predicate"
	"github.com/debrief-hq/debrief/ent/searchpending"
	"github.com/debrief-hq/debrief/ent/user"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/capture"
	"github.com/debrief-hq/debrief/internal/events"
	dnote "github.com/debrief-hq/debrief/internal/note"
	"github.com/debrief-hq/debrief/internal/remind"
	"github.com/debrief-hq/debrief/internal/search"
)

// checkSubject reports NotFound unless the meeting or person exists and is
// the owner's.
func checkSubject(ctx context.Context, c *ent.Client, owner string, on dnote.Subject, id string) error {
	exists, what := c.Meeting.Query().Where(meeting.OwnerID(owner), meeting.ID(id)).Exist, "meeting"
	if on == dnote.OnPerson {
		exists, what = c.Person.Query().Where(person.OwnerID(owner), person.ID(id)).Exist, "person"
	}
	ok, err := exists(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.NotFound(what)
	}
	return nil
}

// subjectNote selects the note on a meeting or person.
func subjectNote(owner string, on dnote.Subject, id string) predicate.Note {
	if on == dnote.OnPerson {
		return note.And(note.OwnerID(owner), note.PersonID(id))
	}
	return note.And(note.OwnerID(owner), note.MeetingID(id))
}

func (s *Store) GetNote(ctx context.Context, owner string, on dnote.Subject, id string) (dnote.Note, error) {
	if err := checkSubject(ctx, s.db.Ent, owner, on, id); err != nil {
		return dnote.Note{}, translate(err)
	}
	n, err := s.db.Ent.Note.Query().Where(subjectNote(owner, on, id)).Only(ctx)
	if ent.IsNotFound(err) {
		return dnote.Note{}, dnote.NoneYet(on)
	}
	if err != nil {
		return dnote.Note{}, translate(err)
	}
	return toNote(n), nil
}

func stale(current int) error {
	return apperr.PreconditionFailed("the note changed since you loaded it (it is now at version %d); reload it and apply your edit again", current)
}

// publishNote tells the owner's open tabs that a note was saved, and, when
// they changed, its meeting's items.
func (s *Store) publishNote(ctx context.Context, tx *ent.Client, owner string, n *ent.Note, itemsChanged bool) error {
	e := events.Event{Owner: owner, Type: events.NoteSaved, Version: n.Version}
	if n.MeetingID != nil {
		e.Subject, e.ID = "meeting", *n.MeetingID
	} else if n.PersonID != nil {
		e.Subject, e.ID = "person", *n.PersonID
	}
	if err := s.publish(ctx, tx, e); err != nil {
		return err
	}
	if n.MeetingID != nil && itemsChanged {
		return s.publish(ctx, tx, events.Event{Owner: owner, Type: events.ItemsChanged, MeetingID: *n.MeetingID})
	}
	return nil
}

// errCreateRace marks a first save that lost to a concurrent first save.
var errCreateRace = errors.New("note created concurrently")

func (s *Store) SaveNote(ctx context.Context, owner string, on dnote.Subject, id string, in dnote.SaveInput, ex dnote.Extraction) (dnote.Saved, error) {
	for attempt := 0; ; attempt++ {
		out, err := s.saveNote(ctx, owner, on, id, in, ex)
		// Two first saves at once: without a precondition the loser simply
		// saves again, over the winner.
		if errors.Is(err, errCreateRace) && in.IfVersion == nil && attempt < 2 {
			continue
		}
		if errors.Is(err, errCreateRace) {
			return out, stale(1)
		}
		return out, err
	}
}

func (s *Store) saveNote(ctx context.Context, owner string, on dnote.Subject, id string, in dnote.SaveInput, ex dnote.Extraction) (dnote.Saved, error) {
	var out dnote.Saved
	var meetingID *string
	if on == dnote.OnMeeting {
		meetingID = &id
	}
	// Every mention of an item decides its owner or people; the others
	// only feed the list of mentions that matched nobody.
	var owning []capture.Mention
	for _, it := range ex.Items {
		owning = append(owning, it.Mentions...)
	}
	res, err := s.resolveMentions(ctx, owner, meetingID, append(owning, ex.Mentions...), len(owning))
	if err != nil {
		return out, translate(err)
	}
	if meetingID != nil && slices.ContainsFunc(ex.Items, func(it capture.Item) bool {
		return it.Kind == capture.KindAction && it.Due != "" || it.Kind == capture.KindDecision
	}) {
		// When the meeting starts: relative due dates count from it once it
		// is past, and decisions are dated by it (one point read).
		var start time.Time
		err := s.db.SQL.QueryRowContext(ctx, "SELECT starts_at FROM meetings WHERE id = "+s.placeholder(1)+" AND owner_id = "+s.placeholder(2),
			*meetingID, owner).Scan(&start)
		switch {
		case err == nil:
			ex.MeetingStart = &start
		case !errors.Is(err, stdsql.ErrNoRows):
			return out, translate(err)
		}
	}
	if res.self, err = s.selfPeople(ctx, owner, ex.Items); err != nil {
		return out, translate(err)
	}
	ex.MorningHour = 9
	if slices.ContainsFunc(ex.Items, func(it capture.Item) bool { return it.Remind != "" }) {
		raw, err := s.ReminderSettings(ctx, owner)
		if err != nil {
			return out, err
		}
		ex.MorningHour = remind.LoadSettings(raw, false).MorningHour
	}
	err = s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		var n *ent.Note
		var items map[itemKey]*noteItem // the note's items, by kind and line
		created, marked := false, false
		if s.db.Dialect == dialect.Postgres && on == dnote.OnMeeting && len(ex.Items) == 0 {
			// The common save, an existing meeting note without item lines,
			// in one statement (else nothing was written, and the save goes
			// the long way, which tells why).
			var err error
			if n, items, err = s.saveMeetingNoteBody(ctx, tx, owner, id, in); err != nil {
				return err
			}
			marked = n != nil
		}
		if n == nil {
			var err error
			if n, items, created, err = s.writeNote(ctx, tx, owner, on, id, &in, &ex); err != nil {
				return err
			}
		}
		unresolved, itemsChanged, replan, err := s.reconcile(ctx, tx, owner, n, ex, res, items)
		if err != nil {
			return err
		}
		out = dnote.Saved{Note: toNote(n), Unresolved: unresolved}
		if err := s.publishNote(ctx, tx, owner, n, itemsChanged); err != nil {
			return err
		}
		// A meeting's first note gives it a recap; some item changes move
		// reminders. (Other saves leave the plan as it is.)
		if created && on == dnote.OnMeeting || replan {
			if err := s.replan(ctx, owner); err != nil {
				return err
			}
		}
		// The note's text changed and its items did not: its document
		// alone is written again (the meeting's own and its items' did not
		// change).
		switch {
		case marked && !itemsChanged:
			return nil
		case on == dnote.OnMeeting && !created && !itemsChanged:
			return s.markSearch(ctx, tx, owner, search.KeyNote(id))
		case on == dnote.OnMeeting:
			return s.markMeetings(ctx, tx, owner, id)
		}
		return s.markNoteItems(ctx, tx, owner, n.ID)
	})
	return out, err
}

// writeNote saves the note the long way: read and locked, or created, then
// written, placing the item lines' block ids (in.Body and ex.Items change
// with them). It returns the note as saved, its items before the save, and
// whether it was created.
func (s *Store) writeNote(ctx context.Context, tx *ent.Client, owner string, on dnote.Subject, id string, in *dnote.SaveInput, ex *dnote.Extraction) (*ent.Note, map[itemKey]*noteItem, bool, error) {
	var items map[itemKey]*noteItem
	q := tx.Note.Query().Where(subjectNote(owner, on, id))
	if s.db.Dialect == dialect.Postgres {
		// Concurrent saves of one note queue here, so each reconciles the
		// items the previous one left.
		q = q.ForUpdate()
	}
	n, err := q.Only(ctx)
	created := ent.IsNotFound(err)
	switch {
	case ent.IsNotFound(err):
		// No note yet: the subject must exist (and be the owner's).
		if err := checkSubject(ctx, tx, owner, on, id); err != nil {
			return nil, nil, false, err
		}
		if in.IfVersion != nil && *in.IfVersion != 0 {
			return nil, nil, false, stale(0)
		}
		ex.Items, in.Body = placeLines(in.Body, ex.Items, nil)
		c := tx.Note.Create().SetOwnerID(owner).SetBody(in.Body)
		if on == dnote.OnPerson {
			c.SetPersonID(id)
		} else {
			c.SetMeetingID(id)
		}
		n, err = c.Save(ctx)
		if ent.IsConstraintError(err) {
			return nil, nil, false, errCreateRace
		}
		if err != nil {
			return nil, nil, false, err
		}
	case err != nil:
		return nil, nil, false, err
	default:
		if in.IfVersion != nil && *in.IfVersion != n.Version {
			return nil, nil, false, stale(n.Version)
		}
		now := ts(time.Now())
		if len(ex.Items) == 0 && s.db.Dialect == dialect.Postgres {
			// No item lines: the body is saved as it came, and whether
			// the note had items (to close) comes back with the update,
			// one round trip instead of two.
			has, err := s.updateNoteBody(ctx, tx, n.ID, n.Version, in.Body, now)
			if err == nil {
				items, err = s.itemsIf(ctx, tx, has, n.ID)
			}
			if err != nil {
				return nil, nil, false, err
			}
		} else {
			if items, err = s.noteItems(ctx, tx, n.ID, len(ex.Items) > 0); err != nil {
				return nil, nil, false, err
			}
			ex.Items, in.Body = placeLines(in.Body, ex.Items, items)
			// Compare-and-set on the version: of two concurrent saves of
			// the same version, exactly one wins.
			updated, err := tx.Note.Update().Where(note.ID(n.ID), note.Version(n.Version)).
				SetBody(in.Body).SetVersion(n.Version + 1).SetUpdatedAt(now).Save(ctx)
			if err != nil {
				return nil, nil, false, err
			}
			if updated == 0 {
				return nil, nil, false, stale(n.Version + 1)
			}
		}
		n.Body, n.Version, n.UpdatedAt = in.Body, n.Version+1, now
	}
	return n, items, created, nil
}

// saveMeetingNoteBody saves body as the meeting's note if it has one (at
// the version asked for, if any), reads the items that came from it, and
// marks the note for the search index: one statement where the long way
// takes three. A nil note means nothing was written: there is no note yet,
// the version differs, or the meeting is not the owner's.
func (s *Store) saveMeetingNoteBody(ctx context.Context, tx *ent.Client, owner, meetingID string, in dnote.SaveInput) (*ent.Note, map[itemKey]*noteItem, error) {
	now := ts(time.Now())
	var ifVersion *int64
	if in.IfVersion != nil {
		v := int64(*in.IfVersion)
		ifVersion = &v
	}
	rows, err := tx.QueryContext(ctx, `WITH saved AS (
	UPDATE notes SET body = $1, version = version + 1, updated_at = $2
	WHERE owner_id = $3 AND meeting_id = $4 AND ($5::bigint IS NULL OR version = $5)
	RETURNING id, version, created_at),
waiting AS (SELECT id FROM search_pendings WHERE owner_id = $3 LIMIT 1 FOR SHARE),
marked AS (INSERT INTO search_pendings (created_at, updated_at, owner_id, id, key) SELECT $2, $2, $3, $6, $7 FROM saved)
SELECT id, version, created_at, `+itemsExist("saved.id")+`, (SELECT count(*) FROM waiting) FROM saved`,
		in.Body, now, owner, meetingID, ifVersion, searchpending.DefaultID(), search.KeyNote(meetingID))
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, nil, rows.Err()
	}
	n := &ent.Note{OwnerID: owner, MeetingID: &meetingID, Body: in.Body, UpdatedAt: now}
	var has bool
	var waiting int
	if err := rows.Scan(&n.ID, &n.Version, &n.CreatedAt, &has, &waiting); err != nil {
		return nil, nil, err
	}
	if err := rows.Close(); err != nil {
		return nil, nil, err
	}
	if err := s.markedSearch(ctx, owner, 1, waiting > 0); err != nil {
		return nil, nil, err
	}
	items, err := s.itemsIf(ctx, tx, has, n.ID)
	return n, items, err
}

// itemsIf reads the note's items when it has any.
func (s *Store) itemsIf(ctx context.Context, tx *ent.Client, has bool, noteID string) (map[itemKey]*noteItem, error) {
	if !has {
		return nil, nil
	}
	return loadNoteItems(ctx, tx, s.queries.noteItems, noteID)
}

// updateNoteBody writes a note's body as version+1 if it is still at
// version (else the save is stale), and reports whether any item came from
// the note (PostgreSQL: one statement).
func (s *Store) updateNoteBody(ctx context.Context, tx *ent.Client, id string, version int, body string, now time.Time) (bool, error) {
	rows, err := tx.QueryContext(ctx, `UPDATE notes SET body = $1, version = $2 + 1, updated_at = $3 WHERE id = $4 AND version = $2
RETURNING `+itemsExist("$4"), body, version, now, id)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return false, err
		}
		return false, stale(version + 1)
	}
	var has bool
	if err := rows.Scan(&has); err != nil {
		return false, err
	}
	return has, rows.Err()
}

// placeLines gives a saved note's item lines their block ids: a line
// without one continues the item it matches (capture.Match), any other
// gets a new one, appended to its line in the returned body.
func placeLines(body string, lines []capture.Item, items map[itemKey]*noteItem) ([]capture.Item, string) {
	if len(lines) == 0 {
		return lines, body
	}
	if capture.AllClaimed(lines) || len(items) == 0 {
		// Every line carries its own id (the common save): nothing to match.
		body, lines = capture.AssignBlockIDs(body, lines, nil)
		return lines, body
	}
	known := make([]capture.Known, 0, len(items))
	for k, it := range items {
		known = append(known, capture.Known{Kind: k.kind, BlockID: k.block, Text: it.line, Gone: it.detached})
	}
	// The oldest first: of two items with one text, a line takes the one
	// made first.
	slices.SortFunc(known, func(a, b capture.Known) int {
		return cmp.Or(items[itemKey{a.Kind, a.BlockID}].created.Compare(items[itemKey{b.Kind, b.BlockID}].created),
			cmp.Compare(a.BlockID, b.BlockID))
	})
	body, lines = capture.AssignBlockIDs(body, capture.Match(lines, known), nil)
	return lines, body
}

// selfPeople are the writer's own people (by the account's address), read
// only when a line names an owner.
func (s *Store) selfPeople(ctx context.Context, owner string, items []capture.Item) (map[string]bool, error) {
	if !slices.ContainsFunc(items, func(it capture.Item) bool { return it.Kind == capture.KindAction && capture.Owner(it) >= 0 }) {
		return nil, nil
	}
	email, err := s.db.Ent.User.Query().Where(user.ID(owner)).Select(user.FieldEmail).String(ctx)
	if err != nil {
		return nil, err
	}
	ids, err := s.db.Ent.PersonEmail.Query().Where(personemail.OwnerID(owner), personemail.Email(strings.ToLower(email))).
		Select(personemail.FieldPersonID).Strings(ctx)
	if err != nil {
		return nil, err
	}
	self := make(map[string]bool, len(ids))
	for _, id := range ids {
		self[id] = true
	}
	return self, nil
}
