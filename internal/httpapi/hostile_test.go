package httpapi_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/testutil"
)

// The defects found by attacking Debrief and feeding it real calendars,
// one test each, on both databases.

// TestImportOutlookAllDayExceptions: an Outlook all-day series whose
// EXDATE and RECURRENCE-ID are local midnight in a Windows zone, imported
// by someone in New York: the excluded day is not a meeting and the moved
// one is one meeting, on its new day.
func TestImportOutlookAllDayExceptions(t *testing.T) {
	body, err := os.ReadFile("../../testdata/ics/debrief/outlook-allday-exceptions.ics")
	if err != nil {
		t.Fatal(err)
	}
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		c.Do("PATCH", "/api/v1/me", map[string]any{"time_zone": "America/New_York"}).Expect(t, 200)
		r := importICS(t, c, "?from=2021-04-01&to=2021-05-01", string(body))
		if r.Created != 6 || len(r.Errors) != 0 {
			t.Fatalf("import: %+v", r)
		}
		var got []string
		for _, m := range listAll(t, c, "&from=2021-04-01&to=2021-05-01") {
			got = append(got, m.StartsAt+" "+m.Status+" "+m.Title)
		}
		slices.Sort(got)
		// Midnight in New York (EDT) is 04:00 UTC.
		want := []string{"2021-04-05T04:00:00Z confirmed Offsite", "2021-04-06T04:00:00Z confirmed Offsite",
			"2021-04-08T04:00:00Z confirmed Offsite", "2021-04-10T04:00:00Z confirmed Offsite",
			"2021-04-11T04:00:00Z confirmed Offsite", "2021-04-13T04:00:00Z confirmed Offsite (moved)"}
		if !slices.Equal(got, want) {
			t.Errorf("meetings:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// TestIdempotencyAfterCrash: a create whose process died after its commit,
// before its response was recorded, left a key that answered 409 "still
// being processed" for good; the client could never learn the id. The key
// now commits with what it created, and a retry is answered from that.
func TestIdempotencyAfterCrash(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		creates := []struct {
			path, key string
			body      map[string]any
		}{
			{"/api/v1/meetings", "m1", map[string]any{"title": "Board", "starts_at": "2026-12-01T09:00:00Z"}},
			{"/api/v1/action-items", "a1", map[string]any{"title": "send the deck"}},
			{"/api/v1/decisions", "d1", map[string]any{"text": "go with vendor B"}},
		}
		for _, cr := range creates {
			first := c.Do("POST", cr.path, cr.body, "Idempotency-Key: "+cr.key).Expect(t, 201).Map(t)
			// The crash: committed, response never recorded.
			if _, err := a.DB.SQL.Exec("UPDATE idempotency_keys SET completed = false, status_code = 0, content_type = '', response_body = NULL WHERE key = $1", cr.key); err != nil {
				t.Fatal(err)
			}
			again := c.Do("POST", cr.path, cr.body, "Idempotency-Key: "+cr.key).Expect(t, 201)
			if again.Map(t)["id"] != first["id"] || again.Header.Get("Idempotent-Replayed") != "true" {
				t.Errorf("%s: retry after the crash answered %s, want the created %v", cr.path, again.Body, first["id"])
			}
			// Still the same after the answer is recorded anew.
			if third := c.Do("POST", cr.path, cr.body, "Idempotency-Key: "+cr.key).Expect(t, 201).Map(t); third["id"] != first["id"] {
				t.Errorf("%s: third answer %v", cr.path, third["id"])
			}
		}
		var n int
		if err := a.DB.SQL.QueryRow("SELECT (SELECT count(*) FROM meetings) + (SELECT count(*) FROM action_items) + (SELECT count(*) FROM decisions)").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("%d rows after the retries, want 3", n)
		}
		// A key whose create never committed holds nothing: the retry runs.
		c.Do("POST", "/api/v1/action-items", map[string]any{"title": "x", "meeting_id": "01JAAAAAAAAAAAAAAAAAAAAAAA"}, "Idempotency-Key: k9").Expect(t, 400)
		var keys int
		if err := a.DB.SQL.QueryRow("SELECT count(*) FROM idempotency_keys WHERE key = 'k9'").Scan(&keys); err != nil || keys != 0 {
			t.Errorf("a failed create left %d keys (%v)", keys, err)
		}
	})
}

