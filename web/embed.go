// Package web is Debrief's browser client, embedded in the binary: the
// bundle Vite builds from src/ into dist/ (committed, so that running the
// server needs only Go; `make web` rebuilds it, and CI checks that a fresh
// build matches what is committed).
package web

import (
	"embed"
	"io/fs"
)

//go:embed dist
var dist embed.FS

// Files are the built client: index.html, favicon.svg and assets/.
func Files() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}
