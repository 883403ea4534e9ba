package bleve

import (
	"errors"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/debrief-hq/debrief/internal/search"
)

// foldName is the token filter that folds accents and CJK widths. bleve's
// asciifolding is a character filter: it shortens the text before the
// tokenizer, so the match positions highlighting uses were off by one byte
// for every accent before them ("Ärger über di<mark>e Überweis</mark>ung").
// A token filter changes terms and leaves their positions on the text as
// written. It passes ASCII terms, nearly all of them, untouched: bleve's
// width filter alone rebuilt every term (4 % of a rebuild's CPU).
const foldName = "debrief_fold"

type foldFilter struct{ width *cjk.CJKWidthFilter }

func (f foldFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for i, tok := range in {
		if isASCII(tok.Term) {
			continue
		}
		f.width.Filter(in[i : i+1]) // full-width Latin to ASCII, half-width kana to full
		tok.Term = []byte(search.FoldAccents(string(tok.Term)))
	}
	return in
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// bleve finds analysis parts by name in its registry, which is its own
// package state: the filter is registered once, with the package.
func init() {
	err := errors.Join(
		registry.RegisterTokenFilter(foldName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return foldFilter{width: cjk.NewCJKWidthFilter()}, nil
		}),
		registry.RegisterTokenFilter(formsName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return formsFilter{}, nil
		}),
		registry.RegisterTokenizer(tokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
			return joiningTokenizer{unicode.NewUnicodeTokenizer()}, nil
		}))
	if err != nil {
		panic(err) // only if a name is taken: a programming error
	}
}

// formsName is the token filter that brings irregular verb forms to their
// base ("frozen" → "freeze") before the stemmer, which cannot.
const formsName = "debrief_forms"

type formsFilter struct{}

func (formsFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, tok := range in {
		if b, ok := search.BaseFormOf(tok.Term); ok {
			tok.Term = []byte(b)
		}
	}
	return in
}

// tokenizerName is bleve's Unicode word tokenizer that also gives a word
// written with hyphens as one ("bi-weekly" is "bi", "weekly" and
// "biweekly"), so that "biweekly" finds it, and "bi weekly" does by its
// joined pair. The joined word spans the parts, at the last one's position.
const tokenizerName = "debrief_words"

type joiningTokenizer struct{ words analysis.Tokenizer }

func (t joiningTokenizer) Tokenize(input []byte) analysis.TokenStream {
	toks := t.words.Tokenize(input)
	out := toks
	for i := 0; i+1 < len(toks); {
		j := i
		for j+1 < len(toks) && toks[j].End+1 == toks[j+1].Start && input[toks[j].End] == '-' {
			j++
		}
		if j > i {
			joined := &analysis.Token{Start: toks[i].Start, End: toks[j].End, Position: toks[j].Position, Type: analysis.AlphaNumeric}
			for k := i; k <= j; k++ {
				joined.Term = append(joined.Term, toks[k].Term...)
			}
			out = append(out, joined)
		}
		i = j + 1
	}
	return out
}

func indexMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	err := m.AddCustomAnalyzer(analyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     tokenizerName,
		"token_filters": []string{lowercase.Name, foldName, cjk.BigramName, en.PossessiveName, en.StopName, formsName, porter.Name},
	})
	if err != nil {
		return nil, err
	}
	text := func(store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer, f.Store, f.IncludeTermVectors, f.IncludeInAll = analyzer, store, true, false
		return f
	}
	kw := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer, f.Store, f.IncludeInAll = keyword.Name, true, false
		return f
	}
	d := bleve.NewDocumentStaticMapping()
	d.AddFieldMappingsAt("title", text(true))
	d.AddFieldMappingsAt("body", text(false))
	d.AddFieldMappingsAt("people", text(false))
	d.AddFieldMappingsAt("orgs", text(false))
	d.AddFieldMappingsAt("series", text(false))
	d.AddFieldMappingsAt("owner", kw())
	d.AddFieldMappingsAt("type", kw())
	d.AddFieldMappingsAt("status", kw())
	d.AddFieldMappingsAt("meeting_id", kw())
	d.AddFieldMappingsAt("person_ids", kw())
	storedOnly := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Index, f.Store, f.IncludeInAll = false, true, false
		return f
	}
	d.AddFieldMappingsAt("hash", storedOnly())
	d.AddFieldMappingsAt("body_hash", storedOnly())
	when := bleve.NewDateTimeFieldMapping()
	when.Store, when.IncludeInAll = true, false
	d.AddFieldMappingsAt("when", when)
	m.DefaultMapping = d
	// BM25: a word's weight saturates as it repeats, and a long body does
	// not win by its length.
	m.ScoringModel = index.BM25Scoring
	m.DefaultAnalyzer = analyzer
	return m, nil
}
