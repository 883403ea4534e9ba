package store

import (
	"context"

	"github.com/golang-migrate/migrate/v4"
)

// MigrateTo moves the database to one migration version (tests that
// upgrade a database of an older version).
func (d *DB) MigrateTo(_ context.Context, version uint) error {
	return d.migrate(nil, func(m *migrate.Migrate) error { return m.Migrate(version) })
}

// AttendeesQuery and MeetingPageQuery are the hot reads' SQL (plans are
// tested on them).
func AttendeesQuery(dialect string) string   { return attendeesQuery(dialect, 1) }
func MeetingPageQuery(dialect string) string { return meetingPageQuery(dialect) }

// StatisticsPasses is how many passes PostgreSQL's statistics upkeep ran.
func (d *DB) StatisticsPasses() int64 { return d.stats.passes.Load() }

// SetAnalyzeEvery lowers the rows written that start a pass; the returned
// func restores it.
func SetAnalyzeEvery(n int64) func() {
	old := analyzeEvery.Swap(n)
	return func() { analyzeEvery.Store(old) }
}
