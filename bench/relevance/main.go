// Command relevance is the yardstick for the search relevance test: plain
// BM25 (k1 1.2, b 0.75) over the QMSum transcripts the test loads, without
// Debrief — each meeting one document of its "speaker: words" turns,
// lower-cased words of letters and digits, English stop words left out and
// Porter-stemmed — and the same over passages of a few hundred words (a
// meeting scores as its best passage). It prints recall@5 on the specific
// queries, the figure TestSearchRelevance reports for each backend.
//
//	go run ./bench/relevance                       # testdata/qmsum (the validation split)
//	go run ./bench/relevance -dir ../qmsum -all    # every split found under -dir, one corpus
package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	porter "github.com/blevesearch/go-porterstemmer"

	"github.com/debrief-hq/debrief/internal/search"
)

func main() {
	dir := flag.String("dir", "testdata/qmsum", "a QMSum folder: val/*.json (and train/*.json with -all) and a queries file")
	all := flag.Bool("all", false, "every split under -dir as one corpus, queries from queries.tsv")
	flag.Parse()
	meetings, queries, err := load(*dir, *all)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d meetings, %d specific queries\n\n| ranking | query words | recall@5 |\n|---|---|---|\n", len(meetings), len(queries))
	for _, framed := range []bool{false, true} {
		words := "all but stop words"
		if framed {
			words = "and without words that frame a question"
		}
		for _, size := range []int{0, 200, 800} {
			name := "BM25, whole meetings"
			if size > 0 {
				name = fmt.Sprintf("BM25, passages of %d words (a meeting: its best)", size)
			}
			fmt.Printf("| %s | %s | %.3f |\n", name, words, recall(meetings, queries, size, framed))
		}
	}
}

type meeting struct {
	name  string
	words []string // stemmed, stop words out
}

type query struct{ meeting, text string }

var wordRe = regexp.MustCompile(`[a-z0-9]+`)

var stop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(string(en.EnglishStopWords)) {
		m[w] = true
	}
	return m
}()

func terms(s string, framed bool) []string {
	var out []string
	for _, w := range wordRe.FindAllString(strings.ToLower(s), -1) {
		if stop[w] || framed && search.FrameWord(w) {
			continue
		}
		out = append(out, porter.StemString(w))
	}
	return out
}

func load(dir string, all bool) ([]meeting, []query, error) {
	pattern, qfile := filepath.Join(dir, "val", "*.json"), filepath.Join(dir, "queries-val-specific.tsv")
	if all {
		pattern, qfile = filepath.Join(dir, "*", "*.json"), filepath.Join(dir, "queries.tsv")
	}
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		return nil, nil, fmt.Errorf("no meetings at %s (%v)", pattern, err)
	}
	var ms []meeting
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, err
		}
		var m struct {
			Turns []struct{ Speaker, Content string } `json:"meeting_transcripts"`
		}
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", f, err)
		}
		var sb strings.Builder
		for _, t := range m.Turns {
			fmt.Fprintf(&sb, "%s: %s\n", t.Speaker, t.Content)
		}
		ms = append(ms, meeting{name: strings.TrimSuffix(filepath.Base(f), ".json"), words: terms(sb.String(), false)})
	}
	fh, err := os.Open(qfile)
	if err != nil {
		return nil, nil, err
	}
	defer fh.Close()
	r := csv.NewReader(fh)
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = '\t', true, -1
	rows, err := r.ReadAll()
	if err != nil {
		return nil, nil, err
	}
	var qs []query
	for _, row := range rows[1:] { // meeting_id split domain query_type query …
		if len(row) > 4 && row[3] == "specific" {
			qs = append(qs, query{meeting: row[0], text: row[4]})
		}
	}
	return ms, qs, nil
}

// passage is a run of one meeting's words, with its term counts.
type passage struct {
	meeting int
	tf      map[string]int
	n       int
}

// recall is how often a query's meeting is among the five best, by BM25
// over whole meetings (size 0) or passages of size words.
func recall(ms []meeting, qs []query, size int, framed bool) float64 {
	var ps []passage
	df := map[string]int{}
	total := 0
	for i, m := range ms {
		step := len(m.words)
		if size > 0 {
			step = size
		}
		for from := 0; from < len(m.words); from += step {
			p := passage{meeting: i, tf: map[string]int{}}
			for _, w := range m.words[from:min(from+step, len(m.words))] {
				p.tf[w]++
				p.n++
			}
			for w := range p.tf {
				df[w]++
			}
			total += p.n
			ps = append(ps, p)
		}
	}
	n, avg := float64(len(ps)), float64(total)/float64(len(ps))
	const k1, b = 1.2, 0.75
	found := 0
	for _, q := range qs {
		best := make([]float64, len(ms))
		qw := terms(q.text, framed)
		for _, p := range ps {
			s := 0.0
			for _, w := range qw {
				tf := float64(p.tf[w])
				if tf == 0 {
					continue
				}
				d := float64(df[w])
				s += math.Log(1+(n-d+0.5)/(d+0.5)) * tf * (k1 + 1) / (tf + k1*(1-b+b*float64(p.n)/avg))
			}
			best[p.meeting] = max(best[p.meeting], s)
		}
		order := make([]int, len(ms))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, c int) int { return cmpDesc(best[a], best[c]) })
		for _, i := range order[:min(5, len(order))] {
			if ms[i].name == q.meeting {
				found++
			}
		}
	}
	return float64(found) / float64(len(qs))
}

func cmpDesc(a, b float64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}
