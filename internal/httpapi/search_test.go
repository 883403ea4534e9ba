package httpapi_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/app"
	dconfig "github.com/debrief-hq/debrief/internal/config"
	"github.com/debrief-hq/debrief/internal/testutil"
)

type searchJSON struct {
	Total int `json:"total"`
	Items []struct {
		Type      string  `json:"type"`
		ID        string  `json:"id"`
		Title     string  `json:"title"`
		Snippet   string  `json:"snippet"`
		MeetingID string  `json:"meeting_id"`
		StartsAt  *string `json:"starts_at"`
		Score     float64 `json:"score"`
		Partial   bool    `json:"partial"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
	AnyWord    bool    `json:"any_word"`
	Corrected  bool    `json:"corrected"`
}

func searchFor(t *testing.T, c *testutil.Client, q string) searchJSON {
	t.Helper()
	var r searchJSON
	c.Do("GET", "/api/v1/search?q="+url.QueryEscape(q), nil).Expect(t, 200).JSON(t, &r)
	return r
}

// eventually polls a search until ok accepts it: index updates are jobs
// that run after the write commits.
func eventually(t *testing.T, c *testutil.Client, q string, ok func(searchJSON) bool) searchJSON {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		r := searchFor(t, c, q)
		if ok(r) {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("search %q never got there: %+v", q, r)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// searchableNote is an account, on an app whose jobs run, with a meeting
// titled title whose note is body, once searching word finds docs
// documents; it returns the account and the meeting's id.
func searchableNote(t *testing.T, b testutil.Backend, title, body, word string, docs int) (*testutil.Client, string) {
	t.Helper()
	a := searchApp(t, b, testutil.Config(t, b))
	c := testutil.SignUp(t, a.HTTP)
	m := createMeeting(t, c, map[string]any{"title": title, "starts_at": "2026-11-03T10:00:00Z"})
	c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": body}).Expect(t, 200)
	eventually(t, c, word, func(r searchJSON) bool { return r.Total == docs })
	return c, m.ID
}

// searchApp is an app whose job queue runs (index updates are jobs), with
// PostgreSQL full-text search on the PostgreSQL backend and bleve on SQLite.
func searchApp(t testing.TB, b testutil.Backend, cfg dconfig.Config) *app.App {
	t.Helper()
	if b == testutil.Postgres {
		cfg.Search = dconfig.SearchPostgres
	}
	a, err := app.New(context.Background(), cfg, testutil.Logger(t), app.Options{HashParams: testutil.CheapHash, JobPollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	startJobs(t, a)
	return a
}

func startJobs(t testing.TB, a *app.App) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if err := a.Jobs.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.RepairSearch(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, done := context.WithTimeout(context.Background(), 10*time.Second)
		defer done()
		a.Jobs.Stop(stop)
		cancel()
		a.Close()
	})
}

func TestSearchAPI(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := searchApp(t, b, testutil.Config(t, b))
		c := testutil.SignUp(t, a.HTTP)
		other := testutil.SignUp(t, a.HTTP)

		m := createMeeting(t, c, map[string]any{"title": "Acme sync", "starts_at": "2026-11-03T10:00:00Z",
			"attendees": []map[string]any{{"email": "ann@acme.com", "name": "Ann Lee"}}})
		c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "Acme asked about <b>discounts</b> for the Pro plan.\n" +
			"Decision: raise prices for new customers in January\n" +
			"- [ ] @Ann Lee send the revised price sheet\n" +
			"?? do resellers keep the old price"}).Expect(t, 200)
		createMeeting(t, other, map[string]any{"title": "Pricing secrets of another user", "starts_at": "2026-11-04T10:00:00Z"})

		// Snippets are the note as people read it: without the block ids
		// the server appended to its item lines.
		rs := eventually(t, c, "resellers", func(r searchJSON) bool { return r.Total == 2 })
		for _, it := range rs.Items {
			if anyBlockID.MatchString(it.Snippet) || anyBlockID.MatchString(it.Title) {
				t.Errorf("a block id shows in a search hit: %+v", it)
			}
		}

		// Stemmed: "prices" finds "prices" and "price"; titles and
		// decisions weigh more than the note's body.
		r := eventually(t, c, "prices", func(r searchJSON) bool { return r.Total == 4 })
		types := map[string]int{}
		for i, it := range r.Items {
			if it.Type == "note" && i != len(r.Items)-1 {
				t.Errorf("the note's body ranks above a title or a decision: %+v", r.Items)
			}
			types[it.Type]++
			if it.Title == "Pricing secrets of another user" {
				t.Fatalf("user A sees user B's meeting: %+v", it)
			}
			if it.Type != "person" && (it.MeetingID != m.ID || it.StartsAt == nil) {
				t.Errorf("hit without its meeting: %+v", it)
			}
		}
		if types["note"] != 1 || types["decision"] != 1 || types["action_item"] != 1 || types["question"] != 1 {
			t.Errorf("types for prices: %v (%+v)", types, r.Items)
		}
		// Snippets mark the match and escape the rest.
		r = eventually(t, c, "discounts", func(r searchJSON) bool { return r.Total == 1 })
		if r.Items[0].Type != "note" || !strings.Contains(r.Items[0].Snippet, "<mark>discounts</mark>") ||
			strings.Contains(r.Items[0].Snippet, "<b>") || !strings.Contains(r.Items[0].Snippet, "&lt;b&gt;") {
			t.Errorf("note snippet: %q", r.Items[0].Snippet)
		}
		// Filters.
		if r := searchFor(t, c, "type:decision january"); r.Total != 1 || r.Items[0].Type != "decision" {
			t.Errorf("type:decision january: %+v", r)
		}
		if r := searchFor(t, c, "person:ann type:action_item"); r.Total != 1 {
			t.Errorf("person:ann type:action_item: %+v", r)
		}
		if r := searchFor(t, c, "org:acme.com type:meeting"); r.Total != 1 || r.Items[0].ID != m.ID {
			t.Errorf("org:acme.com type:meeting: %+v", r)
		}
		if r := searchFor(t, c, "type:question is:open resellers"); r.Total != 1 {
			t.Errorf("is:open question: %+v", r)
		}
		if r := searchFor(t, c, "prices before:2026-11-01"); r.Total != 0 {
			t.Errorf("before:2026-11-01: %+v", r)
		}
		if r := searchFor(t, c, "prices after:2026-11-01 before:2026-11-04"); r.Total != 4 {
			t.Errorf("after:2026-11-01 before:2026-11-04: %+v", r)
		}
		if r := searchFor(t, c, `"pro plan"`); r.Total != 1 || r.Items[0].Type != "note" {
			t.Errorf("phrase: %+v", r)
		}
		if r := searchFor(t, c, `"plan pro"`); r.Total != 0 {
			t.Errorf("phrase in the wrong order: %+v", r)
		}
		if r := searchFor(t, c, "prices -january"); r.Total != 2 {
			t.Errorf("prices -january (the note and the decision say January): %+v", r)
		}
		if r := searchFor(t, c, "ann type:person"); r.Total != 1 || r.Items[0].Title != "Ann Lee" {
			t.Errorf("person document: %+v", r)
		}
		// User B sees only their own.
		eventually(t, other, "pricing", func(r searchJSON) bool { return r.Total == 1 && r.Items[0].Title == "Pricing secrets of another user" })
		for _, q := range []string{"discounts", "january", "ann", "acme", "type:decision", "person:ann@acme.com"} {
			if r := searchFor(t, other, q); r.Total != 0 {
				t.Errorf("user B finds %q: %+v", q, r)
			}
		}

		// Edits reach the index: the note loses a word, the meeting is renamed.
		c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "Nothing about money any more."}).Expect(t, 200)
		c.Do("PATCH", "/api/v1/meetings/"+m.ID, map[string]any{"title": "Quarterly review"}).Expect(t, 200)
		eventually(t, c, "discounts", func(r searchJSON) bool { return r.Total == 0 })
		eventually(t, c, "quarterly", func(r searchJSON) bool { return r.Total == 2 }) // the meeting and its note
		// A deleted meeting's documents go with it.
		c.Do("DELETE", "/api/v1/meetings/"+m.ID, nil).Expect(t, 204)
		eventually(t, c, "quarterly", func(r searchJSON) bool { return r.Total == 0 })

		// Pages.
		for i := range 25 {
			createMeeting(t, c, map[string]any{"title": fmt.Sprintf("Standup %d", i), "starts_at": fmt.Sprintf("2026-10-%02dT09:00:00Z", i+1)})
		}
		eventually(t, c, "standup", func(r searchJSON) bool { return r.Total == 25 })
		seen := map[string]bool{}
		next := ""
		for pages := 0; ; pages++ {
			var p searchJSON
			c.Do("GET", "/api/v1/search?q=standup&limit=10"+next, nil).Expect(t, 200).JSON(t, &p)
			for _, it := range p.Items {
				if seen[it.ID] {
					t.Errorf("%s on two pages", it.ID)
				}
				seen[it.ID] = true
			}
			if p.NextCursor == nil {
				if pages != 2 || len(seen) != 25 {
					t.Errorf("%d pages, %d hits", pages+1, len(seen))
				}
				break
			}
			next = "&cursor=" + url.QueryEscape(*p.NextCursor)
		}
		// Recent meetings break ties between equal matches.
		var p searchJSON
		c.Do("GET", "/api/v1/search?q=standup&limit=3", nil).Expect(t, 200).JSON(t, &p)
		if len(p.Items) != 3 || p.Items[0].Title != "Standup 24" {
			t.Errorf("equal matches not most recent first: %+v", p.Items)
		}

		// Bad input is a 400 that says what is wrong.
		for q, want := range map[string]string{
			"":                       "required",
			"q=":                     "required",
			"q=type:memo":            "type:memo",
			"q=%22unclosed":          "never closed",
			"q=-pricing":             "leave out",
			"q=before:tomorrow":      "before:tomorrow",
			"q=after:0000-01-01":     "between the years",
			"q=before:9999-12-31":    "between the years",
			"q=x&limit=0x10":         "limit",
			"q=x&limit=101":          "limit",
			"q=x&cursor=bm90LW91cnM": "cursor",
		} {
			res := c.Do("GET", "/api/v1/search?"+q, nil).Expect(t, 400)
			if !strings.Contains(string(res.Body), want) {
				t.Errorf("%s: %s does not mention %q", q, res.Body, want)
			}
		}
	})
}

// TestSearchRepairs: writes committed while no update runs (the process
// crashed between the commit and the indexing) are indexed after the
// restart, and an index that lost its documents is rebuilt from the
// database.
// TestSearchNoteEdits: a note edited again and again is found by its new
// words and no longer by its old ones: its text alone changed (its own
// document is written again), an item line added (the meeting's items
// too), and emptied (its document goes; the meeting stays).
func TestSearchNoteEdits(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		c, id := searchableNote(t, b, "Harbour review", "the walrus budget", "walrus", 1)
		path := "/api/v1/meetings/" + id + "/note"
		types := func(r searchJSON) string {
			var ts []string
			for _, it := range r.Items {
				ts = append(ts, it.Type)
			}
			slices.Sort(ts)
			return strings.Join(ts, ",")
		}
		eventually(t, c, "harbour", func(r searchJSON) bool { return types(r) == "meeting,note" })

		c.Do("PUT", path, map[string]any{"body": "the narwhal budget"}, `If-Match: "1"`).Expect(t, 200)
		eventually(t, c, "narwhal", func(r searchJSON) bool { return types(r) == "note" && r.Items[0].MeetingID == id })
		eventually(t, c, "walrus", func(r searchJSON) bool { return r.Total == 0 })

		c.Do("PUT", path, map[string]any{"body": ""}, `If-Match: "2"`).Expect(t, 200)
		eventually(t, c, "narwhal", func(r searchJSON) bool { return r.Total == 0 })
		eventually(t, c, "harbour", func(r searchJSON) bool { return types(r) == "meeting" })

		c.Do("PUT", path, map[string]any{"body": "the narwhal budget\n!! send the pelican deck"}).Expect(t, 200)
		eventually(t, c, "pelican", func(r searchJSON) bool { return types(r) == "action_item,note" })
		eventually(t, c, "harbour", func(r searchJSON) bool { return types(r) == "meeting,note" })

		c.Do("PUT", path, map[string]any{"body": "the narwhal budget\n!! send the pelican deck by friday"}).Expect(t, 200)
		eventually(t, c, "friday", func(r searchJSON) bool { return types(r) == "note" })
	})
}

func TestSearchRepairs(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		cfg := testutil.Config(t, b)
		if b == testutil.Postgres {
			cfg.Search = dconfig.SearchPostgres
		}
		// First run: the job queue never runs; the writes and their
		// outbox rows commit, nothing is indexed.
		first, err := app.New(context.Background(), cfg, testutil.Logger(t), app.Options{HashParams: testutil.CheapHash})
		if err != nil {
			t.Fatal(err)
		}
		c := testutil.SignUp(t, first.HTTP)
		m := createMeeting(t, c, map[string]any{"title": "Crash course", "starts_at": "2026-11-03T10:00:00Z"})
		c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "Decision: keep the journal"}).Expect(t, 200)
		if r := searchFor(t, c, "journal"); r.Total != 0 {
			t.Fatalf("indexed without a job: %+v", r)
		}
		first.Close()

		second := searchApp(t, b, cfg)
		c2 := testutil.NewClient(t, second.HTTP)
		c2.Token = c.Token
		eventually(t, c2, "journal", func(r searchJSON) bool { return r.Total == 2 }) // the note and the decision

		// The index loses everything: the next start rebuilds it.
		second.Jobs.Stop(context.Background())
		second.Close()
		if b == testutil.SQLite {
			if err := os.RemoveAll(app.SearchDir(cfg.DataDir)); err != nil {
				t.Fatal(err)
			}
		} else {
			third, err := app.New(context.Background(), cfg, testutil.Logger(t), app.Options{HashParams: testutil.CheapHash})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := third.DB.SQL.Exec("DELETE FROM search_documents"); err != nil {
				t.Fatal(err)
			}
			third.Close()
		}
		fourth := searchApp(t, b, cfg)
		c4 := testutil.NewClient(t, fourth.HTTP)
		c4.Token = c.Token
		eventually(t, c4, "journal", func(r searchJSON) bool { return r.Total == 2 })
		eventually(t, c4, "crash", func(r searchJSON) bool { return r.Total == 2 }) // the meeting and its note
	})
}

// TestSearchLostJob: outbox rows whose update job is gone (it gave up, or
// was lost) are not left waiting for a restart: the scheduler queues their
// update again.
func TestSearchLostJob(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		cfg := testutil.Config(t, b)
		a, err := app.New(context.Background(), cfg, testutil.Logger(t), app.Options{HashParams: testutil.CheapHash,
			JobPollInterval: 50 * time.Millisecond, JobSchedulerEvery: 200 * time.Millisecond, SearchStaleAfter: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		c := testutil.SignUp(t, a.HTTP)
		createMeeting(t, c, map[string]any{"title": "Orphaned outbox", "starts_at": "2026-11-03T10:00:00Z"})
		// The job is lost before it ran.
		if _, err := a.DB.SQL.Exec("DELETE FROM river_job WHERE kind = 'search_index'"); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		if err := a.Jobs.Start(ctx); err != nil { // no start-up repair: the scheduler alone
			t.Fatal(err)
		}
		t.Cleanup(func() {
			a.Jobs.Stop(context.Background())
			cancel()
			a.Close()
		})
		eventually(t, c, "orphaned", func(r searchJSON) bool { return r.Total == 1 })
	})
}

// TestSearchOddQueries: whatever is typed, the answer is results or a 400
// that says what is wrong — never a server error — on both backends.
func TestSearchOddQueries(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		c, _ := searchableNote(t, b, "C++ & <b>AT&T</b> review", "O'Brien said: 50% of Q3 (FY26) — ok?", "review", 2)
		for _, q := range []string{
			"the", "a an the of", `""`, `" "`, "type:", `person:""`, "-", "--", "- -x", ":", "::", "a:b:c", "*", "?", "a*b", "[x]", "(", ")",
			"AND OR NOT", "+must", "~fuzzy", "^boost", "field:value", "c++", "AT&T", "o'brien", "50%", "q3", "fy26", "—", "ü", "价格",
			"😀", "\\", "'", "`", "/", "<script>", "&lt;", "%00", "before:2026-13-01", "after:0000-01-01", "before:9999-12-31",
			"is:", "is:maybe", "type:note type:note", "series:\"", strings.Repeat("x", 500), strings.Repeat("x ", 33),
			strings.Repeat("é", 200), "person:" + strings.Repeat("a", 400),
		} {
			res := c.Do("GET", "/api/v1/search?q="+url.QueryEscape(q), nil)
			if res.Status != 200 && res.Status != 400 {
				t.Errorf("%q: %d %s", q, res.Status, res.Body)
			}
		}
		// Punctuation and markup in the text are found by their words.
		for q, want := range map[string]int{"o'brien": 1, "review": 2} {
			if r := searchFor(t, c, q); r.Total != want {
				t.Errorf("%q: %d hits, want %d (%+v)", q, r.Total, want, r.Items)
			}
		}
	})
}

