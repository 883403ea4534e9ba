package httpapi_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/debrief-hq/debrief/internal/testutil"
)

type meetingJSON struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	StartsAt  string `json:"starts_at"`
	EndsAt    string `json:"ends_at"`
	TimeZone  string `json:"time_zone"`
	Status    string `json:"status"`
	SeriesID  *string
	Attendees []struct {
		PersonID  string `json:"person_id"`
		Email     string `json:"email"`
		Name      string `json:"name"`
		Organizer bool   `json:"organizer"`
	} `json:"attendees"`
	Note *struct {
		ID      string `json:"id"`
		Body    string `json:"body"`
		Version int    `json:"version"`
	} `json:"note"`
	ActionItems []struct {
		ID string `json:"id"`
	} `json:"action_items"`
}

type page[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func createMeeting(t *testing.T, c *testutil.Client, body map[string]any) meetingJSON {
	t.Helper()
	var m meetingJSON
	c.Do("POST", "/api/v1/meetings", body).Expect(t, http.StatusCreated).JSON(t, &m)
	return m
}

func TestMeetings(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)

		m1 := createMeeting(t, c, map[string]any{
			"title": "  Pricing with Acme ", "starts_at": "2026-12-01T10:00:00+01:00", "ends_at": "2026-12-01T11:00:00+01:00",
			"attendees": []map[string]any{
				{"email": "Bob@Acme.com", "name": "Bob Stone", "organizer": true, "response_status": "accepted"},
				{"email": "carol@gmail.com"},
			},
		})
		if m1.Title != "Pricing with Acme" || m1.StartsAt != "2026-12-01T09:00:00Z" || m1.TimeZone != "Europe/Berlin" {
			t.Errorf("meeting not normalised (title trimmed, UTC, user's zone): %+v", m1)
		}
		if len(m1.Attendees) != 2 || m1.Attendees[0].Email != "bob@acme.com" || !m1.Attendees[0].Organizer {
			t.Fatalf("attendees: %+v", m1.Attendees)
		}
		// The same person, another case of their address: one Person.
		m2 := createMeeting(t, c, map[string]any{
			"title": "Acme follow-up", "starts_at": "2026-12-03T10:00:00Z", "ends_at": "2026-12-03T10:30:00Z", "status": "tentative",
			"attendees": []map[string]any{{"email": "BOB@acme.COM"}, {"email": "dave@acme.com", "name": "Dave"}},
		})
		if m2.Attendees[0].PersonID != m1.Attendees[0].PersonID || m2.Attendees[0].Name != "Bob Stone" {
			t.Errorf("bob is two people: %+v vs %+v", m1.Attendees[0], m2.Attendees[0])
		}
		// Any text survives the meeting page's read (on PostgreSQL its
		// attendees come packed, each field as <bytes>:<text>), organiser
		// first, then by address.
		odd := createMeeting(t, c, map[string]any{"title": "Odd names", "starts_at": "2026-12-04T10:00:00Z",
			"attendees": []map[string]any{{"email": "zed@acme.com", "name": "3:Zed 12:"},
				{"email": "amy@acme.com", "name": "Åsa 👋 \"Q\" 0:", "organizer": true}, {"email": "eve@acme.com"}}})
		var read meetingJSON
		c.Do("GET", "/api/v1/meetings/"+odd.ID, nil).Expect(t, 200).JSON(t, &read)
		got := ""
		for _, at := range read.Attendees {
			got += fmt.Sprintf("%s|%s|%v;", at.Email, at.Name, at.Organizer)
		}
		if want := `amy@acme.com|Åsa 👋 "Q" 0:|true;eve@acme.com||false;zed@acme.com|3:Zed 12:|false;`; got != want {
			t.Errorf("attendees read back as %s, want %s", got, want)
		}
		c.Do("DELETE", "/api/v1/meetings/"+odd.ID, nil).Expect(t, 204)
		var orgs page[struct {
			ID, Domain, Name string
		}]
		c.Do("GET", "/api/v1/organizations", nil).Expect(t, 200).JSON(t, &orgs)
		if len(orgs.Items) != 1 || orgs.Items[0].Domain != "acme.com" || orgs.Items[0].Name != "Acme" {
			t.Errorf("organizations = %+v, want only Acme (gmail is webmail)", orgs.Items)
		}
		org := c.Do("GET", "/api/v1/organizations/"+orgs.Items[0].ID, nil).Expect(t, 200)
		if !strings.Contains(string(org.Body), "dave@acme.com") || strings.Contains(string(org.Body), "carol") {
			t.Errorf("organization people: %s", org.Body)
		}

		bob := m1.Attendees[0].PersonID
		list := func(q string) []string {
			var p page[meetingJSON]
			c.Do("GET", "/api/v1/meetings?"+q, nil).Expect(t, 200).JSON(t, &p)
			ids := []string{}
			for _, m := range p.Items {
				ids = append(ids, m.ID)
			}
			return ids
		}
		for _, tc := range []struct {
			q    string
			want []string
		}{
			{"", []string{m1.ID, m2.ID}},
			{"person_id=" + bob, []string{m1.ID, m2.ID}},
			{"person_id=" + m1.Attendees[1].PersonID, []string{m1.ID}},
			{"status=tentative", []string{m2.ID}},
			{"from=2026-12-02", []string{m2.ID}},
			{"to=2026-12-02", []string{m1.ID}},
			{"from=" + url.QueryEscape("2026-12-01T09:30:00Z") + "&to=" + url.QueryEscape("2026-12-01T09:45:00Z"), []string{m1.ID}},
		} {
			if got := list(tc.q); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("list ?%s = %v, want %v", tc.q, got, tc.want)
			}
		}

		// PATCH: change some fields, replace attendees, keep the rest.
		var patched meetingJSON
		c.Do("PATCH", "/api/v1/meetings/"+m1.ID, map[string]any{
			"title": "Pricing (moved)", "starts_at": "2026-12-01T12:00:00Z", "ends_at": "2026-12-01T13:00:00Z",
			"attendees": []map[string]any{{"email": "bob@acme.com"}},
		}).Expect(t, 200).JSON(t, &patched)
		if patched.Title != "Pricing (moved)" || patched.StartsAt != "2026-12-01T12:00:00Z" || len(patched.Attendees) != 1 {
			t.Errorf("patched = %+v", patched)
		}
		c.Do("PATCH", "/api/v1/meetings/"+m1.ID, map[string]any{"ends_at": "2026-12-01T11:00:00Z"}).Expect(t, 400)

		// The meeting page embeds its note and items.
		c.Do("PUT", "/api/v1/meetings/"+m1.ID+"/note", map[string]any{"body": "# Pricing\nWe agreed."}).Expect(t, 200)
		c.Do("POST", "/api/v1/action-items", map[string]any{"title": "Send the deck", "meeting_id": m1.ID, "owner_id": bob}).Expect(t, 201)
		var detail meetingJSON
		c.Do("GET", "/api/v1/meetings/"+m1.ID, nil).Expect(t, 200).JSON(t, &detail)
		if detail.Note == nil || detail.Note.Version != 1 || len(detail.ActionItems) != 1 {
			t.Errorf("meeting page lacks note or items: %+v", detail)
		}
		var noNote map[string]any
		c.Do("GET", "/api/v1/meetings/"+m2.ID, nil).Expect(t, 200).JSON(t, &noNote)
		if v, ok := noNote["note"]; !ok || v != nil {
			t.Errorf("meeting without a note: note = %v, want null", v)
		}

		// DELETE removes the meeting and its note; the action item stays, unlinked.
		c.Do("DELETE", "/api/v1/meetings/"+m1.ID, nil).Expect(t, 204)
		c.Do("GET", "/api/v1/meetings/"+m1.ID, nil).Expect(t, 404)
		c.Do("DELETE", "/api/v1/meetings/"+m1.ID, nil).Expect(t, 404)
		var items page[struct {
			Title     string  `json:"title"`
			MeetingID *string `json:"meeting_id"`
		}]
		c.Do("GET", "/api/v1/action-items", nil).Expect(t, 200).JSON(t, &items)
		if len(items.Items) != 1 || items.Items[0].MeetingID != nil {
			t.Errorf("action item after meeting delete: %+v", items.Items)
		}
	})
}

