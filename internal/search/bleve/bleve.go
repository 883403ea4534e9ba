// Package bleve is the default search backend: a bleve v2 index in a
// folder beside the database. Text is analysed for English (stemming, stop
// words, possessives), its accents folded, and split into bigrams in CJK
// scripts, so that words in any of them are found by their words.
package bleve

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	// Indexes of mapping version 2 and before name this character filter:
	// registered, they open, and Open sees their version and remakes them.
	_ "github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/debrief-hq/debrief/internal/search"
)

const analyzer = "debrief"

// Field weights: a word in a title (a meeting's, or a decision's text)
// counts for more than one in a note's body. BM25 weighs a word by how
// rare it is in each field, and far more bodies than titles lack a given
// word: at 3, a note's body saying "price" three times outranked the
// decision titled "raise prices".
var fields = []struct {
	name  string
	boost float64
}{{"title", 5}, {"body", 1}, {"people", 1.5}, {"orgs", 1}, {"series", 1}}

// Index is a bleve index.
type Index struct {
	idx bleve.Index
	// remade: Open found an index of another mapping version and made a
	// new, empty one (start-up repair then fills it).
	remade bool
	// texts are where body snippets are cut from: the index does not store
	// bodies (a third of its size, and 5 % of a rebuild's time at a million
	// documents), only where each match is in them.
	texts search.Texts
}

// UseTexts sets where the bodies of hits come from (the graph); without
// it, snippets come from titles only.
func (x *Index) UseTexts(t search.Texts) { x.texts = t }

// mappingVersion names the mapping an index was made with (kept in the
// index): an index of another version is made anew by Open, since bleve
// keeps the mapping it was created with. 2: the content hash; 3: accents
// (and CJK widths) folded by a token filter; 4: bodies not stored; 5: the
// ids of the people a document names (person: and org: filter by them).
const mappingVersion = "6"

var versionKey = []byte("debrief_mapping_version")

// SetAnalysisWorkers sets how many goroutines analyse documents for every
// index in the process (bleve's default is 4). The server uses one: an
// index update then takes one core at most, and requests keep the other
// (with four, a batch of notes took both and the saves' p99 tripled); a
// rebuild with the server stopped keeps bleve's default.
func SetAnalysisWorkers(n int) { bleve.Config.SetAnalysisQueueSize(n) }

// ErrInUse is Open's error when another process (or another open in this
// one) holds the index: an index folder has one writer.
var ErrInUse = errors.New("the search index is in use by another debrief process")

// Open opens the index in dir, creating it if it does not exist, and
// making it anew if it was made with another mapping. It waits a second
// for an index another process holds, then gives up with ErrInUse.
func Open(dir string) (*Index, error) {
	idx, err := bleve.OpenUsing(dir, map[string]any{"bolt_timeout": "1s"})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("search index %s: %w", dir, ErrInUse)
	}
	remade := false
	switch {
	case err == nil:
		v, verr := idx.GetInternal(versionKey)
		if verr == nil && string(v) == mappingVersion {
			return &Index{idx: idx}, nil
		}
		if cerr := idx.Close(); cerr != nil {
			return nil, fmt.Errorf("search index %s: %w", dir, cerr)
		}
		fallthrough
	case !errors.Is(err, bleve.ErrorIndexPathDoesNotExist):
		// Another version's index, or one that cannot be read (its mapping
		// names parts this version lacks, or its files are damaged): the
		// index is made again from the database, which is the truth.
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("search index %s: %w", dir, err)
		}
		remade, err = true, bleve.ErrorIndexPathDoesNotExist
	}
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		m, merr := indexMapping()
		if merr != nil {
			return nil, merr
		}
		if idx, err = bleve.New(dir, m); err == nil {
			err = idx.SetInternal(versionKey, []byte(mappingVersion))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("search index %s: %w", dir, err)
	}
	return &Index{idx: idx, remade: remade}, nil
}

// Remade tells whether Open replaced an index of another mapping version,
// or one it could not read, with an empty one.
func (x *Index) Remade() bool { return x.remade }

// doc is a Document as bleve stores it.
type doc struct {
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	People    []string  `json:"people"`
	Orgs      []string  `json:"orgs"`
	Series    string    `json:"series"`
	Owner     string    `json:"owner"`
	Type      string    `json:"type"`
	Status    string    `json:"status"`
	MeetingID string    `json:"meeting_id"`
	PersonIDs []string  `json:"person_ids"`
	When      time.Time `json:"when"`
	// Hash sums up the rest: Replace leaves a document whose hash has not
	// changed as it is (a note saved again changes its own document, not
	// its meeting's or those of the items it did not touch).
	Hash string `json:"hash"`
	// BodyHash is the body's: a snippet is cut at the stored match
	// offsets only from the text they were found in.
	BodyHash string `json:"body_hash,omitempty"`
}

