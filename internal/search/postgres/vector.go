package postgres

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
)

// Building a tsvector costs PostgreSQL ~0.25 ms for a 300-word note
// (its parser, then the English stemmer), and casting the same vector
// from text a sixth of that: under a stream of edited notes the index
// fell behind by seconds on that cost (docs/performance.md). So plain
// text — ASCII words, hyphenated words, numbers and times between
// spaces and common punctuation, what most notes are — is read into a
// vector here, exactly as to_tsvector('english', …) reads it, and
// anything else (addresses, decimals, versions, paths, other scripts) is
// left to PostgreSQL, field by field. The stemmer is Snowball's English, the one PostgreSQL's
// english_stem runs; a check against the database on first use
// (Index.vectors) turns this off where they disagree.

// englishStop is PostgreSQL's English stop-word list
// (tsearch_data/english.stop): words not indexed, though they take a
// position.
var englishStop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`i me my myself we our ours ourselves you your yours yourself yourselves he
		him his himself she her hers herself it its itself they them their theirs themselves what which who whom
		this that these those am is are was were be been being have has had having do does did doing a an the
		and but if or because as until while of at by for with about against between into through during before
		after above below to from up down in out on off over under again further then once here there when where
		why how all any both each few more most other some such no nor not only own same so than too very s t
		can will just don should now`) {
		m[w] = true
	}
	return m
}()

// Limits of a tsvector: a position past maxPos is written as maxPos,
// and a lexeme keeps maxPositions of its positions; text reaching
// either is left to PostgreSQL. maxToken bounds a word read here.
const (
	maxPos       = 16383
	maxPositions = 255
	maxToken     = 64
)

// stems remembers the stems of one write's words (a batch of notes
// repeats most of them).
type stems map[string]string

// of is the lexeme of the lower-case word w: its stem, or "" for a stop
// word.
func (s stems) of(w string) string {
	if st, ok := s[w]; ok {
		return st
	}
	st := ""
	if !englishStop[w] {
		env := snowballstem.NewEnv(w)
		english.Stem(env)
		st = env.Current()
	}
	s[w] = st
	return st
}

