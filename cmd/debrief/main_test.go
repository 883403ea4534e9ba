package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/testutil"
)

var binary string

// TestMain builds the real binary once; these tests run it as a user would.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "debrief-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "debrief")
	args := []string{"build", "-o", binary}
	if raceEnabled {
		// Same flags as the test binary, so the build cache is shared.
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, ".")...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build debrief:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// server is a running `debrief serve`.
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	addr string
	logs *syncBuffer
	done chan error
}

// syncBuffer collects a process's output while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func baseEnv(t *testing.T, b testutil.Backend, dataDir string) []string {
	env := append(os.Environ(), "DEBRIEF_DATA_DIR="+dataDir, "DEBRIEF_LOG_LEVEL=info", "DEBRIEF_SECRET_KEY=", "DEBRIEF_DATABASE_URL=")
	if b == testutil.Postgres {
		env = append(env, "DEBRIEF_DATABASE_URL="+testutil.PostgresDatabase(t))
	}
	return env
}

func startServer(t *testing.T, env []string, extra ...string) *server {
	t.Helper()
	s := &server{t: t, addr: freeAddr(t), logs: &syncBuffer{}, done: make(chan error, 1)}
	s.cmd = exec.Command(binary, append([]string{"serve", "--listen", s.addr}, extra...)...)
	s.cmd.Env = env
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(s.url("/readyz"))
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return s
			}
		}
		select {
		case err := <-s.done:
			t.Fatalf("debrief serve exited early (%v):\n%s", err, s.logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("debrief serve not ready after 60s:\n%s", s.logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *server) url(path string) string { return "http://" + s.addr + path }

// call sends a JSON request and decodes a JSON answer into out (if not nil).
func (s *server) call(method, path, token string, body any, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.url(path), rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, err
	}
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			return res.StatusCode, fmt.Errorf("decode %s: %w", b, err)
		}
	}
	return res.StatusCode, nil
}

// token signs up (or signs in) and returns a fresh API token.
func (s *server) token(email string) string {
	s.t.Helper()
	return s.tokenWith(email, "correct horse battery")
}

