// Package capture owns the note parser: it reads a Markdown note body and
// finds what the user meant as structure — action items (`!!`, `- [ ]`,
// `- [x]`), open questions (`??`), decisions (`Decision:` / `Decided:`),
// @mentions, due-date phrases and the block ids (` ^k3x9`) the server
// appends to extracted lines. It is pure (no I/O, no clock), never panics,
// and returns substrings of its input rather than copies.
package capture

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is what an extracted line is.
type Kind uint8

const (
	KindAction Kind = iota + 1
	KindQuestion
	KindDecision
)

func (k Kind) String() string {
	switch k {
	case KindAction:
		return "action"
	case KindQuestion:
		return "question"
	case KindDecision:
		return "decision"
	}
	return "none"
}

// Mention is an @mention. Handle is what follows the @ ("alice",
// "alice@acme.com", "Alice"); Next holds up to two capitalised words that
// follow it, so "@Alice Smith" can be resolved to a full name.
type Mention struct {
	Handle string
	Next   []string
	Line   int
	// At is the byte offset of the "@" in the text it was found in: the
	// item's Text for an item's mentions, else the line without its
	// indentation.
	At int
}

// End is the byte offset just past the mention read with its first words
// Next words (the handle alone with 0; at most all of Next).
func (m Mention) End(words int) int {
	end := m.At + 1 + len(m.Handle)
	for _, w := range m.Next[:min(words, len(m.Next))] {
		end += 1 + len(w)
	}
	return end
}

// Mentions returns the @mentions of one line of text.
func Mentions(text string) []Mention { return mentions(text, 0, nil) }

// Item is one extracted line.
type Item struct {
	Kind Kind
	// Done is set for `- [x]` action items.
	Done bool
	// Text is the line without its marker, list bullet and block id.
	Text string
	// Line is the 0-based line number in the body.
	Line int
	// BlockID is the id already on the line (without the ^), or "".
	BlockID string
	// Mentions are the @mentions in Text, in order.
	Mentions []Mention
	// Due is the due-date phrase ("friday", "2026-03-01", "next week"),
	// from `by <date>` or `due:<date>`, or "". ResolveDue turns it into a date.
	Due string
	// Remind is the `remind:<when>` phrase of an action item or question
	// ("tomorrow 15:00"), or "". ResolveRemind turns it into a moment.
	Remind string
	// NextTime is set for an action item that says "next time": it is
	// reminded at the next meeting with the people it names.
	NextTime bool
	// Prefix is the line before Text: indentation, bullet, checkbox or marker.
	Prefix string
	// Answer is a question's answer: the `A: …` or `-> …` line right under
	// it, or "".
	Answer string
}

// Result is everything found in a note.
type Result struct {
	Items []Item
	// Mentions are all @mentions outside code, items' included.
	Mentions []Mention
}

