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
// with its extracted lines, in the save's transaction: a line whose block id
// is known updates its item, a new line creates one, and an item whose line
// is gone is closed (open actions dropped; the rest kept, detached). It
// returns the @mentions that matched nobody.
func (s *Store) reconcile(ctx context.Context, tx *ent.Client, owner string, n *ent.Note, ex dnote.Extraction, res *resolver) ([]string, error) {
	now := ts(ex.Now)
	if len(ex.Items) == 0 {
		// The common save of a note without markers: one cheap check that
		// nothing needs closing.
		has, err := hasItems(ctx, tx, n.ID)
		if err != nil || !has {
			return res.unresolved, err
		}
	}
	items, err := loadNoteItems(ctx, tx, s.queries.noteItems, n.ID)
	if err != nil {
		return nil, err
	}
	seen := map[string]capture.Kind{}
	for _, it := range ex.Items {
		seen[it.BlockID] = it.Kind
		people, err := res.people(ctx, it.Mentions)
		if err != nil {
			return nil, err
		}
		have := items[itemKey{it.Kind, it.BlockID}]
		switch it.Kind {
		case capture.KindAction:
			err = upsertAction(ctx, tx, owner, n, it, people, have, ex, now)
		case capture.KindQuestion:
			err = upsertQuestion(ctx, tx, owner, n, it, have)
		case capture.KindDecision:
			err = upsertDecision(ctx, tx, owner, n, it, people, have, now)
		}
		if err != nil {
			return nil, err
		}
	}
	// Items whose line is gone (or now holds another kind of item).
	for k, it := range items {
		if it.detached || seen[k.block] == k.kind {
			continue
		}
		var err error
		switch k.kind {
		case capture.KindAction:
			u := tx.ActionItem.Update().Where(actionitem.ID(it.id)).SetDetachedAt(now)
			if it.status == string(actionitem.StatusOpen) {
				u.SetStatus(actionitem.StatusDropped)
			}
			err = u.Exec(ctx)
		case capture.KindQuestion:
			err = tx.Question.Update().Where(question.ID(it.id)).SetDetachedAt(now).Exec(ctx)
		case capture.KindDecision:
			err = tx.Decision.Update().Where(decision.ID(it.id)).SetDetachedAt(now).Exec(ctx)
		}
		if err != nil {
			return nil, err
		}
	}
	return res.unresolved, nil
}

// itemKey names an item of a note: its kind and its line's block id.
type itemKey struct {
	kind  capture.Kind
	block string
}

