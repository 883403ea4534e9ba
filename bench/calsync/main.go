// Command calsync measures a calendar feed sync on the real server: it
// starts `debrief serve` on a fresh SQLite data dir, serves a generated ICS
// feed (2,000 weekly series) from this process, subscribes to it and syncs
// it with ?wait=true, then reports the time and the server's memory. Run it
// with `go run ./bench/calsync -bin ./bin/debrief` (part of `make bench`).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-hq/debrief/bench/internal/harness"

	"github.com/debrief-hq/debrief/internal/testutil"
)

func main() {
	bin := flag.String("bin", "./bin/debrief", "the debrief binary")
	series := flag.Int("series", 2000, "recurring series in the feed")
	list := flag.String("attendees", "0,5", "attendees per series, one run each")
	pprofAddr := flag.String("pprof", "", "serve the server's profiler here (to look inside a sync)")
	flag.Parse()
	serverPprof = *pprofAddr

	fmt.Printf("| feed | meetings | first sync (queued at subscription) | same feed again |\n|---|---|---|---|\n")
	for _, a := range strings.Split(*list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(a))
		check(err)
		run(*bin, *series, n)
	}
}

func run(bin string, series, attendees int) {
	feed := testutil.ICSFeed(series, attendees, time.Now())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// No validators: every sync reads and compares the whole feed.
		w.Header().Set("Content-Type", "text/calendar")
		io.WriteString(w, feed)
	}))
	defer ln.Close()

	dir, err := os.MkdirTemp("", "debrief-calsync")
	check(err)
	defer os.RemoveAll(dir)
	addr := freeAddr()
	args := []string{"serve", "--listen", addr, "--data-dir", filepath.Join(dir, "data"), "--log-level", "warn"}
	if serverPprof != "" {
		args = append(args, "--pprof-listen", serverPprof)
	}
	srv := exec.Command(bin, args...)
	// The feed is 120,000 meetings, past the default limit of 100,000.
	srv.Env = append(os.Environ(), "DEBRIEF_ALLOW_PRIVATE_FETCH=true", "DEBRIEF_CALENDAR_MEETING_LIMIT=200000")
	srv.Stdout, srv.Stderr = os.Stderr, os.Stderr
	check(srv.Start())
	defer srv.Process.Kill()
	base := "http://" + addr
	waitReady(base + "/readyz")

	var auth struct {
		Token string `json:"token"`
	}
	var signup struct {
		CSRF string `json:"csrf_token"`
	}
	cookies := call(base, "POST", "/api/v1/auth/signup", "", map[string]any{"email": "cal@example.com", "password": "benchmark password", "name": "Cal"}, &signup)
	req, _ := http.NewRequest("POST", base+"/api/v1/tokens", strings.NewReader(`{"name":"bench"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", signup.CSRF)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	res, err := http.DefaultClient.Do(req)
	check(err)
	json.NewDecoder(res.Body).Decode(&auth)
	res.Body.Close()

	var conn struct {
		ID           string  `json:"id"`
		LastSyncedAt *string `json:"last_synced_at"`
		LastError    *string `json:"last_error"`
	}
	// The subscription queues the first sync; it runs on the job queue.
	start := time.Now()
	call(base, "POST", "/api/v1/connections/ics", auth.Token, map[string]any{"url": "http://" + ln.Addr().String() + "/feed.ics"}, &conn)
	for conn.LastSyncedAt == nil {
		if conn.LastError != nil {
			fail("first sync: %s", *conn.LastError)
		}
		if time.Since(start) > 10*time.Minute {
			fail("the first sync did not finish in 10 minutes")
		}
		time.Sleep(50 * time.Millisecond)
		call(base, "GET", "/api/v1/connections/"+conn.ID, auth.Token, nil, &conn)
	}
	first := time.Since(start)
	firstPeak := peak(srv.Process.Pid)
	// The same feed again, synchronously: every meeting compared, none
	// changed.
	var sum struct {
		Created, Updated, Unchanged int
	}
	start = time.Now()
	call(base, "POST", "/api/v1/connections/"+conn.ID+"/sync?wait=true", auth.Token, nil, &sum)
	again := time.Since(start)
	meetings := sum.Unchanged
	if sum.Created+sum.Updated != 0 {
		fail("the second sync changed %d meetings", sum.Created+sum.Updated)
	}
	hwm := peak(srv.Process.Pid)
	fmt.Printf("| %.1f MB, %d series, %d attendees each | %d | %.1f s (RSS peak %.0f MB) | %.1f s (RSS peak %.0f MB) |\n",
		float64(len(feed))/(1<<20), series, attendees, meetings, first.Seconds(), firstPeak, again.Seconds(), hwm)
}

var serverPprof string

func call(base, method, path, token string, body any, out any) []*http.Cookie {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, rd)
	check(err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := &http.Client{Timeout: 10 * time.Minute}
	res, err := client.Do(req)
	check(err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		fail("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	if out != nil {
		check(json.Unmarshal(b, out))
	}
	return res.Cookies()
}

// peak is the process's high-water resident set in MB.
func peak(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	check(err)
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
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
