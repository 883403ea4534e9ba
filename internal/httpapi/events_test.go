package httpapi_test

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/app"
	"github.com/debrief-hq/debrief/internal/testutil"
)

// listen serves a on a real loopback listener (event streams need one).
func listen(t *testing.T, a *app.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go a.HTTP.Listener(ln)
	t.Cleanup(func() { _ = a.HTTP.ShutdownWithTimeout(time.Second) })
	return "http://" + ln.Addr().String()
}

// stream opens the event stream with a token and returns its events as
// "type data" lines.
func stream(t *testing.T, base, token string) <-chan string {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	res, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	out := make(chan string, 100)
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		typ := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				typ = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				out <- typ + " " + strings.TrimPrefix(line, "data: ")
			}
		}
		close(out)
	}()
	return out
}

// next waits up to a second for an event containing want.
func next(t *testing.T, events <-chan string, want string) {
	t.Helper()
	deadline := time.After(time.Second)
	for {
		select {
		case e, ok := <-events:
			if !ok {
				t.Fatalf("the stream ended before %q", want)
			}
			if strings.Contains(e, want) {
				return
			}
		case <-deadline:
			t.Fatalf("no event with %q within a second", want)
		}
	}
}

// TestEventStream: a saved note, changed items and a finished sync reach
// the owner's stream within a second, and nobody else's; with two
// instances on one PostgreSQL, a save on one reaches a stream on the other.
func TestEventStream(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		cfg := testutil.Config(t, b)
		a := testutil.NewAppFromConfig(t, cfg)
		base := listen(t, a)
		c := testutil.SignUp(t, a.HTTP)
		other := testutil.SignUp(t, a.HTTP)
		mine, theirs := stream(t, base, c.Token), stream(t, base, other.Token)
		next(t, mine, "ready")
		next(t, theirs, "ready")
		m := createMeeting(t, c, map[string]any{"title": "Sync", "starts_at": "2026-12-01T10:00:00Z"})
		c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "!! send the deck"}).Expect(t, 200)
		next(t, mine, `note.saved {"type":"note.saved","subject":"meeting","id":"`+m.ID+`","version":1}`)
		next(t, mine, `items.changed {"type":"items.changed","meeting_id":"`+m.ID+`"}`)
		var items page[struct{ ID string }]
		c.Do("GET", "/api/v1/action-items?meeting_id="+m.ID, nil).Expect(t, 200).JSON(t, &items)
		c.Do("PATCH", "/api/v1/action-items/"+items.Items[0].ID, map[string]any{"status": "done"}).Expect(t, 200)
		next(t, mine, `"version":2`) // the note's checkbox, ticked by the server
		select {
		case e := <-theirs:
			t.Errorf("another account heard %s", e)
		case <-time.After(200 * time.Millisecond):
		}

		if b != testutil.Postgres {
			return
		}
		// A second instance on the same database.
		a2 := testutil.NewAppFromConfig(t, cfg)
		base2 := listen(t, a2)
		onSecond := stream(t, base2, c.Token)
		next(t, onSecond, "ready")
		c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "- [x] send the deck\nmore"}).Expect(t, 200)
		next(t, onSecond, `note.saved {"type":"note.saved","subject":"meeting","id":"`+m.ID+`"`)
	})
}