// TestNULBytes: a NUL in an imported or subscribed calendar (a title, a
// UID) or in a sign-up's User-Agent was a 500 on PostgreSQL — and one such
// event made every sync of its feed fail. Both databases now keep the same
// text, the NUL as U+FFFD.
func TestNULBytes(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b, func(c *config) { c.AllowPrivateFetch = true })
		c := testutil.SignUp(t, a.HTTP)
		ics := strings.Join([]string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
			"BEGIN:VEVENT", "UID:nul\x00uid@example.com", "SUMMARY:a\x00b", "DESCRIPTION:x\x00y", "LOCATION:Room\x00 1",
			"DTSTART:20270105T150000Z", "DTEND:20270105T160000Z", "ATTENDEE;CN=Ann\x00 Lee:mailto:ann@example.com", "END:VEVENT",
			"END:VCALENDAR", ""}, "\r\n")
		r := importICS(t, c, janWindow, ics)
		if r.Created != 1 {
			t.Fatalf("import: %+v", r)
		}
		ms := listAll(t, c, "&from=2027-01-01&to=2027-03-01")
		if len(ms) != 1 || ms[0].Title != "a\uFFFDb" || ms[0].Attendees[0].Name != "Ann\uFFFD Lee" {
			t.Fatalf("meetings: %+v", ms)
		}
		if r := importICS(t, c, janWindow, ics); r.Created != 0 || r.Unchanged != 1 {
			t.Errorf("re-import: %+v", r)
		}
		// Subscribed: the feed syncs, and keeps syncing.
		feed := newFeedServer(t, strings.Replace(ics, "nul\x00uid", "feed\x00uid", 1))
		var conn connectionJSON
		c.Do("POST", "/api/v1/connections/ics", map[string]any{"url": feed.srv.URL}).Expect(t, 201).JSON(t, &conn)
		if r := syncNow(t, c, conn.ID, 200); r.Created != 1 {
			t.Errorf("feed sync: %+v", r)
		}
		feed.set(200, strings.Replace(ics, "a\x00b", "a\x00c", 1))
		if r := syncNow(t, c, conn.ID, 200); r.Updated != 1 {
			t.Errorf("second feed sync: %+v", r)
		}
		c.Do("GET", "/api/v1/connections/"+conn.ID, nil).Expect(t, 200).JSON(t, &conn)
		if conn.Status != "active" {
			t.Errorf("connection after syncs: %+v", conn)
		}
		// A User-Agent with a NUL: the sign-up succeeds, once.
		anon := testutil.NewClient(t, a.HTTP)
		anon.Do("POST", "/api/v1/auth/signup", map[string]any{"email": "nul@example.com", "password": "correct horse battery",
			"name": "Nul"}, "User-Agent: curl\x00/8").Expect(t, 201)
		anon.Do("POST", "/api/v1/auth/login", map[string]any{"email": "nul@example.com", "password": "correct horse battery"},
			"User-Agent: curl\x00/8").Expect(t, 200)
	})
}

// TestFeedAddressesRefused: feeds on special-purpose addresses (this host
// answered on 192.0.2.2) are refused when subscribed to — not stored as
// active, to fail at the first sync — and also behind a name.
func TestFeedAddressesRefused(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		for _, u := range []string{"http://192.0.2.2/cal.ics", "http://127.0.0.1:8080/cal.ics", "webcal://localhost/cal.ics",
			"https://100.64.1.1/x.ics", "http://198.18.0.9/x.ics", "https://[64:ff9b::a00:1]/x.ics", "http://0.0.0.0/x.ics",
			"https://169.254.169.254/latest/meta-data"} {
			res := c.Do("POST", "/api/v1/connections/ics", map[string]any{"url": u}).Expect(t, 400)
			if !strings.Contains(string(res.Body), "special-purpose address") {
				t.Errorf("%s: %s", u, res.Body)
			}
		}
		var list page[connectionJSON]
		c.Do("GET", "/api/v1/connections", nil).Expect(t, 200).JSON(t, &list)
		if len(list.Items) != 0 {
			t.Errorf("refused feeds were stored: %+v", list.Items)
		}
	})
}

