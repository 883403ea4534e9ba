package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/debrief-hq/debrief/internal/app"
	"github.com/debrief-hq/debrief/internal/config"
	"github.com/debrief-hq/debrief/internal/search"
	"github.com/debrief-hq/debrief/internal/search/bleve"
	searchpg "github.com/debrief-hq/debrief/internal/search/postgres"
)

// reindex rebuilds the search index from the database, showing progress
// and its rate. Run it with the server stopped: the index is the server's
// while it runs.
func reindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var email string
	cfg, log, err := load("reindex", args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "user", "", "only this account (its email); default: everyone")
	})
	if err != nil {
		return err
	}
	st, svc, closeDB, err := openAll(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()
	owner := ""
	if email != "" {
		u, err := svc.Accounts.UserByEmail(ctx, email)
		if err != nil {
			return fmt.Errorf("reindex: %w", err)
		}
		owner = u.ID
	}
	var idx search.Index
	dir := app.SearchDir(cfg.DataDir)
	target := dir
	if cfg.Search == config.SearchPostgres {
		// In place, each user's documents replaced in turn.
		db, err := app.OpenDB(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer db.Close()
		idx, dir, target = searchpg.New(db.SQL), "PostgreSQL", "PostgreSQL"
	} else {
		if owner == "" {
			// A full rebuild goes to a fresh folder that replaces the old one
			// when it is complete.
			target = dir + ".rebuild"
			if err := os.RemoveAll(target); err != nil {
				return err
			}
		}
		b, err := bleve.Open(target)
		if err != nil {
			return fmt.Errorf("reindex: %w (is the server running? stop it first)", err)
		}
		idx = b
	}
	total, err := st.SearchDocumentCount(ctx, owner)
	if err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	last := time.Time{}
	show := func(users, docs int, elapsed time.Duration) {
		fmt.Fprintf(stderr, "\r%s %d users, %d of %d documents, %.0f documents/s   ", bar(docs, int(total)), users, docs, total,
			float64(docs)/max(elapsed.Seconds(), 1e-3))
	}
	users := 0
	progress := func(u, docs int, elapsed time.Duration) {
		users = u
		if time.Since(last) >= 200*time.Millisecond {
			last = time.Now()
			show(u, docs, elapsed)
		}
	}
	search.PaceRebuildCollector()
	start := time.Now()
	n, err := search.Reindex(ctx, st, idx, owner, progress)
	show(users, n, time.Since(start)) // where it ended, whatever the throttle skipped
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	fmt.Fprintln(stderr)
	if err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	if target != dir {
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
		if err := os.Rename(target, dir); err != nil {
			return err
		}
	}
	elapsed := time.Since(start)
	fmt.Fprintf(stdout, "indexed %d documents in %.1f s (%.0f documents/s) into %s\n", n, elapsed.Seconds(), float64(n)/max(elapsed.Seconds(), 1e-3), dir)
	return nil
}

// bar draws how far done is of total: "[#########...........]  45%".
func bar(done, total int) string {
	const width = 30
	frac := 1.0
	if total > 0 {
		frac = min(float64(done)/float64(total), 1)
	}
	n := int(frac * width)
	return fmt.Sprintf("[%s%s] %3.0f%%", strings.Repeat("#", n), strings.Repeat(".", width-n), frac*100)
}
