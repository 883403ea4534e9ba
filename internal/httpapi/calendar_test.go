package httpapi_test

import (
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/app"
	"github.com/debrief-hq/debrief/internal/testutil"
)

type importJSON struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Cancelled int `json:"cancelled"`
	Unchanged int `json:"unchanged"`
	Skipped   int `json:"skipped"`
	Errors    []struct {
		Line    int    `json:"line"`
		UID     string `json:"uid"`
		Reason  string `json:"reason"`
		Skipped bool   `json:"skipped"`
	} `json:"errors"`
}

type syncedMeetingJSON struct {
	ID        string  `json:"id"`
	Title     string  `json:"title"`
	StartsAt  string  `json:"starts_at"`
	EndsAt    string  `json:"ends_at"`
	TimeZone  string  `json:"time_zone"`
	AllDay    bool    `json:"all_day"`
	Status    string  `json:"status"`
	SeriesID  *string `json:"series_id"`
	Attendees []struct {
		PersonID       string `json:"person_id"`
		Email          string `json:"email"`
		Name           string `json:"name"`
		ResponseStatus string `json:"response_status"`
		Organizer      bool   `json:"organizer"`
	} `json:"attendees"`
}

func importICS(t *testing.T, c *testutil.Client, query string, body string) importJSON {
	t.Helper()
	var r importJSON
	c.Do("POST", "/api/v1/connections/ics/import"+query, body, "Content-Type: text/calendar").Expect(t, http.StatusOK).JSON(t, &r)
	return r
}

func listAll(t *testing.T, c *testutil.Client, query string) []syncedMeetingJSON {
	t.Helper()
	var p page[syncedMeetingJSON]
	c.Do("GET", "/api/v1/meetings?limit=200"+query, nil).Expect(t, http.StatusOK).JSON(t, &p)
	return p.Items
}

// weekly is a feed with a weekly series in Berlin (one occurrence moved, one
// cancelled), a one-off meeting, and the user's own address among the
// attendees.
func weekly(user string, extra ...string) string {
	lines := []string{
		"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
		"BEGIN:VEVENT", "UID:standup-1@acme.com", "SUMMARY:Standup", "DTSTART;TZID=Europe/Berlin:20270104T093000",
		"DTEND;TZID=Europe/Berlin:20270104T094500", "RRULE:FREQ=WEEKLY;COUNT=6",
		"ORGANIZER;CN=Ann Lee:mailto:ann@acme.com",
		"ATTENDEE;CN=Ann Lee;PARTSTAT=ACCEPTED:mailto:ann@acme.com",
		"ATTENDEE;CN=Bob Stone;PARTSTAT=TENTATIVE:mailto:BOB@acme.com",
		"ATTENDEE;CN=Me;PARTSTAT=ACCEPTED:mailto:" + user,
		"ATTENDEE;CN=Room 1;CUTYPE=ROOM:mailto:room1@acme.com",
		"END:VEVENT",
		"BEGIN:VEVENT", "UID:standup-1@acme.com", "SUMMARY:Standup (moved)", "RECURRENCE-ID;TZID=Europe/Berlin:20270111T093000",
		"DTSTART;TZID=Europe/Berlin:20270111T140000", "DTEND;TZID=Europe/Berlin:20270111T141500",
		"ORGANIZER;CN=Ann Lee:mailto:ann@acme.com", "ATTENDEE;CN=Ann Lee;PARTSTAT=ACCEPTED:mailto:ann@acme.com", "END:VEVENT",
		"BEGIN:VEVENT", "UID:kickoff@globex.com", "SUMMARY:Kickoff", "DTSTART:20270105T150000Z", "DTEND:20270105T160000Z",
		"ATTENDEE;CN=Carol:mailto:carol@globex.com", "END:VEVENT",
	}
	lines = append(lines, extra...)
	lines = append(lines, "END:VCALENDAR", "")
	return strings.Join(lines, "\r\n")
}