// TestSmallLeaks: export.md carried calendar HTML through; a failed sync's
// error named the feed URL with its secret path; limit=0 answered 200;
// a connection could be renamed to nothing.
func TestSmallLeaks(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b, func(c *config) { c.AllowPrivateFetch = true })
		c := testutil.SignUp(t, a.HTTP)
		ics := strings.Join([]string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
			"BEGIN:VEVENT", "UID:xss@example.com", "SUMMARY:<img src=x onerror=alert(1)>", "LOCATION:<script>alert(2)</script>",
			"DTSTART:20270105T150000Z", "DTEND:20270105T160000Z", "ATTENDEE;CN=<svg onload=alert(3)>:mailto:eve@example.com", "END:VEVENT",
			"END:VCALENDAR", ""}, "\r\n")
		importICS(t, c, janWindow, ics)
		ms := listAll(t, c, "&from=2027-01-01&to=2027-03-01")
		md := string(c.Do("GET", "/api/v1/meetings/"+ms[0].ID+"/export.md", nil).Expect(t, 200).Body)
		for _, bad := range []string{"<img", "<svg", "<script"} {
			if strings.Contains(md, bad) {
				t.Errorf("export.md carries %s:\n%s", bad, md)
			}
		}
		if !strings.Contains(md, "# &lt;img src=x onerror=alert(1)&gt;") || !strings.Contains(md, "&lt;svg onload=alert(3)&gt;") {
			t.Errorf("export.md lost the text:\n%s", md)
		}

		// A feed that cannot be reached: the error names its host, not its
		// secret path.
		gone := newFeedServer(t, ics)
		secret := gone.srv.URL + "/private-8f3a9c2e1b/basic.ics?token=s3cr3t"
		var conn connectionJSON
		c.Do("POST", "/api/v1/connections/ics", map[string]any{"url": secret}).Expect(t, 201).JSON(t, &conn)
		gone.srv.Close()
		res := c.Do("POST", "/api/v1/connections/"+conn.ID+"/sync?wait=true", nil)
		c.Do("GET", "/api/v1/connections/"+conn.ID, nil).Expect(t, 200).JSON(t, &conn)
		for _, text := range []string{string(res.Body), *conn.LastError} {
			if strings.Contains(text, "private-8f3a9c2e1b") || strings.Contains(text, "s3cr3t") {
				t.Errorf("the feed's secret leaks: %s", text)
			}
		}
		if !strings.Contains(*conn.LastError, "could not be fetched") {
			t.Errorf("last error: %s", *conn.LastError)
		}

		testutil.Run(t, c, []testutil.Scenario{
			{Name: "limit=0", Method: "GET", Path: "/api/v1/meetings?limit=0", Status: 400, Contains: []string{"limit"}},
			{Name: "limit=-1", Method: "GET", Path: "/api/v1/action-items?limit=-1", Status: 400, Contains: []string{"limit"}},
			{Name: "search limit=0", Method: "GET", Path: "/api/v1/search?q=x&limit=0", Status: 400, Contains: []string{"limit"}},
			{Name: "empty name", Method: "PATCH", Path: "/api/v1/connections/" + conn.ID, Body: map[string]any{"name": ""}, Status: 400, Contains: []string{"name"}},
			{Name: "blank name", Method: "PATCH", Path: "/api/v1/connections/" + conn.ID, Body: map[string]any{"name": "   "}, Status: 400, Contains: []string{"name"}},
			{Name: "rename", Method: "PATCH", Path: "/api/v1/connections/" + conn.ID, Body: map[string]any{"name": " Team "}, Status: 200, Contains: []string{`"name":"Team"`}},
		})
	})
}

