package main

import (
	"context"
	"testing"

	"github.com/debrief-hq/debrief/internal/search"
)

// TestShortRun runs the benchmark small (2,000 documents over four users):
// what `make bench` runs at a million documents works, and finds things.
func TestShortRun(t *testing.T) {
	r, err := run(context.Background(), config{docs: 2000, users: 4, queries: 50, batch: 500, backend: "bleve", testdata: "../../testdata"})
	if err != nil {
		t.Fatal(err)
	}
	if r.indexed != 2000 || r.p50 <= 0 || r.p99 < r.p50 || r.prefixP50 <= 0 || r.prefixP99 < r.prefixP50 || r.hitsPerQuery < 1 || r.sizeMB <= 0 || r.reindexRSSMB < r.anonMB || r.anonMB <= 0 {
		t.Errorf("short run: %+v", r)
	}
	t.Log("\n" + r.table())
}

// TestTextsFromIDs: a hit's body is made again from its id, the same as
// it was indexed (bleve's snippets are cut from it).
func TestTextsFromIDs(t *testing.T) {
	g := &generated{words: []string{"alpha", "beta", "gamma", "delta"}, owners: []string{"a", "b"}, perUser: 3, batch: 2}
	d := g.doc(1, 2)
	got, err := g.SearchTexts(context.Background(), "b", map[string][]string{search.TypeNote: {d.ID, "nonsense"}})
	if err != nil || len(got) != 1 || got[d.ID] != d.Body || d.Body == "" {
		t.Errorf("texts %v (%v), want the body of %s", got, err, d.ID)
	}
}
