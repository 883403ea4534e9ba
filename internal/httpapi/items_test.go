package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/debrief-hq/debrief/internal/app"
	"github.com/debrief-hq/debrief/internal/testutil"
)

// addQuestion inserts a question as note capture will; there is no POST for
// questions (they come from `??` lines).
func addQuestion(t *testing.T, a *app.App, ownerEmail, meetingID, text string) string {
	t.Helper()
	ctx := context.Background()
	var owner string
	if err := a.DB.SQL.QueryRowContext(ctx, rebind(a, `SELECT id FROM users WHERE email = ?`), ownerEmail).Scan(&owner); err != nil {
		t.Fatal(err)
	}
	q, err := a.DB.Ent.Question.Create().SetOwnerID(owner).SetText(text).SetMeetingID(meetingID).Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return q.ID
}

func rebind(a *app.App, q string) string {
	if a.DB.Dialect == "postgres" {
		return strings.Replace(q, "?", "$1", 1)
	}
	return q
}

func TestActionItemsDecisionsQuestions(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		me := c.Do("GET", "/api/v1/me", nil).Expect(t, 200).Map(t)
		m := createMeeting(t, c, map[string]any{"title": "Vendor review", "starts_at": "2026-12-01T10:00:00Z",
			"attendees": []map[string]any{{"email": "alice@acme.com", "name": "Alice"}, {"email": "bob@acme.com"}}})
		alice, bob := m.Attendees[0].PersonID, m.Attendees[1].PersonID

		mine := c.Do("POST", "/api/v1/action-items", map[string]any{"title": "Write the summary", "due_at": "2026-12-02", "meeting_id": m.ID}).
			Expect(t, 201).Map(t)
		if mine["owner"] != nil || mine["due_at"] != "2026-12-01T23:00:00Z" {
			t.Errorf("my item: owner %v due %v (a date is midnight in my zone, Europe/Berlin)", mine["owner"], mine["due_at"])
		}
		hers := c.Do("POST", "/api/v1/action-items", map[string]any{"title": "Send the contract", "owner_id": alice, "due_at": "2026-12-10T17:00:00Z"}).
			Expect(t, 201).Map(t)
		if hers["owner"].(map[string]any)["name"] != "Alice" {
			t.Errorf("owner = %v", hers["owner"])
		}
		testutil.Run(t, c, []testutil.Scenario{
			{Name: "owner must be my person", Method: "POST", Path: "/api/v1/action-items",
				Body: map[string]any{"title": "x", "owner_id": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}, Status: 400, Contains: []string{"owner_id"}},
			{Name: "meeting must be mine", Method: "POST", Path: "/api/v1/action-items",
				Body: map[string]any{"title": "x", "meeting_id": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}, Status: 400, Contains: []string{"meeting_id"}},
			{Name: "title required", Method: "POST", Path: "/api/v1/action-items", Body: map[string]any{"title": "  "}, Status: 400},
			{Name: "bad status", Method: "POST", Path: "/api/v1/action-items", Body: map[string]any{"title": "x", "status": "later"}, Status: 400},
			{Name: "filter owner me", Method: "GET", Path: "/api/v1/action-items?owner_id=me", Status: 200,
				Contains: []string{"Write the summary"}},
			{Name: "filter owner alice", Method: "GET", Path: "/api/v1/action-items?owner_id=" + alice, Status: 200,
				Contains: []string{"Send the contract"}},
			{Name: "filter due before", Method: "GET", Path: "/api/v1/action-items?due_before=2026-12-05", Status: 200,
				Contains: []string{"Write the summary"}},
			{Name: "filter meeting", Method: "GET", Path: "/api/v1/action-items?meeting_id=" + m.ID, Status: 200,
				Contains: []string{"Write the summary"}},
			{Name: "bad status filter", Method: "GET", Path: "/api/v1/action-items?status=maybe", Status: 400},
		})
		for q, absent := range map[string]string{
			"owner_id=me":                   "Send the contract",
			"owner_id=" + alice:             "Write the summary",
			"due_after=2026-12-05":          "Write the summary",
			"meeting_id=" + m.ID:            "Send the contract",
			"status=done":                   "Write the summary",
			"due_before=2026-12-05&limit=1": "Send the contract",
		} {
			res := c.Do("GET", "/api/v1/action-items?"+q, nil).Expect(t, 200)
			if strings.Contains(string(res.Body), absent) {
				t.Errorf("?%s lists %q", q, absent)
			}
		}

		// Complete, reopen, reassign, clear due.
		id := mine["id"].(string)
		done := c.Do("PATCH", "/api/v1/action-items/"+id, map[string]any{"status": "done"}).Expect(t, 200).Map(t)
		if done["completed_at"] == nil {
			t.Error("done item has no completed_at")
		}
		open := c.Do("PATCH", "/api/v1/action-items/"+id, map[string]any{"status": "open", "owner_id": bob, "due_at": nil}).Expect(t, 200).Map(t)
		if open["completed_at"] != nil || open["due_at"] != nil || open["owner"].(map[string]any)["person_id"] != bob {
			t.Errorf("reopened item: %v", open)
		}
		back := c.Do("PATCH", "/api/v1/action-items/"+id, map[string]any{"owner_id": nil}).Expect(t, 200).Map(t)
		if back["owner"] != nil {
			t.Errorf("owner_id null should give the item back to me: %v", back["owner"])
		}
		// The person page lists what they owe.
		page := c.Do("GET", "/api/v1/people/"+alice, nil).Expect(t, 200)
		if !strings.Contains(string(page.Body), "Send the contract") || !strings.Contains(string(page.Body), "Vendor review") {
			t.Errorf("person page: %s", page.Body)
		}

		// Decisions and supersession.
		d1 := c.Do("POST", "/api/v1/decisions", map[string]any{"text": "Go with vendor A", "meeting_id": m.ID,
			"person_ids": []string{alice, alice, bob}, "decided_at": "2026-12-01T10:30:00Z"}).Expect(t, 201).Map(t)
		if n := len(d1["people"].([]any)); n != 2 {
			t.Errorf("decision people = %d, want 2 (deduplicated)", n)
		}
		d2 := c.Do("POST", "/api/v1/decisions", map[string]any{"text": "Go with vendor B", "meeting_id": m.ID}).Expect(t, 201).Map(t)
		d1id, d2id := d1["id"].(string), d2["id"].(string)
		c.Do("PATCH", "/api/v1/decisions/"+d1id, map[string]any{"superseded_by_id": d1id}).Expect(t, 400)
		sup := c.Do("PATCH", "/api/v1/decisions/"+d1id, map[string]any{"superseded_by_id": d2id}).Expect(t, 200).Map(t)
		if sup["superseded_by_id"] != d2id {
			t.Errorf("superseded_by_id = %v", sup["superseded_by_id"])
		}
		cycle := c.Do("PATCH", "/api/v1/decisions/"+d2id, map[string]any{"superseded_by_id": d1id}).Expect(t, 400)
		if !strings.Contains(string(cycle.Body), "cycle") {
			t.Errorf("cycle not explained: %s", cycle.Body)
		}
		c.Do("PATCH", "/api/v1/decisions/"+d1id, map[string]any{"person_ids": []string{"01ARZ3NDEKTSV4RRFFQ69G5FAV"}}).Expect(t, 400)
		current := c.Do("GET", "/api/v1/decisions?current=true", nil).Expect(t, 200)
		if strings.Contains(string(current.Body), "vendor A") || !strings.Contains(string(current.Body), "vendor B") {
			t.Errorf("current decisions: %s", current.Body)
		}
		byPerson := c.Do("GET", "/api/v1/decisions?person_id="+alice, nil).Expect(t, 200)
		if !strings.Contains(string(byPerson.Body), "vendor A") || strings.Contains(string(byPerson.Body), "vendor B") {
			t.Errorf("decisions by person: %s", byPerson.Body)
		}
		c.Do("PATCH", "/api/v1/decisions/"+d1id, map[string]any{"superseded_by_id": nil}).Expect(t, 200)

		// Questions.
		qid := addQuestion(t, a, me["email"].(string), m.ID, "Does legal need to review?")
		ans := c.Do("PATCH", "/api/v1/questions/"+qid, map[string]any{"status": "answered"}).Expect(t, 200).Map(t)
		if ans["answered_at"] == nil {
			t.Error("answered question has no answered_at")
		}
		c.Do("PATCH", "/api/v1/questions/"+qid, map[string]any{"status": "pending"}).Expect(t, 400)
		openQs := c.Do("GET", "/api/v1/questions?status=open", nil).Expect(t, 200)
		if strings.Contains(string(openQs.Body), "legal") {
			t.Errorf("answered question listed as open: %s", openQs.Body)
		}
		det := c.Do("GET", "/api/v1/meetings/"+m.ID, nil).Expect(t, 200)
		for _, want := range []string{"Write the summary", "vendor B", "legal"} {
			if !strings.Contains(string(det.Body), want) {
				t.Errorf("meeting page lacks %q", want)
			}
		}
		// People: search and edit.
		c.Do("GET", "/api/v1/people?q=ALI", nil).Expect(t, 200)
		if res := c.Do("GET", "/api/v1/people?q=ALI", nil); !strings.Contains(string(res.Body), "alice@acme.com") || strings.Contains(string(res.Body), "bob@") {
			t.Errorf("people?q=ALI: %s", res.Body)
		}
		edited := c.Do("PATCH", "/api/v1/people/"+alice, map[string]any{"name": "Alice Liddell", "emails": []string{"alice@acme.com", "ALICE@wonder.land"}}).
			Expect(t, 200).Map(t)
		if edited["name"] != "Alice Liddell" || len(edited["emails"].([]any)) != 2 {
			t.Errorf("edited person: %v", edited)
		}
		c.Do("PATCH", "/api/v1/people/"+alice, map[string]any{"emails": []string{"bob@acme.com"}}).Expect(t, http.StatusConflict)
		// A meeting with her other address finds her, not a new person.
		m3 := createMeeting(t, c, map[string]any{"title": "Tea", "starts_at": "2026-12-05T16:00:00Z",
			"attendees": []map[string]any{{"email": "alice@wonder.land"}}})
		if m3.Attendees[0].PersonID != alice {
			t.Errorf("alternate address made a new person: %+v", m3.Attendees)
		}
	})
}
