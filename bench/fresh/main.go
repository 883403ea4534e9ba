// Command fresh measures how soon a saved note is found by search while
// clients write as fast as they can: it starts `debrief serve` on a fresh
// SQLite data dir (or -postgres), and for each client count runs clients
// that each create a meeting and save its note (with a word no other note
// has) in a loop, while a checker takes the latest acknowledged note again
// and again and polls the search until its word is found. It reports the
// writes per second, how long after its save a note was found (p50, p99,
// max, and the last note's, after the writers stop), and the server's CPU
// time per meeting-with-note.
//
//	go build -o bin/debrief ./cmd/debrief && go run ./bench/fresh -bin bin/debrief
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
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
	duration := flag.Duration("duration", 10*time.Second, "length of each run")
	maxWrites := flag.Int("max-writes", 50_000, "upper bound on meetings written per run")
	clientList := flag.String("clients", "1,8", "writer counts to measure")
	pg := flag.String("postgres", "", "a PostgreSQL URL: the server runs on it (database and search) instead of SQLite")
	flag.Parse()

	dir, err := os.MkdirTemp("", "debrief-fresh")
	check(err)
	defer os.RemoveAll(dir)
	addr := freeAddr()
	args := []string{"serve", "--listen", addr, "--data-dir", filepath.Join(dir, "data"), "--log-level", "warn", "--login-rate-limit", "100000"}
	srv := harness.Child(*bin, args...)
	srv.Env = os.Environ()
	if *pg != "" {
		srv.Env = append(srv.Env, "DEBRIEF_DATABASE_URL="+*pg, "DEBRIEF_SEARCH=postgres")
	}
	srv.Stdout, srv.Stderr = os.Stderr, os.Stderr
	check(srv.Start())
	defer srv.Process.Kill()
	base := "http://" + addr
	waitReady(base + "/readyz")
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 30 * time.Second}
	token := signUp(base)

	fmt.Printf("| writers | meetings+notes | per s | found after p50 ms | p99 ms | max ms | last note ms | server CPU ms per meeting+note |\n|---|---|---|---|---|---|---|---|\n")
	for _, s := range strings.Split(*clientList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 64 {
			fail("bad -clients %q", *clientList)
		}
		r := run(hc, base, token, srv.Process.Pid, n, *duration, *maxWrites)
		fmt.Printf("| %d | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f |\n", n, r.writes, r.rate, r.p50, r.p99, r.max, r.last, r.cpuPerWrite)
	}
}

type result struct {
	writes              int
	rate, p50, p99, max float64
	last, cpuPerWrite   float64
}

// saved is a note acknowledged: its word, and when.
type saved struct {
	word string
	at   time.Time
}

var runs atomic.Int64

func run(hc *http.Client, base, token string, pid, writers int, d time.Duration, max int) result {
	run := runs.Add(1)
	var latest atomic.Pointer[saved]
	var count atomic.Int64
	cpu0 := cpuTime(pid)
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline) && count.Load() < int64(max); i++ {
				word := fmt.Sprintf("fz%dx%dx%d", run, w, i)
				var m struct {
					ID string `json:"id"`
				}
				call(hc, base, token, "POST", "/api/v1/meetings", map[string]any{"title": "Fresh " + word,
					"starts_at": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)}, &m)
				call(hc, base, token, "PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{
					"body": "We went through the numbers for " + word + " and agreed on the plan.\n- [ ] send the summary\nDecision: ship it"}, nil)
				latest.Store(&saved{word: word, at: time.Now()})
				count.Add(1)
			}
		}(w)
	}
	// The checker: the latest note, found how long after its save.
	var lags []time.Duration
	done := make(chan struct{})
	go func() {
		defer close(done)
		for time.Now().Before(deadline) {
			s := latest.Load()
			if s == nil {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			lags = append(lags, found(hc, base, token, s))
		}
	}()
	wg.Wait()
	elapsed := time.Since(start)
	cpu := cpuTime(pid) - cpu0
	<-done
	r := result{writes: int(count.Load()), rate: float64(count.Load()) / elapsed.Seconds()}
	if s := latest.Load(); s != nil {
		r.last = ms(found(hc, base, token, s))
	}
	if r.writes > 0 {
		r.cpuPerWrite = ms(cpu) / float64(r.writes)
	}
	slices.Sort(lags)
	if len(lags) > 0 {
		r.p50, r.p99, r.max = ms(lags[len(lags)/2]), ms(lags[min(len(lags)-1, len(lags)*99/100)]), ms(lags[len(lags)-1])
	}
	// Let the index catch up before the next run.
	time.Sleep(2 * time.Second)
	return r
}

// found polls the search until s's word is found (a minute at most), and
// returns how long after its save that was.
func found(hc *http.Client, base, token string, s *saved) time.Duration {
	for limit := time.Now().Add(time.Minute); time.Now().Before(limit); time.Sleep(20 * time.Millisecond) {
		var r struct {
			Total int `json:"total"`
		}
		call(hc, base, token, "GET", "/api/v1/search?q="+s.word, nil, &r)
		if r.Total > 0 {
			return time.Since(s.at)
		}
	}
	fail("%s not found within a minute", s.word)
	return 0
}

// cpuTime is the process's user and system time (Linux).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	check(err)
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	ut, _ := strconv.Atoi(f[11])
	st, _ := strconv.Atoi(f[12])
	return time.Duration(ut+st) * time.Second / 100 // clock ticks (USER_HZ 100)
}

// signUp makes an account (a session) and an API token with it.
func signUp(base string) string {
	jar, err := cookiejar.New(nil)
	check(err)
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	var auth struct {
		CSRFToken string `json:"csrf_token"`
	}
	call(hc, base, "", "POST", "/api/v1/auth/signup", map[string]any{"email": fmt.Sprintf("fresh%d@example.com", time.Now().UnixNano()),
		"password": "benchmark password", "name": "Fresh"}, &auth)
	var tok struct {
		Token string `json:"token"`
	}
	callCSRF(hc, base, auth.CSRFToken, "POST", "/api/v1/tokens", map[string]any{"name": "bench"}, &tok)
	if tok.Token == "" {
		fail("no API token")
	}
	return tok.Token
}

func call(hc *http.Client, base, token, method, path string, body, out any) {
	do(hc, base, func(r *http.Request) {
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
	}, method, path, body, out)
}

func callCSRF(hc *http.Client, base, csrf, method, path string, body, out any) {
	do(hc, base, func(r *http.Request) { r.Header.Set("X-CSRF-Token", csrf) }, method, path, body, out)
}

func do(hc *http.Client, base string, auth func(*http.Request), method, path string, body, out any) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		check(err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, rd)
	check(err)
	req.Header.Set("Content-Type", "application/json")
	auth(req)
	res, err := hc.Do(req)
	check(err)
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	check(err)
	if res.StatusCode >= 300 {
		fail("%s %s: %d %s", method, path, res.StatusCode, data)
	}
	if out != nil {
		check(json.Unmarshal(data, out))
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// The harness's, under the names this command uses.
var (
	check     = harness.Check
	fail      = harness.Fail
	freeAddr  = harness.FreeAddr
	waitReady = harness.WaitReady
)
