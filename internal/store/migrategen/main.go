// Command migrategen writes the next versioned migration for each dialect:
// it replays the existing migrations on a scratch database, diffs the result
// against ent/schema, and writes the difference (nothing when there is none).
// `make generate` runs it; CI runs it and fails when the tree changes.
//
// Atlas changes a SQLite column by rebuilding its table (create a copy,
// drop the old one) between "PRAGMA foreign_keys" statements, which do
// nothing inside the transaction golang-migrate runs each file in: the
// drop then deletes what refers to the table. Such a migration is written
// by hand with ALTER TABLE instead (TestUpgradeKeepsData checks), and
// -rehash then rewrites the folders' atlas.sum for the edited files.
//
// Usage: go run ./internal/store/migrategen -name NAME -postgres URL
//
//	go run ./internal/store/migrategen -rehash
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"time"

	atlasmigrate "ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/sqltool"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/mattn/go-sqlite3"

	"github.com/debrief-hq/debrief/ent/migrate"
)

func main() {
	name := flag.String("name", "changes", "name of the migration to write")
	pgURL := flag.String("postgres", os.Getenv("DEBRIEF_TEST_POSTGRES_DSN"), "PostgreSQL server to create a scratch database on")
	dir := flag.String("dir", "migrations", "migrations folder")
	rehash := flag.Bool("rehash", false, "only rewrite atlas.sum of both dialects (after editing a migration by hand)")
	flag.Parse()
	if *rehash {
		for _, d := range []string{"sqlite", "postgres"} {
			if err := rewriteSum(*dir + "/" + d); err != nil {
				log.Fatalf("%s: %v", d, err)
			}
		}
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	dev, err := sql.Open("sqlite3", "file:migrategen?mode=memory&cache=shared&_fk=1")
	if err != nil {
		log.Fatal(err)
	}
	if err := diff(ctx, dev, dialect.SQLite, *dir+"/sqlite", *name); err != nil {
		log.Fatalf("sqlite: %v", err)
	}
	if *pgURL == "" {
		log.Fatal("postgres: set -postgres or DEBRIEF_TEST_POSTGRES_DSN to a server where a scratch database may be created")
	}
	pg, drop, err := scratchPostgres(ctx, *pgURL)
	if err != nil {
		log.Fatalf("postgres: %v", err)
	}
	defer drop()
	if err := diff(ctx, pg, dialect.Postgres, *dir+"/postgres", *name); err != nil {
		drop()
		log.Fatalf("postgres: %v", err)
	}
}

func rewriteSum(path string) error {
	dir, err := sqltool.NewGolangMigrateDir(path)
	if err != nil {
		return err
	}
	sum, err := dir.Checksum()
	if err != nil {
		return err
	}
	return atlasmigrate.WriteSumFile(dir, sum)
}

func diff(ctx context.Context, db *sql.DB, dialectName, path, name string) error {
	dir, err := sqltool.NewGolangMigrateDir(path)
	if err != nil {
		return err
	}
	m, err := schema.NewMigrate(entsql.OpenDB(dialectName, db),
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(dialectName),
		schema.WithFormatter(sqltool.GolangMigrateFormatter),
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
	)
	if err != nil {
		return err
	}
	return m.NamedDiff(ctx, name, migrate.Tables...)
}

// scratchPostgres creates an empty database next to the one in server and
// returns a connection bound to its public schema, so generated SQL names
// tables without a schema prefix.
func scratchPostgres(ctx context.Context, server string) (*sql.DB, func(), error) {
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return nil, nil, err
	}
	dbName := fmt.Sprintf("debrief_migrategen_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+dbName); err != nil {
		admin.Close()
		return nil, nil, err
	}
	u, err := url.Parse(server)
	if err != nil {
		return nil, nil, err
	}
	u.Path = "/" + dbName
	q := u.Query()
	q.Set("search_path", "public")
	u.RawQuery = q.Encode()
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		return nil, nil, err
	}
	drop := func() {
		db.Close()
		_, _ = admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+dbName+" WITH (FORCE)")
		admin.Close()
	}
	return db, drop, nil
}
