package search

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// fold removes accents: "Überweisung" and "uberweisung" are one word. A
// chain keeps state while it runs, so each call makes its own.
func fold() transform.Transformer {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}

// FoldAccents removes accents from s ("Überweisung" → "Uberweisung"), as
// both backends index words.
func FoldAccents(s string) string {
	folded, _, err := transform.String(fold(), s)
	if err != nil {
		return s
	}
	return folded
}

// Normalize prepares text for a backend whose analyser knows neither
// accents nor scripts without spaces (PostgreSQL's "english"): accents are
// folded, and runs of CJK characters are written as overlapping bigrams
// ("提高价格" → "提高 高价 价格"), the way bleve's analyser indexes them.
func Normalize(s string) string {
	folded := FoldAccents(s)
	var b strings.Builder
	var run []rune
	flush := func() {
		switch len(run) {
		case 0:
		case 1:
			b.WriteString(" " + string(run) + " ")
		default:
			for i := 0; i+1 < len(run); i++ {
				b.WriteString(" " + string(run[i:i+2]))
			}
			b.WriteByte(' ')
		}
		run = run[:0]
	}
	for _, r := range folded {
		if isCJK(r) {
			run = append(run, r)
			continue
		}
		flush()
		b.WriteRune(r)
	}
	flush()
	return b.String()
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}
