package httpapi_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/app"
	"github.com/debrief-hq/debrief/internal/remind"
	"github.com/debrief-hq/debrief/internal/testutil"
)

// clock is a settable time for the reminders.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// hookReceiver is a webhook endpoint that checks each delivery's signature.
type hookReceiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	secret string
	got    []hookDelivery
	status int // what it answers (0: 204)
	// tries counts every request, answered 2xx or not.
	tries int
}

type hookDelivery struct {
	Event, Delivery string
	SignatureOK     bool
	Body            map[string]any
}

func newHookReceiver(t *testing.T) *hookReceiver {
	h := &hookReceiver{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		m := hmac.New(sha256.New, []byte(h.secret))
		m.Write(body)
		d := hookDelivery{Event: r.Header.Get("X-Debrief-Event"), Delivery: r.Header.Get("X-Debrief-Delivery"),
			SignatureOK: hmac.Equal([]byte(r.Header.Get("X-Debrief-Signature")), []byte("sha256="+hex.EncodeToString(m.Sum(nil))))}
		_ = json.Unmarshal(body, &d.Body)
		h.tries++
		if h.status >= 300 {
			w.WriteHeader(h.status)
			return
		}
		h.got = append(h.got, d)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hookReceiver) deliveries() []hookDelivery {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.got)
}

type notificationsJSON struct {
	Items []struct {
		ID      string         `json:"id"`
		Kind    string         `json:"kind"`
		Subject string         `json:"subject"`
		Text    string         `json:"text"`
		URL     string         `json:"url"`
		Data    map[string]any `json:"data"`
		ReadAt  *string        `json:"read_at"`
	} `json:"items"`
	Unread int `json:"unread"`
}

// reminderRig is an app whose reminders run on a test clock, with email
// to a real SMTP server and webhooks to a local receiver.
type reminderRig struct {
	a     *app.App
	clk   *clock
	smtp  *testutil.SMTPServer
	hooks *hookReceiver
}

func newReminderRig(t *testing.T, b testutil.Backend, start time.Time) *reminderRig {
	r := &reminderRig{clk: &clock{t: start}, smtp: testutil.NewSMTPServer(t), hooks: newHookReceiver(t)}
	r.a = testutil.NewAppWith(t, b, app.Options{RemindNow: r.clk.Now}, func(c *config) {
		c.SMTPURL, c.MailFrom = r.smtp.URL(), "Debrief <debrief@example.test>"
		c.AllowPrivateFetch = true // the webhook receiver is on loopback
		c.PublicURL = "https://debrief.example.test"
	})
	return r
}

