// Command load is Debrief's HTTP benchmark (`make bench`). It starts a real
// `debrief serve` on a fresh SQLite data dir, seeds it through the API
// (meetings with attendees and a ~300-word note each), and then drives
// bounded, time-limited load from this separate process: GET a meeting and
// PUT its note, at several connection counts, beside a bare Fiber "hello"
// server (a child process) measured in the same run. It prints a Markdown
// table for docs/performance.md.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
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

	"github.com/gofiber/fiber/v2"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/mattn/go-sqlite3"
	"github.com/valyala/fasthttp"
)

func main() {
	bin := flag.String("bin", "./bin/debrief", "the debrief binary")
	meetings := flag.Int("meetings", 10000, "meetings to seed")
	duration := flag.Duration("duration", 10*time.Second, "length of each measured run")
	maxRequests := flag.Int("max-requests", 2_000_000, "upper bound on requests per run")
	connList := flag.String("conns", "16,64", "connection counts to measure")
	hello := flag.String("hello-server", "", "internal: serve the Fiber hello baseline on this address")
	keep := flag.Bool("keep", false, "keep the data dir")
	only := flag.String("only", "", "run only the scenarios whose name contains this")
	target := flag.String("addr", "", "measure an already running server at this address instead of starting one")
	pg := flag.String("postgres", "", "a PostgreSQL server URL: the server runs on a new database there (and searches it), dropped after")
	instances := flag.Int("instances", 1, "servers to start on the one PostgreSQL database (more than one needs -postgres), with the load going through a small reverse proxy (a child process); after the runs, how soon a note saved on one is read and found on another, and a token revoked on one refused by another")
	fresh := flag.Bool("fresh", false, "after the runs, how soon a note saved is read and found, idle and under a load of edited notes (with -instances 2 and more: saved on one server, read on another); always with -instances 2 and more")
	proxy := flag.String("proxy-server", "", "internal: serve a reverse proxy to -upstreams on this address")
	upstreams := flag.String("upstreams", "", "internal: the proxy's servers, comma-separated")
	flag.Parse()
	if *hello != "" {
		serveHello(*hello)
		return
	}
	if *proxy != "" {
		serveProxy(*proxy, strings.Split(*upstreams, ","))
		return
	}
	if *instances < 1 || *instances > 1 && (*pg == "" || *target != "") {
		fail("-instances %d: more than one needs -postgres (and no -addr)", *instances)
	}
	var conns []int
	for _, s := range strings.Split(*connList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 512 {
			fail("bad -conns %q", *connList)
		}
		conns = append(conns, n)
	}

	dir, err := os.MkdirTemp("", "debrief-bench")
	check(err)
	if !*keep {
		defer os.RemoveAll(dir)
	}
	addr := *target
	var srvs []*exec.Cmd
	var servers []string // their addresses
	env := os.Environ()
	var dbURL string
	if addr == "" && *pg != "" {
		url, drop := freshDatabase(*pg)
		defer drop()
		env, dbURL = append(env, "DEBRIEF_DATABASE_URL="+url, "DEBRIEF_SEARCH=postgres"), url
	}
	// One data dir: the first server generates the secret the others read
	// (a session or token made on one is good on all).
	for i := 0; addr == "" && i < *instances; i++ {
		a := freeAddr()
		srv := harness.Child(*bin, "serve", "--listen", a, "--data-dir", filepath.Join(dir, "data"),
			"--log-level", "warn", "--login-rate-limit", "100000")
		srv.Env = env
		srv.Stdout, srv.Stderr = os.Stderr, os.Stderr
		check(srv.Start())
		defer srv.Process.Kill()
		waitReady("http://" + a + "/readyz")
		srvs, servers = append(srvs, srv), append(servers, a)
	}
	self, err := os.Executable()
	check(err)
	switch {
	case addr != "":
	case len(servers) == 1:
		addr = servers[0]
	default:
		addr = freeAddr()
		px := harness.Child(self, "-proxy-server", addr, "-upstreams", strings.Join(servers, ","))
		px.Stderr = os.Stderr
		check(px.Start())
		defer px.Process.Kill()
		fmt.Fprintf(os.Stderr, "%d servers behind a proxy at %s\n", len(servers), addr)
	}
	waitReady("http://" + addr + "/readyz")

	helloAddr := freeAddr()
	hs := harness.Child(self, "-hello-server", helloAddr)
	hs.Stderr = os.Stderr
	check(hs.Start())
	defer hs.Process.Kill()
	waitReady("http://" + helloAddr + "/")

	c := &fasthttp.HostClient{Addr: addr, MaxConns: 512, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	token := signUp(c)
	fmt.Fprintf(os.Stderr, "seeding %d meetings with 5 attendees and a 300-word note each…\n", *meetings)
	start := time.Now()
	ids := seed(c, token, *meetings)
	seedTime := time.Since(start)
	fmt.Fprintf(os.Stderr, "seeded in %v (%.0f meetings+notes/s)\n", seedTime.Round(time.Millisecond), float64(len(ids))/seedTime.Seconds())

	auth := "Bearer " + token
	note := noteBody(rand.New(rand.NewPCG(1, 2)))
	type scenario struct {
		name string
		host *fasthttp.HostClient
		req  func(r *fasthttp.Request, rng *rand.Rand)
	}
	helloClient := &fasthttp.HostClient{Addr: helloAddr, MaxConns: 512}
	putNote := func(r *fasthttp.Request, rng *rand.Rand) {
		r.SetRequestURI("http://" + addr + "/api/v1/meetings/" + ids[rng.IntN(len(ids))] + "/note")
		r.Header.SetMethod("PUT")
		r.Header.Set("Authorization", auth)
		r.Header.SetContentType("application/json")
		r.SetBody(note)
	}
	scenarios := []scenario{
		{"Fiber hello (baseline, other process)", helloClient, func(r *fasthttp.Request, _ *rand.Rand) {
			r.SetRequestURI("http://" + helloAddr + "/")
		}},
		{"GET /api/v1/meetings/{id}", c, func(r *fasthttp.Request, rng *rand.Rand) {
			r.SetRequestURI("http://" + addr + "/api/v1/meetings/" + ids[rng.IntN(len(ids))])
			r.Header.Set("Authorization", auth)
		}},
		{"GET /api/v1/meetings/{id}/brief", c, func(r *fasthttp.Request, rng *rand.Rand) {
			r.SetRequestURI("http://" + addr + "/api/v1/meetings/" + ids[rng.IntN(len(ids))] + "/brief")
			r.Header.Set("Authorization", auth)
		}},
		{"PUT /api/v1/meetings/{id}/note", c, putNote},
		{"PUT …/note with 10 extracted items (one line edited per save)", c, func(r *fasthttp.Request, rng *rand.Rand) {
			r.SetRequestURI("http://" + addr + "/api/v1/meetings/" + ids[rng.IntN(len(ids))] + "/note")
			r.Header.SetMethod("PUT")
			r.Header.Set("Authorization", auth)
			r.Header.SetContentType("application/json")
			r.SetBody(capturedNote(rng))
		}},
	}
	fmt.Printf("| endpoint | conns | requests | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|---|---|\n")
	for _, s := range scenarios {
		if *only != "" && !strings.Contains(s.name, *only) {
			continue
		}
		for _, n := range conns {
			r := run(s.host, n, *duration, *maxRequests, s.req)
			fmt.Printf("| %s | %d | %d | %.0f | %.2f | %.2f | %d |\n", s.name, n, r.count, r.rps, r.p50, r.p99, r.errors)
		}
	}
	for i, srv := range srvs {
		rss, hwm := memory(srv.Process.Pid)
		fmt.Printf("\nserver %d RSS after the runs: %.1f MB (peak %.1f MB)", i+1, float64(rss)/1024, float64(hwm)/1024)
	}
	fmt.Printf("\nseeding %d meetings took %v\n", len(ids), seedTime.Round(time.Millisecond))
	if len(servers) > 1 || *fresh && len(servers) == 1 {
		// The outbox is read in the database the servers write.
		driver, dsn := "pgx", dbURL
		if dbURL == "" {
			driver, dsn = "sqlite3", "file:"+filepath.Join(dir, "data", "debrief.db")+"?mode=ro"
		}
		// The load under which probes are taken edits the notes it saves
		// (a word of each changes), as people do: a save of unchanged text
		// leaves the index nothing to write.
		var text struct{ Body string }
		check(json.Unmarshal(note, &text))
		edited := func(r *fasthttp.Request, rng *rand.Rand) {
			putNote(r, rng)
			body, _ := json.Marshal(map[string]string{"body": text.Body + " " + words[rng.IntN(len(words))] + fmt.Sprint(rng.IntN(1000))})
			r.SetBody(body)
		}
		crossInstance(servers[0], servers[len(servers)-1], token, driver, dsn, func(d time.Duration) result {
			return run(c, 16, d, *maxRequests, edited)
		})
	}
}

type result struct {
	count, errors int
	rps, p50, p99 float64
}

// run drives conns workers for d or until max requests, and reports
// throughput and latency percentiles of the successful requests.
func run(c *fasthttp.HostClient, conns int, d time.Duration, max int, prepare func(*fasthttp.Request, *rand.Rand)) result {
	var sent, errs atomic.Int64
	lat := make([][]time.Duration, conns)
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < conns; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(res)
			for time.Now().Before(deadline) && sent.Add(1) <= int64(max) {
				req.Reset()
				prepare(req, rng)
				t0 := time.Now()
				err := c.Do(req, res)
				el := time.Since(t0)
				if err != nil || res.StatusCode() >= 300 {
					errs.Add(1)
					continue
				}
				lat[w] = append(lat[w], el)
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	all := slices.Concat(lat...)
	slices.Sort(all)
	r := result{count: len(all), errors: int(errs.Load()), rps: float64(len(all)) / elapsed.Seconds()}
	if len(all) > 0 {
		r.p50 = ms(all[len(all)*50/100])
		r.p99 = ms(all[min(len(all)-1, len(all)*99/100)])
	}
	return r
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func signUp(c *fasthttp.HostClient) string {
	var auth struct {
		CSRFToken string `json:"csrf_token"`
	}
	res := call(c, "POST", "/api/v1/auth/signup", "", "", map[string]any{"email": fmt.Sprintf("bench%d@example.com", time.Now().UnixNano()), "password": "benchmark password", "name": "Bench"}, &auth)
	var cookie string
	res.Header.VisitAllCookie(func(k, v []byte) {
		if string(k) == "debrief_session" {
			ck := fasthttp.AcquireCookie()
			ck.ParseBytes(v)
			cookie = string(ck.Value())
		}
	})
	var tok struct{ Token string }
	call(c, "POST", "/api/v1/tokens", "", "debrief_session="+cookie+"\x00"+auth.CSRFToken, map[string]any{"name": "bench"}, &tok)
	return tok.Token
}

func call(c *fasthttp.HostClient, method, path, token, cookieCSRF string, body any, out any) *fasthttp.Response {
	req, res := fasthttp.AcquireRequest(), &fasthttp.Response{}
	defer fasthttp.ReleaseRequest(req)
	req.SetRequestURI("http://" + c.Addr + path)
	req.Header.SetMethod(method)
	req.Header.SetContentType("application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if cookieCSRF != "" {
		ck, csrf, _ := strings.Cut(cookieCSRF, "\x00")
		req.Header.Set("Cookie", ck)
		req.Header.Set("X-CSRF-Token", csrf)
	}
	b, _ := json.Marshal(body)
	req.SetBody(b)
	check(c.DoTimeout(req, res, time.Minute))
	if res.StatusCode() >= 300 {
		fail("%s %s: %d %s", method, path, res.StatusCode(), res.Body())
	}
	if out != nil {
		check(json.Unmarshal(res.Body(), out))
	}
	return res
}

// seed creates n meetings (5 attendees from a pool of 2,000 people, a
// 300-word note each) with 16 concurrent clients.
func seed(c *fasthttp.HostClient, token string, n int) []string {
	ids := make([]string, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				att := make([]map[string]any, 5)
				for k := range att {
					p := (i*5 + k*397) % 2000
					att[k] = map[string]any{"email": fmt.Sprintf("person%d@org%d.example", p, p%150), "name": fmt.Sprintf("Person %d", p)}
				}
				start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * 47 * time.Minute)
				var m struct{ ID string }
				call(c, "POST", "/api/v1/meetings", token, "", map[string]any{
					"title": fmt.Sprintf("Meeting %d", i), "starts_at": start.Format(time.RFC3339),
					"ends_at": start.Add(30 * time.Minute).Format(time.RFC3339), "attendees": att,
				}, &m)
				ids[i] = m.ID
				req := fasthttp.AcquireRequest()
				res := fasthttp.AcquireResponse()
				req.SetRequestURI("http://" + c.Addr + "/api/v1/meetings/" + m.ID + "/note")
				req.Header.SetMethod("PUT")
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.SetContentType("application/json")
				req.SetBody(noteBody(rng))
				check(c.DoTimeout(req, res, time.Minute))
				if res.StatusCode() != 200 {
					fail("seed note: %d %s", res.StatusCode(), res.Body())
				}
				fasthttp.ReleaseRequest(req)
				fasthttp.ReleaseResponse(res)
			}
		}(w)
	}
	wg.Wait()
	return ids
}

