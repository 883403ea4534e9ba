package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Note is Markdown text on a meeting, on a person (1:1 topics), or alone.
type Note struct{ ent.Schema }

func (Note) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedMixin{}} }

func (Note) Fields() []ent.Field {
	return []ent.Field{
		field.Text("body").Default(""),
		// Optimistic lock: every save bumps it; a save naming an older one fails.
		field.Int("version").Default(1),
		field.String("meeting_id").Optional().Nillable(),
		field.String("person_id").Optional().Nillable(),
	}
}

func (Note) Edges() []ent.Edge {
	return []ent.Edge{
		ownerEdge("notes"),
		edge.From("meeting", Meeting.Type).Ref("note").Field("meeting_id").Unique(),
		edge.From("person", Person.Type).Ref("note").Field("person_id").Unique(),
		edge.To("action_items", ActionItem.Type),
		edge.To("questions", Question.Type),
		edge.To("decisions", Decision.Type),
	}
}

// itemFields are the fields every extracted item shares: where it came from.
func itemFields() []ent.Field {
	return []ent.Field{
		field.String("note_id").Optional().Nillable(),
		// The ` ^k3x9` id the server appended to the source line.
		field.String("block_id").Optional().Nillable().MaxLen(16),
		field.String("meeting_id").Optional().Nillable(),
		// When the item's line left its note. Open action items whose line is
		// deleted are dropped; done items and decisions are kept with this set.
		field.Time("detached_at").Optional().Nillable(),
		// The line as last saved (without its marker and block id): a save
		// reads a line's phrases again only when it changed.
		field.Text("line").Optional().Nillable(),
		// The person whose note the item came from (a 1:1 topic list).
		field.String("about_person_id").Optional().Nillable(),
	}
}

func itemIndexes() []ent.Index {
	return []ent.Index{
		// Reconciliation finds an item by its line's block id; unique so a
		// note save can never duplicate one.
		index.Fields("note_id", "block_id").Unique(),
		// A meeting page, a brief and a series list items by meeting; owner
		// first so the planner never prefers the owner-only index.
		index.Fields("owner_id", "meeting_id"),
		// A person page lists the items of their note.
		index.Fields("owner_id", "about_person_id"),
	}
}

// ActionItem is something someone owes.
type ActionItem struct{ ent.Schema }

func (ActionItem) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedMixin{}} }

func (ActionItem) Fields() []ent.Field {
	return append([]ent.Field{
		field.String("title").NotEmpty().MaxLen(2000),
		field.Enum("status").Values("open", "done", "dropped").Default("open"),
		// The Person who owes it; nil means the user themself.
		field.String("assignee_id").Optional().Nillable(),
		field.Time("due_at").Optional().Nillable(),
		field.Time("completed_at").Optional().Nillable(),
		// When to remind the owner (remind:… in the line, or set through
		// the API; a snooze moves it).
		field.Time("remind_at").Optional().Nillable(),
		// "next time" in the line: reminded at the start of the next
		// meeting with the people it names, not at a clock time.
		field.Bool("next_meeting").Default(false),
		// The people the line names (person ids): a "next time" item waits
		// for the next meeting one of them attends.
		field.Strings("people").Optional(),
	}, itemFields()...)
}

func (ActionItem) Edges() []ent.Edge {
	return []ent.Edge{
		ownerEdge("action_items"),
		edge.From("assignee", Person.Type).Ref("assigned_items").Field("assignee_id").Unique(),
		edge.From("note", Note.Type).Ref("action_items").Field("note_id").Unique(),
		edge.From("meeting", Meeting.Type).Ref("action_items").Field("meeting_id").Unique(),
	}
}

func (ActionItem) Indexes() []ent.Index {
	return append(itemIndexes(),
		// The inbox and reminders list open items by due date.
		index.Fields("owner_id", "status", "due_at"),
		// A person page and "owed to me" list what people owe.
		index.Fields("owner_id", "assignee_id"),
	)
}

// Question is an open question to follow up (`??`).
type Question struct{ ent.Schema }

func (Question) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedMixin{}} }

func (Question) Fields() []ent.Field {
	return append([]ent.Field{
		field.String("text").NotEmpty().MaxLen(2000),
		// dropped: it was open when its line left the note.
		field.Enum("status").Values("open", "answered", "dropped").Default("open"),
		field.Time("answered_at").Optional().Nillable(),
		// The answer: an `A: …` or `-> …` line under the question, or set
		// through the API (which writes that line).
		field.Text("answer").Optional().Nillable(),
		field.Time("remind_at").Optional().Nillable(),
		// The people the question names (person ids): it is reminded at the
		// next meeting one of them attends.
		field.Strings("people").Optional(),
	}, itemFields()...)
}

func (Question) Edges() []ent.Edge {
	return []ent.Edge{
		ownerEdge("questions"),
		edge.From("note", Note.Type).Ref("questions").Field("note_id").Unique(),
		edge.From("meeting", Meeting.Type).Ref("questions").Field("meeting_id").Unique(),
	}
}

func (Question) Indexes() []ent.Index { return itemIndexes() }

// Decision is something decided; a later decision may supersede it.
type Decision struct{ ent.Schema }

func (Decision) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedMixin{}} }

func (Decision) Fields() []ent.Field {
	return append([]ent.Field{
		field.String("text").NotEmpty().MaxLen(2000),
		field.Time("decided_at"),
		field.String("superseded_by_id").Optional().Nillable(),
	}, itemFields()...)
}

func (Decision) Edges() []ent.Edge {
	return []ent.Edge{
		ownerEdge("decisions"),
		edge.To("people", Person.Type),
		edge.To("supersedes", Decision.Type).From("superseded_by").Field("superseded_by_id").Unique(),
		edge.From("note", Note.Type).Ref("decisions").Field("note_id").Unique(),
		edge.From("meeting", Meeting.Type).Ref("decisions").Field("meeting_id").Unique(),
	}
}

func (Decision) Indexes() []ent.Index {
	return append(itemIndexes(),
		// Decision lists are newest first per owner.
		index.Fields("owner_id", "decided_at"),
	)
}
