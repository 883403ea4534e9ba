package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/events"
)

// Store implements the domain packages' Store interfaces on one database.
type Store struct {
	db  *DB
	log *slog.Logger
	// tokenTouched maps token hashes to when this process last wrote their
	// last_used_at.
	tokenTouched sync.Map
	// queries are hot-path SQL built once: building a query costs as much as
	// running a point lookup.
	queries struct {
		meetingPage    string
		meetingNote    string
		meetingWhole   string
		hasItems       string
		noteItems      string
		attendeesOfOne string
	}
	// searchLocks are the owners whose index update runs in this process
	// (SQLite: the only one on its database).
	searchLocks sync.Map
	// searchQueue queues an owner's index update in a write's transaction
	// (the job queue sets it; nil: the outbox waits for start-up repair).
	searchQueue SearchQueue
	// remindQueue queues the planning of an owner's reminders in a write's
	// transaction (nil: the hourly pass plans them).
	remindQueue RemindQueue
	// events hears what changed once it has committed (nil: nobody).
	events events.Publisher
	// notices carries events to every instance on PostgreSQL.
	notices *notices
	// replanned is the replan window each owner's planning was last
	// queued for by this process; replanWindow their length.
	replanned    sync.Map
	replanWindow time.Duration
	// names keeps owners' name directories for mention matching (see
	// nameDirectory); namesKept counts them.
	names     sync.Map
	namesKept atomic.Int64
}

// Option tunes a store.
type Option func(*Store)

// WithEvents sends what writes change to p once they commit: directly on
// SQLite (one process), through the database's NOTIFY on PostgreSQL, where
// every instance listening (DB.ListenEvents) hands them to its own.
func WithEvents(p events.Publisher) Option { return func(s *Store) { s.events = p } }

// publish sends e when the write in ctx commits.
func (s *Store) publish(ctx context.Context, tx *ent.Client, e events.Event) error {
	if s.events == nil {
		return nil
	}
	if s.db.Dialect == dialect.Postgres {
		// To every instance, once committed (not at all on rollback),
		// through NOTIFY outside the write: a NOTIFY in it made every
		// commit take PostgreSQL's one notification lock in turn, and the
		// note saves of all accounts took turns with it.
		afterCommit(ctx, func() { s.notices.add(string(mustJSON(e))) })
		return nil
	}
	afterCommit(ctx, func() { s.events.Publish(e) })
	return nil
}

// notices sends events to PostgreSQL's NOTIFY, in batches: what is added
// while a batch is sent goes in the next one. A goroutine runs while there
// is something to send.
type notices struct {
	db      *sql.DB
	log     *slog.Logger
	mu      sync.Mutex
	pending []string
	sending bool
}

func (n *notices) add(payload string) {
	n.mu.Lock()
	n.pending = append(n.pending, payload)
	start := !n.sending
	n.sending = true
	n.mu.Unlock()
	if start {
		go n.send()
	}
}

