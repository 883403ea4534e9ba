// Package postgres is the search backend for deployments that share one
// PostgreSQL database between instances (DEBRIEF_SEARCH=postgres): the
// documents live in the search_documents table with weighted tsvectors
// (title A, people B, organizations and series C, body D) under a GIN
// index. Text is normalised in Go first (accents folded, CJK written as
// bigrams), so it finds what the bleve backend finds.
package postgres

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/debrief-hq/debrief/internal/search"
)

// Index is the PostgreSQL full-text backend.
type Index struct {
	db *sql.DB
	// Whether every document has its keys, once it is so (allKeyed).
	keyed     atomic.Bool
	keyedMu   sync.Mutex
	keyedLast time.Time
	// Whether the database reads text into vectors as englishVector
	// does, once known (vectors).
	vecMu           sync.Mutex
	vecKnown, vecOK bool
}

// New uses db, which must hold the migrated search_documents table.
func New(db *sql.DB) *Index { return &Index{db: db} }

// analysis is how this version reads text into vectors (the column of the
// same name): 1 writes hyphenated words joined too, and irregular verb
// forms as their base; 2 writes keys.
const analysis = 2

// keyTag is the SQL of an owner's tag (%s: the owner's id), which goes
// before each of their words in a document's keys: four hex digits of
// its MD5, a fixed length, so no separator. Under the keys' GIN index a
// query then reads the posting lists of its owner's words only — on a
// table of every account's documents, a common word's list holds every
// account's. Owners whose tags are alike (one pair in ~65,000) only share
// candidates, which the owner's condition removes; a longer tag made the
// keys a third larger (eight digits and a colon: 1,331 bytes a document
// of 73 words against 966).
const keyTag = "left(md5(%s), 4)"

// upsert writes documents given as parallel arrays, one statement for
// many: the vectors are built in the database, per document, but for
// the English ones the server could read itself (englishVector), and the
// keys from the vector (v: OFFSET 0 keeps the planner from building the
// vector again for them, as it would by pulling the subquery up). First
// it deletes the owner's ($25) documents of meetings ($26: their own and
// those under them) and others ($27), but for those it writes ($28).
var upsert = `WITH gone AS (DELETE FROM search_documents WHERE owner_id = $25
	AND (meeting_id = ANY($26::text[]) OR id = ANY($26::text[]) OR id = ANY($27::text[])) AND NOT id = ANY($28::text[]))
INSERT INTO search_documents (id, created_at, updated_at, owner_id, type, title, body, people, orgs, series,
	meeting_id, "when", status, tsv, keys, people_tsv, orgs_tsv, series_tsv, person_ids, analysis, hash)
SELECT d.id, now(), now(), d.owner_id, d.type, d.title, d.body, d.people, d.orgs, d.series, d.meeting_id, d."when", d.status,
	v.tsv, array_to_tsvector(ARRAY(SELECT v.tag || w FROM unnest(tsvector_to_array(v.tsv)) AS w)),
	to_tsvector('simple', d.v_people), to_tsvector('simple', d.v_orgs), to_tsvector('simple', d.v_series), d.person_ids::text[], $20, d.hash
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
	$10::timestamptz[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[],
	$21::text[], $22::text[], $23::text[], $24::text[])
	AS d(id, owner_id, type, title, body, people, orgs, series, meeting_id, "when", status,
		v_title, v_people, v_context, v_body, v_orgs, v_series, person_ids, hash, l_title, l_people, l_context, l_body),
	LATERAL (SELECT setweight(` + englishOf("title") + `, 'A') || setweight(` + englishOf("people") + `, 'B') ||
		setweight(` + englishOf("context") + `, 'C') || setweight(` + englishOf("body") + `, 'D') AS tsv,
		` + fmt.Sprintf(keyTag, "d.owner_id") + ` AS tag OFFSET 0) AS v
ON CONFLICT (id) DO UPDATE SET updated_at = now(), owner_id = EXCLUDED.owner_id, type = EXCLUDED.type,
	title = EXCLUDED.title, body = EXCLUDED.body, people = EXCLUDED.people, orgs = EXCLUDED.orgs, series = EXCLUDED.series,
	meeting_id = EXCLUDED.meeting_id, "when" = EXCLUDED."when", status = EXCLUDED.status, tsv = EXCLUDED.tsv, keys = EXCLUDED.keys,
	people_tsv = EXCLUDED.people_tsv, orgs_tsv = EXCLUDED.orgs_tsv, series_tsv = EXCLUDED.series_tsv, person_ids = EXCLUDED.person_ids,
	analysis = EXCLUDED.analysis, hash = EXCLUDED.hash`

