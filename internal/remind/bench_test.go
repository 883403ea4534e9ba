package remind_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/debrief-hq/debrief/internal/app"
	"github.com/debrief-hq/debrief/internal/remind"
	"github.com/debrief-hq/debrief/internal/testutil"
)

// The reminder benchmarks (make bench; figures in docs/performance.md):
//
//	BenchmarkPlanPass      10,000 people with 20 open items each (due
//	                       dates spread over three weeks, some remind-me-at
//	                       times) and four meetings with notes in the
//	                       window: the daily planning pass, its time and
//	                       the heap it adds at its peak.
//	BenchmarkDeliverBurst  1,000 reminders due in the same minute, each to
//	                       a real SMTP server and a webhook receiver on
//	                       loopback (and in the app): the time until every
//	                       one is delivered.

// seed writes rows straight into the database (the API would take the
// benchmark's whole budget to make 200,000 items).
type seed struct {
	b        *testing.B
	a        *app.App
	postgres bool
}

func (s seed) insert(table string, cols []string, rows [][]any) {
	s.b.Helper()
	per := 4000 / len(cols)
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		var q strings.Builder
		q.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
		args := make([]any, 0, len(chunk)*len(cols))
		for i, r := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteByte('(')
			for j, v := range r {
				if j > 0 {
					q.WriteString(", ")
				}
				args = append(args, v)
				if s.postgres {
					q.WriteString("$" + strconv.Itoa(len(args)))
				} else {
					q.WriteString("?")
				}
			}
			q.WriteByte(')')
		}
		if _, err := s.a.DB.SQL.Exec(q.String(), args...); err != nil {
			s.b.Fatalf("seed %s: %v", table, err)
		}
	}
}

func id() string { return ulid.MustNew(ulid.Now(), rand.Reader).String() }

// people makes n accounts (Europe/Berlin) and returns their ids.
func (s seed) people(n int, settings string) []string {
	now := time.Now().UTC()
	ids := make([]string, n)
	rows := make([][]any, n)
	for i := range ids {
		ids[i] = id()
		rows[i] = []any{ids[i], now, now, fmt.Sprintf("p%d@example.com", i), fmt.Sprint("Person ", i), "Europe/Berlin", settings}
	}
	s.insert("users", []string{"id", "created_at", "updated_at", "email", "name", "time_zone", "reminder_settings"}, rows)
	return ids
}

func benchApp(b *testing.B, backend testutil.Backend, mutate func(*app.Options)) (*app.App, *testutil.SMTPServer) {
	smtp := testutil.NewSMTPServer(b)
	cfg := testutil.Config(b, backend)
	cfg.SMTPURL, cfg.MailFrom, cfg.AllowPrivateFetch = smtp.URL(), "debrief@example.test", true
	opts := app.Options{HashParams: testutil.CheapHash}
	if mutate != nil {
		mutate(&opts)
	}
	a, err := app.New(context.Background(), cfg, testutil.Logger(b), opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	return a, smtp
}

// peakHeap samples the heap while fn runs and returns how far it rose
// above where it started.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base, peak := m.HeapAlloc, m.HeapAlloc
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapAlloc)
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	return peak - base
}

