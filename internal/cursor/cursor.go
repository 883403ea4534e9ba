// Package cursor owns keyset pagination: the opaque cursors lists hand out and
// take back, and the limits every list obeys.
package cursor

import (
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/debrief-hq/debrief/internal/apperr"
)

const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Key is the position after which the next page starts: the sort value of the
// last row returned (when the list is not sorted by id) and its id.
type Key struct {
	T  *time.Time `json:"t,omitempty"`
	ID string     `json:"i"`
}

// Page is a request for one page.
type Page struct {
	Limit int
	After *Key
}

// Encode turns a key into an opaque cursor string.
func Encode(k Key) string {
	b, _ := json.Marshal(k)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Parse builds a Page from the limit and cursor query parameters. limit 0
// means the default.
func Parse(limit int, cur string) (Page, error) {
	var fields apperr.Fields
	p := Page{Limit: limit}
	switch {
	case limit == 0:
		p.Limit = DefaultLimit
	case limit < 0 || limit > MaxLimit:
		fields.Add("limit", "must be between 1 and %d", MaxLimit)
	}
	if cur != "" {
		var k Key
		b, err := base64.RawURLEncoding.DecodeString(cur)
		if err == nil {
			err = json.Unmarshal(b, &k)
		}
		if err != nil || k.ID == "" {
			fields.Add("cursor", "is not a cursor this server handed out")
		} else {
			p.After = &k
		}
	}
	return p, fields.Err()
}

// Result is one page of T and the cursor of the next page ("" at the end).
type Result[T any] struct {
	Items      []T
	NextCursor string
}

// Cut trims rows fetched with limit+1 to the page and computes the next
// cursor from the last row kept.
func Cut[T any](rows []T, limit int, key func(T) Key) Result[T] {
	if len(rows) <= limit {
		return Result[T]{Items: rows}
	}
	rows = rows[:limit]
	return Result[T]{Items: rows, NextCursor: Encode(key(rows[len(rows)-1]))}
}
