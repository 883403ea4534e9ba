package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/search"
	"github.com/debrief-hq/debrief/internal/search/bleve"
	searchpg "github.com/debrief-hq/debrief/internal/search/postgres"
	"github.com/debrief-hq/debrief/internal/testutil"
)

// TestReindexCommand: `debrief reindex` rebuilds the index from what the
// server stored, for everyone or for one account: the bleve folder on
// SQLite, PostgreSQL's full-text documents with DEBRIEF_SEARCH=postgres.
func TestReindexCommand(t *testing.T) {
	testutil.ForEachBackend(t, testReindexCommand)
}

func testReindexCommand(t *testing.T, b testutil.Backend) {
	data := filepath.Join(t.TempDir(), "data")
	env := baseEnv(t, b, data)
	if b == testutil.Postgres {
		env = append(env, "DEBRIEF_SEARCH=postgres")
	}
	s := startServer(t, env)
	tok := s.tokenWith("ix@example.com", "correct horse battery")
	var m struct {
		ID string `json:"id"`
	}
	s.call("POST", "/api/v1/meetings", tok, map[string]any{"title": "Pricing review", "starts_at": "2026-12-01T10:00:00Z",
		"attendees": []map[string]any{{"email": "ada@acme.com", "name": "Ada"}}}, &m)
	s.call("PUT", "/api/v1/meetings/"+m.ID+"/note", tok, map[string]any{"body": "Decision: postpone the price increase\n!! send the deck"}, nil)
	other := s.tokenWith("other@example.com", "correct horse battery")
	s.call("POST", "/api/v1/meetings", other, map[string]any{"title": "Budget", "starts_at": "2026-12-01T10:00:00Z"}, nil)
	var me struct {
		ID string `json:"id"`
	}
	s.call("GET", "/api/v1/me", tok, nil, &me)
	s.stop(syscall.SIGTERM)

	out, err := runCLI(t, env, "", "reindex")
	// ix: meeting, note, decision, item, Ada; other: meeting. The
	// progress bar ends full.
	if err != nil || !strings.Contains(out, "indexed 6 documents") || !strings.Contains(out, "["+strings.Repeat("#", 30)+"] 100% 2 users, 6 of 6 documents") {
		t.Fatalf("reindex: %v\n%s", err, out)
	}
	out, err = runCLI(t, env, "", "reindex", "--user", "ix@example.com")
	if err != nil || !strings.Contains(out, "indexed 5 documents") || !strings.Contains(out, "100% 1 users, 5 of 5 documents") {
		t.Fatalf("reindex --user: %v\n%s", err, out)
	}
	if out, err := runCLI(t, env, "", "reindex", "--user", "nobody@example.com"); err == nil || !strings.Contains(out, "user not found") {
		t.Errorf("unknown user: %v %s", err, out)
	}

	var idx search.Index
	if b == testutil.Postgres {
		url := "" // the last setting wins
		for _, kv := range env {
			if v, ok := strings.CutPrefix(kv, "DEBRIEF_DATABASE_URL="); ok {
				url = v
			}
		}
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		idx = searchpg.New(db)
	} else {
		bi, err := bleve.Open(filepath.Join(data, "search"))
		if err != nil {
			t.Fatal(err)
		}
		defer bi.Close()
		idx = bi
	}
	if n, _ := idx.Count(context.Background()); n != 6 {
		t.Errorf("the index holds %d documents, want 6 (one user's reindex must not duplicate)", n)
	}
	q, _ := search.ParseQuery("type:decision price", time.UTC)
	res, err := idx.Search(context.Background(), me.ID, q, search.Page{Limit: 5})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Type != "decision" {
		t.Errorf("search after reindex: %+v %v", res, err)
	}
}