var words = strings.Fields(`the we agreed pricing customer roadmap launch budget hire review deck
contract legal vendor timeline risk metric quarter goal design feedback release api migration
security incident follow up owner decision question action send schedule call draft plan team
product sales marketing support onboarding churn renewal forecast pipeline partner demo`)

// noteBody is a JSON note of about 300 words.
func noteBody(rng *rand.Rand) []byte {
	var b strings.Builder
	for i := 0; i < 300; i++ {
		if i%15 == 0 {
			b.WriteString("\n- ")
		}
		b.WriteString(words[rng.IntN(len(words))])
		b.WriteByte(' ')
	}
	out, _ := json.Marshal(map[string]string{"body": b.String()})
	return out
}

// capturedNote is a ~300-word note with 10 marker lines that already carry
// their block ids (as an editor sends back what the server returned), one of
// them edited: each save reconciles 10 items and changes one.
func capturedNote(rng *rand.Rand) []byte {
	var b strings.Builder
	edited := rng.IntN(10)
	for i := 0; i < 10; i++ {
		for j := 0; j < 20; j++ {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		b.WriteString("\n")
		word := "draft"
		if i == edited {
			word = words[rng.IntN(len(words))]
		}
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "!! send the %s deck to @person%d by friday ^it%02d\n", word, i, i)
		case 1:
			fmt.Fprintf(&b, "- [ ] review the %s contract due:2026-12-10 ^it%02d\n", word, i)
		case 2:
			fmt.Fprintf(&b, "?? does legal need the %s version ^it%02d\n", word, i)
		default:
			fmt.Fprintf(&b, "Decision: we go with the %s plan ^it%02d\n", word, i)
		}
	}
	out, _ := json.Marshal(map[string]string{"body": b.String()})
	return out
}

func serveHello(addr string) {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString("Hello, World!") })
	check(app.Listen(addr))
}

// memory reads the server's resident set (now and peak) in KiB.
func memory(pid int) (rss, hwm int) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	check(err)
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "VmRSS:" {
			rss, _ = strconv.Atoi(f[1])
		}
		if len(f) >= 2 && f[0] == "VmHWM:" {
			hwm, _ = strconv.Atoi(f[1])
		}
	}
	return rss, hwm
}

// The harness's, under the names this command uses.
var (
	check         = harness.Check
	fail          = harness.Fail
	freeAddr      = harness.FreeAddr
	waitReady     = harness.WaitReady
	freshDatabase = harness.FreshDatabase
)
