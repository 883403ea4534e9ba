// Command debrief is the Debrief server and its admin commands.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"syscall"

	"golang.org/x/term"

	"github.com/debrief-hq/debrief/internal/account"
	"github.com/debrief-hq/debrief/internal/app"
	"github.com/debrief-hq/debrief/internal/config"
	"github.com/debrief-hq/debrief/internal/httpapi"
	searchbleve "github.com/debrief-hq/debrief/internal/search/bleve"
	"github.com/debrief-hq/debrief/internal/store"
)

const usage = `debrief — meeting notes that turn into a graph you can search.

Usage:
  debrief serve        [flags]   run the server (migrates the database first)
  debrief migrate      [flags]   apply database migrations and exit
  debrief config check [flags]   validate the configuration and exit
  debrief user create --email E --name N [--time-zone Z] [flags]
                                 create an account (password from stdin, or generated and printed)
  debrief backup --to FILE [flags]
                                 write a consistent copy of the SQLite database
  debrief import-ics --user EMAIL [--from DATE] [--to DATE] FILE|URL|-
                                 import an iCalendar file or feed, printing what changed
  debrief sync --user EMAIL      sync every calendar connection of a user now, with a summary
  debrief reindex [--user EMAIL] rebuild the search index from the database (server stopped)
  debrief version                print the version

Every command takes the configuration flags (see 'debrief serve -h');
each flag also reads a DEBRIEF_* environment variable.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, rest, stderr)
	case "migrate":
		err = migrate(ctx, rest, stderr)
	case "config":
		if len(rest) == 0 || rest[0] != "check" {
			fmt.Fprint(stderr, usage)
			return 2
		}
		err = configCheck(rest[1:], stdout, stderr)
	case "user":
		if len(rest) == 0 || rest[0] != "create" {
			fmt.Fprint(stderr, usage)
			return 2
		}
		err = userCreate(ctx, rest[1:], stdin, stdout, stderr)
	case "backup":
		err = backup(ctx, rest, stdout, stderr)
	case "import-ics":
		err = importICS(ctx, rest, stdin, stdout, stderr)
	case "sync":
		err = syncUser(ctx, rest, stdout, stderr)
	case "reindex":
		err = reindex(ctx, rest, stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "debrief", app.Version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "debrief: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "debrief:", err)
		return 1
	}
	return 0
}

func load(name string, args []string, stderr io.Writer, extra ...func(*flag.FlagSet)) (config.Config, *slog.Logger, error) {
	cfg, log, rest, err := loadArgs(name, args, stderr, extra...)
	if err == nil && len(rest) > 0 {
		err = fmt.Errorf("unexpected argument %q", rest[0])
	}
	return cfg, log, err
}

// loadArgs is load for a command that takes arguments after its flags.
func loadArgs(name string, args []string, stderr io.Writer, extra ...func(*flag.FlagSet)) (config.Config, *slog.Logger, []string, error) {
	cfg, rest, err := config.LoadArgs(name, args, os.Getenv, stderr, extra...)
	if err != nil {
		return cfg, nil, nil, err
	}
	if err := cfg.Validate(); err != nil {
		return cfg, nil, nil, fmt.Errorf("configuration:\n%w", err)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.Level()}))
	return cfg, log, rest, nil
}

// The collector's pace for `debrief serve`, unless GOGC says otherwise.
// The server's live heap is a few megabytes while it serves requests, so at
// Go's default GOGC=100 it collected ~80 times a second under load
// (GODEBUG=gctrace=1) and requests caught in a cycle made the tail. A fixed
// GOGC=400 fixed that but let the heap grow to five times a large live heap
// (a calendar sync holds 100+ MB), and a soft memory limit under it made
// the collector run flat out. So the pace follows the live heap: while it
// is small, the next collection waits until the heap reaches heapFloor
// (GOGC up to 400); once it is large, the heap may grow by bigHeadroom
// before the next one (GOGC from 100 down to 50), so that the headroom of
// a large sync does not double what it holds (docs/performance.md).
const (
	heapFloor   = 32 << 20
	bigHeadroom = 48 << 20
	bigGC       = 50
	minGC       = 100
	maxGC       = 400
)

// gcPercentFor is the GOGC for a live heap of live bytes: the next
// collection near heapFloor while the heap is small (within [minGC,
// maxGC]), then bigHeadroom above the live heap (within [bigGC, minGC]).
// The goal rises with the live heap, without a step: a step at 96 MB let a
// live heap just under it grow to 190 MB while one just over it stopped at
// 144 MB.
func gcPercentFor(live uint64) int {
	switch {
	case live == 0:
		return minGC
	case live >= heapFloor:
		return min(max(int((bigHeadroom*100+live-1)/live), bigGC), minGC)
	}
	return min(max(int(((heapFloor-live)*100+live-1)/live), minGC), maxGC) // rounded up: the goal is at least the floor
}

// extraProcs are the schedulers (Go's Ps) `debrief serve` runs beyond the
// machine's CPUs. The search index works in the background in long
// computations (bleve's analysis, segment building and merges), and a
// request that became runnable while they held every P waited up to the
// scheduler's 10 ms time slice; with spare Ps the kernel shares the cores
// at a finer grain. bench/load, 16 connections, search on, a 2-CPU
// machine: note saves p99 20–21 -> 12 ms, 10-item saves 29–31 -> 23 ms,
// with 3 or 4 Ps alike (docs/performance.md).
const extraProcs = 2

// addProcs raises GOMAXPROCS by extraProcs, unless GOMAXPROCS is set.
func addProcs() {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + extraProcs)
	}
}

// tuneCollector adjusts GOGC to the live heap after every collection until
// ctx ends. After each one, not on a timer: a sync that grows the live heap
// from 8 to 25 MB between two ticks would otherwise run on the idle GOGC
// (400) and let the heap reach five times that before the next collection
// (a 60 MB spike in RSS at the start of a feed sync).
func tuneCollector(ctx context.Context) {
	if os.Getenv("GOGC") != "" {
		return
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	last := -1
	set := func() {
		metrics.Read(sample)
		if p := gcPercentFor(sample[0].Value.Uint64()); p != last {
			debug.SetGCPercent(p)
			last = p
		}
	}
	set()
	afterEachGC(ctx, set)
}

// afterEachGC calls fn after every garbage collection until ctx ends: a
// cleanup on an object nothing refers to runs once the collector has freed
// it, and each run arms the next.
func afterEachGC(ctx context.Context, fn func()) {
	type sentinel struct{ _ *byte } // a pointer: never tiny-allocated
	var arm func()
	arm = func() {
		runtime.AddCleanup(&sentinel{}, func(struct{}) {
			if ctx.Err() == nil {
				arm() // first: a collection during fn must find the next sentinel
				fn()
			}
		}, struct{}{})
	}
	arm()
}

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	cfg, log, err := load("serve", args, stderr)
	if err != nil {
		return err
	}
	tuneCollector(ctx)
	// One analysis worker: an index update takes one core at most and
	// requests keep the other (a process-wide setting, so the server's,
	// not every app's: tests run several apps at once).
	searchbleve.SetAnalysisWorkers(1)
	a, err := app.New(ctx, cfg, log, app.Options{RunJobs: true})
	if err != nil {
		return err
	}
	defer a.Close()
	// After the wiring, which sizes its pools (SQLite readers, password
	// hashing) by the machine's processors, not by the spare schedulers.
	addProcs()
	if cfg.PprofListen != "" {
		// net/http/pprof registers on the default mux; nothing else uses it.
		go func() { log.Warn("pprof stopped", "err", http.ListenAndServe(cfg.PprofListen, nil)) }()
	}
	return a.Serve(ctx)
}

func migrate(ctx context.Context, args []string, stderr io.Writer) error {
	cfg, log, err := load("migrate", args, stderr)
	if err != nil {
		return err
	}
	db, err := app.OpenDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	log.Info("database is up to date", "dialect", db.Dialect)
	return db.Close()
}

func configCheck(args []string, stdout, stderr io.Writer) error {
	cfg, _, err := load("config check", args, stderr)
	if err != nil {
		return err
	}
	if _, err := cfg.Secret(); err != nil {
		return err
	}
	db := "SQLite in " + cfg.DataDir
	if cfg.IsPostgres() {
		db = "PostgreSQL"
	}
	fmt.Fprintf(stdout, "configuration is valid: listen %s, database %s, sign-up %s\n", cfg.Listen, db, cfg.Signup)
	return nil
}

func userCreate(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var email, name, tz string
	cfg, log, err := load("user create", args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the account's email (required)")
		fs.StringVar(&name, "name", "", "the account's display name")
		fs.StringVar(&tz, "time-zone", "UTC", "the account's IANA time zone")
	})
	if err != nil {
		return err
	}
	if email == "" {
		return errors.New("user create: --email is required")
	}
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	svc, closeDB, err := openServices(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()
	u, pw, err := svc.Accounts.CreateUser(ctx, account.SignupInput{Email: email, Name: name, TimeZone: tz, Password: password})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created user %s <%s> (id %s)\n", u.Name, u.Email, u.ID)
	if password == "" {
		fmt.Fprintf(stdout, "generated password: %s\n", pw)
	}
	return nil
}

// openServices opens the database and builds the domain services on it,
// for commands that work without the HTTP server.
func openServices(ctx context.Context, cfg config.Config, log *slog.Logger) (httpapi.Services, func() error, error) {
	_, svc, closeDB, err := openAll(ctx, cfg, log)
	return svc, closeDB, err
}

// openAll is openServices with the store too.
func openAll(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.Store, httpapi.Services, func() error, error) {
	secret, err := cfg.Secret()
	if err != nil {
		return nil, httpapi.Services{}, nil, err
	}
	db, err := app.OpenDB(ctx, cfg, log)
	if err != nil {
		return nil, httpapi.Services{}, nil, err
	}
	st := store.New(db, log)
	return st, app.Services(st, secret, cfg, log, app.Options{}), db.Close, nil
}

// readPassword reads one line from stdin when it is not a terminal; an
// interactive run gets a generated password instead of an echoing prompt.
func readPassword(stdin io.Reader) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return "", nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func backup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var to string
	cfg, log, err := load("backup", args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "file to write the copy to (must not exist)")
	})
	if err != nil {
		return err
	}
	if to == "" {
		return errors.New("backup: --to FILE is required")
	}
	if cfg.IsPostgres() {
		return errors.New("backup: the database is PostgreSQL; use pg_dump (for example `pg_dump -Fc \"$DEBRIEF_DATABASE_URL\" > debrief.dump`)")
	}
	db, err := app.OpenDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, to); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", db.Path, to)
	return nil
}
