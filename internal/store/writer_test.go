package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/organization"
)

// TestGroupCommit runs many writes through SQLite's group writer at once:
// writes that fail or panic are rolled back alone, the rest commit.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	db, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "g.db"), "full")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	s := New(db, nil)
	u, err := s.CreateUser(ctx, "g@example.com", "", "UTC", "x")
	if err != nil {
		t.Fatal(err)
	}

	// Hold the writer so the writes below queue up and share commits.
	release, holding := make(chan struct{}), make(chan struct{})
	held := make(chan error, 1)
	go func() {
		held <- s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
			close(holding)
			<-release
			return tx.Organization.Create().SetOwnerID(u.ID).SetDomain("first.example").Exec(ctx)
		})
	}()
	<-holding
	const n = 40
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
				if err := tx.Organization.Create().SetOwnerID(u.ID).SetDomain(fmt.Sprintf("d%d.example", i)).Exec(ctx); err != nil {
					return err
				}
				switch i % 10 {
				case 3:
					return errors.New("refused after writing")
				case 7:
					panic("boom after writing")
				case 9:
					// A constraint violation inside the shared transaction.
					return tx.Organization.Create().SetOwnerID(u.ID).SetDomain("first.example").Exec(ctx)
				}
				return nil
			})
		}(i)
	}
	// Every writer waits for the held one (however loaded the machine).
	for deadline := time.Now().Add(time.Minute); db.gw.waiting.Load() < n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d writes reached the writer in a minute", db.gw.waiting.Load(), n)
		}
	}
	close(release)
	wg.Wait()
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"first.example": true}
	for i, err := range errs {
		failed := i%10 == 3 || i%10 == 7 || i%10 == 9
		if failed != (err != nil) {
			t.Errorf("write %d: err = %v, want failure %v", i, err, failed)
		}
		if !failed {
			want[fmt.Sprintf("d%d.example", i)] = true
		}
	}
	got, err := db.Ent.Organization.Query().Where(organization.OwnerID(u.ID)).Select(organization.FieldDomain).Strings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("%d organizations committed, want %d: %v", len(got), len(want), got)
	}
	for _, d := range got {
		if !want[d] {
			t.Errorf("%s was committed although its write failed", d)
		}
	}
	if db.gw.largest.Load() < 2 {
		t.Errorf("no two writes shared a commit (largest batch %d): the savepoint path went untested", db.gw.largest.Load())
	}
	// After close, writes are refused rather than lost silently.
	db.gw.close()
	if err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error { return nil }); err == nil {
		t.Error("write after close succeeded")
	}
}
