package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/account"
	"github.com/debrief-hq/debrief/internal/app"
	"github.com/debrief-hq/debrief/internal/testutil"
)

const missingID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"

// TestBadInput: every way a request can be wrong is a 4xx problem with a
// message a person can act on — never a 5xx.
func TestBadInput(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b, func(c *config) { c.BodyLimit = 64 << 10 })
		c := testutil.SignUp(t, a.HTTP)
		m := createMeeting(t, c, map[string]any{"title": "x", "starts_at": "2026-12-01T10:00:00Z"})
		testutil.Run(t, c, []testutil.Scenario{
			{Name: "malformed JSON", Method: "POST", Path: "/api/v1/meetings", Body: `{"title": "x",`, Status: 400, Contains: []string{"malformed JSON"}},
			{Name: "not JSON at all", Method: "POST", Path: "/api/v1/meetings", Body: `title=x`, Status: 400, Contains: []string{"malformed JSON"}},
			{Name: "trailing data", Method: "POST", Path: "/api/v1/meetings", Body: `{"starts_at":"2026-12-01"} {}`, Status: 400},
			{Name: "empty body", Method: "POST", Path: "/api/v1/meetings", Body: ``, Status: 400, Contains: []string{"empty"}},
			{Name: "array body", Method: "POST", Path: "/api/v1/meetings", Body: `[1,2]`, Status: 400, Contains: []string{"JSON object"}},
			{Name: "wrong type", Method: "POST", Path: "/api/v1/meetings", Body: `{"title": 5, "starts_at": "2026-12-01"}`, Status: 400,
				Contains: []string{`"field":"title"`, "must be a string"}},
			{Name: "wrong nested type", Method: "POST", Path: "/api/v1/meetings", Body: `{"starts_at": "2026-12-01", "attendees": [{"email": true}]}`, Status: 400,
				Contains: []string{"attendees.email"}},
			{Name: "unknown field", Method: "POST", Path: "/api/v1/meetings", Body: `{"starts_at": "2026-12-01", "colour": "red"}`, Status: 400,
				Contains: []string{`"field":"colour"`}},
			{Name: "wrong content type", Method: "POST", Path: "/api/v1/meetings", Body: `{}`, Headers: []string{"Content-Type: text/plain"}, Status: 415},
			{Name: "bad date", Method: "POST", Path: "/api/v1/meetings", Body: `{"starts_at": "next tuesday"}`, Status: 400, Contains: []string{"starts_at", "RFC 3339"}},
			{Name: "impossible date", Method: "POST", Path: "/api/v1/meetings", Body: `{"starts_at": "2026-02-30"}`, Status: 400},
			{Name: "ends before it starts", Method: "POST", Path: "/api/v1/meetings", Body: `{"title": "x", "starts_at": "2026-12-01T10:00:00Z", "ends_at": "2026-12-01T09:00:00Z"}`, Status: 400, Contains: []string{"ends_at", "before"}},
			{Name: "end before start", Method: "POST", Path: "/api/v1/meetings", Body: `{"starts_at": "2026-12-02", "ends_at": "2026-12-01"}`, Status: 400},
			{Name: "bad time zone", Method: "POST", Path: "/api/v1/meetings", Body: `{"starts_at": "2026-12-02", "time_zone": "Europe/Atlantis"}`, Status: 400,
				Contains: []string{"time_zone"}},
			{Name: "bad attendee email", Method: "POST", Path: "/api/v1/meetings", Body: `{"starts_at": "2026-12-02", "attendees": [{"email": "bob"}]}`, Status: 400,
				Contains: []string{"attendees[0].email"}},
			{Name: "duplicate attendee", Method: "POST", Path: "/api/v1/meetings", Body: `{"starts_at": "2026-12-02", "attendees": [{"email": "a@b.co"}, {"email": "A@b.co"}]}`, Status: 400},
			{Name: "bad video url", Method: "POST", Path: "/api/v1/meetings", Body: `{"starts_at": "2026-12-02", "video_url": "javascript:alert(1)"}`, Status: 400},
			{Name: "bad series id", Method: "POST", Path: "/api/v1/meetings", Body: `{"starts_at": "2026-12-02", "series_id": "nope"}`, Status: 400},
			{Name: "unknown series", Method: "POST", Path: "/api/v1/meetings", Body: `{"starts_at": "2026-12-02", "series_id": "` + missingID + `"}`, Status: 400},
			{Name: "huge title", Method: "POST", Path: "/api/v1/meetings", Body: map[string]any{"starts_at": "2026-12-02", "title": strings.Repeat("t", 1001)}, Status: 400},
			{Name: "bad id in path", Method: "GET", Path: "/api/v1/meetings/not-an-id", Status: 404},
			{Name: "sql-ish id in path", Method: "GET", Path: "/api/v1/meetings/1%27%20OR%201=1", Status: 404},
			{Name: "unknown id", Method: "GET", Path: "/api/v1/meetings/" + missingID, Status: 404, Problem: "not-found"},
			{Name: "bad query date", Method: "GET", Path: "/api/v1/meetings?from=someday", Status: 400, Contains: []string{`"field":"from"`}},
			{Name: "to before from", Method: "GET", Path: "/api/v1/meetings?from=2026-12-02&to=2026-12-01", Status: 400},
			{Name: "bad limit", Method: "GET", Path: "/api/v1/meetings?limit=ten", Status: 400, Contains: []string{"limit"}},
			{Name: "limit too big", Method: "GET", Path: "/api/v1/meetings?limit=100000", Status: 400},
			{Name: "bad cursor", Method: "GET", Path: "/api/v1/meetings?cursor=%%%", Status: 400, Contains: []string{"cursor"}},
			{Name: "forged cursor", Method: "GET", Path: "/api/v1/meetings?cursor=eyJ0IjoxfQ", Status: 400},
			{Name: "bad person filter", Method: "GET", Path: "/api/v1/meetings?person_id=me", Status: 400},
			{Name: "bad status filter", Method: "GET", Path: "/api/v1/meetings?status=maybe", Status: 400},
			{Name: "NUL in query", Method: "GET", Path: "/api/v1/people?q=a%00b", Status: 400},
			{Name: "invalid UTF-8 in query", Method: "GET", Path: "/api/v1/people?q=%ff%fe", Status: 400},
			{Name: "unknown route", Method: "GET", Path: "/api/v1/nothing-here", Status: 404},
			{Name: "wrong method", Method: "DELETE", Path: "/api/v1/people", Status: 404},
			{Name: "patch with nothing", Method: "PATCH", Path: "/api/v1/meetings/" + m.ID, Body: `{}`, Status: 200},
			{Name: "patch null title", Method: "PATCH", Path: "/api/v1/meetings/" + m.ID, Body: `{"title": null}`, Status: 200},
			{Name: "note body wrong type", Method: "PUT", Path: "/api/v1/meetings/" + m.ID + "/note", Body: `{"body": ["a"]}`, Status: 400},
			{Name: "decision cycle on self", Method: "POST", Path: "/api/v1/decisions", Body: `{"text": "x", "person_ids": ["bad"]}`, Status: 400},
			{Name: "idempotency key too long", Method: "POST", Path: "/api/v1/action-items", Body: `{"title": "x"}`,
				Headers: []string{"Idempotency-Key: " + strings.Repeat("k", 300)}, Status: 400},
		})
	})
}

