package search

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// Keys name what a write changed, in the outbox the store writes with it
// (search_pending): an update re-reads those things from the graph and
// replaces their documents.
const (
	keyMeeting = "m:" // a meeting and everything indexed under it
	// keyNote is a meeting's note alone: a save that changed its text and
	// none of its items (the most common write) rewrites one document,
	// not the meeting's every one.
	keyNote = "n:"
	// keyAttendees is the people attending a meeting: written by versions
	// before people were marked one by one, and applied still for rows
	// such a version left in the outbox.
	keyAttendees = "a:"
	keyPerson    = "p:" // a person
	keyLoose     = "x:" // a decision, action item or question outside meetings
	// KeyAll is all of an owner's documents (a large calendar sync, an
	// account deleted, start-up repair).
	KeyAll = "*"
)

// KeyMeeting, KeyNote (by the meeting's id), KeyPerson and KeyLoose name
// one thing.
func KeyMeeting(id string) string     { return keyMeeting + id }
func KeyNote(meetingID string) string { return keyNote + meetingID }
func KeyPerson(id string) string      { return keyPerson + id }
func KeyLoose(id string) string       { return keyLoose + id }

// Pending is one outbox row.
type Pending struct {
	ID, Key string
}

// Graph is what an update reads: the outbox, and documents as they are now
// (none for what is gone).
type Graph interface {
	Source
	PendingSearch(ctx context.Context, owner string, limit int) ([]Pending, error)
	// LockSearch takes the owner's update for this caller, across every
	// instance on the database, if no one has it (ok false: someone has);
	// unlock gives it back.
	LockSearch(ctx context.Context, owner string) (unlock func(), ok bool, err error)
	DonePendingSearch(ctx context.Context, ids []string) error
	MeetingSearchDocuments(ctx context.Context, owner string, ids ...string) ([]Document, error)
	// NoteSearchDocuments are the documents of some meetings' notes (none
	// for an empty note), with the ids of all those notes, whose old
	// documents go.
	NoteSearchDocuments(ctx context.Context, owner string, meetingIDs ...string) ([]Document, []string, error)
	AttendeeSearchDocuments(ctx context.Context, owner string, meetingIDs ...string) ([]Document, error)
	PersonSearchDocuments(ctx context.Context, owner string, ids ...string) ([]Document, error)
	LooseSearchDocuments(ctx context.Context, owner string, ids ...string) ([]Document, error)
}

// pendingBatch is how many outbox keys an update applies at a time: one
// backend batch (bleve builds a segment of it). Under bench/load's stream
// of 10-item note saves (16 connections), 100 rows gave p99 42–43 ms and a
// server RSS peak of 216 MB, 25 rows 29–31 ms and 136 MB, when an update
// also rested after each batch (docs/performance.md); batches are now as
// large as what waits, up to this, so that the index keeps up with any
// write rate (bench/fresh).
const pendingBatch = 250

// Pace spreads an update's work over time.
type Pace struct {
	// Every is the shortest time from one batch of an update to the next:
	// what is saved meanwhile waits and is indexed with the rest, so that
	// notes saved one at a time are indexed tens at a time (a batch per
	// note cost twice the CPU of a batch of many), and a note is found
	// within about Every and a batch of its save. An update starts by
	// waiting as long, to gather the burst that queued it.
	Every time.Duration
	// Rest: a refresh (an owner's documents all written again) rests after
	// each batch as long as it took, so that the server goes on answering
	// while it runs.
	Rest bool
	// Budget is how long an update works before it gives the owner back
	// with rows still waiting (0: until the outbox is empty), returning
	// ErrMore: the job queue then runs it again after the other accounts'
	// updates waiting, so that one account saving without a pause neither
	// holds the worker from the others nor runs into the job's timeout.
	Budget time.Duration
	// Lanes is how many batches of an update are applied at once when
	// more than one waits (0 is 1): behind a stream of saves, the index
	// then has more of the database than one connection among the
	// requests' many. A meeting's keys stay in one lane.
	Lanes int
}

// ErrMore is Update's answer when its Budget ran out with rows waiting.
var ErrMore = errors.New("search: the index update's time ran out with more waiting")

// pendingWindow is how many outbox rows an update reads at once: the same
// thing named twice in it (a meeting made, then its note saved; a note
// saved again and again) is applied once. Behind a stream of saves of 2,000
// notes on PostgreSQL (bench/load -instances 2), 500 rows held ~440
// distinct notes and the outbox drained at ~1,100 rows a second; a window
// as large as this one applies each note once for all its saves.
const pendingWindow = 5000

// Update applies an owner's outbox to the index until it is empty: each
// row's documents are deleted and written again from the graph, then the
// row is deleted. Rows written while it runs are applied too, or by the
// next update (the row outlives a failure: it is deleted only once its
// documents are written).
//
// One update of an owner runs at a time, among all instances: two would
// both read the outbox's oldest rows and write the same documents (under
// a stream of saves through two servers, two updates ran side by side for
// the whole run, each doing the other's work again). An update that finds
// another running leaves the outbox to it: the one running reads the
// outbox again after it gives the owner back, and so applies every row
// that was written before it did.
func Update(ctx context.Context, g Graph, idx Index, owner string, pace Pace) (int, error) {
	docs := 0
	for {
		unlock, ok, err := g.LockSearch(ctx, owner)
		if err != nil || !ok {
			return docs, err
		}
		n, spent, err := update(ctx, g, idx, owner, pace)
		unlock()
		docs += n
		if err != nil {
			return docs, err
		}
		// What was written after the last read, while the owner was still
		// held, had its update see this one running; or the time ran out
		// with rows waiting, which the next update applies.
		rows, err := g.PendingSearch(ctx, owner, 1)
		switch {
		case err != nil || len(rows) == 0:
			return docs, err
		case spent:
			return docs, ErrMore
		}
	}
}

