package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Notification is a reminder or digest, due or sent.
type Notification struct{ ent.Schema }

func (Notification) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedMixin{}} }

func (Notification) Fields() []ent.Field {
	return []ent.Field{
		field.String("kind").NotEmpty().MaxLen(64),
		field.Enum("channel").Values("email", "webhook", "in_app"),
		field.String("subject").Default("").MaxLen(1000),
		field.Text("body").Default(""),
		// What this reminder is about (e.g. "due:<item id>:<date>"); unique per
		// owner so several instances never send the same reminder twice.
		field.String("dedupe_key").NotEmpty().MaxLen(255),
		field.Time("scheduled_at"),
		field.Time("sent_at").Optional().Nillable(),
		field.Time("read_at").Optional().Nillable(),
		field.Enum("status").Values("pending", "sent", "failed", "cancelled").Default("pending"),
		field.String("last_error").Optional(),
	}
}

func (Notification) Edges() []ent.Edge { return []ent.Edge{ownerEdge("notifications")} }

func (Notification) Indexes() []ent.Index {
	return []ent.Index{
		// Fire-once guarantee for reminders.
		index.Fields("owner_id", "dedupe_key").Unique(),
		// The delivery worker picks pending notifications by due time.
		index.Fields("status", "scheduled_at"),
	}
}