// at moves the clock and runs what the job queue runs then: the planning
// pass and the delivery of what is due.
func (r *reminderRig) at(t *testing.T, when time.Time) {
	t.Helper()
	r.clk.Set(when)
	ctx := context.Background()
	if _, err := r.a.Services.Reminders.PlanAll(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.a.Services.Reminders.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
}

func berlinTime(s string) time.Time {
	loc, _ := time.LoadLocation("Europe/Berlin")
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

func TestReminders(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		rig := newReminderRig(t, b, berlinTime("2027-01-04 08:00"))
		c := testutil.SignUp(t, rig.a.HTTP) // Europe/Berlin
		other := testutil.SignUp(t, rig.a.HTTP)
		var me struct {
			Email string `json:"email"`
		}
		c.Do("GET", "/api/v1/me", nil).Expect(t, 200).JSON(t, &me)

		// A webhook for due reminders and recaps.
		var hook struct {
			ID     string `json:"id"`
			Secret string `json:"secret"`
		}
		c.Do("POST", "/api/v1/webhooks", map[string]any{"url": rig.hooks.srv.URL + "/in", "events": []string{"reminder.due", "meeting.recap"}}).
			Expect(t, http.StatusCreated).JSON(t, &hook)
		if !strings.HasPrefix(hook.Secret, "whsec_") {
			t.Fatalf("webhook secret %q", hook.Secret)
		}
		rig.hooks.secret = hook.Secret
		if strings.Contains(string(c.Do("GET", "/api/v1/webhooks", nil).Expect(t, 200).Body), hook.Secret) {
			t.Error("the webhook list shows the secret")
		}

		// Monday's 1:1 with Alice, with a note: two items due (one
		// Tuesday, one Wednesday), a remind-me-at, a question.
		m := createMeeting(t, c, map[string]any{"title": "1:1 Alice", "starts_at": "2027-01-04T10:00:00+01:00", "ends_at": "2027-01-04T10:30:00+01:00",
			"attendees": []map[string]any{{"email": "alice@example.com", "name": "Alice Smith"}}})
		c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "Budget review\n" +
			"- decided: ship in March\n" +
			"!! send the deck due:2027-01-05\n" +
			"!! book the room due:2027-01-06\n" +
			"!! call the bank remind:2027-01-05 15:00\n" +
			"?? who signs off on the budget\n"}).Expect(t, 200)
		var items page[struct {
			ID       string  `json:"id"`
			Title    string  `json:"title"`
			RemindAt *string `json:"remind_at"`
		}]
		c.Do("GET", "/api/v1/action-items?meeting_id="+m.ID, nil).Expect(t, 200).JSON(t, &items)
		ids := map[string]string{}
		for _, it := range items.Items {
			ids[strings.Fields(it.Title)[0]+" "+strings.Fields(it.Title)[2]] = it.ID
			if strings.HasPrefix(it.Title, "call the bank") && (it.RemindAt == nil || *it.RemindAt != "2027-01-05T14:00:00Z") {
				t.Errorf("remind:2027-01-05 15:00 read as %v", it.RemindAt)
			}
		}

		// 10:40: the recap, in the app, by email and to the webhook.
		rig.at(t, berlinTime("2027-01-04 10:39"))
		if n := len(rig.smtp.Messages()); n != 0 {
			t.Fatalf("%d emails before the recap's time", n)
		}
		rig.at(t, berlinTime("2027-01-04 10:40"))
		mails := rig.smtp.WaitFor(t, 1, 5*time.Second)
		recap := mails[0]
		if recap.Header.Get("Subject") != "Recap: 1:1 Alice" || recap.To[0] != me.Email {
			t.Fatalf("recap email: %q to %v", recap.Header.Get("Subject"), recap.To)
		}
		text, html := recap.Part("text/plain"), recap.Part("text/html")
		for _, want := range []string{"Decisions:\n• ship in March", "• send the deck (due Tue 5 Jan)", "Open questions:\n• who signs off on the budget",
			"https://debrief.example.test/meetings/" + m.ID} {
			if !strings.Contains(text, want) {
				t.Errorf("recap text lacks %q:\n%s", want, text)
			}
		}
		if !strings.Contains(html, "<li>") || !strings.Contains(html, "ship in March") {
			t.Errorf("recap HTML part: %q", html)
		}
		msgID := recap.Header.Get("Message-Id")
		if !regexp.MustCompile(`^<[0-9A-Z]+@example\.test>$`).MatchString(msgID) {
			t.Errorf("Message-ID %q", msgID)
		}
		unsub := recap.Header.Get("List-Unsubscribe")
		if !strings.HasPrefix(unsub, "<https://debrief.example.test/r/") || recap.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe %q / %q", unsub, recap.Header.Get("List-Unsubscribe-Post"))
		}
		hooks := rig.hooks.deliveries()
		if len(hooks) != 1 || hooks[0].Event != "meeting.recap" || !hooks[0].SignatureOK {
			t.Fatalf("webhook deliveries: %+v", hooks)
		}
		if hooks[0].Body["type"] != "meeting.recap" || hooks[0].Body["id"] != hooks[0].Delivery ||
			!strings.HasPrefix(hooks[0].Body["text"].(string), "Recap: 1:1 Alice") || hooks[0].Body["occurred_at"] != "2027-01-04T09:40:00Z" {
			t.Errorf("webhook body: %v", hooks[0].Body)
		}
		var ns notificationsJSON
		c.Do("GET", "/api/v1/notifications", nil).Expect(t, 200).JSON(t, &ns)
		if len(ns.Items) != 1 || ns.Unread != 1 || ns.Items[0].Kind != "meeting.recap" || ns.Items[0].URL != "https://debrief.example.test/meetings/"+m.ID {
			t.Fatalf("in-app: %+v", ns)
		}
		// Nobody else sees it.
		var theirs notificationsJSON
		other.Do("GET", "/api/v1/notifications", nil).Expect(t, 200).JSON(t, &theirs)
		if len(theirs.Items) != 0 || theirs.Unread != 0 {
			t.Errorf("another account sees %+v", theirs)
		}
		other.Do("POST", "/api/v1/notifications/"+ns.Items[0].ID+"/read", nil).Expect(t, 404)

		// Tuesday 09:00: "send the deck" is due. Done before then, "book
		// the room" (Wednesday) never reminds.
		c.Do("PATCH", "/api/v1/action-items/"+ids["book room"], map[string]any{"status": "done"}).Expect(t, 200)
		rig.at(t, berlinTime("2027-01-05 08:59"))
		rig.at(t, berlinTime("2027-01-05 09:00"))
		mails = rig.smtp.WaitFor(t, 2, 5*time.Second)
		due := mails[1]
		if due.Header.Get("Subject") != "Reminder: send the deck" {
			t.Fatalf("due email subject %q", due.Header.Get("Subject"))
		}
		dueText := due.Part("text/plain")
		links := regexp.MustCompile(`(Done|Snooze 1 day): (https://debrief\.example\.test(/r/\S+))`).FindAllStringSubmatch(dueText, -1)
		if len(links) != 2 {
			t.Fatalf("due email links: %q", dueText)
		}
		// Scanners follow links: a GET only asks.
		anon := testutil.NewClient(t, rig.a.HTTP)
		page := anon.Do("GET", links[0][3], nil).Expect(t, 200)
		if !strings.Contains(string(page.Body), "Mark “send the deck” done?") || !strings.Contains(string(page.Body), `<form method="post">`) {
			t.Errorf("confirmation page: %s", page.Body)
		}
		var item struct {
			Status   string  `json:"status"`
			RemindAt *string `json:"remind_at"`
		}
		// Snooze: reminded again a day later.
		anon.Do("POST", links[1][3], nil).Expect(t, 200)
		c.Do("PATCH", "/api/v1/action-items/"+ids["send deck"], map[string]any{}).Expect(t, 200).JSON(t, &item)
		if item.Status != "open" || item.RemindAt == nil || *item.RemindAt != "2027-01-06T08:00:00Z" {
			t.Errorf("after snooze: %+v", item)
		}
		// 15:00: the bank.
		rig.at(t, berlinTime("2027-01-05 15:00"))
		mails = rig.smtp.WaitFor(t, 3, 5*time.Second)
		if s := mails[2].Header.Get("Subject"); s != "Reminder: call the bank" {
			t.Errorf("remind-at email %q", s)
		}
		// Wednesday 09:00: the snoozed deck comes back; the overdue digest
		// lists it (the digest does not go to this webhook).
		rig.at(t, berlinTime("2027-01-06 09:00"))
		mails = rig.smtp.WaitFor(t, 5, 5*time.Second)
		var subjects []string
		for _, m := range mails[3:] {
			subjects = append(subjects, m.Header.Get("Subject"))
		}
		slices.Sort(subjects)
		if !slices.Equal(subjects, []string{"1 overdue item", "Reminder: send the deck"}) {
			t.Errorf("Wednesday's emails: %q", subjects)
		}
		// Done through the link, confirmed: the item is done.
		anon.Do("POST", links[0][3], nil).Expect(t, 200)
		c.Do("PATCH", "/api/v1/action-items/"+ids["send deck"], map[string]any{}).Expect(t, 200).JSON(t, &item)
		if item.Status != "done" {
			t.Errorf("after Done: %+v", item)
		}
		// A forged or expired link does nothing.
		anon.Do("POST", links[0][3][:len(links[0][3])-3]+"abc", nil).Expect(t, 404)
		rig.clk.Set(berlinTime("2027-01-25 09:00"))
		anon.Do("GET", links[1][3], nil).Expect(t, 410)

		// One-click unsubscribe (RFC 8058) from recaps by email.
		unsubPath := strings.TrimSuffix(strings.TrimPrefix(unsub, "<https://debrief.example.test"), ">")
		anon.Do("POST", unsubPath, "List-Unsubscribe=One-Click", "Content-Type: application/x-www-form-urlencoded").Expect(t, 200)
		var set struct {
			Channels map[string][]string `json:"channels"`
		}
		c.Do("GET", "/api/v1/settings/reminders", nil).Expect(t, 200).JSON(t, &set)
		if slices.Contains(set.Channels["meeting.recap"], "email") || !slices.Contains(set.Channels["meeting.recap"], "in_app") {
			t.Errorf("after unsubscribe: %v", set.Channels)
		}

		// Every key went out once per channel; the list is unread first.
		c.Do("GET", "/api/v1/notifications", nil).Expect(t, 200).JSON(t, &ns)
		if ns.Unread != 5 || len(ns.Items) != 5 {
			t.Errorf("in-app: %d unread of %d", ns.Unread, len(ns.Items))
		}
		c.Do("POST", "/api/v1/notifications/"+ns.Items[0].ID+"/read", nil).Expect(t, 204)
		c.Do("GET", "/api/v1/notifications", nil).Expect(t, 200).JSON(t, &ns)
		if ns.Unread != 4 || ns.Items[4].ReadAt == nil {
			t.Errorf("after one read: %d unread, last %+v", ns.Unread, ns.Items[4])
		}
		c.Do("POST", "/api/v1/notifications/read", nil).Expect(t, 204)
		c.Do("GET", "/api/v1/notifications", nil).Expect(t, 200).JSON(t, &ns)
		if ns.Unread != 0 {
			t.Errorf("after all read: %d unread", ns.Unread)
		}
		seen := map[string]bool{}
		for _, m := range rig.smtp.Messages() {
			id := m.Header.Get("Message-Id")
			if seen[id] {
				t.Errorf("email %s sent twice", id)
			}
			seen[id] = true
		}
		if got := len(rig.hooks.deliveries()); got != 4 { // recap, deck, bank, deck again
			t.Errorf("%d webhook deliveries, want 4", got)
		}
	})
}

