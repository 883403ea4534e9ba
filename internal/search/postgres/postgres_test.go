package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/search"
	"github.com/debrief-hq/debrief/internal/search/postgres"
	"github.com/debrief-hq/debrief/internal/search/searchtest"
	"github.com/debrief-hq/debrief/internal/store"
	"github.com/debrief-hq/debrief/internal/testutil"
)

// TestConformance runs the backends' common suite on PostgreSQL (the
// suite's owners are made as users first: documents belong to accounts).
func TestConformance(t *testing.T) {
	testutil.OnPostgres(t, func(t *testing.T) {
		// PostgreSQL keeps the text it cuts snippets from.
		searchtest.Run(t, func(t *testing.T, _ search.Texts) search.Index {
			return postgres.New(openDB(t, searchtest.Owners...).SQL)
		})
	})
}

// openDB is a new, migrated PostgreSQL database holding accounts of the
// owners (documents belong to accounts), closed with the test.
func openDB(t *testing.T, owners ...string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DatabaseURL: testutil.PostgresDatabase(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for _, id := range owners {
		if _, err := db.SQL.ExecContext(ctx, `INSERT INTO users (id, created_at, updated_at, email) VALUES ($1, now(), now(), $2)`, id, id+"@example.com"); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// TestOutdated: documents read into vectors by an older analysis are
// outdated (start-up repair writes them again), and writing them again
// makes them current.
func TestOutdated(t *testing.T) { testutil.OnPostgres(t, outdated) }

func outdated(t *testing.T) {
	ctx := context.Background()
	owner := searchtest.Owners[0]
	db := openDB(t, owner)
	idx := postgres.New(db.SQL)
	doc := search.Document{ID: "x1", Type: search.TypeNote, Owner: owner, Body: "the release is frozen", When: time.Now()}
	if err := idx.Put(ctx, doc); err != nil {
		t.Fatal(err)
	}
	outdated := func() bool {
		t.Helper()
		old, err := idx.Outdated(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return old
	}
	if outdated() {
		t.Fatal("a document just written is outdated")
	}
	if _, err := db.SQL.ExecContext(ctx, `UPDATE search_documents SET analysis = 0`); err != nil {
		t.Fatal(err)
	}
	if !outdated() {
		t.Fatal("a document of analysis 0 is not outdated")
	}
	if err := idx.Put(ctx, doc); err != nil {
		t.Fatal(err)
	}
	if outdated() {
		t.Fatal("written again, it is still outdated")
	}
}