// TestSearchPeopleFromMeetings: people a meeting or a calendar brings are
// found once they are new or get their name, with only those re-indexed.
func TestSearchPeopleFromMeetings(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := searchApp(t, b, testutil.Config(t, b))
		c := testutil.SignUp(t, a.HTTP)
		createMeeting(t, c, map[string]any{"title": "Intro", "starts_at": "2026-11-03T10:00:00Z",
			"attendees": []map[string]any{{"email": "kim@acme.com"}}})
		eventually(t, c, "kim@acme.com type:person", func(r searchJSON) bool { return r.Total == 1 })
		// A later meeting names her: her document is written again.
		createMeeting(t, c, map[string]any{"title": "Follow-up", "starts_at": "2026-11-10T10:00:00Z",
			"attendees": []map[string]any{{"email": "kim@acme.com", "name": "Kim Park"}}})
		eventually(t, c, `"kim park" type:person`, func(r searchJSON) bool { return r.Total == 1 })
		importICS(t, c, "?from=2026-11-01&to=2026-12-01", strings.Join([]string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
			"BEGIN:VEVENT", "UID:plan@globex.com", "SUMMARY:Planning", "DTSTART:20261112T150000Z", "DTEND:20261112T160000Z",
			"ATTENDEE;CN=Zed Quinn:mailto:zed@globex.com", "ATTENDEE;CN=Kim Park:mailto:kim@acme.com", "END:VEVENT", "END:VCALENDAR", ""}, "\r\n"))
		eventually(t, c, "zed type:person", func(r searchJSON) bool { return r.Total == 1 && r.Items[0].Title == "Zed Quinn" })
		eventually(t, c, "type:meeting planning", func(r searchJSON) bool { return r.Total == 1 })
		if r := searchFor(t, c, "type:person"); r.Total != 2 {
			t.Errorf("type:person: %+v", r)
		}
	})
}

