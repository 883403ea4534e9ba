// Package jobs runs Debrief's background work on River: calendar syncs
// (queued on demand and by a periodic scheduler) and search index updates
// (queued in the transaction of each write), with River's retries, unique
// jobs and leader election, on SQLite or PostgreSQL.
package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/calendar"
	"github.com/debrief-hq/debrief/internal/remind"
	"github.com/debrief-hq/debrief/internal/search"
)

// Queue names.
const (
	queueCalendar = "calendar"
	queueSearch   = "search"
	queueRemind   = "remind"
)

// SyncArgs asks for one sync of a calendar connection.
type SyncArgs struct {
	ConnectionID string `json:"connection_id"`
}

func (SyncArgs) Kind() string { return "calendar_sync" }

// scheduledOpts: the scheduler queues one sync per connection at a time; a
// due sync found while one waits or runs is that sync. (Given per insert,
// not as SyncArgs' InsertOpts: River would merge those into every insert,
// and a sync a person asks for must always run.)
var scheduledOpts = &river.InsertOpts{Queue: queueCalendar, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{
	ByArgs: true,
	ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
		rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled},
}}

// IndexArgs asks for an owner's search outbox to be applied to the index.
type IndexArgs struct {
	OwnerID string `json:"owner_id"`
}

func (IndexArgs) Kind() string { return "search_index" }

// indexOpts: no uniqueness; the store queues an update only with the
// first row of an owner's empty outbox, and the update works until the
// outbox is empty again.
var indexOpts = &river.InsertOpts{Queue: queueSearch, MaxAttempts: 25}

// ScheduleArgs runs the scheduler: it queues the syncs that are due.
type ScheduleArgs struct{}

func (ScheduleArgs) Kind() string { return "calendar_schedule" }

// PlanArgs runs the daily planning pass over every account (every hour:
// each moment is planned a day ahead).
type PlanArgs struct{}

func (PlanArgs) Kind() string { return "remind_plan" }

// ReplanArgs plans one owner's reminders again after a change.
type ReplanArgs struct {
	OwnerID string `json:"owner_id"`
	// Slot is the window of the changes (see store.RemindQueue): the changes
	// of one window share a planning just after it, and a change while it
	// runs falls in the next window.
	Slot int64 `json:"slot"`
}

func (ReplanArgs) Kind() string { return "remind_replan" }

// DeliverArgs sends the reminders that are due.
type DeliverArgs struct{}

func (DeliverArgs) Kind() string { return "remind_deliver" }

// replanDelay is how long after its window a planning runs: past the
// commit of every write of the window.
const replanDelay = time.Second

// uniqueStates: one job of these args at a time, waiting or running.
var uniqueStates = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
	rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled}

// Remind is what reminder jobs work on.
type Remind struct {
	Service *remind.Service
	// PlanEvery is how often the daily pass runs (0: an hour).
	PlanEvery time.Duration
	// DeliverEvery is how often due reminders are looked for (0: ten
	// seconds, so each goes out well within a minute of its moment).
	DeliverEvery time.Duration
}

// Options configure the queue.
type Options struct {
	Log *slog.Logger
	// SchedulerEvery is how often due connections are looked for.
	SchedulerEvery time.Duration
	// PollInterval is how often a worker looks for new jobs on SQLite
	// (which has no LISTEN/NOTIFY).
	PollInterval time.Duration
	// Search keeps the search index in step with the graph (nil: no
	// index updates are worked).
	Search *Search
	// Remind plans and delivers reminders (nil: none are).
	Remind *Remind
}

// Search is what index updates work on.
type Search struct {
	Graph search.Graph
	Index search.Index
	// Stale lists the owners with outbox rows older than a time: the
	// scheduler queues their updates again (one that gave up, or a row
	// whose job was lost, is not left waiting for a restart).
	Stale func(ctx context.Context, before time.Time) ([]string, error)
	// StaleAfter is how old an outbox row is before the scheduler queues
	// its owner's update again (0: five minutes).
	StaleAfter time.Duration
	// Lanes is how many batches of an update are written at once when
	// it is behind (search.Pace; 0 is 1).
	Lanes int
}

