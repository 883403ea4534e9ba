package search

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Document is one searchable thing of the graph, flattened: what people
// search for in it, and what the filters look at.
type Document struct {
	ID    string // the entity's id (ULIDs are unique across types)
	Type  string
	Owner string
	Title string // meeting title, decision text, item title, person name
	Body  string // note body, meeting description
	// People are the names and addresses of the people the document
	// names, as words to find it by: a meeting's and its note's
	// attendees, an item's owner, a decision's people — each meeting's
	// attendees once or twice, never once per item (a meeting of 500 with
	// 2,000 items was a billion words).
	People []string
	// Orgs are the names and domains of those people's organizations
	// (a person's own, for a person).
	Orgs []string
	// PersonIDs are the ids of the people the document names (for a
	// person, their own), which person: and org: filters match.
	PersonIDs []string
	Series    string // the title of the meeting's series
	MeetingID string
	// When is the meeting's start (or, for what belongs to no meeting, when
	// it was made): filters use it and recency breaks ties.
	When   time.Time
	Status string // open or done (action items, questions); "" otherwise
}

// Hash sums up everything of a document that is indexed: a backend leaves
// a document whose hash it has already as it is.
func (d Document) Hash() string {
	h := sha256.New()
	for _, s := range []string{d.ID, d.Type, d.Owner, d.Title, d.Body, strings.Join(d.People, "\x1f"), strings.Join(d.Orgs, "\x1f"),
		strings.Join(d.PersonIDs, "\x1f"), d.Series, d.MeetingID, d.When.UTC().Format(time.RFC3339Nano), d.Status} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Hit is one result.
type Hit struct {
	Type      string
	ID        string
	Title     string
	Snippet   string // HTML: matches in <mark>, the rest escaped
	MeetingID string // "" for what belongs to no meeting
	StartsAt  *time.Time
	Score     float64
	// Partial: the hit lacks some of the query's words.
	Partial bool
}

// Result is one page of hits.
type Result struct {
	Total int
	Hits  []Hit
}

// Page asks for hits [Offset, Offset+Limit).
type Page struct {
	Offset, Limit int
}

// Texts gives documents' bodies as the graph holds them now, by id (none
// for a document without one): a backend that does not keep the text
// cuts its snippets from them. The ids come by document type, so that
// only the kinds among the hits are read.
type Texts interface {
	SearchTexts(ctx context.Context, owner string, idsByType map[string][]string) (map[string]string, error)
}

// Index is a search backend. Every search is filtered by owner inside the
// backend: one user's query never reads another's documents.
type Index interface {
	// People are the ids of the owner's people (their documents) whose
	// name or address — or, with byOrg, whose organization's name or
	// domain — holds text as a phrase: at most limit, in no order.
	People(ctx context.Context, owner, text string, byOrg bool, limit int) ([]string, error)
	// Outdated reports documents written by an older version of Debrief,
	// which start-up repair writes again.
	Outdated(ctx context.Context) (bool, error)
	// Put adds or replaces documents.
	Put(ctx context.Context, docs ...Document) error
	// Delete removes documents by id.
	Delete(ctx context.Context, ids ...string) error
	// Replace is one change made at once, what an index update applies:
	// the owner's documents of meetings (and everything under them) and
	// those with ids are replaced by docs. A search sees the old documents
	// or the new ones, never neither.
	Replace(ctx context.Context, owner string, meetingIDs, ids []string, docs []Document) error
	Search(ctx context.Context, owner string, q Query, p Page) (Result, error)
	// OwnerIDs are the ids of an owner's documents: a refresh deletes
	// those the graph no longer has.
	OwnerIDs(ctx context.Context, owner string) ([]string, error)
	// Count is how many documents the index holds (for start-up repair).
	Count(ctx context.Context) (uint64, error)
	Close() error
}