func TestRecapToAttendees(t *testing.T) {
	rig := newReminderRig(t, testutil.SQLite, berlinTime("2027-01-04 08:00"))
	c := testutil.SignUp(t, rig.a.HTTP)
	m := createMeeting(t, c, map[string]any{"title": "Vendor call", "starts_at": "2027-01-04T10:00:00+01:00", "ends_at": "2027-01-04T10:30:00+01:00",
		"attendees": []map[string]any{{"email": "alice@example.com", "name": "Alice"}, {"email": "bob@vendor.example", "name": "Bob"}}})
	c.Do("GET", "/api/v1/meetings/"+m.ID+"/recap", nil).Expect(t, 400)
	c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "- decided: renew for a year\n!! @Bob sends the contract due:2027-01-08\n"}).Expect(t, 200)
	var preview struct {
		Subject string   `json:"subject"`
		Text    string   `json:"text"`
		To      []string `json:"to"`
	}
	c.Do("GET", "/api/v1/meetings/"+m.ID+"/recap", nil).Expect(t, 200).JSON(t, &preview)
	if preview.Subject != "Recap: Vendor call" || !slices.Equal(preview.To, []string{"alice@example.com", "bob@vendor.example"}) ||
		!strings.Contains(preview.Text, "Action items: Bob:\n• sends the contract (due Fri 8 Jan)") {
		t.Fatalf("preview: %+v", preview)
	}
	if strings.Contains(preview.Text, "debrief.example.test") {
		t.Errorf("the attendees' copy links into the owner's Debrief: %s", preview.Text)
	}
	// Nothing is sent until asked.
	if n := len(rig.smtp.Messages()); n != 0 {
		t.Fatalf("%d emails before send", n)
	}
	var sent struct {
		SentTo []string `json:"sent_to"`
	}
	c.Do("POST", "/api/v1/meetings/"+m.ID+"/recap/send", nil).Expect(t, 200).JSON(t, &sent)
	got := rig.smtp.WaitFor(t, 1, 5*time.Second)[0]
	if !slices.Equal(got.To, []string{"alice@example.com", "bob@vendor.example"}) || got.Header.Get("Reply-To") == "" ||
		!strings.Contains(got.Part("text/plain"), "renew for a year") {
		t.Errorf("recap to attendees: to %v, reply-to %q:\n%s", got.To, got.Header.Get("Reply-To"), got.Data)
	}
	// Another account cannot preview or send it.
	other := testutil.SignUp(t, rig.a.HTTP)
	other.Do("GET", "/api/v1/meetings/"+m.ID+"/recap", nil).Expect(t, 404)
	other.Do("POST", "/api/v1/meetings/"+m.ID+"/recap/send", nil).Expect(t, 404)
}

