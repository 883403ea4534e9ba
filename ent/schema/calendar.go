package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Connection is one calendar account (Google) or feed (ICS).
type Connection struct{ ent.Schema }

func (Connection) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedMixin{}} }

func (Connection) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("provider").Values("google", "ics").Immutable(),
		field.String("name").Default("").MaxLen(200),
		field.String("feed_url").Optional().MaxLen(2048),
		// AES-GCM sealed OAuth token (key from config); never stored in clear.
		field.Bytes("oauth_token").Optional().Sensitive(),
		field.String("sync_token").Optional(),
		field.String("etag").Optional(),
		field.String("last_modified").Optional(),
		field.Enum("status").Values("active", "needs_reauth", "error", "paused").Default("active"),
		field.String("last_error").Optional(),
		field.Time("last_synced_at").Optional().Nillable(),
		field.Time("next_sync_at").Optional().Nillable(),
	}
}

func (Connection) Edges() []ent.Edge {
	return []ent.Edge{
		ownerEdge("connections"),
		edge.To("calendars", Calendar.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

func (Connection) Indexes() []ent.Index {
	return []ent.Index{
		// The sync scheduler picks connections whose next sync is due.
		index.Fields("next_sync_at"),
	}
}

// Calendar is one calendar inside a connection.
type Calendar struct{ ent.Schema }

func (Calendar) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedMixin{}} }

func (Calendar) Fields() []ent.Field {
	return []ent.Field{
		field.String("connection_id").Immutable(),
		field.String("provider_id").NotEmpty().Immutable(),
		field.String("name").Default(""),
		field.String("time_zone").Default(""),
		field.Bool("selected").Default(true),
		// Google's incremental sync position for this calendar.
		field.String("sync_token").Optional(),
		// The push channel watching this calendar (Google), renewed before
		// it expires; the token is what Google echoes back to prove it.
		field.String("watch_channel_id").Optional(),
		field.String("watch_resource_id").Optional(),
		field.String("watch_token").Optional().Sensitive(),
		field.Time("watch_expires_at").Optional().Nillable(),
	}
}

func (Calendar) Edges() []ent.Edge {
	return []ent.Edge{
		ownerEdge("calendars"),
		edge.From("connection", Connection.Type).Ref("calendars").Field("connection_id").Unique().Required().Immutable(),
		edge.To("meetings", Meeting.Type).Annotations(entsql.OnDelete(entsql.SetNull)),
	}
}

func (Calendar) Indexes() []ent.Index {
	return []ent.Index{
		// A provider's calendar appears once per connection; re-listing updates it.
		index.Fields("connection_id", "provider_id").Unique(),
		// A push notification names its channel; it finds its calendar here.
		index.Fields("watch_channel_id").Unique(),
	}
}

// Series is a recurring meeting: the occurrences share it and its history.
type Series struct{ ent.Schema }

func (Series) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedMixin{}} }

func (Series) Fields() []ent.Field {
	return []ent.Field{
		// The provider's recurring event id / iCal UID; empty for hand-made series.
		field.String("provider_key").Optional().Nillable().MaxLen(1024),
		field.String("title").Default("").MaxLen(1000),
		// The description of its occurrences that share it.
		field.Text("description").Default(""),
		// What a new occurrence's empty note starts from.
		field.Text("agenda_template").Default(""),
	}
}

func (Series) Edges() []ent.Edge {
	return []ent.Edge{
		ownerEdge("series"),
		edge.To("meetings", Meeting.Type).Annotations(entsql.OnDelete(entsql.SetNull)),
	}
}

func (Series) Indexes() []ent.Index {
	return []ent.Index{
		// Two calendars with the same recurring event share one series.
		index.Fields("owner_id", "provider_key").Unique(),
	}
}