// Parse reads a note body.
func Parse(body string) Result {
	var r Result
	var fence string // the open code fence ("```" or "~~~"), or ""
	line := 0
	for start := 0; start <= len(body); line++ {
		end := strings.IndexByte(body[start:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += start
		}
		text := strings.TrimRight(body[start:end], "\r")
		start = end + 1

		trimmed := strings.TrimLeft(text, " \t")
		if f := fenceOf(trimmed); f != "" {
			switch {
			case fence == "":
				fence = f
			case strings.HasPrefix(f, fence):
				fence = ""
			}
			continue
		}
		if fence != "" {
			continue
		}
		if it, ok := parseLine(trimmed, line); ok {
			it.Prefix = text[:len(text)-len(trimmed)] + it.Prefix
			it.Mentions = mentions(it.Text, line, nil)
			r.Mentions = append(r.Mentions, it.Mentions...)
			r.Items = append(r.Items, it)
			continue
		}
		if n := len(r.Items); n > 0 && r.Items[n-1].Kind == KindQuestion && r.Items[n-1].Line == line-1 {
			if a, ok := answerLine(trimmed); ok {
				r.Items[n-1].Answer = a
			}
		}
		r.Mentions = mentions(trimmed, line, r.Mentions)
	}
	return r
}

// fenceOf returns the fence a line opens or closes (three or more backticks
// or tildes), or "".
func fenceOf(s string) string {
	if len(s) < 3 || (s[0] != '`' && s[0] != '~') {
		return ""
	}
	c := s[0]
	n := 0
	for n < len(s) && s[n] == c {
		n++
	}
	if n < 3 {
		return ""
	}
	return s[:n]
}

// parseLine recognises an extracted line (already left-trimmed).
func parseLine(s string, line int) (Item, bool) {
	it := Item{Line: line}
	rest, checkbox, done := listItem(s)
	switch {
	case checkbox:
		it.Kind, it.Done = KindAction, done
	case strings.HasPrefix(rest, "!!"):
		it.Kind, rest = KindAction, rest[2:]
	case strings.HasPrefix(rest, "??"):
		it.Kind, rest = KindQuestion, rest[2:]
	default:
		var ok bool
		if rest, ok = decision(rest); !ok {
			return Item{}, false
		}
		it.Kind = KindDecision
	}
	rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
	it.Prefix = s[:len(s)-len(rest)]
	rest, it.BlockID = cutBlockID(strings.TrimRightFunc(rest, unicode.IsSpace))
	if rest == "" {
		return Item{}, false
	}
	it.Text = rest
	if it.Kind == KindAction {
		it.Due = duePhrase(rest)
		it.NextTime = NextTime(rest)
	}
	if it.Kind == KindAction || it.Kind == KindQuestion {
		it.Remind = remindPhrase(rest)
	}
	return it, true
}

// listItem strips a list bullet ("- ", "* ", "+ ", "1. ", "1) ") and reports
// a task checkbox after it.
func listItem(s string) (rest string, checkbox, done bool) {
	rest = s
	switch {
	case len(s) >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && (s[1] == ' ' || s[1] == '\t'):
		rest = strings.TrimLeft(s[2:], " \t")
	default:
		n := 0
		for n < len(s) && n < 9 && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n == 0 || n+1 >= len(s) || (s[n] != '.' && s[n] != ')') || (s[n+1] != ' ' && s[n+1] != '\t') {
			return s, false, false
		}
		rest = strings.TrimLeft(s[n+2:], " \t")
	}
	if len(rest) >= 3 && rest[0] == '[' && rest[2] == ']' && (len(rest) == 3 || rest[3] == ' ' || rest[3] == '\t') {
		switch rest[1] {
		case ' ':
			return rest[3:], true, false
		case 'x', 'X':
			return rest[3:], true, true
		}
	}
	return rest, false, false
}

// decision strips a "Decision:" / "Decided:" prefix (any case, optionally
// in bold: "**Decision:**" or "**Decision**:").
func decision(s string) (string, bool) {
	bold := strings.HasPrefix(s, "**")
	if bold {
		s = s[2:]
	}
	var word string
	switch {
	case len(s) >= 8 && strings.EqualFold(s[:8], "decision"):
		word = s[:8]
	case len(s) >= 7 && strings.EqualFold(s[:7], "decided"):
		word = s[:7]
	default:
		return "", false
	}
	s = s[len(word):]
	if bold && strings.HasPrefix(s, "**:") {
		return s[3:], true
	}
	if !strings.HasPrefix(s, ":") {
		return "", false
	}
	s = s[1:]
	if bold {
		if !strings.HasPrefix(s, "**") {
			return "", false
		}
		s = s[2:]
	}
	return s, true
}

// cutBlockID removes a trailing " ^id" (4 to 12 lower-case letters/digits).
func cutBlockID(s string) (string, string) {
	i := strings.LastIndexByte(s, '^')
	if i < 1 || (s[i-1] != ' ' && s[i-1] != '\t') {
		return s, ""
	}
	id := s[i+1:]
	if len(id) < 4 || len(id) > 12 {
		return s, ""
	}
	for j := 0; j < len(id); j++ {
		c := id[j]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return s, ""
		}
	}
	return strings.TrimRightFunc(s[:i], unicode.IsSpace), id
}

// IsBlockID reports whether s can be a block id.
func IsBlockID(s string) bool {
	_, id := cutBlockID(" ^" + s)
	return id == s
}

