package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Session is a browser sign-in. Only the SHA-256 of the cookie value is kept.
type Session struct{ ent.Schema }

func (Session) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedMixin{}} }

func (Session) Fields() []ent.Field {
	return []ent.Field{
		field.String("token_hash").Unique().Immutable().Sensitive(),
		field.Time("expires_at"),
		field.Time("last_seen_at").Optional().Nillable(),
		field.String("user_agent").Optional().MaxLen(512),
	}
}

func (Session) Edges() []ent.Edge { return []ent.Edge{ownerEdge("sessions")} }

// APIToken is a personal token for scripts. Only its SHA-256 is kept; the
// token itself is shown once, at creation.
type APIToken struct{ ent.Schema }

func (APIToken) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedMixin{}} }

func (APIToken) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100),
		field.String("token_hash").Unique().Immutable().Sensitive(),
		field.Time("last_used_at").Optional().Nillable(),
	}
}

func (APIToken) Edges() []ent.Edge { return []ent.Edge{ownerEdge("api_tokens")} }

// IdempotencyKey remembers the first response to a POST sent with an
// Idempotency-Key header, so a retried request replays it instead of creating
// a duplicate.
type IdempotencyKey struct{ ent.Schema }

func (IdempotencyKey) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedMixin{}} }

func (IdempotencyKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("key").NotEmpty().MaxLen(255).Immutable(),
		// method + path + body digest: a reused key with another request is refused.
		field.String("request_hash").Immutable(),
		field.Int("status_code").Default(0),
		field.String("content_type").Default(""),
		field.Bytes("response_body").Optional(),
		field.Bool("completed").Default(false),
		// What the request created ("meeting:<id>"), written in the same
		// transaction: a response lost to a crash is answered from it.
		field.String("resource").Optional().MaxLen(300),
	}
}

func (IdempotencyKey) Edges() []ent.Edge { return []ent.Edge{ownerEdge("idempotency_keys")} }

func (IdempotencyKey) Indexes() []ent.Index {
	return []ent.Index{
		// Keys are per user; the constraint is what makes two concurrent retries
		// with one key produce one row.
		index.Fields("owner_id", "key").Unique(),
	}
}
