package bleve_test

import (
	"context"
	"errors"
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
	held map[string]bool // owners whose update runs
	// onEmpty, if set, runs when an update's read of a window finds the
	// outbox empty (the read before it gives the owner back).
	onEmpty func()
}

func (o *outbox) add(key string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.next++
	o.rows = append(o.rows, search.Pending{ID: fmt.Sprintf("%08d", o.next), Key: key})
}

func (o *outbox) PendingSearch(_ context.Context, _ string, limit int) ([]search.Pending, error) {
	o.mu.Lock()
	rows := append([]search.Pending(nil), o.rows[:min(limit, len(o.rows))]...)
	o.mu.Unlock()
	if f := o.onEmpty; len(rows) == 0 && limit > 1 && f != nil {
		f()
	}
	return rows, nil
}

func (o *outbox) LockSearch(_ context.Context, owner string) (func(), bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.held[owner] {
		return nil, false, nil
	}
	if o.held == nil {
		o.held = map[string]bool{}
	}
	o.held[owner] = true
	return func() {
		o.mu.Lock()
		defer o.mu.Unlock()
		delete(o.held, owner)
	}, true, nil
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

// NoteSearchDocuments: a note is the document its meeting key writes.
func (o *outbox) NoteSearchDocuments(ctx context.Context, owner string, ids ...string) ([]search.Document, []string, error) {
	docs, _ := o.MeetingSearchDocuments(ctx, owner, ids...)
	var noteIDs []string
	for _, d := range docs {
		noteIDs = append(noteIDs, d.ID)
	}
	return docs, noteIDs, nil
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

	// A backlog of 2,000: one window, no waits.
	idx.replaces.Store(0)
	for i := 0; i < 2000; i++ {
		g.add(search.KeyMeeting(fmt.Sprintf("b%04d", i)))
	}
	n, err := search.Update(ctx, g, idx, owner, search.Pace{Every: 100 * time.Millisecond})
	if err != nil || n != 2000 {
		t.Fatalf("backlog: %d documents, %v", n, err)
	}
	// Eight batches of 250.
	if n := idx.replaces.Load(); n != 8 {
		t.Errorf("backlog: %d batches", n)
	}
	if rest, _ := g.PendingSearch(ctx, owner, 10); len(rest) != 0 {
		t.Errorf("outbox left: %v", rest)
	}
}

// TestUpdateOneAtATime: an update queued while another of the same owner
// runs leaves the outbox to it (two would write the same documents), and
// the one running applies what was saved after its last read, before it
// gave the owner back.
func TestUpdateOneAtATime(t *testing.T) {
	ctx := context.Background()
	idx := openIndex(t)
	g := &outbox{}
	const owner = "01OWNER0000000000000000000"
	g.add(search.KeyMeeting("m0001"))
	second := -1
	g.onEmpty = func() {
		g.onEmpty = nil
		// A save after the running update's last read queues an update.
		g.add(search.KeyMeeting("m0002"))
		n, err := search.Update(ctx, g, idx, owner, search.Pace{})
		if err != nil {
			t.Error(err)
		}
		second = n
	}
	n, err := search.Update(ctx, g, idx, owner, search.Pace{})
	if err != nil {
		t.Fatal(err)
	}
	if second != 0 {
		t.Errorf("the update queued while another ran wrote %d documents", second)
	}
	if n != 2 {
		t.Errorf("the running update wrote %d documents, want both notes'", n)
	}
	if rest, _ := g.PendingSearch(ctx, owner, 10); len(rest) != 0 {
		t.Errorf("outbox left: %v", rest)
	}
	for _, w := range []string{"wordm0001", "wordm0002"} {
		q, err := search.ParseQuery(w, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if res, err := idx.Search(ctx, owner, q, search.Page{Limit: 5}); err != nil || res.Total != 1 {
			t.Errorf("%s: %+v %v", w, res, err)
		}
	}
}

// lanes records the documents being written at once.
type lanes struct {
	search.Index
	mu       sync.Mutex
	writing  map[string]bool
	now      int // batches being written
	most     int // batches written at once
	conflict string
}

func (l *lanes) Replace(ctx context.Context, owner string, meetingIDs, ids []string, docs []search.Document) error {
	var mine []string
	for _, d := range docs {
		mine = append(mine, d.ID)
	}
	mine = append(mine, ids...)
	l.mu.Lock()
	for _, id := range mine {
		if l.writing[id] && l.conflict == "" {
			l.conflict = id
		}
	}
	for _, id := range mine {
		l.writing[id] = true
	}
	l.now++
	l.most = max(l.most, l.now)
	l.mu.Unlock()
	time.Sleep(5 * time.Millisecond) // long enough for the lanes to overlap
	err := l.Index.Replace(ctx, owner, meetingIDs, ids, docs)
	l.mu.Lock()
	for _, id := range mine {
		delete(l.writing, id)
	}
	l.now--
	l.mu.Unlock()
	return err
}

// TestUpdateLanes: an update behind by many batches, or by a few hundred
// keys, writes them in lanes at once, a meeting's keys (its meeting and its note) always in one, so
// that two batches never write one document together; and applies all.
func TestUpdateLanes(t *testing.T) {
	ctx := context.Background()
	idx := &lanes{Index: openIndex(t), writing: map[string]bool{}}
	g := &outbox{}
	const owner, meetings = "01OWNER0000000000000000000", 1000
	for i := range meetings {
		g.add(search.KeyMeeting(fmt.Sprintf("m%04d", i)))
		g.add(search.KeyNote(fmt.Sprintf("m%04d", (i*7)%meetings)))
	}
	n, err := search.Update(ctx, g, idx, owner, search.Pace{Lanes: 4})
	if err != nil || n != 2*meetings {
		t.Fatalf("%d documents written, %v", n, err)
	}
	if idx.conflict != "" {
		t.Errorf("%s was written by two batches at once", idx.conflict)
	}
	if idx.most < 2 {
		t.Errorf("at most %d batches at once", idx.most)
	}
	if rest, _ := g.PendingSearch(ctx, owner, 10); len(rest) != 0 {
		t.Errorf("outbox left: %v", rest)
	}
	// Less than a batch waiting still goes in lanes: 200 keys in four of
	// about 50 (at least two of them seen writing at once).
	small := &lanes{Index: idx.Index, writing: map[string]bool{}}
	for i := range 100 {
		g.add(search.KeyMeeting(fmt.Sprintf("m%04d", i)))
		g.add(search.KeyNote(fmt.Sprintf("m%04d", i)))
	}
	if n, err := search.Update(ctx, g, small, owner, search.Pace{Lanes: 4}); err != nil || n != 200 {
		t.Fatalf("%d documents written, %v", n, err)
	}
	if small.most < 2 || small.conflict != "" {
		t.Errorf("200 keys: at most %d batches at once; written twice at once: %q", small.most, small.conflict)
	}
	for _, i := range []int{0, 511, meetings - 1} {
		q, err := search.ParseQuery(fmt.Sprintf("wordm%04d", i), time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if res, err := idx.Search(ctx, owner, q, search.Page{Limit: 5}); err != nil || res.Total != 1 {
			t.Errorf("m%04d: %+v %v", i, res, err)
		}
	}
}

// TestUpdateBudget: an update whose time is spent gives the owner back
// between windows with rows still waiting (ErrMore), and the next one goes
// on from there until the outbox is empty.
func TestUpdateBudget(t *testing.T) {
	ctx := context.Background()
	idx := openIndex(t)
	g := &outbox{}
	const owner, saves = "01OWNER0000000000000000000", 12000
	for i := range saves {
		g.add(search.KeyMeeting(fmt.Sprintf("m%05d", i)))
	}
	pace := search.Pace{Budget: time.Nanosecond}
	total, rounds := 0, 0
	for rounds < 10 {
		n, err := search.Update(ctx, g, idx, owner, pace)
		total += n
		rounds++
		if err == nil {
			break
		}
		if !errors.Is(err, search.ErrMore) {
			t.Fatal(err)
		}
		if rest, _ := g.PendingSearch(ctx, owner, 1); len(rest) == 0 {
			t.Fatal("ErrMore with nothing waiting")
		}
	}
	// A window of 5,000 rows a round: three rounds.
	if total != saves || rounds != 3 {
		t.Errorf("%d documents in %d rounds", total, rounds)
	}
	if rest, _ := g.PendingSearch(ctx, owner, 10); len(rest) != 0 {
		t.Errorf("outbox left: %v", rest)
	}
}
