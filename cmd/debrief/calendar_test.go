package main

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/testutil"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/mattn/go-sqlite3"
)

// TestImportICSCommand runs `debrief import-ics` on a file, on stdin and on
// a feed URL, as a user would.
func TestImportICSCommand(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	env := baseEnv(t, testutil.SQLite, data)
	if out, err := runCLI(t, env, "a long stdin password\n", "user", "create", "--email", "ada@example.com", "--time-zone", "America/Los_Angeles"); err != nil {
		t.Fatalf("user create: %v %s", err, out)
	}
	file := "../../testdata/ics/ical_js/recur_instances.ics"
	window := []string{"--from", "2012-09-01", "--to", "2013-06-01"}

	out, err := runCLI(t, env, "", append(append([]string{"import-ics", "--user", "Ada@Example.com"}, window...), file)...)
	if err != nil {
		t.Fatalf("import-ics: %v %s", err, out)
	}
	// Eight occurrences, listed in the user's zone, then the summary.
	if !strings.Contains(out, "created   2012-10-02 15:00  Crazy Event Thingy!") || strings.Count(out, "created ") != 8 ||
		!strings.Contains(out, file+": 8 created, 0 updated, 0 cancelled, 0 unchanged, 0 skipped (window 2012-09-01 to 2013-06-01)") {
		t.Fatalf("first import:\n%s", out)
	}
	// The same file from stdin changes nothing.
	body, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	out, err = runCLI(t, env, string(body), append(append([]string{"import-ics", "--user", "ada@example.com"}, window...), "-")...)
	if err != nil || !strings.Contains(out, "-: 0 created, 0 updated, 0 cancelled, 8 unchanged, 0 skipped") {
		t.Fatalf("second import: %v\n%s", err, out)
	}

	// A feed on a private address is refused unless allowed.
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/calendar")
		w.Write([]byte(strings.Replace(string(body), "Crazy Event Thingy!", "Renamed", -1)))
	}))
	defer feed.Close()
	url := strings.Replace(feed.URL, "http://", "webcal://", 1)
	out, err = runCLI(t, env, "", append(append([]string{"import-ics", "--user", "ada@example.com"}, window...), url)...)
	if err == nil || !strings.Contains(out, "private, loopback, link-local or other special-purpose") {
		t.Errorf("private feed: %v\n%s", err, out)
	}
	out, err = runCLI(t, append(env, "DEBRIEF_ALLOW_PRIVATE_FETCH=true"), "", append(append([]string{"import-ics", "--user", "ada@example.com"}, window...), strings.Replace(url, "webcal://", "http://", 1))...)
	if err != nil || !strings.Contains(out, "0 created, 8 updated, 0 cancelled") || !strings.Contains(out, "updated   2012-11-06 20:00  Renamed") {
		t.Errorf("allowed feed: %v\n%s", err, out)
	}

	// Mistakes are explained.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import-ics", file}, "usage: debrief import-ics"},
		{[]string{"import-ics", "--user", "ada@example.com"}, "usage: debrief import-ics"},
		{[]string{"import-ics", "--user", "nobody@example.com", file}, "user not found"},
		{[]string{"import-ics", "--user", "ada@example.com", "--from", "soon", file}, "--from \"soon\" is not a date"},
		{[]string{"import-ics", "--user", "ada@example.com", "/no/such/file.ics"}, "no such file"},
	} {
		if out, err := runCLI(t, env, "", c.args...); err == nil || !strings.Contains(out, c.want) {
			t.Errorf("%v: %v\n%s", c.args, err, out)
		}
	}
}

