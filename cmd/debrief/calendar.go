package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/debrief-hq/debrief/internal/account"
	"github.com/debrief-hq/debrief/internal/calendar"
	"github.com/debrief-hq/debrief/internal/calendar/ics"
	"github.com/debrief-hq/debrief/internal/config"
	"github.com/debrief-hq/debrief/internal/egress"
	"github.com/debrief-hq/debrief/internal/httpapi"
)

// importICS imports an iCalendar file or feed for one user and prints what
// it created, updated and cancelled, and what it skipped.
func importICS(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var email, from, to string
	cfg, log, rest, err := loadArgs("import-ics", args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "user", "", "the account to import for (its email; required)")
		fs.StringVar(&from, "from", "", "start of the window series are expanded in (YYYY-MM-DD; default 90 days ago)")
		fs.StringVar(&to, "to", "", "end of the window (YYYY-MM-DD; default 365 days ahead)")
	})
	if err != nil {
		return err
	}
	source := ""
	if len(rest) == 1 {
		source = rest[0]
	}
	if email == "" || source == "" {
		return errors.New("import-ics: usage: debrief import-ics --user EMAIL [--from DATE] [--to DATE] FILE|URL|-")
	}
	svc, u, closeDB, err := servicesFor(ctx, "import-ics", cfg, log, email)
	if err != nil {
		return err
	}
	defer closeDB()
	loc, err := time.LoadLocation(u.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	date := func(name, v string) (*time.Time, error) {
		if v == "" {
			return nil, nil
		}
		d, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			return nil, fmt.Errorf("import-ics: --%s %q is not a date such as 2026-03-01", name, v)
		}
		return &d, nil
	}
	f, err := date("from", from)
	if err != nil {
		return err
	}
	t, err := date("to", to)
	if err != nil {
		return err
	}
	w, err := svc.Calendar.Window(f, t)
	if err != nil {
		return fmt.Errorf("import-ics: %w", err)
	}

	var data []byte
	switch {
	case source == "-":
		data, err = readLimited(stdin, int64(cfg.ImportLimit))
	case strings.Contains(source, "://"):
		var got ics.Fetched
		got, err = ics.NewFetcher(int64(cfg.ImportLimit), egress.New(cfg.AllowPrivateFetch), time.Minute).Fetch(ctx, source, "", "")
		data = got.Body
	default:
		var file *os.File
		if file, err = os.Open(source); err == nil {
			data, err = readLimited(file, int64(cfg.ImportLimit))
			file.Close()
		}
	}
	if err != nil {
		return fmt.Errorf("import-ics: %w", err)
	}

	res, err := svc.Calendar.ImportICS(ctx, calendar.User{ID: u.ID, Email: u.Email, TimeZone: u.TimeZone}, data, w)
	if err != nil {
		return fmt.Errorf("import-ics: %w", err)
	}
	for _, c := range res.Changes {
		fmt.Fprintf(stdout, "%-9s %s  %s\n", c.Action, c.Start.In(loc).Format("2006-01-02 15:04"), c.Title)
	}
	if n := res.Created + res.Updated + res.Cancelled; n > len(res.Changes) {
		fmt.Fprintf(stdout, "… and %d more\n", n-len(res.Changes))
	}
	for _, p := range res.Errors {
		what := "note"
		if p.Skipped {
			what = "skipped"
		}
		where := ""
		if p.Line > 0 {
			where = fmt.Sprintf("line %d: ", p.Line)
		}
		fmt.Fprintf(stdout, "%-9s %s%s\n", what, where, p.Reason)
	}
	fmt.Fprintf(stdout, "%s: %d created, %d updated, %d cancelled, %d unchanged, %d skipped (window %s to %s)\n",
		source, res.Created, res.Updated, res.Cancelled, res.Unchanged, res.Skipped,
		w.From.In(loc).Format(time.DateOnly), w.To.In(loc).Format(time.DateOnly))
	return nil
}

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("the file is larger than %d bytes (DEBRIEF_IMPORT_LIMIT)", limit)
	}
	return data, nil
}

// syncUser runs every connection of a user in the foreground and prints
// what each sync did.
func syncUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var email string
	cfg, log, err := load("sync", args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "user", "", "the account whose calendars to sync (its email; required)")
	})
	if err != nil {
		return err
	}
	if email == "" {
		return errors.New("sync: usage: debrief sync --user EMAIL")
	}
	svc, u, closeDB, err := servicesFor(ctx, "sync", cfg, log, email)
	if err != nil {
		return err
	}
	defer closeDB()
	conns, err := svc.Calendar.All(ctx, u.ID)
	if err != nil {
		return fmt.Errorf("sync: %w", err)
	}
	if len(conns) == 0 {
		fmt.Fprintf(stdout, "%s has no calendar connections\n", u.Email)
		return nil
	}
	var total calendar.Summary
	failed := 0
	for _, c := range conns {
		res, err := svc.Calendar.SyncNow(ctx, u.ID, c.ID)
		if err != nil {
			failed++
			fmt.Fprintf(stdout, "%s (%s): failed: %v\n", c.Name, c.Provider, err)
			continue
		}
		total.Add(res.Summary)
		fmt.Fprintf(stdout, "%s (%s): %d created, %d updated, %d cancelled, %d unchanged, %d problems\n",
			c.Name, c.Provider, res.Created, res.Updated, res.Cancelled, res.Unchanged, len(res.Errors))
	}
	fmt.Fprintf(stdout, "total: %d created, %d updated, %d cancelled, %d unchanged; %d of %d connections failed\n",
		total.Created, total.Updated, total.Cancelled, total.Unchanged, failed, len(conns))
	if failed > 0 {
		return fmt.Errorf("sync: %d of %d connections failed", failed, len(conns))
	}
	return nil
}

// servicesFor opens the services and finds the account a command works for.
func servicesFor(ctx context.Context, cmd string, cfg config.Config, log *slog.Logger, email string) (httpapi.Services, account.User, func() error, error) {
	svc, closeDB, err := openServices(ctx, cfg, log)
	if err != nil {
		return svc, account.User{}, nil, err
	}
	u, err := svc.Accounts.UserByEmail(ctx, email)
	if err != nil {
		closeDB()
		return svc, u, nil, fmt.Errorf("%s: %w", cmd, err)
	}
	return svc, u, closeDB, nil
}
