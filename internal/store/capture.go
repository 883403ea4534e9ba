package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/actionitem"
	"github.com/debrief-hq/debrief/ent/decision"
	"github.com/debrief-hq/debrief/ent/person"
	"github.com/debrief-hq/debrief/ent/personemail"
	"github.com/debrief-hq/debrief/ent/question"
	"github.com/debrief-hq/debrief/internal/capture"
	dnote "github.com/debrief-hq/debrief/internal/note"
)

// reconcile brings a note's action items, questions and decisions in step
// with its extracted lines (each with its block id, placeLines), in the
// save's transaction: a line whose block id is known updates its item, a
// new line creates one, and an item whose line is gone is closed whatever
// its kind — detached, an open action or question dropped, a decision no
// longer among the current ones (views list attached decisions only). It
// returns the @mentions that matched nobody, whether any item changed, and
// whether a change can move a reminder (a new item, a due date, a status,
// an owner, a remind: or "next time" line, a question reworded, an item
// whose line went): a title edited alone does not plan the owner's
// reminders again.
func (s *Store) reconcile(ctx context.Context, tx *ent.Client, owner string, n *ent.Note, ex dnote.Extraction, res *resolver, items map[itemKey]*noteItem) (unresolved []string, changed, replan bool, err error) {
	now := ts(ex.Now)
	seen := map[string]capture.Kind{}
	for _, it := range ex.Items {
		seen[it.BlockID] = it.Kind
		people, err := res.people(ctx, it.Mentions)
		if err != nil {
			return nil, false, false, err
		}
		have := items[itemKey{it.Kind, it.BlockID}]
		var wrote, moves bool
		switch it.Kind {
		case capture.KindAction:
			wrote, moves, err = upsertAction(ctx, tx, owner, n, it, people, have, ex, res, now)
		case capture.KindQuestion:
			wrote, moves, err = upsertQuestion(ctx, tx, owner, n, it, people, have, ex)
		case capture.KindDecision:
			decided := now
			if ex.MeetingStart != nil {
				decided = ts(*ex.MeetingStart) // decided in the meeting, whenever its note is saved
			}
			wrote, err = upsertDecision(ctx, tx, owner, n, it, people, have, decided)
		}
		if err != nil {
			return nil, false, false, err
		}
		changed = changed || wrote
		replan = replan || moves
	}
	// Items whose line is gone (or now holds another kind of item).
	for k, it := range items {
		if it.detached || seen[k.block] == k.kind {
			continue
		}
		changed = true
		replan = replan || k.kind != capture.KindDecision
		var err error
		switch k.kind {
		case capture.KindAction:
			u := tx.ActionItem.Update().Where(actionitem.ID(it.id)).SetDetachedAt(now)
			if it.status == string(actionitem.StatusOpen) {
				u.SetStatus(actionitem.StatusDropped)
			}
			err = u.Exec(ctx)
		case capture.KindQuestion:
			u := tx.Question.Update().Where(question.ID(it.id)).SetDetachedAt(now)
			if it.status == string(question.StatusOpen) {
				u.SetStatus(question.StatusDropped)
			}
			err = u.Exec(ctx)
		case capture.KindDecision:
			err = tx.Decision.Update().Where(decision.ID(it.id)).SetDetachedAt(now).Exec(ctx)
		}
		if err != nil {
			return nil, false, false, err
		}
	}
	return res.unresolved, changed, replan, nil
}

// itemKey names an item of a note: its kind and its line's block id.
type itemKey struct {
	kind  capture.Kind
	block string
}

// noteItem is an item extracted from a note, with what reconcile compares.
type noteItem struct {
	id       string
	text     string  // an action's title, a question's or decision's text
	line     string  // the line it was read from, as last saved (its text before lines were kept)
	lineKept bool    // line is the stored line, not the text standing in for it
	answer   *string // a question's answer
	status   string  // actions and questions
	assignee *string
	due      *time.Time
	detached bool
	people   []string // a decision's people, sorted
	created  time.Time
}