func toDoc(d search.Document) doc {
	out := doc{Title: d.Title, Body: d.Body, People: d.People, Orgs: d.Orgs, Series: d.Series, Owner: d.Owner, Type: d.Type,
		Status: d.Status, MeetingID: d.MeetingID, PersonIDs: d.PersonIDs, When: d.When.UTC(), Hash: d.Hash()}
	if d.Body != "" {
		out.BodyHash = bodyHash(d.Body)
	}
	return out
}

func bodyHash(body string) string {
	h := sha256.Sum256([]byte(body))
	return hex.EncodeToString(h[:12])
}

func (x *Index) Put(_ context.Context, docs ...search.Document) error {
	b := x.idx.NewBatch()
	for _, d := range docs {
		if err := b.Index(d.ID, toDoc(d)); err != nil {
			return err
		}
	}
	return x.idx.Batch(b)
}

func (x *Index) Delete(_ context.Context, ids ...string) error {
	b := x.idx.NewBatch()
	for _, id := range ids {
		b.Delete(id)
	}
	return x.idx.Batch(b)
}

func (x *Index) Count(context.Context) (uint64, error) { return x.idx.DocCount() }

// OwnerIDs pages through the owner's documents in id order.
func (x *Index) OwnerIDs(ctx context.Context, owner string) ([]string, error) {
	var ids []string
	for {
		req := bleve.NewSearchRequestOptions(term("owner", owner), 10000, 0, false)
		req.SortBy([]string{"_id"})
		if len(ids) > 0 {
			req.SearchAfter = []string{ids[len(ids)-1]}
		}
		res, err := x.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if len(res.Hits) < req.Size {
			return ids, nil
		}
	}
}

func (x *Index) Close() error { return x.idx.Close() }

// Outdated: an index of another mapping version is made anew when opened
// (Remade), and filled by start-up repair's count check.
func (x *Index) Outdated(context.Context) (bool, error) { return false, nil }