func TestReminderSettingsAndWebhooksRefuseBadInput(t *testing.T) {
	a := testutil.NewApp(t, testutil.SQLite) // no SMTP; private addresses refused
	c := testutil.SignUp(t, a.HTTP)
	var set struct {
		EmailEnabled bool                `json:"email_enabled"`
		MorningHour  int                 `json:"morning_hour"`
		Channels     map[string][]string `json:"channels"`
	}
	c.Do("GET", "/api/v1/settings/reminders", nil).Expect(t, 200).JSON(t, &set)
	if set.EmailEnabled || set.MorningHour != 9 || slices.Contains(set.Channels["reminder.due"], "email") || len(set.Channels["meeting.prep"]) != 0 {
		t.Errorf("defaults without SMTP: %+v", set)
	}
	testutil.Run(t, c, []testutil.Scenario{
		{Name: "every bad field", Method: "PUT", Path: "/api/v1/settings/reminders",
			Body: map[string]any{"morning_hour": 25, "quiet_hours": map[string]any{"start": "22:00", "end": "7pm"},
				"channels": map[string]any{"reminder.due": []string{"in_app", "pager"}, "meeting.nap": []string{"in_app"}}},
			Status: 400, Problem: "invalid-input", Contains: []string{`"field":"morning_hour"`, `"field":"quiet_hours.end"`,
				`"field":"channels.reminder.due[1]"`, `"field":"channels.meeting.nap"`}},
		{Name: "email without SMTP", Method: "PUT", Path: "/api/v1/settings/reminders",
			Body: map[string]any{"channels": map[string]any{"digest.morning": []string{"email"}}}, Status: 400,
			Contains: []string{`"field":"channels.digest.morning[0]"`, "DEBRIEF_SMTP_URL"}},
		{Name: "unknown field", Method: "PUT", Path: "/api/v1/settings/reminders", Body: map[string]any{"evening_hour": 3}, Status: 400},
		{Name: "quiet hours as text", Method: "PUT", Path: "/api/v1/settings/reminders", Body: map[string]any{"quiet_hours": "nights"}, Status: 400,
			Contains: []string{`"field":"quiet_hours"`}},
		{Name: "private webhook", Method: "POST", Path: "/api/v1/webhooks", Body: map[string]any{"url": "http://127.0.0.1:9/hook"}, Status: 400,
			Contains: []string{`"field":"url"`, "private"}},
		{Name: "metadata webhook", Method: "POST", Path: "/api/v1/webhooks", Body: map[string]any{"url": "http://169.254.169.254/latest"}, Status: 400},
		{Name: "not http", Method: "POST", Path: "/api/v1/webhooks", Body: map[string]any{"url": "ftp://example.com/x"}, Status: 400},
		{Name: "unknown event", Method: "POST", Path: "/api/v1/webhooks", Body: map[string]any{"url": "https://example.com/x", "events": []string{"reminder.due", "lunch"}},
			Status: 400, Contains: []string{`"field":"events[1]"`}},
		{Name: "no events", Method: "POST", Path: "/api/v1/webhooks", Body: map[string]any{"url": "https://example.com/x", "events": []string{}}, Status: 400},
		{Name: "bad remind_at", Method: "PATCH", Path: "/api/v1/questions/01HZZZZZZZZZZZZZZZZZZZZZZZ", Body: map[string]any{"remind_at": "soonish"}, Status: 400},
		{Name: "notification of nobody", Method: "POST", Path: "/api/v1/notifications/01HZZZZZZZZZZZZZZZZZZZZZZZ/read", Status: 404},
		{Name: "bad limit", Method: "GET", Path: "/api/v1/notifications?limit=0", Status: 400},
		{Name: "recap send without SMTP", Method: "POST", Path: "/api/v1/meetings/01HZZZZZZZZZZZZZZZZZZZZZZZ/recap/send", Status: 400},
		{Name: "link page of garbage", Method: "GET", Path: "/r/garbage", Status: 404},
	})
	// A good change keeps what it does not name, and a later null turns
	// quiet hours off.
	c.Do("PUT", "/api/v1/settings/reminders", map[string]any{"morning_hour": 7, "quiet_hours": map[string]any{"start": "22:00", "end": "07:00"},
		"channels": map[string]any{"meeting.prep": []string{"in_app"}}}).Expect(t, 200)
	var after struct {
		MorningHour int                 `json:"morning_hour"`
		QuietHours  *remind.Quiet       `json:"quiet_hours"`
		Channels    map[string][]string `json:"channels"`
	}
	c.Do("PUT", "/api/v1/settings/reminders", map[string]any{"quiet_hours": nil}).Expect(t, 200).JSON(t, &after)
	if after.MorningHour != 7 || after.QuietHours != nil || !slices.Equal(after.Channels["meeting.prep"], []string{"in_app"}) {
		t.Errorf("settings after two changes: %+v", after)
	}
}

