package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/testutil"
)

func TestToday(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP) // Europe/Berlin
		me := c.Do("GET", "/api/v1/me", nil).Expect(t, 200).Map(t)
		mk := func(title, start string) meetingJSON {
			return createMeeting(t, c, map[string]any{"title": title, "starts_at": start,
				"attendees": []map[string]any{{"email": "alice@acme.com"}}})
		}
		mk("yesterday", "2026-11-30T10:00:00Z")
		m1 := mk("morning", "2026-12-01T08:00:00Z")
		mk("after midnight in Berlin", "2026-12-01T23:30:00Z")
		m2 := mk("late evening", "2026-12-01T22:30:00Z")
		alice := m1.Attendees[0].PersonID
		item := func(title string, extra map[string]any) string {
			body := map[string]any{"title": title}
			for k, v := range extra {
				body[k] = v
			}
			return c.Do("POST", "/api/v1/action-items", body).Expect(t, 201).Map(t)["id"].(string)
		}
		dueToday := item("due today", map[string]any{"due_at": "2026-12-01"})
		undated := item("undated", nil)
		mineOver := item("mine overdue", map[string]any{"due_at": "2026-11-29"})
		hersOver := item("hers overdue", map[string]any{"due_at": "2026-11-30", "owner_id": alice})
		item("done long ago", map[string]any{"due_at": "2026-11-20", "status": "done"})
		item("hers later", map[string]any{"due_at": "2026-12-05", "owner_id": alice})
		qOpen := addQuestion(t, a, me["email"].(string), m1.ID, "open question")
		qDone := addQuestion(t, a, me["email"].(string), m1.ID, "answered question")
		c.Do("PATCH", "/api/v1/questions/"+qDone, map[string]any{"status": "answered"}).Expect(t, 200)

		var day struct {
			Date            string                `json:"date"`
			Meetings        []struct{ ID string } `json:"meetings"`
			OpenActionItems []struct{ ID string } `json:"open_action_items"`
			Overdue         []struct{ ID string } `json:"overdue"`
			OpenQuestions   []struct{ ID string } `json:"open_questions"`
		}
		c.Do("GET", "/api/v1/today?date=2026-12-01", nil).Expect(t, 200).JSON(t, &day)
		ids := func(xs []struct{ ID string }) string {
			var out []string
			for _, x := range xs {
				out = append(out, x.ID)
			}
			return fmt.Sprint(out)
		}
		if day.Date != "2026-12-01" {
			t.Errorf("date = %s", day.Date)
		}
		if got, want := ids(day.Meetings), fmt.Sprint([]string{m1.ID, m2.ID}); got != want {
			t.Errorf("meetings = %s, want %s (the Berlin day)", got, want)
		}
		if got, want := ids(day.OpenActionItems), fmt.Sprint([]string{dueToday, undated}); got != want {
			t.Errorf("open items = %s, want %s", got, want)
		}
		if got, want := ids(day.Overdue), fmt.Sprint([]string{mineOver, hersOver}); got != want {
			t.Errorf("overdue = %s, want %s", got, want)
		}
		if got, want := ids(day.OpenQuestions), fmt.Sprint([]string{qOpen}); got != want {
			t.Errorf("open questions = %s, want %s", got, want)
		}
		c.Do("GET", "/api/v1/today", nil).Expect(t, 200)
		c.Do("GET", "/api/v1/today?date=tomorrow", nil).Expect(t, 400)
		// Another user's day is empty.
		other := testutil.SignUp(t, a.HTTP)
		var empty struct {
			Meetings []any `json:"meetings"`
			Overdue  []any `json:"overdue"`
		}
		other.Do("GET", "/api/v1/today?date=2026-12-01", nil).Expect(t, 200).JSON(t, &empty)
		if len(empty.Meetings) != 0 || len(empty.Overdue) != 0 {
			t.Errorf("another user sees %d meetings, %d overdue", len(empty.Meetings), len(empty.Overdue))
		}
	})
}