// loadNoteItems reads every item that came from a note — actions,
// questions and decisions with their people — in one query: reconcile runs
// inside the single writer, where each query delays every other write.
func loadNoteItems(ctx context.Context, tx *ent.Client, query, noteID string) (map[itemKey]*noteItem, error) {
	rows, err := tx.QueryContext(ctx, query, noteID, noteID, noteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[itemKey]*noteItem{}
	for rows.Next() {
		var (
			kind     int
			block    sql.NullString
			it       noteItem
			assignee sql.NullString
			due      sql.NullTime
			people   sql.NullString
		)
		var answer sql.NullString
		if err := rows.Scan(&kind, &it.id, &block, &it.text, &it.line, &it.lineKept, &answer, &it.status, &assignee, &due, &it.detached, &people, &it.created); err != nil {
			return nil, err
		}
		if !block.Valid {
			continue
		}
		if assignee.Valid {
			it.assignee = &assignee.String
		}
		if answer.Valid {
			it.answer = &answer.String
		}
		if due.Valid {
			d := due.Time.UTC()
			it.due = &d
		}
		if people.String != "" {
			it.people = strings.Split(people.String, ",")
			slices.Sort(it.people)
		}
		out[itemKey{capture.Kind(kind), block.String}] = &it
	}
	return out, rows.Err()
}

// noteItemsQuery is the SQL of loadNoteItems; its three arguments are the
// note id.
func noteItemsQuery(d string) string {
	agg, p1, p2, p3 := "group_concat(person_id, ',')", "?", "?", "?"
	if d == dialect.Postgres {
		agg, p1, p2, p3 = "string_agg(person_id, ',')", "$1", "$2", "$3"
	}
	return `SELECT ` + strconv.Itoa(int(capture.KindAction)) + `, id, block_id, title, coalesce(line, title), line IS NOT NULL, CAST(NULL AS TEXT), status, assignee_id, due_at,
	  detached_at IS NOT NULL, CAST(NULL AS TEXT), created_at FROM action_items WHERE note_id = ` + p1 + `
	UNION ALL SELECT ` + strconv.Itoa(int(capture.KindQuestion)) + `, id, block_id, text, coalesce(line, text), line IS NOT NULL, answer, status, NULL, NULL,
	  detached_at IS NOT NULL, NULL, created_at FROM questions WHERE note_id = ` + p2 + `
	UNION ALL SELECT ` + strconv.Itoa(int(capture.KindDecision)) + `, id, block_id, text, coalesce(line, text), line IS NOT NULL, NULL, '', NULL, NULL, detached_at IS NOT NULL,
	  (SELECT ` + agg + ` FROM decision_people WHERE decision_id = decisions.id), created_at FROM decisions WHERE note_id = ` + p3
}

// noteItems reads a note's items for a save; one whose text has no item
// lines needs them only when the note has any (to close them), which one
// cheap check tells first.
func (s *Store) noteItems(ctx context.Context, tx *ent.Client, noteID string, lines bool) (map[itemKey]*noteItem, error) {
	if !lines {
		has, err := s.hasItems(ctx, tx, noteID)
		if err != nil || !has {
			return nil, err
		}
	}
	return loadNoteItems(ctx, tx, s.queries.noteItems, noteID)
}

// hasItems reports whether any item came from the note, in one read (on
// PostgreSQL each read is a round trip, in the save's transaction).
func (s *Store) hasItems(ctx context.Context, tx *ent.Client, noteID string) (bool, error) {
	rows, err := tx.QueryContext(ctx, s.queries.hasItems, noteID)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var has bool
	if rows.Next() {
		if err := rows.Scan(&has); err != nil {
			return false, err
		}
	}
	return has, rows.Err()
}

// hasItemsQuery is hasItems' SQL.
func hasItemsQuery(dialectName string) string {
	p := "?1"
	if dialectName == dialect.Postgres {
		p = "$1"
	}
	return "SELECT " + itemsExist(p)
}

// itemsExist is SQL that is true when an item of any kind came from the
// note whose id is the placeholder p.
func itemsExist(p string) string {
	return `EXISTS (SELECT 1 FROM action_items WHERE note_id = ` + p + `) OR EXISTS (SELECT 1 FROM questions WHERE note_id = ` + p +
		`) OR EXISTS (SELECT 1 FROM decisions WHERE note_id = ` + p + `)`
}

// resolveMentions matches a note's @mentions to people before the save's
// write transaction, on a read connection, all at once: the meeting's
// attendees first, then everyone the user has met, by address, then by
// name. The work grows with the note and the user's people, never with
// their product (a megabyte of unknown mentions in a meeting of 500 took
// 47 s one mention at a time).
//
// The first required mentions are all resolved (an item's, which decide
// its owner); the rest only tell which mentions matched nobody, reported
// up to maxUnresolved, and are resolved while that list is short and no
// more than otherMentions of them (a megabyte of distinct mentions is work
// for nobody).
func (s *Store) resolveMentions(ctx context.Context, owner string, meetingID *string, ms []capture.Mention, required int) (*resolver, error) {
	r := &resolver{cache: make(map[string]resolved, len(ms))}
	if len(ms) == 0 {
		return r, nil
	}
	attendees := capture.NewDirectory(nil)
	if meetingID != nil {
		att, err := s.loadAttendees(ctx, *meetingID)
		if err != nil {
			return nil, err
		}
		for _, a := range att[*meetingID] {
			attendees.Add(capture.Person{ID: a.PersonID, Name: a.Name, Emails: []string{a.Email}})
		}
	}
	// Each distinct mention once, in the order they come.
	pending := make([]capture.Mention, 0, min(len(ms), required+otherMentions))
	others := 0
	for i, m := range ms {
		key := mentionKey(m)
		if _, seen := r.cache[key]; seen {
			continue
		}
		if i >= required {
			if others++; others > otherMentions {
				break
			}
		}
		id, words := attendees.Match(m)
		r.cache[key] = resolved{id: id, words: words}
		if id == "" {
			pending = append(pending, m)
		}
	}
	if len(pending) == 0 {
		return r, nil
	}
	known, err := s.mentionDirectory(ctx, owner, pending)
	if err != nil {
		return nil, err
	}
	reported := map[string]bool{}
	for _, m := range pending {
		got := known.match(m)
		r.cache[mentionKey(m)] = got
		if got.id == "" && len(r.unresolved) < maxUnresolved && !reported[m.Handle] {
			reported[m.Handle] = true
			r.unresolved = append(r.unresolved, "@"+m.Handle)
		}
	}
	return r, nil
}

// maxUnresolved is how many mentions that matched nobody a save reports
// (a hint for the editor, not an inventory), and otherMentions how many
// distinct mentions outside items a save looks at to find them.
const (
	maxUnresolved = 100
	otherMentions = 2000
)

// mentionKey tells mentions apart: the handle, and the words after it
// that may be part of a name.
func mentionKey(m capture.Mention) string {
	if len(m.Next) == 0 {
		return m.Handle
	}
	return m.Handle + "\x00" + strings.Join(m.Next, " ")
}

// knownPeople are the user's people a note's mentions may name: by
// address (whole, or its local part), and, by name, everyone.
type knownPeople struct {
	byEmail, byLocal map[string][]string // address or local part → person ids
	people           map[string]capture.Person
	byName           *capture.Directory
}

// match resolves a mention the attendees did not: among the people whose
// address it names (also by their names, as an attendee is), then among
// everyone by name.
func (k *knownPeople) match(m capture.Mention) resolved {
	h := strings.ToLower(m.Handle)
	ids := k.byLocal[h]
	if strings.Contains(h, "@") {
		ids = k.byEmail[h]
	}
	if len(ids) > 0 {
		ps := make([]capture.Person, 0, len(ids))
		for _, id := range ids {
			if p, ok := k.people[id]; ok {
				ps = append(ps, p)
			}
		}
		if id, words := capture.NewDirectory(ps).Match(m); id != "" {
			return resolved{id: id, words: words}
		}
	}
	if strings.Contains(h, "@") || k.byName == nil {
		return resolved{}
	}
	id, words := k.byName.Match(m)
	return resolved{id: id, words: words}
}

// fewMentions is how many unknown handles are looked up one by one (index
// lookups); more read the user's addresses at once.
const fewMentions = 16

// mentionDirectory reads the people pending mentions may name.
func (s *Store) mentionDirectory(ctx context.Context, owner string, pending []capture.Mention) (*knownPeople, error) {
	k := &knownPeople{byEmail: map[string][]string{}, byLocal: map[string][]string{}, people: map[string]capture.Person{}}
	plain := false
	for _, m := range pending {
		if !strings.Contains(m.Handle, "@") {
			plain = true
			break
		}
	}
	addEmail := func(email, pid string) {
		local, _, _ := strings.Cut(email, "@")
		if len(k.byEmail[email]) < 10 {
			k.byEmail[email] = append(k.byEmail[email], pid)
		}
		if len(k.byLocal[local]) < 10 && !slices.Contains(k.byLocal[local], pid) {
			k.byLocal[local] = append(k.byLocal[local], pid)
		}
	}
	if len(pending) <= fewMentions {
		for _, m := range pending {
			h := strings.ToLower(m.Handle)
			addrs := personemail.Email(h)
			if !strings.Contains(h, "@") {
				addrs = personemail.And(personemail.EmailGTE(h+"@"), personemail.EmailLT(h+"A"))
			}
			rows, err := s.db.Ent.PersonEmail.Query().Where(personemail.OwnerID(owner), addrs).Limit(10).
				Select(personemail.FieldPersonID, personemail.FieldEmail).All(ctx)
			if err != nil {
				return nil, err
			}
			for _, e := range rows {
				addEmail(e.Email, e.PersonID)
			}
		}
	} else {
		rows, err := s.db.Ent.PersonEmail.Query().Where(personemail.OwnerID(owner)).
			Select(personemail.FieldPersonID, personemail.FieldEmail).All(ctx)
		if err != nil {
			return nil, err
		}
		for _, e := range rows {
			addEmail(e.Email, e.PersonID)
		}
	}
	// The people those addresses belong to, whom a mention names only
	// when one of its handles is among them.
	var ids []string
	for _, m := range pending {
		h := strings.ToLower(m.Handle)
		if strings.Contains(h, "@") {
			ids = append(ids, k.byEmail[h]...)
		} else {
			ids = append(ids, k.byLocal[h]...)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for chunk := range slices.Chunk(ids, applyChunk) {
		ps, err := s.db.Ent.Person.Query().Where(person.OwnerID(owner), person.IDIn(chunk...)).All(ctx)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			k.people[p.ID] = toMentionable(p)
		}
	}
	if !plain {
		return k, nil
	}
	// Names: the user's people's names, read once and kept while the
	// people do not change (a save with a mention of nobody read and
	// indexed every name: a tenth of the 10-item save's throughput).
	dir, err := s.nameDirectory(ctx, owner)
	if err != nil {
		return nil, err
	}
	k.byName = dir
	return k, nil
}

// nameDirectory is the owner's people by name. It is rebuilt when their
// people changed — a person added or renamed moves their newest updated_at
// — which one index seek tells (on every instance: the stamp is read from
// the database, not remembered from this process's writes).
func (s *Store) nameDirectory(ctx context.Context, owner string) (*capture.Directory, error) {
	// People are never deleted, and one added or renamed moves the newest
	// updated_at: that alone stamps the names (an index seek).
	var newest sql.NullString
	q := "SELECT max(updated_at) FROM persons WHERE owner_id = " + s.placeholder(1)
	if err := s.db.SQL.QueryRowContext(ctx, q, owner).Scan(&newest); err != nil {
		return nil, err
	}
	key := newest.String
	if e, ok := s.names.Load(owner); ok && e.(*namesEntry).stamp == key {
		return e.(*namesEntry).dir, nil
	}
	named, err := s.db.Ent.Person.Query().Where(person.OwnerID(owner), person.NameNEQ("")).
		Select(person.FieldID, person.FieldName).All(ctx)
	if err != nil {
		return nil, err
	}
	dir := capture.NewDirectory(nil)
	for _, p := range named {
		dir.Add(capture.Person{ID: p.ID, Name: p.Name})
	}
	if s.namesKept.Add(1) > maxNameDirectories {
		// Bounded: past the limit the kept ones are dropped and rebuilt as
		// they are asked for.
		s.names.Clear()
		s.namesKept.Store(1)
	}
	s.names.Store(owner, &namesEntry{stamp: key, dir: dir})
	return dir, nil
}

// namesEntry is one owner's kept name directory and the stamp it was
// built at.
type namesEntry struct {
	stamp string
	dir   *capture.Directory
}

// maxNameDirectories bounds the owners whose names are kept.
const maxNameDirectories = 1024

func toMentionable(p *ent.Person) capture.Person {
	emails := p.Emails
	if len(emails) == 0 {
		emails = []string{p.Email}
	}
	return capture.Person{ID: p.ID, Name: p.Name, Emails: emails}
}

// ownerOf is who an action item's line says owns it (capture.Owner): the
// person its owner mention resolved to, nil for the writer (no owner, a
// mention of nobody, "@me", or the writer's own person); named is whether
// the mention named someone (the title then drops it) and words how many
// words after the handle are the name.
func (r *resolver) ownerOf(it capture.Item) (assignee *string, named bool, words int) {
	i := capture.Owner(it)
	if i < 0 {
		return nil, false, 0
	}
	m := it.Mentions[i]
	if capture.IsSelf(m) {
		return nil, true, 0
	}
	got := r.lookup(m)
	switch {
	case got.id == "":
		return nil, false, 0
	case r.self[got.id]:
		return nil, true, got.words
	}
	id := got.id
	return &id, true, got.words
}

func upsertAction(ctx context.Context, tx *ent.Client, owner string, n *ent.Note, it capture.Item, people []string, a *noteItem, ex dnote.Extraction, res *resolver, now time.Time) (wrote, moves bool, err error) {
	assignee, named, words := res.ownerOf(it)
	title := ""
	if a != nil && a.lineKept && a.line == it.Text && eqPtr(a.assignee, assignee) {
		title = a.text // the same line, the same owner: the same title
	} else {
		title = capture.Title(it, words, named)
	}
	// A line as it was last saved keeps its due date: "by friday" means the
	// Friday after the day it was written, not after every later save.
	var due *time.Time
	if a != nil && a.line == it.Text {
		due = a.due
	} else if it.Due != "" {
		if d, ok := capture.ResolveDue(it.Due, ex.DueFrom(), ex.Location); ok {
			d = ts(d)
			due = &d
		}
	}
	status := actionitem.StatusOpen
	if it.Done {
		status = actionitem.StatusDone
	}
	remindAt := remindOf(it, ex)
	if a == nil {
		c := tx.ActionItem.Create().SetOwnerID(owner).SetTitle(title).SetLine(it.Text).SetStatus(status).SetNoteID(n.ID).
			SetBlockID(it.BlockID).SetNillableMeetingID(n.MeetingID).SetNillableAboutPersonID(n.PersonID).SetNillableAssigneeID(assignee).
			SetNillableDueAt(due).SetNillableRemindAt(remindAt).SetNextMeeting(it.NextTime).SetPeople(people)
		if status == actionitem.StatusDone {
			c.SetCompletedAt(now)
		}
		return true, true, c.Exec(ctx)
	}
	if a.line == it.Text && a.text == title && a.status == string(status) && eqPtr(a.assignee, assignee) && eqTime(a.due, due) && !a.detached {
		return false, false, nil
	}
	// What a reminder reads: the status, the owner, the due date, the
	// remind: phrase and "next time" (with the people the line names).
	moves = a.status != string(status) || !eqPtr(a.assignee, assignee) || !eqTime(a.due, due) || a.detached ||
		a.line != it.Text && (capture.HasRemind(a.line) || it.Remind != "" || capture.NextTime(a.line) || it.NextTime)
	u := tx.ActionItem.Update().Where(actionitem.ID(a.id)).SetTitle(title).SetLine(it.Text).SetStatus(status).ClearDetachedAt().
		SetNextMeeting(it.NextTime).SetPeople(people).SetNillableAboutPersonID(n.PersonID)
	if a.line != it.Text {
		// The line's remind phrase is read when the line changes: a snooze
		// (which writes its phrase into the line) holds until then.
		if remindAt != nil {
			u.SetRemindAt(*remindAt)
		} else {
			u.ClearRemindAt()
		}
	}
	if assignee != nil {
		u.SetAssigneeID(*assignee)
	} else {
		u.ClearAssigneeID()
	}
	if due != nil {
		u.SetDueAt(*due)
	} else {
		u.ClearDueAt()
	}
	switch {
	case status == actionitem.StatusDone && a.status != string(actionitem.StatusDone):
		u.SetCompletedAt(now)
	case status != actionitem.StatusDone:
		u.ClearCompletedAt()
	}
	return true, moves, u.Exec(ctx)
}

func upsertQuestion(ctx context.Context, tx *ent.Client, owner string, n *ent.Note, it capture.Item, people []string, q *noteItem, ex dnote.Extraction) (wrote, moves bool, err error) {
	remindAt := remindOf(it, ex)
	text := capture.Title(it, 0, false)
	if q == nil {
		c := tx.Question.Create().SetOwnerID(owner).SetText(text).SetLine(it.Text).SetNoteID(n.ID).SetBlockID(it.BlockID).
			SetNillableMeetingID(n.MeetingID).SetNillableAboutPersonID(n.PersonID).SetNillableRemindAt(remindAt).SetPeople(people)
		if it.Answer != "" {
			c.SetAnswer(it.Answer).SetStatus(question.StatusAnswered).SetAnsweredAt(ts(ex.Now))
		}
		return true, true, c.Exec(ctx)
	}
	// An answer line under the question answers it; taking the line away
	// opens it again (an answer given without a line stays).
	answerChanged := it.Answer != "" && (q.answer == nil || *q.answer != it.Answer || q.status != string(question.StatusAnswered)) ||
		it.Answer == "" && q.answer != nil
	if q.line == it.Text && q.text == text && !q.detached && !answerChanged {
		return false, false, nil
	}
	// A reworded question reminds differently only if either wording has
	// a remind: phrase or names someone (whose next meeting it waits for).
	moves = q.detached || capture.HasRemind(q.line) || it.Remind != "" || len(capture.Mentions(q.line)) > 0 || len(it.Mentions) > 0
	// An answered question stays answered when its wording changes; one
	// dropped with its line is open again when the line comes back.
	u := tx.Question.Update().Where(question.ID(q.id)).SetText(text).SetLine(it.Text).ClearDetachedAt().SetPeople(people).
		SetNillableAboutPersonID(n.PersonID)
	switch {
	case it.Answer != "":
		u.SetAnswer(it.Answer).SetStatus(question.StatusAnswered)
		if q.status != string(question.StatusAnswered) {
			u.SetAnsweredAt(ts(ex.Now))
		}
		moves = moves || answerChanged
	case q.answer != nil:
		u.ClearAnswer().SetStatus(question.StatusOpen).ClearAnsweredAt()
		moves = true
	case q.status == string(question.StatusDropped):
		u.SetStatus(question.StatusOpen)
	}
	if q.line != it.Text {
		if remindAt != nil {
			u.SetRemindAt(*remindAt)
		} else {
			u.ClearRemindAt()
		}
	}
	return true, moves, u.Exec(ctx)
}

// remindOf is the moment a line's remind phrase names, or nil.
func remindOf(it capture.Item, ex dnote.Extraction) *time.Time {
	if it.Remind == "" {
		return nil
	}
	t, ok := capture.ResolveRemind(it.Remind, ex.Now, ex.Location, ex.MorningHour)
	if !ok {
		return nil
	}
	t = ts(t)
	return &t
}

func upsertDecision(ctx context.Context, tx *ent.Client, owner string, n *ent.Note, it capture.Item, people []string, d *noteItem, now time.Time) (bool, error) {
	text := capture.Title(it, 0, false)
	if d == nil {
		return true, tx.Decision.Create().SetOwnerID(owner).SetText(text).SetLine(it.Text).SetDecidedAt(now).SetNoteID(n.ID).
			SetBlockID(it.BlockID).SetNillableMeetingID(n.MeetingID).SetNillableAboutPersonID(n.PersonID).AddPersonIDs(people...).Exec(ctx)
	}
	want := slices.Clone(people)
	slices.Sort(want)
	if d.line == it.Text && d.text == text && !d.detached && slices.Equal(d.people, want) {
		return false, nil
	}
	return true, tx.Decision.Update().Where(decision.ID(d.id)).SetText(text).SetLine(it.Text).ClearDetachedAt().ClearPeople().
		AddPersonIDs(people...).SetNillableAboutPersonID(n.PersonID).Exec(ctx)
}

func eqPtr(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func eqTime(a, b *time.Time) bool { return (a == nil) == (b == nil) && (a == nil || a.Equal(*b)) }

// resolver holds what a save's @mentions resolved to, and which people are
// the writer themself (a line owned by them is theirs).
type resolver struct {
	cache      map[string]resolved
	unresolved []string
	self       map[string]bool
}

// resolved is what a mention matched: a person, and how many of the
// capitalised words after the handle belong to the name.
type resolved struct {
	id    string
	words int
}

// lookup is what a mention resolved to.
func (r *resolver) lookup(m capture.Mention) resolved { return r.cache[mentionKey(m)] }

// people resolves mentions to distinct person ids, in order.
func (r *resolver) people(_ context.Context, ms []capture.Mention) ([]string, error) {
	var ids []string
	for _, m := range ms {
		got := r.cache[mentionKey(m)]
		if got.id != "" && !slices.Contains(ids, got.id) {
			ids = append(ids, got.id)
		}
	}
	return ids, nil
}
