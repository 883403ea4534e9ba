package search

import (
	"context"
	"fmt"
	"strings"
)

// Keys name what a write changed, in the outbox the store writes with it
// (search_pending): an update re-reads those things from the graph and
// replaces their documents.
const (
	keyMeeting = "m:" // a meeting and everything indexed under it
	keyPerson  = "p:" // a person
	keyLoose   = "x:" // a decision, action item or question outside meetings
	// KeyAll is all of an owner's documents (a large calendar sync, an
	// account deleted, start-up repair).
	KeyAll = "*"
)

// KeyMeeting, KeyPerson and KeyLoose name one thing.
func KeyMeeting(id string) string { return keyMeeting + id }
func KeyPerson(id string) string  { return keyPerson + id }
func KeyLoose(id string) string   { return keyLoose + id }

// Pending is one outbox row.
type Pending struct {
	ID, Key string
}

// Graph is what an update reads: the outbox, and documents as they are now
// (none for what is gone).
type Graph interface {
	Source
	PendingSearch(ctx context.Context, owner string, limit int) ([]Pending, error)
	DonePendingSearch(ctx context.Context, ids []string) error
	MeetingSearchDocuments(ctx context.Context, owner string, ids ...string) ([]Document, error)
	PersonSearchDocuments(ctx context.Context, owner string, ids ...string) ([]Document, error)
	LooseSearchDocuments(ctx context.Context, owner string, ids ...string) ([]Document, error)
}

// pendingBatch is how many outbox rows an update applies at a time.
const pendingBatch = 500

// Update applies an owner's outbox to the index until it is empty: each
// row's documents are deleted and written again from the graph, then the
// row is deleted. Rows written while it runs are applied too, or by the
// next update (the row outlives a failure: it is deleted only once its
// documents are written).
func Update(ctx context.Context, g Graph, idx Index, owner string) (int, error) {
	docs := 0
	for {
		rows, err := g.PendingSearch(ctx, owner, pendingBatch)
		if err != nil || len(rows) == 0 {
			return docs, err
		}
		n, err := apply(ctx, g, idx, owner, rows)
		docs += n
		if err != nil {
			return docs, err
		}
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		if err := g.DonePendingSearch(ctx, ids); err != nil {
			return docs, err
		}
	}
}

func apply(ctx context.Context, g Graph, idx Index, owner string, rows []Pending) (int, error) {
	var meetings, people, loose []string
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r.Key] {
			continue
		}
		seen[r.Key] = true
		switch {
		case r.Key == KeyAll:
			return Reindex(ctx, g, idx, owner, nil)
		case strings.HasPrefix(r.Key, keyMeeting):
			meetings = append(meetings, r.Key[len(keyMeeting):])
		case strings.HasPrefix(r.Key, keyPerson):
			people = append(people, r.Key[len(keyPerson):])
		case strings.HasPrefix(r.Key, keyLoose):
			loose = append(loose, r.Key[len(keyLoose):])
		default:
			return 0, fmt.Errorf("search: unknown outbox key %q", r.Key)
		}
	}
	var docs []Document
	if len(meetings) > 0 {
		if err := idx.DeleteMeetings(ctx, owner, meetings...); err != nil {
			return 0, err
		}
		ds, err := g.MeetingSearchDocuments(ctx, owner, meetings...)
		if err != nil {
			return 0, err
		}
		docs = append(docs, ds...)
	}
	for _, one := range []struct {
		ids  []string
		read func(context.Context, string, ...string) ([]Document, error)
	}{{people, g.PersonSearchDocuments}, {loose, g.LooseSearchDocuments}} {
		if len(one.ids) == 0 {
			continue
		}
		if err := idx.Delete(ctx, one.ids...); err != nil {
			return 0, err
		}
		ds, err := one.read(ctx, owner, one.ids...)
		if err != nil {
			return 0, err
		}
		docs = append(docs, ds...)
	}
	if len(docs) == 0 {
		return 0, nil
	}
	return len(docs), idx.Put(ctx, docs...)
}
