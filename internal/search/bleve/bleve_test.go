package bleve_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/search"
	"github.com/debrief-hq/debrief/internal/search/bleve"
	"github.com/debrief-hq/debrief/internal/search/searchtest"
)

func TestConformance(t *testing.T) {
	searchtest.Run(t, func(t *testing.T) search.Index {
		idx, err := bleve.Open(filepath.Join(t.TempDir(), "index"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { idx.Close() })
		return idx
	})
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
	idx, err := bleve.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
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
