// Package search owns Debrief's search: the query language people type, the
// index interface its backends (bleve, PostgreSQL full-text) implement, and
// the documents the graph is indexed as.
package search

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/debrief-hq/debrief/internal/apperr"
)

// Document types.
const (
	TypeMeeting    = "meeting"
	TypeNote       = "note"
	TypeDecision   = "decision"
	TypeActionItem = "action_item"
	TypeQuestion   = "question"
	TypePerson     = "person"
)

// Types are the document types, in the order results list them.
var Types = []string{TypeMeeting, TypeNote, TypeDecision, TypeActionItem, TypeQuestion, TypePerson}

// Query is a parsed search: what to match, what to leave out, and filters.
type Query struct {
	// Words are what to look for, in the order typed (stemmed, in any
	// field): a document matching more of them ranks higher, and one
	// matching none is no hit. A question typed as a sentence is found by
	// the words that carry its meaning, stop words not needed.
	Words []string
	// Must are the words of Words a hit must have: typed +word, or joined
	// by AND ("budget AND q3").
	Must    []string
	Phrases []string // each must match as a phrase
	Exclude []string // words or phrases that must not match
	Types   []string // any of (empty: all)
	People  []string // a person involved, by name or email (all must match)
	Orgs    []string // an organization involved, by name or domain
	// Involved are People and Orgs as the service resolved them, one each
	// and in that order; backends filter by these, never by the text.
	Involved []Involvement
	Series   []string // the meeting series, by title
	After    *time.Time
	Before   *time.Time
	Status   string // "open" or "done" (action items, questions), "" = either
	// Fuzzy: words of MinFuzzy letters or more also match words a letter
	// or two off ("recieve" → "receive"); the service retries a query
	// that found nothing with it.
	Fuzzy bool
	// Prefix: the last of Words is still being typed ("roadm"), and
	// matches the words it starts ("roadmap") as well as itself.
	Prefix bool
	// open is whether the query ends with a bare word (no space after it,
	// not a filter or phrase): the one Prefix may apply to.
	open bool
	// Now is when the query is asked: a query of filters alone (person:,
	// series:, type:…) ranks what happened before it above what is to come,
	// and what was written (notes, items, decisions) above bare meetings.
	Now time.Time
}

// MinFuzzy is the shortest word matched with a typo: shorter words are
// a letter away from too many others. Words of MinFuzzy letters may be one
// letter off, longer ones two.
const MinFuzzy = 5

// Fuzziness is how many letters w may be off when q is fuzzy: 0 for a word
// too short, or not letters alone (a number, a version, an id, an address:
// "q3" is not a typo of "q4").
func Fuzziness(w string) int {
	n := utf8.RuneCountInString(w)
	switch {
	case n < MinFuzzy || !letters(w):
		return 0
	case n == MinFuzzy:
		return 1
	}
	return 2
}

// Typos reports whether a retry with Fuzzy could find more: some word is
// long enough to be matched a letter or two off.
func (q Query) Typos() bool {
	for _, w := range q.Words {
		if Fuzziness(w) > 0 {
			return true
		}
	}
	return false
}

// MinPrefix is the shortest last word matched as a prefix: shorter ones
// start too many words to be worth it (two letters matched the commonest
// words of a million documents, p99 23 ms against 18 from three;
// docs/performance.md).
const MinPrefix = 3

// PrefixWord is the last word when it is matched as a prefix, else "".
func (q Query) PrefixWord() string {
	if !q.Prefix || len(q.Words) == 0 {
		return ""
	}
	w := q.Words[len(q.Words)-1]
	if utf8.RuneCountInString(w) < MinPrefix {
		return ""
	}
	return w
}

