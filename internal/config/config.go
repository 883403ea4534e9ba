// Package config owns Debrief's configuration: one typed Config, loaded from
// defaults, then an optional JSON file, then DEBRIEF_* environment variables,
// then flags — each later source overriding the earlier — and validated at once.
package config

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is everything the server needs to start.
type Config struct {
	Listen      string `json:"listen"`
	DataDir     string `json:"data_dir"`
	DatabaseURL string `json:"database_url"`
	// DatabaseConns is how many connections to PostgreSQL one server opens
	// at most (its requests queue for them).
	DatabaseConns int    `json:"database_max_conns"`
	SecretKey     string `json:"secret_key"`
	SecretKeyFile string `json:"secret_key_file"`
	Signup        string `json:"signup"`
	PublicURL     string `json:"public_url"`
	BodyLimit     int    `json:"body_limit"`
	// ImportLimit is the largest calendar file uploaded or feed fetched.
	ImportLimit int `json:"import_limit"`
	// AllowPrivateFetch lets feed URLs reach private, loopback and
	// link-local addresses (off: a feed URL cannot probe the network).
	AllowPrivateFetch bool `json:"allow_private_fetch"`
	// CalendarMeetingLimit bounds the meetings one import, or one sync of
	// a calendar connection, applies.
	CalendarMeetingLimit int `json:"calendar_meeting_limit"`
	// SyncInterval is how often each calendar connection is polled.
	SyncInterval time.Duration `json:"sync_interval"`
	// Google Calendar: off while GoogleClientID is empty. The URLs default
	// to Google's and exist so that tests can point them at a fake.
	GoogleClientID     string `json:"google_client_id"`
	GoogleClientSecret string `json:"google_client_secret"`
	GoogleAuthURL      string `json:"google_auth_url"`
	GoogleTokenURL     string `json:"google_token_url"`
	GoogleAPIURL       string `json:"google_api_url"`
	LogLevel           string `json:"log_level"`
	LoginRate          int    `json:"login_rate_limit"`
	// SignupRate is how many sign-ups one client address may try an hour
	// (0: no limit, for test rigs that make many accounts).
	SignupRate int           `json:"signup_rate_limit"`
	SessionTTL time.Duration `json:"session_ttl"`
	// SQLiteSync is SQLite's synchronous pragma: "full" survives power loss,
	// "normal" survives only a process crash but commits faster.
	SQLiteSync string `json:"sqlite_synchronous"`
	// PprofListen, when set, serves Go's profiler there (keep it on loopback).
	PprofListen string `json:"pprof_listen"`
	// Search is the search backend: "bleve" (an index folder in the data
	// dir) or "postgres" (PostgreSQL full-text search, for several
	// instances sharing one database).
	Search string `json:"search"`
	// SMTPURL is where reminder email goes out (smtp://user:pass@host:port,
	// STARTTLS when offered; smtps:// for TLS from the start). Empty: email
	// is off.
	SMTPURL string `json:"smtp_url"`
	// MailFrom is the sender of Debrief's email.
	MailFrom string `json:"mail_from"`
	// RemindResendAfter is how long a reminder's send may take before it
	// counts as cut short (the process died mid-send) and is sent again,
	// with the same id.
	RemindResendAfter time.Duration `json:"remind_resend_after"`
}

// Search backends.
const (
	SearchBleve    = "bleve"
	SearchPostgres = "postgres"
)

// Signup modes.
const (
	SignupOpen   = "open"
	SignupClosed = "closed"
)

// Default returns the safe defaults: loopback only, SQLite in ./data.
func Default() Config {
	return Config{
		Listen:               "127.0.0.1:8080",
		DataDir:              "./data",
		Signup:               SignupOpen,
		BodyLimit:            1 << 20,
		ImportLimit:          20 << 20,
		SyncInterval:         15 * time.Minute,
		CalendarMeetingLimit: 100_000,
		GoogleAuthURL:        "https://accounts.google.com/o/oauth2/auth",
		GoogleTokenURL:       "https://oauth2.googleapis.com/token",
		GoogleAPIURL:         "https://www.googleapis.com/calendar/v3/",
		LogLevel:             "info",
		LoginRate:            10,
		SignupRate:           20,
		DatabaseConns:        16,
		SessionTTL:           30 * 24 * time.Hour,
		SQLiteSync:           "full",
		Search:               SearchBleve,
		RemindResendAfter:    2 * time.Minute,
	}
}

// setting is one configuration value and the names it is known by.
type setting struct {
	flag, env, usage string
	str              *string
	num              *int
	dur              *time.Duration
	on               *bool
}

