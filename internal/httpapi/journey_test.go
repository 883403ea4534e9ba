package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/testutil"
)

// TestFirstWeek replays the journey issue 14 came from, end to end through
// the API: a Berlin account imports a week of meetings from a file (a
// weekly 1:1 expanded a year ahead, a kickoff, a pricing call) and
// subscribes to a feed (the team standup); notes are typed over several
// saves, one device saving without block ids; the person edits, hides and
// deletes synced meetings; and every view looks at the past first.
func TestFirstWeek(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b, func(c *config) { c.AllowPrivateFetch = true })
		c := testutil.SignUp(t, a.HTTP) // Europe/Berlin
		now := time.Now().UTC().Truncate(time.Hour)
		f := func(t time.Time) string { return t.Format("20060102T150405Z") }
		ev := func(uid, title string, start time.Time, extra ...string) string {
			return strings.Join(append([]string{"BEGIN:VEVENT", "UID:" + uid, "SUMMARY:" + title, "DTSTART:" + f(start),
				"DTEND:" + f(start.Add(30*time.Minute)), "ATTENDEE;CN=Priya Raman:mailto:priya@acme.com"}, append(extra, "END:VEVENT")...), "\r\n")
		}
		cal := func(events ...string) string {
			return strings.Join(append(append([]string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"}, events...), "END:VCALENDAR", ""), "\r\n")
		}
		file := cal(
			ev("one-on-one@acme.com", "Lena / Priya 1:1", now.AddDate(0, 0, -14), "RRULE:FREQ=WEEKLY"),
			ev("kickoff@acme.com", "Pilot kickoff", now.AddDate(0, 0, -30), "ATTENDEE;CN=Tom Berg:mailto:tom@acme.com"),
			ev("pricing@acme.com", "Pricing call", now.AddDate(0, 0, -13), "ATTENDEE;CN=Tom Berg:mailto:tom@acme.com"),
			ev("followup@acme.com", "Pricing follow-up", now.AddDate(0, 0, 1), "ATTENDEE;CN=Tom Berg:mailto:tom@acme.com"),
		)
		if r := importICS(t, c, "", file); r.Created < 50 {
			t.Fatalf("import: %+v (a year of the weekly 1:1 expected)", r)
		}
		feed := newFeedServer(t, cal(ev("standup@acme.com", "Team standup", now.AddDate(0, 0, -4), "RRULE:FREQ=DAILY;COUNT=10")))
		var conn connectionJSON
		c.Do("POST", "/api/v1/connections/ics", map[string]any{"url": feed.srv.URL + "/team.ics"}).Expect(t, 201).JSON(t, &conn)
		syncNow(t, c, conn.ID, 200)

		byTitle := func(title string, past bool) []syncedMeetingJSON {
			var out []syncedMeetingJSON
			for _, m := range listAll(t, c, "&from="+now.AddDate(0, 0, -40).Format(time.RFC3339)+"&to="+now.AddDate(0, 0, 30).Format(time.RFC3339)) {
				if m.Title == title && (!mustTime(t, m.StartsAt).After(time.Now()) == past) {
					out = append(out, m)
				}
			}
			return out
		}
		kickoff, pricing := byTitle("Pilot kickoff", true)[0], byTitle("Pricing call", true)[0]
		oneOnOnes, followUp := byTitle("Lena / Priya 1:1", true), byTitle("Pricing follow-up", false)[0]
		lastOneOnOne := oneOnOnes[len(oneOnOnes)-1]

		// Notes over several saves; the phone saves without block ids.
		note := func(m syncedMeetingJSON, body string) {
			c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": body}).Expect(t, 200)
		}
		note(kickoff, "Decision: Priya leads the pilot\n!! draft the pilot charter by friday\n!! @priya: share the budget sheet")
		note(pricing, "?? does the pilot need legal review\nDecision: vendor B")
		for i := 0; i < 3; i++ {
			var n savedNote
			c.Do("GET", "/api/v1/meetings/"+lastOneOnOne.ID+"/note", nil).JSON(t, &n)
			body := anyBlockID.ReplaceAllString(n.Body, "")
			body = strings.ReplaceAll(body, " \n", "\n")
			if i == 0 {
				body = "!! follow up with @Priya on hiring\n?? when is the offsite"
			} else {
				body = strings.TrimRight(body, " ") + fmt.Sprintf("\nnotes of save %d", i)
			}
			note(lastOneOnOne, body)
		}
		var detail meetingLines
		c.Do("GET", "/api/v1/meetings/"+lastOneOnOne.ID, nil).Expect(t, 200).JSON(t, &detail)
		if len(detail.ActionItems) != 1 || len(detail.Questions) != 1 || detail.ActionItems[0].Title != "follow up with @Priya on hiring" {
			t.Errorf("the 1:1's items after three saves without ids: %+v", detail)
		}

		// Past first: the person page, the series page, the briefs.
		var people page[struct{ ID, Email string }]
		c.Do("GET", "/api/v1/people?limit=50", nil).Expect(t, 200).JSON(t, &people)
		priya := ""
		for _, p := range people.Items {
			if p.Email == "priya@acme.com" {
				priya = p.ID
			}
		}
		var pp struct {
			Recent   []meetingJSON `json:"recent_meetings"`
			Upcoming []meetingJSON `json:"upcoming_meetings"`
		}
		c.Do("GET", "/api/v1/people/"+priya, nil).Expect(t, 200).JSON(t, &pp)
		for _, m := range pp.Recent {
			if mustTime(t, m.StartsAt).After(time.Now()) {
				t.Errorf("recent meetings list one to come: %s %s", m.Title, m.StartsAt)
			}
		}
		if len(pp.Recent) == 0 || len(pp.Upcoming) != 3 {
			t.Errorf("person page: %d recent, %d upcoming", len(pp.Recent), len(pp.Upcoming))
		}
		var series struct {
			Occurrences []struct {
				Meeting     meetingJSON              `json:"meeting"`
				ActionItems []struct{ Title string } `json:"action_items"`
			} `json:"occurrences"`
			Upcoming        []any                    `json:"upcoming"`
			OpenActionItems []struct{ Title string } `json:"open_action_items"`
		}
		c.Do("GET", "/api/v1/series/"+*lastOneOnOne.SeriesID+"?limit=2", nil).Expect(t, 200).JSON(t, &series)
		if len(series.Occurrences) != 2 || series.Occurrences[0].Meeting.ID != lastOneOnOne.ID || len(series.Occurrences[0].ActionItems) != 1 ||
			len(series.Upcoming) != 2 || len(series.OpenActionItems) != 1 {
			t.Errorf("series page: %+v", series)
		}
		nextOneOnOne := byTitle("Lena / Priya 1:1", false)[0]
		var brief struct {
			Previous []struct {
				Meeting meetingJSON `json:"meeting"`
			} `json:"previous"`
			IOwe     []struct{ Title string } `json:"i_owe"`
			OwedToMe []struct{ Title string } `json:"owed_to_me"`
		}
		c.Do("GET", "/api/v1/meetings/"+nextOneOnOne.ID+"/brief", nil).Expect(t, 200).JSON(t, &brief)
		owe := fmt.Sprint(brief.IOwe)
		if !strings.Contains(owe, "draft the pilot charter") || !strings.Contains(owe, "follow up with @Priya on hiring") ||
			len(brief.OwedToMe) != 1 || brief.OwedToMe[0].Title != "share the budget sheet" {
			t.Errorf("the next 1:1's brief: i_owe %v, owed_to_me %v", brief.IOwe, brief.OwedToMe)
		}
		c.Do("GET", "/api/v1/meetings/"+followUp.ID+"/brief", nil).Expect(t, 200).JSON(t, &brief)
		if len(brief.Previous) == 0 || brief.Previous[0].Meeting.ID != pricing.ID {
			t.Errorf("the one-off follow-up's previous: %+v", brief.Previous)
		}

		// Edits to synced meetings stay; a hidden one stays hidden; a
		// deleted one stays deleted.
		standups := byTitle("Team standup", false)
		moved := standups[0]
		c.Do("PATCH", "/api/v1/meetings/"+moved.ID, map[string]any{"title": "Standup (demo day)"}).Expect(t, 200)
		c.Do("PATCH", "/api/v1/meetings/"+standups[1].ID, map[string]any{"hidden": true}).Expect(t, 200)
		c.Do("DELETE", "/api/v1/meetings/"+standups[2].ID, nil).Expect(t, 204)
		feed.set(200, cal(ev("standup@acme.com", "Daily standup", now.AddDate(0, 0, -4), "RRULE:FREQ=DAILY;COUNT=10")))
		syncNow(t, c, conn.ID, 200)
		var m meetingJSON
		c.Do("GET", "/api/v1/meetings/"+moved.ID, nil).Expect(t, 200).JSON(t, &m)
		if m.Title != "Standup (demo day)" {
			t.Errorf("the renamed standup after the sync: %q", m.Title)
		}
		if n := len(byTitle("Daily standup", false)) + len(byTitle("Standup (demo day)", false)); n != len(standups)-2 {
			t.Errorf("%d standups to come after the sync, want %d (one hidden, one deleted)", n, len(standups)-2)
		}
		c.Do("GET", "/api/v1/meetings/"+standups[2].ID, nil).Expect(t, 404)

		// Decisions are dated by their meetings.
		var ds page[struct {
			Text      string    `json:"text"`
			DecidedAt time.Time `json:"decided_at"`
		}]
		c.Do("GET", "/api/v1/decisions?current=true", nil).Expect(t, 200).JSON(t, &ds)
		for _, d := range ds.Items {
			if d.Text == "vendor B" && !d.DecidedAt.Equal(mustTime(t, pricing.StartsAt)) {
				t.Errorf("vendor B decided at %s, its meeting was at %s", d.DecidedAt, pricing.StartsAt)
			}
		}
	})
}