// englishOf is the vector of a field: read in Go where it could be (l_, in
// tsvector's syntax), else by the database (v_, the text).
func englishOf(field string) string {
	return "CASE WHEN d.l_" + field + " <> '' THEN d.l_" + field + "::tsvector ELSE to_tsvector('english', d.v_" + field + ") END"
}

// upsertBatch is how many documents one upsert writes at most (a few
// megabytes of text).
const upsertBatch = 500

// plain keeps PostgreSQL's parser from reading text as markup: it skips
// what it takes for the inside of <script> or <style>, and notes are text.
var plain = strings.NewReplacer("<", " ", ">", " ", "&", " ")

// vec is text as it goes into a tsvector, or a query.
func vec(s string) string { return plain.Replace(search.Normalize(s)) }

// docVec is a document's text as it goes into a tsvector: its words
// written with hyphens also as one ("bi-weekly" → "biweekly", after the
// text, so that phrases keep their positions), as bleve indexes them.
func docVec(s string) string {
	v := vec(s)
	if j := search.Joined(s); len(j) > 0 {
		v += " " + strings.Join(j, " ")
	}
	return v
}

func (x *Index) Put(ctx context.Context, docs ...search.Document) error {
	return x.Replace(ctx, "", nil, nil, docs)
}

// Replace deletes and writes at once: a search sees the documents before
// it or after it. What it writes is not deleted first, so that an
// unchanged one can be left as it is. Up to upsertBatch changed documents
// (an update's batch) it is one statement, so two round trips with the
// look-up of unchanged ones: under a stream of saves, each round trip of
// an index update waits its turn for the CPU behind the requests'.
func (x *Index) Replace(ctx context.Context, owner string, meetingIDs, ids []string, docs []search.Document) error {
	// One statement may not write a row twice: the last of a document wins.
	last := make(map[string]int, len(docs))
	for i, d := range docs {
		last[d.ID] = i
	}
	if len(last) < len(docs) {
		kept := make([]search.Document, 0, len(last))
		for i, d := range docs {
			if last[d.ID] == i {
				kept = append(kept, d)
			}
		}
		docs = kept
	}
	written := make([]string, len(docs))
	for i, d := range docs {
		written[i] = d.ID
	}
	// A document the table has already, with the same hash and analysis,
	// is left as it is, and not even sent: a note saved again unchanged,
	// or the items of a meeting whose note changed. (Only one update of
	// an owner runs at a time: nothing changes them between the look-up
	// and the write.)
	hashed, err := changed(ctx, x.db, docs, written)
	if err != nil {
		return err
	}
	if len(hashed) == 0 && len(meetingIDs)+len(ids) == 0 {
		return nil
	}
	var q interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	} = x.db
	if len(hashed) > upsertBatch {
		tx, err := x.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		q = tx
	}
	inGo, st := x.vectors(ctx), stems{}
	// The first statement deletes too; an empty batch writes nothing.
	del := []any{owner, meetingIDs, ids, written}
	for n := 0; n == 0 || n*upsertBatch < len(hashed); n++ {
		batch := hashed[n*upsertBatch : min((n+1)*upsertBatch, len(hashed))]
		// One array per column, a document at each index: 18 of text,
		// then the 4 English vectors read here (or '').
		cols := make([][]string, 22)
		when := make([]time.Time, len(batch))
		for i, h := range batch {
			d := h.Document
			people, orgs := strings.Join(d.People, " "), strings.Join(d.Orgs, " ")
			when[i] = d.When.UTC()
			row := [...]string{d.ID, d.Owner, d.Type, d.Title, d.Body, people, orgs, d.Series, d.MeetingID, d.Status,
				docVec(d.Title), vec(people), vec(orgs + " " + d.Series), docVec(d.Body), vec(orgs), vec(d.Series), textArray(d.PersonIDs), h.hash,
				"", "", "", ""}
			for f := 0; f < 4 && inGo; f++ {
				if lit, ok := englishVector(row[10+f], st); ok {
					row[18+f] = lit
					if f != 1 { // the people's text makes their 'simple' vector too
						row[10+f] = ""
					}
				}
			}
			for c, v := range row {
				cols[c] = append(cols[c], v)
			}
		}
		args := []any{cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7], cols[8], when}
		for _, c := range cols[9:18] {
			args = append(args, c)
		}
		args = append(args, analysis)
		for _, c := range cols[18:] {
			args = append(args, c)
		}
		if _, err := q.ExecContext(ctx, upsert, append(args, del...)...); err != nil {
			return fmt.Errorf("index %d documents: %w", len(batch), err)
		}
		del = []any{owner, []string{}, []string{}, []string{}}
	}
	if tx, ok := q.(*sql.Tx); ok {
		return tx.Commit()
	}
	return nil
}