func TestPagination(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		want := map[string]bool{}
		for i := 0; i < 7; i++ {
			// Two meetings share each start time, so the cursor must break ties by id.
			m := createMeeting(t, c, map[string]any{"title": fmt.Sprint("m", i), "starts_at": fmt.Sprintf("2026-12-0%dT10:00:00Z", 1+i/2)})
			want[m.ID] = true
			c.Do("POST", "/api/v1/action-items", map[string]any{"title": fmt.Sprint("item ", i)}).Expect(t, 201)
		}
		for _, path := range []string{"/api/v1/meetings", "/api/v1/action-items", "/api/v1/people", "/api/v1/tokens"} {
			seen := map[string]bool{}
			cur := ""
			pages := 0
			for {
				q := path + "?limit=2"
				if cur != "" {
					q += "&cursor=" + url.QueryEscape(cur)
				}
				var p page[struct {
					ID string `json:"id"`
				}]
				c.Do("GET", q, nil).Expect(t, 200).JSON(t, &p)
				pages++
				for _, it := range p.Items {
					if seen[it.ID] {
						t.Fatalf("%s: %s returned twice", path, it.ID)
					}
					seen[it.ID] = true
				}
				if p.NextCursor == nil {
					break
				}
				if pages > 10 {
					t.Fatalf("%s: pagination does not end", path)
				}
				cur = *p.NextCursor
			}
			if path == "/api/v1/meetings" && len(seen) != len(want) {
				t.Errorf("meetings: paged through %d, want %d", len(seen), len(want))
			}
			if path == "/api/v1/action-items" && len(seen) != 7 {
				t.Errorf("action items: paged through %d, want 7", len(seen))
			}
		}
	})
}

