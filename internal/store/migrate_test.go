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

// initVersion is the first migration: the database TestUpgradeKeepsData
// fills before upgrading it.
const initVersion = 20261126031507

// TestUpgradeKeepsData fills a database of the first version with one of
// everything a user has, upgrades it through every migration, and checks
// that no row was lost and no reference cleared. On SQLite a migration
// that rebuilds a table (how SQLite changes a column) runs inside
// golang-migrate's transaction, where `PRAGMA foreign_keys = off` does
// nothing: dropping the old table then cascades to the rows that refer to
// it (notes, attendances) or clears their references (a meeting's
// calendar and series).
func TestUpgradeKeepsData(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		db := open(t, b)
		if err := db.MigrateTo(ctx, initVersion); err != nil {
			t.Fatalf("migrate to %d: %v", initVersion, err)
		}
		const now = "'2026-11-26 10:00:00'"
		for _, stmt := range []string{
			`INSERT INTO users (id, created_at, updated_at, email) VALUES ('u1', ` + now + `, ` + now + `, 'ann@example.com')`,
			`INSERT INTO connections (id, created_at, updated_at, provider, owner_id) VALUES ('c1', ` + now + `, ` + now + `, 'ics', 'u1')`,
			`INSERT INTO calendars (id, created_at, updated_at, provider_id, connection_id, owner_id) VALUES ('k1', ` + now + `, ` + now + `, 'feed', 'c1', 'u1')`,
			`INSERT INTO series (id, created_at, updated_at, provider_key, title, owner_id) VALUES ('s1', ` + now + `, ` + now + `, 'uid-1', 'Weekly', 'u1')`,
			`INSERT INTO meetings (id, created_at, updated_at, title, description, starts_at, ends_at, ical_uid, original_start, calendar_id, series_id, owner_id)
			 VALUES ('m1', ` + now + `, ` + now + `, 'Weekly', 'Dial in: 123', ` + now + `, '2026-11-26 11:00:00', 'uid-1', ` + now + `, 'k1', 's1', 'u1')`,
			`INSERT INTO persons (id, created_at, updated_at, name, email, owner_id) VALUES ('p1', ` + now + `, ` + now + `, 'Bob', 'bob@acme.com', 'u1')`,
			`INSERT INTO attendances (id, created_at, updated_at, meeting_id, person_id, owner_id) VALUES ('a1', ` + now + `, ` + now + `, 'm1', 'p1', 'u1')`,
			`INSERT INTO notes (id, created_at, updated_at, body, meeting_id, owner_id) VALUES ('n1', ` + now + `, ` + now + `, 'we decided', 'm1', 'u1')`,
			`INSERT INTO action_items (id, created_at, updated_at, title, meeting_id, note_id, assignee_id, owner_id) VALUES ('i1', ` + now + `, ` + now + `, 'send deck', 'm1', 'n1', 'p1', 'u1')`,
		} {
			if _, err := db.SQL.ExecContext(ctx, stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
		if err := db.Migrate(ctx, testutil.Logger(t)); err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		for _, table := range []string{"users", "connections", "calendars", "series", "meetings", "persons", "attendances", "notes", "action_items"} {
			var n int
			if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Errorf("%s has %d rows after the upgrade, want 1", table, n)
			}
		}
		m, err := db.Ent.Meeting.Get(ctx, "m1")
		if err != nil {
			t.Fatal(err)
		}
		if m.CalendarID == nil || *m.CalendarID != "k1" || m.SeriesID == nil || *m.SeriesID != "s1" || m.Description != "Dial in: 123" {
			t.Errorf("meeting after the upgrade: calendar %v, series %v, description %q; want k1, s1, the description", m.CalendarID, m.SeriesID, m.Description)
		}
		it, err := db.Ent.ActionItem.Get(ctx, "i1")
		if err != nil {
			t.Fatal(err)
		}
		if it.MeetingID == nil || it.NoteID == nil || it.AssigneeID == nil {
			t.Errorf("action item after the upgrade lost a reference: meeting %v, note %v, assignee %v", it.MeetingID, it.NoteID, it.AssigneeID)
		}
	})
}
