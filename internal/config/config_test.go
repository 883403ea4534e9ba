package config

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load("serve", nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:8080" || c.DataDir != "./data" || c.DatabaseURL != "" || c.Signup != "open" || c.BodyLimit != 1<<20 {
		t.Errorf("defaults: %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("defaults do not validate: %v", err)
	}
}

func TestPrecedence(t *testing.T) {
	file := filepath.Join(t.TempDir(), "debrief.json")
	if err := os.WriteFile(file, []byte(`{"listen":"127.0.0.1:1111","data_dir":"/from/file","signup":"closed","body_limit":4096}`), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load("serve", []string{"--config", file, "--listen", "127.0.0.1:3333"},
		env(map[string]string{"DEBRIEF_LISTEN": "127.0.0.1:2222", "DEBRIEF_DATA_DIR": "/from/env", "DEBRIEF_SESSION_TTL": "48h"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:3333" {
		t.Errorf("flag should beat env and file: listen %s", c.Listen)
	}
	if c.DataDir != "/from/env" {
		t.Errorf("env should beat file: data dir %s", c.DataDir)
	}
	if c.Signup != "closed" || c.BodyLimit != 4096 {
		t.Errorf("file values lost: %+v", c)
	}
	if c.SessionTTL != 48*time.Hour {
		t.Errorf("session ttl %v", c.SessionTTL)
	}
	// DEBRIEF_CONFIG names the file too.
	c, err = Load("serve", nil, env(map[string]string{"DEBRIEF_CONFIG": file}), io.Discard)
	if err != nil || c.Listen != "127.0.0.1:1111" {
		t.Errorf("DEBRIEF_CONFIG: %v %s", err, c.Listen)
	}
}

func TestBadConfigIsReportedAtOnce(t *testing.T) {
	if _, err := Load("serve", nil, env(map[string]string{"DEBRIEF_BODY_LIMIT": "lots"}), io.Discard); err == nil || !strings.Contains(err.Error(), "DEBRIEF_BODY_LIMIT") {
		t.Errorf("non-numeric env: %v", err)
	}
	if _, err := Load("serve", []string{"--nope"}, env(nil), io.Discard); err == nil {
		t.Error("unknown flag accepted")
	}
	file := filepath.Join(t.TempDir(), "c.json")
	os.WriteFile(file, []byte(`{"listn": "x"}`), 0o600)
	if _, err := Load("serve", []string{"--config", file}, env(nil), io.Discard); err == nil {
		t.Error("unknown config file key accepted")
	}
	c := Default()
	c.Listen = "everywhere"
	c.DatabaseURL = "mysql://x"
	c.SecretKey = "short"
	c.Signup = "maybe"
	c.BodyLimit = 10
	c.LogLevel = "loud"
	c.PublicURL = "ftp://x"
	c.DatabaseConns = 0
	err := c.Validate()
	if err == nil {
		t.Fatal("invalid config validated")
	}
	for _, want := range []string{"listen", "database-url", "secret-key", "signup", "body-limit", "log-level", "public-url", "database-max-conns"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("validation does not mention %s: %v", want, err)
		}
	}
}

func TestSecret(t *testing.T) {
	c := Default()
	c.DataDir = filepath.Join(t.TempDir(), "data")
	k1, err := c.Secret()
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(c.SecretKeyPath())
	if err != nil {
		t.Fatalf("secret not generated into the data dir: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("secret file mode %v, want 0600", info.Mode().Perm())
	}
	k2, _ := c.Secret()
	if string(k1) != string(k2) || len(k1) != 32 {
		t.Error("generated secret not reused across starts")
	}
	file := filepath.Join(t.TempDir(), "key")
	os.WriteFile(file, []byte("a-secret-from-a-file-that-is-long-enough\n"), 0o600)
	c.SecretKeyFile = file
	k3, err := c.Secret()
	if err != nil || string(k3) == string(k1) {
		t.Errorf("secret file not used: %v", err)
	}
	c.SecretKeyFile = ""
	c.SecretKey = "a-secret-from-a-file-that-is-long-enough"
	k4, _ := c.Secret()
	if string(k4) != string(k3) {
		t.Error("same secret via env and file gives different keys")
	}
}

func TestBooleanSetting(t *testing.T) {
	c, err := Load("serve", nil, env(map[string]string{"DEBRIEF_ALLOW_PRIVATE_FETCH": "true"}), io.Discard)
	if err != nil || !c.AllowPrivateFetch {
		t.Errorf("env true: %v %v", err, c.AllowPrivateFetch)
	}
	c, err = Load("serve", []string{"--allow-private-fetch=false"}, env(map[string]string{"DEBRIEF_ALLOW_PRIVATE_FETCH": "true"}), io.Discard)
	if err != nil || c.AllowPrivateFetch {
		t.Errorf("flag false beats env: %v %v", err, c.AllowPrivateFetch)
	}
	if _, err := Load("serve", nil, env(map[string]string{"DEBRIEF_ALLOW_PRIVATE_FETCH": "maybe"}), io.Discard); err == nil || !strings.Contains(err.Error(), "neither true nor false") {
		t.Errorf("bad boolean: %v", err)
	}
	if c := Default(); c.AllowPrivateFetch || c.ImportLimit != 20<<20 {
		t.Errorf("defaults: %+v", c)
	}
}

func TestLoadArgs(t *testing.T) {
	_, rest, err := LoadArgs("import-ics", []string{"--listen", "127.0.0.1:9999", "feed.ics"}, env(nil), io.Discard)
	if err != nil || len(rest) != 1 || rest[0] != "feed.ics" {
		t.Errorf("LoadArgs: %v %v", rest, err)
	}
	if _, err := Load("serve", []string{"feed.ics"}, env(nil), io.Discard); err == nil || !strings.Contains(err.Error(), `unexpected argument "feed.ics"`) {
		t.Errorf("Load with an argument: %v", err)
	}
}
