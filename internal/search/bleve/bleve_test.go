package bleve_test

import (
	"errors"
	"path/filepath"
	"testing"

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