// TestSecurityHeaders: every response says nosniff, forbids framing and
// carries the content security policy; authenticated answers (and the
// sign-in's, which hold the CSRF token) are never stored by a cache.
func TestSecurityHeaders(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		anon := testutil.NewClient(t, a.HTTP)
		check := func(res *testutil.Response, what string, noStore bool) {
			t.Helper()
			h := res.Header
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" ||
				!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
				!strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self'") {
				t.Errorf("%s: headers %v", what, h)
			}
			if noStore && h.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: Cache-Control %q", what, h.Get("Cache-Control"))
			}
		}
		check(c.Do("GET", "/api/v1/me", nil).Expect(t, 200), "me", true)
		check(c.Do("GET", "/api/v1/meetings", nil).Expect(t, 200), "meetings", true)
		check(c.Do("GET", "/api/v1/meetings/nope", nil).Expect(t, 404), "a 404", true)
		check(anon.Do("POST", "/api/v1/auth/login", map[string]any{"email": "x@example.com", "password": "wrong password"}).Expect(t, 401), "login", true)
		check(anon.Do("GET", "/", nil).Expect(t, 200), "the page", false)
		check(anon.Do("GET", "/healthz", nil).Expect(t, 200), "healthz", false)
	})
}

// TestSignInAbuse: one password sprayed over 15 accounts from one address
// got 401 every time, and sign-ups (or probes of which addresses have an
// account) were never limited. Failed sign-ins now count per address
// across accounts, sign-ups per address an hour, and the most common
// passwords are refused.
func TestSignInAbuse(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b, func(c *config) { c.LoginRate, c.SignupRate = 10, 20 })
		anon := testutil.NewClient(t, a.HTTP)
		signup := func(email, password string) *testutil.Response {
			return anon.Do("POST", "/api/v1/auth/signup", map[string]any{"email": email, "password": password, "name": "N"})
		}
		for _, pw := range []string{"password1", "Password123!", "letmein!", "iloveyou123", "qwertyuiop", "Alice1234"} {
			res := signup("alice@example.com", pw).Expect(t, 400)
			if !strings.Contains(string(res.Body), "most common passwords") {
				t.Errorf("%q: %s", pw, res.Body)
			}
		}
		// Six refused above; twelve accounts made; probes of taken
		// addresses count too, and the 21st attempt this hour is refused.
		for i := 0; i < 12; i++ {
			signup(fmt.Sprintf("user%d@example.com", i), "correct horse battery").Expect(t, 201)
		}
		signup("user0@example.com", "correct horse battery").Expect(t, 409)
		signup("user1@example.com", "correct horse battery").Expect(t, 409)
		res := signup("user99@example.com", "correct horse battery").Expect(t, 429)
		if res.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}

		// Spraying: one password over many accounts, from one address.
		login := func(email, password string) int {
			return anon.Do("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": password}).Status
		}
		if code := login("user0@example.com", "correct horse battery"); code != 200 {
			t.Fatalf("a good sign-in: %d", code)
		}
		var codes []int
		for i := 0; i < 15; i++ {
			codes = append(codes, login(fmt.Sprintf("user%d@example.com", i), "Winter2026!"))
		}
		want := []int{401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 429, 429, 429, 429, 429}
		if !slices.Equal(codes, want) {
			t.Errorf("spraying answered %v, want %v", codes, want)
		}
		// Over a real connection: the address held back is refused, another
		// address is not (loopback answers on all of 127/8).
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go a.HTTP.Listener(ln)
		t.Cleanup(func() { _ = a.HTTP.Shutdown() })
		from := func(local string) int {
			c := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}}).DialContext}}
			res, err := c.Post("http://"+ln.Addr().String()+"/api/v1/auth/login", "application/json",
				strings.NewReader(`{"email":"user3@example.com","password":"Winter2026!"}`))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		var fromOne []int
		for i := 0; i < 11; i++ {
			fromOne = append(fromOne, from("127.0.0.1"))
		}
		if fromOne[9] != 401 || fromOne[10] != 429 {
			t.Errorf("failed sign-ins from 127.0.0.1: %v", fromOne)
		}
		if code := from("127.0.0.2"); code != 401 {
			t.Errorf("another address is held back: %d", code)
		}
	})
}

