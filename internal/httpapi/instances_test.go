package httpapi_test

import (
	"slices"
	"testing"
	"time"

	dconfig "github.com/debrief-hq/debrief/internal/config"
	"github.com/debrief-hq/debrief/internal/testutil"
)

// TestTwoInstances: two servers on one PostgreSQL database, as behind a
// load balancer. What is saved on one is read and found on the other, an
// edit on the other is seen by the first, and a token revoked on one is
// refused by the other once its sign-in cache (2 s) lets go of it.
func TestTwoInstances(t *testing.T) {
	if !slices.Contains(testutil.Backends(t), testutil.Postgres) {
		t.Fatal("this test needs PostgreSQL (DEBRIEF_TEST_POSTGRES_DSN)")
	}
	cfg := testutil.Config(t, testutil.Postgres)
	cfg.Search = dconfig.SearchPostgres
	a, b := searchApp(t, testutil.Postgres, cfg), searchApp(t, testutil.Postgres, cfg)
	ca := testutil.SignUp(t, a.HTTP)
	cb := ca.On(b.HTTP)

	// Saved on A: read and found on B.
	m := createMeeting(t, ca, map[string]any{"title": "Vendor review", "starts_at": "2026-11-03T10:00:00Z"})
	ca.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "The quokka contract renews in March."}).Expect(t, 200)
	// seen: reader reads body at version from the meeting and finds it by word.
	seen := func(who string, reader *testutil.Client, body string, version int, word string) {
		t.Helper()
		var got struct {
			Note struct {
				Body    string `json:"body"`
				Version int    `json:"version"`
			} `json:"note"`
		}
		reader.Do("GET", "/api/v1/meetings/"+m.ID, nil).Expect(t, 200).JSON(t, &got)
		if got.Note.Body != body || got.Note.Version != version {
			t.Fatalf("%s reads %+v", who, got.Note)
		}
		if r := eventually(t, reader, word, func(r searchJSON) bool { return r.Total >= 1 }); r.Items[0].MeetingID != m.ID {
			t.Errorf("%s finds %+v", who, r.Items)
		}
	}
	seen("B", cb, "The quokka contract renews in March.", 1, "quokka")
	// Edited on B, against the version A wrote: A reads the edit.
	cb.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "The quokka contract renews in April."}, `If-Match: "1"`).Expect(t, 200)
	seen("A", ca, "The quokka contract renews in April.", 2, "april")
	// A save on A against the version B replaced is refused, not lost.
	ca.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "stale"}, `If-Match: "1"`).Expect(t, 412)

	// A second token, used on B, revoked on A.
	var tok struct {
		ID    string `json:"id"`
		Token string `json:"token"`
	}
	ca.Do("POST", "/api/v1/tokens", map[string]any{"name": "laptop"}).Expect(t, 201).JSON(t, &tok)
	laptop := *cb
	laptop.Token = tok.Token
	laptop.Cookie = ""
	laptop.Do("GET", "/api/v1/me", nil).Expect(t, 200)
	ca.Do("DELETE", "/api/v1/tokens/"+tok.ID, nil).Expect(t, 204)
	revoked := time.Now()
	for {
		res := laptop.Do("GET", "/api/v1/me", nil)
		if res.Status == 401 {
			break
		}
		if res.Status != 200 || time.Since(revoked) > 10*time.Second {
			t.Fatalf("B still answers %d to the token revoked on A %v ago", res.Status, time.Since(revoked).Round(time.Millisecond))
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("B refused the revoked token %v after its revocation", time.Since(revoked).Round(100*time.Millisecond))
}
