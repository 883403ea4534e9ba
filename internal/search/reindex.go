package search

import (
	"context"
	"os"
	"runtime/debug"
	"slices"
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

// Refresh brings an owner's documents in line with the graph without
// taking them away meanwhile: every document is replaced (a backend may
// leave one that has not changed as it is), then those the graph no longer
// has are deleted. It is how an index update applies KeyAll (a calendar's first
// sync, start-up repair): a rebuild that dropped the owner's documents
// first left their searches empty until it was done. With pace.Rest it
// rests after each batch as long as the batch took, so that the server
// goes on answering while it runs.
func Refresh(ctx context.Context, src Source, idx Index, owner string, pace Pace) (int, error) {
	keep := map[string]struct{}{}
	docs := 0
	err := src.SearchDocuments(ctx, owner, func(batch []Document) error {
		start := time.Now()
		ids := make([]string, len(batch))
		for i, d := range batch {
			keep[d.ID] = struct{}{}
			ids[i] = d.ID
		}
		// Replaced by id: what has not changed is left as it is.
		if err := idx.Replace(ctx, owner, nil, ids, batch); err != nil {
			return err
		}
		docs += len(batch)
		if pace.Rest {
			return sleep(ctx, time.Since(start))
		}
		return nil
	})
	if err != nil {
		return docs, err
	}
	ids, err := idx.OwnerIDs(ctx, owner)
	if err != nil {
		return docs, err
	}
	var stale []string
	for _, id := range ids {
		if _, ok := keep[id]; !ok {
			stale = append(stale, id)
		}
	}
	for chunk := range slices.Chunk(stale, 1000) {
		if err := idx.Delete(ctx, chunk...); err != nil {
			return docs, err
		}
	}
	return docs, nil
}

// rebuildGC is the collector's GOGC during a full rebuild: at Go's default
// of 100 the collector took 12 % of a rebuild's CPU; at 400 a million
// documents were indexed 14 % faster (4,742 -> 5,542 documents/s), the
// process peaking at 1.5 GB instead of 1.4 (docs/performance.md).
const rebuildGC = 400

// rebuildMemory is the heap a rebuild keeps under (Go's soft memory limit):
// the collector runs at rebuildGC's pace until the heap nears it, then as
// often as it must, so that a rebuild holds about a batch's worth and not
// five times its live heap.
const rebuildMemory = 320 << 20

// PaceRebuildCollector sets the collector's pace for a process that does
// nothing but a rebuild (`debrief reindex`), unless GOGC and GOMEMLIMIT say
// otherwise.
func PaceRebuildCollector() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(rebuildGC)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(rebuildMemory)
	}
}
