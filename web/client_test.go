package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/debrief-hq/debrief/internal/app"
	"github.com/debrief-hq/debrief/internal/config"
	"github.com/debrief-hq/debrief/internal/testutil"
)

// The browser client, end to end: Debian's Chromium, driven over the
// DevTools protocol, against a real `debrief serve` (in process, on a
// loopback port, its background jobs running).

// chromium is the browser the tests drive. CI installs it (.ci/run); a
// machine without it fails these tests rather than skipping them.
func chromium(t testing.TB) string {
	t.Helper()
	for _, p := range []string{os.Getenv("DEBRIEF_TEST_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	t.Fatal("Chromium is not installed (apt-get install -y chromium; .ci/run does it): the browser tests need it")
	return ""
}

// server is a running Debrief with its jobs.
type server struct {
	URL string
	App *app.App
}

func serve(t testing.TB, cfg config.Config) *server {
	t.Helper()
	return serveWith(t, cfg, app.Options{})
}

// serveWith is serve with wiring options (the jobs' timing is the tests').
func serveWith(t testing.TB, cfg config.Config, opts app.Options) *server {
	t.Helper()
	opts.HashParams, opts.RunJobs = testutil.CheapHash, true
	opts.JobPollInterval, opts.JobSchedulerEvery = 50*time.Millisecond, time.Second
	a, err := app.New(context.Background(), cfg, testutil.Logger(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.ServeListener(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		<-done
		a.Close()
	})
	return &server{URL: "http://" + ln.Addr().String(), App: a}
}

// browser is one Chromium, its profile in a temporary folder: tabs share
// it (cookies, IndexedDB), as a person's tabs do.
type browser struct {
	t   testing.TB
	ctx context.Context
}

func newBrowser(t testing.TB) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 860))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		cancel()
		cancelAlloc()
		t.Fatalf("starting Chromium: %v", err)
	}
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return &browser{t: t, ctx: ctx}
}

// tab is one browser tab.
type tab struct {
	t      testing.TB
	ctx    context.Context
	cancel context.CancelFunc
}

// tab opens a new tab (the first call uses the browser's first one).
func (b *browser) tab() *tab {
	ctx, cancel := chromedp.NewContext(b.ctx)
	ctx, timeout := context.WithTimeout(ctx, 3*time.Minute)
	return &tab{t: b.t, ctx: ctx, cancel: func() { timeout(); cancel() }}
}

func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatalf("browser: %v\n%s", err, tb.html())
	}
}

func (tb *tab) html() string {
	s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`(() => { if (!document.body) return ""; const c = document.body.cloneNode(true); c.querySelectorAll("select").forEach(s => s.remove()); document.body.appendChild(c); c.style.display = "none"; const t = c.innerText; c.remove(); return t.slice(0, 2000); })()`))
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return s
}

func eval[T any](tb *tab, expr string, opts ...chromedp.EvaluateOption) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it holds (10 s at most).
func (tb *tab) waitFor(what, cond string) {
	tb.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("%s: not within 10 s (%v)\n%s", what, err, tb.html())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// typeText types into the focused element, as a person types: a key
// event for every character, Enter for a newline.
func (tb *tab) typeText(s string) {
	tb.t.Helper()
	for _, line := range strings.SplitAfter(s, "\n") {
		text := strings.TrimSuffix(line, "\n")
		if text != "" {
			tb.do(chromedp.KeyEvent(text))
		}
		if strings.HasSuffix(line, "\n") {
			tb.enter()
		}
	}
}

// enter presses Enter: the key alone, without the "\r" character that
// KeyEvent would also insert.
func (tb *tab) enter() {
	tb.t.Helper()
	tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
			if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, input.DispatchKeyEventParams{Type: typ, Key: "Enter", Code: "Enter",
				WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}); err != nil {
				return err
			}
		}
		return nil
	}))
}

func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join("..", "docs", "screenshots", name+".png"), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

func (tb *tab) offline(off bool) {
	tb.t.Helper()
	_, err := chromedp.Run(tb.ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}}})
		return err
	}))
	if err != nil {
		tb.t.Fatalf("network conditions: %v", err)
	}
}

// api calls the server as the signed-in user, with a token.
type api struct {
	t     testing.TB
	base  string
	token string
}