const janWindow = "?from=2027-01-01&to=2027-03-01"

func TestImportICS(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		var me struct {
			Email string `json:"email"`
		}
		c.Do("GET", "/api/v1/me", nil).Expect(t, 200).JSON(t, &me)

		r := importICS(t, c, janWindow, weekly(me.Email))
		if r.Created != 7 || r.Updated != 0 || r.Skipped != 0 || len(r.Errors) != 0 {
			t.Fatalf("first import: %+v", r)
		}
		ms := listAll(t, c, "&from=2027-01-01&to=2027-03-01")
		if len(ms) != 7 {
			t.Fatalf("%d meetings", len(ms))
		}
		var standups []syncedMeetingJSON
		var kickoff syncedMeetingJSON
		for _, m := range ms {
			if strings.HasPrefix(m.Title, "Standup") {
				standups = append(standups, m)
			} else {
				kickoff = m
			}
		}
		if len(standups) != 6 || standups[0].SeriesID == nil {
			t.Fatalf("standups: %+v", standups)
		}
		for _, m := range standups {
			if m.SeriesID == nil || *m.SeriesID != *standups[0].SeriesID || m.TimeZone != "Europe/Berlin" {
				t.Errorf("occurrence %s: series %v zone %s", m.StartsAt, m.SeriesID, m.TimeZone)
			}
		}
		if kickoff.SeriesID != nil || kickoff.Title != "Kickoff" || kickoff.TimeZone != "Europe/Berlin" {
			t.Errorf("one-off: %+v", kickoff)
		}
		// 09:30 in Berlin in winter is 08:30 UTC; the moved one is at 14:00.
		first, moved := standups[0], standups[1]
		if first.StartsAt != "2027-01-04T08:30:00Z" || first.EndsAt != "2027-01-04T08:45:00Z" ||
			moved.StartsAt != "2027-01-11T13:00:00Z" || moved.Title != "Standup (moved)" {
			t.Errorf("times: first %s–%s, moved %s %q", first.StartsAt, first.EndsAt, moved.StartsAt, moved.Title)
		}
		// Attendees: people by address (lower-cased), the organizer flagged,
		// the room and the user themself left out.
		var got []string
		for _, at := range first.Attendees {
			got = append(got, at.Email+"/"+at.Name+"/"+at.ResponseStatus)
			if at.Email == "ann@acme.com" && !at.Organizer {
				t.Error("ann is the organizer")
			}
		}
		sort.Strings(got)
		if strings.Join(got, " ") != "ann@acme.com/Ann Lee/accepted bob@acme.com/Bob Stone/tentative" {
			t.Errorf("attendees: %v", got)
		}
		var orgs page[struct {
			Domain string `json:"domain"`
		}]
		c.Do("GET", "/api/v1/organizations", nil).Expect(t, 200).JSON(t, &orgs)
		var domains []string
		for _, o := range orgs.Items {
			domains = append(domains, o.Domain)
		}
		sort.Strings(domains)
		if strings.Join(domains, ",") != "acme.com,globex.com" {
			t.Errorf("organizations: %v", domains)
		}

		// Notes on two occurrences, then the same file again: nothing changes.
		c.Do("PUT", "/api/v1/meetings/"+moved.ID+"/note", map[string]any{"body": "!! send the deck"}).Expect(t, 200)
		c.Do("PUT", "/api/v1/meetings/"+standups[3].ID+"/note", map[string]any{"body": "notes on the fourth"}).Expect(t, 200)
		if r := importICS(t, c, janWindow, weekly(me.Email)); r.Created != 0 || r.Updated != 0 || r.Unchanged != 7 {
			t.Fatalf("second import: %+v", r)
		}

		// The organizer moves the moved one again and cancels the fourth;
		// both keep their ids and notes.
		changed := strings.Replace(weekly(me.Email,
			"BEGIN:VEVENT", "UID:standup-1@acme.com", "SUMMARY:Standup", "RECURRENCE-ID;TZID=Europe/Berlin:20270125T093000",
			"DTSTART;TZID=Europe/Berlin:20270125T093000", "DTEND;TZID=Europe/Berlin:20270125T094500", "STATUS:CANCELLED", "END:VEVENT"),
			"DTSTART;TZID=Europe/Berlin:20270111T140000", "DTSTART;TZID=Europe/Berlin:20270112T100000", 1)
		changed = strings.Replace(changed, "DTEND;TZID=Europe/Berlin:20270111T141500", "DTEND;TZID=Europe/Berlin:20270112T101500", 1)
		r = importICS(t, c, janWindow, changed)
		if r.Created != 0 || r.Updated != 1 || r.Cancelled != 1 || r.Unchanged != 5 {
			t.Fatalf("rescheduling import: %+v", r)
		}
		var got1 struct {
			syncedMeetingJSON
			Note *struct {
				Body string `json:"body"`
			} `json:"note"`
			ActionItems []struct {
				Title string `json:"title"`
			} `json:"action_items"`
		}
		c.Do("GET", "/api/v1/meetings/"+moved.ID, nil).Expect(t, 200).JSON(t, &got1)
		if got1.StartsAt != "2027-01-12T09:00:00Z" || got1.Note == nil || len(got1.ActionItems) != 1 {
			t.Errorf("moved meeting: %s, note %v, items %v", got1.StartsAt, got1.Note, got1.ActionItems)
		}
		c.Do("GET", "/api/v1/meetings/"+standups[3].ID, nil).Expect(t, 200).JSON(t, &got1)
		if got1.Status != "cancelled" || got1.Note == nil || got1.Note.Body != "notes on the fourth" {
			t.Errorf("cancelled meeting: %s, note %v", got1.Status, got1.Note)
		}

		// METHOD:CANCEL naming the one-off by UID alone.
		r = importICS(t, c, janWindow, "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\nUID:kickoff@globex.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
		if r.Cancelled != 1 {
			t.Errorf("CANCEL: %+v", r)
		}

		// Another user importing the same file gets meetings of their own.
		c2 := testutil.SignUp(t, a.HTTP)
		if r := importICS(t, c2, janWindow, weekly("someone@else.org")); r.Created != 7 {
			t.Errorf("second user: %+v", r)
		}
		if n := len(listAll(t, c, "&from=2027-01-01&to=2027-03-01")); n != 7 {
			t.Errorf("first user now has %d meetings", n)
		}
		c2.Do("GET", "/api/v1/meetings/"+moved.ID, nil).Expect(t, 404)
	})
}

