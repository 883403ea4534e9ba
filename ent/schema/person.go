package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Person is someone the user meets, keyed by email per owner.
type Person struct{ ent.Schema }

func (Person) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedMixin{}} }

func (Person) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").Default("").MaxLen(200),
		// Primary address, lower-cased.
		field.String("email").NotEmpty().MaxLen(320),
		// Every address of this person, primary first, for display; the
		// PersonEmail rows are what lookups use.
		field.Strings("emails").Optional(),
		field.String("organization_id").Optional().Nillable(),
	}
}

func (Person) Edges() []ent.Edge {
	return []ent.Edge{
		ownerEdge("people"),
		edge.From("organization", Organization.Type).Ref("people").Field("organization_id").Unique(),
		edge.From("meetings", Meeting.Type).Ref("people").Through("attendances", Attendance.Type),
		edge.To("note", Note.Type).Unique(),
		edge.To("addresses", PersonEmail.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("assigned_items", ActionItem.Type),
		edge.From("decisions", Decision.Type).Ref("people"),
	}
}

func (Person) Indexes() []ent.Index {
	return []ent.Index{
		// Attendees are deduplicated by email per owner; this makes concurrent
		// find-or-create safe.
		index.Fields("owner_id", "email").Unique(),
		// The newest change to an owner's people, read in one seek: a
		// save's mentions reuse the names it read last unless it moved.
		index.Fields("owner_id", "updated_at"),
	}
}

// PersonEmail is one address of a person. Attendees are matched to people
// by any of their addresses, so every address is indexed here.
type PersonEmail struct{ ent.Schema }

func (PersonEmail) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedMixin{}} }

func (PersonEmail) Fields() []ent.Field {
	return []ent.Field{
		field.String("person_id"),
		// Lower-cased.
		field.String("email").NotEmpty().MaxLen(320),
	}
}

func (PersonEmail) Edges() []ent.Edge {
	return []ent.Edge{
		ownerEdge("person_emails"),
		edge.From("person", Person.Type).Ref("addresses").Field("person_id").Unique().Required(),
	}
}

func (PersonEmail) Indexes() []ent.Index {
	return []ent.Index{
		// An address belongs to one person per owner: attendee lookup and the
		// guard against two people sharing an address.
		index.Fields("owner_id", "email").Unique(),
	}
}

// Organization is inferred from attendees' email domains (never webmail).
type Organization struct{ ent.Schema }

func (Organization) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedMixin{}} }

func (Organization) Fields() []ent.Field {
	return []ent.Field{
		field.String("domain").NotEmpty().MaxLen(255),
		field.String("name").Default("").MaxLen(200),
	}
}

func (Organization) Edges() []ent.Edge {
	return []ent.Edge{
		ownerEdge("organizations"),
		edge.To("people", Person.Type),
	}
}

func (Organization) Indexes() []ent.Index {
	return []ent.Index{
		// One organization per domain per owner; find-or-create relies on it.
		index.Fields("owner_id", "domain").Unique(),
	}
}
