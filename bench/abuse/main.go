// Command abuse replays the request sequences that, within Debrief's
// documented limits, used to take memory or time from every account
// (issue "Hostile input and lost meetings"), against a real `debrief serve`
// on a fresh data dir, and measures what they cost now:
//
//  1. a meeting of 500 attendees whose note holds 2,000 action items (its
//     search documents copied every attendee into every item);
//  2. an .ics file of 100 hourly series, 13 KB that expand to 100,000
//     meetings (one transaction held SQLite's writer for seconds);
//  3. a 1 MiB note of about 78,000 unknown @mentions in that meeting, saved
//     five times (47 s a save, a mention at a time).
//
// Throughout, a second account saves a small note every 20 ms, and the
// server's resident memory is read every 50 ms. For each case it prints how
// long it took, the server's peak RSS while it ran, and the longest and
// 99th-percentile time the other account's saves took. Loopback only; each
// case is bounded by -timeout. Figures go in docs/performance.md.
//
//	go run ./bench/abuse -bin ./bin/debrief [-database-url postgres://…]
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/debrief-hq/debrief/bench/internal/harness"
)

func main() {
	bin := flag.String("bin", "./bin/debrief", "the debrief binary")
	dbURL := flag.String("database-url", "", "run on this PostgreSQL database (empty: SQLite in a fresh data dir)")
	timeout := flag.Duration("timeout", 3*time.Minute, "the longest one case may run")
	flag.Parse()

	dir, err := os.MkdirTemp("", "debrief-abuse")
	check(err)
	defer os.RemoveAll(dir)
	addr := freeAddr()
	args := []string{"serve", "--listen", addr, "--data-dir", filepath.Join(dir, "data"), "--log-level", "warn"}
	if *dbURL != "" {
		args = append(args, "--database-url", *dbURL, "--search", "postgres")
	}
	srv := exec.Command(*bin, args...)
	// By the environment, which an older binary (measured beside) ignores.
	srv.Env = append(os.Environ(), "DEBRIEF_SIGNUP_RATE_LIMIT=0")
	srv.Stdout, srv.Stderr = os.Stderr, os.Stderr
	check(srv.Start())
	defer srv.Process.Kill()
	base := "http://" + addr
	waitReady(base + "/readyz")

	attacker := signUp(base, "attacker@example.com")
	victim := signUp(base, "victim@example.com")
	victimMeeting := post(base, victim, "/api/v1/meetings", map[string]any{"title": "1:1", "starts_at": "2026-12-01T10:00:00Z"})["id"].(string)

	// The other account, saving all along.
	var (
		mu      sync.Mutex
		waits   []time.Duration
		saveErr atomic.Int64
		stop    = make(chan struct{})
		stopped = make(chan struct{})
	)
	go func() {
		defer close(stopped)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			start := time.Now()
			code, _ := do(base, victim, "PUT", "/api/v1/meetings/"+victimMeeting+"/note", map[string]any{"body": fmt.Sprintf("!! follow up %d", i)}, time.Minute)
			if code != 200 {
				saveErr.Add(1)
			}
			mu.Lock()
			waits = append(waits, time.Since(start))
			mu.Unlock()
		}
	}()
	var peak atomic.Int64
	go func() {
		for {
			if rss := rssKB(srv.Process.Pid); int64(rss) > peak.Load() {
				peak.Store(int64(rss))
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()

	var attendees []map[string]any
	for i := 0; i < 500; i++ {
		attendees = append(attendees, map[string]any{"email": fmt.Sprintf("person%03d@org%02d.example", i, i%40),
			"name": fmt.Sprintf("Person%03d Surname%03d", i, i)})
	}
	big := post(base, attacker, "/api/v1/meetings", map[string]any{"title": "All hands", "starts_at": "2026-12-02T10:00:00Z", "attendees": attendees})["id"].(string)

	type result struct {
		name           string
		took           time.Duration
		ok             bool
		rssMB          float64
		maxWait, p99Wt time.Duration
		saves          int
	}
	var results []result
	run := func(name string, fn func() bool) {
		time.Sleep(time.Second) // let the last case's background work settle
		mu.Lock()
		waits = waits[:0]
		mu.Unlock()
		peak.Store(int64(rssKB(srv.Process.Pid)))
		start := time.Now()
		done := make(chan bool, 1)
		go func() { done <- fn() }()
		ok := false
		select {
		case ok = <-done:
		case <-time.After(*timeout):
			fmt.Fprintf(os.Stderr, "%s: not done after %v\n", name, *timeout)
		}
		took := time.Since(start)
		// The index work it queued, and what it holds after.
		time.Sleep(3 * time.Second)
		mu.Lock()
		ws := slices.Clone(waits)
		mu.Unlock()
		slices.Sort(ws)
		r := result{name: name, took: took, ok: ok, rssMB: float64(peak.Load()) / 1024, saves: len(ws)}
		if len(ws) > 0 {
			r.maxWait, r.p99Wt = ws[len(ws)-1], ws[min(len(ws)-1, len(ws)*99/100)]
		}
		results = append(results, r)
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, took.Round(time.Millisecond))
	}

	run("meeting of 500 with a note of 2,000 items", func() bool {
		var note strings.Builder
		for i := 0; i < 2000; i++ {
			fmt.Fprintf(&note, "!! task number %d for the quarter\n", i)
		}
		code, _ := do(base, attacker, "PUT", "/api/v1/meetings/"+big+"/note", map[string]any{"body": note.String()}, *timeout)
		return code == 200
	})
	run("13 KB .ics of 100 hourly series (100,000 meetings)", func() bool {
		var ics strings.Builder
		ics.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//abuse//EN\r\n")
		for i := 0; i < 100; i++ {
			fmt.Fprintf(&ics, "BEGIN:VEVENT\r\nUID:hourly-%d@abuse.example\r\nSUMMARY:Hourly %d\r\nDTSTART:20270101T000000Z\r\nDURATION:PT10M\r\nRRULE:FREQ=HOURLY\r\nEND:VEVENT\r\n", i, i)
		}
		ics.WriteString("END:VCALENDAR\r\n")
		code, body := doRaw(base, attacker, "POST", "/api/v1/connections/ics/import?from=2027-01-01&to=2027-03-01", "text/calendar", []byte(ics.String()), *timeout)
		if code == 200 {
			var r struct{ Created, Skipped int }
			json.Unmarshal(body, &r)
			fmt.Fprintf(os.Stderr, "  created %d, skipped %d\n", r.Created, r.Skipped)
		}
		return code == 200
	})
	run("1 MiB note of ~78,000 unknown @mentions in the meeting of 500, saved 5 times", func() bool {
		var per []time.Duration
		for k := 0; k < 5; k++ {
			var note strings.Builder
			for i := 0; note.Len() < 1<<20-40_000; i++ {
				fmt.Fprintf(&note, "@x%d%05d ", k, i)
				if i%10 == 9 {
					note.WriteString("\n")
				}
			}
			start := time.Now()
			code, _ := do(base, attacker, "PUT", "/api/v1/meetings/"+big+"/note", map[string]any{"body": note.String()}, *timeout)
			per = append(per, time.Since(start))
			if code != 200 {
				return false
			}
		}
		slices.Sort(per)
		fmt.Fprintf(os.Stderr, "  saves: fastest %v, slowest %v\n", per[0].Round(time.Millisecond), per[len(per)-1].Round(time.Millisecond))
		fmt.Printf("1 MiB note saves: %v each at best, %v at worst\n", per[0].Round(time.Millisecond), per[len(per)-1].Round(time.Millisecond))
		return true
	})
	close(stop)
	<-stopped

	fmt.Printf("\n| case | took | done | server peak RSS | other account's saves: slowest | p99 | saves |\n|---|---|---|---|---|---|---|\n")
	for _, r := range results {
		fmt.Printf("| %s | %v | %v | %.0f MB | %v | %v | %d |\n", r.name, r.took.Round(time.Millisecond), r.ok, r.rssMB,
			r.maxWait.Round(time.Millisecond), r.p99Wt.Round(time.Millisecond), r.saves)
	}
	if n := saveErr.Load(); n > 0 {
		fmt.Printf("\n%d of the other account's saves failed\n", n)
	}
}

func signUp(base, email string) string {
	var auth struct {
		CSRFToken string `json:"csrf_token"`
	}
	b, _ := json.Marshal(map[string]any{"email": email, "password": "benchmark password", "name": "Bench"})
	res, err := http.Post(base+"/api/v1/auth/signup", "application/json", bytes.NewReader(b))
	check(err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 201 {
		fail("sign-up: %d %s", res.StatusCode, body)
	}
	check(json.Unmarshal(body, &auth))
	var session string
	for _, c := range res.Cookies() {
		if c.Name == "debrief_session" {
			session = c.Value
		}
	}
	req, _ := http.NewRequest("POST", base+"/api/v1/tokens", strings.NewReader(`{"name":"abuse"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Cookie", "debrief_session="+session)
	req.Header.Set("X-CSRF-Token", auth.CSRFToken)
	res, err = http.DefaultClient.Do(req)
	check(err)
	defer res.Body.Close()
	var tok struct{ Token string }
	check(json.NewDecoder(res.Body).Decode(&tok))
	return tok.Token
}

func post(base, token, path string, body any) map[string]any {
	b, _ := json.Marshal(body)
	code, out := doRaw(base, token, "POST", path, "application/json", b, time.Minute)
	if code != 201 {
		fail("POST %s: %d %s", path, code, out)
	}
	var m map[string]any
	check(json.Unmarshal(out, &m))
	return m
}

func do(base, token, method, path string, body any, timeout time.Duration) (int, []byte) {
	b, _ := json.Marshal(body)
	return doRaw(base, token, method, path, "application/json", b, timeout)
}

func doRaw(base, token, method, path, contentType string, body []byte, timeout time.Duration) (int, []byte) {
	req, _ := http.NewRequest(method, base+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := (&http.Client{Timeout: timeout}).Do(req)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s %s: %v\n", method, path, err)
		return 0, nil
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		fmt.Fprintf(os.Stderr, "%s %s: %d %.200s\n", method, path, res.StatusCode, out)
	}
	return res.StatusCode, out
}

// rssKB is a process's resident memory.
func rssKB(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return 0
}

// The harness's, under the names this command uses.
var (
	check     = harness.Check
	fail      = harness.Fail
	freeAddr  = harness.FreeAddr
	waitReady = harness.WaitReady
)