// TestBackgroundSync: a subscribed feed is synced by the job queue of the
// real server, a requested sync runs in the background, and `debrief sync`
// runs a user's connections in the foreground.
func TestBackgroundSync(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		var mu sync.Mutex
		ics := weeklyFeed("Planning")
		feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			w.Header().Set("Content-Type", "text/calendar")
			io.WriteString(w, ics)
		}))
		defer feed.Close()

		env := append(baseEnv(t, b, filepath.Join(t.TempDir(), "data")), "DEBRIEF_ALLOW_PRIVATE_FETCH=true")
		s := startServer(t, env)
		defer s.stop(syscall.SIGTERM)
		t.Cleanup(func() {
			if t.Failed() {
				t.Log(s.logs.String())
			}
		})
		tok := s.tokenWith("sync@example.com", "correct horse battery")

		var conn struct {
			ID           string  `json:"id"`
			LastSyncedAt *string `json:"last_synced_at"`
			Status       string  `json:"status"`
		}
		if code, err := s.call("POST", "/api/v1/connections/ics", tok, map[string]any{"url": feed.URL + "/p.ics"}, &conn); code != 201 {
			t.Fatalf("subscribe: %d %v", code, err)
		}
		titles := func() []string {
			var list struct{ Items []struct{ Title string } }
			s.call("GET", "/api/v1/meetings?limit=200", tok, nil, &list)
			var out []string
			for _, m := range list.Items {
				out = append(out, m.Title)
			}
			return out
		}
		waitFor(t, 30*time.Second, "the first background sync", func() bool {
			s.call("GET", "/api/v1/connections/"+conn.ID, tok, nil, &conn)
			return conn.LastSyncedAt != nil
		})
		if got := titles(); len(got) != 4 || got[0] != "Planning" {
			t.Fatalf("after the first sync: %v (%s)", got, s.logs.String())
		}

		// The organizer renames the series; a requested sync picks it up.
		mu.Lock()
		ics = weeklyFeed("Planning (renamed)")
		mu.Unlock()
		if code, _ := s.call("POST", "/api/v1/connections/"+conn.ID+"/sync", tok, nil, nil); code != 202 {
			t.Fatalf("request sync: %d", code)
		}
		waitFor(t, 30*time.Second, "the requested sync", func() bool {
			got := titles()
			return len(got) == 4 && got[0] == "Planning (renamed)"
		})

		// In the foreground, from the command line.
		mu.Lock()
		ics = weeklyFeed("Planning (again)")
		mu.Unlock()
		out, err := runCLI(t, env, "", "sync", "--user", "sync@example.com")
		if err != nil || !strings.Contains(out, "0 created, 4 updated, 0 cancelled, 0 unchanged") {
			t.Fatalf("debrief sync: %v\n%s", err, out)
		}
		if out, err := runCLI(t, env, "", "sync"); err == nil || !strings.Contains(out, "usage: debrief sync --user EMAIL") {
			t.Errorf("sync without --user: %v %s", err, out)
		}
	})
}

// weeklyFeed is four weekly meetings starting next week.
func weeklyFeed(title string) string {
	start := time.Now().UTC().AddDate(0, 0, 7).Format("20060102")
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:planning@example.com\r\nSUMMARY:" + title +
		"\r\nDTSTART;TZID=Europe/Berlin:" + start + "T100000\r\nDTEND;TZID=Europe/Berlin:" + start +
		"T110000\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
}

func waitFor(t *testing.T, limit time.Duration, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not happen within %v", what, limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestAddProcs: the server runs extraProcs schedulers beyond the default,
// and leaves GOMAXPROCS alone when it is set.
func TestAddProcs(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(before)
	t.Setenv("GOMAXPROCS", "")
	addProcs()
	if got := runtime.GOMAXPROCS(0); got != before+extraProcs {
		t.Errorf("GOMAXPROCS %d, want %d", got, before+extraProcs)
	}
	runtime.GOMAXPROCS(before)
	t.Setenv("GOMAXPROCS", "1")
	addProcs()
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Errorf("with GOMAXPROCS set: %d, want it left at %d", got, before)
	}
}

func TestGCPercentFor(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 100}, {3 << 20, 400}, {6 << 20, 400}, {8 << 20, 300}, {16 << 20, 100}, {24 << 20, 100}, {32 << 20, 100},
		{48 << 20, 100}, {64 << 20, 75}, {95 << 20, 51}, {96 << 20, 50}, {300 << 20, 50},
	} {
		if got := gcPercentFor(c.live); got != c.want {
			t.Errorf("gcPercentFor(%d MB) = %d, want %d", c.live>>20, got, c.want)
		}
	}
	// The next collection's goal never falls as the live heap grows (by
	// more than GOGC's resolution, a percent of the live heap).
	goal := func(live uint64) float64 { return float64(live) * (1 + float64(gcPercentFor(live))/100) }
	for live := uint64(1 << 20); live < 400<<20; live += 1 << 20 {
		if next := live + 1<<20; goal(next) < goal(live)-float64(live)/100 {
			t.Fatalf("the goal falls from %.1f MB (live %d MB) to %.1f MB (live %d MB)", goal(live)/(1<<20), live>>20, goal(next)/(1<<20), next>>20)
		}
	}
}