// TestTenantIsolation creates data as user A and tries every route with A's
// ids as user B: B sees 404s and lists without A's data, and A's data is
// unchanged afterwards.
func TestTenantIsolation(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		app := testutil.NewApp(t, b)
		userA := testutil.SignUp(t, app.HTTP)
		userB := testutil.SignUp(t, app.HTTP)
		meA := userA.Do("GET", "/api/v1/me", nil).Expect(t, 200).Map(t)

		m := createMeeting(t, userA, map[string]any{"title": "A's secret board meeting", "starts_at": "2026-12-01T10:00:00Z",
			"attendees": []map[string]any{{"email": "ceo@secret.co"}}})
		pid := m.Attendees[0].PersonID
		userA.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "A's secret note"}).Expect(t, 200)
		userA.Do("PUT", "/api/v1/people/"+pid+"/note", map[string]any{"body": "A's secret person note"}).Expect(t, 200)
		item := userA.Do("POST", "/api/v1/action-items", map[string]any{"title": "A's secret item", "owner_id": pid, "meeting_id": m.ID}).Expect(t, 201).Map(t)
		dec := userA.Do("POST", "/api/v1/decisions", map[string]any{"text": "A's secret decision", "meeting_id": m.ID}).Expect(t, 201).Map(t)
		qid := addQuestion(t, app, meA["email"].(string), m.ID, "A's secret question")
		var orgs page[struct{ ID string }]
		userA.Do("GET", "/api/v1/organizations", nil).Expect(t, 200).JSON(t, &orgs)
		var tokens page[struct{ ID string }]
		userA.Do("GET", "/api/v1/tokens", nil).Expect(t, 200).JSON(t, &tokens)

		ids := map[string]string{"meeting": m.ID, "person": pid, "item": item["id"].(string), "decision": dec["id"].(string),
			"question": qid, "org": orgs.Items[0].ID, "token": tokens.Items[0].ID}
		for _, s := range []struct{ method, path string }{
			{"GET", "/api/v1/meetings/{meeting}"},
			{"PATCH", "/api/v1/meetings/{meeting}"},
			{"DELETE", "/api/v1/meetings/{meeting}"},
			{"GET", "/api/v1/meetings/{meeting}/note"},
			{"GET", "/api/v1/meetings/{meeting}/export.md"},
			{"GET", "/api/v1/meetings/{meeting}/brief"},
			{"PUT", "/api/v1/meetings/{meeting}/note"},
			{"GET", "/api/v1/people/{person}"},
			{"PATCH", "/api/v1/people/{person}"},
			{"GET", "/api/v1/people/{person}/note"},
			{"PUT", "/api/v1/people/{person}/note"},
			{"GET", "/api/v1/organizations/{org}"},
			{"PATCH", "/api/v1/action-items/{item}"},
			{"PATCH", "/api/v1/decisions/{decision}"},
			{"PATCH", "/api/v1/questions/{question}"},
			{"DELETE", "/api/v1/tokens/{token}"},
		} {
			path := s.path
			for k, v := range ids {
				path = strings.ReplaceAll(path, "{"+k+"}", v)
			}
			var body any
			switch {
			case strings.HasSuffix(path, "/note"):
				body = map[string]any{"body": "B was here"}
			case s.method == "PATCH" && strings.Contains(path, "/people/"):
				body = map[string]any{"name": "B was here"}
			case s.method == "PATCH" && strings.Contains(path, "/decisions/"):
				body = map[string]any{"text": "B was here"}
			case s.method == "PATCH" && strings.Contains(path, "/questions/"):
				body = map[string]any{"text": "B was here"}
			case s.method == "PATCH":
				body = map[string]any{"title": "B was here"}
			}
			if res := userB.Do(s.method, path, body); res.Status != http.StatusNotFound {
				t.Errorf("user B %s %s → %d, want 404: %s", s.method, s.path, res.Status, res.Body)
			}
		}
		// References to A's rows in B's writes are refused, not linked.
		userB.Do("POST", "/api/v1/action-items", map[string]any{"title": "x", "owner_id": pid}).Expect(t, 400)
		userB.Do("POST", "/api/v1/action-items", map[string]any{"title": "x", "meeting_id": m.ID}).Expect(t, 400)
		userB.Do("POST", "/api/v1/decisions", map[string]any{"text": "x", "person_ids": []string{pid}}).Expect(t, 400)
		// B's own meeting with the same attendee address gets B's own person.
		mb := createMeeting(t, userB, map[string]any{"title": "B's", "starts_at": "2026-12-01T10:00:00Z",
			"attendees": []map[string]any{{"email": "ceo@secret.co"}}})
		if mb.Attendees[0].PersonID == pid {
			t.Error("user B's attendee resolved to user A's person")
		}
		for _, path := range []string{"/api/v1/meetings", "/api/v1/people", "/api/v1/organizations", "/api/v1/action-items",
			"/api/v1/decisions", "/api/v1/questions", "/api/v1/tokens", "/api/v1/meetings?person_id=" + pid,
			"/api/v1/action-items?owner_id=" + pid, "/api/v1/people?q=ceo", "/api/v1/meetings/" + mb.ID} {
			res := userB.Do("GET", path, nil).Expect(t, 200)
			for k, v := range ids {
				if strings.Contains(string(res.Body), v) {
					t.Errorf("user B GET %s shows A's %s", path, k)
				}
			}
			if strings.Contains(string(res.Body), "secret board") || strings.Contains(string(res.Body), "A's secret") {
				t.Errorf("user B GET %s shows A's text: %s", path, res.Body)
			}
		}
		// A's data is untouched.
		res := userA.Do("GET", "/api/v1/meetings/"+m.ID, nil).Expect(t, 200)
		if strings.Contains(string(res.Body), "B was here") || !strings.Contains(string(res.Body), "A's secret note") {
			t.Errorf("A's meeting changed: %s", res.Body)
		}
		userA.Do("GET", "/api/v1/me", nil).Expect(t, 200)
	})
}

