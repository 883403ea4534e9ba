package bleve

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/debrief-hq/debrief/internal/search"
)

// word is one of a query's words as the index reads it.
type word struct {
	text string
	// ways are the ways it is written in the index, each the terms a
	// document must all have: its analysis, and for a hyphenated word its
	// parts and the parts joined. None: a stop word, which matches nothing
	// and is not needed.
	ways [][]string
	// texts are the ways as written, which a match query analyses.
	texts  []string
	prefix string // being typed: also the words it starts ("roadm")
	// starts are the words prefix starts, the commonest of each field:
	// by field.
	starts map[string][]string
	fuzzy  int // letters it may be off (a retry for typos)
	must   bool
}

// words are q's words as the index reads them.
func (x *Index) words(q search.Query) []word {
	a := x.idx.Mapping().AnalyzerNamed(analyzer)
	terms := func(text string) []string {
		var out []string
		for _, tok := range a.Analyze([]byte(text)) {
			out = append(out, string(tok.Term))
		}
		return out
	}
	out := make([]word, 0, len(q.Words))
	for i, text := range q.Words {
		w := word{text: text}
		if q.Framing(i) {
			out = append(out, w) // "what did Anna think about the launch": Anna, launch
			continue
		}
		for _, alt := range search.Ways(text) {
			if ts := terms(alt); len(ts) > 0 {
				w.ways, w.texts = append(w.ways, ts), append(w.texts, alt)
			}
		}
		if i == len(q.Words)-1 && q.PrefixWord() != "" && search.PlainWord(text) {
			w.prefix = strings.ToLower(search.FoldAccents(text))
			w.starts = x.starting(w.prefix)
		}
		if q.Fuzzy {
			w.fuzzy = search.Fuzziness(text)
		}
		for _, m := range q.Must {
			w.must = w.must || m == text
		}
		out = append(out, w)
	}
	return out
}

// maxStarts is how many of the words a prefix starts it matches in each
// field, the commonest: "re" starts thousands, and a query of each of them
// took 45 ms at a million documents (docs/performance.md).
const maxStarts = 8

// starting lists, by field, the words of the index that prefix starts,
// the commonest (in the most documents) first, at most maxStarts a field.
func (x *Index) starting(prefix string) map[string][]string {
	out := map[string][]string{}
	ix, err := x.idx.Advanced()
	if err != nil {
		return out
	}
	r, err := ix.Reader()
	if err != nil {
		return out
	}
	defer r.Close()
	for _, f := range fields {
		d, err := r.FieldDictPrefix(f.name, []byte(prefix))
		if err != nil {
			continue
		}
		var all []*bindex.DictEntry
		for e, err := d.Next(); err == nil && e != nil; e, err = d.Next() {
			all = append(all, &bindex.DictEntry{Term: e.Term, Count: e.Count})
		}
		d.Close()
		slices.SortFunc(all, func(a, b *bindex.DictEntry) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Term, b.Term))
		})
		for _, e := range all[:min(len(all), maxStarts)] {
			out[f.name] = append(out[f.name], e.Term)
		}
	}
	return out
}

// meaningful reports whether w matches anything: it has terms, or is a
// prefix being typed.
func (w word) meaningful() bool { return len(w.ways) > 0 || w.prefix != "" }

