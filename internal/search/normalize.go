package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

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
	if ascii(s) {
		return s // nothing to fold: most text, at a tenth of the cost
	}
	folded, _, err := transform.String(fold(), s)
	if err != nil {
		return s
	}
	return folded
}

// Normalize prepares text for a backend whose analyser knows neither
// accents nor scripts without spaces (PostgreSQL's "english"): accents are
// folded, and runs of CJK characters are written as overlapping bigrams
// ("提高价格" → "提高 高价 价格"), the way bleve's analyser indexes them;
// and irregular verb forms are written as their base ("frozen" →
// "freeze"), as bleve's analyser reads them.
func Normalize(s string) string {
	folded := baseForms(FoldAccents(s))
	if !strings.ContainsFunc(folded, isCJK) && utf8.ValidString(folded) {
		return folded // what the loop below would write (it writes bad bytes as U+FFFD)
	}
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
	// Below U+1100 (Hangul Jamo) there is none of them: most text is
	// answered without looking in the tables.
	return r >= 0x1100 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// baseForms writes the irregular verb forms of s as their base forms.
func baseForms(s string) string {
	var b strings.Builder
	last, start := 0, -1 // bytes of s written; the word being read
	end := func(at int) {
		if w := s[start:at]; len(w) <= maxIrregular {
			lw := strings.ToLower(w)
			if base := BaseForm(lw); base != lw {
				b.WriteString(s[last:start])
				b.WriteString(base)
				last = at
			}
		}
		start = -1
	}
	for i, r := range s {
		letter := r < utf8.RuneSelf && unicode.IsLetter(r)
		if letter && start < 0 {
			start = i
		} else if !letter && start >= 0 {
			end(i)
		}
	}
	if start >= 0 {
		end(len(s))
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}
