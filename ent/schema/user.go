package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// User is an account. Every other row belongs to exactly one user.
type User struct{ ent.Schema }

func (User) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}} }

func (User) Fields() []ent.Field {
	return []ent.Field{
		// Stored lower-cased; the unique constraint makes sign-up race-free.
		field.String("email").Unique().NotEmpty().MaxLen(320),
		field.String("name").MaxLen(200).Default(""),
		field.String("time_zone").Default("UTC").MaxLen(64),
		// argon2id PHC string; empty for accounts that cannot sign in with a password.
		field.String("password_hash").Optional().Sensitive(),
		// The person's reminder settings (JSON, remind.Settings); empty:
		// the defaults.
		field.Text("reminder_settings").Default(""),
	}
}

// Edges exist so that deleting a user deletes everything they own.
func (User) Edges() []ent.Edge {
	cascade := entsql.OnDelete(entsql.Cascade)
	return []ent.Edge{
		edge.To("sessions", Session.Type).Annotations(cascade),
		edge.To("api_tokens", APIToken.Type).Annotations(cascade),
		edge.To("connections", Connection.Type).Annotations(cascade),
		edge.To("calendars", Calendar.Type).Annotations(cascade),
		edge.To("series", Series.Type).Annotations(cascade),
		edge.To("meetings", Meeting.Type).Annotations(cascade),
		edge.To("meeting_tombstones", MeetingTombstone.Type).Annotations(cascade),
		edge.To("people", Person.Type).Annotations(cascade),
		edge.To("person_emails", PersonEmail.Type).Annotations(cascade),
		edge.To("organizations", Organization.Type).Annotations(cascade),
		edge.To("attendances", Attendance.Type).Annotations(cascade),
		edge.To("notes", Note.Type).Annotations(cascade),
		edge.To("action_items", ActionItem.Type).Annotations(cascade),
		edge.To("questions", Question.Type).Annotations(cascade),
		edge.To("decisions", Decision.Type).Annotations(cascade),
		edge.To("notifications", Notification.Type).Annotations(cascade),
		edge.To("webhooks", Webhook.Type).Annotations(cascade),
		edge.To("idempotency_keys", IdempotencyKey.Type).Annotations(cascade),
		edge.To("search_documents", SearchDocument.Type).Annotations(cascade),
	}
}

// ownerEdge is the inverse of one of User's edges, bound to owner_id.
func ownerEdge(ref string) ent.Edge {
	return edge.From("owner", User.Type).Ref(ref).Field("owner_id").Unique().Required().Immutable()
}