// match matches w in any field: one of the ways it is written, or a word it
// starts (a little below the word itself).
func (w word) match() bq.Query {
	var qs []bq.Query
	for _, text := range w.texts {
		qs = append(qs, anyField(text, false, w.fuzzy))
	}
	for _, f := range fields {
		for _, t := range w.starts[f.name] {
			tq := bleve.NewTermQuery(t)
			tq.SetField(f.name)
			tq.SetBoost(f.boost * 0.8)
			qs = append(qs, tq)
		}
	}
	if len(qs) == 0 {
		return bleve.NewMatchNoneQuery()
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// found reports whether a hit's matches (its terms by field) have w.
func (w word) found(locs bsearch.FieldTermLocationMap) bool {
	has := func(term string) bool {
		for _, terms := range locs {
			if _, ok := terms[term]; ok {
				return true
			}
		}
		return false
	}
	for _, terms := range w.ways {
		all := true
		for _, t := range terms {
			all = all && has(t)
		}
		if all {
			return true
		}
	}
	if w.prefix != "" {
		for _, terms := range locs {
			for t := range terms {
				if strings.HasPrefix(t, w.prefix) {
					return true
				}
			}
		}
	}
	return false
}

// every reports whether a hit's matches have each meaningful word.
func every(ws []word, locs bsearch.FieldTermLocationMap) bool {
	for _, w := range ws {
		if w.meaningful() && !w.found(locs) {
			return false
		}
	}
	return true
}

// Proximity: two words of the query found next to each other (as typed,
// stop words between them counting) add a match boosted this much (a body
// match is 1, a title's 5), and count as a clause matched. Measured on the
// QMSum relevance test (the title's boost 3 then): 0.3 gave recall@5 0.743
// (MRR 0.565), 1.5 0.730 (0.555), 6 and 15 0.734, none 0.738 (0.535).
const pairBoost = 0.3

// ranked is the part of a query that ranks by its words: a document
// matching one of them is a hit, one matching more ranks higher (bleve's
// disjunction multiplies the sum of the matches' BM25 scores by the share
// of clauses matched), and so do two words found side by side, or written
// as one ("bi weekly" finds "biweekly"). Nil when no word means anything.
func ranked(q search.Query, ws []word) bq.Query {
	var clauses []bq.Query
	var prev = -1 // the last meaningful word
	for i, w := range ws {
		if !w.meaningful() {
			continue
		}
		clauses = append(clauses, w.match())
		if prev >= 0 && w.prefix == "" {
			a, b := ws[prev], w
			if i == prev+1 && search.PlainWord(a.text) && search.PlainWord(b.text) {
				clauses = append(clauses, anyField(a.text+b.text, false, 0))
			}
			if a.fuzzy == 0 && b.fuzzy == 0 {
				span := strings.Join(q.Words[prev:i+1], " ")
				for _, f := range []string{"title", "body"} {
					p := inField(f, span)
					p.SetBoost(pairBoost)
					clauses = append(clauses, p)
				}
			}
		}
		prev = i
	}
	if len(clauses) == 0 {
		return nil
	}
	return bleve.NewDisjunctionQuery(clauses...)
}

// involving matches documents that name one of inv's people or belong to
// one of its meetings; nothing when it has neither.
func involving(inv search.Involvement) bq.Query {
	var qs []bq.Query
	for _, id := range inv.PersonIDs {
		qs = append(qs, term("person_ids", id))
	}
	for _, id := range inv.MeetingIDs {
		qs = append(qs, term("meeting_id", id))
	}
	if len(qs) == 0 {
		return bleve.NewMatchNoneQuery()
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// anyField matches text in any text field, weighted: every word of it (a
// letter or fuzzy ones off), or as a phrase.
func anyField(text string, phrase bool, fuzzy int) bq.Query {
	var qs []bq.Query
	for _, f := range fields {
		if phrase {
			q := inField(f.name, text)
			q.SetBoost(f.boost)
			qs = append(qs, q)
			continue
		}
		q := bleve.NewMatchQuery(text)
		q.SetField(f.name)
		q.Analyzer = analyzer
		q.SetOperator(bq.MatchQueryOperatorAnd)
		q.SetFuzziness(fuzzy)
		q.SetBoost(f.boost)
		qs = append(qs, q)
	}
	return bleve.NewDisjunctionQuery(qs...)
}

func inField(field, text string) *bq.MatchPhraseQuery {
	q := bleve.NewMatchPhraseQuery(text)
	q.SetField(field)
	q.Analyzer = analyzer
	return q
}

func term(field, value string) bq.Query {
	q := bleve.NewTermQuery(value)
	q.SetField(field)
	return q
}

// build turns a parsed query into bleve's, the owner filter always first.
func build(owner string, q search.Query, ws []word) bq.Query {
	must := []bq.Query{term("owner", owner)}
	var should []bq.Query
	for _, w := range ws {
		if w.must && w.meaningful() {
			must = append(must, w.match())
		}
	}
	for _, p := range q.Phrases {
		must = append(must, anyField(p, true, 0))
	}
	if r := ranked(q, ws); r != nil {
		if len(must) == 1 {
			must = append(must, r) // nothing else required: one of the words is
		} else {
			should = append(should, r)
		}
	} else if len(q.Words) > 0 && len(must) == 1 {
		must = append(must, bleve.NewMatchNoneQuery()) // stop words alone
	}
	if len(q.Types) > 0 {
		var ts []bq.Query
		for _, t := range q.Types {
			ts = append(ts, term("type", t))
		}
		must = append(must, bleve.NewDisjunctionQuery(ts...))
	}
	for _, inv := range q.Involved {
		must = append(must, involving(inv))
	}
	if len(q.Involved) < len(q.People)+len(q.Orgs) {
		must = append(must, bleve.NewMatchNoneQuery()) // filters nobody resolved (search.Resolve)
	}
	for _, s := range q.Series {
		must = append(must, inField("series", s))
	}
	if q.Status != "" {
		must = append(must, term("status", q.Status))
	}
	if q.After != nil || q.Before != nil {
		var from, to time.Time
		if q.After != nil {
			from = q.After.UTC()
		}
		if q.Before != nil {
			to = q.Before.UTC()
		}
		r := bleve.NewDateRangeQuery(from, to)
		r.SetField("when")
		must = append(must, r)
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(must...)
	// What happened comes before what is to come (a calendar's year of
	// empty occurrences), and what was written before bare meetings: the
	// whole order of a query of filters alone, and a tie-breaker (a boost
	// too small to reorder matches) for words.
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	weight := 1e-4
	if q.Filters() {
		weight = 1
	}
	past := bleve.NewDateRangeQuery(time.Time{}, now)
	past.SetField("when")
	past.SetBoost(2 * weight)
	// (A disjunction's own boost does not reach its clauses' scores: each
	// clause carries it.)
	var written []bq.Query
	for _, typ := range []string{search.TypeNote, search.TypeActionItem, search.TypeDecision, search.TypeQuestion} {
		tq := bleve.NewTermQuery(typ)
		tq.SetField("type")
		tq.SetBoost(weight)
		written = append(written, tq)
	}
	should = append(should, bleve.NewDisjunctionQuery(written...))
	if q.Filters() {
		// Words find what happened first among equal matches otherwise
		// (Index.Search): a date range costs a third of a query's time.
		should = append(should, past)
	}
	b.AddShould(should...)
	for _, x := range q.Exclude {
		b.AddMustNot(anyField(x, strings.ContainsAny(x, " \t"), 0))
	}
	return b
}
