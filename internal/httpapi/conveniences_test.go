package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/testutil"
)

// TestConveniences: an ad-hoc meeting starts now; attendees may be named
// without an address; /meetings/next is the meeting going on or next (not
// a cancelled one); a decision is dated by its meeting.
func TestConveniences(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		createMeeting(t, c, map[string]any{"title": "Earlier", "starts_at": "2026-11-01T10:00:00Z",
			"attendees": []map[string]any{{"email": "tom@acme.com", "name": "Tom Berg"}, {"email": "dana1@acme.com", "name": "Dana"}, {"email": "dana2@acme.com", "name": "Dana"}}})
		before := time.Now().UTC().Truncate(time.Minute)
		adhoc := createMeeting(t, c, map[string]any{"title": "Quick sync",
			"attendees": []map[string]any{{"name": "Anna Berg"}, {"name": "tom berg"}}})
		start, _ := time.Parse(time.RFC3339, adhoc.StartsAt)
		end, _ := time.Parse(time.RFC3339, adhoc.EndsAt)
		if start.Before(before) || start.After(time.Now()) || end.Sub(start) != 30*time.Minute || adhoc.TimeZone != "Europe/Berlin" {
			t.Errorf("ad-hoc meeting: %s – %s (%s)", adhoc.StartsAt, adhoc.EndsAt, adhoc.TimeZone)
		}
		emails := map[string]string{}
		for _, at := range adhoc.Attendees {
			emails[at.Name] = at.Email
		}
		if emails["Anna Berg"] != "anna.berg@name-only.invalid" || emails["Tom Berg"] != "tom@acme.com" {
			t.Errorf("attendees by name: %v", emails)
		}
		// Anna again, by name: the same person.
		again := createMeeting(t, c, map[string]any{"title": "Follow-up", "starts_at": "2026-12-20T10:00:00Z", "attendees": []map[string]any{{"name": "ANNA BERG"}}})
		if len(again.Attendees) != 1 || again.Attendees[0].PersonID != personOf(adhoc, "Anna Berg") {
			t.Errorf("Anna by name again: %+v", again.Attendees)
		}
		res := c.Do("POST", "/api/v1/meetings", map[string]any{"title": "x", "attendees": []map[string]any{{"name": "Dana"}}}).Expect(t, 400)
		if !strings.Contains(string(res.Body), "attendees[0].name") {
			t.Errorf("two people called Dana: %s", res.Body)
		}
		c.Do("POST", "/api/v1/meetings", map[string]any{"title": "x", "attendees": []map[string]any{{"response_status": "accepted"}}}).Expect(t, 400)
		// No organization from a name-only address.
		var orgs page[struct{ Domain string }]
		c.Do("GET", "/api/v1/organizations", nil).Expect(t, 200).JSON(t, &orgs)
		for _, o := range orgs.Items {
			if strings.HasSuffix(o.Domain, ".invalid") {
				t.Errorf("organization %s", o.Domain)
			}
		}

		// Next: the one going on now, though a cancelled one starts earlier
		// today and another one soon.
		now := time.Now().UTC()
		createMeeting(t, c, map[string]any{"title": "Cancelled standup", "starts_at": now.Add(-10 * time.Minute).Format(time.RFC3339),
			"ends_at": now.Add(50 * time.Minute).Format(time.RFC3339), "status": "cancelled"})
		createMeeting(t, c, map[string]any{"title": "Later", "starts_at": now.Add(2 * time.Hour).Format(time.RFC3339)})
		var next meetingJSON
		c.Do("GET", "/api/v1/meetings/next", nil).Expect(t, 200).JSON(t, &next)
		if next.ID != adhoc.ID {
			t.Errorf("next = %q, want the ad-hoc meeting going on", next.Title)
		}
		var today struct {
			Meetings []meetingJSON `json:"meetings"`
		}
		c.Do("GET", "/api/v1/today", nil).Expect(t, 200).JSON(t, &today)
		for _, m := range today.Meetings {
			if m.Title == "Cancelled standup" && m.Status != "cancelled" {
				t.Errorf("today shows the cancelled standup as %q", m.Status)
			}
		}
		other := testutil.SignUp(t, a.HTTP)
		other.Do("GET", "/api/v1/meetings/next", nil).Expect(t, 404)

		// A decision is dated by its meeting, not by when its note is saved.
		c.Do("PUT", "/api/v1/meetings/"+again.ID+"/note", map[string]any{"body": "Decision: Anna leads"}).Expect(t, 200)
		var ds page[struct {
			Text      string    `json:"text"`
			DecidedAt time.Time `json:"decided_at"`
		}]
		c.Do("GET", "/api/v1/decisions", nil).Expect(t, 200).JSON(t, &ds)
		if len(ds.Items) != 1 || !ds.Items[0].DecidedAt.Equal(time.Date(2026, 12, 20, 10, 0, 0, 0, time.UTC)) {
			t.Errorf("decisions: %+v", ds.Items)
		}
	})
}

