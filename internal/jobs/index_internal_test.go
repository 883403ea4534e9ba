package jobs

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/debrief-hq/debrief/internal/search"
)

// busy is an account whose outbox never empties (its saves never pause).
type busy struct{ search.Graph }

func (busy) PendingSearch(context.Context, string, int) ([]search.Pending, error) {
	return []search.Pending{{ID: "1", Key: search.KeyMeeting("m1")}}, nil
}
func (busy) LockSearch(context.Context, string) (func(), bool, error) { return func() {}, true, nil }
func (busy) DonePendingSearch(context.Context, []string) error        { return nil }
func (busy) MeetingSearchDocuments(context.Context, string, ...string) ([]search.Document, error) {
	return nil, nil
}

type discard struct{ search.Index }

func (discard) Replace(context.Context, string, []string, []string, []search.Document) error {
	return nil
}

// TestIndexWorkerSnoozes: an update whose time ran out, run on its own
// (no queue to put the next turn in), goes back in the queue at once
// (River's snooze: no attempt counted, no backoff) instead of failing.
// TestIndexTurns (jobs_test.go) runs the turns on River.
func TestIndexWorkerSnoozes(t *testing.T) {
	defer func(p search.Pace) { indexPace = p }(indexPace)
	indexPace.Every, indexPace.Budget = 0, time.Millisecond
	w := &indexWorker{s: &Search{Graph: busy{}, Index: discard{}}}
	err := w.Work(context.Background(), &river.Job[IndexArgs]{Args: IndexArgs{OwnerID: "u1"}})
	var snooze *river.JobSnoozeError
	if !errors.As(err, &snooze) || snooze.Duration != 0 {
		t.Fatalf("Work = %v, want a snooze of 0", err)
	}
}