// TestRemindersTwoInstances runs two `debrief serve` on one PostgreSQL,
// both with their job workers, and gives one account reminders due within
// seconds: every one arrives exactly once by email, by webhook and in the
// app.
func TestRemindersTwoInstances(t *testing.T) {
	if !slices.Contains(testutil.Backends(t), testutil.Postgres) {
		t.Fatal("this test needs PostgreSQL (DEBRIEF_TEST_POSTGRES_DSN)")
	}
	smtp, hooks := testutil.NewSMTPServer(t), newHookReceiver(t)
	cfg := testutil.Config(t, testutil.Postgres)
	cfg.SMTPURL, cfg.MailFrom, cfg.AllowPrivateFetch = smtp.URL(), "debrief@example.test", true
	var apps [2]*app.App
	for i := range apps {
		a, err := app.New(context.Background(), cfg, testutil.Logger(t), app.Options{HashParams: testutil.CheapHash, RunJobs: true,
			JobPollInterval: 50 * time.Millisecond, RemindDeliverEvery: 500 * time.Millisecond})
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
		t.Cleanup(func() { cancel(); <-done; a.Close() })
		apps[i] = a
	}
	c := testutil.SignUp(t, apps[0].HTTP)
	var hook struct {
		Secret string `json:"secret"`
	}
	c.Do("POST", "/api/v1/webhooks", map[string]any{"url": hooks.srv.URL, "events": []string{"reminder.due"}}).Expect(t, 201).JSON(t, &hook)
	hooks.mu.Lock()
	hooks.secret = hook.Secret
	hooks.mu.Unlock()
	const n = 30
	due := time.Now().Add(3 * time.Second).UTC().Format(time.RFC3339)
	for i := range n {
		// Alternate instances: each write queues its owner's planning
		// wherever it lands.
		cl := c.On(apps[i%2].HTTP)
		var it struct {
			ID string `json:"id"`
		}
		cl.Do("POST", "/api/v1/action-items", map[string]any{"title": "item " + strconv.Itoa(i)}).Expect(t, 201).JSON(t, &it)
		cl.Do("PATCH", "/api/v1/action-items/"+it.ID, map[string]any{"remind_at": due}).Expect(t, 200)
	}
	smtp.WaitFor(t, n, 60*time.Second)
	deadline := time.Now().Add(30 * time.Second)
	for len(hooks.deliveries()) < n && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // a second copy would arrive within a few sweeps
	countOnce := func(what string, ids []string) {
		t.Helper()
		seen := map[string]int{}
		for _, id := range ids {
			seen[id]++
		}
		if len(ids) != n || len(seen) != n {
			t.Errorf("%s: %d deliveries of %d distinct, want %d once each", what, len(ids), len(seen), n)
		}
	}
	var mailIDs, hookIDs []string
	for _, m := range smtp.Messages() {
		mailIDs = append(mailIDs, m.Header.Get("Message-Id"))
	}
	for _, d := range hooks.deliveries() {
		if !d.SignatureOK {
			t.Errorf("webhook delivery %s: bad signature", d.Delivery)
		}
		hookIDs = append(hookIDs, d.Delivery)
	}
	countOnce("email", mailIDs)
	countOnce("webhook", hookIDs)
	var ns notificationsJSON
	c.Do("GET", "/api/v1/notifications", nil).Expect(t, 200).JSON(t, &ns)
	if len(ns.Items) != n || ns.Unread != n {
		t.Errorf("in-app: %d notifications, %d unread; want %d", len(ns.Items), ns.Unread, n)
	}
}