func TestImportICSBadInput(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b, func(c *config) { c.BodyLimit = 4096; c.ImportLimit = 64 << 10 })
		c := testutil.SignUp(t, a.HTTP)
		ics := weekly("me@example.com")
		testutil.Run(t, c, []testutil.Scenario{
			{Name: "json body", Method: "POST", Path: "/api/v1/connections/ics/import", Body: map[string]any{"x": 1}, Status: 415, Problem: "unsupported-media-type"},
			{Name: "bad from", Method: "POST", Path: "/api/v1/connections/ics/import?from=yesterday", Body: ics, Headers: []string{"Content-Type: text/calendar"}, Status: 400, Contains: []string{"from"}},
			{Name: "to before from", Method: "POST", Path: "/api/v1/connections/ics/import?from=2027-02-01&to=2027-01-01", Body: ics, Headers: []string{"Content-Type: text/calendar"}, Status: 400, Contains: []string{"must be after from"}},
			{Name: "window too long", Method: "POST", Path: "/api/v1/connections/ics/import?from=2020-01-01&to=2030-01-01", Body: ics, Headers: []string{"Content-Type: text/calendar"}, Status: 400, Contains: []string{"5 years"}},
			// A body between the JSON limit and the import limit is an import's,
			// not a JSON route's.
			{Name: "large JSON", Method: "POST", Path: "/api/v1/meetings", Body: `{"title":"` + strings.Repeat("x", 8000) + `"}`, Status: 413},
		})
		big := strings.Replace(ics, "SUMMARY:Kickoff", "SUMMARY:Kickoff\r\nDESCRIPTION:"+strings.Repeat("agenda ", 1500), 1)
		if len(big) <= 4096 {
			t.Fatal("the large file is not larger than the JSON limit")
		}
		if r := importICS(t, c, janWindow, big); r.Created != 7 {
			t.Errorf("large import: %+v", r)
		}

		// Broken files are imported as far as they go, with reasons.
		for _, f := range []struct {
			file    string
			created int
			reason  string
		}{
			{"icalendar/broken_dtstart.ics", 0, "is not a date-time"},
			{"libical/malloc.ics", 0, "is closed by END:"},
			{"ccs-calendarserver/calendar_fix_recurrence__2.ics", 0, "is not a date-time"},
			{"ical4j/1106817412.ics", 1, "not UTF-8"},
		} {
			data, err := os.ReadFile("../../testdata/ics/" + f.file)
			if err != nil {
				t.Fatal(err)
			}
			r := importICS(t, c, "?from=1990-01-01&to=1994-12-31", string(data))
			if f.created == 1 {
				r = importICS(t, c, "?from=2005-01-01&to=2005-12-31", string(data))
			}
			reasons := ""
			for _, e := range r.Errors {
				reasons += e.Reason + "\n"
			}
			if r.Created != f.created || !strings.Contains(reasons, f.reason) {
				t.Errorf("%s: %+v", f.file, r)
			}
		}
		r := importICS(t, c, "", "this is not a calendar")
		if r.Created != 0 || len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Reason, "not an iCalendar file") {
			t.Errorf("junk: %+v", r)
		}
	})
}

