package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-hq/debrief/internal/testutil"
)

// TestImportICSCommand runs `debrief import-ics` on a file, on stdin and on
// a feed URL, as a user would.
func TestImportICSCommand(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	env := baseEnv(t, testutil.SQLite, data)
	if out, err := runCLI(t, env, "a long stdin password\n", "user", "create", "--email", "ada@example.com", "--time-zone", "America/Los_Angeles"); err != nil {
		t.Fatalf("user create: %v %s", err, out)
	}
	file := "../../testdata/ics/ical_js/recur_instances.ics"
	window := []string{"--from", "2012-09-01", "--to", "2013-06-01"}

	out, err := runCLI(t, env, "", append(append([]string{"import-ics", "--user", "Ada@Example.com"}, window...), file)...)
	if err != nil {
		t.Fatalf("import-ics: %v %s", err, out)
	}
	// Eight occurrences, listed in the user's zone, then the summary.
	if !strings.Contains(out, "created   2012-10-02 15:00  Crazy Event Thingy!") || strings.Count(out, "created ") != 8 ||
		!strings.Contains(out, file+": 8 created, 0 updated, 0 cancelled, 0 unchanged, 0 skipped (window 2012-09-01 to 2013-06-01)") {
		t.Fatalf("first import:\n%s", out)
	}
	// The same file from stdin changes nothing.
	body, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	out, err = runCLI(t, env, string(body), append(append([]string{"import-ics", "--user", "ada@example.com"}, window...), "-")...)
	if err != nil || !strings.Contains(out, "-: 0 created, 0 updated, 0 cancelled, 8 unchanged, 0 skipped") {
		t.Fatalf("second import: %v\n%s", err, out)
	}

	// A feed on a private address is refused unless allowed.
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/calendar")
		w.Write([]byte(strings.Replace(string(body), "Crazy Event Thingy!", "Renamed", -1)))
	}))
	defer feed.Close()
	url := strings.Replace(feed.URL, "http://", "webcal://", 1)
	out, err = runCLI(t, env, "", append(append([]string{"import-ics", "--user", "ada@example.com"}, window...), url)...)
	if err == nil || !strings.Contains(out, "private, loopback or link-local") {
		t.Errorf("private feed: %v\n%s", err, out)
	}
	out, err = runCLI(t, append(env, "DEBRIEF_ALLOW_PRIVATE_FETCH=true"), "", append(append([]string{"import-ics", "--user", "ada@example.com"}, window...), strings.Replace(url, "webcal://", "http://", 1))...)
	if err != nil || !strings.Contains(out, "0 created, 8 updated, 0 cancelled") || !strings.Contains(out, "updated   2012-11-06 20:00  Renamed") {
		t.Errorf("allowed feed: %v\n%s", err, out)
	}

	// Mistakes are explained.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import-ics", file}, "usage: debrief import-ics"},
		{[]string{"import-ics", "--user", "ada@example.com"}, "usage: debrief import-ics"},
		{[]string{"import-ics", "--user", "nobody@example.com", file}, "user not found"},
		{[]string{"import-ics", "--user", "ada@example.com", "--from", "soon", file}, "--from \"soon\" is not a date"},
		{[]string{"import-ics", "--user", "ada@example.com", "/no/such/file.ics"}, "no such file"},
	} {
		if out, err := runCLI(t, env, "", c.args...); err == nil || !strings.Contains(out, c.want) {
			t.Errorf("%v: %v\n%s", c.args, err, out)
		}
	}
}
