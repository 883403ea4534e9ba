package bleve_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/search"
	"github.com/debrief-hq/debrief/internal/search/bleve"
	"github.com/debrief-hq/debrief/internal/search/searchtest"
)

func TestConformance(t *testing.T) {
	searchtest.Run(t, func(t *testing.T, texts search.Texts) search.Index {
		idx := openIndex(t)
		idx.UseTexts(texts)
		return idx
	})
}

// openIndex is a new index in a temporary folder, closed with the test.
func openIndex(t *testing.T) *bleve.Index {
	t.Helper()
	idx, err := bleve.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx
}

// TestOpenInUse: an index folder has one writer; a second open gives up
// with ErrInUse instead of waiting for ever.
func TestOpenInUse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	idx, err := bleve.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bleve.Open(dir); !errors.Is(err, bleve.ErrInUse) {
		t.Fatalf("second open: %v, want ErrInUse", err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := bleve.Open(dir)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	again.Close()
}

// TestOwnerIDsPages: an owner's ids come a page of 10,000 at a time, each
// once, none of another owner's.
func TestOwnerIDsPages(t *testing.T) {
	ctx := context.Background()
	idx := openIndex(t)
	var docs, other []search.Document
	var want []string
	for i := range 10_050 {
		id := fmt.Sprintf("doc%05d", i)
		docs = append(docs, search.Document{ID: id, Type: search.TypeNote, Owner: "ann", Title: "t", When: time.Unix(0, 0)})
		want = append(want, id)
		if i < 50 {
			other = append(other, search.Document{ID: "bob-" + id, Type: search.TypeNote, Owner: "bob", Title: "t", When: time.Unix(0, 0)})
		}
	}
	if err := idx.Put(ctx, append(docs, other...)...); err != nil {
		t.Fatal(err)
	}
	got, err := idx.OwnerIDs(ctx, "ann")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("%d ids (first %v), want %d", len(got), got[:min(3, len(got))], len(want))
	}
}

// TestReplaceSkipsUnchanged: a replacement whose documents are the same
// as the index's writes nothing; one changed document is one batch.
func TestReplaceSkipsUnchanged(t *testing.T) {
	ctx := context.Background()
	idx := openIndex(t)
	docs := []search.Document{
		{ID: "m", Type: search.TypeMeeting, Owner: "ann", Title: "Board", Body: "agenda", MeetingID: "m", When: time.Unix(0, 0)},
		{ID: "n", Type: search.TypeNote, Owner: "ann", Title: "Board", Body: "minutes", MeetingID: "m", When: time.Unix(0, 0)},
	}
	if err := idx.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	before := idx.Batches()
	if before == 0 {
		t.Fatal("no batches counted after a put")
	}
	if err := idx.Replace(ctx, "ann", []string{"m"}, nil, docs); err != nil {
		t.Fatal(err)
	}
	if n := idx.Batches(); n != before {
		t.Errorf("an unchanged replacement wrote %d batches", n-before)
	}
	docs[1].Body = "revised minutes"
	if err := idx.Replace(ctx, "ann", []string{"m"}, nil, docs); err != nil {
		t.Fatal(err)
	}
	if n := idx.Batches(); n != before+1 {
		t.Errorf("a changed note wrote %d batches, want 1", n-before)
	}
}

// TestOpenRemakesOtherVersions: an index whose mapping version is not this
// one's is made anew, empty, and says so; this version's is kept.
func TestOpenRemakesOtherVersions(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index")
	idx, err := bleve.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if idx.Remade() {
		t.Error("a new index says it was remade")
	}
	if err := idx.Put(ctx, search.Document{ID: "n", Type: search.TypeNote, Owner: "ann", Title: "t", When: time.Unix(0, 0)}); err != nil {
		t.Fatal(err)
	}
	idx.Close()
	if idx, err = bleve.Open(dir); err != nil {
		t.Fatal(err)
	}
	if n, _ := idx.Count(ctx); n != 1 || idx.Remade() {
		t.Errorf("reopened: %d documents, remade %v; want 1, false", n, idx.Remade())
	}
	if err := idx.SetVersion("1"); err != nil {
		t.Fatal(err)
	}
	idx.Close()
	if idx, err = bleve.Open(dir); err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if n, _ := idx.Count(ctx); n != 0 || !idx.Remade() {
		t.Errorf("an index of version 1: %d documents, remade %v; want 0, true", n, idx.Remade())
	}
}

