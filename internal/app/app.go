// Package app wires Debrief together from a Config: database, migrations,
// store, services and the HTTP server, started and stopped in order.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/debrief-hq/debrief/internal/account"
	"github.com/debrief-hq/debrief/internal/actionitem"
	"github.com/debrief-hq/debrief/internal/agenda"
	"github.com/debrief-hq/debrief/internal/calendar"
	"github.com/debrief-hq/debrief/internal/calendar/google"
	"github.com/debrief-hq/debrief/internal/calendar/ics"
	"github.com/debrief-hq/debrief/internal/config"
	"github.com/debrief-hq/debrief/internal/decision"
	"github.com/debrief-hq/debrief/internal/egress"
	"github.com/debrief-hq/debrief/internal/events"
	"github.com/debrief-hq/debrief/internal/httpapi"
	"github.com/debrief-hq/debrief/internal/jobs"
	"github.com/debrief-hq/debrief/internal/mail"
	"github.com/debrief-hq/debrief/internal/meeting"
	"github.com/debrief-hq/debrief/internal/note"
	"github.com/debrief-hq/debrief/internal/person"
	"github.com/debrief-hq/debrief/internal/question"
	"github.com/debrief-hq/debrief/internal/remind"
	"github.com/debrief-hq/debrief/internal/search"
	searchbleve "github.com/debrief-hq/debrief/internal/search/bleve"
	searchpg "github.com/debrief-hq/debrief/internal/search/postgres"
	"github.com/debrief-hq/debrief/internal/store"
	"github.com/debrief-hq/debrief/internal/webhook"
)

// Version is set at build time with -ldflags.
var Version = "dev"

// App is a running Debrief.
type App struct {
	Config   config.Config
	DB       *store.DB
	Store    *store.Store
	Services httpapi.Services
	HTTP     *fiber.App
	// Jobs is the background queue; ServeListener runs its workers when
	// Options.RunJobs is set.
	Jobs *jobs.Queue
	// Search is the search index the jobs keep in step with the database
	// (nil when another process holds it).
	Search search.Index
	// Events fans what changed out to the open tabs of this process (fed
	// by the store, and on PostgreSQL by every instance through NOTIFY).
	Events     *events.Hub
	stopListen context.CancelFunc
	runJobs    bool
	log        *slog.Logger

	closeOnce sync.Once
	closeErr  error
}

// SearchDir is the bleve index's folder in the data dir.
func SearchDir(dataDir string) string { return filepath.Join(dataDir, "search") }

// OpenSearch opens the configured search backend: bleve in the data dir
// (its snippets cut from texts, the graph's), or PostgreSQL full-text
// search in the database.
func OpenSearch(cfg config.Config, db *store.DB, texts search.Texts, log *slog.Logger) (search.Index, error) {
	if cfg.Search == config.SearchPostgres {
		return searchpg.New(db.SQL), nil
	}
	idx, err := searchbleve.Open(SearchDir(cfg.DataDir))
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	if idx.Remade() && log != nil {
		log.Info("the search index was made by another version of debrief: it is made anew from the database")
	}
	idx.UseTexts(texts)
	return idx, nil
}

// Options tune wiring for tests.
type Options struct {
	// HashParams override argon2id's cost (tests use cheap ones).
	HashParams *argon2id.Params
	// AuthCacheTTL overrides how long a sign-in is cached (see account.Options).
	AuthCacheTTL time.Duration
	// RunJobs runs the background workers (calendar syncs) while serving.
	// API tests leave it off, so that nothing changes behind their backs.
	RunJobs bool
	// JobPollInterval overrides how often workers look for jobs on SQLite.
	JobPollInterval time.Duration
	// JobSchedulerEvery overrides how often due syncs are looked for.
	JobSchedulerEvery time.Duration
	// SearchStaleAfter overrides how long search outbox rows wait before
	// the scheduler queues their update again.
	SearchStaleAfter time.Duration
	// GoogleTransport and GoogleRetryDelay let tests inject faults and
	// shorten backoff.
	GoogleTransport  http.RoundTripper
	GoogleRetryDelay time.Duration
	GoogleAttempts   int
	// CalendarNow is the calendar service's clock (tests replay recorded
	// calendars at their own dates).
	CalendarNow func() time.Time
	// RemindNow is the reminders' clock; RemindPlanEvery and
	// RemindDeliverEvery override how often they are planned and sent.
	RemindNow func() time.Time
	// ReplanWindow overrides how long an owner's changes are gathered
	// into one planning of their reminders (store.DefaultReplanWindow).
	ReplanWindow       time.Duration
	RemindPlanEvery    time.Duration
	RemindDeliverEvery time.Duration
}

