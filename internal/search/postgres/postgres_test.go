package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
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

// TestKeys: once every document has its keys, a search finds its
// candidates by them (under the owner's tag), and until then by the
// vectors; both ways find the same documents in the same order, whatever
// the text and the query — quotes and backslashes in words, phrases,
// prefixes, required words — and never another owner's.
func TestKeys(t *testing.T) { testutil.OnPostgres(t, keys) }

func keys(t *testing.T) {
	ctx := context.Background()
	alice, bob := searchtest.Owners[0], searchtest.Owners[1]
	db := openDB(t, alice, bob)
	texts := []string{
		"the release is frozen until April", "O'Brien's backlog: it's late", `C:\temp\notes and a back\slash`,
		"bi-weekly sync with anna.berg@example.com at 10:30", "v2.3 ships in Q3, the roadmap", "会议纪要 roadmap",
		"naïve café résumé", "price increase, then a freeze", "the walrus said 'hello' to @priya", `quote "unquote" ''twice''`,
	}
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	var docs []search.Document
	for i, text := range texts {
		for j, owner := range []string{alice, bob} {
			if j == 1 && i%3 == 0 {
				continue // bob has only some of them
			}
			docs = append(docs, search.Document{ID: fmt.Sprintf("d%d-%d", i, j), Type: search.TypeNote, Owner: owner,
				Title: fmt.Sprintf("Note %d", i), Body: text, When: start.Add(time.Duration(i) * time.Hour)})
		}
	}
	if err := postgres.New(db.SQL).Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	queries := []string{
		"frozen", "freeze", "O'Brien", "o'brien's", "it's", `back\slash`, `C:\temp`, "bi-weekly", "biweekly", "10:30",
		"anna.berg@example.com", "v2.3", "q3", "会议", "naive cafe", "\"price increase\"", "\"increase price\"", "+walrus said",
		"walrus -priya", "hello", "'hello'", `"unquote"`, "''twice''", "roadm", "rele", "the", "note",
	}
	search := func(idx *postgres.Index, owner, q string) []string {
		t.Helper()
		parsed, err := search.ParseQuery(q, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		parsed.Prefix = true
		res, err := idx.Search(ctx, owner, parsed, search.Page{Limit: 50})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		ids := searchtest.IDs(res.Hits)
		for _, id := range ids {
			if !strings.HasSuffix(id, map[string]string{alice: "-0", bob: "-1"}[owner]) {
				t.Errorf("%q as %s found %s, another owner's", q, owner, id)
			}
		}
		return ids
	}
	keyed := map[string][]string{}
	found := 0
	idx := postgres.New(db.SQL)
	for _, owner := range []string{alice, bob} {
		for _, q := range queries {
			keyed[owner+q] = search(idx, owner, q)
			found += len(keyed[owner+q])
		}
	}
	if found < len(queries) {
		t.Fatalf("the queries found %d documents in all", found)
	}
	// A search goes by the keys: a document whose keys were lost is not
	// found by them.
	if _, err := db.SQL.ExecContext(ctx, `UPDATE search_documents SET keys = ''::tsvector WHERE id = 'd7-0'`); err != nil {
		t.Fatal(err)
	}
	if ids := search(postgres.New(db.SQL), alice, "freeze"); slices.Contains(ids, "d7-0") {
		t.Fatalf("freeze found %v by a document without keys", ids)
	}
	// Documents of an older version, without keys: found by their vectors,
	// the same ones in the same order.
	if _, err := db.SQL.ExecContext(ctx, `UPDATE search_documents SET keys = NULL WHERE id LIKE 'd%-0' OR id = 'd4-1'`); err != nil {
		t.Fatal(err)
	}
	idx = postgres.New(db.SQL)
	for _, owner := range []string{alice, bob} {
		for _, q := range queries {
			if got := search(idx, owner, q); !slices.Equal(got, keyed[owner+q]) {
				t.Errorf("%q as %s: %v by the vectors, %v by the keys", q, owner, got, keyed[owner+q])
			}
		}
	}
}