func TestBrief(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		me := c.Do("GET", "/api/v1/me", nil).Expect(t, 200).Map(t)
		var owner string
		if err := a.DB.SQL.QueryRow(rebind(a, `SELECT id FROM users WHERE email = ?`), me["email"]).Scan(&owner); err != nil {
			t.Fatal(err)
		}
		series, err := a.DB.Ent.Series.Create().SetOwnerID(owner).SetTitle("Weekly with Acme").Save(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		people := func(emails ...string) []map[string]any {
			var out []map[string]any
			for _, e := range emails {
				out = append(out, map[string]any{"email": e, "name": strings.Split(e, "@")[0]})
			}
			return out
		}
		mk := func(title, start string, inSeries bool, note string, emails ...string) meetingJSON {
			body := map[string]any{"title": title, "starts_at": start, "attendees": people(emails...)}
			if inSeries {
				body["series_id"] = series.ID
			}
			m := createMeeting(t, c, body)
			if note != "" {
				c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": note}).Expect(t, 200)
			}
			return m
		}
		mk("Weekly 1", "2026-11-01T10:00:00Z", true, "We reviewed the roadmap.\nPricing is open.", "alice@acme.com", "bob@acme.com")
		mk("Weekly 2", "2026-11-08T10:00:00Z", true, "- [ ] send the slides\n?? budget approved?", "alice@acme.com")
		mk("Big review", "2026-11-05T10:00:00Z", false, "Decision: vendor B\n!! @bob review the contract\n!! my task from the review", "alice@acme.com", "bob@acme.com", "carol@acme.com")
		mk("Unrelated", "2026-11-06T10:00:00Z", false, "!! unrelated task\n?? unrelated question\nDecision: unrelated decision", "dave@globex.com")
		target := mk("Weekly 3", "2026-11-15T10:00:00Z", true, "", "alice@acme.com", "bob@acme.com")
		mk("Weekly 4 (later)", "2026-11-22T10:00:00Z", true, "later notes", "alice@acme.com")

		var brief struct {
			Meeting  struct{ ID string } `json:"meeting"`
			Previous []struct {
				Meeting     struct{ Title string } `json:"meeting"`
				NoteExcerpt string                 `json:"note_excerpt"`
			} `json:"previous"`
			IOwe          []struct{ Title string } `json:"i_owe"`
			OwedToMe      []struct{ Title string } `json:"owed_to_me"`
			OpenQuestions []struct{ Text string }  `json:"open_questions"`
			Decisions     []struct{ Text string }  `json:"decisions"`
		}
		c.Do("GET", "/api/v1/meetings/"+target.ID+"/brief", nil).Expect(t, 200).JSON(t, &brief)
		var prev []string
		for _, p := range brief.Previous {
			prev = append(prev, p.Meeting.Title+": "+p.NoteExcerpt)
		}
		if got, want := strings.Join(prev, " | "), "Weekly 2: - [ ] send the slides · ?? budget approved? | Weekly 1: We reviewed the roadmap. · Pricing is open. | Big review: Decision: vendor B · !! @bob review the contract · !! my task from the review"; got != want {
			t.Errorf("previous:\n got %s\nwant %s", got, want)
		}
		titles := func(xs []struct{ Title string }) string {
			var out []string
			for _, x := range xs {
				out = append(out, x.Title)
			}
			return strings.Join(out, ", ")
		}
		if got := titles(brief.IOwe); got != "send the slides, my task from the review" {
			t.Errorf("i_owe = %s (same series first, then attendees in common)", got)
		}
		if got := titles(brief.OwedToMe); got != "review the contract" {
			t.Errorf("owed_to_me = %s", got)
		}
		if len(brief.OpenQuestions) != 1 || brief.OpenQuestions[0].Text != "budget approved?" {
			t.Errorf("open questions = %+v", brief.OpenQuestions)
		}
		if len(brief.Decisions) != 1 || brief.Decisions[0].Text != "vendor B" {
			t.Errorf("decisions = %+v", brief.Decisions)
		}
		// A meeting with nobody else and no series still has a (thin) brief.
		alone := createMeeting(t, c, map[string]any{"title": "Focus time", "starts_at": "2026-11-16T10:00:00Z"})
		var thin struct {
			IOwe     []any `json:"i_owe"`
			Previous []any `json:"previous"`
		}
		c.Do("GET", "/api/v1/meetings/"+alone.ID+"/brief", nil).Expect(t, 200).JSON(t, &thin)
		if len(thin.IOwe) != 0 || len(thin.Previous) != 0 {
			t.Errorf("brief of a meeting alone: %+v", thin)
		}
		stranger := testutil.SignUp(t, a.HTTP)
		stranger.Do("GET", "/api/v1/meetings/"+target.ID+"/brief", nil).Expect(t, 404)

		// The series page: occurrences newest first with notes, open items carried over.
		var sp struct {
			Title       string `json:"title"`
			Occurrences []struct {
				Meeting struct{ Title string } `json:"meeting"`
				Note    *struct{ Body string } `json:"note"`
			} `json:"occurrences"`
			OpenActionItems []struct{ Title string } `json:"open_action_items"`
		}
		c.Do("GET", "/api/v1/series/"+series.ID, nil).Expect(t, 200).JSON(t, &sp)
		var occ []string
		for _, o := range sp.Occurrences {
			occ = append(occ, fmt.Sprintf("%s(%v)", o.Meeting.Title, o.Note != nil))
		}
		if sp.Title != "Weekly with Acme" || strings.Join(occ, " ") != "Weekly 4 (later)(true) Weekly 3(false) Weekly 2(true) Weekly 1(true)" {
			t.Errorf("series page: %s %v", sp.Title, occ)
		}
		if titles(sp.OpenActionItems) != "send the slides" {
			t.Errorf("series open items = %s", titles(sp.OpenActionItems))
		}
		stranger.Do("GET", "/api/v1/series/"+series.ID, nil).Expect(t, 404)
		c.Do("GET", "/api/v1/series/"+missingID, nil).Expect(t, 404)
	})
}