// feedServer serves an ICS feed whose body and status the test changes,
// answering conditional GETs with 304 while the body is unchanged.
type feedServer struct {
	mu       sync.Mutex
	body     string
	status   int
	requests []string // the If-None-Match of each request
	srv      *httptest.Server
}

func newFeedServer(t testing.TB, body string) *feedServer {
	f := &feedServer{body: body, status: 200}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.requests = append(f.requests, r.Header.Get("If-None-Match"))
		etag := fmt.Sprintf(`"%x"`, sha256.Sum256([]byte(f.body)))
		if f.status != 200 {
			w.WriteHeader(f.status)
			return
		}
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "text/calendar")
		io.WriteString(w, f.body)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *feedServer) set(status int, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status, f.body = status, body
}

type connectionJSON struct {
	ID           string  `json:"id"`
	Provider     string  `json:"provider"`
	Name         string  `json:"name"`
	URL          *string `json:"url"`
	Status       string  `json:"status"`
	LastError    *string `json:"last_error"`
	LastSyncedAt *string `json:"last_synced_at"`
	Calendars    []struct {
		ID       string `json:"id"`
		Selected bool   `json:"selected"`
	} `json:"calendars"`
}

func syncNow(t testing.TB, c *testutil.Client, id string, status int) importJSON {
	t.Helper()
	var r importJSON
	res := c.Do("POST", "/api/v1/connections/"+id+"/sync?wait=true", nil).Expect(t, status)
	if status == 200 {
		res.JSON(t, &r)
	}
	return r
}

