package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/debrief-hq/debrief/internal/testutil"
)

// TestClientSeries: a weekly series imported from a calendar; its page
// shows its past (not the year of occurrences ahead) with each one's
// decisions, what is carried over, and takes an agenda template that the
// next occurrence's empty note then starts from.
func TestClientSeries(t *testing.T) {
	srv := serve(t, testutil.Config(t, testutil.SQLite))
	tb := newBrowser(t).tab()
	a := signUp(tb, srv.URL, "series@example.com")
	now := time.Now().UTC()
	start := now.Truncate(24*time.Hour).AddDate(0, 0, -20).Add(9 * time.Hour) // three weeks back
	ics := strings.Join([]string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//acme//EN", "BEGIN:VEVENT", "UID:weekly@acme.com",
		"SUMMARY:Team weekly", "DTSTART:" + start.Format("20060102T150405Z"), "DTEND:" + start.Add(30*time.Minute).Format("20060102T150405Z"),
		"RRULE:FREQ=WEEKLY", "ATTENDEE;CN=Ann Lee:mailto:ann@acme.com", "END:VEVENT", "END:VCALENDAR", ""}, "\r\n")
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/connections/ics/import", strings.NewReader(ics))
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", "text/calendar")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("import: %v %v", err, res)
	}
	res.Body.Close()
	var ms struct {
		Items []struct {
			ID       string    `json:"id"`
			StartsAt time.Time `json:"starts_at"`
			SeriesID string    `json:"series_id"`
		} `json:"items"`
	}
	a.do("GET", "/api/v1/meetings?limit=200", nil, &ms)
	var past []string
	var next, series string
	for _, m := range ms.Items {
		series = m.SeriesID
		if !m.StartsAt.After(now) {
			past = append(past, m.ID)
		} else if next == "" {
			next = m.ID
		}
	}
	if len(past) != 3 || next == "" || len(ms.Items) < 40 {
		t.Fatalf("imported %d occurrences, %d past", len(ms.Items), len(past))
	}
	a.do("PUT", "/api/v1/meetings/"+past[0]+"/note", map[string]any{"body": "Decision: ship the beta\n!! write the launch post"}, nil)

	tb.do(chromedp.Navigate(srv.URL + "/series/" + series))
	tb.waitFor("the series page", `document.querySelector("h1")?.textContent === "Team weekly"`)
	if n := eval[int](tb, `document.querySelectorAll("article").length`); n != 3 {
		t.Errorf("%d past meetings shown, want 3", n)
	}
	tb.waitFor("the decision and the carried-over item", `[...document.querySelectorAll("article")].some(a => a.textContent.includes("Decided: ship the beta")) && document.querySelector("section.panel")?.textContent.includes("write the launch post")`)
	tb.do(chromedp.Click(chromedp.CSS(".template summary")),
		chromedp.SendKeys(chromedp.CSS(`textarea[aria-label="Agenda template"]`), "## Updates\n## Blockers"),
		chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll("button")].find(b => b.textContent === "Save template")`)))
	tb.waitFor("the template saved", `document.querySelector(".template [role=status]")?.textContent.startsWith("Saved")`)
	tb.screenshot("series")

	// The next occurrence's empty note starts from the template; typing
	// saves it with what was typed.
	tb.do(chromedp.Navigate(srv.URL + "/meetings/" + next))
	tb.waitFor("the template in the editor", `document.querySelector(".cm-content")?.innerText.startsWith("## Updates\n## Blockers")`)
	tb.do(chromedp.Click(chromedp.CSS(".cm-content")))
	tb.do(chromedp.KeyEvent(kb.End, chromedp.KeyModifiers(kb.ModifierCtrl))) // the end of the note
	tb.typeText("\nall green")
	var n note
	waitServer(t, "the note saved with the template", func() bool {
		a.do("GET", "/api/v1/meetings/"+next+"/note", nil, &n)
		return strings.HasPrefix(n.Body, "## Updates\n## Blockers") && strings.Contains(n.Body, "all green")
	})
	if t.Failed() {
		t.Logf("server: %q; editor: %q", n.Body, eval[string](tb, `document.querySelector(".cm-content").innerText`))
	}

	// A title changed here stays; the page says what the calendar says, and
	// gives the title back to it; hiding takes the meeting out of lists.
	a.do("PATCH", "/api/v1/meetings/"+next, map[string]any{"title": "Team weekly (offsite)"}, nil)
	tb.do(chromedp.Navigate(srv.URL + "/meetings/" + next))
	tb.waitFor("what the calendar says", `document.querySelector(".says")?.textContent.includes("title “Team weekly”")`)
	tb.screenshot("calendar-says")
	tb.do(chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll("button")].find(b => b.textContent === "Use the calendar's")`)))
	tb.waitFor("the calendar's title back", `document.querySelector("h1")?.textContent === "Team weekly" && !document.querySelector(".says")`)
	tb.do(chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll("button")].find(b => b.textContent === "Hide from my views")`)))
	tb.waitFor("hidden", `[...document.querySelectorAll("button")].some(b => b.textContent === "Show in my views")`)
	var listed struct {
		Items []struct{ ID string } `json:"items"`
	}
	a.do("GET", "/api/v1/meetings?limit=200", nil, &listed)
	for _, m := range listed.Items {
		if m.ID == next {
			t.Error("the hidden meeting is still listed")
		}
	}
	tb.screenshot("meeting-hidden")

	// A due phrase that is no date: the editor says so under the note.
	tb.do(chromedp.Navigate(srv.URL + "/meetings/" + past[1]))
	tb.waitFor("the editor", `!!document.querySelector(".cm-content")`)
	tb.do(chromedp.Click(chromedp.CSS(".cm-content")))
	tb.do(chromedp.KeyEvent(kb.End, chromedp.KeyModifiers(kb.ModifierCtrl)))
	tb.typeText("\n!! pay the invoice due:someday\n!! send the numbers in 2 days")
	tb.waitFor("the warning", `!!document.querySelector(".warnings")?.textContent.includes("due:someday")`)
	tb.screenshot("note-warnings")

	// Ann's page: the meetings that happened, and the next ones apart.
	var people struct {
		Items []struct{ ID, Email string } `json:"items"`
	}
	a.do("GET", "/api/v1/people?limit=10", nil, &people)
	tb.do(chromedp.Navigate(srv.URL + "/people/" + people.Items[0].ID))
	tb.waitFor("the person page", `document.querySelector("h1")?.textContent === "Ann Lee" && document.body.textContent.includes("Next:")`)
	if got := eval[int](tb, `document.querySelectorAll(".grid ul.plain li").length`); got == 0 {
		t.Error("the person page lists no past meetings")
	}
	tb.screenshot("person")
}