func (c *Config) settings() []setting {
	return []setting{
		{flag: "listen", env: "DEBRIEF_LISTEN", usage: "address to listen on", str: &c.Listen},
		{flag: "data-dir", env: "DEBRIEF_DATA_DIR", usage: "folder for the SQLite database, search index and generated secret", str: &c.DataDir},
		{flag: "database-url", env: "DEBRIEF_DATABASE_URL", usage: "empty for SQLite in the data dir, or postgres://…", str: &c.DatabaseURL},
		{flag: "database-max-conns", env: "DEBRIEF_DATABASE_MAX_CONNS", usage: "connections to PostgreSQL one server opens at most (requests queue for them: more than the database's cores can run at once only makes them wait there)", num: &c.DatabaseConns},
		{flag: "secret-key", env: "DEBRIEF_SECRET_KEY", usage: "secret (≥ 32 characters) for encryption and CSRF tokens; generated into the data dir if absent", str: &c.SecretKey},
		{flag: "secret-key-file", env: "DEBRIEF_SECRET_KEY_FILE", usage: "file holding the secret key", str: &c.SecretKeyFile},
		{flag: "signup", env: "DEBRIEF_SIGNUP", usage: "open or closed", str: &c.Signup},
		{flag: "public-url", env: "DEBRIEF_PUBLIC_URL", usage: "URL people reach this server at (https makes cookies Secure)", str: &c.PublicURL},
		{flag: "body-limit", env: "DEBRIEF_BODY_LIMIT", usage: "largest request body in bytes", num: &c.BodyLimit},
		{flag: "import-limit", env: "DEBRIEF_IMPORT_LIMIT", usage: "largest calendar file or feed in bytes", num: &c.ImportLimit},
		{flag: "allow-private-fetch", env: "DEBRIEF_ALLOW_PRIVATE_FETCH", usage: "let feed URLs reach private and loopback addresses", on: &c.AllowPrivateFetch},
		{flag: "sync-interval", env: "DEBRIEF_SYNC_INTERVAL", usage: "how often calendars are polled", dur: &c.SyncInterval},
		{flag: "calendar-meeting-limit", env: "DEBRIEF_CALENDAR_MEETING_LIMIT", usage: "most meetings one calendar import, or one sync of a connection, applies", num: &c.CalendarMeetingLimit},
		{flag: "search", env: "DEBRIEF_SEARCH", usage: "search backend: bleve (an index in the data dir) or postgres (needs a PostgreSQL database-url)", str: &c.Search},
		{flag: "google-client-id", env: "DEBRIEF_GOOGLE_CLIENT_ID", usage: "OAuth client id for Google Calendar (empty: Google off)", str: &c.GoogleClientID},
		{flag: "google-client-secret", env: "DEBRIEF_GOOGLE_CLIENT_SECRET", usage: "OAuth client secret for Google Calendar", str: &c.GoogleClientSecret},
		{flag: "google-auth-url", env: "DEBRIEF_GOOGLE_AUTH_URL", usage: "Google's OAuth consent page", str: &c.GoogleAuthURL},
		{flag: "google-token-url", env: "DEBRIEF_GOOGLE_TOKEN_URL", usage: "Google's OAuth token endpoint", str: &c.GoogleTokenURL},
		{flag: "google-api-url", env: "DEBRIEF_GOOGLE_API_URL", usage: "Google Calendar API base URL", str: &c.GoogleAPIURL},
		{flag: "log-level", env: "DEBRIEF_LOG_LEVEL", usage: "debug, info, warn or error", str: &c.LogLevel},
		{flag: "login-rate-limit", env: "DEBRIEF_LOGIN_RATE_LIMIT", usage: "sign-in attempts per minute per address and account, and failed sign-ins per minute per address", num: &c.LoginRate},
		{flag: "signup-rate-limit", env: "DEBRIEF_SIGNUP_RATE_LIMIT", usage: "sign-ups per hour per address (0: no limit)", num: &c.SignupRate},
		{flag: "session-ttl", env: "DEBRIEF_SESSION_TTL", usage: "how long a browser session lasts", dur: &c.SessionTTL},
		{flag: "sqlite-synchronous", env: "DEBRIEF_SQLITE_SYNCHRONOUS", usage: "full or normal", str: &c.SQLiteSync},
		{flag: "smtp-url", env: "DEBRIEF_SMTP_URL", usage: "SMTP server for reminder email: smtp://user:pass@host:port or smtps://… (empty: email off)", str: &c.SMTPURL},
		{flag: "mail-from", env: "DEBRIEF_MAIL_FROM", usage: "sender address of Debrief's email", str: &c.MailFrom},
		{flag: "remind-resend-after", env: "DEBRIEF_REMIND_RESEND_AFTER", usage: "how long a reminder's send may take before it is sent again (with the same id) by any instance", dur: &c.RemindResendAfter},
		{flag: "pprof-listen", env: "DEBRIEF_PPROF_LISTEN", usage: "address for Go's profiler (off when empty)", str: &c.PprofListen},
	}
}

