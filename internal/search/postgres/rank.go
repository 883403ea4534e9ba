package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/debrief-hq/debrief/internal/search"
)

// ranking is how a query's words match and rank, as SQL: PostgreSQL has
// no BM25, so it is built the way BM25 is, over the candidates. Each
// meaningful word (a stop word or one that only frames a question is not)
// is a tsquery; a document matching one of them is a candidate, unless
// the query has words it must have (+word, AND, phrases), which are
// required instead. Each word's ts_rank in a document (title above body)
// is weighted by how rare the word is among the candidates, the sum is
// multiplied by the share of the words and adjacent pairs the document
// has, and two words found side by side (or written as one) add a little.
type ranking struct {
	columns string // per candidate: h<i> (matched word i), r<i> (its rank), p<j> (pair j)
	counts  string // over the candidates: df<i>, how many matched word i
	rank    string // the rank, over columns and counts
	matched string // how many words a row matched
	wanted  string // how many words mean something (not stop words)
}

func (m ranking) empty() bool { return m.rank == "" }

// weights of ts_rank: a word in a title counts three times one in the body
// (the order is D, C, B, A: body; organizations and series; people; title).
const weights = "'{0.33, 0.33, 0.5, 1.0}'"

// pairWeight is what a pair side by side adds, in units of a word's rank.
// On the QMSum relevance test: 0.3 gave recall@5 0.705 (MRR 0.538), 0.1
// 0.696, 0.01 0.675; ts_rank_cd instead of ts_rank 0.662, ts_rank divided
// by the log of the length 0.705 (MRR 0.519).
const pairWeight = 0.3

func (b *builder) ranking(q search.Query) ranking {
	var m ranking
	var terms []string  // each word's tsquery
	var either []string // what makes a candidate: a word, or a pair written as one
	var required []string
	var cols, counts, sum, wanted []string
	var hits, found []string // what a row matched: words and pairs; words
	prev := -1
	for i, w := range q.Words {
		if q.Framing(i) {
			continue
		}
		t := b.wordQuery(q, i)
		if slices.Contains(q.Must, w) {
			required = append(required, t)
		}
		n := strconv.Itoa(len(terms))
		terms = append(terms, t)
		cols = append(cols, fmt.Sprintf("(tsv @@ %s)::int AS h%s, ts_rank(%s, tsv, %s) AS r%s", t, n, weights, t, n))
		counts = append(counts, "sum(h"+n+") OVER () AS df"+n)
		// BM25's idf, over the candidates.
		sum = append(sum, fmt.Sprintf("r%s * ln(1 + (total - df%s + 0.5::float8) / (df%s + 0.5::float8))", n, n, n))
		hits, found = append(hits, "h"+n), append(found, "h"+n)
		wanted = append(wanted, "(numnode("+t+") > 0)::int")
		if prev >= 0 && !q.Fuzzy && (i != len(q.Words)-1 || q.PrefixWord() == "") {
			pair := []string{b.textQuery("english", strings.Join(q.Words[prev:i+1], " "), true)}
			if i == prev+1 && search.PlainWord(q.Words[prev]) && search.PlainWord(w) {
				joined := b.textQuery("english", q.Words[prev]+w, false)
				pair, either = append(pair, joined), append(either, joined)
			}
			j := strconv.Itoa(len(cols))
			cols = append(cols, fmt.Sprintf("(tsv @@ (%s))::int AS p%s", strings.Join(pair, " || "), j))
			sum = append(sum, fmt.Sprintf("%g * p%s", pairWeight, j))
			hits = append(hits, "p"+j)
		}
		prev = i
	}
	for _, ph := range q.Phrases {
		t := b.textQuery("english", ph, true)
		n := strconv.Itoa(len(terms))
		terms = append(terms, t)
		required = append(required, t)
		cols = append(cols, fmt.Sprintf("1 AS h%s, ts_rank(%s, tsv, %s) AS r%s", n, weights, t, n))
		counts = append(counts, "sum(h"+n+") OVER () AS df"+n)
		sum = append(sum, "r"+n)
		hits, found = append(hits, "h"+n), append(found, "h"+n)
		wanted = append(wanted, "1")
	}
	if len(terms) == 0 {
		if len(q.Words) > 0 {
			b.where = append(b.where, "false") // nothing but words that mean nothing
		}
		return m
	}
	if len(required) > 0 {
		b.match(strings.Join(required, " && "))
	} else {
		b.match(strings.Join(append(either, terms...), " || "))
	}
	m.columns = ", " + strings.Join(cols, ", ")
	m.counts = ", " + strings.Join(counts, ", ")
	m.matched = "(" + strings.Join(found, " + ") + ")"
	m.wanted = "(" + strings.Join(wanted, " + ") + ")"
	m.rank = fmt.Sprintf("((%s) * (%s)::real / %d)", strings.Join(sum, " + "), strings.Join(hits, " + "), len(hits))
	return m
}

