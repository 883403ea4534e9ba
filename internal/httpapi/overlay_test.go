package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/testutil"
)

// overlayFeed is a weekly series of eight from three weeks ago, with its
// title and description as given.
func overlayFeed(start time.Time, title, desc string) string {
	f := func(t time.Time) string { return t.UTC().Format("20060102T150405Z") }
	return strings.Join([]string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "BEGIN:VEVENT",
		"UID:weekly-sync@acme.com", "SUMMARY:" + title, "DESCRIPTION:" + desc, "DTSTART:" + f(start), "DTEND:" + f(start.Add(30*time.Minute)),
		"RRULE:FREQ=WEEKLY;COUNT=8", "ATTENDEE;CN=Ann Lee:mailto:ann@acme.com", "END:VEVENT", "END:VCALENDAR", ""}, "\r\n")
}

// TestLocalEditsStay: what a person changes on a meeting from a calendar
// stays changed across syncs (the calendar's word kept beside it), a hidden
// meeting stays hidden until shown again, a deleted one is never made
// again, and a feed that is not there is refused when subscribed.
func TestLocalEditsStay(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b, func(c *config) { c.AllowPrivateFetch = true })
		c := testutil.SignUp(t, a.HTTP)
		start := time.Now().UTC().Truncate(time.Hour).AddDate(0, 0, -21)
		feed := newFeedServer(t, overlayFeed(start, "Weekly sync", "Agenda: status"))

		// A feed that answers 404 is refused, with its answer.
		feed.set(404, "")
		res := c.Do("POST", "/api/v1/connections/ics", map[string]any{"url": feed.srv.URL + "/gone.ics"}).Expect(t, 400)
		if !strings.Contains(string(res.Body), "404 Not Found") || !strings.Contains(string(res.Body), `"field":"url"`) {
			t.Errorf("404 feed: %s", res.Body)
		}
		var conns page[connectionJSON]
		c.Do("GET", "/api/v1/connections", nil).Expect(t, 200).JSON(t, &conns)
		if len(conns.Items) != 0 {
			t.Errorf("a refused feed was stored: %+v", conns.Items)
		}
		feed.set(200, overlayFeed(start, "Weekly sync", "Agenda: status"))
		var conn connectionJSON
		c.Do("POST", "/api/v1/connections/ics", map[string]any{"url": feed.srv.URL + "/team.ics"}).Expect(t, 201).JSON(t, &conn)
		if r := syncNow(t, c, conn.ID, 200); r.Created != 8 {
			t.Fatalf("first sync: %+v", r)
		}
		ms := listAll(t, c, "")
		if len(ms) != 8 {
			t.Fatalf("%d meetings", len(ms))
		}
		moved, hidden, deleted := ms[1], ms[2], ms[3]

		// The person renames and moves one, hides one, deletes one.
		newStart := mustTime(t, moved.StartsAt).Add(2 * time.Hour)
		c.Do("PATCH", "/api/v1/meetings/"+moved.ID, map[string]any{"title": "Weekly sync (with finance)",
			"starts_at": newStart.Format(time.RFC3339), "ends_at": newStart.Add(time.Hour).Format(time.RFC3339)}).Expect(t, 200)
		c.Do("PATCH", "/api/v1/meetings/"+hidden.ID, map[string]any{"hidden": true}).Expect(t, 200)
		c.Do("DELETE", "/api/v1/meetings/"+deleted.ID, nil).Expect(t, 204)

		// The organizer renames the series and changes its agenda.
		feed.set(200, overlayFeed(start, "Weekly sync v2", "Agenda: budget"))
		if r := syncNow(t, c, conn.ID, 200); r.Created != 0 {
			t.Errorf("second sync made meetings: %+v (the deleted one came back?)", r)
		}
		var got struct {
			Title        string            `json:"title"`
			Description  string            `json:"description"`
			StartsAt     string            `json:"starts_at"`
			CalendarSays map[string]string `json:"calendar_says"`
		}
		c.Do("GET", "/api/v1/meetings/"+moved.ID, nil).Expect(t, 200).JSON(t, &got)
		if got.Title != "Weekly sync (with finance)" || !mustTime(t, got.StartsAt).Equal(newStart) || got.Description != "Agenda: budget" {
			t.Errorf("the edited meeting after the sync: %+v", got)
		}
		if got.CalendarSays["title"] != "Weekly sync v2" || !mustTime(t, got.CalendarSays["starts_at"]).Equal(mustTime(t, moved.StartsAt)) {
			t.Errorf("what the calendar says: %v", got.CalendarSays)
		}
		if _, ok := got.CalendarSays["description"]; ok {
			t.Errorf("the description was not edited, but is overlaid: %v", got.CalendarSays)
		}
		// The others follow the calendar.
		after := listAll(t, c, "")
		if len(after) != 6 {
			t.Fatalf("%d meetings listed after the sync, want 6 (one hidden, one deleted)", len(after))
		}
		for _, m := range after {
			if m.ID == hidden.ID || m.ID == deleted.ID || mustTime(t, m.StartsAt).Equal(mustTime(t, deleted.StartsAt)) {
				t.Errorf("listed: %+v", m)
			}
			if m.ID != moved.ID && m.Title != "Weekly sync v2" {
				t.Errorf("%s kept its old title %q", m.ID, m.Title)
			}
		}
		if hid := listAll(t, c, "&hidden=true"); len(hid) != 1 || hid[0].ID != hidden.ID || hid[0].Title != "Weekly sync v2" {
			t.Errorf("hidden meetings: %+v", hid)
		}
		c.Do("GET", "/api/v1/meetings/"+deleted.ID, nil).Expect(t, 404)
		// Shown again; the title back to the calendar's gives it back.
		c.Do("PATCH", "/api/v1/meetings/"+hidden.ID, map[string]any{"hidden": false}).Expect(t, 200)
		got.CalendarSays = nil // decoding into a map adds to it
		c.Do("PATCH", "/api/v1/meetings/"+moved.ID, map[string]any{"title": "Weekly sync v2"}).Expect(t, 200).JSON(t, &got)
		if _, ok := got.CalendarSays["title"]; ok || got.CalendarSays["starts_at"] == "" {
			t.Errorf("after editing the title back: %v", got.CalendarSays)
		}
		feed.set(200, overlayFeed(start, "Weekly sync v3", "Agenda: budget"))
		syncNow(t, c, conn.ID, 200)
		c.Do("GET", "/api/v1/meetings/"+moved.ID, nil).Expect(t, 200).JSON(t, &got)
		if got.Title != "Weekly sync v3" || !mustTime(t, got.StartsAt).Equal(newStart) {
			t.Errorf("title given back, time kept: %+v", got)
		}
		if n := len(listAll(t, c, "")); n != 7 {
			t.Errorf("%d meetings after showing the hidden one, want 7", n)
		}
	})
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(fmt.Errorf("time %q: %w", s, err))
	}
	return v
}