// TestDeliverySweepsRace has two instances on one PostgreSQL sweep a
// backlog of due reminders at once, two sweeps each: every reminder is
// claimed by one of them and sent once.
func TestDeliverySweepsRace(t *testing.T) {
	if !slices.Contains(testutil.Backends(t), testutil.Postgres) {
		t.Fatal("this test needs PostgreSQL (DEBRIEF_TEST_POSTGRES_DSN)")
	}
	smtp := testutil.NewSMTPServer(t)
	cfg := testutil.Config(t, testutil.Postgres)
	cfg.SMTPURL, cfg.MailFrom = smtp.URL(), "debrief@example.test"
	a1, a2 := testutil.NewAppFromConfig(t, cfg), testutil.NewAppFromConfig(t, cfg)
	const users, items = 4, 50
	for range users {
		c := testutil.SignUp(t, a1.HTTP)
		c.Do("PUT", "/api/v1/settings/reminders", map[string]any{"channels": map[string]any{"reminder.due": []string{"email", "in_app"}}}).Expect(t, 200)
		for i := range items {
			var it struct {
				ID string `json:"id"`
			}
			c.Do("POST", "/api/v1/action-items", map[string]any{"title": "item " + strconv.Itoa(i)}).Expect(t, 201).JSON(t, &it)
			c.Do("PATCH", "/api/v1/action-items/"+it.ID, map[string]any{"remind_at": "2026-01-01T09:00:00Z"}).Expect(t, 200)
		}
	}
	ctx := context.Background()
	if _, err := a1.Services.Reminders.PlanAll(ctx); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	sent := make([]int, 4)
	for i, a := range []*app.App{a1, a2, a1, a2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := a.Services.Reminders.Deliver(ctx)
			if err != nil {
				t.Error(err)
			}
			sent[i] = n
		}()
	}
	wg.Wait()
	total := 0
	for _, n := range sent {
		total += n
	}
	want := users * items * 2 // email and in-app
	if total != want {
		t.Errorf("sweeps sent %v = %d, want %d", sent, total, want)
	}
	msgs := smtp.WaitFor(t, users*items, 10*time.Second)
	seen := map[string]bool{}
	for _, m := range msgs {
		seen[m.Header.Get("Message-Id")] = true
	}
	if len(msgs) != users*items || len(seen) != users*items {
		t.Errorf("%d emails, %d distinct, want %d", len(msgs), len(seen), users*items)
	}
	// Nothing is left to send.
	if n, err := a2.Services.Reminders.Deliver(ctx); err != nil || n != 0 {
		t.Errorf("a sweep after: %d %v", n, err)
	}
}