// wordQuery is the tsquery of the query's word i: the word (a hyphenated
// one: its parts, or them joined), the words it starts when it is being
// typed.
func (b *builder) wordQuery(q search.Query, i int) string {
	w := q.Words[i]
	var alts []string
	for _, way := range search.Ways(w) {
		alts = append(alts, b.textQuery("english", way, false))
	}
	for _, c := range b.corrected[w] {
		// A stem as PostgreSQL wrote it: matched as it is.
		alts = append(alts, once("plainto_tsquery('simple', "+b.arg(c)+")"))
	}
	if i == len(q.Words)-1 && q.PrefixWord() != "" && search.PlainWord(w) {
		alts = append(alts, once("to_tsquery('english', "+b.arg(strings.ToLower(search.FoldAccents(w))+":*")+")"))
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return "(" + strings.Join(alts, " || ") + ")"
}

// Typos are corrected from the words of the owner's latest documents, at
// most this many (ts_stat reads each of their vectors).
const (
	vocabularyDocs  = 5000
	maxCorrections  = 3 // words tried in place of one, the commonest first
	correctionsArgs = `SELECT w, coalesce((SELECT min(lexeme) FROM unnest(to_tsvector('english', w))), '') FROM unnest($1::text[]) AS w`
)

// corrections are, for each of q's words that may be mistyped (search.
// Fuzziness), the owner's words as PostgreSQL stems them that are that
// many letters or fewer from its stem, the commonest first.
func (x *Index) corrections(ctx context.Context, owner string, q search.Query) (map[string][]string, error) {
	var words []string
	for _, w := range q.Words {
		if search.Fuzziness(w) > 0 {
			words = append(words, vec(w))
		}
	}
	if len(words) == 0 {
		return nil, nil
	}
	rows, err := x.db.QueryContext(ctx, correctionsArgs, textArray(words))
	if err != nil {
		return nil, err
	}
	stems := map[string]string{} // word → its stem
	short, long := 1<<30, 0
	for rows.Next() {
		var w, stem string
		if err := rows.Scan(&w, &stem); err != nil {
			rows.Close()
			return nil, err
		}
		if stem == "" {
			continue
		}
		stems[w] = stem
		n := utf8.RuneCountInString(stem)
		short, long = min(short, n-2), max(long, n+2)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(stems) == 0 {
		return nil, err
	}
	rows, err = x.db.QueryContext(ctx, `SELECT word, ndoc FROM ts_stat(format('SELECT tsv FROM search_documents WHERE owner_id = %L ORDER BY "when" DESC LIMIT %s', $1::text, $2::int))
		WHERE char_length(word) BETWEEN $3 AND $4`, owner, vocabularyDocs, short, long)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type cand struct {
		word string
		dist int
		docs int
	}
	found := map[string][]cand{}
	for rows.Next() {
		var c cand
		if err := rows.Scan(&c.word, &c.docs); err != nil {
			return nil, err
		}
		for _, w := range q.Words {
			stem, ok := stems[vec(w)]
			if !ok || stem == c.word {
				continue
			}
			limit := search.Fuzziness(w)
			if d := search.Distance(stem, c.word, limit); d <= limit {
				c.dist = d
				found[w] = append(found[w], c)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for w, cs := range found {
		slices.SortFunc(cs, func(a, b cand) int {
			return cmp.Or(cmp.Compare(a.dist, b.dist), cmp.Compare(b.docs, a.docs), strings.Compare(a.word, b.word))
		})
		for _, c := range cs[:min(len(cs), maxCorrections)] {
			out[w] = append(out[w], c.word)
		}
	}
	return out, nil
}
