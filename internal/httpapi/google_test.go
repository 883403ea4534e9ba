package httpapi_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/app"
	"github.com/debrief-hq/debrief/internal/testutil"
)

const primary = "primary@example.com"

// gcalNow is when the recorded Google payloads were captured: the sync
// window (90 days back, 365 ahead) is around it.
var gcalNow = time.Date(2025, 3, 20, 12, 0, 0, 0, time.UTC)

func googleApp(t testing.TB, b testutil.Backend, fake *testutil.FakeGoogle) *app.App {
	return testutil.NewAppWith(t, b, app.Options{CalendarNow: func() time.Time { return gcalNow },
		GoogleRetryDelay: time.Millisecond, GoogleAttempts: 12}, func(c *config) {
		c.GoogleClientID, c.GoogleClientSecret, c.PublicURL = "client-id", "client-secret", "http://debrief.test"
		c.GoogleAuthURL, c.GoogleTokenURL, c.GoogleAPIURL = fake.URL+"/o/oauth2/auth", fake.URL+"/token", fake.URL+"/calendar/v3/"
	})
}

// connectGoogle goes through the consent flow as a browser would and
// returns the connection's id.
func connectGoogle(t testing.TB, c *testutil.Client, fake *testutil.FakeGoogle) string {
	t.Helper()
	res := c.Do("GET", "/api/v1/connections/google/authorize", nil).Expect(t, http.StatusFound)
	consent, err := url.Parse(res.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(consent.String(), fake.URL+"/o/oauth2/auth?") {
		t.Fatalf("authorize redirects to %q", res.Header.Get("Location"))
	}
	q := consent.Query()
	if q.Get("access_type") != "offline" || q.Get("code_challenge_method") != "S256" || q.Get("state") == "" ||
		q.Get("redirect_uri") != "http://debrief.test/oauth/google/callback" || q.Get("client_id") != "client-id" {
		t.Errorf("consent URL: %s", consent)
	}
	var cookie string
	for _, ck := range (&http.Response{Header: res.Header}).Cookies() {
		if ck.Name == "debrief_oauth" {
			cookie = ck.Value
			if !ck.HttpOnly || ck.Path != "/oauth/google" {
				t.Errorf("oauth cookie: %+v", ck)
			}
		}
	}
	// Google consents and sends the browser back.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	back, err := noFollow.Get(consent.String())
	if err != nil {
		t.Fatal(err)
	}
	back.Body.Close()
	cb, _ := url.Parse(back.Header.Get("Location"))
	// Without the cookie, or with another state, the callback refuses.
	c.Do("GET", "/oauth/google/callback?"+cb.RawQuery, nil, "Cookie: debrief_oauth=forged").Expect(t, http.StatusBadRequest)
	wrong := cb.Query()
	wrong.Set("state", "not-the-state")
	c.Do("GET", "/oauth/google/callback?"+wrong.Encode(), nil, "Cookie: debrief_oauth="+cookie).Expect(t, http.StatusBadRequest)
	res = c.Do("GET", "/oauth/google/callback?"+cb.RawQuery, nil, "Cookie: debrief_oauth="+cookie).Expect(t, http.StatusSeeOther)
	id, ok := strings.CutPrefix(res.Header.Get("Location"), "/?connected=")
	if !ok || id == "" {
		t.Fatalf("callback redirects to %q", res.Header.Get("Location"))
	}
	return id
}

// snapshot renders the user's meetings, one line each, in start order.
func snapshot(t *testing.T, c *testutil.Client) []string {
	t.Helper()
	var out []string
	cur := ""
	for {
		var p page[syncedMeetingJSON]
		c.Do("GET", "/api/v1/meetings?limit=200&from=2024-01-01&to=2027-01-01"+cur, nil).Expect(t, 200).JSON(t, &p)
		for _, m := range p.Items {
			out = append(out, fmt.Sprintf("%s %s %s %s", m.StartsAt, m.Status, m.Title, m.TimeZone))
		}
		if p.NextCursor == nil {
			break
		}
		cur = "&cursor=" + url.QueryEscape(*p.NextCursor)
	}
	sort.Strings(out)
	return out
}

func countWith(lines []string, sub string) int {
	n := 0
	for _, l := range lines {
		if strings.Contains(l, sub) {
			n++
		}
	}
	return n
}

func eventsOf(t *testing.T, file string) []map[string]any {
	return testutil.LoadGoogleEvents(t, "../../testdata/gcal/events_list/"+file)
}

// TestGoogleRecordedScenarios replays the recorded incremental syncs —
// create, edit one, edit all, edit this-and-following, delete one, delete
// this-and-following, delete all — through the real calendar/v3 client,
// each after a first full sync of the state before it.
func TestGoogleRecordedScenarios(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		fake := testutil.NewFakeGoogle(t)
		fake.PageSize = 7 // several pages per listing
		a := googleApp(t, b, fake)
		c := testutil.SignUp(t, a.HTTP)
		id := connectGoogle(t, c, fake)
		var conn connectionJSON
		c.Do("GET", "/api/v1/connections/"+id, nil).Expect(t, 200).JSON(t, &conn)
		if conn.Provider != "google" || conn.Name != primary || len(conn.Calendars) != 1 || !conn.Calendars[0].Selected {
			t.Fatalf("connection: %+v", conn)
		}
		sync := func() importJSON { return syncNow(t, c, id, 200) }

		// Nothing yet; then "create": a daily series from 24 March 2025, no
		// end, expanded to the window's end (20 March 2026).
		if r := sync(); r.Created != 0 {
			t.Fatalf("empty calendar: %+v", r)
		}
		fake.Put(primary, eventsOf(t, "compass_sync_create__create.json")...)
		r := sync()
		if r.Created != 361 || r.Updated+r.Cancelled != 0 {
			t.Fatalf("create: %+v", r)
		}
		ms := snapshot(t, c)
		if ms[0] != "2025-03-24T12:30:00Z confirmed 🍽️ Dishes America/Chicago" || countWith(ms, "Dishes") != 361 {
			t.Fatalf("after create: first %q, %d", ms[0], countWith(ms, "Dishes"))
		}
		// A note on an occurrence the later edits move and rename.
		var list page[syncedMeetingJSON]
		c.Do("GET", "/api/v1/meetings?from=2025-03-27&to=2025-03-28", nil).Expect(t, 200).JSON(t, &list)
		noted := list.Items[0].ID
		c.Do("PUT", "/api/v1/meetings/"+noted+"/note", map[string]any{"body": "!! buy soap"}).Expect(t, 200)

		// Edit one: the 24 March occurrence renamed and moved to 12:30.
		fake.Put(primary, eventsOf(t, "compass_sync_edit__single__single.instance-1.json")...)
		if r := sync(); r.Created != 0 || r.Updated != 1 || r.Cancelled != 0 {
			t.Fatalf("edit one: %+v", r)
		}
		ms = snapshot(t, c)
		if ms[0] != "2025-03-24T17:30:00Z confirmed 🍽️ Dishes (Modified) America/Chicago" {
			t.Errorf("edit one: %q", ms[0])
		}

		// Edit all: Google splits the series (old master cut at 26 March,
		// a new `_R` master from then on), all renamed. Every meeting keeps
		// its identity: nothing is created or cancelled.
		fake.Put(primary, eventsOf(t, "compass_sync_edit__all__all-1.json")...)
		r = sync()
		if r.Created != 0 || r.Cancelled != 0 || r.Updated != 361 {
			t.Fatalf("edit all: %+v", r)
		}
		ms = snapshot(t, c)
		if countWith(ms, "🧽 Dishes") != 361 || countWith(ms, "confirmed") != 361 {
			t.Errorf("edit all: %d renamed of %d", countWith(ms, "🧽 Dishes"), len(ms))
		}
		var got struct {
			Title string `json:"title"`
			Note  *struct {
				Body string `json:"body"`
			} `json:"note"`
		}
		c.Do("GET", "/api/v1/meetings/"+noted, nil).Expect(t, 200).JSON(t, &got)
		if got.Title != "🧽 Dishes" || got.Note == nil {
			t.Errorf("the noted meeting after the split: %+v", got)
		}

		// Another series: delete one occurrence, then this-and-following.
		before := eventsOf(t, "compass_sync_delete__single__delete.single.json")
		fake.Put(primary, before[0])
		if r := sync(); r.Created != 51 {
			t.Fatalf("breakfast series: %+v", r)
		}
		fake.Put(primary, before[1])
		if r := sync(); r.Cancelled != 1 || r.Created+r.Updated != 0 {
			t.Fatalf("delete one: %+v", r)
		}
		fake.Put(primary, eventsOf(t, "compass_sync_delete__this-and-following__delete.this-and-following.json")...)
		// The series now ends on 26 March: 27–31 March are swept.
		if r := sync(); r.Cancelled != 5 || r.Created+r.Updated != 0 {
			t.Fatalf("delete this and following: %+v", r)
		}
		ms = snapshot(t, c)
		if n := countWith(ms, "confirmed 🍜 Breakfast"); n != 45 {
			t.Errorf("breakfasts left: %d", n)
		}

		// Delete all: the series master deleted; Google reports only its id.
		delAll := eventsOf(t, "compass_sync_delete__all__all-1.json")[0]
		fake.Put(primary, map[string]any{"kind": "calendar#event", "id": delAll["id"], "status": "confirmed", "summary": "Standup",
			"iCalUID": fmt.Sprint(delAll["id"], "@google.com"), "recurrence": []string{"RRULE:FREQ=WEEKLY;COUNT=4"},
			"start": map[string]any{"dateTime": "2025-03-21T09:00:00-05:00", "timeZone": "America/Chicago"},
			"end":   map[string]any{"dateTime": "2025-03-21T09:15:00-05:00", "timeZone": "America/Chicago"}})
		if r := sync(); r.Created != 4 {
			t.Fatalf("standup: %+v", r)
		}
		fake.Put(primary, delAll)
		if r := sync(); r.Cancelled != 4 {
			t.Fatalf("delete all: %+v", r)
		}

		// Syncing again changes nothing; nothing was ever duplicated.
		if r := sync(); r.Created+r.Updated+r.Cancelled != 0 {
			t.Errorf("second sync: %+v", r)
		}
		final := snapshot(t, c)
		seen := map[string]bool{}
		for _, l := range final {
			key := l[:20] + strings.Fields(l)[2]
			if seen[key] {
				t.Errorf("duplicate meeting %s", l)
			}
			seen[key] = true
		}

		// The token expires (410): a full listing, and the sweep cancels an
		// event deleted without a trace.
		fake.Put(primary, map[string]any{"kind": "calendar#event", "id": "lunch1", "iCalUID": "lunch1@google.com", "status": "confirmed",
			"summary": "Lunch", "start": map[string]any{"dateTime": "2025-04-02T12:00:00-05:00"}, "end": map[string]any{"dateTime": "2025-04-02T13:00:00-05:00"}})
		if r := sync(); r.Created != 1 {
			t.Fatalf("lunch: %+v", r)
		}
		fake.Remove(primary, "lunch1")
		fake.ExpireSyncTokens()
		if r := sync(); r.Cancelled != 1 || r.Created != 0 {
			t.Fatalf("after 410: %+v", r)
		}
		if countWith(snapshot(t, c), "cancelled Lunch") != 1 {
			t.Error("the vanished lunch is not cancelled")
		}
	})
}

