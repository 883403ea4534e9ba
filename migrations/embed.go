// Package migrations embeds the versioned SQL that builds Debrief's schema,
// one folder per dialect, generated from ent/schema by `make generate`
// (internal/store/migrategen) and applied by `debrief migrate` and at start-up.
package migrations

import "embed"

// FS holds sqlite/*.sql and postgres/*.sql in golang-migrate's file format.
//
//go:embed sqlite postgres
var FS embed.FS
