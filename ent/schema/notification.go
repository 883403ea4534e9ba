package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Notification is one reminder or digest on one channel, due or sent: the
// ledger that makes each reminder go out exactly once per channel.
type Notification struct{ ent.Schema }

func (Notification) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedCoveredMixin{}} }

func (Notification) Fields() []ent.Field {
	return []ent.Field{
		// The event type: reminder.due, digest.overdue, meeting.recap, …
		field.String("kind").NotEmpty().MaxLen(64),
		field.Enum("channel").Values("email", "webhook", "in_app"),
		field.String("subject").Default("").MaxLen(1000),
		field.Text("body").Default(""),
		// What it is about ("item:<id>", "meeting:<id>", "digest"): what
		// its message is read from when it is sent.
		field.String("subject_ref").Default("").MaxLen(120),
		// The reminder's key (person, kind, subject, moment) and channel;
		// unique per owner, so several instances never plan or send the
		// same reminder twice.
		field.String("dedupe_key").NotEmpty().MaxLen(255),
		field.Time("scheduled_at"),
		field.Time("sent_at").Optional().Nillable(),
		field.Time("read_at").Optional().Nillable(),
		// sending: claimed by one instance, which may have crashed; a send
		// found in that state is made again with the same id, for the
		// receiver to drop as a duplicate.
		field.Enum("status").Values("pending", "sending", "sent", "failed", "cancelled").Default("pending"),
		field.String("webhook_id").Optional().Nillable(),
		field.Int("attempts").Default(0),
		field.Time("claimed_at").Optional().Nillable(),
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
		// Planning reads an owner's pending deliveries.
		index.Fields("owner_id", "status"),
		// The in-app list: a person's notifications, newest first.
		index.Fields("owner_id", "channel", "created_at"),
	}
}

// Webhook is where a person's reminders are POSTed (Slack, Mattermost,
// their own service), signed with its secret.
type Webhook struct{ ent.Schema }

func (Webhook) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedMixin{}} }

func (Webhook) Fields() []ent.Field {
	return []ent.Field{
		field.String("url").NotEmpty().MaxLen(2048),
		// The event types it receives (JSON list).
		field.Text("events"),
		// The HMAC secret, sealed with the server's key.
		field.Bytes("secret").Sensitive(),
		field.String("last_error").Default("").MaxLen(2000),
	}
}

func (Webhook) Edges() []ent.Edge { return []ent.Edge{ownerEdge("webhooks")} }