// update is Update holding the owner, until the outbox is empty or, spent,
// pace.Budget has run out between two windows.
func update(ctx context.Context, g Graph, idx Index, owner string, pace Pace) (docs int, spent bool, err error) {
	began := time.Now()
	if err := sleep(ctx, pace.Every); err != nil {
		return 0, false, err
	}
	for {
		start := time.Now()
		rows, err := g.PendingSearch(ctx, owner, pendingWindow)
		if err != nil || len(rows) == 0 {
			return docs, false, err
		}
		// The window's keys in the order they first came, each with its rows.
		var keys []string
		rowsOf := map[string][]string{}
		for _, r := range rows {
			if _, ok := rowsOf[r.Key]; !ok {
				keys = append(keys, r.Key)
			}
			rowsOf[r.Key] = append(rowsOf[r.Key], r.ID)
		}
		if _, ok := rowsOf[KeyAll]; ok {
			// Everything the window names is in the graph the refresh reads.
			keys = []string{KeyAll}
			rowsOf[KeyAll] = nil
			for _, r := range rows {
				rowsOf[KeyAll] = append(rowsOf[KeyAll], r.ID)
			}
		}
		n, err := applyLanes(ctx, g, idx, owner, keys, rowsOf, pace)
		docs += n
		if err != nil {
			return docs, false, err
		}
		if pace.Budget > 0 && time.Since(began) > pace.Budget {
			return docs, true, nil
		}
		// Caught up: what comes next gathers until the next batch is due.
		// Behind (a full window): on at once.
		if len(rows) < pendingWindow {
			if err := sleep(ctx, pace.Every-time.Since(start)); err != nil {
				return docs, false, err
			}
		}
	}
}

// laneMin is the fewest keys a lane of an update is given. Under a stream
// of edited notes on PostgreSQL (bench/load -fresh) a window held 150–800
// notes: in lanes of a batch (250), two or three of them wrote at once and
// a note was found after 0.6 s at the median, 1.1–1.5 s at most; in lanes
// of 50 and more, all six, and 0.26–0.29 s, 0.7–0.9 s at most.
const laneMin = 50

// applyLanes applies keys a batch at a time, in up to pace.Lanes lanes at
// once when there are more than laneMin, deleting each batch's outbox rows
// once its documents are written.
func applyLanes(ctx context.Context, g Graph, idx Index, owner string, keys []string, rowsOf map[string][]string, pace Pace) (int, error) {
	lanes := min(max(pace.Lanes, 1), (len(keys)+laneMin-1)/laneMin)
	byLane := make([][]string, lanes)
	for _, k := range keys {
		// A meeting's keys (m:, n:, a:) share its id: one lane writes its
		// documents, so that two transactions never write the same ones.
		h := fnv.New32a()
		h.Write([]byte(k[strings.IndexByte(k, ':')+1:]))
		i := int(h.Sum32() % uint32(lanes))
		byLane[i] = append(byLane[i], k)
	}
	var docs atomic.Int64
	eg, ctx := errgroup.WithContext(ctx)
	for _, lane := range byLane {
		eg.Go(func() error {
			for chunk := range slices.Chunk(lane, pendingBatch) {
				n, err := apply(ctx, g, idx, owner, chunk, pace)
				docs.Add(int64(n))
				if err != nil {
					return err
				}
				var ids []string
				for _, k := range chunk {
					ids = append(ids, rowsOf[k]...)
				}
				if err := g.DonePendingSearch(ctx, ids); err != nil {
					return err
				}
			}
			return nil
		})
	}
	err := eg.Wait()
	return int(docs.Load()), err
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// apply writes the documents of distinct outbox keys.
func apply(ctx context.Context, g Graph, idx Index, owner string, keys []string, pace Pace) (int, error) {
	var meetings, notes, attendees, people, loose []string
	for _, k := range keys {
		switch {
		case k == KeyAll:
			return Refresh(ctx, g, idx, owner, pace)
		case strings.HasPrefix(k, keyMeeting):
			meetings = append(meetings, k[len(keyMeeting):])
		case strings.HasPrefix(k, keyNote):
			notes = append(notes, k[len(keyNote):])
		case strings.HasPrefix(k, keyAttendees):
			attendees = append(attendees, k[len(keyAttendees):])
		case strings.HasPrefix(k, keyPerson):
			people = append(people, k[len(keyPerson):])
		case strings.HasPrefix(k, keyLoose):
			loose = append(loose, k[len(keyLoose):])
		default:
			return 0, fmt.Errorf("search: unknown outbox key %q", k)
		}
	}
	var docs []Document
	for _, one := range []struct {
		ids  []string
		read func(context.Context, string, ...string) ([]Document, error)
	}{{meetings, g.MeetingSearchDocuments}, {attendees, g.AttendeeSearchDocuments}, {people, g.PersonSearchDocuments}, {loose, g.LooseSearchDocuments}} {
		if len(one.ids) == 0 {
			continue
		}
		ds, err := one.read(ctx, owner, one.ids...)
		if err != nil {
			return 0, err
		}
		docs = append(docs, ds...)
	}
	ids := append(people, loose...)
	if len(notes) > 0 {
		ds, noteIDs, err := g.NoteSearchDocuments(ctx, owner, notes...)
		if err != nil {
			return 0, err
		}
		docs, ids = append(docs, ds...), append(ids, noteIDs...)
	}
	return len(docs), idx.Replace(ctx, owner, meetings, ids, docs)
}
