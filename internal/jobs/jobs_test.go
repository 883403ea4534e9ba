package jobs_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/account"
	"github.com/debrief-hq/debrief/internal/app"
	"github.com/debrief-hq/debrief/internal/config"
	"github.com/debrief-hq/debrief/internal/cursor"
	"github.com/debrief-hq/debrief/internal/jobs"
	"github.com/debrief-hq/debrief/internal/meeting"
	"github.com/debrief-hq/debrief/internal/testutil"
)

func feedOf(title string) string {
	start := time.Now().UTC().AddDate(0, 0, 7).Format("20060102")
	return "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:p@example.com\r\nSUMMARY:" + title + "\r\nDTSTART:" + start +
		"T100000Z\r\nDTEND:" + start + "T110000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
}

// TestQueue: a subscription's first sync, a requested sync and a due sync
// all run on the job queue, on both databases.
func TestQueue(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		var mu sync.Mutex
		body, failing := feedOf("One"), false
		feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			if failing {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			io.WriteString(w, body)
		}))
		defer feed.Close()
		setFeed := func(s string) { mu.Lock(); body = s; mu.Unlock() }

		cfg := testutil.Config(t, b)
		cfg.AllowPrivateFetch = true
		ctx := context.Background()
		a, err := app.New(ctx, cfg, testutil.Logger(t), app.Options{HashParams: testutil.CheapHash,
			JobPollInterval: 50 * time.Millisecond, JobSchedulerEvery: 200 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		if err := a.Jobs.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer a.Jobs.Stop(ctx)

		u, _, err := a.Services.Accounts.CreateUser(ctx, account.SignupInput{Email: fmt.Sprintf("q-%s@example.com", b), Password: "long enough password", TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		titles := func() string {
			ms, err := a.Services.Meetings.List(ctx, u.ID, meetingFilter())
			if err != nil {
				t.Fatal(err)
			}
			out := ""
			for _, m := range ms.Items {
				out += m.Title + ";"
			}
			return out
		}
		conn, err := a.Services.Calendar.AddICS(ctx, u.ID, feed.URL+"/f.ics", "")
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the first sync", func() bool { return titles() == "One;One;One;" })

		setFeed(feedOf("Two"))
		if err := a.Services.Calendar.RequestSync(ctx, u.ID, conn.ID); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the requested sync", func() bool { return titles() == "Two;Two;Two;" })

		// Not due: the scheduler leaves it alone. Due: it syncs.
		setFeed(feedOf("Three"))
		time.Sleep(time.Second)
		if got := titles(); got != "Two;Two;Two;" {
			t.Fatalf("synced before it was due: %s", got)
		}
		if _, err := a.DB.SQL.Exec("UPDATE connections SET next_sync_at = $1 WHERE id = $2", time.Now().Add(-time.Minute).UTC(), conn.ID); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the due sync", func() bool { return titles() == "Three;Three;Three;" })

		// A failing feed: the failure is on the connection, and River's
		// retry syncs once the feed is back.
		mu.Lock()
		body, failing = feedOf("Four"), true
		mu.Unlock()
		if err := a.Services.Calendar.RequestSync(ctx, u.ID, conn.ID); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the failure to be recorded", func() bool {
			c, err := a.Services.Calendar.Get(ctx, u.ID, conn.ID)
			return err == nil && c.Status == "error" && strings.Contains(c.LastError, "503")
		})
		mu.Lock()
		failing = false
		mu.Unlock()
		// The meetings commit first, the connection's position and status
		// last (calendar syncs commit as they go).
		waitFor(t, "the retried sync", func() bool {
			c, err := a.Services.Calendar.Get(ctx, u.ID, conn.ID)
			return titles() == "Four;Four;Four;" && err == nil && c.Status == "active" && c.LastError == ""
		})
	})
}

