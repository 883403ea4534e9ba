package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/testutil"
)

// TestReminderSurvivesKill kills `debrief serve` with SIGKILL while a
// reminder email is on the wire (the SMTP server has the message but has
// not answered), and restarts it: that email is sent again with the same
// Message-ID, for the receiver to drop, and the log says so; a reminder
// not yet claimed at the kill goes out once after the restart; nothing is
// sent a third time.
func TestReminderSurvivesKill(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		smtp := testutil.NewSMTPServer(t)
		data := filepath.Join(t.TempDir(), "data")
		env := append(baseEnv(t, b, data), "DEBRIEF_SMTP_URL="+smtp.URL(), "DEBRIEF_MAIL_FROM=debrief@example.test",
			"DEBRIEF_REMIND_RESEND_AFTER=5s")
		s := startServer(t, env)
		tok := s.token("kill@example.com")
		// Only email: the in-app copy would otherwise race the email's claim.
		if code, err := s.call("PUT", "/api/v1/settings/reminders", tok, map[string]any{"channels": map[string]any{"reminder.due": []string{"email"}}}, nil); code != 200 {
			t.Fatalf("settings: %d %v", code, err)
		}
		item := func(title string, at time.Time) string {
			var it struct {
				ID string `json:"id"`
			}
			if code, err := s.call("POST", "/api/v1/action-items", tok, map[string]any{"title": title}, &it); code != http.StatusCreated {
				t.Fatalf("create: %d %v", code, err)
			}
			if code, err := s.call("PATCH", "/api/v1/action-items/"+it.ID, tok, map[string]any{"remind_at": at.UTC().Format(time.RFC3339)}, nil); code != 200 {
				t.Fatalf("remind_at: %d %v", code, err)
			}
			return it.ID
		}
		smtp.Hold()
		item("call the bank", time.Now())
		waitUntil(t, 30*time.Second, func() bool { return smtp.Held() == 1 }, "the first email to reach the SMTP server")
		// Due in a few seconds: still pending when the server dies.
		item("water the plants", time.Now().Add(3*time.Second))
		if err := s.stop(syscall.SIGKILL); err == nil || !strings.Contains(err.Error(), "killed") {
			t.Fatalf("SIGKILL: %v", err)
		}
		// The server got the message; the sender died before the answer.
		smtp.Release()
		first := smtp.WaitFor(t, 1, 5*time.Second)[0]

		s2 := startServer(t, env)
		got := smtp.WaitFor(t, 3, 60*time.Second)
		time.Sleep(3 * time.Second) // a duplicate would come within a sweep or two
		got = smtp.Messages()
		bySubject := map[string][]string{}
		for _, m := range got {
			bySubject[m.Header.Get("Subject")] = append(bySubject[m.Header.Get("Subject")], m.Header.Get("Message-Id"))
		}
		bank, plants := bySubject["Reminder: call the bank"], bySubject["Reminder: water the plants"]
		if len(got) != 3 || len(bank) != 2 || len(plants) != 1 {
			t.Fatalf("after the restart: %v", bySubject)
		}
		if bank[0] != bank[1] || bank[0] != first.Header.Get("Message-Id") {
			t.Errorf("the resent email has another Message-ID: %q", bank)
		}
		if !strings.Contains(s2.logs.String(), "sending again a delivery whose last attempt stopped mid-send") {
			t.Errorf("the log does not say the email went again:\n%s", s2.logs)
		}
	})
}

func waitUntil(t *testing.T, within time.Duration, ok func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", within, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
