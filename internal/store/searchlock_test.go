package store_test

import (
	"context"
	"testing"

	"github.com/debrief-hq/debrief/internal/store"
	"github.com/debrief-hq/debrief/internal/testutil"
)

// TestLockSearch: an owner's index update is taken by one caller at a
// time; on PostgreSQL by one instance among those sharing the database.
// Other owners' are free meanwhile, and the owner's is free again once
// given back.
func TestLockSearch(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		o := store.Options{DataDir: t.TempDir()}
		if b == testutil.Postgres {
			o.DatabaseURL = testutil.PostgresDatabase(t)
		}
		instance := func() *store.Store {
			db, err := store.Open(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return store.New(db, testutil.Logger(t))
		}
		one, other := instance(), (*store.Store)(nil)
		if b == testutil.Postgres {
			other = instance() // a second server on the database
		} else {
			other = one // SQLite has one
		}
		take := func(s *store.Store, owner string, want bool) func() {
			t.Helper()
			unlock, ok, err := s.LockSearch(ctx, owner)
			if err != nil || ok != want {
				t.Fatalf("LockSearch(%s) = %v, %v; want %v", owner, ok, err, want)
			}
			return unlock
		}
		unlock := take(one, "u1", true)
		take(one, "u1", false)
		take(other, "u1", false)
		take(other, "u2", true)()
		unlock()
		unlock = take(other, "u1", true)
		take(one, "u1", false)
		unlock()
		take(one, "u1", true)()
	})
}