// BenchmarkSearchFreshness measures how long after a note save's 200 its
// words are found, one save at a time (a person typing, not a load test),
// on each backend: the index updates' gather of a quarter second, the job
// queue's pick-up and the update itself.
func BenchmarkSearchFreshness(b *testing.B) {
	for _, be := range testutil.Backends(b) {
		b.Run(string(be), func(b *testing.B) {
			a := searchApp(b, be, testutil.Config(b, be))
			c := testutil.SignUp(b, a.HTTP)
			var m meetingJSON
			c.Do("POST", "/api/v1/meetings", map[string]any{"title": "Freshness", "starts_at": "2026-11-03T10:00:00Z"}).Expect(b, 201).JSON(b, &m)
			var lat []time.Duration
			for i := 0; i < b.N; i++ {
				word := fmt.Sprintf("fresh%dword", i)
				c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "the notes say " + word}).Expect(b, 200)
				start := time.Now()
				for {
					var r searchJSON
					c.Do("GET", "/api/v1/search?q="+word, nil).Expect(b, 200).JSON(b, &r)
					if r.Total > 0 {
						break
					}
					if time.Since(start) > 10*time.Second {
						b.Fatalf("%s was not found 10 s after its save", word)
					}
					time.Sleep(5 * time.Millisecond)
				}
				lat = append(lat, time.Since(start))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-p50-to-found")
			b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "ms-max-to-found")
		})
	}
}