func TestICSConnection(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b, func(c *config) { c.AllowPrivateFetch = true })
		c := testutil.SignUp(t, a.HTTP)
		feed := newFeedServer(t, weekly("me@example.com"))

		var conn connectionJSON
		c.Do("POST", "/api/v1/connections/ics", map[string]any{"url": feed.srv.URL + "/team.ics", "name": "Team"}).Expect(t, 201).JSON(t, &conn)
		if conn.Provider != "ics" || conn.Name != "Team" || conn.URL == nil || *conn.URL != feed.srv.URL+"/team.ics" ||
			conn.Status != "active" || len(conn.Calendars) != 1 || !conn.Calendars[0].Selected {
			t.Fatalf("connection: %+v", conn)
		}
		// The window is relative to today: the feed's meetings are in 2027,
		// within 365 days only from 2026 on, so count what lands in it.
		r := syncNow(t, c, conn.ID, 200)
		if r.Created == 0 || r.Updated != 0 || r.Cancelled != 0 {
			t.Fatalf("first sync: %+v", r)
		}
		created := r.Created
		ms := listAll(t, c, "&from=2026-01-01&to=2028-01-01")
		if len(ms) != created {
			t.Fatalf("%d meetings after creating %d", len(ms), created)
		}
		var standup syncedMeetingJSON
		for _, m := range ms {
			if m.Title == "Standup" {
				standup = m
				break
			}
		}
		c.Do("PUT", "/api/v1/meetings/"+standup.ID+"/note", map[string]any{"body": "kept"}).Expect(t, 200)

		// Unchanged: a conditional GET answered 304.
		if r := syncNow(t, c, conn.ID, 200); r.Created+r.Updated+r.Cancelled != 0 {
			t.Errorf("unchanged sync: %+v", r)
		}
		// The first request checked the feed at subscription, the second
		// was the first sync's; the third was conditional.
		if n := len(feed.requests); n != 3 || feed.requests[2] == "" {
			t.Errorf("requests: %q", feed.requests)
		}
		c.Do("GET", "/api/v1/connections/"+conn.ID, nil).Expect(t, 200).JSON(t, &conn)
		if conn.LastSyncedAt == nil || conn.LastError != nil {
			t.Errorf("after sync: %+v", conn)
		}

		// The feed fails: the sync answers 502, the connection says why,
		// and nothing is lost.
		feed.set(500, "")
		c.Do("POST", "/api/v1/connections/"+conn.ID+"/sync?wait=true", nil).Expect(t, 502)
		c.Do("GET", "/api/v1/connections/"+conn.ID, nil).Expect(t, 200).JSON(t, &conn)
		if conn.Status != "error" || conn.LastError == nil || !strings.Contains(*conn.LastError, "500") {
			t.Errorf("after failure: %+v", conn)
		}
		// An error page instead of a calendar sweeps nothing away.
		feed.set(200, "<html>Please sign in</html>")
		c.Do("POST", "/api/v1/connections/"+conn.ID+"/sync?wait=true", nil).Expect(t, 502)
		if n := len(listAll(t, c, "&from=2026-01-01&to=2028-01-01&status=confirmed")); n != created {
			t.Errorf("after an error page: %d confirmed meetings, want %d", n, created)
		}

		// The series is deleted from the feed: its meetings are cancelled,
		// the noted one keeps its note; the connection is healthy again.
		feed.set(200, strings.Replace(weekly("me@example.com"), "UID:standup-1@acme.com", "UID:standup-2@acme.com", 1))
		r = syncNow(t, c, conn.ID, 200)
		if r.Cancelled == 0 || r.Created == 0 {
			t.Errorf("after the series moved: %+v", r)
		}
		var got struct {
			Status string `json:"status"`
			Note   *struct {
				Body string `json:"body"`
			} `json:"note"`
		}
		c.Do("GET", "/api/v1/meetings/"+standup.ID, nil).Expect(t, 200).JSON(t, &got)
		if got.Status != "cancelled" || got.Note == nil || got.Note.Body != "kept" {
			t.Errorf("swept meeting: %+v", got)
		}
		c.Do("GET", "/api/v1/connections/"+conn.ID, nil).Expect(t, 200).JSON(t, &conn)
		if conn.Status != "active" || conn.LastError != nil {
			t.Errorf("after recovery: %+v", conn)
		}

		// Deselected: no fetch.
		before := len(feed.requests)
		c.Do("PATCH", "/api/v1/connections/"+conn.ID, map[string]any{"name": "Renamed",
			"calendars": []map[string]any{{"id": conn.Calendars[0].ID, "selected": false}}}).Expect(t, 200).JSON(t, &conn)
		if conn.Name != "Renamed" || conn.Calendars[0].Selected {
			t.Errorf("patched: %+v", conn)
		}
		syncNow(t, c, conn.ID, 200)
		if len(feed.requests) != before {
			t.Error("a deselected calendar was fetched")
		}

		// Another user sees none of it.
		c2 := testutil.SignUp(t, a.HTTP)
		for _, req := range [][2]string{{"GET", ""}, {"PATCH", ""}, {"DELETE", ""}, {"POST", "/sync"}, {"POST", "/sync?wait=true"}} {
			var body any
			if req[0] == "PATCH" {
				body = map[string]any{"name": "mine"}
			}
			c2.Do(req[0], "/api/v1/connections/"+conn.ID+req[1], body).Expect(t, 404)
		}
		var list page[connectionJSON]
		c2.Do("GET", "/api/v1/connections", nil).Expect(t, 200).JSON(t, &list)
		if len(list.Items) != 0 {
			t.Errorf("user B lists %d connections", len(list.Items))
		}

		// Deleted: the meetings stay, notes and all.
		c.Do("DELETE", "/api/v1/connections/"+conn.ID, nil).Expect(t, 204)
		c.Do("GET", "/api/v1/connections/"+conn.ID, nil).Expect(t, 404)
		c.Do("GET", "/api/v1/meetings/"+standup.ID, nil).Expect(t, 200).JSON(t, &got)
		if got.Note == nil || got.Note.Body != "kept" {
			t.Errorf("after delete: %+v", got)
		}
	})
}

