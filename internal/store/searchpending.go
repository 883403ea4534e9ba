package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/actionitem"
	"github.com/debrief-hq/debrief/ent/attendance"
	"github.com/debrief-hq/debrief/ent/decision"
	"github.com/debrief-hq/debrief/ent/meeting"
	"github.com/debrief-hq/debrief/ent/note"
	"github.com/debrief-hq/debrief/ent/person"
	"github.com/debrief-hq/debrief/ent/question"
	"github.com/debrief-hq/debrief/ent/searchpending"
	"github.com/debrief-hq/debrief/internal/events"
	"github.com/debrief-hq/debrief/internal/search"
)

// markSearch records, in the write's transaction, that owner's documents
// named by keys (search.Key…) changed, and, when the owner's outbox was
// empty, queues the owner's index update in the same transaction: the
// change is indexed if and only if it commits. Rows already waiting have
// an update queued or running, which works until the outbox is empty (on
// PostgreSQL the waiting row is share-locked, so that the update cannot
// delete it and find the outbox empty before this write commits).
func (s *Store) markSearch(ctx context.Context, tx *ent.Client, owner string, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	st := txFrom(ctx)
	queue := s.searchQueue != nil && st != nil && !st.searchQueued[owner]
	waiting := false
	switch {
	case queue && s.db.Dialect == dialect.Postgres && len(keys) <= 100:
		// One round trip: the rows, and whether others were waiting.
		n, err := insertPendingPG(ctx, tx, owner, keys)
		if err != nil {
			return err
		}
		return s.markedSearch(ctx, owner, len(keys), n > 0)
	default:
		if queue {
			q := tx.SearchPending.Query().Where(searchpending.OwnerID(owner)).Limit(1)
			if s.db.Dialect == dialect.Postgres {
				q.ForShare()
			}
			ids, err := q.IDs(ctx)
			if err != nil {
				return err
			}
			waiting = len(ids) > 0
		}
		now := searchpending.DefaultCreatedAt()
		rows := make([][]any, len(keys))
		for i, k := range keys {
			rows[i] = []any{searchpending.DefaultID(), k}
		}
		cols := []string{searchpending.FieldCreatedAt, searchpending.FieldUpdatedAt, searchpending.FieldOwnerID, searchpending.FieldID, searchpending.FieldKey}
		if err := bulkInsert(ctx, tx, s.db.Dialect, searchpending.Table, cols, []any{now, now, owner}, rows); err != nil {
			return err
		}
	}
	if !queue || waiting {
		return nil
	}
	return s.queueSearch(ctx, owner)
}

// markedSearch is markSearch's end for outbox rows written on PostgreSQL
// together with a write (n of them), waiting telling whether other rows
// of the owner's were share-locked, and so have their update queued.
func (s *Store) markedSearch(ctx context.Context, owner string, n int, waiting bool) error {
	st := txFrom(ctx)
	if st == nil {
		return nil
	}
	st.rows += n
	if waiting || s.searchQueue == nil || st.searchQueued[owner] {
		return nil
	}
	return s.queueSearch(ctx, owner)
}

// queueSearch queues owner's index update in the transaction in ctx.
func (s *Store) queueSearch(ctx context.Context, owner string) error {
	st := txFrom(ctx)
	if err := s.searchQueue(ctx, st.tx, owner); err != nil {
		return err
	}
	st.searchQueued[owner] = true
	return nil
}