// client is what Debrief uses of a River client. Both drivers work on
// database/sql, so that a job can be inserted in the *sql.Tx of the write
// it follows from.
type client interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// Queue is the job queue and its workers.
type Queue struct {
	client client
	close  func()
	log    *slog.Logger
}

// DB is what the queue needs of the database: SQLite's single writer pool,
// or the PostgreSQL pool (River's database/sql driver, which inserts in any
// *sql.Tx of that pool) and its address, for the one connection that
// listens for new jobs.
type DB struct {
	SQLiteWriter *sql.DB
	Postgres     *sql.DB
	// PostgresDSN, when set, gives the workers a listener: a job queued by
	// any instance is fetched when its transaction commits instead of at
	// the next poll.
	PostgresDSN string
}

// Migrate applies River's own migrations (its job tables); they sit beside
// Debrief's and are River's to version.
func Migrate(ctx context.Context, db DB) error {
	switch {
	case db.SQLiteWriter != nil:
		return migrate(ctx, riversqlite.New(db.SQLiteWriter))
	case db.Postgres != nil:
		return migrate(ctx, riverdatabasesql.New(db.Postgres))
	}
	return errors.New("jobs: no database")
}

func migrate[TTx any](ctx context.Context, d riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(d, nil)
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	return nil
}