// TestMentionHeavyNote: a 1 MB note of 78,000 distinct unknown @mentions
// in a meeting of 500 took 47 s to save, each mention matched against
// every attendee and looked up on its own. They resolve at once now (the
// time is bench/abuse's); here, that they resolve right.
func TestMentionHeavyNote(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		var attendees []map[string]any
		for i := 0; i < 500; i++ {
			attendees = append(attendees, map[string]any{"email": fmt.Sprintf("att%03d@acme.com", i), "name": fmt.Sprintf("Person%03d Acme", i)})
		}
		m := createMeeting(t, c, map[string]any{"title": "All hands", "starts_at": "2026-12-01T10:00:00Z", "attendees": attendees})
		// Someone met elsewhere, found by name.
		createMeeting(t, c, map[string]any{"title": "Other", "starts_at": "2026-11-01T10:00:00Z",
			"attendees": []map[string]any{{"email": "zoe@globex.com", "name": "Zoe Quinn"}}})
		var body strings.Builder
		body.WriteString("!! @att007 send the deck\n!! @Zoe Quinn book the room\n!! @Person123 Acme call the bank\n")
		for i := 0; body.Len() < 1<<20-20_000; i++ { // the JSON around it fits the 1 MiB body limit
			fmt.Fprintf(&body, "@x%05d ", i)
			if i%10 == 9 {
				body.WriteString("\n")
			}
		}
		var saved savedNote
		c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": body.String()}).Expect(t, 200).JSON(t, &saved)
		if len(saved.UnresolvedMentions) != 100 || saved.UnresolvedMentions[0] != "@x00000" {
			t.Errorf("unresolved: %d, first %v", len(saved.UnresolvedMentions), saved.UnresolvedMentions[:min(3, len(saved.UnresolvedMentions))])
		}
		var items page[struct {
			Title string `json:"title"`
			Owner *struct {
				Email string `json:"email"`
			} `json:"owner"`
		}]
		c.Do("GET", "/api/v1/action-items?meeting_id="+m.ID, nil).Expect(t, 200).JSON(t, &items)
		owners := map[string]string{}
		for _, it := range items.Items {
			if it.Owner != nil {
				owners[it.Title] = it.Owner.Email
			}
		}
		if len(items.Items) != 3 || owners["send the deck"] != "att007@acme.com" || owners["book the room"] != "zoe@globex.com" ||
			owners["call the bank"] != "att123@acme.com" {
			t.Errorf("owners: %v (%d items)", owners, len(items.Items))
		}
	})
}

