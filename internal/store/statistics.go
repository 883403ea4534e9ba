package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgStatistics keeps PostgreSQL's planner statistics fresh itself:
// autovacuum, which does it otherwise, is off on some installations, and a
// table never analysed is planned as if it were empty (the attendee query
// joined persons by a sequential scan, 3 ms a page instead of 0.08). After
// analyzeEvery rows written, or analyzeInterval after the last pass if
// anything was written, one pass runs in the background; Optimize runs
// one at once (start-up, after migrations).
type pgStatistics struct {
	db      *sql.DB
	log     *slog.Logger
	written atomic.Int64 // rows written since the last pass
	running atomic.Bool
	last    atomic.Int64 // when the last pass began, in Unix nanoseconds
	// passes counts the passes run (tests wait for one).
	passes atomic.Int64
}

// analyzeEvery is how many rows written start a pass (5,000; tests lower
// it).
var analyzeEvery = func() *atomic.Int64 {
	var n atomic.Int64
	n.Store(5000)
	return &n
}()

const (
	analyzeInterval = 10 * time.Minute
	// A table is analysed again when this share of its rows changed since
	// it last was (autovacuum's default is a tenth and 50 rows).
	analyzeShare = 0.1
	analyzeMin   = 50
)

func newPGStatistics(db *sql.DB) *pgStatistics {
	p := &pgStatistics{db: db}
	p.last.Store(time.Now().UnixNano())
	return p
}

// wrote counts n rows written, and starts a pass when enough were.
func (p *pgStatistics) wrote(n int) {
	if p == nil {
		return
	}
	w := p.written.Add(int64(n))
	due := w >= analyzeEvery.Load() || time.Since(time.Unix(0, p.last.Load())) >= analyzeInterval
	if !due || !p.running.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer p.running.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if err := p.pass(ctx); err != nil && p.log != nil {
			p.log.Warn("refreshing the planner's statistics failed", "err", err)
		}
	}()
}

// pass analyses the tables whose statistics are missing or stale: those
// never analysed, or changed by more than analyzeShare since.
func (p *pgStatistics) pass(ctx context.Context) error {
	p.written.Store(0)
	p.last.Store(time.Now().UnixNano())
	// Never analysed is read from the tables' statistics, not from their
	// row counts, which reach pg_stat_user_tables a while after the writes.
	rows, err := p.db.QueryContext(ctx, `SELECT relname FROM pg_stat_user_tables
		WHERE schemaname = current_schema()
		AND (coalesce(last_analyze, last_autoanalyze) IS NULL OR n_mod_since_analyze > $1 + $2 * n_live_tup)`, analyzeMin, analyzeShare)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	start := time.Now()
	for _, t := range tables {
		if _, err := p.db.ExecContext(ctx, "ANALYZE "+pgx.Identifier{t}.Sanitize()); err != nil {
			return fmt.Errorf("analyze %s: %w", t, err)
		}
	}
	p.passes.Add(1)
	if len(tables) > 0 && p.log != nil {
		p.log.Info("planner statistics refreshed", "tables", len(tables), "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// warnAutovacuum says when autovacuum is off: Debrief keeps the planner's
// statistics itself, but nothing removes dead rows.
func (p *pgStatistics) warnAutovacuum(ctx context.Context) {
	var on string
	if err := p.db.QueryRowContext(ctx, "SHOW autovacuum").Scan(&on); err != nil || on == "on" || p.log == nil {
		return
	}
	p.log.Warn("PostgreSQL's autovacuum is off: debrief refreshes the planner's statistics itself (ANALYZE), but dead rows are not vacuumed; turn autovacuum on or run VACUUM regularly")
}
