package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/debrief-hq/debrief/ent"
)

// maxBatch bounds how many write transactions share one SQLite commit.
const maxBatch = 64

// errClosed is returned for writes submitted after the database closed.
var errClosed = errors.New("the database is closed")

// groupWriter is SQLite's single writer with group commit. SQLite commits
// one transaction at a time, and with synchronous=FULL each commit waits for
// an fsync (~0.5 ms on these disks). Writes that arrive while a commit is in
// flight are run together, one after another, in one transaction committed
// with a single fsync. If any of them fails, the transaction is rolled back
// and each write runs again alone, so a failing write never takes another
// down with it; a 2xx is only sent after the commit that holds the write has
// succeeded.
type groupWriter struct {
	db   *sql.DB
	reqs chan *writeReq
	quit chan struct{}
	wg   sync.WaitGroup
	once sync.Once
	// largest is the most writes one commit has held, and waiting how many
	// writes wait for the writer to take them (tests read both).
	largest atomic.Int64
	waiting atomic.Int64
	// sinceOptimize counts writes since the planner's statistics were last
	// refreshed.
	sinceOptimize int
	lastOptimize  time.Time
}

// Statistics are refreshed after this many writes, or this long after the
// last refresh if anything was written: without them SQLite guesses that
// owner_id narrows a table to a handful of rows and picks that index over a
// far better one.
const (
	optimizeEvery    = 5000
	optimizeInterval = 10 * time.Minute
)

// optimize refreshes the query planner's statistics (bounded work per
// index, so it stays cheap on a large database).
func optimize(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, "PRAGMA analysis_limit=1000; PRAGMA optimize=0x10002;")
	return err
}

type writeReq struct {
	ctx  context.Context
	fn   func(context.Context, *ent.Client) error
	done chan error
}

func newGroupWriter(db *sql.DB) *groupWriter {
	w := &groupWriter{db: db, reqs: make(chan *writeReq), quit: make(chan struct{}), lastOptimize: time.Now()}
	w.wg.Add(1)
	go w.loop()
	return w
}

// do runs fn in a write transaction and returns once it has committed (or
// failed). fn must not keep the client past its return.
func (w *groupWriter) do(ctx context.Context, fn func(context.Context, *ent.Client) error) error {
	r := &writeReq{ctx: context.WithoutCancel(ctx), fn: fn, done: make(chan error, 1)}
	w.waiting.Add(1)
	select {
	case w.reqs <- r:
		w.waiting.Add(-1)
	case <-w.quit:
		w.waiting.Add(-1)
		return errClosed
	case <-ctx.Done():
		w.waiting.Add(-1)
		return ctx.Err()
	}
	// Once queued the write runs to the end: interrupting a statement can
	// roll back the whole shared transaction.
	return <-r.done
}

func (w *groupWriter) close() {
	w.once.Do(func() { close(w.quit) })
	w.wg.Wait()
}

func (w *groupWriter) loop() {
	defer w.wg.Done()
	for {
		var first *writeReq
		select {
		case first = <-w.reqs:
		case <-w.quit:
			return
		}
		batch := []*writeReq{first}
	collect:
		for len(batch) < maxBatch {
			select {
			case r := <-w.reqs:
				batch = append(batch, r)
			default:
				break collect
			}
		}
		if n := int64(len(batch)); n > w.largest.Load() {
			w.largest.Store(n)
		}
		w.commit(batch)
		w.sinceOptimize += len(batch)
		if w.sinceOptimize >= optimizeEvery || (w.sinceOptimize > 0 && time.Since(w.lastOptimize) > optimizeInterval) {
			// Best effort: stale statistics only cost speed.
			_ = optimize(context.Background(), w.db)
			w.sinceOptimize, w.lastOptimize = 0, time.Now()
		}
	}
}

func (w *groupWriter) commit(batch []*writeReq) {
	results, err := w.runAll(batch)
	if err != nil && len(batch) > 1 {
		// One write failed (or the commit did): nothing of the batch was
		// kept, so each write runs again alone, and only its own outcome
		// counts. Writes fail rarely (inputs are validated first), so the
		// common batch needs no savepoints.
		for _, r := range batch {
			res, err := w.runAll([]*writeReq{r})
			if err == nil {
				err = res[0]
			}
			r.done <- err
		}
		return
	}
	for i, r := range batch {
		if err != nil {
			r.done <- err
		} else {
			r.done <- results[i]
		}
	}
}

// runAll runs the writes one after another in one transaction and commits
// it if all succeeded. It returns each write's error, and a non-nil error
// when anything failed and the transaction was rolled back.
func (w *groupWriter) runAll(batch []*writeReq) ([]error, error) {
	results := make([]error, len(batch))
	tx, err := w.db.BeginTx(context.Background(), nil)
	if err != nil {
		return results, fmt.Errorf("begin: %w", err)
	}
	client := ent.NewClient(ent.Driver(inTxDriver{entsql.NewDriver(dialect.SQLite, entsql.Conn{ExecQuerier: tx})}))
	st := newTxState(tx)
	for i, r := range batch {
		if results[i] = run(withTx(r.ctx, st), client, r.fn); results[i] != nil {
			_ = tx.Rollback()
			return results, results[i]
		}
	}
	if err := tx.Commit(); err != nil {
		// Nobody in the batch is acknowledged.
		return results, fmt.Errorf("commit: %w", err)
	}
	st.runCommitted()
	return results, nil
}

// run calls fn, turning a panic into an error so one bad write cannot take
// the shared transaction (or the process) down with it.
func run(ctx context.Context, c *ent.Client, fn func(context.Context, *ent.Client) error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic in write transaction: %v\n%s", v, debug.Stack())
		}
	}()
	return fn(ctx, c)
}

// inTxDriver is an ent driver already inside a transaction: ent opens
// "transactions" of its own for multi-statement operations, which here are
// no-ops within the enclosing one (as with ent's own Tx clients).
type inTxDriver struct{ *entsql.Driver }

func (d inTxDriver) Tx(context.Context) (dialect.Tx, error) { return dialect.NopTx(d.Driver), nil }

func (d inTxDriver) BeginTx(context.Context, *entsql.TxOptions) (dialect.Tx, error) {
	return dialect.NopTx(d.Driver), nil
}