// TestICSSweepLargeCalendar drops half the series of a feed of thousands
// of meetings, which a sweep reads a month at a time (the kept and the
// dropped interleaved in each): exactly the dropped series' meetings are
// cancelled, none is missed between months, and they come back with the
// series.
func TestICSSweepLargeCalendar(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewAppWith(t, b, app.Options{CalendarNow: func() time.Time { return gcalNow }},
			func(c *config) { c.AllowPrivateFetch = true })
		c := testutil.SignUp(t, a.HTTP)
		full, half := testutil.ICSFeed(80, 1, gcalNow), testutil.ICSFeed(40, 1, gcalNow)
		feed := newFeedServer(t, full)
		var conn connectionJSON
		c.Do("POST", "/api/v1/connections/ics", map[string]any{"url": feed.srv.URL + "/big.ics"}).Expect(t, 201).JSON(t, &conn)
		first := syncNow(t, c, conn.ID, 200)
		if n := first.Created + first.Unchanged; n < 4000 || first.Cancelled != 0 {
			t.Fatalf("first sync: %+v", first)
		}
		all := first.Created + first.Unchanged

		feed.set(200, half)
		r := syncNow(t, c, conn.ID, 200)
		dropped := r.Cancelled
		if dropped == 0 || r.Unchanged == 0 || dropped+r.Unchanged != all || r.Created+r.Updated != 0 {
			t.Fatalf("half the series dropped: %+v of %d meetings", r, all)
		}
		if dropped < all/3 || dropped > 2*all/3 {
			t.Errorf("%d of %d meetings cancelled for half the series", dropped, all)
		}

		feed.set(200, full)
		back := syncNow(t, c, conn.ID, 200)
		if back.Updated != dropped || back.Unchanged != all-dropped || back.Created+back.Cancelled != 0 {
			t.Errorf("series back: %+v, want %d updated (uncancelled)", back, dropped)
		}
	})
}