// TestAfterEachGC checks that the collector's pace is set again after every
// collection, and no longer once the server stops.
func TestAfterEachGC(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := make(chan struct{}, 100)
	afterEachGC(ctx, func() { calls <- struct{}{} })
	for i := range 3 {
		// The cleanup runs on its own goroutine shortly after the
		// collection; a collection before it has re-armed finds nothing.
		deadline := time.Now().Add(10 * time.Second)
	wait:
		for {
			runtime.GC()
			select {
			case <-calls:
				break wait
			case <-time.After(20 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				t.Fatalf("not called after collection %d", i+1)
			}
		}
	}
	cancel()
	runtime.GC() // runs the armed cleanup, which now stops
	time.Sleep(100 * time.Millisecond)
	for len(calls) > 0 {
		<-calls
	}
	runtime.GC()
	runtime.GC()
	time.Sleep(100 * time.Millisecond)
	if n := len(calls); n > 0 {
		t.Errorf("called %d times after ctx ended", n)
	}
}

// TestSyncKilledMidwayConverges: a large feed is applied in transactions
// that each commit, its position last. SIGKILL part-way leaves some of
// its meetings and the old position; the next sync applies it again and
// ends with every meeting exactly once.
func TestSyncKilledMidwayConverges(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ics := testutil.ICSFeed(400, 2, time.Now())
		feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/calendar")
			io.WriteString(w, ics)
		}))
		defer feed.Close()
		env := append(baseEnv(t, b, filepath.Join(t.TempDir(), "data")), "DEBRIEF_ALLOW_PRIVATE_FETCH=true")
		s := startServer(t, env)
		t.Cleanup(func() {
			if t.Failed() {
				t.Log(s.logs.String())
			}
		})
		tok := s.tokenWith("big@example.com", "correct horse battery")
		db := openDB(t, s)
		count := func() int {
			var n int
			if err := db.QueryRow("SELECT count(*) FROM meetings").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		var conn struct {
			ID           string  `json:"id"`
			LastSyncedAt *string `json:"last_synced_at"`
		}
		if code, err := s.call("POST", "/api/v1/connections/ics", tok, map[string]any{"url": feed.URL + "/big.ics"}, &conn); code != 201 {
			t.Fatalf("subscribe: %d %v", code, err)
		}
		// The background sync has committed some of the feed: kill it.
		waitFor(t, 60*time.Second, "the first part of the sync", func() bool { return count() > 0 })
		if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-s.done
		partial := count()
		var synced sql.NullTime
		if err := db.QueryRow(rebind(b, "SELECT last_synced_at FROM connections WHERE id = ?"), conn.ID).Scan(&synced); err != nil {
			t.Fatal(err)
		}
		if synced.Valid {
			t.Fatalf("the killed sync's position was committed (%d meetings)", partial)
		}
		// Again, to the end.
		s2 := startServer(t, env, dbFlag(s)...)
		defer s2.stop(syscall.SIGTERM)
		var r struct{ Created, Updated, Cancelled, Unchanged int }
		beforeSecond := time.Now()
		if code, err := s2.call("POST", "/api/v1/connections/"+conn.ID+"/sync?wait=true", tok, nil, &r); code != 200 {
			t.Fatalf("sync after the restart: %d %v", code, err)
		}
		afterSecond := time.Now()
		total := count()
		// The restarted server's scheduler may have started the overdue
		// sync itself before this one: between them they make what the kill
		// left out, and this one sees every meeting.
		if partial >= total || r.Created+r.Unchanged != total || r.Created > total-partial {
			t.Errorf("killed after %d meetings; the next sync %+v; %d in all", partial, r, total)
		}
		var distinct int
		if err := db.QueryRow("SELECT count(*) FROM (SELECT DISTINCT ical_uid, original_start FROM meetings) AS d").Scan(&distinct); err != nil || distinct != total {
			t.Errorf("%d distinct meetings of %d (%v)", distinct, total, err)
		}
		// A third sync changes nothing, but for occurrences the window (a
		// year ahead of now) reached meanwhile: the feed's meetings start on
		// the hour, and a run that spans one sees a few enter.
		if code, _ := s2.call("POST", "/api/v1/connections/"+conn.ID+"/sync?wait=true", tok, nil, &r); code != 200 || r.Updated+r.Cancelled != 0 {
			t.Errorf("a third sync changed %+v", r)
		}
		var entered int
		edge := beforeSecond.AddDate(0, 0, 365).Add(-time.Minute)
		if err := db.QueryRow(rebind(b, "SELECT count(*) FROM meetings WHERE created_at > ? AND starts_at > ?"), afterSecond.UTC(), edge.UTC()).Scan(&entered); err != nil {
			t.Fatal(err)
		}
		if r.Created != entered {
			t.Errorf("a third sync made %d meetings; %d entered the window at its far end", r.Created, entered)
		}
		t.Logf("killed after %d of %d meetings", partial, total)
	})
}

// openDB opens the server's database beside it.
func openDB(t *testing.T, s *server) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite3", ""
	for _, e := range s.cmd.Env {
		if v, ok := strings.CutPrefix(e, "DEBRIEF_DATABASE_URL="); ok && v != "" {
			driver, dsn = "pgx", v
		}
		if v, ok := strings.CutPrefix(e, "DEBRIEF_DATA_DIR="); ok && driver == "sqlite3" {
			dsn = "file:" + filepath.Join(v, "debrief.db") + "?mode=ro&_busy_timeout=5000"
		}
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func rebind(b testutil.Backend, q string) string {
	if b != testutil.Postgres {
		return q
	}
	for n := 1; strings.Contains(q, "?"); n++ {
		q = strings.Replace(q, "?", "$"+strconv.Itoa(n), 1)
	}
	return q
}