func (s *server) tokenWith(email, password string) string {
	s.t.Helper()
	jar := &http.Client{}
	b, _ := json.Marshal(map[string]any{"email": email, "password": password})
	res, err := jar.Post(s.url("/api/v1/auth/signup"), "application/json", bytes.NewReader(b))
	if err != nil {
		s.t.Fatal(err)
	}
	if res.StatusCode != http.StatusCreated { // taken, or sign-up closed
		res.Body.Close()
		res, err = jar.Post(s.url("/api/v1/auth/login"), "application/json", bytes.NewReader(b))
		if err != nil {
			s.t.Fatal(err)
		}
	}
	var auth struct {
		CSRFToken string `json:"csrf_token"`
	}
	json.NewDecoder(res.Body).Decode(&auth)
	res.Body.Close()
	if res.StatusCode >= 300 {
		s.t.Fatalf("sign in %s: %d", email, res.StatusCode)
	}
	req, _ := http.NewRequest("POST", s.url("/api/v1/tokens"), strings.NewReader(`{"name":"test"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", auth.CSRFToken)
	for _, c := range res.Cookies() {
		req.AddCookie(c)
	}
	tres, err := jar.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer tres.Body.Close()
	var tok struct {
		Token string `json:"token"`
	}
	json.NewDecoder(tres.Body).Decode(&tok)
	if tok.Token == "" {
		s.t.Fatalf("no token (status %d)", tres.StatusCode)
	}
	return tok.Token
}

func (s *server) stop(sig syscall.Signal) error {
	s.t.Helper()
	if err := s.cmd.Process.Signal(sig); err != nil {
		s.t.Fatal(err)
	}
	select {
	case err := <-s.done:
		return err
	case <-time.After(30 * time.Second):
		s.t.Fatalf("debrief did not exit 30s after %v:\n%s", sig, s.logs)
		return nil
	}
}

func runCLI(t *testing.T, env []string, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestServeBoots starts the real binary on a fresh data dir: it creates the
// database and secret, migrates, serves the API, the page, health and
// metrics, and shuts down cleanly on SIGTERM.
func TestServeBoots(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		data := filepath.Join(t.TempDir(), "data")
		s := startServer(t, baseEnv(t, b, data))
		if b == testutil.SQLite {
			for _, f := range []string{"debrief.db", "secret.key"} {
				if _, err := os.Stat(filepath.Join(data, f)); err != nil {
					t.Errorf("data dir lacks %s: %v", f, err)
				}
			}
		}
		tok := s.token("boot@example.com")
		var m struct{ ID string }
		if code, err := s.call("POST", "/api/v1/meetings", tok, map[string]any{"title": "Boot", "starts_at": "2026-12-01T10:00:00Z"}, &m); code != 201 || err != nil {
			t.Fatalf("create meeting: %d %v", code, err)
		}
		for path, want := range map[string]string{
			"/healthz":             `"status":"ok"`,
			"/metrics":             "debrief_http_requests_total",
			"/":                    "<title>Debrief</title>",
			"/api/v1/openapi.yaml": "openapi: 3",
		} {
			res, err := http.Get(s.url(path))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || !strings.Contains(string(body), want) {
				t.Errorf("GET %s: %d, body lacks %q", path, res.StatusCode, want)
			}
		}
		if err := s.stop(syscall.SIGTERM); err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, s.logs)
		}
		// Restart on the same data: the meeting is there, no migration reruns.
		s2 := startServer(t, baseEnv(t, b, data), dbFlag(s)...)
		tok2 := s2.token("boot@example.com")
		if code, _ := s2.call("GET", "/api/v1/meetings/"+m.ID, tok2, nil, nil); code != 200 {
			t.Errorf("meeting after restart: %d", code)
		}
		if strings.Contains(s2.logs.String(), "migrated database") {
			t.Errorf("restart migrated again:\n%s", s2.logs)
		}
		s2.stop(syscall.SIGTERM)
	})
}

// dbFlag keeps a restarted server on the first one's database.
func dbFlag(s *server) []string {
	for _, e := range s.cmd.Env {
		if v, ok := strings.CutPrefix(e, "DEBRIEF_DATABASE_URL="); ok && v != "" {
			return []string{"--database-url", v}
		}
	}
	return nil
}

// TestCrashLosesNothingAcknowledged kills `debrief serve` with SIGKILL in
// the middle of concurrent writes and checks, after a restart, that every
// write that got a 2xx is there.
func TestCrashLosesNothingAcknowledged(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		data := filepath.Join(t.TempDir(), "data")
		env := baseEnv(t, b, data)
		s := startServer(t, env)
		tok := s.token("crash@example.com")

		type ack struct {
			meeting string
			version int
			body    string
		}
		var mu sync.Mutex
		var acked []ack
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; ctx.Err() == nil && i < 10000; i++ {
					var m struct{ ID string }
					code, err := s.call("POST", "/api/v1/meetings", tok, map[string]any{
						"title": fmt.Sprintf("w%d-%d", w, i), "starts_at": "2026-12-01T10:00:00Z",
						"attendees": []map[string]any{{"email": fmt.Sprintf("p%d@acme.com", i%5)}},
					}, &m)
					if err != nil || code != 201 {
						return // the server is gone
					}
					body := fmt.Sprintf("note %d by %d", i, w)
					var n struct{ Version int }
					code, err = s.call("PUT", "/api/v1/meetings/"+m.ID+"/note", tok, map[string]any{"body": body}, &n)
					mu.Lock()
					acked = append(acked, ack{meeting: m.ID})
					if err == nil && code == 200 {
						acked = append(acked, ack{meeting: m.ID, version: n.Version, body: body})
					}
					mu.Unlock()
					if err != nil {
						return
					}
				}
			}(w)
		}
		// Let writes pile up, then pull the plug.
		for {
			mu.Lock()
			n := len(acked)
			mu.Unlock()
			if n >= 200 || ctx.Err() != nil {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-s.done
		wg.Wait()
		if len(acked) < 100 {
			t.Fatalf("only %d writes acknowledged before the kill", len(acked))
		}

		s2 := startServer(t, env, dbFlag(s)...)
		tok2 := s2.token("crash@example.com")
		lost := 0
		for _, a := range acked {
			var m struct {
				Note *struct {
					Body    string
					Version int
				}
			}
			code, err := s2.call("GET", "/api/v1/meetings/"+a.meeting, tok2, nil, &m)
			if err != nil || code != 200 {
				lost++
				t.Errorf("acknowledged meeting %s lost after SIGKILL: %d %v", a.meeting, code, err)
				continue
			}
			if a.version > 0 && (m.Note == nil || m.Note.Version != a.version || m.Note.Body != a.body) {
				lost++
				t.Errorf("acknowledged note on %s lost after SIGKILL: %+v", a.meeting, m.Note)
			}
		}
		t.Logf("%d acknowledged writes checked after SIGKILL, %d lost", len(acked), lost)
		s2.stop(syscall.SIGTERM)
	})
}

func TestCLI(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	env := baseEnv(t, testutil.SQLite, data)

	out, err := runCLI(t, env, "", "config", "check")
	if err != nil || !strings.Contains(out, "configuration is valid") {
		t.Errorf("config check: %v %s", err, out)
	}
	out, err = runCLI(t, append(env, "DEBRIEF_SIGNUP=sometimes", "DEBRIEF_LISTEN=nowhere"), "", "config", "check")
	if err == nil || !strings.Contains(out, "signup") || !strings.Contains(out, "listen") {
		t.Errorf("bad config check should list every problem and fail: %v %s", err, out)
	}
	if out, err = runCLI(t, env, "", "migrate"); err != nil {
		t.Fatalf("migrate: %v %s", err, out)
	}
	out, err = runCLI(t, env, "a long stdin password\n", "user", "create", "--email", "Grace@Example.com", "--name", "Grace", "--time-zone", "America/New_York")
	if err != nil || !strings.Contains(out, "grace@example.com") || strings.Contains(out, "generated password") {
		t.Fatalf("user create: %v %s", err, out)
	}
	out, err = runCLI(t, env, "", "user", "create", "--email", "linus@example.com")
	if err != nil || !strings.Contains(out, "generated password: ") {
		t.Fatalf("user create with generated password: %v %s", err, out)
	}
	generated := strings.TrimSpace(out[strings.Index(out, "generated password: ")+len("generated password: "):])
	if out, err = runCLI(t, env, "another password\n", "user", "create", "--email", "grace@example.com"); err == nil {
		t.Errorf("duplicate user created: %s", out)
	}
	if out, err = runCLI(t, env, "", "user", "create", "--name", "x"); err == nil || !strings.Contains(out, "--email") {
		t.Errorf("user create without email: %v %s", err, out)
	}

	// Closed sign-up: only created users get in.
	s := startServer(t, append(env, "DEBRIEF_SIGNUP=closed"))
	if code, _ := s.call("POST", "/api/v1/auth/signup", "", map[string]any{"email": "new@example.com", "password": "whatever1234"}, nil); code != 403 {
		t.Errorf("closed sign-up answered %d", code)
	}
	for email, pw := range map[string]string{"grace@example.com": "a long stdin password", "linus@example.com": generated} {
		if code, _ := s.call("POST", "/api/v1/auth/login", "", map[string]any{"email": email, "password": pw}, nil); code != 200 {
			t.Errorf("login %s: %d", email, code)
		}
	}
	tok := s.tokenWith("grace@example.com", "a long stdin password")
	s.call("POST", "/api/v1/meetings", tok, map[string]any{"title": "Backed up", "starts_at": "2026-12-01T10:00:00Z"}, nil)

	// Backup of the live database.
	to := filepath.Join(t.TempDir(), "copy.db")
	if out, err := runCLI(t, env, "", "backup", "--to", to); err != nil {
		t.Fatalf("backup: %v %s", err, out)
	}
	// It holds sessions and sealed tokens: its owner's alone.
	if fi, err := os.Stat(to); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file mode %v (%v), want 0600", fi.Mode(), err)
	}
	if out, err := runCLI(t, env, "", "backup", "--to", to); err == nil || !strings.Contains(out, "already exists") {
		t.Errorf("a backup over an existing file: %v %s", err, out)
	}
	s.stop(syscall.SIGTERM)
	copyDir := t.TempDir()
	copyEnv := baseEnv(t, testutil.SQLite, copyDir)
	if err := os.Rename(to, filepath.Join(copyDir, "debrief.db")); err != nil {
		t.Fatal(err)
	}
	s2 := startServer(t, copyEnv)
	var list struct{ Items []struct{ Title string } }
	s2.call("GET", "/api/v1/meetings", s2.tokenWith("grace@example.com", "a long stdin password"), nil, &list)
	if len(list.Items) != 1 || list.Items[0].Title != "Backed up" {
		t.Errorf("restored backup has %+v", list.Items)
	}
	s2.stop(syscall.SIGTERM)

	if out, err := runCLI(t, append(env, "DEBRIEF_DATABASE_URL=postgres://nobody@127.0.0.1:1/none"), "", "backup", "--to", to); err == nil || !strings.Contains(out, "pg_dump") {
		t.Errorf("backup on PostgreSQL should point to pg_dump: %v %s", err, out)
	}
	if out, _ := runCLI(t, env, "", "version"); !strings.HasPrefix(out, "debrief ") {
		t.Errorf("version: %s", out)
	}
	if _, err := runCLI(t, env, "", "frobnicate"); err == nil {
		t.Error("unknown command succeeded")
	}
}
