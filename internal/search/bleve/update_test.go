package bleve_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/search"
)

// outbox is a graph whose outbox writers fill while an update runs: each
// meeting key reads as one note document.
type outbox struct {
	mu   sync.Mutex
	rows []search.Pending
	next int
}

func (o *outbox) add(key string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.next++
	o.rows = append(o.rows, search.Pending{ID: fmt.Sprintf("%08d", o.next), Key: key})
}

func (o *outbox) PendingSearch(_ context.Context, _ string, limit int) ([]search.Pending, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]search.Pending(nil), o.rows[:min(limit, len(o.rows))]...), nil
}

func (o *outbox) DonePendingSearch(_ context.Context, ids []string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	done := map[string]bool{}
	for _, id := range ids {
		done[id] = true
	}
	kept := o.rows[:0]
	for _, r := range o.rows {
		if !done[r.ID] {
			kept = append(kept, r)
		}
	}
	o.rows = kept
	return nil
}

func (o *outbox) MeetingSearchDocuments(_ context.Context, owner string, ids ...string) ([]search.Document, error) {
	var out []search.Document
	for _, id := range ids {
		out = append(out, search.Document{ID: "n" + id, Type: search.TypeNote, Owner: owner, MeetingID: id, Title: "Note",
			Body: "word" + id + " and the rest of the note", When: time.Now()})
	}
	return out, nil
}

func (o *outbox) NoteSearchDocuments(context.Context, string, ...string) ([]search.Document, []string, error) {
	return nil, nil, nil
}

func (o *outbox) AttendeeSearchDocuments(context.Context, string, ...string) ([]search.Document, error) {
	return nil, nil
}
func (o *outbox) PersonSearchDocuments(context.Context, string, ...string) ([]search.Document, error) {
	return nil, nil
}
func (o *outbox) LooseSearchDocuments(context.Context, string, ...string) ([]search.Document, error) {
	return nil, nil
}
func (o *outbox) SearchDocuments(context.Context, string, func([]search.Document) error) error {
	return nil
}
func (o *outbox) UserIDs(context.Context) ([]string, error) { return nil, nil }

// counting counts the batches an update writes.
type counting struct {
	search.Index
	replaces atomic.Int64
}

func (c *counting) Replace(ctx context.Context, owner string, meetingIDs, ids []string, docs []search.Document) error {
	c.replaces.Add(1)
	return c.Index.Replace(ctx, owner, meetingIDs, ids, docs)
}

// TestUpdateBatchesSavesOneAtATime: notes saved one at a time (one every
// 5 ms for a second) are indexed in a batch at most every pace.Every, not
// a batch each, and each is found; a backlog bigger than the outbox window
// is applied without waits.
func TestUpdateBatchesSavesOneAtATime(t *testing.T) {
	ctx := context.Background()
	idx := &counting{Index: openIndex(t)}
	g := &outbox{}
	const owner, saves = "01OWNER0000000000000000000", 200
	done := make(chan error, 1)
	go func() {
		// The update a first save queues; it works until the outbox is empty.
		g.add(search.KeyMeeting("m0000"))
		n := 0
		for n < saves {
			c, err := search.Update(ctx, g, idx, owner, search.Pace{Every: 100 * time.Millisecond})
			if err != nil {
				done <- err
				return
			}
			n += c
		}
		done <- nil
	}()
	start := time.Now()
	for i := 1; i < saves; i++ {
		time.Sleep(5 * time.Millisecond)
		g.add(search.KeyMeeting(fmt.Sprintf("m%04d", i)))
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the update did not finish")
	}
	// A second of saves (or longer, on a busy machine), a batch every 100
	// ms at most: about ten, never one a save.
	if n, most := idx.replaces.Load(), int64(time.Since(start)/(100*time.Millisecond))+3; n > most {
		t.Errorf("%d saves one at a time took %d batches (at most %d)", saves, n, most)
	}
	for _, i := range []int{0, 57, saves - 1} {
		q, err := search.ParseQuery(fmt.Sprintf("wordm%04d", i), time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		res, err := idx.Search(ctx, owner, q, search.Page{Limit: 5})
		if err != nil || res.Total != 1 {
			t.Errorf("save %d: %+v %v", i, res, err)
		}
	}

	// A backlog of 2,000: windows of 500 one after another, no waits.
	idx.replaces.Store(0)
	for i := 0; i < 2000; i++ {
		g.add(search.KeyMeeting(fmt.Sprintf("b%04d", i)))
	}
	n, err := search.Update(ctx, g, idx, owner, search.Pace{Every: 100 * time.Millisecond})
	if err != nil || n != 2000 {
		t.Fatalf("backlog: %d documents, %v", n, err)
	}
	// Four windows of 500 keys, two batches of 250 each.
	if n := idx.replaces.Load(); n != 8 {
		t.Errorf("backlog: %d batches", n)
	}
	if rest, _ := g.PendingSearch(ctx, owner, 10); len(rest) != 0 {
		t.Errorf("outbox left: %v", rest)
	}
}