func BenchmarkPlanPass(b *testing.B) {
	for _, backend := range testutil.Backends(b) {
		b.Run(string(backend), func(b *testing.B) {
			// The pass runs on a clock the benchmark moves: the first pass
			// records a day ahead for everyone (the cold one, after an
			// upgrade), the next ones an hour later each (the hourly pass).
			var clock atomic.Int64
			clock.Store(time.Now().UnixNano())
			a, _ := benchApp(b, backend, func(o *app.Options) { o.RemindNow = func() time.Time { return time.Unix(0, clock.Load()) } })
			s := seed{b: b, a: a, postgres: backend == testutil.Postgres}
			const people, items, meetings = 10_000, 20, 4
			owners := s.people(people, "")
			now := time.Now().UTC()
			var itemRows, meetingRows, noteRows [][]any
			for p, owner := range owners {
				for i := range items {
					var due, remind any
					switch {
					case i < 15: // due from ten days ago to ten days ahead
						due = now.Truncate(24*time.Hour).AddDate(0, 0, (p+i)%21-10)
					case i < 18:
						remind = now.Add(time.Duration((p*7+i)%48) * time.Hour)
					}
					itemRows = append(itemRows, []any{id(), now, now, fmt.Sprintf("item %d of %d", i, p), "open", due, remind, false, owner})
				}
				for m := range meetings {
					mid := id()
					start := now.Add(time.Duration(m*6-3) * time.Hour)
					meetingRows = append(meetingRows, []any{mid, now, now, fmt.Sprint("meeting ", m), start, start.Add(30 * time.Minute), owner})
					noteRows = append(noteRows, []any{id(), now, now, "notes of the meeting", mid, owner})
				}
			}
			s.insert("action_items", []string{"id", "created_at", "updated_at", "title", "status", "due_at", "remind_at", "next_meeting", "owner_id"}, itemRows)
			s.insert("meetings", []string{"id", "created_at", "updated_at", "title", "starts_at", "ends_at", "owner_id"}, meetingRows)
			s.insert("notes", []string{"id", "created_at", "updated_at", "body", "meeting_id", "owner_id"}, noteRows)
			if err := a.DB.Optimize(context.Background()); err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			pass := func() (time.Duration, int) {
				start := time.Now()
				var n int
				heap := peakHeap(func() {
					r, err := a.Services.Reminders.PlanAll(ctx)
					if err != nil {
						b.Fatal(err)
					}
					n = r.Inserted
				})
				b.ReportMetric(max(float64(heap)/(1<<20), 0), "peak-heap-MB")
				return time.Since(start), n
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				cold, n := pass()
				b.ReportMetric(cold.Seconds(), "cold-s")
				b.ReportMetric(float64(n), "cold-deliveries")
				clock.Add(int64(time.Hour))
				warm, n := pass()
				b.ReportMetric(warm.Seconds(), "hourly-s")
				b.ReportMetric(float64(n), "hourly-deliveries")
			}
			b.ReportMetric(float64(people), "people")
		})
	}
}

func BenchmarkDeliverBurst(b *testing.B) {
	for _, backend := range testutil.Backends(b) {
		b.Run(string(backend), func(b *testing.B) {
			var hooks atomic.Int64
			recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hooks.Add(1)
				w.WriteHeader(http.StatusNoContent)
			}))
			b.Cleanup(recv.Close)
			a, smtp := benchApp(b, backend, nil)
			s := seed{b: b, a: a, postgres: backend == testutil.Postgres}
			const n = 1000
			ctx := context.Background()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				owners := s.people(n, "")
				due := time.Now().UTC().Add(-30 * time.Second)
				var itemRows [][]any
				for p, owner := range owners {
					itemRows = append(itemRows, []any{id(), due, due, fmt.Sprintf("call the bank %d", p), "open", due, false, owner})
					if _, _, err := a.Services.Reminders.CreateWebhook(ctx, owner, remind.WebhookInput{URL: recv.URL, Events: []string{remind.KindDue}}); err != nil {
						b.Fatal(err)
					}
				}
				s.insert("action_items", []string{"id", "created_at", "updated_at", "title", "status", "remind_at", "next_meeting", "owner_id"}, itemRows)
				if _, err := a.Services.Reminders.PlanAll(ctx); err != nil {
					b.Fatal(err)
				}
				before, hooksBefore := len(smtp.Messages()), hooks.Load()
				b.StartTimer()
				start := time.Now()
				for len(smtp.Messages())-before < n || hooks.Load()-hooksBefore < n {
					if _, err := a.Services.Reminders.Deliver(ctx); err != nil {
						b.Fatal(err)
					}
					if time.Since(start) > 5*time.Minute {
						b.Fatalf("after 5 minutes: %d emails, %d webhook posts of %d", len(smtp.Messages())-before, hooks.Load()-hooksBefore, n)
					}
				}
				b.ReportMetric(time.Since(start).Seconds(), "s-for-1000")
			}
		})
	}
}