// hashedDoc is a document with its hash.
type hashedDoc struct {
	search.Document
	hash string
}

// changed are the documents of docs (ids theirs, each once) that the
// table does not hold as they are, with their hashes.
func changed(ctx context.Context, db *sql.DB, docs []search.Document, ids []string) ([]hashedDoc, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	all := make([]hashedDoc, len(docs))
	hashes := make([]string, len(docs))
	for i, d := range docs {
		all[i] = hashedDoc{d, d.Hash()}
		hashes[i] = all[i].hash
	}
	rows, err := db.QueryContext(ctx, `SELECT s.id FROM unnest($1::text[], $2::text[]) AS d(id, hash)
		JOIN search_documents s ON s.id = d.id AND s.hash = d.hash AND s.analysis = $3`, ids, hashes, analysis)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	same := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		same[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(h hashedDoc) bool { return same[h.ID] }), nil
}

func (x *Index) Delete(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	ph := make([]string, len(ids))
	for i, id := range ids {
		args[i], ph[i] = id, "$"+strconv.Itoa(i+1)
	}
	_, err := x.db.ExecContext(ctx, "DELETE FROM search_documents WHERE id IN ("+strings.Join(ph, ",")+")", args...)
	return err
}

// DeleteOwner drops every document of an owner.
func (x *Index) DeleteOwner(ctx context.Context, owner string) error {
	_, err := x.db.ExecContext(ctx, "DELETE FROM search_documents WHERE owner_id = $1", owner)
	return err
}

