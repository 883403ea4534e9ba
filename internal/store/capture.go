package store

import (
	"context"
	"slices"
	"strings"
	"time"

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
func reconcile(ctx context.Context, tx *ent.Client, owner string, n *ent.Note, ex dnote.Extraction, res *resolver) ([]string, error) {
	now := ts(ex.Now)
	if len(ex.Items) == 0 {
		// The common save of a note without markers: one cheap check that
		// nothing needs closing.
		has, err := hasItems(ctx, tx, n.ID)
		if err != nil || !has {
			return res.unresolved, err
		}
	}
	actions, err := tx.ActionItem.Query().Where(actionitem.NoteID(n.ID)).All(ctx)
	if err != nil {
		return nil, err
	}
	questions, err := tx.Question.Query().Where(question.NoteID(n.ID)).All(ctx)
	if err != nil {
		return nil, err
	}
	decisions, err := tx.Decision.Query().Where(decision.NoteID(n.ID)).WithPeople().All(ctx)
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
		switch it.Kind {
		case capture.KindAction:
			err = upsertAction(ctx, tx, owner, n, it, people, actions, ex, now)
		case capture.KindQuestion:
			err = upsertQuestion(ctx, tx, owner, n, it, questions)
		case capture.KindDecision:
			err = upsertDecision(ctx, tx, owner, n, it, people, decisions, now)
		}
		if err != nil {
			return nil, err
		}
	}
	// Items whose line is gone (or now holds another kind of item).
	for _, a := range actions {
		if a.BlockID == nil || seen[*a.BlockID] == capture.KindAction || a.DetachedAt != nil {
			continue
		}
		u := tx.ActionItem.UpdateOne(a).SetDetachedAt(now)
		if a.Status == actionitem.StatusOpen {
			u.SetStatus(actionitem.StatusDropped)
		}
		if err := u.Exec(ctx); err != nil {
			return nil, err
		}
	}
	for _, q := range questions {
		if q.BlockID != nil && seen[*q.BlockID] != capture.KindQuestion && q.DetachedAt == nil {
			if err := tx.Question.UpdateOne(q).SetDetachedAt(now).Exec(ctx); err != nil {
				return nil, err
			}
		}
	}
	for _, d := range decisions {
		if d.BlockID != nil && seen[*d.BlockID] != capture.KindDecision && d.DetachedAt == nil {
			if err := tx.Decision.UpdateOne(d).SetDetachedAt(now).Exec(ctx); err != nil {
				return nil, err
			}
		}
	}
	return res.unresolved, nil
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
	r := &resolver{tx: s.db.Ent, owner: owner, cache: map[string]string{}}
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

func byBlock[T any](rows []*T, id func(*T) *string, block string) *T {
	for _, r := range rows {
		if b := id(r); b != nil && *b == block {
			return r
		}
	}
	return nil
}

func upsertAction(ctx context.Context, tx *ent.Client, owner string, n *ent.Note, it capture.Item, people []string, existing []*ent.ActionItem, ex dnote.Extraction, now time.Time) error {
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
	a := byBlock(existing, func(a *ent.ActionItem) *string { return a.BlockID }, it.BlockID)
	if a == nil {
		c := tx.ActionItem.Create().SetOwnerID(owner).SetTitle(it.Text).SetStatus(status).SetNoteID(n.ID).
			SetBlockID(it.BlockID).SetNillableMeetingID(n.MeetingID).SetNillableAssigneeID(assignee).SetNillableDueAt(due)
		if status == actionitem.StatusDone {
			c.SetCompletedAt(now)
		}
		return c.Exec(ctx)
	}
	if a.Title == it.Text && a.Status == status && eqPtr(a.AssigneeID, assignee) && eqTime(a.DueAt, due) && a.DetachedAt == nil {
		return nil
	}
	u := tx.ActionItem.UpdateOne(a).SetTitle(it.Text).SetStatus(status).ClearDetachedAt()
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
	case status == actionitem.StatusDone && a.Status != actionitem.StatusDone:
		u.SetCompletedAt(now)
	case status != actionitem.StatusDone:
		u.ClearCompletedAt()
	}
	return u.Exec(ctx)
}