// New builds the queue with its workers; Start runs them.
func New(ctx context.Context, db DB, cal *calendar.Service, o Options) (*Queue, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.SchedulerEvery <= 0 {
		o.SchedulerEvery = time.Minute
	}
	if o.PollInterval <= 0 {
		// A saved change is searchable within a second: the wait for the
		// next poll, then the update. With a listener the poll only
		// catches what a notification missed (River notifies a queue at
		// most once per cooldown).
		o.PollInterval = 200 * time.Millisecond
		if db.Postgres != nil && db.PostgresDSN != "" {
			o.PollInterval = 500 * time.Millisecond
		}
	}
	q := &Queue{log: o.Log, close: func() {}}
	workers := river.NewWorkers()
	river.AddWorker(workers, &syncWorker{cal: cal, log: o.Log})
	river.AddWorker(workers, &scheduleWorker{q: q, cal: cal, search: o.Search})
	queues := map[string]river.QueueConfig{queueCalendar: {MaxWorkers: 2}, river.QueueDefault: {MaxWorkers: 1}}
	if o.Search != nil {
		river.AddWorker(workers, &indexWorker{s: o.Search, q: q})
		queues[queueSearch] = river.QueueConfig{MaxWorkers: 1}
	}
	periodic := []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(o.SchedulerEvery),
		func() (river.JobArgs, *river.InsertOpts) { return ScheduleArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
	if r := o.Remind; r != nil {
		if r.PlanEvery <= 0 {
			r.PlanEvery = time.Hour
		}
		if r.DeliverEvery <= 0 {
			r.DeliverEvery = 10 * time.Second
		}
		river.AddWorker(workers, &planWorker{s: r.Service, log: o.Log})
		river.AddWorker(workers, &replanWorker{s: r.Service})
		river.AddWorker(workers, &deliverWorker{s: r.Service, log: o.Log})
		queues[queueRemind] = river.QueueConfig{MaxWorkers: 2}
		// One of each per period: a sweep of a process that was killed
		// stays "running" until River rescues it, and must not hold back
		// the next ones (two sweeps at once are safe: each claims its own).
		perPeriod := func(d time.Duration) *river.InsertOpts {
			return &river.InsertOpts{Queue: queueRemind, MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByPeriod: max(d, time.Second)}}
		}
		periodic = append(periodic,
			river.NewPeriodicJob(river.PeriodicInterval(r.PlanEvery),
				func() (river.JobArgs, *river.InsertOpts) { return PlanArgs{}, perPeriod(r.PlanEvery) }, &river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(r.DeliverEvery),
				func() (river.JobArgs, *river.InsertOpts) { return DeliverArgs{}, perPeriod(r.DeliverEvery) }, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	cfg := &river.Config{
		Logger:            o.Log.With("component", "jobs"),
		Workers:           workers,
		Queues:            queues,
		FetchPollInterval: o.PollInterval,
		FetchCooldown:     min(o.PollInterval, river.FetchCooldownDefault),
		JobTimeout:        5 * time.Minute,
		PeriodicJobs:      periodic,
		// Another instance may work what this one queues: the one holding
		// the data dir's search index works the index updates every
		// instance queues.
		SkipUnknownJobCheck: true,
	}
	var err error
	switch {
	case db.SQLiteWriter != nil:
		q.client, err = river.NewClient(riversqlite.New(db.SQLiteWriter), cfg)
	case db.Postgres != nil && db.PostgresDSN != "":
		var listen *pgxpool.Pool
		if listen, err = listenerPool(ctx, db.PostgresDSN); err == nil {
			q.close = listen.Close
			q.client, err = river.NewClient(riverdatabasesql.NewWithPgxListener(db.Postgres, listen), cfg)
		}
	case db.Postgres != nil:
		q.client, err = river.NewClient(riverdatabasesql.New(db.Postgres), cfg)
	default:
		err = errors.New("no database")
	}
	if err != nil {
		q.close()
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return q, nil
}

// listenerPool is the pool River takes its listening connection from: one
// connection, held for as long as the workers run, opened when they start.
func listenerPool(ctx context.Context, dsn string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns, cfg.MinConns = 1, 0
	return pgxpool.NewWithConfig(ctx, cfg)
}

// Start runs the workers and the scheduler until Stop.
func (q *Queue) Start(ctx context.Context) error { return q.client.Start(ctx) }

// Stop lets running jobs finish (up to ctx).
func (q *Queue) Stop(ctx context.Context) error { return q.client.Stop(ctx) }

// Close releases the queue's own connections.
func (q *Queue) Close() { q.close() }

// EnqueueSync queues a sync a person asked for: it always runs, even while
// another sync of the connection is running (that one may have fetched the
// feed before the change they are waiting for).
func (q *Queue) EnqueueSync(ctx context.Context, connectionID string) error {
	_, err := q.client.Insert(ctx, SyncArgs{ConnectionID: connectionID}, &river.InsertOpts{Queue: queueCalendar, MaxAttempts: 5})
	return err
}

// InsertTx queues a job in tx: it exists exactly when tx commits.
func (q *Queue) InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	_, err := q.client.InsertTx(ctx, tx, args, opts)
	return err
}

// QueueIndexTx queues the update of owner's search documents in tx (the
// store calls it with each write that changes them).
func (q *Queue) QueueIndexTx(ctx context.Context, tx *sql.Tx, owner string) error {
	_, err := q.client.InsertTx(ctx, tx, IndexArgs{OwnerID: owner}, indexOpts)
	return err
}

// QueueIndex queues the update of owner's search documents (start-up
// repair of an outbox whose job is gone).
func (q *Queue) QueueIndex(ctx context.Context, owner string) error {
	_, err := q.client.Insert(ctx, IndexArgs{OwnerID: owner}, indexOpts)
	return err
}

// QueueReplanTx queues, in tx, the planning of owner's reminders for the
// changes of a window, to run just after it ends; River keeps one per
// owner and window.
func (q *Queue) QueueReplanTx(ctx context.Context, tx *sql.Tx, owner string, window int64, end time.Time) error {
	_, err := q.client.InsertTx(ctx, tx, ReplanArgs{OwnerID: owner, Slot: window}, &river.InsertOpts{Queue: queueRemind, MaxAttempts: 10,
		ScheduledAt: end.Add(replanDelay), UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: uniqueStates}})
	return err
}

// scheduleSync queues a due sync unless one is already waiting or running.
func (q *Queue) scheduleSync(ctx context.Context, connectionID string) error {
	_, err := q.client.Insert(ctx, SyncArgs{ConnectionID: connectionID}, scheduledOpts)
	return err
}

type syncWorker struct {
	river.WorkerDefaults[SyncArgs]
	cal *calendar.Service
	log *slog.Logger
}

// Work syncs. A failure the provider may get over (a 5xx, a timeout, a rate
// limit) is retried by River with backoff; one it will not (a revoked
// grant, a bad address, a deleted connection) ends the job.
func (w *syncWorker) Work(ctx context.Context, job *river.Job[SyncArgs]) error {
	res, err := w.cal.Sync(ctx, job.Args.ConnectionID)
	if err == nil {
		w.log.Info("calendar synced", "connection", job.Args.ConnectionID, "created", res.Created,
			"updated", res.Updated, "cancelled", res.Cancelled, "unchanged", res.Unchanged)
		return nil
	}
	switch apperr.KindOf(err) {
	case apperr.KindUpstream, apperr.KindUnavailable, apperr.KindRateLimited, apperr.KindInternal:
		return err
	}
	return river.JobCancel(err)
}

type scheduleWorker struct {
	river.WorkerDefaults[ScheduleArgs]
	q      *Queue
	cal    *calendar.Service
	search *Search
}

// Work queues every connection whose next sync is due, and the index
// updates of outboxes left waiting.
func (w *scheduleWorker) Work(ctx context.Context, _ *river.Job[ScheduleArgs]) error {
	ids, err := w.cal.Due(ctx, 1000)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := w.q.scheduleSync(ctx, id); err != nil {
			return err
		}
	}
	if w.search == nil || w.search.Stale == nil {
		return nil
	}
	owners, err := w.search.Stale(ctx, time.Now().Add(-cmp.Or(w.search.StaleAfter, 5*time.Minute)))
	if err != nil {
		return err
	}
	for _, o := range owners {
		if err := w.q.QueueIndex(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

// indexPace: a batch at most every 100 ms, so that saves coming one at a
// time are indexed together and a save is found within a few tenths of a
// second at any rate (bench/fresh); a refresh of a whole account rests
// between its batches; an account whose saves never pause has its update
// put back in the queue every 10 s (behind the others', far from the job
// timeout: an update cut off by it was retried after River's growing
// backoff, the index standing still meanwhile).
var indexPace = search.Pace{Every: 100 * time.Millisecond, Rest: true, Budget: 10 * time.Second}

type indexWorker struct {
	river.WorkerDefaults[IndexArgs]
	s *Search
	q *Queue
}

// Work applies the owner's outbox; a failure is retried with River's
// backoff, the outbox rows waiting meanwhile. An update whose time ran
// out goes back in the queue at once, without counting as an attempt:
// as a new job, behind the other accounts' updates, whose insert wakes a
// worker at once (on PostgreSQL, through its notification). A job
// snoozed instead waited for the next poll: 0.4 s of the index standing
// still every 10 s under a stream of saves (bench/load -fresh), the time
// the completer took to mark it available again. Without a queue (the
// worker run on its own), or if the insert fails, the job snoozes.
func (w *indexWorker) Work(ctx context.Context, job *river.Job[IndexArgs]) error {
	pace := indexPace
	pace.Lanes = w.s.Lanes
	_, err := search.Update(ctx, w.s.Graph, w.s.Index, job.Args.OwnerID, pace)
	if !errors.Is(err, search.ErrMore) {
		return err
	}
	if w.q == nil || w.q.QueueIndex(ctx, job.Args.OwnerID) != nil {
		return river.JobSnooze(0)
	}
	return nil
}

type planWorker struct {
	river.WorkerDefaults[PlanArgs]
	s   *remind.Service
	log *slog.Logger
}

// Work plans every account's reminders.
func (w *planWorker) Work(ctx context.Context, _ *river.Job[PlanArgs]) error {
	start := time.Now()
	r, err := w.s.PlanAll(ctx)
	if err == nil {
		w.log.Info("reminders planned", "new", r.Inserted, "moved", r.Moved, "withdrawn", r.Cancelled, "took", time.Since(start).Round(time.Millisecond))
	}
	return err
}

type replanWorker struct {
	river.WorkerDefaults[ReplanArgs]
	s *remind.Service
}

// Work plans one owner's reminders.
func (w *replanWorker) Work(ctx context.Context, job *river.Job[ReplanArgs]) error {
	_, err := w.s.PlanOwner(ctx, job.Args.OwnerID)
	return err
}

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	s   *remind.Service
	log *slog.Logger
}

// Work sends what is due.
func (w *deliverWorker) Work(ctx context.Context, _ *river.Job[DeliverArgs]) error {
	n, err := w.s.Deliver(ctx)
	if n > 0 {
		w.log.Debug("reminders delivered", "count", n)
	}
	return err
}