// TestSearchAsYouType: prefix=true matches the last word as typed; a bad
// value is a 400.
func TestSearchAsYouType(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		c, _ := searchableNote(t, b, "Roadmap review", "We agreed the quarterly roadmap.", "roadmap", 2)
		var typed searchJSON
		c.Do("GET", "/api/v1/search?q=roadm&prefix=true", nil).Expect(t, 200).JSON(t, &typed)
		if typed.Total != 2 {
			t.Errorf("roadm as typed: %+v", typed)
		}
		if r := searchFor(t, c, "roadm"); r.Total != 0 {
			t.Errorf("roadm as a word: %+v", r)
		}
		c.Do("GET", "/api/v1/search?q=roadm&prefix=maybe", nil).Expect(t, 400)
		// No document has every word: those with some, and the answer says so.
		var some struct {
			Total   int  `json:"total"`
			AnyWord bool `json:"any_word"`
		}
		c.Do("GET", "/api/v1/search?q=roadmap+zebra", nil).Expect(t, 200).JSON(t, &some)
		if some.Total != 2 || !some.AnyWord {
			t.Errorf("roadmap zebra: %+v", some)
		}
		c.Do("GET", "/api/v1/search?q=roadmap", nil).Expect(t, 200).JSON(t, &some)
		if some.AnyWord {
			t.Error("any_word set when every word matched")
		}
	})
}

// TestSearchTypos: a query that finds nothing as typed is looked for again
// with its longer words a letter or two off, and says so; a question finds
// what has its words, the best first, and says which hits lack some.
func TestSearchTypos(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		c, meetingID := searchableNote(t, b, "Vendor call", "We receive the invoice from Globex next week.\nThe contract renewal is frozen.", "invoice", 1)

		r := searchFor(t, c, "recieve the invoce")
		if r.Total != 1 || !r.Corrected || r.Items[0].MeetingID != meetingID {
			t.Errorf("recieve the invoce: %+v", r)
		}
		if r := searchFor(t, c, "receive invoice"); r.Corrected || r.Total != 1 || r.AnyWord || r.Items[0].Partial {
			t.Errorf("receive invoice: %+v", r)
		}
		if r := searchFor(t, c, "zzqx"); r.Total != 0 || r.Corrected {
			t.Errorf("a short word is not corrected: %+v", r)
		}
		// A question: "freeze" finds "frozen", and the hit lacks "budget".
		r = searchFor(t, c, "why did they freeze the contract budget?")
		if r.Total != 1 || !r.AnyWord || !r.Items[0].Partial || r.Corrected {
			t.Errorf("a question: %+v", r)
		}
	})
}