func TestIdempotencyKey(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		other := testutil.SignUp(t, a.HTTP)
		body := map[string]any{"title": "Standup", "starts_at": "2026-12-01T09:00:00Z"}
		first := c.Do("POST", "/api/v1/meetings", body, "Idempotency-Key: wifi-retry-1").Expect(t, 201)
		again := c.Do("POST", "/api/v1/meetings", body, "Idempotency-Key: wifi-retry-1").Expect(t, 201)
		if string(first.Body) != string(again.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("retry was not a replay:\n%s\n%s", first.Body, again.Body)
		}
		c.Do("POST", "/api/v1/meetings", map[string]any{"title": "Other", "starts_at": "2026-12-01T09:00:00Z"},
			"Idempotency-Key: wifi-retry-1").Expect(t, 400)
		// Keys are per user.
		other.Do("POST", "/api/v1/meetings", body, "Idempotency-Key: wifi-retry-1").Expect(t, 201)
		// A refused request does not use up its key: the corrected retry runs.
		c.Do("POST", "/api/v1/action-items", map[string]any{"title": ""}, "Idempotency-Key: k2").Expect(t, 400)
		c.Do("POST", "/api/v1/action-items", map[string]any{"title": "fixed"}, "Idempotency-Key: k2").Expect(t, 201)
		c.Do("POST", "/api/v1/action-items", map[string]any{"title": "fixed"}, "Idempotency-Key: k2").Expect(t, 201)
		var items page[struct{ Title string }]
		c.Do("GET", "/api/v1/action-items", nil).Expect(t, 200).JSON(t, &items)
		if len(items.Items) != 1 {
			t.Errorf("%d action items after a replayed create, want 1", len(items.Items))
		}
		// Token creation never stores its response (it holds the secret).
		t1 := c.Do("POST", "/api/v1/tokens", map[string]any{"name": "ci"}, "Idempotency-Key: tok").Expect(t, 201).Map(t)
		t2 := c.Do("POST", "/api/v1/tokens", map[string]any{"name": "ci"}, "Idempotency-Key: tok").Expect(t, 201).Map(t)
		if t1["token"] == t2["token"] {
			t.Error("a token's secret was replayed from storage")
		}
		if n := storedResponsesWith(t, a, account.TokenPrefix); n != 0 {
			t.Errorf("%d stored responses hold a token secret", n)
		}
		// Concurrent retries of one request create one meeting, and each
		// is answered with it.
		var wg sync.WaitGroup
		ids := make([]string, 6)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res := c.Do("POST", "/api/v1/meetings", map[string]any{"title": "Race", "starts_at": "2026-12-02T09:00:00Z"}, "Idempotency-Key: race")
				if res.Status != 201 {
					t.Errorf("concurrent retry: %d %s", res.Status, res.Body)
					return
				}
				var m meetingJSON
				res.JSON(t, &m)
				ids[i] = m.ID
			}()
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] {
				t.Errorf("concurrent retries answered different meetings: %v", ids)
				break
			}
		}
		var p page[meetingJSON]
		c.Do("GET", "/api/v1/meetings?limit=200", nil).Expect(t, 200).JSON(t, &p)
		count := map[string]int{}
		for _, m := range p.Items {
			count[m.Title]++
		}
		if count["Standup"] != 1 || count["Race"] != 1 {
			t.Errorf("meetings after retries: %v, want one Standup and one Race", count)
		}
	})
}