func (a api) do(method, path string, body any, out any) int {
	a.t.Helper()
	var rd *strings.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	} else {
		rd = strings.NewReader("")
	}
	req, _ := http.NewRequest(method, a.base+path, rd)
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	if out != nil {
		json.NewDecoder(res.Body).Decode(out)
	}
	return res.StatusCode
}

type note struct {
	Body    string `json:"body"`
	Version int    `json:"version"`
}

type item struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status string `json:"status"`
	Owner  *struct {
		Email string `json:"email"`
	} `json:"owner"`
}

// icsToday is a calendar with a meeting happening now (its invitation
// carrying markup that must not run), and two later today, the second
// with the status given.
func icsToday(now time.Time, budget string) string {
	f := func(t time.Time) string { return t.UTC().Format("20060102T150405Z") }
	ev := func(uid, title string, start time.Time, mins int, extra ...string) string {
		lines := []string{"BEGIN:VEVENT", "UID:" + uid + "@acme.com", "SUMMARY:" + title, "DTSTART:" + f(start), "DTEND:" + f(start.Add(time.Duration(mins)*time.Minute)),
			"ATTENDEE;CN=Ann Lee:mailto:ann@acme.com", "ATTENDEE;CN=Bob Stone:mailto:bob@acme.com", "ORGANIZER;CN=Ann Lee:mailto:ann@acme.com"}
		return strings.Join(append(append(lines, extra...), "END:VEVENT"), "\r\n")
	}
	day := now.UTC().Truncate(24 * time.Hour)
	later := now.Add(time.Hour)
	if later.After(day.Add(23 * time.Hour)) {
		later = day.Add(23 * time.Hour)
	}
	return strings.Join([]string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//acme//EN",
		ev("design", "Design review", now.Add(-10*time.Minute), 60, `DESCRIPTION:Agenda <img src=x onerror="window.__pwned=1"> <b>bold</b> https://meet.example.com/abc`,
			"URL:https://meet.google.com/abc-defg-hij"),
		ev("planning", "Planning", later, 30),
		ev("budget", "Budget", later.Add(10*time.Minute), 30, "STATUS:"+budget),
		"END:VCALENDAR", ""}, "\r\n")
}

