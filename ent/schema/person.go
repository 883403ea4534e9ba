package schema

import (
	"entgo.io/ent"
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
		// Every address seen for this person, primary first.
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
		edge.To("assigned_items", ActionItem.Type),
		edge.From("decisions", Decision.Type).Ref("people"),
	}
}

func (Person) Indexes() []ent.Index {
	return []ent.Index{
		// Attendees are deduplicated by email per owner; this makes concurrent
		// find-or-create safe.
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