func (x *Index) OwnerIDs(ctx context.Context, owner string) ([]string, error) {
	rows, err := x.db.QueryContext(ctx, "SELECT id FROM search_documents WHERE owner_id = $1", owner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// allKeyed reports whether every document has its keys: after an upgrade
// from a version without them, not until start-up repair has written the
// older documents again. Asked of the database (a partial index of the
// documents without keys answers at once) at most once a second until
// it is so, and then never again: this version writes every document
// with its keys. (Instances of an older version writing to the same
// database meanwhile are not supported; an upgrade replaces them all.)
func (x *Index) allKeyed(ctx context.Context) (bool, error) {
	if x.keyed.Load() {
		return true, nil
	}
	x.keyedMu.Lock()
	defer x.keyedMu.Unlock()
	if x.keyed.Load() || time.Since(x.keyedLast) < time.Second {
		return x.keyed.Load(), nil
	}
	var all bool
	if err := x.db.QueryRowContext(ctx, "SELECT NOT EXISTS (SELECT 1 FROM search_documents WHERE keys IS NULL)").Scan(&all); err != nil {
		return false, err
	}
	x.keyedLast = time.Now()
	x.keyed.Store(all)
	return all, nil
}

func (x *Index) Count(ctx context.Context) (uint64, error) {
	var n uint64
	err := x.db.QueryRowContext(ctx, "SELECT count(*) FROM search_documents").Scan(&n)
	return n, err
}

func (x *Index) Close() error { return nil }

// Outdated reports documents of an older version: read into vectors by
// an older analysis, or without person ids (null, where a document naming
// nobody has an empty list).
func (x *Index) Outdated(ctx context.Context) (bool, error) {
	var old bool
	err := x.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM search_documents WHERE analysis < $1 OR person_ids IS NULL)", analysis).Scan(&old)
	return old, err
}

// People finds the owner's person documents whose name or addresses (the
// title, weight A, and the body, weight D) — or organizations — hold text
// as a phrase.
func (x *Index) People(ctx context.Context, owner, text string, byOrg bool, limit int) ([]string, error) {
	match := "ts_filter(tsv, '{a,d}') @@ phraseto_tsquery('english', $2)"
	if byOrg {
		match = "orgs_tsv @@ phraseto_tsquery('simple', $2)"
	}
	rows, err := x.db.QueryContext(ctx, "SELECT id FROM search_documents WHERE owner_id = $1 AND type = 'person' AND "+match+" LIMIT $3",
		owner, vec(text), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// textArray is a PostgreSQL text[] literal of ids (ULIDs: no quoting
// needed, but quoted all the same).
func textArray(ids []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(id) + `"`)
	}
	b.WriteByte('}')
	return b.String()
}

// builder collects a query's SQL and its arguments.
type builder struct {
	where []string
	args  []any
	// corrected are the words tried in place of a query's words that may
	// be mistyped (a fuzzy query).
	corrected map[string][]string
	// owner is the owner's argument; keyed, whether every document has
	// its keys (Index.allKeyed).
	owner string
	keyed bool
}

// match makes the documents that match query (a tsquery's SQL) the
// candidates: those whose keys have the query's words under the owner's
// tag, found by the keys' index, then matched by their vector exactly
// (positions, for phrases: keys have none, and match a phrase's words in
// any order). Until every document has keys, by the vector alone, reading
// every document of the owner.
func (b *builder) match(query string) {
	b.where = append(b.where, "tsv @@ ("+query+")")
	if b.keyed {
		// The query as text, each quoted lexeme (a quote in one doubled)
		// with the owner's tag before it, and "followed by" (<->, <2>) as
		// "and" (no lexeme holds a "<": plain); an initplan, made once.
		b.where = append(b.where, "keys @@ (SELECT regexp_replace(regexp_replace(("+query+`)::text, '''((?:[^'']|'''')*)''', '''' || `+
			fmt.Sprintf(keyTag, b.owner)+` || '\1''', 'g'), '<(-|[0-9]+)>', '&', 'g')::tsquery)`)
	}
}

func (b *builder) arg(v any) string {
	b.args = append(b.args, v)
	return "$" + strconv.Itoa(len(b.args))
}

// textQuery is a tsquery matching text: a phrase keeps its words in order.
func (b *builder) textQuery(config, text string, phrase bool) string {
	fn := "plainto_tsquery"
	if phrase {
		fn = "phraseto_tsquery"
	}
	return once(fmt.Sprintf("%s('%s', %s)", fn, config, b.arg(vec(text))))
}

// once is a tsquery's SQL made once for a query, as an initplan: in the
// plan PostgreSQL keeps for a statement it runs again and again, the
// function would be called for every candidate, each place it is used.
func once(tsquery string) string { return "(SELECT " + tsquery + ")" }

func (x *Index) Search(ctx context.Context, owner string, q search.Query, p search.Page) (search.Result, error) {
	b := &builder{}
	if q.Fuzzy {
		var err error
		if b.corrected, err = x.corrections(ctx, owner, q); err != nil {
			return search.Result{}, err
		}
	}
	keyed, err := x.allKeyed(ctx)
	if err != nil {
		return search.Result{}, err
	}
	b.owner, b.keyed = b.arg(owner), keyed
	b.where = append(b.where, "owner_id = "+b.owner)
	m := b.ranking(q)
	// What happened comes before what is to come (a calendar's year of
	// empty occurrences), and what was written before bare meetings: the
	// whole order of a query of filters alone, and the tie-breaker after
	// the rank for words.
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	nowArg := b.arg(now.UTC())
	rank, headline, matched, wanted := m.rank, "''", "0", "0"
	if m.empty() {
		rank = `(CASE WHEN "when" <= ` + nowArg + `::timestamptz THEN 2 ELSE 0 END + CASE WHEN type <> 'meeting' THEN 1 ELSE 0 END)::real`
	} else {
		// Highlight the words as typed, in the stored (escaped) text.
		raw := strings.Join(append(append([]string{}, q.Words...), q.Phrases...), " ")
		headline = "plainto_tsquery('english', " + b.arg(raw) + ")"
		matched, wanted = m.matched, m.wanted
	}
	for _, ex := range q.Exclude {
		b.where = append(b.where, "NOT (tsv @@ "+b.textQuery("english", ex, strings.ContainsAny(ex, " \t"))+")")
	}
	if len(q.Types) > 0 {
		var ts []string
		for _, t := range q.Types {
			ts = append(ts, b.arg(t))
		}
		b.where = append(b.where, "type IN ("+strings.Join(ts, ",")+")")
	}
	if len(q.Involved) < len(q.People)+len(q.Orgs) {
		b.where = append(b.where, "false") // filters nobody resolved (search.Resolve)
	}
	for _, inv := range q.Involved {
		if len(inv.PersonIDs)+len(inv.MeetingIDs) == 0 {
			b.where = append(b.where, "false")
			continue
		}
		b.where = append(b.where, "(person_ids && "+b.arg(textArray(inv.PersonIDs))+"::text[] OR meeting_id = ANY("+b.arg(textArray(inv.MeetingIDs))+"::text[]))")
	}
	for _, v := range q.Series {
		b.where = append(b.where, "series_tsv @@ "+b.textQuery("simple", v, true))
	}
	if q.Status != "" {
		b.where = append(b.where, "status = "+b.arg(q.Status))
	}
	if q.After != nil {
		b.where = append(b.where, `"when" >= `+b.arg(q.After.UTC()))
	}
	if q.Before != nil {
		b.where = append(b.where, `"when" < `+b.arg(q.Before.UTC()))
	}
	// Equal matches of words by date: what happened, the latest first, then
	// what is to come, the soonest first (a series' occurrences); of
	// filters alone, the latest first either way.
	byDate := `"when" DESC`
	if !m.empty() {
		byDate = `CASE WHEN "when" <= ` + nowArg + `::timestamptz THEN "when" END DESC, "when"`
	}
	// The candidates with what each matched, then each word's weight by how
	// many of them have it (a word every candidate has says little), then
	// the page.
	sqlText := fmt.Sprintf(`WITH c AS (
	SELECT id, type, title, body, meeting_id, "when"%s
	FROM search_documents WHERE %s
), s AS (
	SELECT c.*, count(*) OVER () AS total%s FROM c
)
SELECT id, type, title, body, meeting_id, "when", %s AS rank, total, %s AS hq, %s AS matched, %s AS wanted
FROM s
ORDER BY rank DESC, ("when" <= %s::timestamptz) DESC, type = 'meeting', %s, id
LIMIT %s OFFSET %s`, m.columns, strings.Join(b.where, " AND "), m.counts, rank, headline, matched, wanted,
		nowArg, byDate, b.arg(p.Limit), b.arg(p.Offset))
	rows, err := x.db.QueryContext(ctx, sqlText, b.args...)
	if err != nil {
		return search.Result{}, err
	}
	defer rows.Close()
	var out search.Result
	out.Hits = []search.Hit{}
	type row struct {
		hit   search.Hit
		title string
		body  string
		hq    sql.NullString
	}
	var rs []row
	for rows.Next() {
		var r row
		var when time.Time
		var total int
		var rk float64
		var matched, wanted int
		if err := rows.Scan(&r.hit.ID, &r.hit.Type, &r.title, &r.body, &r.hit.MeetingID, &when, &rk, &total, &r.hq, &matched, &wanted); err != nil {
			return search.Result{}, err
		}
		r.hit.Partial = !q.Fuzzy && matched < wanted
		out.Total = total
		r.hit.Title, r.hit.Score = r.title, rk
		if !when.IsZero() {
			w := when.UTC()
			r.hit.StartsAt = &w
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return search.Result{}, err
	}
	words := append(slices.Clone(q.Words), q.Phrases...)
	bodies, titles := make([]string, len(rs)), make([]string, len(rs))
	for i, r := range rs {
		bodies[i], titles[i] = window(r.body, words), r.title
	}
	tsquery := "" // the query's words, the same in every row
	if len(rs) > 0 {
		tsquery = rs[0].hq.String
	}
	snippets := x.snippets(ctx, bodies, titles, tsquery)
	for i, r := range rs {
		r.hit.Snippet = snippets[i]
		if r.hit.Score <= 0 {
			r.hit.Score = 1e-6 // a filter-only match: present, not ranked
		}
		out.Hits = append(out.Hits, r.hit)
	}
	return out, nil
}

// Markers: PostgreSQL's parser reads '<' and '>' as markup (and skips what
// it takes for a script), so they travel as private-use characters, and the
// matches come back between control characters; the result is then
// escaped, and the marks become <mark> tags.
var (
	toPG   = strings.NewReplacer("<", "\ue000", ">", "\ue001")
	fromPG = strings.NewReplacer("\ue000", "<", "\ue001", ">")
	marks  = strings.NewReplacer("\x01", "<mark>", "\x02", "</mark>")
)

const headlineOpts = "StartSel=\x01, StopSel=\x02, MaxFragments=2, MaxWords=30, MinWords=8, FragmentDelimiter=\" … \""

// snippets are the hits' snippets, each the text (a body's window, or the
// title when it has none) around the query's words, HTML-escaped, the
// words in <mark>; the title's when the words are in it and not in the
// body. The headlines of a page are cut in one statement, the titles'
// in a second when one is wanted: one each was up to forty round trips a
// query, most of a search's time.
func (x *Index) snippets(ctx context.Context, bodies, titles []string, tsquery string) []string {
	texts := make([]string, len(bodies))
	for i, b := range bodies {
		texts[i] = cmp.Or(b, titles[i])
	}
	if tsquery == "" {
		for i, t := range texts {
			texts[i] = html.EscapeString(clip(t, 200))
		}
		return texts
	}
	out, marked := x.headlines(ctx, texts, tsquery)
	var again []int // the hits whose words may be in their title
	for i := range out {
		if !marked[i] && bodies[i] != "" && titles[i] != "" {
			again = append(again, i)
		}
	}
	if len(again) > 0 {
		ts := make([]string, len(again))
		for j, i := range again {
			ts[j] = titles[i]
		}
		heads, ok := x.headlines(ctx, ts, tsquery)
		for j, i := range again {
			if ok[j] {
				out[i] = heads[j]
			}
		}
	}
	return out
}

// headlines are ts_headline's cuts of texts, each with whether it marks
// a word; a text as it is (clipped, escaped) when the database fails.
func (x *Index) headlines(ctx context.Context, texts []string, tsquery string) ([]string, []bool) {
	out, marked, pg := make([]string, len(texts)), make([]bool, len(texts)), make([]string, len(texts))
	for i, t := range texts {
		out[i], pg[i] = html.EscapeString(clip(t, 200)), toPG.Replace(t)
	}
	rows, err := x.db.QueryContext(ctx, `SELECT ts_headline('english', t, $2::tsquery, $3)
		FROM unnest($1::text[]) WITH ORDINALITY AS u(t, i) ORDER BY i`, textArray(pg), tsquery, headlineOpts)
	if err != nil {
		return out, marked
	}
	defer rows.Close()
	heads := make([]string, 0, len(texts))
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return out, marked
		}
		heads = append(heads, s)
	}
	if rows.Err() != nil || len(heads) != len(texts) {
		return out, marked
	}
	for i, s := range heads {
		out[i], marked[i] = marks.Replace(html.EscapeString(fromPG.Replace(s))), strings.Contains(s, "\x01")
	}
	return out, marked
}

