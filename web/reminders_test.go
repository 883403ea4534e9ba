package web_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/debrief-hq/debrief/internal/app"
	"github.com/debrief-hq/debrief/internal/testutil"
)

// TestClientReminders: a reminder reaches the open page without a reload
// (the bell counts it, a browser notification pops when the tab is in the
// background and the person allowed them), opening it marks it read and
// goes to it; the reminder settings save, and show the server's field
// errors; a meeting's recap is previewed and emailed to its attendees.
func TestClientReminders(t *testing.T) {
	smtp := testutil.NewSMTPServer(t)
	cfg := testutil.Config(t, testutil.SQLite)
	cfg.SMTPURL, cfg.MailFrom = smtp.URL(), "Debrief <debrief@example.test>"
	srv := serveWith(t, cfg, app.Options{RemindDeliverEvery: 300 * time.Millisecond})
	tb := newBrowser(t).tab()
	// The page believes it is in the background with notifications
	// allowed, and records what it would pop up.
	tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
			window.__pops = [];
			window.Notification = class { static permission = "granted"; static requestPermission() { return Promise.resolve("granted"); }
				constructor(title, opts) { window.__pops.push(title + " | " + (opts && opts.body || "")); } };
			Object.defineProperty(document, "visibilityState", { get: () => "hidden" });`})
		return err
	}))
	a := signUp(tb, srv.URL, "rem@example.com")
	var m struct{ ID string }
	a.do("POST", "/api/v1/meetings", map[string]any{"title": "Vendor call", "starts_at": time.Now().Add(2 * time.Hour).UTC().Format(time.RFC3339),
		"ends_at": time.Now().Add(150 * time.Minute).UTC().Format(time.RFC3339), "attendees": []map[string]any{{"email": "bob@vendor.example", "name": "Bob Stone"}}}, &m)
	a.do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "- decided: renew for a year\n!! send the signed contract\n"}, nil)

	// A reminder, due a minute ago: the bell shows it without a reload.
	tb.waitFor("the bell", `!!document.querySelector(".bell")`)
	var it item
	a.do("POST", "/api/v1/action-items", map[string]any{"title": "call the bank"}, &it)
	a.do("PATCH", "/api/v1/action-items/"+it.ID, map[string]any{"remind_at": time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)}, nil)
	tb.waitFor("the unread count", `document.querySelector(".bell .count")?.textContent === "1"`)
	if pops := eval[[]string](tb, `window.__pops`); len(pops) != 1 || !strings.HasPrefix(pops[0], "Reminder: call the bank") {
		t.Errorf("browser notifications: %q", pops)
	}
	tb.do(chromedp.Click(chromedp.CSS(".bell")))
	tb.waitFor("the list", `document.querySelector(".drop li.unread")?.textContent.includes("call the bank")`)
	tb.screenshot("notifications")
	tb.do(chromedp.Click(chromedp.CSS(".drop li.unread a")))
	tb.waitFor("the items page, the reminder read", `location.pathname === "/action-items" && !document.querySelector(".bell .count")`)

	// Reminder settings: a change saves; a bad value shows the server's words.
	tb.do(chromedp.Navigate(srv.URL + "/settings"))
	tb.waitFor("the reminders table", `!!document.querySelector('#reminders input[aria-label="Recap after a meeting: Email"]')`)
	tb.do(chromedp.Click(chromedp.CSS(`#reminders input[aria-label="Recap after a meeting: Email"]`)),
		chromedp.SetValue(chromedp.CSS(`#reminders select`), "7"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#reminders select").dispatchEvent(new Event("change"))`),
		chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll("#reminders button")].find(b => b.textContent === "Save reminders")`)))
	tb.waitFor("saved", `document.querySelector("#reminders [role=status]")?.textContent === "Saved."`)
	var set struct {
		MorningHour int                 `json:"morning_hour"`
		Channels    map[string][]string `json:"channels"`
	}
	a.do("GET", "/api/v1/settings/reminders", nil, &set)
	if set.MorningHour != 7 || slices.Contains(set.Channels["meeting.recap"], "email") || !slices.Contains(set.Channels["reminder.due"], "email") {
		t.Errorf("saved settings: %+v", set)
	}
	tb.do(chromedp.Evaluate[chromedp.Void](`(() => { const i = document.querySelectorAll("#reminders input[type=number]")[1]; i.value = "0"; i.dispatchEvent(new Event("input")); })()`),
		chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll("#reminders button")].find(b => b.textContent === "Save reminders")`)))
	tb.waitFor("the field error", `document.querySelector("#reminders").innerText.includes("must be from 1 to 1440 minutes")`)
	tb.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#reminders").scrollIntoView()`))
	tb.screenshot("settings-reminders")

	// The recap: previewed, then emailed to the attendee when asked.
	tb.do(chromedp.Navigate(srv.URL + "/meetings/" + m.ID))
	tb.waitFor("the recap panel", `[...document.querySelectorAll(".recap button")].some(b => b.textContent === "Preview the recap")`)
	tb.do(chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll(".recap button")].find(b => b.textContent === "Preview the recap")`)))
	tb.waitFor("the preview", `document.querySelector(".recap pre")?.textContent.includes("renew for a year")`)
	toAttendee := func() int {
		n := 0
		for _, m := range smtp.Messages() {
			if slices.Contains(m.To, "bob@vendor.example") {
				n++
			}
		}
		return n
	}
	if n := toAttendee(); n != 0 {
		t.Fatalf("%d emails to the attendee before asking", n)
	}
	tb.do(chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll(".recap button")].find(b => b.textContent === "Email to 1 attendee")`)))
	tb.waitFor("sent", `document.querySelector(".recap [role=status]")?.textContent === "Sent to bob@vendor.example."`)
	waitServer(t, "the recap email", func() bool { return toAttendee() == 1 })
	var toBob bool
	for _, m := range smtp.Messages() {
		if slices.Equal(m.To, []string{"bob@vendor.example"}) && strings.Contains(m.Part("text/plain"), "renew for a year") {
			toBob = true
		}
	}
	if !toBob {
		t.Errorf("no recap email to the attendee among %d", len(smtp.Messages()))
	}
	tb.screenshot("recap")
}
