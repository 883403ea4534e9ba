package capture

import (
	"crypto/rand"
	"strings"
	"unicode"
)

const blockAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// NewBlockID returns a random 4-character block id.
func NewBlockID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = blockAlphabet[int(b[i])%len(blockAlphabet)]
	}
	return string(b)
}

// AssignBlockIDs gives every item a block id unique within the note: items
// without one, and the second of two lines sharing one (a copied line), get
// a new id appended to their line. It returns the rewritten body and the
// items with their ids; a body that needs no change is returned as is.
func AssignBlockIDs(body string, items []Item, newID func() string) (string, []Item) {
	if newID == nil {
		newID = NewBlockID
	}
	used := make(map[string]bool, len(items))
	for _, it := range items {
		if it.BlockID != "" {
			used[it.BlockID] = true
		}
	}
	seen := make(map[string]bool, len(items))
	var lines []string
	out := make([]Item, len(items))
	copy(out, items)
	for i := range out {
		it := &out[i]
		if it.BlockID != "" && !seen[it.BlockID] {
			seen[it.BlockID] = true
			continue
		}
		if lines == nil {
			lines = strings.Split(body, "\n")
		}
		id := newID()
		for used[id] || !IsBlockID(id) {
			id = NewBlockID()
		}
		used[id], seen[id] = true, true
		l := lines[it.Line]
		cr := strings.HasSuffix(l, "\r")
		l = strings.TrimRight(l, "\r")
		if it.BlockID != "" {
			// A duplicate: replace its id.
			l = strings.TrimRightFunc(l[:strings.LastIndex(l, "^"+it.BlockID)], unicode.IsSpace)
		} else {
			l = strings.TrimRightFunc(l, unicode.IsSpace)
		}
		l += " ^" + id
		if cr {
			l += "\r"
		}
		lines[it.Line] = l
		it.BlockID = id
	}
	if lines == nil {
		return body, out
	}
	return strings.Join(lines, "\n"), out
}

// SetLine replaces line n of body (keeping a trailing \r).
func SetLine(body string, n int, text string) string {
	lines := strings.Split(body, "\n")
	if n < 0 || n >= len(lines) {
		return body
	}
	if strings.HasSuffix(lines[n], "\r") {
		text += "\r"
	}
	lines[n] = text
	return strings.Join(lines, "\n")
}

// WithoutBlockIDs is a note's text as people read it: without the block
// ids the server keeps at the end of its item lines (for search snippets
// and exports).
func WithoutBlockIDs(body string) string {
	if !strings.Contains(body, "^") {
		return body
	}
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		if rest, id := cutBlockID(strings.TrimRight(l, "\r")); id != "" {
			lines[i] = rest
		}
	}
	return strings.Join(lines, "\n")
}
