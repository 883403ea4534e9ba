package httpapi_test

import (
	"fmt"
	"testing"

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
