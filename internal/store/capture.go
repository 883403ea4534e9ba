package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/actionitem"
	"github.com/debrief-hq/debrief/ent/attendance"
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
func reconcile(ctx context.Context, tx *ent.Client, owner string, n *ent.Note, ex dnote.Extraction) ([]string, error) {
	now := ts(ex.Now)
	res, err := newResolver(ctx, tx, owner, n.MeetingID)
	if err != nil {
		return nil, err
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
	// Mentions outside items link nobody yet, but an unknown one is still
	// worth telling the writer about.
	if _, err := res.people(ctx, ex.Mentions); err != nil {
		return nil, err
	}
	return res.unresolved, nil
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

func newResolver(ctx context.Context, tx *ent.Client, owner string, meetingID *string) (*resolver, error) {
	r := &resolver{tx: tx, owner: owner, cache: map[string]string{}}
	if meetingID != nil {
		ps, err := tx.Person.Query().Where(person.OwnerID(owner), person.HasAttendancesWith(attendance.MeetingID(*meetingID))).All(ctx)
		if err != nil {
			return nil, err
		}
		r.attendees = candidates(ps)
	}
	return r, nil
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
	var ps []*ent.Person
	var err error
	if strings.Contains(h, "@") {
		ps, err = r.tx.Person.Query().Where(person.OwnerID(r.owner),
			person.HasAddressesWith(personemail.OwnerID(r.owner), personemail.Email(h))).Limit(2).All(ctx)
	} else {
		ps, err = r.tx.Person.Query().Where(person.OwnerID(r.owner),
			person.Or(person.NameContainsFold(m.Handle), person.EmailHasPrefix(h+"@"))).Limit(50).All(ctx)
	}
	if err != nil {
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
