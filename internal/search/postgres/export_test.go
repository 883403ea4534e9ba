package postgres

import "context"

// Vector is text as the index writes its English vector: the text it
// hands the database, and the vector read in Go from it (and whether it
// could be).
func Vector(s string) (text, literal string, ok bool) {
	text = vec(s)
	literal, ok = englishVector(text, stems{})
	return text, literal, ok
}

// VectorsInGo reports whether x reads plain text into vectors itself.
func VectorsInGo(ctx context.Context, x *Index) bool { return x.vectors(ctx) }