// People finds the owner's person documents whose name (title) or
// addresses (body) — or organizations — hold text as a phrase.
func (x *Index) People(ctx context.Context, owner, text string, byOrg bool, limit int) ([]string, error) {
	match := bleve.NewDisjunctionQuery(inField("title", text), inField("body", text))
	if byOrg {
		match = bleve.NewDisjunctionQuery(inField("orgs", text))
	}
	q := bleve.NewConjunctionQuery(term("owner", owner), term("type", search.TypePerson), match)
	req := bleve.NewSearchRequestOptions(q, limit, 0, false)
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

func (x *Index) Search(ctx context.Context, owner string, q search.Query, p search.Page) (search.Result, error) {
	ws := x.words(q)
	// A query of words orders equal matches (the occurrences of a series,
	// alike) itself: what happened, the latest first, before what is to
	// come, the soonest first. Of the hits up to the page and as many again
	// after it (collected by score: below), those of equal score are put in
	// that order (pastFirst), instead of a date range clause, which cost a
	// third of a query's time at a million documents (docs/performance.md).
	from, size := p.Offset, p.Limit
	if !q.Filters() {
		from, size = 0, p.Offset+2*p.Limit
	}
	find := func(sort bsearch.SortOrder, after []string, size int) (*bleve.SearchResult, error) {
		req := bleve.NewSearchRequestOptions(build(owner, q, ws), size, from, false)
		req.Fields = []string{"title", "type", "meeting_id", "when", "body_hash"}
		req.IncludeLocations = true // where the matches are in the body, which is not stored
		req.Highlight = bleve.NewHighlightWithStyle("html")
		req.Highlight.AddField("title")
		req.SortByCustom(sort)
		req.SearchAfter = after
		return x.idx.SearchInContext(ctx, req)
	}
	byScore := bsearch.SortOrder{&bsearch.SortScore{Desc: true}}
	var res *bleve.SearchResult
	var err error
	if q.Filters() {
		res, err = find(append(byScore, &bsearch.SortField{Field: "when", Desc: true, Type: bsearch.SortFieldAsDate}), nil, size)
	} else {
		// By score alone: ordering by date as well loads a document's date
		// for every candidate, a fifth of a query's time at a million
		// documents. Matches of the page's lowest score may go on past
		// those fetched (the occurrences of a series, alike): then which of
		// them the page shows is the dates' to say (alike).
		res, err = find(byScore, nil, size)
		if err == nil && tiedPastWindow(res.Hits, p.Offset+p.Limit, size) {
			res.Hits, err = x.alike(res.Hits, p.Offset+p.Limit, q.Now, find)
		}
	}
	if err != nil {
		return search.Result{}, err
	}
	if !q.Filters() {
		res.Hits = pastFirst(res.Hits, q.Now)
		res.Hits = res.Hits[min(p.Offset, len(res.Hits)):min(p.Offset+p.Limit, len(res.Hits))]
	}
	inBody := map[string][]string{} // type → ids of hits matched in their body
	for _, h := range res.Hits {
		if len(h.Locations["body"]) > 0 {
			typ, _ := h.Fields["type"].(string)
			inBody[typ] = append(inBody[typ], h.ID)
		}
	}
	texts := map[string]string{}
	if len(inBody) > 0 && x.texts != nil {
		if texts, err = x.texts.SearchTexts(ctx, owner, inBody); err != nil {
			return search.Result{}, err
		}
	}
	out := search.Result{Total: int(res.Total), Hits: make([]search.Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		hit := search.Hit{ID: h.ID, Score: h.Score, Partial: !q.Fuzzy && !every(ws, h.Locations)}
		hit.Title, _ = h.Fields["title"].(string)
		hit.Type, _ = h.Fields["type"].(string)
		hit.MeetingID, _ = h.Fields["meeting_id"].(string)
		if s, ok := h.Fields["when"].(string); ok {
			if t, err := time.Parse(time.RFC3339, s); err == nil && !t.IsZero() {
				t = t.UTC()
				hit.StartsAt = &t
			}
		}
		// Around the body's matches, or the title's when the match is there.
		var body string
		if text, ok := texts[h.ID]; ok {
			stored, _ := h.Fields["body_hash"].(string)
			body = cut(text, h.Locations["body"], stored == bodyHash(text))
		}
		hit.Snippet = cmp.Or(body, strings.Join(h.Fragments["title"], " … "))
		out.Hits = append(out.Hits, hit)
	}
	return out, nil
}

// alike makes the first shown of hits (the first matches by score, whose
// last ones tie with the last shown, and may go on past them) what they
// are once the matches of that score are put in order by their dates:
// those that happened, the latest first, then those to come, the soonest
// first — as pastFirst orders them — each asked of the index after the
// score and the moment. Should the index have changed between the
// searches (no match of that score now), hits are left as they are.
func (x *Index) alike(hits bsearch.DocumentMatchCollection, shown int, now time.Time,
	find func(bsearch.SortOrder, []string, int) (*bleve.SearchResult, error)) (bsearch.DocumentMatchCollection, error) {
	if now.IsZero() {
		now = time.Now()
	}
	s := hits[shown-1].Score
	var out bsearch.DocumentMatchCollection
	for _, h := range hits {
		if h.Score > s {
			out = append(out, h)
		}
	}
	score := strconv.FormatFloat(s, 'g', -1, 64)
	tied := 0
	for _, desc := range []bool{true, false} {
		need := shown - len(out)
		if need <= 0 {
			break
		}
		// Descending, after the moment: what happened up to it, the latest
		// first; ascending, after it: what is to come, the soonest first.
		at := now.UTC()
		if desc {
			at = at.Add(time.Nanosecond)
		}
		res, err := find(bsearch.SortOrder{&bsearch.SortScore{Desc: true}, &bsearch.SortField{Field: "when", Desc: desc, Type: bsearch.SortFieldAsDate}},
			[]string{score, at.Format(time.RFC3339Nano)}, need)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			// (A match without a date sorts last both ways: taken once.)
			if h.Score == s && !slices.ContainsFunc(out, func(o *bsearch.DocumentMatch) bool { return o.ID == h.ID }) {
				out, tied = append(out, h), tied+1
			}
		}
	}
	if tied == 0 {
		return hits, nil
	}
	return out, nil
}

// tiedPastWindow reports whether hits, the first size matches by score,
// may have left out a match that belongs among the first shown (the page
// ends there): when as many as size came and the last has the score of
// the last shown, others of that score may have been left out.
func tiedPastWindow(hits bsearch.DocumentMatchCollection, shown, size int) bool {
	if len(hits) < size || shown > len(hits) || shown == 0 {
		return false
	}
	return hits[len(hits)-1].Score >= hits[shown-1].Score
}

// pastFirst orders hits of equal score so that what happened comes
// before what is to come, the latest first, then what is to come, the
// soonest first.
func pastFirst(hits bsearch.DocumentMatchCollection, now time.Time) bsearch.DocumentMatchCollection {
	if now.IsZero() {
		now = time.Now()
	}
	when := make(map[*bsearch.DocumentMatch]time.Time, len(hits))
	for _, h := range hits {
		if s, ok := h.Fields["when"].(string); ok {
			when[h], _ = time.Parse(time.RFC3339, s)
		}
	}
	slices.SortStableFunc(hits, func(a, b *bsearch.DocumentMatch) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		fa, fb := when[a].After(now), when[b].After(now)
		switch {
		case fa != fb && fa:
			return 1
		case fa != fb:
			return -1
		case fa:
			return when[a].Compare(when[b]) // to come: the soonest first
		}
		return when[b].Compare(when[a]) // happened: the latest first
	})
	return hits
}