// TestGoogleFaultsAndConsent: under injected faults (5xx, 429, 403 rate
// limits, dropped connections) a sync converges to exactly what a clean one
// gives; a refused grant marks the connection needs_reauth until the person
// consents again.
func TestGoogleFaultsAndConsent(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		load := func(fake *testutil.FakeGoogle) {
			fake.Put(primary, testutil.LoadGoogleEvents(t, "../../testdata/gcal/events_list/libkgapi_events_fetch_page1.json")...)
			fake.Put(primary, testutil.LoadGoogleEvents(t, "../../testdata/gcal/events_list/libkgapi_events_fetch_page2.json")...)
			fake.Put(primary, eventsOf(t, "compass_sync_edit__this-and-following__this-and-following-1.json")...)
			fake.Put(primary, eventsOf(t, "compass_sync_delete__single__delete.single.json")...)
		}
		clean := testutil.NewFakeGoogle(t)
		clean.PageSize = 1
		load(clean)
		ca := googleApp(t, b, clean)
		cc := testutil.SignUp(t, ca.HTTP)
		syncNow(t, cc, connectGoogle(t, cc, clean), 200)
		want := snapshot(t, cc)
		if len(want) < 100 {
			t.Fatalf("clean sync gave %d meetings", len(want))
		}

		fake := testutil.NewFakeGoogle(t)
		fake.PageSize = 1
		load(fake)
		a := googleApp(t, b, fake)
		c := testutil.SignUp(t, a.HTTP)
		id := connectGoogle(t, c, fake)
		fake.SetFaults(0.3)
		syncNow(t, c, id, 200)
		fake.ExpireSyncTokens() // a second full listing, through the faults
		syncNow(t, c, id, 200)
		fake.SetFaults(0)
		if got := snapshot(t, c); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("with faults: %d meetings, want %d", len(got), len(want))
		}
		if req, hit := fake.Stats(); hit == 0 {
			t.Errorf("no faults were injected in %d requests", req)
		}

		// Google stops accepting the access token early: the sync refreshes
		// it, carries on, and keeps the new one (sealed) for next time.
		sealed := func() []byte {
			var b []byte
			if err := a.DB.SQL.QueryRow("SELECT oauth_token FROM connections WHERE id = $1", id).Scan(&b); err != nil {
				t.Fatal(err)
			}
			return b
		}
		before := sealed()
		fake.ExpireAccess()
		syncNow(t, c, id, 200)
		after := sealed()
		if string(after) == string(before) || len(after) == 0 {
			t.Error("the refreshed token was not saved")
		}
		if strings.Contains(string(after), "access-") {
			t.Error("the token is stored in the clear")
		}
		syncNow(t, c, id, 200) // the saved token works without another refresh

		// The refresh token is revoked: the sync says so and the connection
		// needs re-consent; retrying does not hammer Google.
		fake.Revoke()
		res := c.Do("POST", "/api/v1/connections/"+id+"/sync?wait=true", nil).Expect(t, http.StatusConflict)
		if !strings.Contains(string(res.Body), "refused the stored sign-in (invalid_grant)") {
			t.Errorf("revoked: %s", res.Body)
		}
		var conn connectionJSON
		c.Do("GET", "/api/v1/connections/"+id, nil).Expect(t, 200).JSON(t, &conn)
		if conn.Status != "needs_reauth" || conn.LastError == nil {
			t.Errorf("after revocation: %+v", conn)
		}
		calls, _ := fake.Stats()
		c.Do("POST", "/api/v1/connections/"+id+"/sync?wait=true", nil).Expect(t, http.StatusConflict)
		if now, _ := fake.Stats(); now != calls {
			t.Errorf("a needs_reauth connection still called Google (%d requests)", now-calls)
		}
		// Consent again: the same connection comes back.
		fake.Unrevoke()
		if again := connectGoogle(t, c, fake); again != id {
			t.Errorf("reconnecting made a new connection %s (was %s)", again, id)
		}
		if r := syncNow(t, c, id, 200); r.Created != 0 {
			t.Errorf("after re-consent: %+v", r)
		}
		c.Do("GET", "/api/v1/connections/"+id, nil).Expect(t, 200).JSON(t, &conn)
		if conn.Status != "active" {
			t.Errorf("after re-consent: %+v", conn)
		}

		// Not configured: a clear conflict.
		plain := testutil.NewApp(t, b)
		pc := testutil.SignUp(t, plain.HTTP)
		pc.Do("GET", "/api/v1/connections/google/authorize", nil).Expect(t, http.StatusConflict)
	})
}

