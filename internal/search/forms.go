package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// irregular are English verb forms a suffix-stripping stemmer cannot bring
// to their base ("frozen" is not "freez" to Porter), by the form. Forms that
// are common words of their own ("left", "found", "lay", "saw", "bit",
// "sat") are not here: "the left column" is not about leaving.
var irregular = map[string]string{}

// maxIrregular is the longest form's length: longer words are none.
var maxIrregular int

func init() {
	// base: its other forms.
	for base, forms := range map[string]string{
		"arise": "arose arisen", "awake": "awoke awoken", "bear": "borne", "begin": "began begun",
		"bend": "bent", "bite": "bitten", "blow": "blew blown", "break": "broke broken", "bring": "brought",
		"build": "built", "buy": "bought", "catch": "caught", "choose": "chose chosen", "deal": "dealt",
		"draw": "drew drawn", "drink": "drank drunk", "drive": "drove driven", "eat": "ate eaten",
		"fall": "fell fallen", "feel": "felt", "fight": "fought", "fly": "flew flown", "forbid": "forbade forbidden",
		"forget": "forgot forgotten", "forgive": "forgave forgiven", "freeze": "froze frozen", "get": "got gotten",
		"give": "gave given", "grow": "grew grown", "hide": "hid hidden", "hold": "held", "keep": "kept",
		"know": "knew known", "lead": "led", "lend": "lent", "lose": "lost", "make": "made", "mean": "meant",
		"meet": "met", "pay": "paid", "ride": "rode ridden", "ring": "rang rung", "rise": "rose risen",
		"run": "ran", "say": "said", "seek": "sought", "sell": "sold", "send": "sent", "shake": "shook shaken",
		"shoot": "shot", "show": "shown", "shrink": "shrank shrunk", "sing": "sang sung", "sink": "sank sunk",
		"sleep": "slept", "speak": "spoke spoken", "spend": "spent", "stand": "stood",
		"steal": "stole stolen", "stick": "stuck", "strike": "struck stricken", "swear": "swore sworn",
		"swim": "swam swum", "take": "took taken", "teach": "taught", "tear": "tore torn", "tell": "told",
		"think": "thought", "throw": "threw thrown", "understand": "understood", "wake": "woke woken",
		"wear": "wore worn", "weave": "wove woven", "win": "won", "withdraw": "withdrew withdrawn",
		"write": "wrote written", "undertake": "undertook undertaken", "overtake": "overtook overtaken",
		"rewrite": "rewrote rewritten", "mistake": "mistook mistaken",
	} {
		for _, f := range strings.Fields(forms) {
			irregular[f] = base
			maxIrregular = max(maxIrregular, len(f))
		}
	}
}

// BaseFormOf is BaseForm for a term as bytes, and whether it has one (a
// token filter's way: no string is made of terms that have none).
func BaseFormOf(term []byte) (string, bool) {
	b, ok := irregular[string(term)]
	return b, ok
}

// BaseForm is the base form of an irregular English verb form ("frozen" →
// "freeze"), else w itself. w is lower-case.
func BaseForm(w string) string {
	if b, ok := irregular[w]; ok {
		return b
	}
	return w
}

// Ways are the ways a query's word is looked for: itself, or a word
// written with hyphens as its parts apart and as one ("bi-weekly" → "bi
// weekly", "biweekly"), so that it finds each way of writing it.
func Ways(w string) []string {
	if !strings.Contains(w, "-") {
		return []string{w}
	}
	return append([]string{strings.ReplaceAll(w, "-", " ")}, Joined(w)...)
}

// Joined are the words of text written with hyphens as one word
// ("bi-weekly" → "biweekly", "state-of-the-art" → "stateoftheart"): a
// backend indexes them beside the parts, so that each way of writing one
// finds the others.
func Joined(text string) []string {
	if !hyphenated(text) {
		return nil // most text, without reading it word by word
	}
	var out []string
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' }) {
		f = strings.Trim(f, "-")
		if !strings.Contains(f, "-") {
			continue
		}
		parts := strings.FieldsFunc(f, func(r rune) bool { return r == '-' })
		if len(parts) > 1 {
			out = append(out, strings.Join(parts, ""))
		}
	}
	return out
}

// hyphenated reports whether text has a run of hyphens between two
// letters or digits ("bi-weekly", "a--b"; not the dash of "- item").
func hyphenated(text string) bool {
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i := 0; ; {
		j := strings.IndexByte(text[i:], '-')
		if j < 0 {
			return false
		}
		start, end := i+j, i+j
		for end < len(text) && text[end] == '-' {
			end++
		}
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if start > 0 && end < len(text) && word(before) && word(after) {
			return true
		}
		i = end
	}
}

// frame are the words a question is framed with ("what did Anna think
// about the pricing", "summarize the discussion of the launch"): in a
// question of other words they carry nothing of what it asks about, and
// every meeting has them.
var frame = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`summarize summarise summary discuss discussed discussing discussion discussions
		think thinks thought opinion opinions view views say says said talk talked talking tell told mention mentioned
		what why how which who whom whose when where did does do was were is are`) {
		frame[w] = true
	}
}

// FrameWord reports whether w (any case) is a word questions are framed
// with.
func FrameWord(w string) bool { return frame[strings.ToLower(w)] }

// Framing reports whether the query's word i only frames a question: a
// word such as "what", "think" or "discussion" among words that are not
// ("discussion" alone is looked for). Backends rank by the other words.
func (q Query) Framing(i int) bool {
	if !FrameWord(q.Words[i]) || slices.Contains(q.Must, q.Words[i]) {
		return false
	}
	for _, w := range q.Words {
		if !FrameWord(w) {
			return true
		}
	}
	return false
}

// Distance is the number of letters to insert, delete or change to make a
// into b (Levenshtein's), or limit+1 when it is more than limit.
func Distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return min(prev[len(rb)], limit+1)
}
