package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/debrief-hq/debrief/internal/store"
	"github.com/debrief-hq/debrief/internal/testutil"
)

// TestPostgresStatistics: on a PostgreSQL whose autovacuum does not run,
// a database filled behind the server's back (an import) has no planner
// statistics; the server's own upkeep at start-up analyses it, and the
// attendee and meeting reads are then planned on their indexes. Writes
// through the store start a pass of their own, which also vacuums the rows
// deleted meanwhile.
func TestPostgresStatistics(t *testing.T) { testutil.OnPostgres(t, statistics) }

func statistics(t *testing.T) {
	ctx := context.Background()
	db := open(t, testutil.Postgres)
	if err := db.Migrate(ctx, testutil.Logger(t)); err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.SQL.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, table := range []string{"users", "persons", "meetings", "attendances"} {
		exec(`ALTER TABLE ` + table + ` SET (autovacuum_enabled = false)`)
	}
	// 2,000 meetings of five attendees among 2,000 people, for two users.
	exec(`INSERT INTO users (id, created_at, updated_at, email) SELECT 'u' || i, now(), now(), 'u' || i || '@example.com' FROM generate_series(1, 2) i`)
	exec(`INSERT INTO persons (id, created_at, updated_at, email, name, owner_id)
		SELECT 'p' || i, now(), now(), 'p' || i || '@example.com', 'Person ' || i, 'u' || (1 + i % 2) FROM generate_series(1, 2000) i`)
	exec(`INSERT INTO meetings (id, created_at, updated_at, title, starts_at, ends_at, owner_id)
		SELECT 'm' || i, now(), now(), 'Meeting ' || i, now() - i * interval '1 hour', now() - i * interval '1 hour' + interval '30 minutes', 'u' || (1 + i % 2)
		FROM generate_series(1, 2000) i`)
	exec(`INSERT INTO attendances (id, created_at, updated_at, meeting_id, person_id, owner_id)
		SELECT 'a' || i || '-' || j, now(), now(), 'm' || i, 'p' || (1 + (i * 7 + j * 2) % 2000), 'u' || (1 + i % 2)
		FROM generate_series(1, 2000) i, generate_series(0, 4) j`)

	analysed := func(table string) bool {
		t.Helper()
		var at *time.Time
		if err := db.SQL.QueryRowContext(ctx, `SELECT coalesce(last_analyze, last_autoanalyze) FROM pg_stat_user_tables WHERE relname = $1`, table).Scan(&at); err != nil {
			t.Fatal(err)
		}
		return at != nil
	}
	if analysed("persons") || analysed("attendances") {
		t.Fatal("the tables were analysed before the upkeep ran: this PostgreSQL analyses them itself")
	}
	if err := db.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"users", "persons", "meetings", "attendances"} {
		if !analysed(table) {
			t.Errorf("%s has no statistics after the upkeep", table)
		}
	}
	plan := func(q string, args ...any) string {
		t.Helper()
		rows, err := db.SQL.QueryContext(ctx, "EXPLAIN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var lines []string
		for rows.Next() {
			var l string
			if err := rows.Scan(&l); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, l)
		}
		return strings.Join(lines, "\n")
	}
	// The tables with rows are read by their indexes (an empty one, such
	// as action_items here, is rightly scanned).
	scans := func(p string) bool {
		return strings.Contains(p, "Seq Scan on persons") || strings.Contains(p, "Seq Scan on attendances") || strings.Contains(p, "Seq Scan on meetings")
	}
	if p := plan(store.AttendeesQuery(dialect.Postgres), "m42"); scans(p) || !strings.Contains(p, "persons_pkey") {
		t.Errorf("the attendee query:\n%s", p)
	}
	if p := plan(store.MeetingPageQuery(dialect.Postgres), "u1", "m42"); scans(p) {
		t.Errorf("the meeting query:\n%s", p)
	}

	// Half the attendances deleted: dead rows that nothing else vacuums
	// here (the table's autovacuum is off).
	exec(`DELETE FROM attendances WHERE meeting_id IN (SELECT 'm' || i FROM generate_series(1, 1000) i)`)
	vacuumed := func() bool {
		t.Helper()
		var at *time.Time
		var dead int
		if err := db.SQL.QueryRowContext(ctx, `SELECT coalesce(last_vacuum, last_autovacuum), n_dead_tup FROM pg_stat_user_tables WHERE relname = 'attendances'`).Scan(&at, &dead); err != nil {
			t.Fatal(err)
		}
		return at != nil && dead == 0
	}
	if vacuumed() {
		t.Fatal("attendances was vacuumed before the upkeep ran")
	}
	// The deletes reach the statistics the upkeep reads within a second
	// or so.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var dead int
		if err := db.SQL.QueryRowContext(ctx, `SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'attendances'`).Scan(&dead); err != nil {
			t.Fatal(err)
		}
		if dead >= 5000 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the statistics show %d dead attendances of 5,000", dead)
		}
	}

	// Writes through the store count, and start a pass of their own,
	// which vacuums too.
	defer store.SetAnalyzeEvery(20)()
	st := store.New(db, testutil.Logger(t))
	before := db.StatisticsPasses()
	u, err := st.CreateUser(ctx, "writer@example.com", "Writer", "UTC", "-")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 25; i++ {
		if _, err := st.CreateUser(ctx, fmt.Sprintf("w%d-%s@example.com", i, u.ID), "W", "UTC", "-"); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for db.StatisticsPasses() == before {
		if time.Now().After(deadline) {
			t.Fatal("25 writes with a pass due every 20 started none")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The pass is counted once it has run.
	if !vacuumed() {
		t.Error("the pass left attendances' dead rows")
	}
}