func (n *notices) send() {
	for {
		n.mu.Lock()
		batch := n.pending
		n.pending = nil
		if len(batch) == 0 {
			n.sending = false
			n.mu.Unlock()
			return
		}
		n.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err := n.db.ExecContext(ctx, "SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p", EventsChannel, batch)
		cancel()
		if err != nil {
			// Events tell open tabs to fetch again; what they describe is
			// committed either way.
			n.log.Warn("events not sent to the other instances", "events", len(batch), "err", err)
		}
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// SearchQueue queues the update of owner's search documents in tx.
type SearchQueue func(ctx context.Context, tx *sql.Tx, owner string) error

// SetSearchQueue connects the store's writes to the job queue.
func (s *Store) SetSearchQueue(q SearchQueue) { s.searchQueue = q }

// New builds the store.
func New(db *DB, log *slog.Logger, opts ...Option) *Store {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Store{db: db, log: log}
	s.notices = &notices{db: db.SQL, log: log}
	for _, o := range opts {
		o(s)
	}
	s.queries.meetingPage = meetingPageQuery(db.Dialect)
	s.queries.meetingNote = meetingNoteQuery(db.Dialect)
	s.queries.meetingWhole = meetingWholeQuery(db.Dialect)
	s.queries.hasItems = hasItemsQuery(db.Dialect)
	s.queries.noteItems = noteItemsQuery(db.Dialect)
	s.queries.attendeesOfOne = attendeesQuery(db.Dialect, 1)
	return s
}

// inTx runs fn in one write transaction, committing if it returns nil. fn
// must use the context it is given: on SQLite it runs in a group commit
// (see groupWriter) where it may not be cancelled half-way.
func (s *Store) inTx(ctx context.Context, fn func(context.Context, *ent.Client) error) error {
	if s.db.gw != nil {
		return translate(s.db.gw.do(ctx, fn))
	}
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return translate(fmt.Errorf("begin: %w", err))
	}
	defer func() {
		if v := recover(); v != nil {
			_ = tx.Rollback()
			panic(v)
		}
	}()
	client := ent.NewClient(ent.Driver(inTxDriver{entsql.NewDriver(s.db.Dialect, entsql.Conn{ExecQuerier: tx})}))
	st := newTxState(tx)
	if err := fn(withTx(ctx, st), client); err != nil {
		_ = tx.Rollback()
		return translate(err)
	}
	if err := tx.Commit(); err != nil {
		return translate(fmt.Errorf("commit: %w", err))
	}
	s.db.stats.wrote(1 + st.rows)
	st.runCommitted()
	return nil
}

type txKey struct{}

// txState is what the writes of one transaction share.
type txState struct {
	tx *sql.Tx
	// searchQueued are the owners whose index update this transaction has
	// queued already.
	searchQueued map[string]bool
	// remindQueued are the owners whose reminders this transaction has
	// queued for planning already.
	remindQueued map[string]bool
	// committed run once the transaction has committed.
	committed []func()
	// rows counts the rows bulk inserts wrote (the planner's statistics
	// are refreshed by rows written).
	rows int
}

// afterCommit runs fn once the transaction in ctx has committed (never if
// it rolls back; at once outside a transaction).
func afterCommit(ctx context.Context, fn func()) {
	if st := txFrom(ctx); st != nil {
		st.committed = append(st.committed, fn)
		return
	}
	fn()
}

func (st *txState) runCommitted() {
	for _, fn := range st.committed {
		fn()
	}
}

func newTxState(tx *sql.Tx) *txState {
	return &txState{tx: tx, searchQueued: map[string]bool{}, remindQueued: map[string]bool{}}
}

func withTx(ctx context.Context, st *txState) context.Context {
	return context.WithValue(ctx, txKey{}, st)
}

// TxFrom is the *sql.Tx a write runs in (inTx puts it in the context), so
// that a job can be queued in the same transaction; nil outside one.
func TxFrom(ctx context.Context) *sql.Tx {
	if st := txFrom(ctx); st != nil {
		return st.tx
	}
	return nil
}

func txFrom(ctx context.Context) *txState {
	st, _ := ctx.Value(txKey{}).(*txState)
	return st
}

// translate turns ent errors into apperr kinds; a 5xx never shows its cause.
func translate(err error) error {
	var ae *apperr.Error
	var ve *ent.ValidationError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ae):
		return err
	case ent.IsNotFound(err):
		return &apperr.Error{Kind: apperr.KindNotFound, Message: "not found", Err: err}
	case ent.IsConstraintError(err):
		return &apperr.Error{Kind: apperr.KindConflict, Message: "this conflicts with data that already exists", Err: err}
	case errors.As(err, &ve): // wrapped too (a type assertion panicked on a wrapped one)
		return &apperr.Error{Kind: apperr.KindInvalid, Message: "invalid input: " + ve.Name + " is out of range", Err: err}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return &apperr.Error{Kind: apperr.KindUnavailable, Message: "the request was cancelled or timed out", Err: err}
	}
	return apperr.Internal(err)
}

// notFound maps ent's not-found to a named NotFound, anything else via translate.
func notFound(err error, what string) error {
	if ent.IsNotFound(err) {
		return apperr.NotFound(what)
	}
	return translate(err)
}

// ts normalises a time for storage: UTC, microseconds (PostgreSQL's
// precision), so values round-trip and SQLite's text times sort correctly.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// storable is text as both databases keep it: PostgreSQL refuses NUL in
// text (a 500 where SQLite stored it), so it becomes U+FFFD, as the JSON
// decoder already does with \u0000.
func storable(s string) string {
	if strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(s, "\x00", "\uFFFD")
}

func tsp(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := ts(*t)
	return &v
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := t.UTC()
	return &v
}