// TestCalendarMeetingLimit: an 11 KB file of 100 hourly series made
// 100,000 meetings in one transaction. Imports and syncs now stop at the
// configured number of meetings, whole series at a time, and say so; what
// was left out is not swept away by the next sync.
func TestCalendarMeetingLimit(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b, func(c *config) { c.CalendarMeetingLimit, c.AllowPrivateFetch = 2500, true })
		c := testutil.SignUp(t, a.HTTP)
		lines := []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"}
		for i := 0; i < 100; i++ {
			lines = append(lines, "BEGIN:VEVENT", fmt.Sprintf("UID:hourly-%d@example.com", i), fmt.Sprintf("SUMMARY:Hourly %d", i),
				"DTSTART:20270101T000000Z", "DURATION:PT10M", "RRULE:FREQ=HOURLY", "END:VEVENT")
		}
		ics := strings.Join(append(lines, "END:VCALENDAR", ""), "\r\n") // 13 KB
		// Each series is cut at 1,000 occurrences: two fit, the rest are
		// left out whole.
		r := importICS(t, c, "?from=2027-01-01&to=2027-03-01", ics)
		if r.Created != 2000 || r.Skipped != 98_000 {
			t.Errorf("import: created %d, skipped %d", r.Created, r.Skipped)
		}
		found := false
		for _, p := range r.Errors {
			found = found || strings.Contains(p.Reason, "more than 2500 meetings (DEBRIEF_CALENDAR_MEETING_LIMIT); 98000 were left out")
		}
		if !found {
			t.Errorf("the limit is not reported: %+v", r.Errors)
		}
		// A feed: the first sync stops at the limit, and the next one keeps
		// what it has (the series left out are not swept).
		feed := newFeedServer(t, ics)
		var conn connectionJSON
		c.Do("POST", "/api/v1/connections/ics", map[string]any{"url": feed.srv.URL}).Expect(t, 201).JSON(t, &conn)
		first := syncNow(t, c, conn.ID, 200)
		feed.set(200, strings.Replace(ics, "SUMMARY:Hourly 0\r\n", "SUMMARY:Hourly zero\r\n", 1))
		second := syncNow(t, c, conn.ID, 200)
		if first.Created+first.Unchanged > 2500 || second.Cancelled != 0 || second.Created != 0 {
			t.Errorf("feed syncs: %+v then %+v", first, second)
		}
	})
}

// TestLongSyncLetsOthersWrite: a large import commits as it goes, so
// another account's note saves are not held behind it for its whole
// length (one transaction held SQLite's writer for 8.4 s).
func TestLongSyncLetsOthersWrite(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		big := testutil.SignUp(t, a.HTTP)
		other := testutil.SignUp(t, a.HTTP)
		m := createMeeting(t, other, map[string]any{"title": "1:1", "starts_at": "2026-12-01T10:00:00Z"})
		feed := testutil.ICSFeed(500, 2, time.Now())
		done := make(chan importJSON)
		go func() { done <- importICS(t, big, "", feed) }()
		count := func() int {
			var n int
			if err := a.DB.SQL.QueryRow("SELECT count(*) FROM meetings").Scan(&n); err != nil {
				t.Error(err)
			}
			return n
		}
		// Once the import's first part has committed, another account saves.
		for deadline := time.Now().Add(time.Minute); count() <= 1; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the import committed nothing in a minute")
			}
		}
		other.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "!! send the deck"}).Expect(t, 200)
		select {
		case r := <-done:
			t.Errorf("the save waited for the whole import (%d meetings)", r.Created)
		default:
			r := <-done
			if r.Created < 30_000 {
				t.Errorf("import: %+v", r)
			}
		}
	})
}

// TestSearchDocumentsBounded: a meeting of 500 attendees with a note of
// 2,000 action items made documents that each copied every attendee's
// names and organization (the server went from 100 MB to 5 GB for good).
// The attendees are words of the meeting and its note only; the rest name
// their own people, and person:/org: still find them by their meeting.
func TestSearchDocumentsBounded(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := searchApp(t, b, testutil.Config(t, b))
		c := testutil.SignUp(t, a.HTTP)
		var attendees []map[string]any
		for i := 0; i < 500; i++ {
			attendees = append(attendees, map[string]any{"email": fmt.Sprintf("person%03d@org%02d.example", i, i%40), "name": fmt.Sprintf("Person%03d Surname", i)})
		}
		m := createMeeting(t, c, map[string]any{"title": "Town hall", "starts_at": "2026-11-03T10:00:00Z", "attendees": attendees})
		var note strings.Builder
		for i := 0; i < 1999; i++ { // a note holds at most 2,000 items
			fmt.Fprintf(&note, "!! task %d\n", i)
		}
		note.WriteString("!! @person007 send the slides\n")
		c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": note.String()}).Expect(t, 200)
		var me struct{ ID string }
		c.Do("GET", "/api/v1/me", nil).Expect(t, 200).JSON(t, &me)
		docs, err := a.Store.MeetingSearchDocuments(context.Background(), me.ID, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		words := 0
		for _, d := range docs {
			words += len(d.People) + len(d.Orgs)
		}
		// The meeting and its note: 500 names and addresses and 40
		// organizations (two terms each) apiece; the one item with an owner:
		// their name and address.
		if len(docs) != 2002 || words != 2*(1000+80)+2 {
			t.Errorf("%d documents carry %d people and organization terms", len(docs), words)
		}
		// Found as before: by a person and an organization, through the
		// meeting, and by the item's own owner.
		eventually(t, c, "person:person123@org03.example task", func(r searchJSON) bool { return r.Total == 2000 }) // the items and the note
		eventually(t, c, `org:org07.example "task 1998" type:action_item`, func(r searchJSON) bool { return r.Total == 1 })
		eventually(t, c, "person:person007 type:action_item slides", func(r searchJSON) bool { return r.Total == 1 })
		eventually(t, c, "person:person999", func(r searchJSON) bool { return r.Total == 0 })
	})
}