// insertPendingPG writes outbox rows for keys and returns how many of the
// owner's rows were waiting before them (0 or 1), share-locking the one
// it saw: the writes of one owner hold it together (FOR UPDATE made them
// take turns, a note save at a time per account).
func insertPendingPG(ctx context.Context, tx *ent.Client, owner string, keys []string) (int, error) {
	args := []any{searchpending.DefaultCreatedAt(), owner}
	values := make([]string, len(keys))
	for i, k := range keys {
		args = append(args, searchpending.DefaultID(), k)
		values[i] = fmt.Sprintf("($1, $1, $2, $%d, $%d)", len(args)-1, len(args))
	}
	rows, err := tx.QueryContext(ctx, `WITH waiting AS (SELECT id FROM search_pendings WHERE owner_id = $2 LIMIT 1 FOR SHARE)
INSERT INTO search_pendings (created_at, updated_at, owner_id, id, key) VALUES `+strings.Join(values, ", ")+`
RETURNING (SELECT count(*) FROM waiting)`, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	waiting := 0
	for rows.Next() {
		if err := rows.Scan(&waiting); err != nil {
			return 0, err
		}
	}
	return waiting, rows.Err()
}

// markMeetings is markSearch for meetings: past bulkMeetings of them (a
// calendar's first sync) the owner's documents are rebuilt whole, which is
// cheaper than a row for each.
func (s *Store) markMeetings(ctx context.Context, tx *ent.Client, owner string, ids ...string) error {
	return s.markMeetingsAndPeople(ctx, tx, owner, ids, nil)
}

// markMeetingsAndPeople is markMeetings for meetings whose attendees were
// set, with the people created or renamed then: a person's document does
// not depend on their meetings, so the others are left alone (re-writing
// every attendee of every meeting made was most of the index updates'
// work after a burst of new meetings).
func (s *Store) markMeetingsAndPeople(ctx context.Context, tx *ent.Client, owner string, meetings, people []string) error {
	if len(meetings)+len(people) > bulkMeetings {
		return s.markSearch(ctx, tx, owner, search.KeyAll)
	}
	keys := make([]string, 0, len(meetings)+len(people))
	for _, id := range meetings {
		keys = append(keys, search.KeyMeeting(id))
	}
	for _, id := range people {
		keys = append(keys, search.KeyPerson(id))
	}
	return s.markSearch(ctx, tx, owner, keys...)
}

const bulkMeetings = 1000

// PendingSearch reads the oldest of owner's outbox rows.
func (s *Store) PendingSearch(ctx context.Context, owner string, limit int) ([]search.Pending, error) {
	rows, err := s.db.Ent.SearchPending.Query().Where(searchpending.OwnerID(owner)).
		Order(ent.Asc(searchpending.FieldID)).Limit(limit).All(ctx)
	if err != nil {
		return nil, translate(err)
	}
	out := make([]search.Pending, len(rows))
	for i, r := range rows {
		out[i] = search.Pending{ID: r.ID, Key: r.Key}
	}
	return out, nil
}

// LockSearch takes owner's index update (search.Graph). On PostgreSQL it is
// a session's advisory lock, held on a connection of its own until unlock,
// so that every instance sees it; and given back with the session if the
// process dies. The key is a 64-bit hash of the owner's id: two owners
// sharing one would only make one's update wait for the stale-outbox
// sweep.
func (s *Store) LockSearch(ctx context.Context, owner string) (func(), bool, error) {
	if s.db.Dialect != dialect.Postgres {
		// One process has a SQLite database: its lock is every lock.
		if _, held := s.searchLocks.LoadOrStore(owner, true); held {
			return nil, false, nil
		}
		return func() { s.searchLocks.Delete(owner) }, true, nil
	}
	const key = "hashtextextended('debrief search ' || $1, 0)"
	conn, err := s.db.SQL.Conn(ctx)
	if err != nil {
		return nil, false, err
	}
	var ok bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock("+key+")", owner).Scan(&ok); err != nil || !ok {
		conn.Close()
		return nil, false, err
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		var released bool
		if err := conn.QueryRowContext(ctx, "SELECT pg_advisory_unlock("+key+")", owner).Scan(&released); err != nil || !released {
			// The session may hold it still: it is closed, not pooled.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}, true, nil
}

// DonePendingSearch deletes applied outbox rows.
func (s *Store) DonePendingSearch(ctx context.Context, ids []string) error {
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		for chunk := range slices.Chunk(ids, applyChunk) {
			if _, err := tx.SearchPending.Delete().Where(searchpending.IDIn(chunk...)).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
}

// PendingSearchOwners are the owners with outbox rows written before
// before (zero: any), whose updates start-up repair and the scheduler
// queue again.
func (s *Store) PendingSearchOwners(ctx context.Context, before time.Time) ([]string, error) {
	q := s.db.Ent.SearchPending.Query()
	if !before.IsZero() {
		q.Where(searchpending.CreatedAtLT(ts(before)))
	}
	owners, err := q.Unique(true).Select(searchpending.FieldOwnerID).Strings(ctx)
	return owners, translate(err)
}

// ReindexAll marks every account's documents for rebuilding (start-up
// repair of an index that is behind the database).
func (s *Store) ReindexAll(ctx context.Context) error {
	owners, err := s.UserIDs(ctx)
	if err != nil {
		return err
	}
	for _, o := range owners {
		if err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
			return s.markSearch(ctx, tx, o, search.KeyAll)
		}); err != nil {
			return err
		}
	}
	return nil
}

// SearchDocumentCount is how many documents a complete index holds for an
// owner ("": every account): start-up repair compares it with the
// index's count, and a reindex shows its progress against it.
func (s *Store) SearchDocumentCount(ctx context.Context, owner string) (uint64, error) {
	c := s.db.Ent
	mq, nq, dq := c.Meeting.Query(), c.Note.Query().Where(note.MeetingIDNotNil(), note.BodyNEQ("")), c.Decision.Query()
	aq, qq, pq := c.ActionItem.Query(), c.Question.Query(), c.Person.Query()
	if owner != "" {
		mq.Where(meeting.OwnerID(owner))
		nq.Where(note.OwnerID(owner))
		dq.Where(decision.OwnerID(owner))
		aq.Where(actionitem.OwnerID(owner))
		qq.Where(question.OwnerID(owner))
		pq.Where(person.OwnerID(owner))
	}
	var total uint64
	for _, count := range []func(context.Context) (int, error){mq.Count, nq.Count, dq.Count, aq.Count, qq.Count, pq.Count} {
		n, err := count(ctx)
		if err != nil {
			return 0, translate(err)
		}
		total += uint64(n)
	}
	return total, nil
}

// markItem marks a decision, action item or question: its meeting's
// documents, or its own when it belongs to no meeting.
func (s *Store) markItem(ctx context.Context, tx *ent.Client, owner string, meetingID *string, id string) error {
	// The owner's open tabs hear of it too.
	e := events.Event{Owner: owner, Type: events.ItemsChanged}
	if meetingID != nil {
		e.MeetingID = *meetingID
	}
	if err := s.publish(ctx, tx, e); err != nil {
		return err
	}
	// Its reminders follow it.
	if err := s.replan(ctx, owner); err != nil {
		return err
	}
	if meetingID != nil {
		return s.markMeetings(ctx, tx, owner, *meetingID)
	}
	return s.markSearch(ctx, tx, owner, search.KeyLoose(id))
}

// markPerson marks a person whose name or addresses changed: its own
// document, and those that carry them (the meetings it attends, with what
// was captured in them, and the decisions and items outside meetings it
// is named in).
func (s *Store) markPerson(ctx context.Context, tx *ent.Client, owner, id string) error {
	meetings, err := tx.Attendance.Query().Where(attendance.OwnerID(owner), attendance.PersonID(id)).
		Select(attendance.FieldMeetingID).Strings(ctx)
	if err != nil {
		return err
	}
	if err := s.markMeetings(ctx, tx, owner, meetings...); err != nil {
		return err
	}
	keys, err := looseKeys(ctx, []string{search.KeyPerson(id)},
		tx.ActionItem.Query().Where(actionitem.OwnerID(owner), actionitem.AssigneeID(id), actionitem.MeetingIDIsNil()).IDs,
		tx.Decision.Query().Where(decision.OwnerID(owner), decision.HasPeopleWith(person.ID(id)), decision.MeetingIDIsNil()).IDs)
	if err != nil {
		return err
	}
	return s.markSearch(ctx, tx, owner, keys...)
}

// markNoteItems marks what was captured in a note outside meetings (a
// person's note): each is indexed on its own.
func (s *Store) markNoteItems(ctx context.Context, tx *ent.Client, owner, noteID string) error {
	keys, err := looseKeys(ctx, nil,
		tx.ActionItem.Query().Where(actionitem.OwnerID(owner), actionitem.NoteID(noteID), actionitem.MeetingIDIsNil()).IDs,
		tx.Decision.Query().Where(decision.OwnerID(owner), decision.NoteID(noteID), decision.MeetingIDIsNil()).IDs,
		tx.Question.Query().Where(question.OwnerID(owner), question.NoteID(noteID), question.MeetingIDIsNil()).IDs)
	if err != nil {
		return err
	}
	return s.markSearch(ctx, tx, owner, keys...)
}

// looseKeys appends to keys the outbox keys of the items the queries list.
func looseKeys(ctx context.Context, keys []string, queries ...func(context.Context) ([]string, error)) ([]string, error) {
	for _, ids := range queries {
		got, err := ids(ctx)
		if err != nil {
			return nil, err
		}
		for _, i := range got {
			keys = append(keys, search.KeyLoose(i))
		}
	}
	return keys, nil
}

// MarkMissingSearch marks for the index the owner's documents it lacks —
// those of the graph whose ids are not among have (sorted) — by what
// their update key is (their meeting, person or loose item), and returns
// how many keys it marked. Start-up repair runs it for an owner whose
// index holds fewer documents than the graph: a document lost in a crash
// is written again, not the owner's whole index (or everyone's, which on
// a large account took 10 GB).
func (s *Store) MarkMissingSearch(ctx context.Context, owner string, have []string) (int, error) {
	missing := map[string]bool{}
	in := func(id string) bool {
		_, ok := slices.BinarySearch(have, id)
		return ok
	}
	// Each kind of document, with the key that rewrites it.
	kinds := []struct {
		table string
		where string
		key   func(r docRow) string
	}{
		{meeting.Table, "", func(r docRow) string { return search.KeyMeeting(r.ID) }},
		{note.Table, "meeting_id IS NOT NULL AND body <> ''", func(r docRow) string { return search.KeyMeeting(*r.MeetingID) }},
		{decision.Table, "", itemUpdateKey},
		{actionitem.Table, "", itemUpdateKey},
		{question.Table, "", itemUpdateKey},
		{person.Table, "", func(r docRow) string { return search.KeyPerson(r.ID) }},
	}
	for _, k := range kinds {
		cols := "id, NULL"
		if k.table != meeting.Table && k.table != person.Table {
			cols = "id, meeting_id"
		}
		where := "owner_id = " + s.placeholder(1)
		if k.where != "" {
			where += " AND " + k.where
		}
		after := ""
		for {
			rows, err := s.db.SQL.QueryContext(ctx, "SELECT "+cols+" FROM "+k.table+" WHERE "+where+" AND id > "+s.placeholder(2)+
				" ORDER BY id LIMIT 10000", owner, after)
			if err != nil {
				return 0, translate(err)
			}
			n := 0
			for rows.Next() {
				var r docRow
				var mid sql.NullString
				if err := rows.Scan(&r.ID, &mid); err != nil {
					rows.Close()
					return 0, translate(err)
				}
				if mid.Valid {
					r.MeetingID = &mid.String
				}
				if !in(r.ID) {
					missing[k.key(r)] = true
				}
				after = r.ID
				n++
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return 0, translate(err)
			}
			if n < 10000 {
				break
			}
		}
	}
	keys := slices.Sorted(maps.Keys(missing))
	if len(keys) > bulkMeetings {
		keys = []string{search.KeyAll}
	}
	if len(keys) == 0 {
		return 0, nil
	}
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		return s.markSearch(ctx, tx, owner, keys...)
	})
	return len(keys), err
}

// docRow is a document's row: its id, and its meeting's.
type docRow struct {
	ID        string
	MeetingID *string
}

// itemUpdateKey is the update key of a decision, action item or question: its
// meeting's, or its own outside meetings.
func itemUpdateKey(r docRow) string {
	if r.MeetingID != nil {
		return search.KeyMeeting(*r.MeetingID)
	}
	return search.KeyLoose(r.ID)
}
