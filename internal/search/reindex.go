package search

import (
	"context"
	"time"
)

// Source is where documents come from: the graph (the store).
type Source interface {
	SearchDocuments(ctx context.Context, owner string, fn func([]Document) error) error
	UserIDs(ctx context.Context) ([]string, error)
}

// OwnerDeleter is an index that can drop an owner's documents at once.
type OwnerDeleter interface {
	DeleteOwner(ctx context.Context, owner string) error
}

// Progress is told how far a reindex has come: the users reached (the one
// being indexed counts) and the documents written.
type Progress func(users, docs int, elapsed time.Duration)

// Reindex rebuilds the index from the graph: every user's documents, or
// only owner's, each user's old documents dropped first. The database is
// the source of truth; the index can always be made again from it.
func Reindex(ctx context.Context, src Source, idx Index, owner string, progress Progress) (int, error) {
	owners := []string{owner}
	if owner == "" {
		var err error
		if owners, err = src.UserIDs(ctx); err != nil {
			return 0, err
		}
	}
	start, docs := time.Now(), 0
	for i, o := range owners {
		if d, ok := idx.(OwnerDeleter); ok {
			if err := d.DeleteOwner(ctx, o); err != nil {
				return docs, err
			}
		}
		err := src.SearchDocuments(ctx, o, func(batch []Document) error {
			if err := idx.Put(ctx, batch...); err != nil {
				return err
			}
			docs += len(batch)
			if progress != nil {
				progress(i+1, docs, time.Since(start))
			}
			return nil
		})
		if err != nil {
			return docs, err
		}
		if progress != nil {
			progress(i+1, docs, time.Since(start))
		}
	}
	return docs, nil
}