// TestGooglePush: a sync opens a push channel; Google's notification with
// the channel's token queues a sync, anything else is refused; a channel is
// replaced (and the old one stopped) a day before it expires.
func TestGooglePush(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		fake := testutil.NewFakeGoogle(t)
		fake.SetWatchExpiry(gcalNow.Add(time.Hour)) // expires soon: the next sync renews it
		a := googleApp(t, b, fake)
		c := testutil.SignUp(t, a.HTTP)
		id := connectGoogle(t, c, fake)
		syncNow(t, c, id, 200)
		chans, stopped := fake.Watches()
		if len(chans) != 1 || chans[0]["address"] != "http://debrief.test/webhooks/google" || chans[0]["type"] != "web_hook" ||
			chans[0]["token"] == "" || len(stopped) != 0 {
			t.Fatalf("channels %v, stopped %v", chans, stopped)
		}
		ch := chans[0]
		queued := func() int {
			var n int
			if err := a.DB.SQL.QueryRow("SELECT count(*) FROM river_job WHERE kind = 'calendar_sync'").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		push := func(channel, token, state string, status int) {
			t.Helper()
			resource := ""
			all, _ := fake.Watches()
			for _, x := range all {
				if x["id"] == channel {
					resource = fmt.Sprint(x["resourceId"])
				}
			}
			c.Do("POST", "/webhooks/google", nil, "X-Goog-Channel-ID: "+channel, "X-Goog-Channel-Token: "+token,
				"X-Goog-Resource-ID: "+resource, "X-Goog-Resource-State: "+state, "Authorization:").Expect(t, status)
		}
		before := queued()
		push(fmt.Sprint(ch["id"]), fmt.Sprint(ch["token"]), "sync", http.StatusNoContent)
		if queued() != before {
			t.Error("the handshake queued a sync")
		}
		push(fmt.Sprint(ch["id"]), fmt.Sprint(ch["token"]), "exists", http.StatusNoContent)
		if queued() != before+1 {
			t.Errorf("a change notification queued %d syncs", queued()-before)
		}
		push(fmt.Sprint(ch["id"]), "forged", "exists", http.StatusForbidden)
		push("no-such-channel", fmt.Sprint(ch["token"]), "exists", http.StatusForbidden)
		push("", "", "exists", http.StatusForbidden)
		if queued() != before+1 {
			t.Error("a refused notification queued a sync")
		}

		// Renewal: the channel expires within a day, so the next sync opens
		// another and stops this one.
		fake.SetWatchExpiry(gcalNow.Add(7 * 24 * time.Hour))
		syncNow(t, c, id, 200)
		chans, stopped = fake.Watches()
		if len(chans) != 2 || len(stopped) != 1 || stopped[0] != fmt.Sprint(ch["id"]) {
			t.Fatalf("after renewal: %d channels, stopped %v", len(chans), stopped)
		}
		push(fmt.Sprint(ch["id"]), fmt.Sprint(ch["token"]), "exists", http.StatusForbidden)
		push(fmt.Sprint(chans[1]["id"]), fmt.Sprint(chans[1]["token"]), "exists", http.StatusNoContent)
		// Not due for renewal: no new channel.
		syncNow(t, c, id, 200)
		if chans, _ = fake.Watches(); len(chans) != 2 {
			t.Errorf("a fresh channel was replaced: %d channels", len(chans))
		}
		// Deleting the connection closes its channel.
		c.Do("DELETE", "/api/v1/connections/"+id, nil).Expect(t, http.StatusNoContent)
		if _, stopped = fake.Watches(); len(stopped) != 2 || stopped[1] != fmt.Sprint(chans[1]["id"]) {
			t.Errorf("after delete, stopped %v", stopped)
		}
		push(fmt.Sprint(chans[1]["id"]), fmt.Sprint(chans[1]["token"]), "exists", http.StatusForbidden)
	})
}

