// Command search measures the search backends at scale: it writes
// generated notes (~150 words each, drawn from the words of the QMSum
// meeting transcripts and the Ethereum call notes in testdata) for many
// users through search.Reindex, then times 1–3 word queries with the owner
// filter, and prints the figures docs/performance.md records.
//
//	go run ./bench/search                      # 1,000,000 documents, bleve
//	go run ./bench/search -backend postgres    # the same in PostgreSQL (DEBRIEF_TEST_POSTGRES_DSN)
//	go run ./bench/search -memory-limit 500    # bleve in a cgroup of 500 MB
package main

import (
	"cmp"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/debrief-hq/debrief/bench/internal/harness"
	"github.com/debrief-hq/debrief/internal/search"
	"github.com/debrief-hq/debrief/internal/search/bleve"
	searchpg "github.com/debrief-hq/debrief/internal/search/postgres"
	"github.com/debrief-hq/debrief/internal/store"
)

func main() {
	docs := flag.Int("docs", 1_000_000, "documents to index")
	users := flag.Int("users", 100, "users they are spread over")
	queries := flag.Int("queries", 2000, "queries to time")
	backend := flag.String("backend", "bleve", "bleve or postgres")
	testdata := flag.String("testdata", "testdata", "the repository's testdata folder (the vocabulary)")
	keep := flag.String("dir", "", "index folder to keep (default: a temporary one)")
	reuse := flag.Bool("reuse", false, "with -dir: query the index already there instead of writing it (bleve)")
	batch := flag.Int("batch", 500, "documents the source hands the reindex at a time")
	keepDB := flag.Bool("keep-db", false, "postgres: keep the benchmark's database (its URL is printed) to look at its queries after")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the run here")
	memoryLimit := flag.Int("memory-limit", 0, "MB: run in a cgroup of its own limited to this much memory, page cache included (needs a writable cgroup hierarchy)")
	flag.Parse()
	var cg *memoryCgroup
	if *memoryLimit > 0 {
		var err error
		if cg, err = enterMemoryCgroup(*memoryLimit); err != nil {
			log.Fatalf("-memory-limit: %v", err)
		}
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	// The collector paced as `debrief reindex` paces it.
	search.PaceRebuildCollector()
	r, err := run(context.Background(), config{docs: *docs, users: *users, queries: *queries, backend: *backend,
		testdata: *testdata, dir: *keep, dsn: os.Getenv("DEBRIEF_TEST_POSTGRES_DSN"), batch: *batch, reuse: *reuse && *keep != "", keepDB: *keepDB})
	if cg != nil {
		fmt.Fprintf(os.Stderr, "in a cgroup limited to %d MB: the most it was charged (page cache included) %.0f MB\n", *memoryLimit, cg.peakMB())
		cg.leave()
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(r.table())
}

type config struct {
	docs, users, queries int
	keepDB               bool
	batch                int
	reuse                bool
	backend, testdata    string
	dir, dsn             string
}

type result struct {
	cfg            config
	indexed        int
	indexTime      time.Duration
	p50, p99, mean time.Duration
	// The same queries typed: the last word cut short, as a prefix.
	prefixP50, prefixP99 time.Duration
	hitsPerQuery         float64
	sizeMB               float64
	rssMB                float64 // the process's, queries included
	// reindexRSSMB is the reindex's peak resident set, sampled every
	// 100 ms, and anonMB its peak of anonymous memory (heap, not the
	// index's memory-mapped files, which are page cache the kernel can
	// take back).
	reindexRSSMB, anonMB float64
	// filterP50 and filterP99: a query of a filter alone (type:note, a
	// page of 20 at offset 0, 20 or 40), which orders by time.
	filterP50, filterP99 time.Duration
}

func (r result) table() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "| backend | documents | users | reindex | docs/s | index size | query p50 | p99 | mean | prefix p50 | p99 | hits/query | reindex RSS peak | anonymous peak | RSS peak with the queries | filter p50 | p99 |\n")
	fmt.Fprintf(&sb, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	fmt.Fprintf(&sb, "| %s | %d | %d | %.1f s | %.0f | %.0f MB | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.1f | %.0f MB | %.0f MB | %.0f MB | %.2f ms | %.2f ms |\n",
		r.cfg.backend, r.indexed, r.cfg.users, r.indexTime.Seconds(), float64(r.indexed)/r.indexTime.Seconds(), r.sizeMB,
		ms(r.p50), ms(r.p99), ms(r.mean), ms(r.prefixP50), ms(r.prefixP99), r.hitsPerQuery, r.reindexRSSMB, r.anonMB, r.rssMB,
		ms(r.filterP50), ms(r.filterP99))
	return sb.String()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func run(ctx context.Context, c config) (result, error) {
	res := result{cfg: c}
	words, err := vocabulary(c.testdata)
	if err != nil {
		return res, err
	}
	var idx search.Index
	var size func() float64
	owners := make([]string, c.users)
	for i := range owners {
		owners[i] = fmt.Sprintf("01BENCHUSER%015d", i)
	}
	src := &generated{words: words, owners: owners, perUser: c.docs / c.users, batch: max(c.batch, 1)}
	switch c.backend {
	case "bleve":
		dir := c.dir
		if dir == "" {
			tmp, err := os.MkdirTemp("", "debrief-search-bench-")
			if err != nil {
				return res, err
			}
			defer os.RemoveAll(tmp)
			dir = filepath.Join(tmp, "index")
		}
		b, err := bleve.Open(dir)
		if err != nil {
			return res, err
		}
		b.UseTexts(src)
		idx, size = b, func() float64 { return dirMB(dir) }
	case "postgres":
		if c.dsn == "" {
			return res, fmt.Errorf("-backend postgres needs DEBRIEF_TEST_POSTGRES_DSN")
		}
		// A database of its own, dropped after: the figures never include
		// an earlier run's dead rows.
		url, drop := harness.FreshDatabase(c.dsn)
		if c.keepDB {
			log.Printf("the database is kept: %s", url)
		} else {
			defer drop()
		}
		db, err := store.Open(ctx, store.Options{DatabaseURL: url})
		if err != nil {
			return res, err
		}
		defer db.Close()
		if err := db.Migrate(ctx, nil); err != nil {
			return res, err
		}
		// Documents belong to accounts there (a foreign key).
		st := store.New(db, nil)
		run := time.Now().UnixNano()
		for i := range owners {
			u, err := st.CreateUser(ctx, fmt.Sprintf("bench-%d-%d@example.com", run, i), "Bench", "UTC", "-")
			if err != nil {
				return res, err
			}
			owners[i] = u.ID
		}
		idx, size = searchpg.New(db.SQL), func() float64 { return tableMB(ctx, db.SQL) }
	default:
		return res, fmt.Errorf("-backend %q: bleve or postgres", c.backend)
	}
	defer idx.Close()

	start := time.Now()
	stop := sampleMemory(&res.reindexRSSMB, &res.anonMB)
	n, err := 0, error(nil)
	if c.reuse {
		var count uint64
		count, err = idx.Count(ctx)
		n = int(count)
	} else {
		n, err = search.Reindex(ctx, src, idx, "", nil)
	}
	stop()
	if err != nil {
		return res, err
	}
	res.indexed, res.indexTime = n, time.Since(start)
	res.sizeMB = size()

	// Queries of 1–3 words, drawn from the words that are neither the
	// commonest (stop words, filler) nor the rarest, for a random user.
	mid := src.midWords()
	rng := rand.New(rand.NewPCG(7, 11))
	type asked struct {
		owner string
		q     search.Query
	}
	var qs []asked
	for range c.queries {
		q := search.Query{Now: time.Now()}
		for range 1 + rng.IntN(3) {
			q.Words = append(q.Words, mid[rng.IntN(len(mid))])
		}
		qs = append(qs, asked{owners[rng.IntN(len(owners))], q})
	}
	hits := 0
	timed := func(prefix bool) ([]time.Duration, error) {
		lat := make([]time.Duration, 0, len(qs))
		for _, a := range qs {
			q := a.q
			if prefix {
				// The last word as it is typed: search.MinPrefix letters of
				// it or a few more.
				q.Words = slices.Clone(q.Words)
				last := []rune(q.Words[len(q.Words)-1])
				q.Words[len(q.Words)-1] = string(last[:min(len(last), search.MinPrefix+rng.IntN(4))])
				q.Prefix = true
			}
			t := time.Now()
			r, err := idx.Search(ctx, a.owner, q, search.Page{Limit: 20})
			if err != nil {
				return nil, err
			}
			lat = append(lat, time.Since(t))
			if !prefix {
				hits += len(r.Hits)
			}
		}
		slices.Sort(lat)
		return lat, nil
	}
	lat, err := timed(false)
	if err != nil {
		return res, err
	}
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	res.p50, res.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	res.mean = sum / time.Duration(len(lat))
	res.hitsPerQuery = float64(hits) / float64(len(lat))
	if lat, err = timed(true); err != nil {
		return res, err
	}
	res.prefixP50, res.prefixP99 = lat[len(lat)/2], lat[len(lat)*99/100]
	// Filters alone: a list of the owner's notes, page by page.
	lat = lat[:0]
	for i := range min(len(qs), 500) {
		q := search.Query{Types: []string{search.TypeNote}, Now: time.Now()}
		t := time.Now()
		if _, err := idx.Search(ctx, qs[i].owner, q, search.Page{Limit: 20, Offset: 20 * (i % 3)}); err != nil {
			return res, err
		}
		lat = append(lat, time.Since(t))
	}
	slices.Sort(lat)
	res.filterP50, res.filterP99 = lat[len(lat)/2], lat[len(lat)*99/100]
	res.rssMB = peakRSSMB()
	return res, nil
}

// generated is a search.Source of synthetic notes: perUser documents for
// each of users owners, ~150 words each in the frequencies of the corpus.
type generated struct {
	words   []string
	owners  []string
	perUser int
	batch   int
}

func (g *generated) UserIDs(context.Context) ([]string, error) { return g.owners, nil }

// SearchDocuments hands the owner's notes over batch at a time, as the
// store hands a reindex its pages.
func (g *generated) SearchDocuments(ctx context.Context, owner string, fn func([]search.Document) error) error {
	u := slices.Index(g.owners, owner)
	batch := make([]search.Document, 0, g.batch)
	for i := range g.perUser {
		batch = append(batch, g.doc(u, i))
		if len(batch) == cap(batch) {
			if err := fn(batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		return fn(batch)
	}
	return nil
}

// doc is user u's note i, the same every time it is made (its words drawn
// from a generator seeded by u and i): the texts its snippets are cut
// from are made again from its id.
func (g *generated) doc(u, i int) search.Document {
	rng := rand.New(rand.NewPCG(uint64(u)<<32|uint64(i), 1))
	var body strings.Builder
	for w := range 130 + rng.IntN(40) {
		if w > 0 {
			body.WriteByte(' ')
		}
		body.WriteString(g.words[rng.IntN(len(g.words))])
	}
	id := fmt.Sprintf("B%04d%021d", u, i) // 26 characters, as ids are
	base := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	return search.Document{ID: id, Type: search.TypeNote, Owner: g.owners[u],
		Title: g.words[rng.IntN(len(g.words))] + " " + g.words[rng.IntN(len(g.words))], Body: body.String(),
		MeetingID: id, When: base.Add(time.Duration(i) * 3 * time.Hour)}
}

// SearchTexts makes the bodies of hits again from their ids, as the store
// reads them for the bleve backend's snippets.
func (g *generated) SearchTexts(_ context.Context, _ string, idsByType map[string][]string) (map[string]string, error) {
	ids := idsByType[search.TypeNote] // the benchmark's documents are notes
	out := make(map[string]string, len(ids))
	for _, id := range ids {
		if len(id) != 26 || id[0] != 'B' {
			continue
		}
		u, err1 := strconv.Atoi(id[1:5])
		i, err2 := strconv.Atoi(id[5:])
		if err1 != nil || err2 != nil || u >= len(g.owners) {
			continue
		}
		out[id] = g.doc(u, i).Body
	}
	return out, nil
}

// midWords are the corpus' distinct words between its 200 commonest and
// those seen fewer than 5 times.
func (g *generated) midWords() []string {
	count := map[string]int{}
	for _, w := range g.words {
		count[w]++
	}
	var distinct []string
	for w, n := range count {
		if n >= 5 && len(w) > 2 {
			distinct = append(distinct, w)
		}
	}
	// Commonest first, ties by the word: the same queries every run (map
	// order alone made the short test's hits differ between runs).
	slices.SortFunc(distinct, func(a, b string) int { return cmp.Or(count[b]-count[a], strings.Compare(a, b)) })
	if len(distinct) > 400 {
		distinct = distinct[200:]
	}
	return distinct
}

// vocabulary is the stream of words of the QMSum transcripts and the call
// notes in testdata: sampling it at random gives each word its corpus
// frequency.
func vocabulary(testdata string) ([]string, error) {
	var words []string
	err := filepath.WalkDir(testdata, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !(strings.Contains(path, "qmsum") && strings.HasSuffix(path, ".json") ||
			strings.Contains(path, "acd_notes") && strings.HasSuffix(path, ".md")) {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, f := range strings.FieldsFunc(strings.ToLower(string(data)), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r == '\'')
		}) {
			if len(f) > 1 && len(f) < 20 {
				words = append(words, f)
			}
		}
		return nil
	})
	if err == nil && len(words) < 10_000 {
		err = fmt.Errorf("only %d words under %s: run from the repository root or pass -testdata", len(words), testdata)
	}
	return words, err
}

func dirMB(dir string) float64 {
	var total int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				total += info.Size()
			}
		}
		return nil
	})
	return float64(total) / (1 << 20)
}

func tableMB(ctx context.Context, db *sql.DB) float64 {
	var n int64
	db.QueryRowContext(ctx, "SELECT pg_total_relation_size('search_documents')").Scan(&n)
	return float64(n) / (1 << 20)
}

// sampleMemory records the process's peak resident set (VmRSS) and peak
// anonymous memory (RssAnon), in MB, until stop is called.
func sampleMemory(rss, anon *float64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			*rss = max(*rss, statusMB("VmRSS:"))
			*anon = max(*anon, statusMB("RssAnon:"))
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

// peakRSSMB is this process's peak resident set (VmHWM).
func peakRSSMB() float64 { return statusMB("VmHWM:") }

// statusMB is a figure of /proc/self/status, in MB.
func statusMB(key string) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(l, key); ok {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(rest), "%f", &kb)
			return kb / 1024
		}
	}
	return 0
}