func letters(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// PlainWord reports whether w is letters and digits only: a word both
// backends can match as a prefix as it is.
func PlainWord(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return w != ""
}

// Filters reports whether the query has no words or phrases to rank by.
func (q Query) Filters() bool { return len(q.Words) == 0 && len(q.Phrases) == 0 }

// Involvement is a person: or org: filter resolved: a document matches
// when it names one of the people (or is one) or belongs to one of the
// meetings (those the people attended). Both empty: it matches nothing.
type Involvement struct {
	PersonIDs  []string
	MeetingIDs []string
}

// Limits on a query.
const (
	MaxQueryLen = 500
	maxTerms    = 32
	// before:/after: dates.
	minYear, maxYear = 1900, 2200
)

// filterKeys are the filters the language knows; any other `word:` is a
// word.
var filterKeys = map[string]bool{"type": true, "person": true, "org": true, "series": true, "before": true, "after": true, "is": true}

// ParseQuery reads a query as people type it: words, +required words (or
// words joined by AND), "quoted phrases", -excluded words or "phrases",
// and filters type:, person:, org:, series:,
// before:/after: (YYYY-MM-DD, in loc), is:open|done. Filter values may be
// quoted (person:"Ada Lovelace"). Anything it cannot read is a field error
// on q that says what is wrong.
func ParseQuery(q string, loc *time.Location) (Query, error) {
	var out Query
	fail := func(format string, args ...any) (Query, error) {
		var f apperr.Fields
		f.Add("q", format, args...)
		return Query{}, f.Err()
	}
	if !utf8.ValidString(q) || strings.ContainsRune(q, 0) {
		return fail("must be UTF-8 text without NUL characters")
	}
	if len(q) > MaxQueryLen {
		return fail("is longer than %d characters", MaxQueryLen)
	}
	toks, err := tokenize(q)
	if err != nil {
		return fail("%s", err)
	}
	if len(toks) > maxTerms {
		return fail("has more than %d terms", maxTerms)
	}
	and := false // the word before was followed by AND
	for i, t := range toks {
		out.open = false
		if t.word() && t.value == "AND" && i > 0 && i+1 < len(toks) && toks[i-1].word() && toks[i+1].word() {
			// "budget AND q3": both words required.
			if prev := strings.TrimPrefix(toks[i-1].value, "+"); prev != "" {
				out.Must = appendNew(out.Must, prev)
			}
			and = true
			continue
		}
		if t.word() && t.value == "OR" && i > 0 && i+1 < len(toks) && toks[i-1].word() && toks[i+1].word() {
			continue // what words do anyway
		}
		if t.key != "" {
			if t.neg {
				return fail("-%s: filters cannot be excluded", t.key)
			}
			if t.value == "" {
				return fail("%s: needs a value, as in %s", t.key, example(t.key))
			}
			switch t.key {
			case "type":
				typ := strings.ToLower(t.value)
				if typ == "action" || typ == "action-item" || typ == "actionitem" {
					typ = TypeActionItem
				}
				if !validType(typ) {
					return fail("type:%s is not one of %s", t.value, strings.Join(Types, ", "))
				}
				out.Types = appendNew(out.Types, typ)
			case "person":
				out.People = append(out.People, t.value)
			case "org":
				out.Orgs = append(out.Orgs, t.value)
			case "series":
				out.Series = append(out.Series, t.value)
			case "is":
				s := strings.ToLower(t.value)
				if s == "closed" || s == "completed" {
					s = "done"
				}
				if s != "open" && s != "done" {
					return fail("is:%s is neither is:open nor is:done", t.value)
				}
				if out.Status != "" && out.Status != s {
					return fail("is:open and is:done together match nothing")
				}
				out.Status = s
			case "before", "after":
				d, err := time.ParseInLocation(time.DateOnly, t.value, loc)
				if err != nil {
					return fail("%s:%s is not a date such as %s:2026-03-01", t.key, t.value, t.key)
				}
				if d.Year() < minYear || d.Year() > maxYear {
					// Past these, bleve's dates (nanoseconds since 1970 in
					// an int64) overflow.
					return fail("%s:%s is not between the years %d and %d", t.key, t.value, minYear, maxYear)
				}
				if t.key == "before" {
					out.Before = &d
				} else {
					out.After = &d
				}
			}
			continue
		}
		switch {
		case t.neg:
			out.Exclude = append(out.Exclude, t.value)
		case t.phrase:
			out.Phrases = append(out.Phrases, t.value)
		default:
			w, must := t.value, and
			if len(w) > 1 && w[0] == '+' {
				w, must = w[1:], true
			}
			out.Words = append(out.Words, w)
			if must {
				out.Must = appendNew(out.Must, w)
			}
			out.open = true
		}
		and = false
	}
	if r, _ := utf8.DecodeLastRuneInString(q); unicode.IsSpace(r) {
		out.open = false
	}
	if out.Before != nil && out.After != nil && !out.Before.After(*out.After) {
		return fail("before:%s is not after after:%s", out.Before.Format(time.DateOnly), out.After.Format(time.DateOnly))
	}
	if len(out.Words) == 0 && len(out.Phrases) == 0 && len(out.Types) == 0 && len(out.People) == 0 &&
		len(out.Orgs) == 0 && len(out.Series) == 0 && out.After == nil && out.Before == nil && out.Status == "" {
		if len(out.Exclude) > 0 {
			return fail("says only what to leave out; add something to look for")
		}
		return fail("is empty; type words to look for")
	}
	return out, nil
}

func example(key string) string {
	switch key {
	case "type":
		return "type:decision"
	case "person":
		return `person:ada@example.com or person:"Ada Lovelace"`
	case "org":
		return "org:acme.com"
	case "series":
		return `series:"Weekly sync"`
	case "is":
		return "is:open"
	}
	return key + ":2026-03-01"
}

func validType(t string) bool {
	for _, x := range Types {
		if x == t {
			return true
		}
	}
	return false
}

func appendNew(ss []string, s string) []string {
	for _, x := range ss {
		if x == s {
			return ss
		}
	}
	return append(ss, s)
}

// token is one term of a query.
type token struct {
	neg    bool
	phrase bool
	key    string // a known filter, lower-case
	value  string
}

// word reports whether t is a bare word: not a filter, phrase or exclusion.
func (t token) word() bool { return t.key == "" && !t.neg && !t.phrase }

// tokenize splits a query into terms: whitespace separates them, double
// quotes group (a phrase, or a filter's value), a leading '-' excludes.
func tokenize(q string) ([]token, error) {
	var out []token
	rs := []rune(q)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		var t token
		if rs[i] == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) {
			t.neg = true
			i++
		}
		if rs[i] == '"' {
			v, n, err := quoted(rs, i)
			if err != nil {
				return nil, err
			}
			i = n
			t.phrase, t.value = true, strings.TrimSpace(v)
			if t.value != "" {
				out = append(out, t)
			}
			continue
		}
		start := i
		for i < len(rs) && !unicode.IsSpace(rs[i]) && rs[i] != ':' && rs[i] != '"' {
			i++
		}
		word := string(rs[start:i])
		if i < len(rs) && rs[i] == ':' && filterKeys[strings.ToLower(word)] {
			t.key = strings.ToLower(word)
			i++
			if i < len(rs) && rs[i] == '"' {
				v, n, err := quoted(rs, i)
				if err != nil {
					return nil, err
				}
				t.value, i = strings.TrimSpace(v), n
			} else {
				vs := i
				for i < len(rs) && !unicode.IsSpace(rs[i]) {
					i++
				}
				t.value = string(rs[vs:i])
			}
			out = append(out, t)
			continue
		}
		// Not a filter: the word runs to the next space (a ':' or a quote
		// inside it is part of it: "10:30", `it's`).
		for i < len(rs) && !unicode.IsSpace(rs[i]) {
			i++
		}
		t.value = strings.Trim(string(rs[start:i]), `"`)
		if t.value != "" {
			out = append(out, t)
		}
	}
	return out, nil
}

// quoted reads a double-quoted string starting at rs[i], returning it and
// the index after the closing quote.
func quoted(rs []rune, i int) (string, int, error) {
	for j := i + 1; j < len(rs); j++ {
		if rs[j] == '"' {
			return string(rs[i+1 : j]), j + 1, nil
		}
	}
	return "", 0, fmt.Errorf(`has a " that is never closed`)
}