// TestRemindersFollowTheData: a deleted meeting loses its recap, a new time
// zone moves a due reminder to the new zone's morning of the same date, and
// a question or a "next time" item comes back when the next meeting with
// its people starts.
func TestRemindersFollowTheData(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		rig := newReminderRig(t, b, berlinTime("2027-01-04 08:00"))
		c := testutil.SignUp(t, rig.a.HTTP)
		c.Do("PUT", "/api/v1/settings/reminders", map[string]any{"channels": map[string]any{
			"meeting.recap": []string{"in_app"}, "reminder.due": []string{"in_app"}, "reminder.next_meeting": []string{"in_app"}}}).Expect(t, 200)
		alice := []map[string]any{{"email": "alice@example.com", "name": "Alice Smith"}}
		first := createMeeting(t, c, map[string]any{"title": "1:1", "starts_at": "2027-01-04T10:00:00+01:00", "ends_at": "2027-01-04T10:30:00+01:00", "attendees": alice})
		c.Do("PUT", "/api/v1/meetings/"+first.ID+"/note", map[string]any{"body": "?? is the budget final\n" +
			"!! ask @Alice Smith about the hiring plan next time\n" +
			"!! send the minutes due:2027-01-06\n"}).Expect(t, 200)
		// Another meeting with a note, deleted before its recap.
		gone := createMeeting(t, c, map[string]any{"title": "Gone", "starts_at": "2027-01-04T11:00:00+01:00", "ends_at": "2027-01-04T11:30:00+01:00"})
		c.Do("PUT", "/api/v1/meetings/"+gone.ID+"/note", map[string]any{"body": "- decided: nothing"}).Expect(t, 200)
		rig.at(t, berlinTime("2027-01-04 09:00"))
		c.Do("DELETE", "/api/v1/meetings/"+gone.ID, nil).Expect(t, 204)
		// The next 1:1 is on Friday.
		next := createMeeting(t, c, map[string]any{"title": "1:1 again", "starts_at": "2027-01-08T10:00:00+01:00", "ends_at": "2027-01-08T10:30:00+01:00", "attendees": alice})
		// Moving to New York before Wednesday: still due Wednesday, at 09:00
		// there (and times in messages are New York's).
		c.Do("PATCH", "/api/v1/me", map[string]any{"time_zone": "America/New_York"}).Expect(t, 200)

		kinds := func() []string {
			var ns notificationsJSON
			c.Do("GET", "/api/v1/notifications", nil).Expect(t, 200).JSON(t, &ns)
			var out []string
			for _, n := range ns.Items {
				out = append(out, n.Kind+" "+n.Subject)
			}
			slices.Sort(out)
			return out
		}
		rig.at(t, berlinTime("2027-01-04 12:00"))
		if got := kinds(); !slices.Equal(got, []string{"meeting.recap Recap: 1:1"}) {
			t.Errorf("Monday: %q", got)
		}
		ny, _ := time.LoadLocation("America/New_York")
		rig.at(t, time.Date(2027, 1, 6, 8, 59, 0, 0, ny))
		if got := kinds(); len(got) != 1 {
			t.Errorf("before 09:00 in New York: %q", got)
		}
		rig.at(t, time.Date(2027, 1, 6, 9, 0, 0, 0, ny))
		if got := kinds(); !slices.Contains(got, "reminder.due Reminder: send the minutes") {
			t.Errorf("09:00 in New York: %q", got)
		}
		rig.at(t, berlinTime("2027-01-08 09:59"))
		rig.at(t, berlinTime("2027-01-08 10:00"))
		got := kinds()
		for _, want := range []string{"reminder.next_meeting Open question: is the budget final",
			"reminder.next_meeting Reminder: ask @Alice Smith about the hiring plan next time"} {
			if !slices.Contains(got, want) {
				t.Errorf("at the next 1:1: %q lacks %q", got, want)
			}
		}
		var ns notificationsJSON
		c.Do("GET", "/api/v1/notifications", nil).Expect(t, 200).JSON(t, &ns)
		for _, n := range ns.Items {
			if n.Kind == "reminder.next_meeting" && (!strings.Contains(n.Text, "You are meeting 1:1 again now (04:00)") || n.URL != "https://debrief.example.test/meetings/"+next.ID || n.Data["meeting"].(map[string]any)["id"] != next.ID) {
				t.Errorf("next-meeting reminder: %q %v", n.Text, n.Data)
			}
		}
		// Once: the meeting after does not bring them back.
		createMeeting(t, c, map[string]any{"title": "1:1 later", "starts_at": "2027-01-09T10:00:00+01:00", "ends_at": "2027-01-09T10:30:00+01:00", "attendees": alice})
		rig.at(t, berlinTime("2027-01-09 10:01"))
		nextMeeting := func(ks []string) int {
			return len(slices.DeleteFunc(slices.Clone(ks), func(k string) bool { return !strings.HasPrefix(k, "reminder.next_meeting") }))
		}
		if n := nextMeeting(kinds()); n != 2 {
			t.Errorf("after a later meeting: %d next-meeting reminders, want 2", n)
		}
	})
}

