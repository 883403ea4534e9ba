package store

import (
	"context"
	"time"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/actionitem"
	"github.com/debrief-hq/debrief/ent/attendance"
	"github.com/debrief-hq/debrief/ent/decision"
	"github.com/debrief-hq/debrief/ent/meeting"
	"github.com/debrief-hq/debrief/ent/organization"
	"github.com/debrief-hq/debrief/ent/person"
	"github.com/debrief-hq/debrief/ent/personemail"
	"github.com/debrief-hq/debrief/ent/predicate"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/cursor"
	dperson "github.com/debrief-hq/debrief/internal/person"
)

// personPageSize bounds each list embedded in a person page.
const personPageSize = 20

// personUpcoming is how many meetings to come a person page shows.
const personUpcoming = 3

func toPerson(p *ent.Person) dperson.Person {
	out := dperson.Person{ID: p.ID, Name: p.Name, Email: p.Email, Emails: p.Emails, CreatedAt: p.CreatedAt.UTC()}
	if len(out.Emails) == 0 {
		out.Emails = []string{p.Email}
	}
	if o := p.Edges.Organization; o != nil {
		out.Organization = &dperson.OrgRef{ID: o.ID, Name: o.Name, Domain: o.Domain}
	}
	return out
}

func (s *Store) GetPerson(ctx context.Context, owner, id string, now time.Time) (dperson.Detail, error) {
	p, err := s.db.Ent.Person.Query().Where(person.OwnerID(owner), person.ID(id)).WithOrganization().Only(ctx)
	if err != nil {
		return dperson.Detail{}, notFound(err, "person")
	}
	together := meeting.HasAttendancesWith(attendance.OwnerID(owner), attendance.PersonID(id))
	mrows, err := s.db.Ent.Meeting.Query().
		Where(meeting.OwnerID(owner), together, meeting.StartsAtLTE(ts(now)), meeting.HiddenAtIsNil()).
		Order(ent.Desc(meeting.FieldStartsAt)).Limit(personPageSize).All(ctx)
	if err != nil {
		return dperson.Detail{}, translate(err)
	}
	ms, err := s.withAttendees(ctx, mrows)
	if err != nil {
		return dperson.Detail{}, err
	}
	next, err := s.db.Ent.Meeting.Query().
		Where(meeting.OwnerID(owner), together, meeting.StartsAtGT(ts(now)), meeting.HiddenAtIsNil()).
		Order(ent.Asc(meeting.FieldStartsAt)).Limit(personUpcoming).All(ctx)
	if err != nil {
		return dperson.Detail{}, translate(err)
	}
	upcoming, err := s.withAttendees(ctx, next)
	if err != nil {
		return dperson.Detail{}, err
	}
	items, err := s.db.Ent.ActionItem.Query().
		Where(actionitem.OwnerID(owner), actionitem.AssigneeID(id), actionitem.StatusEQ(actionitem.StatusOpen)).
		WithAssignee().Order(ent.Asc(actionitem.FieldID)).Limit(personPageSize).All(ctx)
	if err != nil {
		return dperson.Detail{}, translate(err)
	}
	all, err := s.db.Ent.ActionItem.Query().Where(actionitem.OwnerID(owner), actionitem.AssigneeID(id)).
		WithAssignee().Order(ent.Desc(actionitem.FieldID)).Limit(personPageSize).All(ctx)
	if err != nil {
		return dperson.Detail{}, translate(err)
	}
	ds, err := s.db.Ent.Decision.Query().
		Where(decision.OwnerID(owner), decision.HasPeopleWith(person.ID(id)), decision.DetachedAtIsNil()).
		WithPeople().Order(ent.Desc(decision.FieldDecidedAt)).Limit(personPageSize).All(ctx)
	if err != nil {
		return dperson.Detail{}, translate(err)
	}
	return dperson.Detail{
		Person:           toPerson(p),
		RecentMeetings:   ms,
		UpcomingMeetings: upcoming,
		OpenActionItems:  mapSlice(items, toActionItem),
		Decisions:        mapSlice(ds, toDecision),
		Items:            mapSlice(all, toActionItem),
	}, nil
}

