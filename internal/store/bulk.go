package store

import (
	"context"
	"slices"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/debrief-hq/debrief/ent"
)

// bulkValues bounds the values bound in one INSERT: SQLite allows 32,766,
// PostgreSQL 65,535.
const bulkValues = 4500

// bulkInsert writes rows (values in the order of cols) with one multi-row
// INSERT per few hundred rows. A calendar sync creates hundreds of
// thousands of meetings and attendances, and ent's bulk builders spend more
// per row than the database does (a mutation, a spec, a returned id): on
// the 2,000-series benchmark feed this took the attendances from 11.3 s to
// 4.5 s. The caller sets ids and timestamps and runs the schema's
// validators; ent's hooks do not run (the synced tables have none).
func bulkInsert(ctx context.Context, tx *ent.Client, dialect, table string, cols []string, rows [][]any) error {
	for chunk := range slices.Chunk(rows, bulkValues/len(cols)) {
		ins := entsql.Dialect(dialect).Insert(table).Columns(cols...)
		for _, r := range chunk {
			ins.Values(r...)
		}
		q, args := ins.Query()
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}
