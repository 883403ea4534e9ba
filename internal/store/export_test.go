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