// mentions appends the @mentions of s (outside inline code) to out.
func mentions(s string, line int, out []Mention) []Mention {
	inCode := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '`':
			inCode = !inCode
			continue
		case '@':
		default:
			continue
		}
		if inCode {
			continue
		}
		// An @ inside a word is an email address, not a mention.
		if i > 0 {
			r, _ := utf8.DecodeLastRuneInString(s[:i])
			if isWord(r) {
				continue
			}
		}
		h := handle(s[i+1:])
		if h == "" {
			continue
		}
		m := Mention{Handle: h, Line: line, At: i}
		i += len(h)
		m.Next = nextNames(s[i+1:])
		out = append(out, m)
	}
	return out
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

// handle reads "alice", "alice.smith", "alice@acme.com" at the start of s,
// without trailing punctuation.
func handle(s string) string {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if !(isWord(r) || r == '.' || r == '-' || r == '+' || r == '@') {
			break
		}
		n += size
	}
	h := strings.TrimRight(s[:n], ".-+@")
	// Only one @ may follow (an email); anything else ends the handle there.
	if at := strings.IndexByte(h, '@'); at >= 0 {
		if at == 0 {
			return ""
		}
		if strings.IndexByte(h[at+1:], '@') >= 0 || !strings.Contains(h[at+1:], ".") {
			h = strings.TrimRight(h[:at], ".-+")
		}
	}
	return h
}

// nextNames returns up to two capitalised words right after a mention.
func nextNames(s string) []string {
	var out []string
	for len(out) < 2 {
		if len(s) == 0 || s[0] != ' ' {
			return out
		}
		s = s[1:]
		r, _ := utf8.DecodeRuneInString(s)
		if !unicode.IsUpper(r) {
			return out
		}
		n := 0
		for n < len(s) {
			r, size := utf8.DecodeRuneInString(s[n:])
			if !(unicode.IsLetter(r) || r == '-' || r == '\'') {
				break
			}
			n += size
		}
		out = append(out, s[:n])
		s = s[n:]
	}
	return out
}

// answerLine reads a line that answers the question above it: `A: …` or
// `-> …`, after any indentation or list bullet.
func answerLine(s string) (string, bool) {
	rest, _, _ := listItem(s)
	rest = strings.TrimLeft(rest, " \t")
	var a string
	switch {
	case len(rest) >= 2 && (rest[0] == 'A' || rest[0] == 'a') && rest[1] == ':':
		a = rest[2:]
	case strings.HasPrefix(rest, "->"):
		a = rest[2:]
	case strings.HasPrefix(rest, "→"):
		a = rest[len("→"):]
	default:
		return "", false
	}
	a = strings.TrimSpace(a)
	return a, a != ""
}

// SetAnswer rewrites the line under the question with blockID to answer
// it (`A: <answer>`, replacing an answer line already there); with answer
// "" the answer line is removed. It reports whether the question was found.
func SetAnswer(body, blockID, answer string) (string, bool) {
	for _, it := range Parse(body).Items {
		if it.Kind != KindQuestion || it.BlockID != blockID {
			continue
		}
		lines := strings.Split(body, "\n")
		answer = strings.Join(strings.Fields(answer), " ")
		indent := it.Prefix[:len(it.Prefix)-len(strings.TrimLeft(it.Prefix, " \t"))]
		if strings.HasPrefix(strings.TrimLeft(it.Prefix, " \t"), "-") || strings.HasPrefix(strings.TrimLeft(it.Prefix, " \t"), "*") {
			indent += "  " // under a list item, as its continuation
		}
		next := it.Line + 1
		has := false
		if next < len(lines) {
			_, has = answerLine(strings.TrimLeft(strings.TrimRight(lines[next], "\r"), " \t"))
		}
		switch {
		case has && answer == "":
			lines = append(lines[:next], lines[next+1:]...)
		case has:
			lines[next] = indent + "A: " + answer
		case answer != "":
			lines = append(lines[:next], append([]string{indent + "A: " + answer}, lines[next:]...)...)
		}
		return strings.Join(lines, "\n"), true
	}
	return body, false
}