// TestClientJourney is a person's first day with the client: sign up,
// import a calendar, open the current meeting from Today, take notes with
// every kind of marker, tick and untick, lose the network and a tab, and
// find it all again by search.
func TestClientJourney(t *testing.T) {
	srv := serve(t, testutil.Config(t, testutil.SQLite))
	b := newBrowser(t)
	tb := b.tab()

	// Sign up.
	tb.do(chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`input[aria-label="Email"]`)))
	if eval[bool](tb, `!!document.querySelector('input[aria-label="Name"]')`) {
		t.Error("the signed-out page shows the sign-up form first")
	}
	tb.do(chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll("button")].find(b => b.textContent.includes("Create an account"))`)),
		chromedp.WaitVisible(chromedp.CSS(`input[aria-label="Name"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[aria-label="Name"]`), "Ada Lovelace"),
		chromedp.SendKeys(chromedp.CSS(`input[aria-label="Email"]`), "ada@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[aria-label="Password"]`), "correct horse battery"),
		chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll("button")].find(b => b.textContent.trim() === "Sign up")`)))
	tb.waitFor("Today after sign-up", `document.querySelector("h1")?.textContent === "Today"`)

	// A token for checking what the server holds.
	var tok struct{ Token string }
	cookie := eval[string](tb, `document.cookie`) // HttpOnly: the session is not readable
	if strings.Contains(cookie, "debrief_session") {
		t.Error("the session cookie is readable from script")
	}
	tb.do(chromedp.Navigate(srv.URL + "/settings"))
	tb.waitFor("settings", `!!document.querySelector('input[aria-label="Token name"]')`)
	tb.do(chromedp.SendKeys(chromedp.CSS(`input[aria-label="Token name"]`), "tests"),
		chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll("button")].find(b => b.textContent.trim() === "Create token")`)))
	tb.waitFor("the token shown once", `!!document.querySelector(".fresh code")`)
	tok.Token = eval[string](tb, `document.querySelector(".fresh code").textContent`)
	me := api{t: t, base: srv.URL, token: tok.Token}

	// Import a calendar file through Settings.
	// Then the organizer cancels one of them.
	now := time.Now()
	dir := t.TempDir()
	for i, status := range []string{"CONFIRMED", "CANCELLED"} {
		ics := filepath.Join(dir, fmt.Sprintf("today-%d.ics", i))
		if err := os.WriteFile(ics, []byte(icsToday(now, status)), 0o644); err != nil {
			t.Fatal(err)
		}
		tb.do(chromedp.SetUploadFiles(chromedp.CSS(`input[aria-label="Upload .ics file"]`), []string{ics}))
		want := []string{"Imported: 3 created, 0 updated, 0 cancelled", "Imported: 0 created, 0 updated, 1 cancelled, 2 unchanged"}[i]
		tb.waitFor("the import's result", `document.querySelector(".result")?.textContent.includes("`+want+`")`)
	}
	tb.screenshot("settings")

	// Today shows it; m opens the current meeting.
	tb.do(chromedp.Navigate(srv.URL + "/"))
	tb.waitFor("the meetings on Today", `document.querySelectorAll(".meetings li").length >= 2`)
	if !eval[bool](tb, `[...document.querySelectorAll(".meetings li.cancelled .title")].some(e => e.textContent === "Budget")`) {
		t.Error("the cancelled meeting is not struck through")
	}
	if !eval[bool](tb, `document.querySelector(".meetings li.now .title")?.textContent === "Design review"`) {
		t.Error("the current meeting is not marked")
	}
	tb.screenshot("today")
	tb.do(chromedp.KeyEvent("m"))
	tb.waitFor("the meeting page", `document.querySelector("h1")?.textContent === "Design review" && !!document.querySelector('.cm-content[aria-label="Notes"]')`)
	meetingURL := eval[string](tb, `location.pathname`)
	meetingID := strings.TrimPrefix(meetingURL, "/meetings/")

	// The invitation's markup ran nothing.
	if eval[bool](tb, `window.__pwned === 1 || !!document.querySelector(".desc img")`) {
		t.Error("the invitation's HTML ran or kept its image")
	}

	// A note with every marker.
	tb.do(chromedp.Click(chromedp.CSS(`.cm-content`)))
	tb.typeText("Agenda: the launch\n!! @ann send the deck by friday\n")
	tb.do(chromedp.KeyEvent("\u001b")) // close the completion list
	tb.typeText("?? who signs the contract\nDecision: we ship in March\n- [ ] book the room")
	tb.waitFor("Saved", `document.querySelector('[role="status"]').textContent === "Saved"`)
	tb.waitFor("the items panel", `document.querySelectorAll('[aria-label="Action items"] li').length === 2`)
	tb.screenshot("meeting")
	var items struct{ Items []item }
	me.do("GET", "/api/v1/action-items?meeting_id="+meetingID, nil, &items)
	if len(items.Items) != 2 {
		t.Fatalf("the server holds %d action items: %+v", len(items.Items), items.Items)
	}
	byTitle := map[string]item{}
	for _, it := range items.Items {
		byTitle[strings.SplitN(it.Title, " ", 2)[0]] = it
	}
	if byTitle["send"].Owner == nil || byTitle["send"].Owner.Email != "ann@acme.com" {
		t.Errorf("the deck's owner: %+v", byTitle["send"])
	}
	var n note
	me.do("GET", "/api/v1/meetings/"+meetingID+"/note", nil, &n)
	if strings.Count(n.Body, " ^") != 4 {
		t.Errorf("the saved note has %d block ids:\n%s", strings.Count(n.Body, " ^"), n.Body)
	}
	// Block ids are kept but never shown.
	if eval[bool](tb, `document.querySelector(".cm-content").innerText.includes("^")`) {
		t.Error("a block id shows in the editor")
	}
	// The due phrase shows the date it resolves to.
	if !eval[bool](tb, `!!document.querySelector(".cm-due-date")`) {
		t.Error("the due phrase shows no date")
	}

	// Tick the room's checkbox: the item closes.
	tb.do(chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll(".cm-line")].find(l => l.textContent.includes("book the room")).querySelector("input.cm-item-box")`)))
	waitServer(t, "the room's item done", func() bool {
		var list struct{ Items []item }
		me.do("GET", "/api/v1/action-items?meeting_id="+meetingID+"&status=done", nil, &list)
		return len(list.Items) == 1 && list.Items[0].ID == byTitle["book"].ID
	})

	// Another device closes the deck's item while this one types: the box
	// ticks in the editor, and what was typed stays.
	tb.do(chromedp.KeyEvent(kb.Home, chromedp.KeyModifiers(chromedp.ModifierCtrl)), chromedp.KeyEvent(kb.End))
	tb.typeText(" typing on")
	if code := me.do("PATCH", "/api/v1/action-items/"+byTitle["send"].ID, map[string]any{"status": "done"}, nil); code != 200 {
		t.Fatalf("closing through the API: %d", code)
	}
	tb.typeText(" and on")
	tb.waitFor("the deck's box ticked", `[...document.querySelectorAll(".cm-line")].find(l => l.textContent.includes("send the deck"))?.querySelector("input.cm-item-box")?.checked === true`)
	tb.waitFor("Saved", `document.querySelector('[role="status"]').textContent === "Saved"`)
	me.do("GET", "/api/v1/meetings/"+meetingID+"/note", nil, &n)
	if !strings.HasPrefix(n.Body, "Agenda: the launch typing on and on\n") || !strings.Contains(n.Body, "- [x] @ann send the deck") {
		t.Errorf("after the tick elsewhere, the note is:\n%s", n.Body)
	}

	// The network goes; typing goes on; the tab is closed.
	tb.offline(true)
	tb.typeText(" written offline")
	tb.waitFor("the offline status", `document.querySelector('[role="status"]').textContent.startsWith("Offline")`)
	status := eval[string](tb, `document.querySelector('[role="status"]').textContent`)
	if !strings.Contains(status, "kept on this device") {
		t.Errorf("offline status: %q", status)
	}
	time.Sleep(400 * time.Millisecond) // the draft reaches IndexedDB
	tb.cancel()
	// Back online, the meeting opened again: the text is there, and saved.
	tb2 := b.tab()
	tb2.do(chromedp.Navigate(srv.URL + meetingURL))
	tb2.waitFor("the offline text, saved", `document.querySelector(".cm-content")?.innerText.includes("written offline") && document.querySelector('[role="status"]').textContent === "Saved"`)
	me.do("GET", "/api/v1/meetings/"+meetingID+"/note", nil, &n)
	if !strings.Contains(n.Body, "written offline") {
		t.Errorf("the offline text did not reach the server:\n%s", n.Body)
	}

	// Search as you type, and open a hit.
	tb2.do(chromedp.Navigate(srv.URL + "/"))
	// The heading shows before the day's meetings arrive; j moves through
	// them once they are there (a j before that selects nothing).
	tb2.waitFor("Today's meetings", `document.querySelector("h1")?.textContent === "Today" && document.querySelectorAll(".meetings li").length >= 2`)
	// ? lists the shortcuts; Esc closes them; j and Enter open a meeting.
	tb2.do(chromedp.KeyEvent("?"))
	tb2.waitFor("the shortcuts", `document.querySelector("dialog[open]")?.textContent.includes("open the next (or current) meeting")`)
	tb2.do(chromedp.KeyEvent(kb.Escape))
	tb2.waitFor("the shortcuts closed", `!document.querySelector("dialog[open]")`)
	tb2.do(chromedp.KeyEvent("j"))
	tb2.waitFor("the first meeting selected", `document.querySelector(".meetings li.selected .title")?.textContent === "Design review"`)
	tb2.do(chromedp.KeyEvent("j"))
	tb2.waitFor("the second meeting selected", `document.querySelector(".meetings li.selected .title")?.textContent === "Planning"`)
	tb2.enter()
	tb2.waitFor("Planning opened", `document.querySelector("h1")?.textContent === "Planning"`)
	tb2.do(chromedp.Navigate(srv.URL + "/"))
	tb2.waitFor("Today", `document.querySelector("h1")?.textContent === "Today"`)
	tb2.do(chromedp.KeyEvent("/"))
	tb2.waitFor("the search box focused", `document.activeElement?.getAttribute("aria-label") === "Search" && document.activeElement.type === "search"`)
	// A typo: nothing matches as typed, and close spellings are shown, said so.
	tb2.typeText("contarct")
	tb2.waitFor("close spellings", `document.body.textContent.includes("these are close spellings") && [...document.querySelectorAll(".hits li")].some(l => l.textContent.includes("who signs the contract"))`)
	tb2.screenshot("search-corrected")
	clear := `(() => { const b = document.querySelector("input[type=search]"); b.value = ""; b.dispatchEvent(new Event("input")); return true })()`
	// Words ranked, not required: the hits have some of them, and say so.
	eval[bool](tb2, clear)
	tb2.typeText("contract zebra ")
	tb2.waitFor("hits with some of the words", `document.body.textContent.includes("the best have some of your words") && [...document.querySelectorAll(".hits li")].some(l => l.textContent.includes("who signs the contract") && l.textContent.includes("some words"))`)
	tb2.screenshot("search-partial")
	eval[bool](tb2, clear)
	tb2.typeText("contract")
	tb2.waitFor("search results", `!document.body.textContent.includes("close spellings") && !document.body.textContent.includes("some of your words") && [...document.querySelectorAll(".hits li")].some(l => l.textContent.includes("who signs the contract")) && !!document.querySelector(".hits mark")`)
	tb2.screenshot("search")
	tb2.enter()
	tb2.waitFor("the meeting, at the line", `location.pathname === "`+meetingURL+`" && !!document.querySelector(".cm-content")`)
	tb2.waitFor("the cursor on the matching line", `(() => { const s = getSelection(); return !!s.anchorNode && (s.anchorNode.parentElement || s.anchorNode).closest(".cm-line")?.textContent.includes("contract") })()`)
}

// waitServer polls the server until cond holds (10 s at most).
func waitServer(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10 s", what)
		}
	}
}

// signUp makes an account through the sign-up form and returns a token
// for checking the server, made through the API with the session.
func signUp(tb *tab, base, email string) api {
	tb.t.Helper()
	tb.do(chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`input[aria-label="Email"]`)),
		chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll("button")].find(b => b.textContent.includes("Create an account"))`)),
		chromedp.WaitVisible(chromedp.CSS(`input[aria-label="Name"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[aria-label="Name"]`), "Tab Tester"),
		chromedp.SendKeys(chromedp.CSS(`input[aria-label="Email"]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[aria-label="Password"]`), "correct horse battery"),
		chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll("button")].find(b => b.textContent.trim() === "Sign up")`)))
	tb.waitFor("Today after sign-up", `document.querySelector("h1")?.textContent === "Today"`)
	token := eval[string](tb, `(async () => {
		const csrf = (await (await fetch("/api/v1/me")).json()).csrf_token;
		const r = await fetch("/api/v1/tokens", {method: "POST", headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf}, body: JSON.stringify({name: "tests"})});
		return (await r.json()).token })()`, chromedp.EvalAwaitPromise)
	return api{t: tb.t, base: base, token: token}
}

// lines is the editor's text, line by line as shown (block ids hidden).
func lines(tb *tab) string {
	return eval[string](tb, `[...document.querySelectorAll(".cm-line")].map(l => l.textContent).join("\n")`)
}

// TestClientTabs: two tabs on one meeting — on two instances sharing
// PostgreSQL — see each other's saves within a second; edits of different
// lines converge without asking; edits of the same line show the conflict
// view, where keeping both loses nothing.
func TestClientTabs(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, be testutil.Backend) {
		cfg := testutil.Config(t, be)
		if be == testutil.Postgres {
			cfg.Search = config.SearchPostgres
		}
		one := serve(t, cfg)
		two := one
		if be == testutil.Postgres {
			cfg2 := cfg
			cfg2.DataDir = t.TempDir()
			two = serve(t, cfg2) // a second instance on the same database
		}
		b := newBrowser(t)
		a := b.tab()
		me := signUp(a, one.URL, "tabs@example.com")
		var m struct{ ID string }
		me.do("POST", "/api/v1/meetings", map[string]any{"title": "Weekly", "starts_at": time.Now().Format(time.RFC3339)}, &m)
		me.do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "line one\nline two\nline three"}, nil)

		// The second tab: on the second instance when there is one (cookies
		// are per host, not per port, and the session is in the shared
		// database: it is signed in there too).
		bt := b.tab()
		a.do(chromedp.Navigate(one.URL + "/meetings/" + m.ID))
		bt.do(chromedp.Navigate(two.URL + "/meetings/" + m.ID))
		for _, tb := range []*tab{a, bt} {
			tb.waitFor("the note", `document.querySelector(".cm-content")?.innerText.includes("line three") && document.querySelector('[role="status"]').textContent === "Saved"`)
		}

		// Different lines: each tab types on its own line.
		a.do(chromedp.Click(chromedp.CSS(".cm-content")), chromedp.KeyEvent(kb.Home, chromedp.KeyModifiers(chromedp.ModifierCtrl)), chromedp.KeyEvent(kb.End))
		a.typeText(" (from A)")
		bt.do(chromedp.Click(chromedp.CSS(".cm-content")), chromedp.KeyEvent(kb.End, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
		bt.typeText(" (from B)")
		want := "line one (from A)\nline two\nline three (from B)"
		for _, tb := range []*tab{a, bt} {
			tb.waitFor("both edits in both tabs", `[...document.querySelectorAll(".cm-line")].map(l => l.textContent).join("\n") === `+jsString(want)+
				` && document.querySelector('[role="status"]').textContent === "Saved"`)
			if eval[bool](tb, `!!document.querySelector('[aria-label="Conflict"]')`) {
				t.Error("edits of different lines showed the conflict view")
			}
		}
		var n note
		me.do("GET", "/api/v1/meetings/"+m.ID+"/note", nil, &n)
		if n.Body != want {
			t.Errorf("the server holds %q", n.Body)
		}

		// A save in one tab shows in the other, without a reload.
		a.do(chromedp.KeyEvent(kb.End, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
		a.typeText("\nadded in A")
		bt.waitFor("A's new line in B", `document.querySelector(".cm-content").innerText.includes("added in A")`)

		// The same line in both: B is offline while both type, then comes
		// back to a newer version.
		bt.offline(true)
		a.do(chromedp.KeyEvent(kb.Home, chromedp.KeyModifiers(chromedp.ModifierCtrl)), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.End))
		a.typeText(" edited in A")
		bt.do(chromedp.KeyEvent(kb.Home, chromedp.KeyModifiers(chromedp.ModifierCtrl)), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.End))
		bt.typeText(" edited in B")
		a.waitFor("A saved", `document.querySelector('[role="status"]').textContent === "Saved"`)
		bt.offline(false)
		bt.waitFor("the conflict view", `!!document.querySelector('[aria-label="Conflict"]')`)
		bt.screenshot("conflict")
		bt.do(chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll('[aria-label="Conflict"] button')].find(b => b.textContent.includes("Apply"))`)))
		bt.waitFor("saved after choosing", `document.querySelector('[role="status"]').textContent === "Saved" && !document.querySelector('[aria-label="Conflict"]')`)
		me.do("GET", "/api/v1/meetings/"+m.ID+"/note", nil, &n)
		if !strings.Contains(n.Body, "line two edited in B") || !strings.Contains(n.Body, "line two edited in A") {
			t.Errorf("after keeping both: %q", n.Body)
		}
		a.waitFor("B's choice in A", `document.querySelector(".cm-content").innerText.includes("edited in B")`)
	})
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestClientSignupClosed: with sign-up closed the page says so, and offers
// only signing in.
func TestClientSignupClosed(t *testing.T) {
	cfg := testutil.Config(t, testutil.SQLite)
	cfg.Signup = config.SignupClosed
	srv := serve(t, cfg)
	tb := newBrowser(t).tab()
	tb.do(chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`input[aria-label="Email"]`)))
	tb.waitFor("the notice", `document.body.innerText.includes("Sign-up is closed on this server")`)
	if eval[bool](tb, `[...document.querySelectorAll("button")].some(b => /Create an account|Sign up/.test(b.textContent))`) {
		t.Error("a closed server offers sign-up")
	}
}