// googleProvider is Google Calendar when configured, else nil.
func googleProvider(cfg config.Config, opts Options) calendar.Google {
	if cfg.GoogleClientID == "" {
		return nil
	}
	return google.New(google.Options{ClientID: cfg.GoogleClientID, ClientSecret: cfg.GoogleClientSecret,
		AuthURL: cfg.GoogleAuthURL, TokenURL: cfg.GoogleTokenURL, APIURL: cfg.GoogleAPIURL,
		RedirectURL: strings.TrimRight(cfg.PublicURL, "/") + "/oauth/google/callback",
		Transport:   opts.GoogleTransport, Delay: opts.GoogleRetryDelay, Attempts: opts.GoogleAttempts})
}

// webhookURL is where Google pushes calendar changes, when Google is on.
func webhookURL(cfg config.Config) string {
	if cfg.GoogleClientID == "" || cfg.PublicURL == "" {
		return ""
	}
	return strings.TrimRight(cfg.PublicURL, "/") + "/webhooks/google"
}

func jobsDB(db *store.DB) jobs.DB {
	if db.Writer() != nil {
		return jobs.DB{SQLiteWriter: db.Writer()}
	}
	return jobs.DB{Postgres: db.SQL, PostgresDSN: db.DSN()}
}

// OpenDB opens and migrates the configured database.
func OpenDB(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.DB, error) {
	db, err := store.Open(ctx, store.Options{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir, SQLiteSync: cfg.SQLiteSync, MaxConns: cfg.DatabaseConns})
	if err != nil {
		return nil, err
	}
	// Fresh planner statistics at every start: the store refreshes them as
	// data grows, but a restart must not wait for that.
	db.Log(log)
	err = db.Migrate(ctx, log)
	if err == nil {
		err = jobs.Migrate(ctx, jobsDB(db))
	}
	if err == nil {
		err = db.Optimize(ctx)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// New builds everything from cfg: it opens and migrates the database.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, opts Options) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	secret, err := cfg.Secret()
	if err != nil {
		return nil, err
	}
	db, err := OpenDB(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	hub := events.NewHub()
	st := store.New(db, log, store.WithEvents(hub), store.WithReplanWindow(opts.ReplanWindow))
	svc := Services(st, secret, cfg, log, opts)
	idx, err := OpenSearch(cfg, db, st, log)
	switch {
	case errors.Is(err, searchbleve.ErrInUse):
		// Another process serves this data dir's index (and works its
		// updates, which this one still queues).
		log.Warn("search is off in this process", "err", err)
		idx = nil
	case err != nil:
		db.Close()
		return nil, err
	}
	svc.Search = search.NewService(idx, st)
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	h := httpapi.New(svc, httpapi.Options{
		Config: cfg, Idempotency: st, Ready: db.Ping, Registry: reg, Log: log, Version: Version,
		ReadConcurrency: db.ReadConcurrency(), Events: hub,
	})
	jo := jobs.Options{Log: log, PollInterval: opts.JobPollInterval, SchedulerEvery: opts.JobSchedulerEvery,
		Remind: &jobs.Remind{Service: svc.Reminders, PlanEvery: opts.RemindPlanEvery, DeliverEvery: opts.RemindDeliverEvery}}
	if idx != nil {
		jo.Search = &jobs.Search{Graph: st, Index: idx, Stale: st.PendingSearchOwners, StaleAfter: opts.SearchStaleAfter}
		if cfg.Search == config.SearchPostgres {
			// PostgreSQL writes the index in the database the requests use:
			// one connection among their sixteen got an eighth of the
			// machine under a stream of saves, and the index fell 9 s
			// behind; six, while it is behind, kept it within 1–3 s
			// (docs/performance.md). At most half the pool.
			jo.Search.Lanes = min(6, max(1, db.SQL.Stats().MaxOpenConnections/2))
		}
	}
	q, err := jobs.New(ctx, jobsDB(db), svc.Calendar, jo)
	if err != nil {
		if idx != nil {
			idx.Close()
		}
		db.Close()
		return nil, err
	}
	// The queue runs what these ask for, and they ask it: wired here, side
	// by side.
	svc.Calendar.SetEnqueue(q.EnqueueSync)
	st.SetSearchQueue(q.QueueIndexTx)
	st.SetRemindQueue(q.QueueReplanTx)
	listenCtx, stopListen := context.WithCancel(context.WithoutCancel(ctx))
	// Up once it hears the other instances' events (a save on another
	// instance meanwhile would reach no open tab here).
	listening, heard := make(chan struct{}), sync.Once{}
	go db.ListenEvents(listenCtx, log, hub.Publish, func() { heard.Do(func() { close(listening) }) })
	select {
	case <-listening:
	case <-time.After(10 * time.Second):
		log.Warn("not listening for the other instances' events yet; trying on")
	}
	return &App{Config: cfg, DB: db, Store: st, Services: svc, HTTP: h, Jobs: q, Search: idx, Events: hub, stopListen: stopListen,
		runJobs: opts.RunJobs, log: log}, nil
}

// Services builds the domain services on a store.
func Services(st *store.Store, secret []byte, cfg config.Config, log *slog.Logger, opts Options) httpapi.Services {
	policy := egress.New(cfg.AllowPrivateFetch)
	fetcher := ics.NewFetcher(int64(cfg.ImportLimit), policy, time.Minute)
	svc := httpapi.Services{
		Accounts:    account.NewService(st, secret, account.Options{SessionTTL: cfg.SessionTTL, HashParams: opts.HashParams, AuthCacheTTL: opts.AuthCacheTTL}, log),
		Meetings:    meeting.NewService(st),
		People:      person.NewService(st),
		Notes:       note.NewService(st, cfg.BodyLimit),
		ActionItems: actionitem.NewService(st),
		Decisions:   decision.NewService(st),
		Questions:   question.NewService(st),
		Agenda:      agenda.NewService(st),
		Briefs:      agenda.NewBriefService(st),
		Series:      agenda.NewSeriesService(st),
		Calendar: calendar.NewService(st, calendar.Options{ParseICS: ics.Read,
			Fetch: fetcher.Fetch, CheckURL: fetcher.Check,
			Interval: cfg.SyncInterval, Log: log, Google: googleProvider(cfg, opts), Secret: secret, Now: opts.CalendarNow,
			WebhookURL: webhookURL(cfg), MeetingLimit: cfg.CalendarMeetingLimit}),
	}
	svc.Reminders = reminders(st, svc, secret, cfg, policy, log, opts)
	return svc
}

// reminders builds the reminder service with its channels: email when SMTP
// is configured, webhooks through the egress policy, the in-app list.
func reminders(st *store.Store, svc httpapi.Services, secret []byte, cfg config.Config, policy *egress.Policy, log *slog.Logger, opts Options) *remind.Service {
	ro := remind.Options{Log: log, Secret: secret, CheckURL: policy.CheckURL, BaseURL: cfg.BaseURL(), Now: opts.RemindNow,
		StaleAfter: cfg.RemindResendAfter}
	if cfg.SMTPURL != "" {
		// Validate checked the configuration, so New cannot fail here.
		if m, err := mail.New(mail.Config{URL: cfg.SMTPURL, From: cfg.MailFrom}); err == nil {
			ro.Email, ro.Recaps = m, m
		} else {
			log.Error("email is off", "err", err)
		}
	}
	g := remind.Graph{ActionItem: svc.ActionItems.Get, Question: svc.Questions.Get, Meeting: svc.Meetings.Get,
		MeetingAt: st.MeetingAt, Brief: svc.Briefs.Brief, Day: svc.Agenda.Today}
	r := remind.NewService(st, g, itemActions{svc}, ro)
	r.UseWebhooks(webhook.New(policy, r, 15*time.Second))
	return r
}

// itemActions are what email links do to items.
type itemActions struct{ svc httpapi.Services }

func (a itemActions) Done(ctx context.Context, owner, kind, id string) error {
	if kind == "question" {
		st := question.StatusAnswered
		_, err := a.svc.Questions.Update(ctx, owner, id, question.UpdateInput{Status: &st})
		return err
	}
	st := actionitem.StatusDone
	_, err := a.svc.ActionItems.Update(ctx, owner, id, actionitem.UpdateInput{Status: &st})
	return err
}

func (a itemActions) Snooze(ctx context.Context, owner, kind, id string, until time.Time) error {
	if kind == "question" {
		_, err := a.svc.Questions.Update(ctx, owner, id, question.UpdateInput{RemindAt: &until})
		return err
	}
	_, err := a.svc.ActionItems.Update(ctx, owner, id, actionitem.UpdateInput{RemindAt: &until})
	return err
}

// Serve listens on the configured address until ctx ends, then shuts down
// gracefully: in-flight requests finish before the database closes.
func (a *App) Serve(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.Config.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	return a.ServeListener(ctx, ln)
}

// ServeListener serves on ln until ctx ends.
func (a *App) ServeListener(ctx context.Context, ln net.Listener) error {
	a.log.Info("debrief listening", "addr", "http://"+ln.Addr().String(), "database", a.DB.Dialect, "version", Version)
	if a.runJobs {
		if err := a.Jobs.Start(context.WithoutCancel(ctx)); err != nil {
			return fmt.Errorf("jobs: %w", err)
		}
		if err := a.RepairSearch(ctx); err != nil {
			return fmt.Errorf("search: %w", err)
		}
	}
	errc := make(chan error, 1)
	go func() { errc <- a.HTTP.Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	a.Events.Close() // open event streams end, so the shutdown need not wait for them
	if err := a.HTTP.ShutdownWithTimeout(20 * time.Second); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	if a.runJobs {
		// Running syncs finish (each is one transaction) or are cut short
		// and retried after the restart.
		stop, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := a.Jobs.Stop(stop); err != nil {
			a.log.Warn("stopping jobs", "err", err)
		}
	}
	return nil
}

// RepairSearch checks the search index against the database at start-up:
// an owner's outbox whose update job is gone (it gave up, or the queue was
// not running) is queued again; an index of an older version is written
// again; and when the index holds fewer documents than the database, the
// owners it is behind for get their missing documents written — only
// those (a crash that lost one document rebuilt every account's index).
func (a *App) RepairSearch(ctx context.Context) error {
	if a.Search == nil {
		return nil
	}
	owners, err := a.Store.PendingSearchOwners(ctx, time.Time{})
	if err != nil {
		return err
	}
	for _, o := range owners {
		if err := a.Jobs.QueueIndex(ctx, o); err != nil {
			return err
		}
	}
	old, err := a.Search.Outdated(ctx)
	if err != nil {
		return err
	}
	if old {
		a.log.Info("the search index holds documents of an older version: writing them again in the background")
		return a.Store.ReindexAll(ctx)
	}
	want, err := a.Store.SearchDocumentCount(ctx, "")
	if err != nil {
		return err
	}
	have, err := a.Search.Count(ctx)
	if err != nil || have >= want {
		return err
	}
	users, err := a.Store.UserIDs(ctx)
	if err != nil {
		return err
	}
	for _, o := range users {
		want, err := a.Store.SearchDocumentCount(ctx, o)
		if err != nil {
			return err
		}
		ids, err := a.Search.OwnerIDs(ctx, o)
		if err != nil {
			return err
		}
		if uint64(len(ids)) >= want {
			continue
		}
		slices.Sort(ids)
		n, err := a.Store.MarkMissingSearch(ctx, o, ids)
		if err != nil {
			return err
		}
		a.log.Info("search index behind the database: writing the missing documents in the background",
			"user", o, "documents", len(ids), "want", want, "updates", n)
	}
	return nil
}

// Close releases the job queue, the search index and the database (once;
// later calls do nothing).
func (a *App) Close() error {
	a.closeOnce.Do(func() { a.closeErr = a.close() })
	return a.closeErr
}

func (a *App) close() error {
	a.stopListen()
	a.Events.Close()
	a.Jobs.Close()
	var err error
	if a.Search != nil {
		err = a.Search.Close()
	}
	if derr := a.DB.Close(); err == nil {
		err = derr
	}
	return err
}