// englishVector is s as to_tsvector('english', s) reads it, in tsvector's
// input syntax, and true; or false when s holds anything this does not
// read exactly as PostgreSQL does. Text without a word is false too (the
// database's empty vector costs it nothing).
func englishVector(s string, st stems) (string, bool) {
	// Each word's lexeme (an index into lexemes) and position, in the
	// order of the text.
	type token struct{ lexeme, pos int32 }
	var (
		tokens  = make([]token, 0, len(s)/6)
		lexemes []string
		index   = make(map[string]int32, 64)
		pos     int32
	)
	// add reads the next word (lower case) at the next position: a
	// number as it is, a word by its stem, none for a stop word; false
	// past the last position.
	add := func(word string, number bool) bool {
		if pos++; pos > maxPos {
			return false
		}
		if !number {
			if word = st.of(word); word == "" {
				return true // a stop word
			}
		}
		n, ok := index[word]
		if !ok {
			n = int32(len(lexemes))
			index[word] = n
			lexemes = append(lexemes, word)
		}
		tokens = append(tokens, token{n, pos})
		return true
	}
	for i := 0; i < len(s); {
		c := s[i]
		if !isAlnum(c) {
			if !plainBetween(s, i) {
				return "", false
			}
			i++
			continue
		}
		j, letters, digits, upper := i, false, false, false
		for ; j < len(s) && isAlnum(s[j]); j++ {
			switch d := s[j]; {
			case isDigit(d):
				digits = true
			case d <= 'Z':
				letters, upper = true, true
			default:
				letters = true
			}
		}
		if j-i > maxToken || letters && digits && isDigit(c) {
			// A long word, or a number that runs into letters ("1e5", "2nd"),
			// which the parser may read as a float, or in parts.
			return "", false
		}
		if !digits && j+1 < len(s) && s[j] == '-' && isAlnum(s[j+1]) {
			// A hyphenated word of letters ("bi-weekly", "state-of-the-art"):
			// the parser reads it whole, then each of its parts, a position
			// each.
			parts := []string{s[i:j]}
			k := j
			for k+1 < len(s) && s[k] == '-' && isAlnum(s[k+1]) {
				m := k + 1
				for ; m < len(s) && isAlnum(s[m]); m++ {
					if isDigit(s[m]) {
						return "", false // "x-1", "beta-2b": numbers the parser reads its own way
					}
				}
				parts = append(parts, s[k+1:m])
				k = m
			}
			if k-i > maxToken || k < len(s) && s[k] == '-' {
				return "", false // "a-b-", "a-b--c"
			}
			if !add(strings.ToLower(s[i:k]), false) {
				return "", false
			}
			for _, p := range parts {
				if !add(strings.ToLower(p), false) {
					return "", false
				}
			}
			i = k
			continue
		}
		word := s[i:j]
		if upper {
			word = strings.ToLower(word)
		}
		i = j
		if !add(word, digits) {
			return "", false
		}
	}
	if len(lexemes) == 0 {
		return "", false
	}
	// The positions of each lexeme, in order: a counting sort of the
	// tokens by lexeme.
	start := make([]int, len(lexemes)+1)
	for _, t := range tokens {
		start[t.lexeme+1]++
	}
	for k := range lexemes {
		if start[k+1] > maxPositions {
			return "", false
		}
		start[k+1] += start[k]
	}
	at := slices.Clone(start[:len(lexemes)])
	positions := make([]int32, len(tokens))
	for _, t := range tokens {
		positions[at[t.lexeme]] = t.pos
		at[t.lexeme]++
	}
	b := make([]byte, 0, len(s)+len(s)/2)
	for k, l := range lexemes {
		if k > 0 {
			b = append(b, ' ')
		}
		b = append(append(append(b, '\''), l...), "':"...) // letters, digits and hyphens: nothing to quote
		for n, p := range positions[start[k]:start[k+1]] {
			if n > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(p), 10)
		}
	}
	return string(b), true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlnum(c byte) bool { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z' }

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// plainBetween reports whether s[i], which is not a letter or digit, only
// separates words for PostgreSQL's parser: spaces and most punctuation
// always; an at sign after a space (a mention, not an address); a colon
// between digits ("10:30"); a full stop or colon before a space or the
// end (not "a.b"); a dash alone between spaces (not "-5"; the dash of a
// hyphenated word is read with it).
func plainBetween(s string, i int) bool {
	spaceOrEnd := func(k int) bool { return k < 0 || k >= len(s) || isSpace(s[k]) }
	switch c := s[i]; {
	case isSpace(c), strings.IndexByte(`,;!?()"[]*'%$={}#|^`, c) >= 0:
		return true
	case c == '@':
		// A mention ("@ann"), not an address ("ann@example.com").
		return i == 0 || isSpace(s[i-1]) || strings.IndexByte(`([`, s[i-1]) >= 0
	case c == ':' && i > 0 && i+1 < len(s) && isDigit(s[i-1]) && isDigit(s[i+1]):
		return true // a time: "10:30" is two numbers
	case c == '.' || c == ':':
		return spaceOrEnd(i + 1)
	case c == '-':
		return spaceOrEnd(i-1) && spaceOrEnd(i+1)
	}
	return false
}

// vectorProbe is text the check on first use reads both ways: every stop
// word, and words whose stems take Snowball's rarer steps.
var vectorProbe = func() string {
	words := make([]string, 0, len(englishStop))
	for w := range englishStop {
		words = append(words, w)
	}
	slices.Sort(words)
	return strings.Join(words, " ") + ` Generously, the "generalizations" of communism's arsenal: running (dying) lying!
		skies sky news innings outing canning herring earring proceed exceed succeed cannily idly gently ugly early
		only singly consign consigned consigning consignment consist consisted consistency consistent consistently
		consisting consists consolation knack knackeries knaves knee kneel kneeling knew knife knight knights 2026 007
		q3 v2 abc123 agreement relational conditional rational valenci hesitanci digitizer conformabli radicalli
		differentli vileli analogousli vietnamization predication operator feudalism decisiveness hopefulness
		callousness formaliti sensitiviti sensibiliti triplicate formative formalize electriciti electrical
		hopeful goodness revival allowance inference airliner gyroscopic adjustable defensible animism
		adoption homologou communism activate angulariti homologous effective bowdlerize dying tying lying
		state-of-the-art Up-To-Date e-mail at 10:30 @ann`
}()

// vectors reports whether this database reads text as englishVector
// does, asking it once (a database whose stemmer or stop words differ —
// another PostgreSQL version, or a changed "english" — keeps building
// every vector itself).
func (x *Index) vectors(ctx context.Context) bool {
	x.vecMu.Lock()
	defer x.vecMu.Unlock()
	if !x.vecKnown {
		lit, ok := englishVector(vec(vectorProbe), stems{})
		if ok && x.db.QueryRowContext(ctx, "SELECT $1::tsvector = to_tsvector('english', $2)", lit, vec(vectorProbe)).Scan(&x.vecOK) != nil {
			return false // asked again next time
		}
		x.vecKnown = true
	}
	return x.vecOK
}