// Load reads configuration from args (flags, without the program name) and
// getenv. A --config FILE flag or DEBRIEF_CONFIG names an optional JSON file.
// extra adds a command's own flags to the same flag set.
func Load(name string, args []string, getenv func(string) string, stderr io.Writer, extra ...func(*flag.FlagSet)) (Config, error) {
	c, rest, err := LoadArgs(name, args, getenv, stderr, extra...)
	if err == nil && len(rest) > 0 {
		err = fmt.Errorf("unexpected argument %q", rest[0])
	}
	return c, err
}

// LoadArgs is Load for a command that takes arguments after its flags
// (`import-ics [flags] FILE`): it returns them instead of refusing them.
func LoadArgs(name string, args []string, getenv func(string) string, stderr io.Writer, extra ...func(*flag.FlagSet)) (Config, []string, error) {
	c := Default()
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, f := range extra {
		f(fs)
	}
	configFile := fs.String("config", getenv("DEBRIEF_CONFIG"), "optional JSON configuration file")
	// Flags are parsed into a scratch Config and applied last, so that a flag
	// beats the environment which beats the file.
	var fromFlags Config
	for _, s := range fromFlags.settings() {
		switch {
		case s.str != nil:
			fs.StringVar(s.str, s.flag, "", s.usage+" ("+s.env+")")
		case s.num != nil:
			fs.IntVar(s.num, s.flag, 0, s.usage+" ("+s.env+")")
		case s.dur != nil:
			fs.DurationVar(s.dur, s.flag, 0, s.usage+" ("+s.env+")")
		case s.on != nil:
			fs.BoolVar(s.on, s.flag, false, s.usage+" ("+s.env+")")
		}
	}
	if err := fs.Parse(args); err != nil {
		return c, nil, err
	}
	rest := fs.Args()
	if *configFile != "" {
		b, err := os.ReadFile(*configFile)
		if err != nil {
			return c, nil, fmt.Errorf("config file: %w", err)
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return c, nil, fmt.Errorf("config file %s: %w", *configFile, err)
		}
	}
	var errs []error
	for _, s := range c.settings() {
		v := getenv(s.env)
		if v == "" {
			continue
		}
		if err := s.set(v); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", s.env, err))
		}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for i, s := range c.settings() {
		if set[s.flag] {
			f := fromFlags.settings()[i]
			switch {
			case s.str != nil:
				*s.str = *f.str
			case s.num != nil:
				*s.num = *f.num
			case s.dur != nil:
				*s.dur = *f.dur
			case s.on != nil:
				*s.on = *f.on
			}
		}
	}
	return c, rest, errors.Join(errs...)
}

func (s setting) set(v string) error {
	switch {
	case s.str != nil:
		*s.str = v
	case s.num != nil:
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", v)
		}
		*s.num = n
	case s.dur != nil:
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("%q is not a duration such as 720h", v)
		}
		*s.dur = d
	case s.on != nil:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%q is neither true nor false", v)
		}
		*s.on = b
	}
	return nil
}