func personOf(m meetingJSON, name string) string {
	for _, a := range m.Attendees {
		if a.Name == name {
			return a.PersonID
		}
	}
	return ""
}

// TestSeriesCarryOver: the next occurrence of a series shows what is still
// open from any earlier one (however long ago) and the topics of the
// attendees' own notes, and a series' agenda template is what its
// occurrences' empty notes start from.
func TestSeriesCarryOver(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		me := c.Do("GET", "/api/v1/me", nil).Expect(t, 200).Map(t)
		var owner string
		if err := a.DB.SQL.QueryRow(rebind(a, `SELECT id FROM users WHERE email = ?`), me["email"]).Scan(&owner); err != nil {
			t.Fatal(err)
		}
		sr, err := a.DB.Ent.Series.Create().SetOwnerID(owner).SetTitle("Team weekly").Save(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Minute)
		var occ []meetingJSON
		for i := -8; i <= 1; i++ {
			occ = append(occ, createMeeting(t, c, map[string]any{"title": "Team weekly", "series_id": sr.ID,
				"starts_at": now.AddDate(0, 0, 7*i).Format(time.RFC3339)}))
		}
		// Eight weeks ago: an item and a question nobody closed.
		c.Do("PUT", "/api/v1/meetings/"+occ[0].ID+"/note", map[string]any{"body": "!! write the hiring plan\n?? who owns onboarding"}).Expect(t, 200)
		next := occ[len(occ)-1]
		var brief struct {
			IOwe          []struct{ Title string } `json:"i_owe"`
			OpenQuestions []struct{ Text string }  `json:"open_questions"`
		}
		c.Do("GET", "/api/v1/meetings/"+next.ID+"/brief", nil).Expect(t, 200).JSON(t, &brief)
		if len(brief.IOwe) != 1 || brief.IOwe[0].Title != "write the hiring plan" || len(brief.OpenQuestions) != 1 {
			t.Errorf("carried over into the next occurrence's brief: %+v", brief)
		}

		// A 1:1's brief lists the topics of the other person's note.
		oneOnOne := createMeeting(t, c, map[string]any{"title": "1:1", "starts_at": now.Add(time.Hour).Format(time.RFC3339),
			"attendees": []map[string]any{{"email": "priya@acme.com", "name": "Priya"}}})
		c.Do("PUT", "/api/v1/people/"+oneOnOne.Attendees[0].PersonID+"/note", map[string]any{"body": "!! ask about the conference budget\n?? promotion timeline"}).Expect(t, 200)
		c.Do("GET", "/api/v1/meetings/"+oneOnOne.ID+"/brief", nil).Expect(t, 200).JSON(t, &brief)
		if len(brief.IOwe) != 1 || brief.IOwe[0].Title != "ask about the conference budget" || len(brief.OpenQuestions) != 1 {
			t.Errorf("the 1:1's brief: %+v", brief)
		}

		// The agenda template.
		var sp struct {
			AgendaTemplate string `json:"agenda_template"`
		}
		c.Do("PATCH", "/api/v1/series/"+sr.ID, map[string]any{"agenda_template": "## Updates\n## Blockers\n"}).Expect(t, 200).JSON(t, &sp)
		if sp.AgendaTemplate != "## Updates\n## Blockers\n" {
			t.Errorf("template saved: %q", sp.AgendaTemplate)
		}
		var detail struct {
			AgendaTemplate string `json:"agenda_template"`
		}
		c.Do("GET", "/api/v1/meetings/"+next.ID, nil).Expect(t, 200).JSON(t, &detail)
		if detail.AgendaTemplate != "## Updates\n## Blockers\n" {
			t.Errorf("the next occurrence's template: %q", detail.AgendaTemplate)
		}
		c.Do("PATCH", "/api/v1/series/"+sr.ID, map[string]any{"agenda_template": strings.Repeat("x", 70000)}).Expect(t, 400)
		c.Do("PATCH", "/api/v1/series/"+sr.ID, map[string]any{"title": "renamed"}).Expect(t, 400)
		testutil.SignUp(t, a.HTTP).Do("PATCH", "/api/v1/series/"+sr.ID, map[string]any{"agenda_template": "mine"}).Expect(t, 404)
	})
}