// TestGoogleCalendarsAppear: a calendar added to the account later is
// listed at the next sync; one Google shows is synced, one it hides (a
// subscribed holiday calendar) waits to be chosen.
func TestGoogleCalendarsAppear(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		fake := testutil.NewFakeGoogle(t)
		a := googleApp(t, b, fake)
		c := testutil.SignUp(t, a.HTTP)
		id := connectGoogle(t, c, fake)
		syncNow(t, c, id, 200)

		fake.AddCalendar(map[string]any{"id": "team@group.calendar.google.com", "summary": "Team", "accessRole": "owner", "selected": true, "timeZone": "Europe/Berlin"})
		fake.AddCalendar(map[string]any{"id": "holidays@group.v.calendar.google.com", "summary": "Holidays", "accessRole": "reader"})
		event := func(id, title string) map[string]any {
			return map[string]any{"kind": "calendar#event", "id": id, "iCalUID": id + "@google.com", "status": "confirmed", "summary": title,
				"start": map[string]any{"dateTime": "2025-04-02T10:00:00+02:00"}, "end": map[string]any{"dateTime": "2025-04-02T11:00:00+02:00"}}
		}
		fake.Put("team@group.calendar.google.com", event("retro1", "Retro"))
		fake.Put("holidays@group.v.calendar.google.com", event("h1", "Some holiday"))
		if r := syncNow(t, c, id, 200); r.Created != 1 {
			t.Fatalf("after adding calendars: %+v", r)
		}
		var conn struct {
			Calendars []struct {
				ID       string `json:"id"`
				Name     string `json:"name"`
				Selected bool   `json:"selected"`
			} `json:"calendars"`
		}
		c.Do("GET", "/api/v1/connections/"+id, nil).Expect(t, 200).JSON(t, &conn)
		got := map[string]bool{}
		for _, cl := range conn.Calendars {
			got[cl.Name] = cl.Selected
		}
		if len(conn.Calendars) != 3 || !got["Team"] || got["Holidays"] {
			t.Fatalf("calendars: %+v", conn.Calendars)
		}
		// Choosing the hidden one syncs it too.
		var holidays string
		for _, cl := range conn.Calendars {
			if cl.Name == "Holidays" {
				holidays = cl.ID
			}
		}
		c.Do("PATCH", "/api/v1/connections/"+id, map[string]any{"calendars": []map[string]any{{"id": holidays, "selected": true}}}).Expect(t, 200)
		if r := syncNow(t, c, id, 200); r.Created != 1 {
			t.Errorf("after choosing Holidays: %+v", r)
		}
	})
}

