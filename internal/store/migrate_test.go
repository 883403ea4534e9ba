package store_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"entgo.io/ent/dialect/sql/schema"

	"github.com/debrief-hq/debrief/internal/store"
	"github.com/debrief-hq/debrief/internal/testutil"
)

func open(t *testing.T, b testutil.Backend) *store.DB {
	t.Helper()
	o := store.Options{DataDir: t.TempDir()}
	if b == testutil.Postgres {
		o.DatabaseURL = testutil.PostgresDatabase(t)
	}
	db, err := store.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestMigrationsMatchSchema applies every migration to an empty database and
// asks ent what it would still change to reach ent/schema: nothing.
func TestMigrationsMatchSchema(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		db := open(t, b)
		if err := db.Migrate(ctx, testutil.Logger(t)); err != nil {
			t.Fatalf("migrate: %v", err)
		}
		// A second run is a no-op.
		if err := db.Migrate(ctx, testutil.Logger(t)); err != nil {
			t.Fatalf("migrate again: %v", err)
		}
		var buf bytes.Buffer
		if err := db.Ent.Schema.WriteTo(ctx, &buf, schema.WithDropColumn(true), schema.WithDropIndex(true)); err != nil {
			t.Fatal(err)
		}
		var stmts []string
		for _, line := range strings.Split(buf.String(), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || line == "BEGIN;" || line == "COMMIT;" || strings.HasPrefix(line, "--") {
				continue
			}
			stmts = append(stmts, line)
		}
		if len(stmts) > 0 {
			t.Errorf("the migrations differ from ent/schema; run `make generate`. ent would still run:\n%s", strings.Join(stmts, "\n"))
		}
		// The check above must be able to fail: on a database without the
		// migrations, ent wants to create every table.
		empty := open(t, b)
		buf.Reset()
		if err := empty.Ent.Schema.WriteTo(ctx, &buf); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "CREATE TABLE") {
			t.Errorf("schema diff of an empty database is empty; the drift check proves nothing:\n%s", buf.String())
		}
	})
}

func TestSQLitePragmas(t *testing.T) {
	db, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "x.db"), "full")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for pragma, want := range map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "10000", "synchronous": "2"} {
		var got string
		if err := db.SQL.QueryRow("PRAGMA " + pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	db := open(t, testutil.SQLite)
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Ent.User.Create().SetEmail("a@example.com").Save(ctx); err != nil {
		t.Fatal(err)
	}
	to := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, to); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, to); err == nil {
		t.Error("backup overwrote an existing file")
	}
	cp, err := store.OpenSQLite(ctx, to, "full")
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	n, err := cp.Ent.User.Query().Count(ctx)
	if err != nil || n != 1 {
		t.Fatalf("backup has %d users (%v), want 1", n, err)
	}
	if testutil.Backends(t)[len(testutil.Backends(t))-1] == testutil.Postgres {
		pg := open(t, testutil.Postgres)
		if err := pg.Backup(ctx, filepath.Join(t.TempDir(), "x")); err == nil || !strings.Contains(err.Error(), "pg_dump") {
			t.Errorf("PostgreSQL backup: %v, want advice to use pg_dump", err)
		}
	}
}
