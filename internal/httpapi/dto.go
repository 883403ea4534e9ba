package httpapi

import (
	"github.com/debrief-hq/debrief/internal/cursor"
)

// The shapes every route group shares: lists with their cursor, and the
// helpers that fill them. Each group's own shapes (api/openapi.yaml) and
// the conversions into them sit beside its handlers.

type listResponse[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func toList[A, B any](r cursor.Result[A], f func(A) B) listResponse[B] {
	out := listResponse[B]{Items: make([]B, len(r.Items))}
	for i, a := range r.Items {
		out.Items[i] = f(a)
	}
	if r.NextCursor != "" {
		out.NextCursor = &r.NextCursor
	}
	return out
}

func mapAll[A, B any](in []A, f func(A) B) []B {
	out := make([]B, len(in))
	for i, a := range in {
		out[i] = f(a)
	}
	return out
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