// gevent is a Google event as events.list returns it.
func gevent(id, title, start string, extra map[string]any) map[string]any {
	t, err := time.Parse(time.RFC3339, start)
	if err != nil {
		panic(err)
	}
	uid := id + "@google.com"
	if base, _, ok := strings.Cut(id, "_"); ok && !strings.Contains(id, "_R") {
		uid = base + "@google.com"
	}
	e := map[string]any{"kind": "calendar#event", "id": id, "iCalUID": uid, "status": "confirmed", "summary": title,
		"eventType": "default", "start": map[string]any{"dateTime": start, "timeZone": "America/Chicago"},
		"end": map[string]any{"dateTime": t.Add(30 * time.Minute).Format(time.RFC3339), "timeZone": "America/Chicago"}}
	for k, v := range extra {
		e[k] = v
	}
	return e
}

// TestGoogleShortenedSeries: one incremental listing shortens two series
// (one split by "this and following", one with an occurrence cancelled
// earlier), through faults on each sync's first request. Each series keeps
// exactly the occurrences its new rule gives.
func TestGoogleShortenedSeries(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		fake := testutil.NewFakeGoogle(t)
		a := googleApp(t, b, fake)
		c := testutil.SignUp(t, a.HTTP)
		id := connectGoogle(t, c, fake)
		sync := func() importJSON {
			fake.FailNext(http.StatusServiceUnavailable, http.StatusTooManyRequests)
			return syncNow(t, c, id, 200)
		}
		daily := []string{"RRULE:FREQ=DAILY"}
		fake.Put(primary,
			gevent("seriesa", "Standup", "2025-04-01T09:00:00-05:00", map[string]any{"recurrence": daily}),
			gevent("seriesb", "Sync", "2025-04-01T14:00:00-05:00", map[string]any{"recurrence": daily}),
			map[string]any{"kind": "calendar#event", "id": "seriesb_20250405T190000Z", "status": "cancelled", "recurringEventId": "seriesb",
				"originalStartTime": map[string]any{"dateTime": "2025-04-05T14:00:00-05:00", "timeZone": "America/Chicago"}})
		first := sync()
		ms := snapshot(t, c)
		standups, syncs := countWith(ms, "confirmed Standup"), countWith(ms, "confirmed Sync")
		if standups < 300 || syncs != standups-1 || countWith(ms, "cancelled Sync") != 0 || first.Created != standups+syncs {
			t.Fatalf("first sync: %+v; %d standups, %d syncs", first, standups, syncs)
		}

		// One changes page: A cut after eight days and continued by a new
		// master with another title; B cut after two days.
		fake.Put(primary,
			gevent("seriesa", "Standup", "2025-04-01T09:00:00-05:00", map[string]any{"recurrence": []string{"RRULE:FREQ=DAILY;UNTIL=20250409T045959Z"}}),
			gevent("seriesa_R20250409T140000", "Daily standup", "2025-04-09T09:00:00-05:00", map[string]any{"recurrence": daily}),
			gevent("seriesb", "Sync", "2025-04-01T14:00:00-05:00", map[string]any{"recurrence": []string{"RRULE:FREQ=DAILY;UNTIL=20250403T045959Z"}}))
		r := sync()
		ms = snapshot(t, c)
		if n := countWith(ms, "confirmed Standup"); n != 8 {
			t.Errorf("A keeps %d occurrences, want 8", n)
		}
		if n := countWith(ms, "confirmed Daily standup"); n != standups-8 {
			t.Errorf("the new series has %d occurrences, want %d", n, standups-8)
		}
		if ms[0] != "2025-04-01T14:00:00Z confirmed Standup America/Chicago" || !slicesContain(ms, "2025-04-09T14:00:00Z confirmed Daily standup America/Chicago") {
			t.Errorf("first meetings: %q", ms[:3])
		}
		if n := countWith(ms, "confirmed Sync"); n != 2 {
			t.Errorf("B keeps %d occurrences, want 2", n)
		}
		if n := countWith(ms, "cancelled Standup") + countWith(ms, "cancelled Daily standup"); n != 0 {
			t.Errorf("%d of A's meetings cancelled", n)
		}
		if r.Created != 0 || r.Updated != standups-8 || r.Cancelled != syncs-2 {
			t.Errorf("second sync: %+v (want updated %d, cancelled %d)", r, standups-8, syncs-2)
		}
		// Again: nothing changes.
		if r := sync(); r.Created+r.Updated+r.Cancelled != 0 {
			t.Errorf("third sync: %+v", r)
		}

		// Only the second half changes (renamed): the first half's meetings
		// are not in the listing, and stay as they are.
		fake.Put(primary, gevent("seriesa_R20250409T140000", "Team standup", "2025-04-09T09:00:00-05:00", map[string]any{"recurrence": daily}))
		r = sync()
		ms = snapshot(t, c)
		if n := countWith(ms, "confirmed Standup"); n != 8 || r.Updated != standups-8 || r.Cancelled != 0 {
			t.Errorf("after renaming the second half: %d of the first half left, %+v", n, r)
		}
		// The second half is deleted: only its meetings are cancelled.
		fake.Delete(primary, "seriesa_R20250409T140000")
		r = sync()
		ms = snapshot(t, c)
		if n := countWith(ms, "confirmed Standup"); n != 8 || r.Cancelled != standups-8 || countWith(ms, "confirmed Team standup") != 0 {
			t.Errorf("after deleting the second half: %d of the first half left, %+v", n, r)
		}
	})
}

func slicesContain(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
