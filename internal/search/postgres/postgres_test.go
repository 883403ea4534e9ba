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

// TestUnchangedKept: a replace leaves a document it has already, unchanged,
// as it is (its row not written again), writes a changed one, and deletes
// what the meeting no longer has.
func TestUnchangedKept(t *testing.T) { testutil.OnPostgres(t, unchangedKept) }

func unchangedKept(t *testing.T) {
	ctx := context.Background()
	owner := searchtest.Owners[0]
	db := openDB(t, owner)
	idx := postgres.New(db.SQL)
	when := time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)
	meeting := search.Document{ID: "m1", Type: search.TypeMeeting, Owner: owner, MeetingID: "m1", Title: "Vendor review", When: when}
	note := search.Document{ID: "n1", Type: search.TypeNote, Owner: owner, MeetingID: "m1", Title: "Vendor review", Body: "the walrus contract", When: when}
	item := search.Document{ID: "a1", Type: search.TypeActionItem, Owner: owner, MeetingID: "m1", Title: "Send the walrus terms", When: when, Status: "open"}
	if err := idx.Replace(ctx, owner, []string{"m1"}, nil, []search.Document{meeting, note, item}); err != nil {
		t.Fatal(err)
	}
	// xmin names the transaction that wrote a row's version.
	versions := func() map[string]string {
		t.Helper()
		rows, err := db.SQL.QueryContext(ctx, `SELECT id, xmin::text FROM search_documents`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]string{}
		for rows.Next() {
			var id, x string
			if err := rows.Scan(&id, &x); err != nil {
				t.Fatal(err)
			}
			out[id] = x
		}
		return out
	}
	before := versions()
	note.Body = "the narwhal contract"
	if err := idx.Replace(ctx, owner, []string{"m1"}, nil, []search.Document{meeting, note}); err != nil {
		t.Fatal(err)
	}
	after := versions()
	if after["m1"] != before["m1"] {
		t.Error("the unchanged meeting document was written again")
	}
	if after["n1"] == before["n1"] {
		t.Error("the changed note was not written")
	}
	if _, ok := after["a1"]; ok {
		t.Error("the item the meeting no longer has is still there")
	}
	found := func(word string) int {
		t.Helper()
		q, err := search.ParseQuery(word, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		res, err := idx.Search(ctx, owner, q, search.Page{Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	if found("narwhal") != 1 || found("walrus") != 0 || found("vendor") != 2 {
		t.Errorf("narwhal %d, walrus %d, vendor %d", found("narwhal"), found("walrus"), found("vendor"))
	}
}