// A long text's snippet is cut from a window of it around the first
// place a query's word appears: ts_headline reads all of the text it is
// given, and over 20 hits of 65–200 KB transcripts that was ~80 ms a query.
const (
	windowSize   = 2000 // bytes
	windowBefore = 300
)

// window is the part of text a snippet is cut from: all of a short text;
// of a long one, windowSize bytes from a little before the first word of
// words (or of its stem: "pricing" is found as "price"), or from the start
// when none is found.
func window(text string, words []string) string {
	if len(text) <= windowSize {
		return text
	}
	at := -1
	found := func(i int) {
		if i >= 0 && (at < 0 || i < at) {
			at = i
		}
	}
	for _, w := range words {
		for _, part := range strings.Fields(w) {
			found(strings.Index(text, part)) // as typed (CJK has no word breaks)
			found(wordWithPrefix(text, stemPrefix(part)))
		}
	}
	from := max(at-windowBefore, 0)
	from, to := search.Widen(text, from, min(from+windowSize, len(text)))
	return text[from:to]
}

// stemPrefix is the start of a word that its other forms share: the word
// without its last three letters, keeping at least four.
func stemPrefix(w string) string {
	r := []rune(strings.ToLower(w))
	if len(r) > 4 {
		r = r[:max(4, len(r)-3)]
	}
	return string(r)
}

// wordWithPrefix is the byte offset of the first word of text that starts
// with prefix (any case), or -1.
func wordWithPrefix(text, prefix string) int {
	if prefix == "" {
		return -1
	}
	inWord := false
	for i, r := range text {
		letter := unicode.IsLetter(r) || unicode.IsDigit(r)
		if letter && !inWord && len(text)-i >= len(prefix) && strings.EqualFold(text[i:i+len(prefix)], prefix) {
			return i
		}
		inWord = letter
	}
	return -1
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
