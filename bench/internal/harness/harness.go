// Package harness is what the benchmark commands share: a free loopback
// address for the server they start, waiting for it to be ready, and
// stopping with a message when something fails.
package harness

import (
	"database/sql"
	"fmt"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// FreeAddr is a loopback address with a port nobody listens on.
func FreeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	Check(err)
	defer ln.Close()
	return ln.Addr().String()
}

// WaitReady polls url until it answers 200, a minute at most.
func WaitReady(url string) {
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
	}
	Fail("%s not ready after a minute", url)
}

// Child is a command that dies with this one: a benchmark that stops on
// Fail (os.Exit, no deferred kills) leaves no server running.
func Child(name string, args ...string) *exec.Cmd {
	c := exec.Command(name, args...)
	c.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	return c
}

// Check stops the command when err is not nil.
func Check(err error) {
	if err != nil {
		Fail("%v", err)
	}
}

// Fail stops the command with a message, named after it.
func Fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, filepath.Base(os.Args[0])+": "+format+"\n", args...)
	os.Exit(1)
}

// FreshDatabase makes an empty database on the PostgreSQL server at url
// and returns its URL and what drops it: a run never measures a table
// that an earlier one left behind (with autovacuum off, as here, its dead
// rows stay).
func FreshDatabase(url string) (string, func()) {
	admin, err := sql.Open("pgx", url)
	Check(err)
	name := fmt.Sprintf("debrief_bench_%d", time.Now().UnixNano())
	_, err = admin.Exec("CREATE DATABASE " + name)
	Check(err)
	u, err := neturl.Parse(url)
	Check(err)
	u.Path = "/" + name
	return u.String(), func() {
		if _, err := admin.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			fmt.Fprintf(os.Stderr, "drop %s: %v\n", name, err)
		}
		admin.Close()
	}
}