func TestICSConnectionBadInput(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		var conn connectionJSON
		c.Do("POST", "/api/v1/connections/ics", map[string]any{"url": "webcal://calendar.example.com/team.ics"}).Expect(t, 201).JSON(t, &conn)
		if conn.URL == nil || *conn.URL != "https://calendar.example.com/team.ics" || conn.Name != "calendar.example.com" {
			t.Errorf("webcal: %+v", conn)
		}
		testutil.Run(t, c, []testutil.Scenario{
			{Name: "no url", Method: "POST", Path: "/api/v1/connections/ics", Body: map[string]any{}, Status: 400, Contains: []string{"url"}},
			{Name: "ftp", Method: "POST", Path: "/api/v1/connections/ics", Body: map[string]any{"url": "ftp://x.org/a.ics"}, Status: 400, Contains: []string{"http, https or webcal"}},
			{Name: "long name", Method: "POST", Path: "/api/v1/connections/ics", Body: map[string]any{"url": "https://x.org/a.ics", "name": strings.Repeat("n", 201)}, Status: 400},
			{Name: "bad id", Method: "GET", Path: "/api/v1/connections/nope", Status: 404},
			{Name: "unknown calendar", Method: "PATCH", Path: "/api/v1/connections/" + conn.ID, Body: map[string]any{"calendars": []map[string]any{{"id": conn.ID, "selected": true}}}, Status: 400, Contains: []string{"not a calendar of this connection"}},
			{Name: "calendar without selected", Method: "PATCH", Path: "/api/v1/connections/" + conn.ID, Body: map[string]any{"calendars": []map[string]any{{"id": conn.Calendars[0].ID}}}, Status: 400},
			{Name: "bad wait", Method: "POST", Path: "/api/v1/connections/" + conn.ID + "/sync?wait=maybe", Status: 400},
			{Name: "queued", Method: "POST", Path: "/api/v1/connections/" + conn.ID + "/sync", Status: 202},
		})
		// A feed on a private address is refused when subscribed to (and
		// when fetched: ics.TestFetcher).
		res := c.Do("POST", "/api/v1/connections/ics", map[string]any{"url": "http://127.0.0.1:9/x.ics"}).Expect(t, 400)
		if !strings.Contains(string(res.Body), "private, loopback, link-local") {
			t.Errorf("private feed: %s", res.Body)
		}
	})
}

