package capture

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
)

// Known is an item a note already holds: its kind, the block id of its
// line and its text as last saved, and whether its line had already left
// the note.
type Known struct {
	Kind    Kind
	BlockID string
	Text    string
	Gone    bool
}

// Match gives the lines that come without a block id (a second device, a
// script, an editor that missed the server's rewrite) the id of the item
// they continue, so a save never doubles an item: first a line whose text
// is an unclaimed item's text (a line moved, a box ticked, a line put back),
// then a line near an item the note held until this save (retyped), best
// pairs first. A line carrying an id keeps it; the
// second line carrying the same id (a copied line) is a line without one.
// Items of another kind are never matched. The lines left without an id
// are new items; AssignBlockIDs gives them one.
func Match(items []Item, known []Known) []Item {
	out := make([]Item, len(items))
	copy(out, items)
	if len(known) == 0 {
		return out
	}
	claimed, loose := claims(out)
	if len(loose) == 0 {
		return out
	}
	for _, i := range loose {
		out[i].BlockID = ""
	}
	var free []int // items no line claims, in the note's order
	for j, k := range known {
		if !claimed[k.BlockID] {
			free = append(free, j)
		}
	}
	if len(free) == 0 {
		return out
	}
	// The same text first.
	byText := make(map[matchKey][]int, len(free))
	for _, j := range free {
		key := matchKey{known[j].Kind, normalize(known[j].Text)}
		byText[key] = append(byText[key], j)
	}
	taken := make(map[int]bool, len(free))
	var rest []int
	for _, i := range loose {
		key := matchKey{out[i].Kind, normalize(out[i].Text)}
		if js := byText[key]; len(js) > 0 {
			out[i].BlockID = known[js[0]].BlockID
			taken[js[0]] = true
			byText[key] = js[1:]
			continue
		}
		rest = append(rest, i)
	}
	var left []int
	for _, j := range free {
		if !taken[j] && !known[j].Gone {
			left = append(left, j)
		}
	}
	if len(rest) == 0 || len(left) == 0 || len(rest)*len(left) > maxNearPairs {
		return out
	}
	// Then near: every pair of a line and an item of its kind scored by the
	// words they share, the best pairs first.
	type pair struct {
		line, item int
		score      float64
	}
	var pairs []pair
	words := make(map[int][]string, len(left))
	for _, j := range left {
		words[j] = wordsOf(known[j].Text)
	}
	for _, i := range rest {
		w := wordsOf(out[i].Text)
		for _, j := range left {
			if known[j].Kind != out[i].Kind {
				continue
			}
			if s := similarity(w, words[j]); s >= nearEnough {
				pairs = append(pairs, pair{i, j, s})
			}
		}
	}
	// The highest score first; ties go to the earlier line, then the
	// earlier item.
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := cmp.Compare(a.line, b.line); c != 0 {
			return c
		}
		return cmp.Compare(a.item, b.item)
	})
	used, done := map[int]bool{}, map[int]bool{}
	for _, p := range pairs {
		if done[p.line] || used[p.item] {
			continue
		}
		out[p.line].BlockID = known[p.item].BlockID
		done[p.line], used[p.item] = true, true
	}
	return out
}

// claims are the block ids lines carry (the first line of each), and the
// lines without one of their own: no id, or the id of a line above.
func claims(items []Item) (claimed map[string]bool, loose []int) {
	claimed = make(map[string]bool, len(items))
	for i, it := range items {
		if it.BlockID != "" && !claimed[it.BlockID] {
			claimed[it.BlockID] = true
			continue
		}
		loose = append(loose, i)
	}
	return claimed, loose
}

// AllClaimed reports whether every line carries a block id of its own (the
// common save, with nothing to match).
func AllClaimed(items []Item) bool {
	_, loose := claims(items)
	return len(loose) == 0
}

// nearEnough is the share of words a retyped line must keep to stay its
// item (Dice's coefficient over distinct words), and maxNearPairs bounds
// the pairs compared (a note pasted whole with no ids into a note of
// thousands of other items is matched by text only).
const (
	nearEnough   = 0.6
	maxNearPairs = 250_000
)

type matchKey struct {
	kind Kind
	text string
}

// normalize is a line's text as compared: lower case, its words separated
// by one space, without a block id or trailing punctuation.
func normalize(s string) string {
	if rest, id := cutBlockID(s); id != "" {
		s = rest
	}
	return strings.Join(wordsOfAll(s), " ")
}

// wordsOfAll are a text's words in order, lower case (@mentions and dates
// keep their punctuation inside).
func wordsOfAll(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == ';' || r == '!' || r == '?' || r == '(' || r == ')' || r == '"'
	})
	out := f[:0]
	for _, w := range f {
		if w = strings.TrimRight(w, ".:"); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// wordsOf are a text's distinct words.
func wordsOf(s string) []string {
	all := wordsOfAll(s)
	seen := make(map[string]bool, len(all))
	out := all[:0]
	for _, w := range all {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// similarity is Dice's coefficient of two sets of words.
func similarity(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	small, large := a, b
	if len(small) > len(large) {
		small, large = large, small
	}
	in := make(map[string]bool, len(large))
	for _, w := range large {
		in[w] = true
	}
	common := 0
	for _, w := range small {
		if in[w] {
			common++
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}