// TestOpenRemakesUnreadable: an index folder that cannot be opened (its
// metadata damaged) is made anew rather than keeping the server from
// starting: the database is the truth, the index is made from it.
func TestOpenRemakesUnreadable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	idx, err := bleve.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	idx.Close()
	if err := os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	idx, err = bleve.Open(dir)
	if err != nil {
		t.Fatalf("open of a damaged index: %v", err)
	}
	defer idx.Close()
	if !idx.Remade() {
		t.Error("a damaged index was not remade")
	}
	if err := idx.Put(context.Background(), search.Document{ID: "n", Type: search.TypeNote, Owner: "ann", Title: "t", When: time.Unix(0, 0)}); err != nil {
		t.Errorf("the remade index takes no documents: %v", err)
	}
}

// TestWidthsFolded: full-width Latin letters and half-width kana are
// found by their ordinary forms, and the other way round.
func TestWidthsFolded(t *testing.T) {
	ctx := context.Background()
	idx := openIndex(t)
	if err := idx.Put(ctx,
		search.Document{ID: "a", Type: search.TypeNote, Owner: "ann", Title: "Ｐｒｉｃｅ review", Body: "ｶﾀｶﾅ notes", When: time.Unix(0, 0)},
		search.Document{ID: "b", Type: search.TypeNote, Owner: "ann", Title: "Café", Body: "カタカナ", When: time.Unix(0, 0)}); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]string{"price": {"a"}, "ｃａｆｅ": {"b"}, "カタカナ": {"a", "b"}, "ｶﾀｶﾅ": {"a", "b"}} {
		parsed, err := search.ParseQuery(q, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		res, err := idx.Search(ctx, "ann", parsed, search.Page{Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", q, got, want)
		}
	}
}

// texts is a fixed graph of bodies.
type texts map[string]string

func (x texts) SearchTexts(_ context.Context, _ string, idsByType map[string][]string) (map[string]string, error) {
	out := map[string]string{}
	for _, ids := range idsByType {
		for _, id := range ids {
			if b, ok := x[id]; ok {
				out[id] = b
			}
		}
	}
	return out, nil
}

// TestSnippetsFromTexts: snippets are cut from the graph's text at the
// index's match offsets, escaped; a text that changed since it was
// indexed gives its start, unmarked, never marks in the wrong places.
func TestSnippetsFromTexts(t *testing.T) {
	ctx := context.Background()
	idx := openIndex(t)
	body := strings.Repeat("filler words about nothing in particular. ", 20) + "The <b>budget</b> for Q3 was approved. " + strings.Repeat("more filler. ", 20)
	if err := idx.Put(ctx, search.Document{ID: "n", Type: search.TypeNote, Owner: "ann", Title: "Board meeting", Body: body, When: time.Unix(0, 0)}); err != nil {
		t.Fatal(err)
	}
	find := func(q string) string {
		t.Helper()
		parsed, _ := search.ParseQuery(q, time.UTC)
		res, err := idx.Search(ctx, "ann", parsed, search.Page{Limit: 5})
		if err != nil || len(res.Hits) != 1 {
			t.Fatalf("%q: %v %+v", q, err, res)
		}
		return res.Hits[0].Snippet
	}
	// Without the graph's texts, the title is the snippet.
	if sn := find("budget"); sn != "Board meeting" {
		t.Errorf("no texts: snippet %q", sn)
	}
	if sn := find("board"); !strings.Contains(sn, "<mark>Board</mark>") {
		t.Errorf("title snippet: %q", sn)
	}
	idx.UseTexts(texts{"n": body})
	sn := find("budget")
	if !strings.Contains(sn, "&lt;b&gt;<mark>budget</mark>&lt;/b&gt;") || !strings.HasPrefix(sn, "…") || !strings.HasSuffix(sn, "…") || len(sn) > 400 {
		t.Errorf("snippet: %q", sn)
	}
	// The note was edited and the index has not caught up.
	idx.UseTexts(texts{"n": "Budget talk moved. " + body})
	if sn := find("budget"); strings.Contains(sn, "<mark>") || !strings.HasPrefix(sn, "Budget talk moved.") {
		t.Errorf("stale offsets: %q", sn)
	}
}