// noteItem is an item extracted from a note, with what reconcile compares.
type noteItem struct {
	id       string
	text     string // an action's title, a question's or decision's text
	status   string // actions and questions
	assignee *string
	due      *time.Time
	detached bool
	people   []string // a decision's people, sorted
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
		if err := rows.Scan(&kind, &it.id, &block, &it.text, &it.status, &assignee, &due, &it.detached, &people); err != nil {
			return nil, err
		}
		if !block.Valid {
			continue
		}
		if assignee.Valid {
			it.assignee = &assignee.String
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
	return `SELECT ` + strconv.Itoa(int(capture.KindAction)) + `, id, block_id, title, status, assignee_id, due_at,
	  detached_at IS NOT NULL, CAST(NULL AS TEXT) FROM action_items WHERE note_id = ` + p1 + `
	UNION ALL SELECT ` + strconv.Itoa(int(capture.KindQuestion)) + `, id, block_id, text, status, NULL, NULL,
	  detached_at IS NOT NULL, NULL FROM questions WHERE note_id = ` + p2 + `
	UNION ALL SELECT ` + strconv.Itoa(int(capture.KindDecision)) + `, id, block_id, text, '', NULL, NULL, detached_at IS NOT NULL,
	  (SELECT ` + agg + ` FROM decision_people WHERE decision_id = decisions.id) FROM decisions WHERE note_id = ` + p3
}

// hasItems reports whether any item came from the note.
func hasItems(ctx context.Context, tx *ent.Client, noteID string) (bool, error) {
	if ok, err := tx.ActionItem.Query().Where(actionitem.NoteID(noteID)).Exist(ctx); ok || err != nil {
		return ok, err
	}
	if ok, err := tx.Question.Query().Where(question.NoteID(noteID)).Exist(ctx); ok || err != nil {
		return ok, err
	}
	return tx.Decision.Query().Where(decision.NoteID(noteID)).Exist(ctx)
}

// resolveMentions matches a note's @mentions to people before the save's
// write transaction, on a read connection: name matching may scan the
// user's people, and the single writer must not wait for that.
func (s *Store) resolveMentions(ctx context.Context, owner string, meetingID *string, ms []capture.Mention) (*resolver, error) {
	r := &resolver{tx: s.db.Ent, owner: owner, cache: map[string]resolved{}}
	if len(ms) == 0 {
		return r, nil
	}
	if meetingID != nil {
		att, err := s.loadAttendees(ctx, *meetingID)
		if err != nil {
			return nil, err
		}
		for _, a := range att[*meetingID] {
			r.attendees = append(r.attendees, candidate{id: a.PersonID, name: a.Name, emails: []string{a.Email}})
		}
	}
	_, err := r.people(ctx, ms)
	return r, err
}

func upsertAction(ctx context.Context, tx *ent.Client, owner string, n *ent.Note, it capture.Item, people []string, a *noteItem, ex dnote.Extraction, now time.Time) error {
	var assignee *string
	if len(people) > 0 {
		assignee = &people[0]
	}
	var due *time.Time
	if it.Due != "" {
		if d, ok := capture.ResolveDue(it.Due, ex.Now, ex.Location); ok {
			d = ts(d)
			due = &d
		}
	}
	status := actionitem.StatusOpen
	if it.Done {
		status = actionitem.StatusDone
	}
	if a == nil {
		c := tx.ActionItem.Create().SetOwnerID(owner).SetTitle(it.Text).SetStatus(status).SetNoteID(n.ID).
			SetBlockID(it.BlockID).SetNillableMeetingID(n.MeetingID).SetNillableAssigneeID(assignee).SetNillableDueAt(due)
		if status == actionitem.StatusDone {
			c.SetCompletedAt(now)
		}
		return c.Exec(ctx)
	}
	if a.text == it.Text && a.status == string(status) && eqPtr(a.assignee, assignee) && eqTime(a.due, due) && !a.detached {
		return nil
	}
	u := tx.ActionItem.Update().Where(actionitem.ID(a.id)).SetTitle(it.Text).SetStatus(status).ClearDetachedAt()
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
	return u.Exec(ctx)
}

func upsertQuestion(ctx context.Context, tx *ent.Client, owner string, n *ent.Note, it capture.Item, q *noteItem) error {
	if q == nil {
		return tx.Question.Create().SetOwnerID(owner).SetText(it.Text).SetNoteID(n.ID).SetBlockID(it.BlockID).
			SetNillableMeetingID(n.MeetingID).Exec(ctx)
	}
	if q.text == it.Text && !q.detached {
		return nil
	}
	// An answered question stays answered when its wording changes.
	return tx.Question.Update().Where(question.ID(q.id)).SetText(it.Text).ClearDetachedAt().Exec(ctx)
}

func upsertDecision(ctx context.Context, tx *ent.Client, owner string, n *ent.Note, it capture.Item, people []string, d *noteItem, now time.Time) error {
	if d == nil {
		return tx.Decision.Create().SetOwnerID(owner).SetText(it.Text).SetDecidedAt(now).SetNoteID(n.ID).
			SetBlockID(it.BlockID).SetNillableMeetingID(n.MeetingID).AddPersonIDs(people...).Exec(ctx)
	}
	want := slices.Clone(people)
	slices.Sort(want)
	if d.text == it.Text && !d.detached && slices.Equal(d.people, want) {
		return nil
	}
	return tx.Decision.Update().Where(decision.ID(d.id)).SetText(it.Text).ClearDetachedAt().ClearPeople().AddPersonIDs(people...).Exec(ctx)
}

func eqPtr(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func eqTime(a, b *time.Time) bool { return (a == nil) == (b == nil) && (a == nil || a.Equal(*b)) }

// candidate is a person a mention may name.
type candidate struct {
	id     string
	name   string
	emails []string
}

// resolver matches @mentions to people: the meeting's attendees first, then
// everyone the user has met. Results are cached per mention.
type resolver struct {
	tx         *ent.Client
	owner      string
	attendees  []candidate
	cache      map[string]resolved
	unresolved []string
}

// resolved is what a mention matched: a person, and how many of the
// capitalised words after the handle belong to the name.
type resolved struct {
	id    string
	words int
}

func candidates(ps []*ent.Person) []candidate {
	out := make([]candidate, len(ps))
	for i, p := range ps {
		emails := p.Emails
		if len(emails) == 0 {
			emails = []string{p.Email}
		}
		out[i] = candidate{id: p.ID, name: p.Name, emails: emails}
	}
	return out
}

// people resolves mentions to distinct person ids, in order, recording the
// ones that match nobody (or more than one person).
func (r *resolver) people(ctx context.Context, ms []capture.Mention) ([]string, error) {
	var ids []string
	for _, m := range ms {
		got, err := r.lookup(ctx, m)
		if err != nil {
			return nil, err
		}
		if got.id != "" && !slices.Contains(ids, got.id) {
			ids = append(ids, got.id)
		}
	}
	return ids, nil
}

// lookup resolves one mention, through the cache.
func (r *resolver) lookup(ctx context.Context, m capture.Mention) (resolved, error) {
	key := m.Handle + "\x00" + strings.Join(m.Next, " ")
	if got, ok := r.cache[key]; ok {
		return got, nil
	}
	got, err := r.resolve(ctx, m)
	if err != nil {
		return got, err
	}
	r.cache[key] = got
	if got.id == "" {
		r.unresolved = append(r.unresolved, "@"+m.Handle)
	}
	return got, nil
}

func (r *resolver) resolve(ctx context.Context, m capture.Mention) (resolved, error) {
	if got := match(r.attendees, m); got.id != "" {
		return got, nil
	}
	h := strings.ToLower(m.Handle)
	// Addresses are index lookups (the address, or the range of addresses
	// with this local part); names need a scan of the user's people, so they
	// come last.
	addrs := personemail.Email(h)
	if !strings.Contains(h, "@") {
		addrs = personemail.And(personemail.EmailGTE(h+"@"), personemail.EmailLT(h+"A"))
	}
	pids, err := r.tx.PersonEmail.Query().Where(personemail.OwnerID(r.owner), addrs).Limit(3).
		Select(personemail.FieldPersonID).Strings(ctx)
	if err != nil {
		return resolved{}, err
	}
	var ps []*ent.Person
	if len(pids) > 0 {
		if ps, err = r.tx.Person.Query().Where(person.OwnerID(r.owner), person.IDIn(pids...)).All(ctx); err != nil {
			return resolved{}, err
		}
		if got := match(candidates(ps), m); got.id != "" || strings.Contains(h, "@") {
			return got, nil
		}
	}
	if strings.Contains(h, "@") {
		return resolved{}, nil
	}
	if ps, err = r.tx.Person.Query().Where(person.OwnerID(r.owner), person.NameContainsFold(m.Handle)).Limit(50).All(ctx); err != nil {
		return resolved{}, err
	}
	return match(candidates(ps), m), nil
}

// match finds the one candidate a mention names, trying the most specific
// reading first: the address; the full name with the capitalised words that
// follow the handle; the full name; the first name; the address's local
// part. Two candidates at the same level are ambiguous: no match.
func match(cs []candidate, m capture.Mention) resolved {
	h := strings.ToLower(m.Handle)
	var tests []func(candidate) bool
	var words []int // how many of m.Next each test reads
	if strings.Contains(h, "@") {
		tests = append(tests, func(c candidate) bool { return slices.Contains(c.emails, h) })
	} else {
		for k := len(m.Next); k >= 0; k-- {
			full := strings.ToLower(strings.Join(append([]string{m.Handle}, m.Next[:k]...), " "))
			tests = append(tests, func(c candidate) bool { return strings.ToLower(c.name) == full })
			words = append(words, k)
		}
		tests = append(tests,
			func(c candidate) bool {
				first, _, _ := strings.Cut(c.name, " ")
				return strings.EqualFold(first, h)
			},
			func(c candidate) bool {
				for _, e := range c.emails {
					if local, _, _ := strings.Cut(e, "@"); local == h {
						return true
					}
				}
				return false
			})
	}
	for i, test := range tests {
		found := ""
		for _, c := range cs {
			if test(c) {
				if found != "" && found != c.id {
					return resolved{} // ambiguous
				}
				found = c.id
			}
		}
		if found != "" {
			got := resolved{id: found}
			if i < len(words) {
				got.words = words[i]
			}
			return got
		}
	}
	return resolved{}
}