func waitFor(t *testing.T, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not happen within 20s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func meetingFilter() meeting.Filter { return meeting.Filter{Page: cursor.Page{Limit: 50}} }

// TestListener: on PostgreSQL the workers listen, so a job another
// instance queues runs when its transaction commits, not at the next poll
// (set here far beyond the wait). The instance that queues runs no workers:
// nothing in its own process can wake the one that does.
func TestListener(t *testing.T) {
	testutil.OnPostgres(t, func(t *testing.T) {
		feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, feedOf("Heard")) }))
		defer feed.Close()
		cfg := testutil.Config(t, testutil.Postgres)
		cfg.AllowPrivateFetch, cfg.Search = true, config.SearchPostgres
		ctx := context.Background()
		open := func() *app.App {
			a, err := app.New(ctx, cfg, testutil.Logger(t), app.Options{HashParams: testutil.CheapHash,
				JobPollInterval: time.Hour, JobSchedulerEvery: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { a.Close() })
			return a
		}
		worker, web := open(), open()
		if err := worker.Jobs.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer worker.Jobs.Stop(ctx)
		u, _, err := web.Services.Accounts.CreateUser(ctx, account.SignupInput{Email: "listen@example.com", Password: "long enough password", TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		// Past the fetch every producer makes when it starts.
		time.Sleep(time.Second)
		start := time.Now()
		if _, err := web.Services.Calendar.AddICS(ctx, u.ID, feed.URL+"/f.ics", ""); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the sync queued on the other instance", func() bool {
			ms, err := web.Services.Meetings.List(ctx, u.ID, meetingFilter())
			if err != nil {
				t.Fatal(err)
			}
			return len(ms.Items) == 3 && ms.Items[0].Title == "Heard"
		})
		t.Logf("queued to synced: %v (poll interval: an hour)", time.Since(start).Round(time.Millisecond))
	})
}

// TestIndexTurns: an account's index update whose turn ran out with rows
// waiting is queued again as a job that runs at once — with polling set to
// an hour, so that only the new job's notification can wake the worker
// (a snoozed job waited for the next poll). 12,000 outbox rows and a turn
// of one window (5,000 rows): three turns.
func TestIndexTurns(t *testing.T) {
	testutil.OnPostgres(t, func(t *testing.T) {
		defer jobs.SetIndexTurn(0, time.Nanosecond)()
		cfg := testutil.Config(t, testutil.Postgres)
		cfg.Search = config.SearchPostgres
		ctx := context.Background()
		a, err := app.New(ctx, cfg, testutil.Logger(t), app.Options{HashParams: testutil.CheapHash,
			JobPollInterval: time.Hour, JobSchedulerEvery: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		u, _, err := a.Services.Accounts.CreateUser(ctx, account.SignupInput{Email: "turns@example.com", Password: "long enough password", TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		// Rows naming meetings that are gone: each turn deletes documents
		// that are not there.
		if _, err := a.DB.SQL.ExecContext(ctx, `INSERT INTO search_pendings (id, created_at, updated_at, owner_id, key)
			SELECT lpad(i::text, 26, '0'), now(), now(), $1, 'm:gone' || i FROM generate_series(1, 12000) AS i`, u.ID); err != nil {
			t.Fatal(err)
		}
		if err := a.Jobs.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer a.Jobs.Stop(ctx)
		// Past the fetch every producer makes when it starts.
		time.Sleep(time.Second)
		if err := a.Jobs.QueueIndex(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the outbox to empty", func() bool {
			var n int
			if err := a.DB.SQL.QueryRowContext(ctx, "SELECT count(*) FROM search_pendings WHERE owner_id = $1", u.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n == 0
		})
		var turns int
		if err := a.DB.SQL.QueryRowContext(ctx, "SELECT count(*) FROM river_job WHERE kind = 'search_index' AND args->>'owner_id' = $1", u.ID).Scan(&turns); err != nil {
			t.Fatal(err)
		}
		if turns < 3 {
			t.Errorf("%d index jobs for 12,000 rows in windows of 5,000, want a job a turn (3)", turns)
		}
	})
}
