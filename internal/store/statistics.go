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

// pgStatistics keeps PostgreSQL's planner statistics fresh itself, and
// its tables vacuumed where autovacuum does not: autovacuum, which does
// both otherwise, is off on some installations, and a table never analysed
// is planned as if it were empty (the attendee query joined persons by a
// sequential scan, 3 ms a page instead of 0.08). After
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
	// A table is vacuumed, where autovacuum does not do it, when its dead
	// rows are more than this share of its live ones and analyzeMin
	// (autovacuum's default is a fifth and 50).
	vacuumShare = 0.2
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
		if err := p.pass(ctx, true); err != nil && p.log != nil {
			p.log.Warn("the tables' upkeep (ANALYZE, VACUUM) failed", "err", err)
		}
	}()
}

// pass analyses the tables whose statistics are missing or stale: those
// never analysed, or changed by more than analyzeShare since. Where
// autovacuum does not run (off, or off for the table), it vacuums the
// tables with more dead rows than autovacuum would leave (vacuumShare of
// the live ones): the search outbox is written and emptied all the time,
// and with nothing vacuuming it every save's look at it stepped over all
// the rows it ever held (2 ms a save after 40,000). Start-up analyses
// only (a vacuum can take a while): vacuum says whether to vacuum too.
func (p *pgStatistics) pass(ctx context.Context, vacuum bool) error {
	p.written.Store(0)
	p.last.Store(time.Now().UnixNano())
	// Never analysed is read from the tables' statistics, not from their
	// row counts, which reach pg_stat_user_tables a while after the writes.
	rows, err := p.db.QueryContext(ctx, `SELECT s.relname,
		coalesce(s.last_analyze, s.last_autoanalyze) IS NULL OR s.n_mod_since_analyze > $1 + $2 * s.n_live_tup,
		$4 AND s.n_dead_tup > $1 + $3 * s.n_live_tup
			AND (current_setting('autovacuum') <> 'on' OR coalesce(c.reloptions @> ARRAY['autovacuum_enabled=false'], false))
		FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
		WHERE s.schemaname = current_schema()`, analyzeMin, analyzeShare, vacuumShare, vacuum)
	if err != nil {
		return err
	}
	var work []string
	for rows.Next() {
		var t string
		var analyze, vac bool
		if err := rows.Scan(&t, &analyze, &vac); err != nil {
			rows.Close()
			return err
		}
		t = pgx.Identifier{t}.Sanitize()
		switch {
		case vac && analyze:
			work = append(work, "VACUUM (ANALYZE) "+t)
		case vac:
			work = append(work, "VACUUM "+t)
		case analyze:
			work = append(work, "ANALYZE "+t)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	start := time.Now()
	for _, w := range work {
		if _, err := p.db.ExecContext(ctx, w); err != nil {
			return fmt.Errorf("%s: %w", w, err)
		}
	}
	p.passes.Add(1)
	if len(work) > 0 && p.log != nil {
		p.log.Info("tables analysed and vacuumed", "tables", len(work), "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// warnAutovacuum says when autovacuum is off: Debrief then does its work
// on its own tables.
func (p *pgStatistics) warnAutovacuum(ctx context.Context) {
	var on string
	if err := p.db.QueryRowContext(ctx, "SHOW autovacuum").Scan(&on); err != nil || on == "on" || p.log == nil {
		return
	}
	p.log.Warn("PostgreSQL's autovacuum is off: debrief analyses and vacuums its own tables as they change (ANALYZE, VACUUM); other databases on the server are left as they are")
}