func TestActionItemViews(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		// The meetings and the decision lie ahead of the items, which are
		// created now: a month ahead, whatever day the test runs.
		ahead := time.Now().UTC().AddDate(0, 1, 0).Truncate(24 * time.Hour).Add(10 * time.Hour)
		at := func(days int) string { return ahead.AddDate(0, 0, days).Format(time.RFC3339) }
		m1 := createMeeting(t, c, map[string]any{"title": "One", "starts_at": at(0),
			"attendees": []map[string]any{{"email": "alice@acme.com", "name": "Alice"}, {"email": "bob@acme.com", "name": "Bob"}}})
		m2 := createMeeting(t, c, map[string]any{"title": "Two", "starts_at": at(1),
			"attendees": []map[string]any{{"email": "carol@acme.com", "name": "Carol"}}})
		c.Do("PUT", "/api/v1/meetings/"+m1.ID+"/note", map[string]any{"body": "!! my task A\n!! @bob review\n- [x] done already"}).Expect(t, 200)
		c.Do("PUT", "/api/v1/meetings/"+m2.ID+"/note", map[string]any{"body": "!! my task B"}).Expect(t, 200)
		c.Do("POST", "/api/v1/action-items", map[string]any{"title": "solo"}).Expect(t, 201)
		c.Do("POST", "/api/v1/action-items", map[string]any{"title": "alice's own", "owner_id": m1.Attendees[0].PersonID}).Expect(t, 201)

		render := func(view string) string {
			var g struct {
				View   string `json:"view"`
				Groups []struct {
					Person *struct{ Name string }   `json:"person"`
					Items  []struct{ Title string } `json:"items"`
				} `json:"groups"`
			}
			c.Do("GET", "/api/v1/action-items?view="+view, nil).Expect(t, 200).JSON(t, &g)
			var parts []string
			for _, gr := range g.Groups {
				name := "nobody"
				if gr.Person != nil {
					name = gr.Person.Name
				}
				var titles []string
				for _, it := range gr.Items {
					titles = append(titles, it.Title)
				}
				parts = append(parts, name+": "+strings.Join(titles, ", "))
			}
			return g.View + " | " + strings.Join(parts, " | ")
		}
		if got, want := render("owed_to_me"), "owed_to_me | Alice: alice's own | Bob: review"; got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
		if got, want := render("i_owe"), "i_owe | Alice: my task A | Bob: my task A | Carol: my task B | nobody: solo"; got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
		c.Do("GET", "/api/v1/action-items?view=everything", nil).Expect(t, 400)

		// Bob's page: a timeline of his meetings, decisions and items, newest first.
		c.Do("POST", "/api/v1/decisions", map[string]any{"text": "ship in Q1", "decided_at": at(2),
			"person_ids": []string{m1.Attendees[1].PersonID}}).Expect(t, 201)
		var bob struct {
			Timeline []struct {
				Type  string `json:"type"`
				Title string `json:"title"`
			} `json:"timeline"`
			Upcoming []meetingJSON `json:"upcoming_meetings"`
		}
		c.Do("GET", "/api/v1/people/"+m1.Attendees[1].PersonID, nil).Expect(t, 200).JSON(t, &bob)
		var tl []string
		for _, e := range bob.Timeline {
			tl = append(tl, e.Type+":"+e.Title)
		}
		// The decision (two days after the meeting) lies ahead of the item;
		// the meeting, still to come, is among the upcoming ones, not in the
		// timeline of what happened.
		if got, want := strings.Join(tl, " "), "decision:ship in Q1 action_item:review"; got != want {
			t.Errorf("timeline = %s, want %s", got, want)
		}
		if titlesOf(bob.Upcoming) != "One" {
			t.Errorf("upcoming = %s, want One", titlesOf(bob.Upcoming))
		}
	})
}
