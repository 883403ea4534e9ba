package search

import "unicode/utf8"

// Widen moves from back and to forward to character boundaries of text,
// so that text[from:to], a snippet's window, cuts no character in two.
func Widen(text string, from, to int) (int, int) {
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to++
	}
	return from, to
}
