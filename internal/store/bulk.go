package store

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"entgo.io/ent/dialect"

	"github.com/debrief-hq/debrief/ent"
)

// bulkValues bounds the values bound in one INSERT: SQLite allows 32,766,
// PostgreSQL 65,535.
const bulkValues = 4500

// bulkInsert writes rows with one multi-row INSERT per few hundred rows.
// A calendar sync creates hundreds of thousands of meetings and
// attendances, and ent's bulk builders spend more per row than the
// database does (a mutation, a spec, a returned id): on the 2,000-series
// benchmark feed this took the attendances from 11.3 s to 4.5 s.
//
// The first len(shared) columns of cols hold the same values in every row
// (timestamps, the owner): they are bound once per statement and each row
// names them by number (?1 / $1), which spared a third of the binds and
// every row's formatting of two timestamps. rows hold the other columns,
// in the order of the rest of cols. The caller sets ids and timestamps and
// runs the schema's validators; ent's hooks do not run (the tables written
// this way have none).
func bulkInsert(ctx context.Context, tx *ent.Client, dialectName, table string, cols []string, shared []any, rows [][]any) error {
	return bulkInsertSuffix(ctx, tx, dialectName, table, cols, shared, rows, "")
}

// bulkInsertSuffix is bulkInsert with a clause after the values (ON CONFLICT …).
func bulkInsertSuffix(ctx context.Context, tx *ent.Client, dialectName, table string, cols []string, shared []any, rows [][]any, suffix string) error {
	if st := txFrom(ctx); st != nil {
		st.rows += len(rows)
	}
	perRow := len(cols) - len(shared)
	mark := "?"
	if dialectName == dialect.Postgres {
		mark = "$"
	}
	var head strings.Builder
	head.WriteString(`INSERT INTO "` + table + `" (`)
	for i, c := range cols {
		if i > 0 {
			head.WriteString(", ")
		}
		head.WriteString(`"` + c + `"`)
	}
	head.WriteString(") VALUES ")
	for chunk := range slices.Chunk(rows, (bulkValues-len(shared))/perRow) {
		var q strings.Builder
		q.WriteString(head.String())
		args := append(make([]any, 0, len(shared)+len(chunk)*perRow), shared...)
		for r, row := range chunk {
			if r > 0 {
				q.WriteString(", ")
			}
			q.WriteByte('(')
			for i := range shared {
				q.WriteString(mark + strconv.Itoa(i+1) + ", ")
			}
			for i, v := range row {
				if i > 0 {
					q.WriteString(", ")
				}
				args = append(args, v)
				q.WriteString(mark + strconv.Itoa(len(args)))
			}
			q.WriteByte(')')
		}
		q.WriteString(suffix)
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
