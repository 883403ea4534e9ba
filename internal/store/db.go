// Package store is the database: it opens SQLite or PostgreSQL, applies the
// embedded migrations, and implements every domain package's Store interface
// with ent. It is the only package (with app and tests) that imports ent.
package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/golang-migrate/migrate/v4"
	"github.com/golang-migrate/migrate/v4/database"
	migratepgx "github.com/golang-migrate/migrate/v4/database/pgx/v5"
	migratesqlite "github.com/golang-migrate/migrate/v4/database/sqlite3"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "github.com/mattn/go-sqlite3"    // registers the "sqlite3" database/sql driver

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/internal/events"
	"github.com/debrief-hq/debrief/migrations"
)

// DB is an open database with its ent clients.
type DB struct {
	SQL     *sql.DB
	Dialect string // dialect.SQLite or dialect.Postgres
	// Ent reads. On PostgreSQL it also writes.
	Ent *ent.Client
	// W writes. On SQLite it is a pool of one connection: SQLite has one
	// writer at a time, and queueing writers in Go is fair and prompt, where
	// SQLite's busy handler sleeps and retries (long tail latencies).
	W      *ent.Client
	writer *sql.DB
	gw     *groupWriter // SQLite only
	// Path is the SQLite file ("" on PostgreSQL).
	Path    string
	dsn     string
	readers int           // SQLite reader connections
	stats   *pgStatistics // PostgreSQL only
}

// SQLiteFile is the database file's name inside the data dir.
const SQLiteFile = "debrief.db"

// Options says which database to open.
type Options struct {
	// DatabaseURL is a postgres:// URL, or empty for SQLite in DataDir.
	DatabaseURL string
	DataDir     string
	// SQLiteSync is "full" or "normal".
	SQLiteSync string
	// MaxConns bounds the connections to PostgreSQL (0: 16). On this
	// project's 2-core machine, 32 connections served a third fewer reads
	// than 16, at four times the p99: PostgreSQL's backends outnumbered the
	// cores, and requests waited there instead of in the pool
	// (docs/performance.md).
	MaxConns int
}

// Open opens (creating if needed) the database. It does not migrate.
func Open(ctx context.Context, o Options) (*DB, error) {
	if o.DatabaseURL != "" {
		return openPostgres(ctx, o.DatabaseURL, cmp.Or(o.MaxConns, 16))
	}
	if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	return OpenSQLite(ctx, filepath.Join(o.DataDir, SQLiteFile), o.SQLiteSync)
}

// OpenSQLite opens a SQLite file in WAL mode with foreign keys on, a busy
// timeout, and write transactions that take the write lock when they begin
// (so they never fail half-way upgrading a read lock).
func OpenSQLite(ctx context.Context, path, sync string) (*DB, error) {
	if sync == "" {
		sync = "full"
	}
	q := url.Values{}
	q.Set("_fk", "1")
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_txlock", "immediate")
	q.Set("_synchronous", sync)
	// Each connection keeps its prepared statements: ent sends the same few
	// query shapes over and over, and preparing them is a quarter of a read.
	q.Set("_stmt_cache_size", "64")
	dsn := "file:" + path + "?" + q.Encode()
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, err
	}
	// Readers run in parallel under WAL. Reads are CPU-bound (the database
	// lives in the OS page cache), and more connections than cores only
	// add cgo thread churn: measured on 2 cores, 4 readers beat 16 by 25 %.
	readers := 2 * runtime.GOMAXPROCS(0)
	db.SetMaxOpenConns(readers)
	db.SetMaxIdleConns(readers)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	w, err := sql.Open("sqlite3", dsn)
	if err != nil {
		db.Close()
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	return &DB{SQL: db, Dialect: dialect.SQLite, Ent: entClient(db, dialect.SQLite), W: entClient(w, dialect.SQLite),
		writer: w, gw: newGroupWriter(w), Path: path, dsn: dsn, readers: readers}, nil
}

func openPostgres(ctx context.Context, dsn string, conns int) (*DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	c := entClient(db, dialect.Postgres)
	return &DB{SQL: db, Dialect: dialect.Postgres, Ent: c, W: c, dsn: dsn, stats: newPGStatistics(db)}, nil
}

func entClient(db *sql.DB, d string) *ent.Client {
	return ent.NewClient(ent.Driver(entsql.OpenDB(d, db)))
}

// ReadConcurrency is how many reads the database serves at once: the
// SQLite reader pool, or 0 (no bound) on PostgreSQL.
// Writer is SQLite's single write connection pool (nil on PostgreSQL):
// the job queue shares it, so its writes queue with ours instead of
// meeting them as SQLITE_BUSY.
func (d *DB) Writer() *sql.DB { return d.writer }

func (d *DB) ReadConcurrency() int {
	if d.Dialect == dialect.SQLite {
		return d.readers
	}
	return 0
}