// Validate reports every problem at once.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		bad("listen: %q is not host:port", c.Listen)
	}
	if c.DataDir == "" {
		bad("data-dir: must not be empty")
	}
	if c.DatabaseURL != "" && !c.IsPostgres() {
		bad("database-url: must be empty (SQLite) or start with postgres:// or postgresql://")
	}
	if c.SecretKey != "" && len(c.SecretKey) < 32 {
		bad("secret-key: must be at least 32 characters")
	}
	if c.SecretKey != "" && c.SecretKeyFile != "" {
		bad("secret-key and secret-key-file: set one, not both")
	}
	if c.Signup != SignupOpen && c.Signup != SignupClosed {
		bad("signup: %q is neither open nor closed", c.Signup)
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("public-url: %q is not an http(s) URL", c.PublicURL)
		}
	}
	if c.BodyLimit < 1024 {
		bad("body-limit: %d is below 1024 bytes", c.BodyLimit)
	}
	if c.GoogleClientID != "" {
		if c.PublicURL == "" {
			bad("public-url: Google Calendar needs it for the OAuth redirect and push notifications")
		}
		for name, v := range map[string]string{"google-auth-url": c.GoogleAuthURL, "google-token-url": c.GoogleTokenURL, "google-api-url": c.GoogleAPIURL} {
			if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				bad("%s: %q is not an http(s) URL", name, v)
			}
		}
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			bad("smtp-url: must be smtp://[user:pass@]host[:port] or smtps://…")
		}
		if _, err := mail.ParseAddress(c.MailFrom); err != nil {
			bad("mail-from: email needs a sender address (%q is not one)", c.MailFrom)
		}
	}
	if c.RemindResendAfter < 5*time.Second {
		bad("remind-resend-after: must be at least 5s (a send takes up to a minute to time out)")
	}
	if c.SyncInterval < time.Minute {
		bad("sync-interval: must be at least 1m")
	}
	if c.ImportLimit < 1024 {
		bad("import-limit: %d is below 1024 bytes", c.ImportLimit)
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		bad("log-level: %q is not debug, info, warn or error", c.LogLevel)
	}
	if c.CalendarMeetingLimit < 1 {
		bad("calendar-meeting-limit: must be at least 1")
	}
	if c.SignupRate < 0 {
		bad("signup-rate-limit: must be 0 (no limit) or more")
	}
	if c.LoginRate < 1 {
		bad("login-rate-limit: must be at least 1")
	}
	if c.DatabaseConns < 1 || c.DatabaseConns > 1000 {
		bad("database-max-conns: must be between 1 and 1000")
	}
	if c.SessionTTL < time.Minute {
		bad("session-ttl: must be at least 1m")
	}
	if c.PprofListen != "" {
		if _, _, err := net.SplitHostPort(c.PprofListen); err != nil {
			bad("pprof-listen: %q is not host:port", c.PprofListen)
		}
	}
	switch {
	case c.Search != SearchBleve && c.Search != SearchPostgres:
		bad("search: %q is neither bleve nor postgres", c.Search)
	case c.Search == SearchPostgres && !strings.HasPrefix(c.DatabaseURL, "postgres"):
		bad("search: postgres needs a PostgreSQL database-url")
	}
	if c.SQLiteSync != "full" && c.SQLiteSync != "normal" {
		bad("sqlite-synchronous: %q is neither full nor normal", c.SQLiteSync)
	}
	return errors.Join(errs...)
}

// IsPostgres reports whether the database is PostgreSQL.
func (c Config) IsPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// SecureCookies reports whether cookies must be marked Secure regardless of
// how the request arrived (the public URL is https).
func (c Config) SecureCookies() bool { return strings.HasPrefix(c.PublicURL, "https://") }

// Level returns the slog level (Validate has checked it).
func (c Config) Level() slog.Level {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.LogLevel))
	return lvl
}

// SecretKeyPath is where a generated secret is kept.
func (c Config) SecretKeyPath() string { return filepath.Join(c.DataDir, "secret.key") }

// Secret returns the 32-byte key derived from the configured secret, reading
// the secret file or, when neither is set, reading or creating
// <data-dir>/secret.key on first run.
func (c Config) Secret() ([]byte, error) {
	material := c.SecretKey
	switch {
	case material != "":
	case c.SecretKeyFile != "":
		b, err := os.ReadFile(c.SecretKeyFile)
		if err != nil {
			return nil, fmt.Errorf("secret key file: %w", err)
		}
		material = strings.TrimSpace(string(b))
	default:
		var err error
		if material, err = readOrCreateSecret(c.SecretKeyPath()); err != nil {
			return nil, err
		}
	}
	if len(material) < 32 {
		return nil, errors.New("secret key: must be at least 32 characters")
	}
	sum := sha256.Sum256([]byte(material))
	return sum[:], nil
}

func readOrCreateSecret(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("secret key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("secret key: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	secret := base64.RawURLEncoding.EncodeToString(raw)
	// O_EXCL: two processes starting at once must not write two different keys.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return readOrCreateSecret(path)
	}
	if err != nil {
		return "", fmt.Errorf("secret key: %w", err)
	}
	defer f.Close()
	if _, err := f.WriteString(secret + "\n"); err != nil {
		return "", fmt.Errorf("secret key: %w", err)
	}
	return secret, f.Sync()
}

// BaseURL is where people reach the client: the public URL, or the
// listening address.
func (c Config) BaseURL() string {
	if c.PublicURL != "" {
		return strings.TrimRight(c.PublicURL, "/")
	}
	return "http://" + c.Listen
}
