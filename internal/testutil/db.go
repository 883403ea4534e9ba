// Package testutil holds what the tests share: real test databases (a SQLite
// file per test, a fresh PostgreSQL database per test when
// DEBRIEF_TEST_POSTGRES_DSN is set), a running app, and an API client that
// checks every response against api/openapi.yaml. Tests only.
package testutil

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/debrief-hq/debrief/internal/app"
	"github.com/debrief-hq/debrief/internal/config"
)

// PostgresEnv names the server tests create their databases on.
const PostgresEnv = "DEBRIEF_TEST_POSTGRES_DSN"

// Backend is a database kind the suite runs on.
type Backend string

const (
	SQLite   Backend = "sqlite"
	Postgres Backend = "postgres"
)

// Backends lists the databases to run on: SQLite always, PostgreSQL when
// DEBRIEF_TEST_POSTGRES_DSN is set. Under CI (CI=true) a missing DSN fails
// the test instead of quietly running less.
func Backends(t testing.TB) []Backend {
	t.Helper()
	if os.Getenv(PostgresEnv) != "" {
		return []Backend{SQLite, Postgres}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not set: CI must run the PostgreSQL half of the suite", PostgresEnv)
	}
	t.Logf("%s is not set: running on SQLite only", PostgresEnv)
	return []Backend{SQLite}
}

// OnPostgres runs fn for what only PostgreSQL has. CI always runs it
// (Backends fails there without PostgreSQL); elsewhere, without
// DEBRIEF_TEST_POSTGRES_DSN, the test says in its log that nothing ran.
func OnPostgres(t *testing.T, fn func(t *testing.T)) {
	t.Helper()
	if !slices.Contains(Backends(t), Postgres) {
		t.Logf("%s is not set: this PostgreSQL test ran nothing", PostgresEnv)
		return
	}
	fn(t)
}

// ForEachBackend runs fn as a subtest per backend.
func ForEachBackend(t *testing.T, fn func(t *testing.T, b Backend)) {
	for _, b := range Backends(t) {
		t.Run(string(b), func(t *testing.T) { fn(t, b) })
	}
}

// PostgresDatabase creates an empty database for one test, dropped when the
// test ends, and returns its URL.
func PostgresDatabase(t testing.TB) string {
	t.Helper()
	server := os.Getenv(PostgresEnv)
	if server == "" {
		t.Fatalf("%s is not set", PostgresEnv)
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "debrief_test_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database: %v", err)
		}
		admin.Close()
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Config returns a configuration for one test on backend b: its own data dir
// (and database), a fixed secret, generous sign-in limits.
func Config(t testing.TB, b Backend) config.Config {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Listen = "127.0.0.1:0"
	cfg.SecretKey = "test-secret-key-test-secret-key-0123456789"
	cfg.LoginRate = 1000
	cfg.SignupRate = 0
	cfg.LogLevel = "warn"
	if b == Postgres {
		cfg.DatabaseURL = PostgresDatabase(t)
	}
	return cfg
}

// CheapHash makes argon2id fast enough for tests that sign up many users;
// the parameters are still argon2id.
var CheapHash = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// Logger writes to the test log at warn and above.
func Logger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

// NewApp builds a migrated app on backend b; mutate adjusts the config.
func NewApp(t testing.TB, b Backend, mutate ...func(*config.Config)) *app.App {
	t.Helper()
	return NewAppWith(t, b, app.Options{}, mutate...)
}

// NewAppWith is NewApp with wiring options (cheap password hashing is
// always on).
func NewAppWith(t testing.TB, b Backend, opts app.Options, mutate ...func(*config.Config)) *app.App {
	t.Helper()
	cfg := Config(t, b)
	for _, m := range mutate {
		m(&cfg)
	}
	opts.HashParams = CheapHash
	a, err := app.New(context.Background(), cfg, Logger(t), opts)
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// NewAppFromConfig is an app on a configuration made with Config: two of
// them on one PostgreSQL database are two instances of one deployment.
func NewAppFromConfig(t testing.TB, cfg config.Config) *app.App {
	t.Helper()
	a, err := app.New(context.Background(), cfg, Logger(t), app.Options{HashParams: CheapHash})
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}