// TestWebhookRetries: a webhook that fails (503) gets the same delivery
// again after a backoff, with the same id and body; one that refuses (404)
// is given up on, and its owner sees why.
func TestWebhookRetries(t *testing.T) {
	rig := newReminderRig(t, testutil.SQLite, berlinTime("2027-01-04 08:00"))
	c := testutil.SignUp(t, rig.a.HTTP)
	c.Do("PUT", "/api/v1/settings/reminders", map[string]any{"channels": map[string]any{"reminder.due": []string{"webhook"}}}).Expect(t, 200)
	var hook struct {
		ID     string `json:"id"`
		Secret string `json:"secret"`
	}
	c.Do("POST", "/api/v1/webhooks", map[string]any{"url": rig.hooks.srv.URL}).Expect(t, 201).JSON(t, &hook)
	rig.hooks.mu.Lock()
	rig.hooks.secret, rig.hooks.status = hook.Secret, http.StatusServiceUnavailable
	rig.hooks.mu.Unlock()
	var it struct {
		ID string `json:"id"`
	}
	c.Do("POST", "/api/v1/action-items", map[string]any{"title": "renew the domain"}).Expect(t, 201).JSON(t, &it)
	c.Do("PATCH", "/api/v1/action-items/"+it.ID, map[string]any{"remind_at": "2027-01-04T09:00:00+01:00"}).Expect(t, 200)
	rig.at(t, berlinTime("2027-01-04 09:00"))
	var hooks struct {
		Items []struct {
			LastError string `json:"last_error"`
		} `json:"items"`
	}
	c.Do("GET", "/api/v1/webhooks", nil).Expect(t, 200).JSON(t, &hooks)
	if len(hooks.Items) != 1 || !strings.Contains(hooks.Items[0].LastError, "503") {
		t.Fatalf("after a 503: %+v", hooks)
	}
	// Back up: the retry comes after its backoff (30 s), not before.
	rig.hooks.mu.Lock()
	rig.hooks.status = 0
	rig.hooks.mu.Unlock()
	rig.at(t, berlinTime("2027-01-04 09:00").Add(10*time.Second))
	if n := len(rig.hooks.deliveries()); n != 0 {
		t.Fatalf("retried before the backoff: %d", n)
	}
	rig.at(t, berlinTime("2027-01-04 09:01"))
	got := rig.hooks.deliveries()
	if len(got) != 1 || !got[0].SignatureOK || got[0].Body["text"] == nil {
		t.Fatalf("after the backoff: %+v", got)
	}
	c.Do("GET", "/api/v1/webhooks", nil).Expect(t, 200).JSON(t, &hooks)
	if hooks.Items[0].LastError != "" {
		t.Errorf("a webhook that works again still shows %q", hooks.Items[0].LastError)
	}
	// A 404 is final: nothing more is sent, the webhook says why.
	rig.hooks.mu.Lock()
	rig.hooks.status = http.StatusNotFound
	rig.hooks.mu.Unlock()
	c.Do("PATCH", "/api/v1/action-items/"+it.ID, map[string]any{"remind_at": "2027-01-04T10:00:00+01:00"}).Expect(t, 200)
	for _, at := range []string{"2027-01-04 10:00", "2027-01-04 10:05", "2027-01-04 12:00"} {
		rig.at(t, berlinTime(at))
	}
	c.Do("GET", "/api/v1/webhooks", nil).Expect(t, 200).JSON(t, &hooks)
	rig.hooks.mu.Lock()
	tries := rig.hooks.tries
	rig.hooks.mu.Unlock()
	// 503, then 204, then one 404 and no more.
	if !strings.Contains(hooks.Items[0].LastError, "404") || tries != 3 {
		t.Errorf("after a 404: %+v, %d requests in all, want 3", hooks, tries)
	}
}

// TestNoteSavesPlanWhenRemindersMove: a note save queues its owner's
// planning when an item's reminder can move (a new item, a due date, a
// remind: phrase, a tick), not when a title is reworded.
func TestNoteSavesPlanWhenRemindersMove(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		// A window of a millisecond: each save that queues a planning
		// queues its own.
		a := testutil.NewAppWith(t, b, app.Options{ReplanWindow: time.Millisecond})
		c := testutil.SignUp(t, a.HTTP)
		m := createMeeting(t, c, map[string]any{"title": "1:1", "starts_at": "2027-01-04T10:00:00Z"})
		queued := func() int {
			var n int
			if err := a.DB.SQL.QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'remind_replan'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		var note struct {
			Body    string `json:"body"`
			Version int    `json:"version"`
		}
		save := func(body string) {
			t.Helper()
			c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": body}).Expect(t, 200).JSON(t, &note)
			time.Sleep(2 * time.Millisecond) // the next save is in another window
		}
		steps := []struct {
			what  string
			edit  func(string) string
			queue bool
		}{
			{"a new item", func(string) string { return "!! send the deck due:2027-01-05\n" }, true},
			{"a reworded title", func(b string) string { return strings.Replace(b, "send the deck", "send the slides", 1) }, false},
			{"a new due date", func(b string) string { return strings.Replace(b, "due:2027-01-05", "due:2027-01-06", 1) }, true},
			{"a remind: phrase", func(b string) string {
				return strings.Replace(b, "due:2027-01-06", "due:2027-01-06 remind:2027-01-05 15:00", 1)
			}, true},
			{"the same line again", func(b string) string { return b }, false},
			{"ticked", func(b string) string { return strings.Replace(b, "!! ", "- [x] ", 1) }, true},
			{"a question", func(b string) string { return b + "?? is the budget final\n" }, true},
			{"the question reworded", func(b string) string { return strings.Replace(b, "budget final", "budget signed", 1) }, false},
			{"the question names someone", func(b string) string { return strings.Replace(b, "budget signed", "budget signed by @alice", 1) }, true},
		}
		for _, s := range steps {
			before := queued()
			save(s.edit(note.Body))
			if got := queued() > before; got != s.queue {
				t.Errorf("%s: planning queued %v, want %v", s.what, got, s.queue)
			}
		}
	})
}