// TestOversizedBody runs on a real listener: Fiber's in-memory app.Test
// cannot deliver a body over the limit.
func TestOversizedBody(t *testing.T) {
	a := testutil.NewApp(t, testutil.SQLite, func(c *config) { c.BodyLimit = 64 << 10; c.ImportLimit = 128 << 10 })
	c := testutil.SignUp(t, a.HTTP)
	m := createMeeting(t, c, map[string]any{"title": "x", "starts_at": "2026-12-01T10:00:00Z"})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.ServeListener(ctx, ln) }()
	defer func() { cancel(); <-done }()

	// A body over the JSON limit but under the import limit is read whole
	// and refused by the route check.
	url := "http://" + ln.Addr().String() + "/api/v1/meetings/" + m.ID + "/note"
	req, _ := http.NewRequest("PUT", url, strings.NewReader(`{"body":"`+strings.Repeat("a", 70<<10)+`"}`))
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "body-too-large") {
		t.Fatalf("oversized body: %d %s", res.StatusCode, body)
	}
	req.URL.Host = testutil.Host
	testutil.CheckResponse(t, req, &testutil.Response{Status: res.StatusCode, Header: res.Header, Body: body})
	// One over every limit is refused as soon as the server has read the
	// headers, and the connection closed; a client still writing the body
	// may see a reset instead of the answer. So the headers go alone, with
	// the length the body would have, and the answer is read.
	oversized := func(method, path, contentType string, length int) {
		t.Helper()
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n",
			method, path, testutil.Host, c.Token, contentType, length)
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		req, _ := http.NewRequest(method, "http://"+testutil.Host+path, nil)
		res, err := http.ReadResponse(bufio.NewReader(conn), req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "body-too-large") {
			t.Fatalf("%s %s with %d bytes: %d %s", method, path, length, res.StatusCode, body)
		}
		testutil.CheckResponse(t, req, &testutil.Response{Status: res.StatusCode, Header: res.Header, Body: body})
	}
	// A calendar import may be larger, up to its own limit.
	oversized("POST", "/api/v1/connections/ics/import", "text/calendar", 130<<10)
	c.Do("POST", "/api/v1/connections/ics/import", strings.Repeat("X", 100<<10), "Content-Type: text/calendar").Expect(t, http.StatusOK)
	// The note was not touched, and a body under the limit still saves.
	c.Do("GET", "/api/v1/meetings/"+m.ID+"/note", nil).Expect(t, 404)
	c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": strings.Repeat("a", 60<<10)}).Expect(t, 200)
}

// storedResponsesWith counts the stored idempotent responses containing s
// (compared in Go: LIKE treats "_" as a wildcard, and PostgreSQL stores the
// bodies as bytea).
func storedResponsesWith(t *testing.T, a *app.App, s string) int {
	t.Helper()
	rows, err := a.DB.SQL.Query("SELECT response_body FROM idempotency_keys WHERE response_body IS NOT NULL")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(body, []byte(s)) {
			n++
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}