// TestSearchRepairsOnlyWhatIsMissing: after a crash that lost one document
// from the index, start-up repair rebuilt every account's index; now it
// writes the missing document again, and nothing else.
func TestSearchRepairsOnlyWhatIsMissing(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		cfg := testutil.Config(t, b)
		a := searchApp(t, b, cfg)
		c := testutil.SignUp(t, a.HTTP)
		other := testutil.SignUp(t, a.HTTP)
		m := createMeeting(t, c, map[string]any{"title": "Budget", "starts_at": "2026-11-03T10:00:00Z"})
		c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "Decision: keep the journal\n!! file the report"}).Expect(t, 200)
		for i := 0; i < 5; i++ {
			createMeeting(t, other, map[string]any{"title": fmt.Sprintf("Quarterly %d", i), "starts_at": "2026-11-03T10:00:00Z"})
		}
		eventually(t, c, "journal", func(r searchJSON) bool { return r.Total == 2 })
		eventually(t, other, "quarterly", func(r searchJSON) bool { return r.Total == 5 })
		// The crash lost the decision's document.
		hits := searchFor(t, c, "type:decision journal")
		if err := a.Search.Delete(context.Background(), hits.Items[0].ID); err != nil {
			t.Fatal(err)
		}
		a.Jobs.Stop(context.Background())
		if err := a.RepairSearch(context.Background()); err != nil {
			t.Fatal(err)
		}
		var keys []string
		rows, err := a.DB.SQL.Query("SELECT key FROM search_pendings")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			rows.Scan(&k)
			keys = append(keys, k)
		}
		rows.Close()
		if !slices.Equal(keys, []string{"m:" + m.ID}) {
			t.Errorf("repair marked %v, want the decision's meeting alone", keys)
		}
	})
}

// TestBlockIDsNotShown: the block ids the server keeps on item lines are
// not in search snippets or export.md.
func TestBlockIDsNotShown(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := searchApp(t, b, testutil.Config(t, b))
		c := testutil.SignUp(t, a.HTTP)
		m := createMeeting(t, c, map[string]any{"title": "Board", "starts_at": "2026-11-03T10:00:00Z"})
		var saved savedNote
		c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "!! renew the insurance policy\n?? who pays the insurance"}).Expect(t, 200).JSON(t, &saved)
		if strings.Count(saved.Body, " ^") != 2 {
			t.Fatalf("saved: %q", saved.Body)
		}
		eventually(t, c, "insurance type:note", func(r searchJSON) bool {
			return r.Total == 1 && strings.Contains(r.Items[0].Snippet, "<mark>insurance</mark>") && !strings.Contains(r.Items[0].Snippet, "^")
		})
		md := string(c.Do("GET", "/api/v1/meetings/"+m.ID+"/export.md", nil).Expect(t, 200).Body)
		if strings.Contains(md, "^") || !strings.Contains(md, "!! renew the insurance policy\n") {
			t.Errorf("export.md:\n%s", md)
		}
	})
}
