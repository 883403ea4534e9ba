package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/testutil"
)

// TestPastComesFirst: a series expanded a year ahead (as a calendar does)
// does not crowd the past out of the views about it. A person page lists
// the meetings that happened (and the next few apart); a series page is
// the past newest first, a page at a time, each occurrence with what it
// captured, and the next two apart; a brief finds earlier meetings with
// the same people outside the series, and the items of a kickoff long ago.
func TestPastComesFirst(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		me := c.Do("GET", "/api/v1/me", nil).Expect(t, 200).Map(t)
		var owner string
		if err := a.DB.SQL.QueryRow(rebind(a, `SELECT id FROM users WHERE email = ?`), me["email"]).Scan(&owner); err != nil {
			t.Fatal(err)
		}
		sr, err := a.DB.Ent.Series.Create().SetOwnerID(owner).SetTitle("Lena / Priya 1:1").Save(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Minute)
		at := func(days int) string { return now.Add(time.Duration(days) * 24 * time.Hour).Format(time.RFC3339) }
		priya := map[string]any{"email": "priya@acme.com", "name": "Priya Raman"}
		tom := map[string]any{"email": "tom@acme.com", "name": "Tom Berg"}
		mk := func(title string, days int, inSeries bool, note string, who ...map[string]any) meetingJSON {
			body := map[string]any{"title": title, "starts_at": at(days), "attendees": who}
			if inSeries {
				body["series_id"] = sr.ID
			}
			m := createMeeting(t, c, body)
			if note != "" {
				c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": note}).Expect(t, 200)
			}
			return m
		}
		kickoff := mk("Kickoff", -120, false, "!! draft the project charter\nDecision: Priya leads the pilot", priya, tom)
		_ = kickoff
		call := mk("Pricing call", -15, false, "We compared three vendors.\n?? does the pilot need legal", priya, tom)
		var past []meetingJSON
		for i := 3; i >= 1; i-- {
			past = append(past, mk(fmt.Sprintf("1:1 week -%d", i), -7*i, true,
				fmt.Sprintf("- [ ] follow-up %d\nDecision: choice %d", i, i), priya))
		}
		// A year of empty occurrences ahead, as a synced series has.
		var future []meetingJSON
		for i := 1; i <= 320; i++ {
			future = append(future, mk(fmt.Sprintf("1:1 week +%d", i), 7*i-6, true, "", priya))
		}
		people := map[string]string{}
		var list page[struct{ ID, Email string }]
		c.Do("GET", "/api/v1/people?limit=50", nil).Expect(t, 200).JSON(t, &list)
		for _, p := range list.Items {
			people[p.Email] = p.ID
		}

		// The person page: what happened, newest first; the next three apart.
		var person struct {
			Recent   []meetingJSON `json:"recent_meetings"`
			Upcoming []meetingJSON `json:"upcoming_meetings"`
		}
		c.Do("GET", "/api/v1/people/"+people["priya@acme.com"], nil).Expect(t, 200).JSON(t, &person)
		if got, want := titlesOf(person.Recent), "1:1 week -1, 1:1 week -2, Pricing call, 1:1 week -3, Kickoff"; got != want {
			t.Errorf("recent meetings: %s\nwant %s", got, want)
		}
		if got, want := titlesOf(person.Upcoming), "1:1 week +1, 1:1 week +2, 1:1 week +3"; got != want {
			t.Errorf("upcoming meetings: %s, want %s", got, want)
		}

		// The series page: the past a page at a time, each with its items.
		type occurrence struct {
			Meeting     meetingJSON              `json:"meeting"`
			ActionItems []struct{ Title string } `json:"action_items"`
			Decisions   []struct{ Text string }  `json:"decisions"`
		}
		var sp struct {
			Occurrences     []occurrence             `json:"occurrences"`
			NextCursor      *string                  `json:"next_cursor"`
			Upcoming        []occurrence             `json:"upcoming"`
			OpenActionItems []struct{ Title string } `json:"open_action_items"`
		}
		c.Do("GET", "/api/v1/series/"+sr.ID+"?limit=2", nil).Expect(t, 200).JSON(t, &sp)
		var got []string
		for _, o := range sp.Occurrences {
			got = append(got, fmt.Sprintf("%s [%d items, %d decisions]", o.Meeting.Title, len(o.ActionItems), len(o.Decisions)))
		}
		if strings.Join(got, "; ") != "1:1 week -1 [1 items, 1 decisions]; 1:1 week -2 [1 items, 1 decisions]" || sp.NextCursor == nil {
			t.Fatalf("series page 1: %v (next %v)", got, sp.NextCursor)
		}
		if len(sp.Upcoming) != 2 || sp.Upcoming[0].Meeting.ID != future[0].ID || sp.Upcoming[1].Meeting.ID != future[1].ID {
			t.Errorf("series upcoming: %+v", sp.Upcoming)
		}
		if len(sp.Occurrences[0].Decisions) == 1 && sp.Occurrences[0].Decisions[0].Text != "choice 1" {
			t.Errorf("newest occurrence's decision: %+v", sp.Occurrences[0].Decisions)
		}
		var sp2 struct {
			Occurrences []occurrence  `json:"occurrences"`
			NextCursor  *string       `json:"next_cursor"`
			Upcoming    []occurrence  `json:"upcoming"`
			Open        []interface{} `json:"open_action_items"`
		}
		c.Do("GET", "/api/v1/series/"+sr.ID+"?limit=2&cursor="+*sp.NextCursor, nil).Expect(t, 200).JSON(t, &sp2)
		if len(sp2.Occurrences) != 1 || sp2.Occurrences[0].Meeting.Title != "1:1 week -3" || sp2.NextCursor != nil || len(sp2.Upcoming) != 0 {
			t.Errorf("series page 2: %+v next %v upcoming %d", sp2.Occurrences, sp2.NextCursor, len(sp2.Upcoming))
		}
		if len(sp.OpenActionItems) != 3 {
			t.Errorf("open from the series: %+v, want the three follow-ups", sp.OpenActionItems)
		}
		c.Do("GET", "/api/v1/series/"+sr.ID+"?limit=0", nil).Expect(t, 400)
		c.Do("GET", "/api/v1/series/"+sr.ID+"?cursor=nonsense", nil).Expect(t, 400)

		type brief struct {
			Previous []struct {
				Meeting meetingJSON `json:"meeting"`
			} `json:"previous"`
			IOwe          []struct{ Title string } `json:"i_owe"`
			OpenQuestions []struct{ Text string }  `json:"open_questions"`
			Decisions     []struct{ Text string }  `json:"decisions"`
		}
		// The next 1:1: the kickoff Priya was at is in, though 320 empty
		// occurrences start later than it.
		var next brief
		c.Do("GET", "/api/v1/meetings/"+future[0].ID+"/brief", nil).Expect(t, 200).JSON(t, &next)
		var owe []string
		for _, it := range next.IOwe {
			owe = append(owe, it.Title)
		}
		if !strings.Contains(strings.Join(owe, ", "), "draft the project charter") {
			t.Errorf("the 1:1's brief lacks the kickoff's item: i_owe = %v", owe)
		}
		var prev []string
		for _, p := range next.Previous {
			prev = append(prev, p.Meeting.Title)
		}
		if got, want := strings.Join(prev, ", "), "1:1 week -1, 1:1 week -2, 1:1 week -3, Pricing call, Kickoff"; got != want {
			t.Errorf("the 1:1's previous: %s\nwant %s", got, want)
		}
		// A one-off call with Priya and Tom tomorrow: the call two weeks ago
		// is its previous meeting, first among those with both.
		oneOff := mk("Pricing follow-up", 1, false, "", priya, tom)
		var ob brief
		c.Do("GET", "/api/v1/meetings/"+oneOff.ID+"/brief", nil).Expect(t, 200).JSON(t, &ob)
		if len(ob.Previous) == 0 || !containsTitle(ob.Previous, call.Title) {
			t.Errorf("the one-off call's previous: %+v, want the pricing call", ob.Previous)
		}
		for _, p := range ob.Previous {
			if st, _ := time.Parse(time.RFC3339, p.Meeting.StartsAt); st.After(now) {
				t.Errorf("previous lists a meeting to come: %s %s", p.Meeting.Title, p.Meeting.StartsAt)
			}
		}
		if len(ob.OpenQuestions) != 1 || ob.OpenQuestions[0].Text != "does the pilot need legal" {
			t.Errorf("the one-off call's open questions: %+v", ob.OpenQuestions)
		}
	})
}

func titlesOf(ms []meetingJSON) string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Title)
	}
	return strings.Join(out, ", ")
}

func containsTitle(ps []struct {
	Meeting meetingJSON `json:"meeting"`
}, title string) bool {
	for _, p := range ps {
		if p.Meeting.Title == title {
			return true
		}
	}
	return false
}
