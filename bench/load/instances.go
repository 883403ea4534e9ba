package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
)

// serveProxy is the small reverse proxy in front of several servers: each
// request goes to the server with the fewest requests in flight.
func serveProxy(addr string, upstreams []string) {
	lb := &fasthttp.LBClient{Timeout: time.Minute}
	for _, u := range upstreams {
		lb.Clients = append(lb.Clients, &fasthttp.HostClient{Addr: u, MaxConns: 512})
	}
	check(fasthttp.ListenAndServe(addr, func(ctx *fasthttp.RequestCtx) {
		if err := lb.Do(&ctx.Request, &ctx.Response); err != nil {
			ctx.Error("proxy: "+err.Error(), fasthttp.StatusBadGateway)
		}
	}))
}

// probes is how many notes crossInstance saves on one server and looks
// for on the other, idle and then under load (as many as loadTime allows).
const probes = 40

// loadTime is how long the load runs while probes are taken under it.
const loadTime = 30 * time.Second

// crossInstance measures, on two servers sharing a database, how soon a
// note saved on a is read and found by search on b, first with nothing
// else running and then while load runs through the proxy; and how soon a
// token revoked on a is refused by b. It prints a Markdown table. a and b
// may be one server: how soon it finds its own saves.
//
// Before each phase it waits until the search outbox (in the database the
// driver opens at dsn) is empty, and says how long that took: the runs
// before leave the index behind, and a probe would measure that backlog
// instead.
func crossInstance(a, b, token, driver, dsn string, load func(time.Duration) result) {
	db, err := sql.Open(driver, dsn)
	check(err)
	defer db.Close()
	drained := func() time.Duration {
		start := time.Now()
		for n := 1; n > 0; time.Sleep(50 * time.Millisecond) {
			check(db.QueryRow("SELECT count(*) FROM search_pendings").Scan(&n))
			if time.Since(start) > 5*time.Minute {
				fail("the search outbox still holds %d rows after 5 minutes", n)
			}
		}
		return time.Since(start)
	}
	ca := &fasthttp.HostClient{Addr: a, MaxConns: 8}
	cb := &fasthttp.HostClient{Addr: b, MaxConns: 8}
	var meetings []string
	for i := 0; i < probes; i++ {
		var m struct{ ID string }
		start := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
		call(ca, "POST", "/api/v1/meetings", token, "", map[string]any{"title": fmt.Sprintf("Probe %d", i),
			"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(30 * time.Minute).Format(time.RFC3339)}, &m)
		meetings = append(meetings, m.ID)
	}
	fmt.Printf("\n| saved on one server, then looked for (on the other, when two) | probes | read p50 ms | read max ms | found p50 ms | found p99 ms | found max ms | not found in 10 s |\n|---|---|---|---|---|---|---|---|\n")
	for _, phase := range []string{"idle", "under a load of edited notes (PUT, 16 conns)"} {
		fmt.Fprintf(os.Stderr, "the search outbox took %v to empty\n", drained().Round(time.Millisecond))
		var busy chan result
		loadEnd := time.Now().Add(time.Hour)
		if phase != "idle" {
			// Probes are taken while the load runs (those saved after it
			// ends are not counted as under load).
			busy, loadEnd = make(chan result, 1), time.Now().Add(loadTime)
			go func() { busy <- load(loadTime) }()
			time.Sleep(time.Second)
		}
		var read, found []time.Duration
		missed := 0
		for i, id := range meetings {
			if time.Now().After(loadEnd) {
				break
			}
			word := probeWord(phase, i)
			call(ca, "PUT", "/api/v1/meetings/"+id+"/note", token, "", map[string]any{"body": "Cross-instance probe " + word}, nil)
			saved := time.Now()
			r := waitOn(cb, "/api/v1/meetings/"+id, token, saved, func(body []byte) bool {
				var m struct{ Note struct{ Body string } }
				return json.Unmarshal(body, &m) == nil && strings.Contains(m.Note.Body, word)
			})
			if r > probeWait {
				fail("a note saved on one server is not read on the other after %v", probeWait)
			}
			read = append(read, r)
			took := waitOn(cb, "/api/v1/search?q="+word, token, saved, func(body []byte) bool {
				var r struct{ Items []hit }
				return json.Unmarshal(body, &r) == nil && slices.ContainsFunc(r.Items, func(h hit) bool { return h.MeetingID == id })
			})
			if took > probeWait {
				missed++
			}
			found = append(found, took)
		}
		if busy != nil {
			r := <-busy
			phase += fmt.Sprintf(": %.0f req/s", r.rps)
		}
		slices.Sort(read)
		slices.Sort(found)
		fmt.Printf("| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %d |\n", phase, len(read), ms(read[len(read)/2]), ms(read[len(read)-1]),
			ms(found[len(found)/2]), ms(found[len(found)*99/100]), ms(found[len(found)-1]), missed)
	}

	// A token used on b, revoked on a: how long b still takes it (its
	// sign-in cache, documented as 2 s).
	var worst time.Duration
	for i := 0; i < 5; i++ {
		var tok struct{ ID, Token string }
		call(ca, "POST", "/api/v1/tokens", token, "", map[string]any{"name": fmt.Sprint("revoked ", i)}, &tok)
		call(cb, "GET", "/api/v1/me", tok.Token, "", nil, nil)
		call(ca, "DELETE", "/api/v1/tokens/"+tok.ID, token, "", nil, nil)
		revoked := time.Now()
		for {
			status := get(cb, "/api/v1/me", tok.Token, nil)
			if status == fasthttp.StatusUnauthorized {
				break
			}
			if status != fasthttp.StatusOK || time.Since(revoked) > 10*time.Second {
				fail("a token revoked on one server: the other answers %d after %v", status, time.Since(revoked))
			}
			time.Sleep(10 * time.Millisecond)
		}
		worst = max(worst, time.Since(revoked))
	}
	fmt.Printf("\na token revoked on one server was refused by the other within %.0f ms at most (5 tries; documented: 2 s)\n", ms(worst))
}

// hit is what crossInstance reads of a search result.
type hit struct {
	MeetingID string `json:"meeting_id"`
}

// probeWord is a word no note has: letters only, so that search takes it
// as one word.
func probeWord(phase string, i int) string {
	p := 'a'
	if phase != "idle" {
		p = 'b'
	}
	return fmt.Sprintf("zqx%c%c%c", p, 'a'+i/26, 'a'+i%26)
}

// probeWait is how long a probe looks before it counts as not found.
const probeWait = 10 * time.Second

// waitOn polls path on c every 5 ms until ok accepts the answer, and
// returns how long after since that was (just over probeWait when it never
// did).
func waitOn(c *fasthttp.HostClient, path, token string, since time.Time, ok func([]byte) bool) time.Duration {
	for {
		var body []byte
		if get(c, path, token, &body) == fasthttp.StatusOK && ok(body) || time.Since(since) > probeWait {
			return time.Since(since)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// get answers a GET's status, and its body into body when not nil.
func get(c *fasthttp.HostClient, path, token string, body *[]byte) int {
	req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(res)
	req.SetRequestURI("http://" + c.Addr + path)
	req.Header.Set("Authorization", "Bearer "+token)
	check(c.DoTimeout(req, res, time.Minute))
	if body != nil {
		*body = append((*body)[:0], res.Body()...)
	}
	return res.StatusCode()
}