// Close closes the database.
func (d *DB) Close() error {
	if d.gw != nil {
		d.gw.close()
	}
	if d.writer != nil {
		d.writer.Close()
	}
	return d.SQL.Close()
}

// DSN is the address the database was opened with (PostgreSQL: for the
// connections that listen).
func (d *DB) DSN() string { return d.dsn }

// Ping checks the database answers.
func (d *DB) Ping(ctx context.Context) error { return d.SQL.PingContext(ctx) }

// Migrate applies every embedded migration not yet applied. It is safe to
// run from several processes at once (golang-migrate takes a lock).
func (d *DB) Migrate(ctx context.Context, log *slog.Logger) error {
	return d.migrate(log, func(m *migrate.Migrate) error { return m.Up() })
}

// migrate runs step (Up, or a move to one version in tests) with
// golang-migrate on the embedded migrations.
func (d *DB) migrate(log *slog.Logger, step func(*migrate.Migrate) error) error {
	// golang-migrate closes the connection it is given, so it gets its own.
	driverName := "sqlite3"
	if d.Dialect == dialect.Postgres {
		driverName = "pgx"
	}
	conn, err := sql.Open(driverName, d.dsn)
	if err != nil {
		return err
	}
	folder, name, open := "sqlite", "sqlite3", func() (database.Driver, error) {
		return migratesqlite.WithInstance(conn, &migratesqlite.Config{})
	}
	if d.Dialect == dialect.Postgres {
		folder, name, open = "postgres", "postgres", func() (database.Driver, error) {
			return migratepgx.WithInstance(conn, &migratepgx.Config{})
		}
	}
	drv, err := open()
	if err != nil {
		conn.Close()
		return fmt.Errorf("migrate: %w", err)
	}
	src, err := iofs.New(migrations.FS, folder)
	if err != nil {
		return err
	}
	m, err := migrate.NewWithInstance("iofs", src, name, drv)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer m.Close()
	before, _, _ := m.Version()
	if err := step(m); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return fmt.Errorf("migrate: %w", err)
	}
	after, dirty, _ := m.Version()
	if dirty {
		return fmt.Errorf("migrate: version %d is dirty: a migration failed half-way; fix the database by hand", after)
	}
	if after != before && log != nil {
		log.Info("migrated database", "from", before, "to", after, "dialect", d.Dialect)
	}
	return nil
}

// Log sets where the database's own upkeep (PostgreSQL's statistics) says
// what it did and what is wrong.
func (d *DB) Log(log *slog.Logger) {
	if d.stats != nil {
		d.stats.log = log
	}
}

// Optimize refreshes the query planner's statistics: SQLite's (see
// groupWriter), or PostgreSQL's tables that have none or stale ones (see
// pgStatistics), saying when PostgreSQL's autovacuum is off.
func (d *DB) Optimize(ctx context.Context) error {
	if d.stats != nil {
		d.stats.warnAutovacuum(ctx)
		return d.stats.pass(ctx, false)
	}
	if d.writer == nil {
		return nil
	}
	if err := optimize(ctx, d.writer); err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	return nil
}

// Backup writes a consistent copy of a live SQLite database to path.
func (d *DB) Backup(ctx context.Context, path string) error {
	if d.Dialect != dialect.SQLite {
		return errors.New("backup: the database is PostgreSQL; use pg_dump (for example `pg_dump -Fc \"$DEBRIEF_DATABASE_URL\" > debrief.dump`)")
	}
	// The copy holds everything the database does (sessions, sealed
	// tokens): only its owner may read it. VACUUM INTO writes into an
	// empty file, keeping the mode it was made with.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("backup: %s already exists; choose a new file", path)
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	f.Close()
	// VACUUM INTO reads one snapshot, so concurrent writes neither block it
	// nor tear the copy.
	if _, err := d.SQL.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		os.Remove(path)
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// EventsChannel is the PostgreSQL channel the store's events go through.
const EventsChannel = "debrief_events"

// ListenEvents hands every event published on the database (by any
// instance) to fn until ctx ends, listening on a connection of its own and
// coming back after a lost one. On SQLite it returns at once: the store
// publishes to its own process directly.
//
// listening is called each time it listens (at once on SQLite): a server
// that answered before its first LISTEN would miss what is saved meanwhile.
func (d *DB) ListenEvents(ctx context.Context, log *slog.Logger, fn func(events.Event), listening func()) {
	if d.Dialect != dialect.Postgres {
		listening()
		return
	}
	for ctx.Err() == nil {
		err := d.listen(ctx, fn, listening)
		if ctx.Err() != nil {
			return
		}
		if log != nil {
			log.Warn("listening for events failed; listening again", "err", err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (d *DB) listen(ctx context.Context, fn func(events.Event), listening func()) error {
	conn, err := pgx.Connect(ctx, d.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+EventsChannel); err != nil {
		return err
	}
	listening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var e events.Event
		if json.Unmarshal([]byte(n.Payload), &e) == nil && e.Owner != "" {
			fn(e)
		}
	}
}
