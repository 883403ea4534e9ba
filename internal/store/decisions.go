package store

import (
	"context"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/decision"
	"github.com/debrief-hq/debrief/ent/person"
	"github.com/debrief-hq/debrief/ent/predicate"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/cursor"
	ddecision "github.com/debrief-hq/debrief/internal/decision"
)

func toDecision(d *ent.Decision) ddecision.Decision {
	out := ddecision.Decision{ID: d.ID, Text: d.Text, DecidedAt: d.DecidedAt.UTC(), MeetingID: d.MeetingID,
		SupersededByID: d.SupersededByID, CreatedAt: d.CreatedAt.UTC(), People: []ddecision.PersonRef{},
		InNote: d.NoteID != nil && d.DetachedAt == nil, PersonID: d.AboutPersonID}
	for _, p := range d.Edges.People {
		out.People = append(out.People, ddecision.PersonRef{PersonID: p.ID, Name: p.Name, Email: p.Email})
	}
	return out
}

func checkPeople(ctx context.Context, tx *ent.Client, owner string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	uniq := map[string]bool{}
	for _, id := range ids {
		uniq[id] = true
	}
	n, err := tx.Person.Query().Where(person.OwnerID(owner), person.IDIn(ids...)).Count(ctx)
	if err != nil {
		return err
	}
	if n != len(uniq) {
		var f apperr.Fields
		f.Add("person_ids", "names people that are not yours or do not exist")
		return f.Err()
	}
	return nil
}

func (s *Store) CreateDecision(ctx context.Context, owner string, in ddecision.CreateInput) (ddecision.Decision, error) {
	var id string
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		if err := checkRefs(ctx, tx, owner, nil, in.MeetingID); err != nil {
			return err
		}
		if err := checkPeople(ctx, tx, owner, in.PersonIDs); err != nil {
			return err
		}
		d, err := tx.Decision.Create().SetOwnerID(owner).SetText(in.Text).SetDecidedAt(ts(*in.DecidedAt)).
			SetNillableMeetingID(in.MeetingID).AddPersonIDs(dedupe(in.PersonIDs)...).Save(ctx)
		if err != nil {
			return err
		}
		id = d.ID
		if err := claimIdempotency(ctx, tx, "decision", d.ID); err != nil {
			return err
		}
		return s.markItem(ctx, tx, owner, d.MeetingID, d.ID)
	})
	if err != nil {
		return ddecision.Decision{}, err
	}
	return s.decision(ctx, owner, id)
}

// Decision reads one of the owner's decisions.
func (s *Store) Decision(ctx context.Context, owner, id string) (ddecision.Decision, error) {
	return s.decision(ctx, owner, id)
}

func (s *Store) decision(ctx context.Context, owner, id string) (ddecision.Decision, error) {
	d, err := s.db.Ent.Decision.Query().Where(decision.OwnerID(owner), decision.ID(id)).WithPeople().Only(ctx)
	if err != nil {
		return ddecision.Decision{}, notFound(err, "decision")
	}
	return toDecision(d), nil
}

// maxSupersedeChain bounds the walk that refuses supersession cycles.
const maxSupersedeChain = 1000

func (s *Store) UpdateDecision(ctx context.Context, owner, id string, in ddecision.UpdateInput) (ddecision.Decision, error) {
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		d, err := tx.Decision.Query().Where(decision.OwnerID(owner), decision.ID(id)).Only(ctx)
		if err != nil {
			return notFound(err, "decision")
		}
		u := tx.Decision.UpdateOne(d).SetNillableText(in.Text).SetNillableDecidedAt(tsp(in.DecidedAt))
		if in.SupersededByID != nil {
			if err := checkSupersede(ctx, tx, owner, id, *in.SupersededByID); err != nil {
				return err
			}
			u.SetSupersededByID(*in.SupersededByID)
		}
		if in.ClearSupersededBy {
			u.ClearSupersededByID()
		}
		if in.PersonIDs != nil {
			if err := checkPeople(ctx, tx, owner, *in.PersonIDs); err != nil {
				return err
			}
			u.ClearPeople().AddPersonIDs(dedupe(*in.PersonIDs)...)
		}
		if err := u.Exec(ctx); err != nil {
			return err
		}
		return s.markItem(ctx, tx, owner, d.MeetingID, d.ID)
	})
	if err != nil {
		return ddecision.Decision{}, err
	}
	return s.decision(ctx, owner, id)
}

// checkSupersede refuses a successor that is missing or whose own chain of
// successors leads back to id.
func checkSupersede(ctx context.Context, tx *ent.Client, owner, id, by string) error {
	var f apperr.Fields
	next := &by
	for i := 0; next != nil && i < maxSupersedeChain; i++ {
		if *next == id {
			f.Add("superseded_by_id", "would make a cycle: that decision is already superseded, directly or not, by this one")
			return f.Err()
		}
		d, err := tx.Decision.Query().Where(decision.OwnerID(owner), decision.ID(*next)).Only(ctx)
		if ent.IsNotFound(err) && i == 0 {
			f.Add("superseded_by_id", "names no decision of yours")
			return f.Err()
		}
		if err != nil {
			return err
		}
		next = d.SupersededByID
	}
	return nil
}

func (s *Store) ListDecisions(ctx context.Context, owner string, f ddecision.Filter) (cursor.Result[ddecision.Decision], error) {
	ps := []predicate.Decision{decision.OwnerID(owner)}
	if f.MeetingID != "" {
		ps = append(ps, decision.MeetingID(f.MeetingID))
	}
	if f.PersonID != "" {
		ps = append(ps, decision.HasPeopleWith(person.ID(f.PersonID)))
	}
	if f.Current {
		// Current: not superseded, and its line still in its note.
		ps = append(ps, decision.SupersededByIDIsNil(), decision.DetachedAtIsNil())
	}
	if a := f.Page.After; a != nil && a.T != nil {
		t := ts(*a.T)
		ps = append(ps, decision.Or(decision.DecidedAtLT(t), decision.And(decision.DecidedAt(t), decision.IDLT(a.ID))))
	}
	rows, err := s.db.Ent.Decision.Query().Where(ps...).WithPeople().
		Order(ent.Desc(decision.FieldDecidedAt), ent.Desc(decision.FieldID)).Limit(f.Page.Limit + 1).All(ctx)
	if err != nil {
		return cursor.Result[ddecision.Decision]{}, translate(err)
	}
	return cursor.Cut(mapSlice(rows, toDecision), f.Page.Limit, func(d ddecision.Decision) cursor.Key {
		t := d.DecidedAt
		return cursor.Key{T: &t, ID: d.ID}
	}), nil
}