// Snippets are a window of the body, started a little before its first
// match.
const (
	snippetSize   = 240 // bytes
	snippetBefore = 60
)

// cut is the snippet of text around the matches at locs: the text
// HTML-escaped, the matches in <mark>. When the text is not the one the
// offsets were found in (exact false: it changed and the index has not
// caught up), it is the text's start, unmarked.
func cut(text string, locs bsearch.TermLocationMap, exact bool) string {
	var spans [][2]int
	if exact {
		for _, ls := range locs {
			for _, l := range ls {
				st, en := int(l.Start), int(l.End)
				if st < en && en <= len(text) && utf8.RuneStart(text[st]) && (en == len(text) || utf8.RuneStart(text[en])) {
					spans = append(spans, [2]int{st, en})
				}
			}
		}
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return cmp.Compare(a[0], b[0]) })
	from := 0
	if len(spans) > 0 {
		from = max(spans[0][0]-snippetBefore, 0)
		// Start at a word: back to the space before, if there is one near.
		if i := strings.LastIndexAny(text[max(from-20, 0):from], " \n\t"); from > 0 && i >= 0 {
			from = max(from-20, 0) + i + 1
		}
	}
	from, to := search.Widen(text, from, min(from+snippetSize, len(text)))
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	at := from
	for _, sp := range spans {
		if sp[0] < at || sp[1] > to {
			continue // overlapping an earlier one, or past the window
		}
		b.WriteString(html.EscapeString(text[at:sp[0]]))
		b.WriteString("<mark>" + html.EscapeString(text[sp[0]:sp[1]]) + "</mark>")
		at = sp[1]
	}
	b.WriteString(html.EscapeString(text[at:to]))
	if to < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

// DeleteOwner drops every document of an owner.
func (x *Index) DeleteOwner(ctx context.Context, owner string) error {
	ids, err := x.OwnerIDs(ctx, owner)
	if err != nil {
		return err
	}
	for chunk := range slices.Chunk(ids, 1000) {
		if err := x.Delete(ctx, chunk...); err != nil {
			return err
		}
	}
	return nil
}

// Replace finds the documents it replaces with their hashes, and writes
// one batch: the new documents whose hash differs and deletions of those
// that are gone (nothing at all when nothing changed).
func (x *Index) Replace(ctx context.Context, owner string, meetingIDs, ids []string, docs []search.Document) error {
	old := map[string]string{} // id → hash
	var which []bq.Query
	for _, id := range meetingIDs {
		which = append(which, term("meeting_id", id))
	}
	if len(meetingIDs)+len(ids) > 0 {
		which = append(which, bleve.NewDocIDQuery(append(slices.Clone(meetingIDs), ids...)))
	}
	if len(which) > 0 {
		q := bleve.NewBooleanQuery()
		q.AddMust(term("owner", owner), bleve.NewDisjunctionQuery(which...))
		for from := 0; ; from += 1000 {
			req := bleve.NewSearchRequestOptions(q, 1000, from, false)
			req.Fields = []string{"hash"}
			req.SortBy([]string{"_id"})
			res, err := x.idx.SearchInContext(ctx, req)
			if err != nil {
				return err
			}
			for _, h := range res.Hits {
				old[h.ID], _ = h.Fields["hash"].(string)
			}
			if len(res.Hits) < req.Size {
				break
			}
		}
	}
	b := x.idx.NewBatch()
	for _, d := range docs {
		nd := toDoc(d)
		prev, had := old[d.ID]
		delete(old, d.ID)
		if had && prev == nd.Hash {
			continue
		}
		if err := b.Index(d.ID, nd); err != nil {
			return err
		}
	}
	for id := range old {
		b.Delete(id)
	}
	if b.Size() == 0 {
		return nil
	}
	return x.idx.Batch(b)
}