func upsertQuestion(ctx context.Context, tx *ent.Client, owner string, n *ent.Note, it capture.Item, existing []*ent.Question) error {
	q := byBlock(existing, func(q *ent.Question) *string { return q.BlockID }, it.BlockID)
	if q == nil {
		return tx.Question.Create().SetOwnerID(owner).SetText(it.Text).SetNoteID(n.ID).SetBlockID(it.BlockID).
			SetNillableMeetingID(n.MeetingID).Exec(ctx)
	}
	if q.Text == it.Text && q.DetachedAt == nil {
		return nil
	}
	// An answered question stays answered when its wording changes.
	return tx.Question.UpdateOne(q).SetText(it.Text).ClearDetachedAt().Exec(ctx)
}

func upsertDecision(ctx context.Context, tx *ent.Client, owner string, n *ent.Note, it capture.Item, people []string, existing []*ent.Decision, now time.Time) error {
	d := byBlock(existing, func(d *ent.Decision) *string { return d.BlockID }, it.BlockID)
	if d == nil {
		return tx.Decision.Create().SetOwnerID(owner).SetText(it.Text).SetDecidedAt(now).SetNoteID(n.ID).
			SetBlockID(it.BlockID).SetNillableMeetingID(n.MeetingID).AddPersonIDs(people...).Exec(ctx)
	}
	var had []string
	for _, p := range d.Edges.People {
		had = append(had, p.ID)
	}
	slices.Sort(had)
	want := slices.Clone(people)
	slices.Sort(want)
	if d.Text == it.Text && d.DetachedAt == nil && slices.Equal(had, want) {
		return nil
	}
	return tx.Decision.UpdateOne(d).SetText(it.Text).ClearDetachedAt().ClearPeople().AddPersonIDs(people...).Exec(ctx)
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
	cache      map[string]string
	unresolved []string
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
		key := m.Handle + "\x00" + strings.Join(m.Next, " ")
		id, ok := r.cache[key]
		if !ok {
			var err error
			if id, err = r.resolve(ctx, m); err != nil {
				return nil, err
			}
			r.cache[key] = id
			if id == "" {
				r.unresolved = append(r.unresolved, "@"+m.Handle)
			}
		}
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func (r *resolver) resolve(ctx context.Context, m capture.Mention) (string, error) {
	if id := match(r.attendees, m); id != "" {
		return id, nil
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
		return "", err
	}
	var ps []*ent.Person
	if len(pids) > 0 {
		if ps, err = r.tx.Person.Query().Where(person.OwnerID(r.owner), person.IDIn(pids...)).All(ctx); err != nil {
			return "", err
		}
		if id := match(candidates(ps), m); id != "" || strings.Contains(h, "@") {
			return id, nil
		}
	}
	if strings.Contains(h, "@") {
		return "", nil
	}
	if ps, err = r.tx.Person.Query().Where(person.OwnerID(r.owner), person.NameContainsFold(m.Handle)).Limit(50).All(ctx); err != nil {
		return "", err
	}
	return match(candidates(ps), m), nil
}

// match finds the one candidate a mention names, trying the most specific
// reading first: the address; the full name with the capitalised words that
// follow the handle; the full name; the first name; the address's local
// part. Two candidates at the same level are ambiguous: no match.
func match(cs []candidate, m capture.Mention) string {
	h := strings.ToLower(m.Handle)
	var tests []func(candidate) bool
	if strings.Contains(h, "@") {
		tests = append(tests, func(c candidate) bool { return slices.Contains(c.emails, h) })
	} else {
		for k := len(m.Next); k >= 0; k-- {
			full := strings.ToLower(strings.Join(append([]string{m.Handle}, m.Next[:k]...), " "))
			tests = append(tests, func(c candidate) bool { return strings.ToLower(c.name) == full })
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
	for _, test := range tests {
		found := ""
		for _, c := range cs {
			if test(c) {
				if found != "" && found != c.id {
					return "" // ambiguous
				}
				found = c.id
			}
		}
		if found != "" {
			return found
		}
	}
	return ""
}