func TestNotes(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		m := createMeeting(t, c, map[string]any{"title": "1:1", "starts_at": "2026-12-01T10:00:00Z",
			"attendees": []map[string]any{{"email": "eve@example.org"}}})
		path := "/api/v1/meetings/" + m.ID + "/note"
		c.Do("GET", path, nil).Expect(t, 404)

		res := c.Do("PUT", path, map[string]any{"body": "v1"}, `If-None-Match: *`).Expect(t, 200)
		if res.Header.Get("ETag") != `"1"` {
			t.Errorf("ETag %q, want \"1\"", res.Header.Get("ETag"))
		}
		c.Do("PUT", path, map[string]any{"body": "again"}, `If-None-Match: *`).Expect(t, 412)
		c.Do("PUT", path, map[string]any{"body": "v2"}, `If-Match: "1"`).Expect(t, 200)
		stale := c.Do("PUT", path, map[string]any{"body": "lost edit"}, `If-Match: "1"`).Expect(t, 412)
		if !strings.Contains(string(stale.Body), "version 2") {
			t.Errorf("412 does not say the current version: %s", stale.Body)
		}
		got := c.Do("GET", path, nil).Expect(t, 200)
		if got.Header.Get("ETag") != `"2"` || !strings.Contains(string(got.Body), `"body":"v2"`) {
			t.Errorf("after stale PUT: %s %s", got.Header.Get("ETag"), got.Body)
		}
		c.Do("PUT", path, map[string]any{"body": "x"}, `If-Match: yesterday`).Expect(t, 400)
		c.Do("PUT", path, map[string]any{}).Expect(t, 400)
		// Without a precondition the save wins (last write wins).
		c.Do("PUT", path, map[string]any{"body": ""}).Expect(t, 200)

		// Any Unicode survives: RTL, emoji, and NUL (kept as U+FFFD on every database).
		body := "שלום עולם 👋🏽 — \u0000 ok\n" + strings.Repeat("line\n", 10000)
		var saved struct {
			Body    string `json:"body"`
			Version int    `json:"version"`
		}
		c.Do("PUT", path, map[string]any{"body": body}).Expect(t, 200).JSON(t, &saved)
		if saved.Body != strings.Replace(body, "\u0000", "\uFFFD", 1) {
			t.Errorf("unicode body changed on save (len %d vs %d)", len(saved.Body), len(body))
		}

		// Concurrent saves of one version: exactly one wins.
		var wg sync.WaitGroup
		statuses := make([]int, 8)
		for i := range statuses {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				res := c.Do("PUT", path, map[string]any{"body": fmt.Sprint("writer ", i)}, fmt.Sprintf(`If-Match: "%d"`, saved.Version))
				statuses[i] = res.Status
			}(i)
		}
		wg.Wait()
		wins := 0
		for _, s := range statuses {
			switch s {
			case 200:
				wins++
			case 412:
			default:
				t.Errorf("concurrent save answered %d", s)
			}
		}
		if wins != 1 {
			t.Errorf("%d concurrent saves of one version won, want exactly 1 (%v)", wins, statuses)
		}

		// Notes on a person work the same way.
		pid := m.Attendees[0].PersonID
		pp := "/api/v1/people/" + pid + "/note"
		c.Do("PUT", pp, map[string]any{"body": "topics for eve"}).Expect(t, 200)
		c.Do("PUT", pp, map[string]any{"body": "x"}, `If-Match: "7"`).Expect(t, 412)
		c.Do("GET", pp, nil).Expect(t, 200)
		c.Do("GET", "/api/v1/people/01ARZ3NDEKTSV4RRFFQ69G5FAV/note", nil).Expect(t, 404)
	})
}