func (s *Store) UpdatePerson(ctx context.Context, owner, id string, in dperson.UpdateInput) (dperson.Person, error) {
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		p, err := tx.Person.Query().Where(person.OwnerID(owner), person.ID(id)).Only(ctx)
		if err != nil {
			return notFound(err, "person")
		}
		u := tx.Person.UpdateOne(p).SetNillableName(in.Name)
		if in.Emails != nil {
			emails := *in.Emails
			taken, err := tx.PersonEmail.Query().
				Where(personemail.OwnerID(owner), personemail.PersonIDNEQ(id), personemail.EmailIn(emails...)).First(ctx)
			if err == nil {
				return apperr.Conflict("%s is already an address of another person; merging people is not supported yet", taken.Email)
			} else if !ent.IsNotFound(err) {
				return err
			}
			if _, err := tx.PersonEmail.Delete().Where(personemail.PersonID(id)).Exec(ctx); err != nil {
				return err
			}
			rows := make([]*ent.PersonEmailCreate, len(emails))
			for i, e := range emails {
				rows[i] = tx.PersonEmail.Create().SetOwnerID(owner).SetPersonID(id).SetEmail(e)
			}
			if err := tx.PersonEmail.CreateBulk(rows...).Exec(ctx); err != nil {
				return err
			}
			u.SetEmail(emails[0]).SetEmails(emails)
		}
		if err := u.Exec(ctx); err != nil {
			return err
		}
		return s.markPerson(ctx, tx, owner, id)
	})
	if err != nil {
		return dperson.Person{}, err
	}
	p, err := s.db.Ent.Person.Query().Where(person.ID(id)).WithOrganization().Only(ctx)
	if err != nil {
		return dperson.Person{}, notFound(err, "person")
	}
	return toPerson(p), nil
}

func (s *Store) ListPeople(ctx context.Context, owner string, f dperson.Filter) (cursor.Result[dperson.Person], error) {
	ps := []predicate.Person{person.OwnerID(owner)}
	if f.Q != "" {
		ps = append(ps, person.Or(person.NameContainsFold(f.Q), person.EmailContainsFold(f.Q)))
	}
	if f.OrganizationID != "" {
		ps = append(ps, person.OrganizationID(f.OrganizationID))
	}
	if f.Page.After != nil {
		ps = append(ps, person.IDGT(f.Page.After.ID))
	}
	rows, err := s.db.Ent.Person.Query().Where(ps...).WithOrganization().
		Order(ent.Asc(person.FieldID)).Limit(f.Page.Limit + 1).All(ctx)
	if err != nil {
		return cursor.Result[dperson.Person]{}, translate(err)
	}
	return cursor.Cut(mapSlice(rows, toPerson), f.Page.Limit, idKey(func(p dperson.Person) string { return p.ID })), nil
}

func toOrg(o *ent.Organization) dperson.Organization {
	return dperson.Organization{ID: o.ID, Domain: o.Domain, Name: o.Name, CreatedAt: o.CreatedAt.UTC()}
}

func (s *Store) GetOrganization(ctx context.Context, owner, id string) (dperson.OrgDetail, error) {
	o, err := s.db.Ent.Organization.Query().Where(organization.OwnerID(owner), organization.ID(id)).
		WithPeople(func(q *ent.PersonQuery) { q.WithOrganization().Order(ent.Asc(person.FieldID)) }).Only(ctx)
	if err != nil {
		return dperson.OrgDetail{}, notFound(err, "organization")
	}
	return dperson.OrgDetail{Organization: toOrg(o), People: mapSlice(o.Edges.People, toPerson)}, nil
}

func (s *Store) ListOrganizations(ctx context.Context, owner string, page cursor.Page) (cursor.Result[dperson.Organization], error) {
	q := s.db.Ent.Organization.Query().Where(organization.OwnerID(owner))
	if page.After != nil {
		q = q.Where(organization.IDGT(page.After.ID))
	}
	rows, err := q.Order(ent.Asc(organization.FieldID)).Limit(page.Limit + 1).All(ctx)
	if err != nil {
		return cursor.Result[dperson.Organization]{}, translate(err)
	}
	return cursor.Cut(mapSlice(rows, toOrg), page.Limit, idKey(func(o dperson.Organization) string { return o.ID })), nil
}
