package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Meeting is one occurrence of a series, or an ad-hoc meeting.
type Meeting struct{ ent.Schema }

// Meeting's owner-prefixed indexes serve owner-only lookups: a calendar
// sync creates a hundred thousand meetings, and each index is a b-tree
// insert per row.
func (Meeting) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedCoveredMixin{}} }

func (Meeting) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").Default("").MaxLen(1000),
		field.Text("description").Default(""),
		// The meeting's description is its series' (and description is
		// empty): a feed's series may carry kilobytes of dial-in text, stored
		// once instead of with each of its hundreds of occurrences.
		field.Bool("shares_description").Default(false),
		field.String("location").Default("").MaxLen(1000),
		field.String("video_url").Default("").MaxLen(2048),
		field.Time("starts_at"),
		field.Time("ends_at"),
		// IANA zone the meeting was scheduled in; starts/ends are stored in UTC.
		field.String("time_zone").Default("UTC").MaxLen(64),
		field.Bool("all_day").Default(false),
		field.Enum("status").Values("confirmed", "tentative", "cancelled").Default("confirmed"),
		// Identity of a synced meeting: (ical_uid, original_start). Both nil for ad-hoc meetings.
		field.String("ical_uid").Optional().Nillable().MaxLen(1024),
		field.Time("original_start").Optional().Nillable(),
		// The UID of the part of a split series the meeting came from
		// (Google's `<id>_R<date>` after "this and following"), when it
		// differs from ical_uid: the parts share ical_uid, so that notes
		// stay attached across the split, and this tells one part's sweep
		// and cancellation from the other's. Nil for nearly every meeting.
		field.String("source_uid").Optional().Nillable().MaxLen(1100),
		field.String("calendar_id").Optional().Nillable(),
		field.String("series_id").Optional().Nillable(),
		// The fields of a synced meeting its person changed, each with what
		// the calendar says now: a sync keeps their values and updates these.
		field.JSON("calendar_says", map[string]string{}).Optional(),
		// When its person hid it: out of their views, across syncs, until
		// they show it again.
		field.Time("hidden_at").Optional().Nillable(),
	}
}

func (Meeting) Edges() []ent.Edge {
	return []ent.Edge{
		ownerEdge("meetings"),
		edge.From("calendar", Calendar.Type).Ref("meetings").Field("calendar_id").Unique(),
		edge.From("series", Series.Type).Ref("meetings").Field("series_id").Unique(),
		edge.To("people", Person.Type).Through("attendances", Attendance.Type),
		// The meeting's note goes with it; extracted items outlive it (their
		// meeting_id becomes null).
		edge.To("note", Note.Type).Unique().Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("action_items", ActionItem.Type),
		edge.To("questions", Question.Type),
		edge.To("decisions", Decision.Type),
	}
}

func (Meeting) Indexes() []ent.Index {
	return []ent.Index{
		// DESIGN §1 meeting identity: the same event seen in two calendars, moved,
		// or re-imported is one meeting, so its notes stay attached.
		index.Fields("owner_id", "ical_uid", "original_start").Unique(),
		// Agenda and range listings scan a user's meetings by start time.
		index.Fields("owner_id", "starts_at"),
		// Series pages list a series' occurrences.
		index.Fields("series_id", "starts_at"),
	}
}

// Attendance is the edge schema Meeting↔Person.
type Attendance struct{ ent.Schema }

// Attendance's (owner_id, person_id) index serves owner-only lookups too: a
// calendar sync writes hundreds of thousands of attendances, and each index
// is a b-tree insert per row.
func (Attendance) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedCoveredMixin{}} }

func (Attendance) Fields() []ent.Field {
	return []ent.Field{
		field.String("meeting_id"),
		field.String("person_id"),
		field.Enum("response_status").Values("needs_action", "accepted", "declined", "tentative").Default("needs_action"),
		field.Bool("organizer").Default(false),
		field.Bool("optional").Default(false),
	}
}

func (Attendance) Edges() []ent.Edge {
	return []ent.Edge{
		ownerEdge("attendances"),
		edge.To("meeting", Meeting.Type).Unique().Required().Field("meeting_id").Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("person", Person.Type).Unique().Required().Field("person_id").Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

func (Attendance) Indexes() []ent.Index {
	return []ent.Index{
		// A person attends a meeting once.
		index.Fields("meeting_id", "person_id").Unique(),
		// "meetings with these people" (briefs, person pages) walks from the
		// person side. Owner first: with owner_id alone also indexed, SQLite
		// would otherwise scan all of an owner's attendances.
		index.Fields("owner_id", "person_id"),
	}
}

// MeetingTombstone remembers a synced meeting its person deleted, by its
// identity, so that no sync brings it back.
type MeetingTombstone struct{ ent.Schema }

func (MeetingTombstone) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedMixin{}} }

func (MeetingTombstone) Fields() []ent.Field {
	return []ent.Field{
		field.String("ical_uid").MaxLen(1024),
		field.Time("original_start"),
	}
}

func (MeetingTombstone) Edges() []ent.Edge {
	return []ent.Edge{ownerEdge("meeting_tombstones")}
}

func (MeetingTombstone) Indexes() []ent.Index {
	return []ent.Index{index.Fields("owner_id", "ical_uid", "original_start").Unique()}
}
