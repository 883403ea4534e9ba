package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// SearchDocument is one indexed thing for the PostgreSQL full-text search
// backend (DEBRIEF_SEARCH=postgres): the text of a meeting, note, decision,
// action item, question or person, and the search vectors built from it.
// The bleve backend keeps its own index folder and leaves this table empty.
type SearchDocument struct{ ent.Schema }

func (SearchDocument) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}, OwnedMixin{}} }

func (SearchDocument) Fields() []ent.Field {
	vector := map[string]string{dialect.Postgres: "tsvector", dialect.SQLite: "text"}
	return []ent.Field{
		field.String("type").NotEmpty().MaxLen(32),
		field.Text("title").Default(""),
		field.Text("body").Default(""),
		field.Text("people").Default(""),
		field.Text("orgs").Default(""),
		field.Text("series").Default(""),
		field.String("meeting_id").Default("").MaxLen(26),
		// The ids of the people the document names (person: and org:
		// filter by them); null in documents of an older version, which
		// start-up repair writes again.
		field.String("person_ids").Optional().SchemaType(map[string]string{dialect.Postgres: "text[]", dialect.SQLite: "text"}),
		field.Time("when"),
		field.String("status").Default("").MaxLen(16),
		// Weighted: title A, people B, organizations and series C, body D.
		field.String("tsv").Optional().SchemaType(vector),
		// The filters' own vectors (person:, org:, series:).
		field.String("people_tsv").Optional().SchemaType(vector),
		field.String("orgs_tsv").Optional().SchemaType(vector),
		field.String("series_tsv").Optional().SchemaType(vector),
		// How the text was read into the vectors (the PostgreSQL backend's
		// analysis version: 1 added hyphenated words joined and irregular
		// verb forms as their base); older documents are written again by
		// start-up repair.
		field.Int("analysis").Default(0),
		// hash sums up what the document was written from (empty: written
		// before hashes): an unchanged document is not written again.
		field.String("hash").Default("").MaxLen(32),
		// keys are tsv's words without positions, each after its owner's
		// tag (see internal/search/postgres): under their GIN index a
		// query reads the posting lists of its owner's words only, not
		// every account's. Null in documents written before them.
		field.String("keys").Optional().SchemaType(vector),
	}
}

func (SearchDocument) Edges() []ent.Edge { return []ent.Edge{ownerEdge("search_documents")} }

func (SearchDocument) Indexes() []ent.Index {
	return []ent.Index{
		// Every query finds its candidates by their owner's words (GIN on
		// PostgreSQL).
		index.Fields("keys").Annotations(entsql.IndexTypes(map[string]string{dialect.Postgres: "GIN"})),
		// The documents written before keys, found at once (none, once
		// start-up repair has written them again).
		index.Fields("owner_id").Annotations(entsql.IndexWhere("keys IS NULL")).StorageKey("searchdocument_unkeyed"),
		// Filters by time, and recency ordering, within one owner.
		index.Fields("owner_id", "when"),
		// A meeting's documents are replaced together.
		index.Fields("owner_id", "meeting_id"),
	}
}

// SearchPending is the search index's outbox: every write that changes
// what is indexed adds a row naming what changed (a meeting, a person, an
// item outside meetings, or all of an owner's documents) in its own
// transaction, with a River job that applies the rows and deletes them. A
// crash between the commit and the indexing loses nothing: the rows and the
// job are still there after the restart.
type SearchPending struct{ ent.Schema }

func (SearchPending) Mixin() []ent.Mixin { return []ent.Mixin{BaseMixin{}} }

func (SearchPending) Fields() []ent.Field {
	return []ent.Field{
		// No edge to the owner: the row outlives a deleted account, so that
		// its documents are dropped from the index.
		field.String("owner_id").NotEmpty().MaxLen(26),
		// search.Key…: "m:<meeting id>", "p:<person id>", "x:<item id>", "*".
		field.String("key").NotEmpty().MaxLen(40),
	}
}

func (SearchPending) Indexes() []ent.Index {
	return []ent.Index{
		// The worker reads an owner's rows in the order they were written.
		index.Fields("owner_id", "id"),
	}
}