// TestSeriesDescriptionStoredOnce: a series' description is stored once,
// on the series, and every occurrence still shows its own description —
// through edits of the whole series, occurrences outside the window the
// edit came in, exceptions, and the user's own edits.
func TestSeriesDescriptionStoredOnce(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := searchApp(t, b, testutil.Config(t, b))
		c := testutil.SignUp(t, a.HTTP)
		dialIn := strings.TrimSpace(strings.Repeat("Join the call at https://meet.example.com/abc-defg-hij or dial +1 555 0100 with PIN 4711. ", 20))
		feed := func(master string) string {
			return strings.Join([]string{
				"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
				"BEGIN:VEVENT", "UID:review@acme.com", "SUMMARY:Review", "DTSTART:20270104T100000Z", "DTEND:20270104T110000Z",
				"RRULE:FREQ=WEEKLY;COUNT=10", "DESCRIPTION:" + master, "END:VEVENT",
				"BEGIN:VEVENT", "UID:review@acme.com", "SUMMARY:Review", "RECURRENCE-ID:20270111T100000Z",
				"DTSTART:20270111T100000Z", "DTEND:20270111T110000Z", "DESCRIPTION:Agenda: the budget", "END:VEVENT",
				"END:VCALENDAR", ""}, "\r\n")
		}
		count := func(where string, args ...any) int {
			t.Helper()
			var n int
			if err := a.DB.SQL.QueryRow(rebind(a, "SELECT count(*) FROM meetings WHERE "+where), args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		descriptions := func() map[string]string {
			t.Helper()
			var p page[struct {
				ID          string `json:"id"`
				StartsAt    string `json:"starts_at"`
				Description string `json:"description"`
			}]
			c.Do("GET", "/api/v1/meetings?limit=50&from=2027-01-01&to=2027-04-01", nil).Expect(t, 200).JSON(t, &p)
			out := map[string]string{}
			for _, m := range p.Items {
				out[m.StartsAt[:10]] = m.Description
				var one struct {
					Description string `json:"description"`
				}
				c.Do("GET", "/api/v1/meetings/"+m.ID, nil).Expect(t, 200).JSON(t, &one)
				if one.Description != m.Description {
					t.Errorf("meeting %s: page says %.20q, list %.20q", m.StartsAt, one.Description, m.Description)
				}
				out[m.StartsAt[:10]+" id"] = m.ID
			}
			return out
		}

		if r := importICS(t, c, "?from=2027-01-01&to=2027-04-01", feed(dialIn)); r.Created != 10 {
			t.Fatalf("first import: %+v", r)
		}
		d := descriptions()
		if d["2027-01-04"] != dialIn || d["2027-03-08"] != dialIn || d["2027-01-11"] != "Agenda: the budget" {
			t.Errorf("descriptions: first %.30q, last %.30q, the exception %.30q", d["2027-01-04"], d["2027-03-08"], d["2027-01-11"])
		}
		if n := count("shares_description"); n != 9 {
			t.Errorf("%d meetings share the series' description, want 9", n)
		}
		if n := count("description = ?", dialIn); n != 0 {
			t.Errorf("%d meetings store the series' description themselves, want 0", n)
		}
		if r := importICS(t, c, "?from=2027-01-01&to=2027-04-01", feed(dialIn)); r.Unchanged != 10 || r.Updated != 0 {
			t.Errorf("same file again: %+v", r)
		}
		// Found by its description, which the meeting's document carries.
		eventually(t, c, "type:meeting 4711", func(r searchJSON) bool { return r.Total == 9 })

		// The organizer rewrites the description of the whole series; the
		// file brings February and March only: January's meetings keep what
		// they had.
		if r := importICS(t, c, "?from=2027-02-01&to=2027-04-01", feed("New room: 4.01")); r.Updated != 6 || r.Unchanged != 0 {
			t.Errorf("edited series: %+v", r)
		}
		d = descriptions()
		for day, want := range map[string]string{"2027-01-04": dialIn, "2027-01-11": "Agenda: the budget", "2027-01-25": dialIn,
			"2027-02-01": "New room: 4.01", "2027-03-08": "New room: 4.01"} {
			if d[day] != want {
				t.Errorf("%s: %.30q, want %.30q", day, d[day], want)
			}
		}
		if n := count("shares_description"); n != 6 {
			t.Errorf("%d meetings share the series' description, want 6", n)
		}
		eventually(t, c, "type:meeting 4711", func(r searchJSON) bool { return r.Total == 3 })
		eventually(t, c, "type:meeting room 4.01", func(r searchJSON) bool { return r.Total == 6 })

		// Leaving the series, or an edit, makes the description the meeting's own.
		c.Do("PATCH", "/api/v1/meetings/"+d["2027-02-01 id"], map[string]any{"series_id": nil}).Expect(t, 200)
		c.Do("PATCH", "/api/v1/meetings/"+d["2027-02-08 id"], map[string]any{"description": "Moved to the garden"}).Expect(t, 200)
		d = descriptions()
		if d["2027-02-01"] != "New room: 4.01" || d["2027-02-08"] != "Moved to the garden" || d["2027-02-15"] != "New room: 4.01" {
			t.Errorf("after edits: %.30q, %.30q, %.30q", d["2027-02-01"], d["2027-02-08"], d["2027-02-15"])
		}
		if n := count("shares_description"); n != 4 {
			t.Errorf("%d meetings share the series' description, want 4", n)
		}
	})
}
