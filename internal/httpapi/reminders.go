package httpapi

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/remind"
)

// apiReminderSettings are the settings with what the server offers.
type apiReminderSettings struct {
	remind.Settings
	EmailEnabled bool     `json:"email_enabled"`
	Kinds        []string `json:"kinds"`
}

func (s *server) toAPISettings(set remind.Settings) apiReminderSettings {
	if set.RecapSeries == nil {
		set.RecapSeries = []string{}
	}
	return apiReminderSettings{Settings: set, EmailEnabled: s.svc.Reminders.EmailOn(), Kinds: remind.Kinds}
}

func (s *server) getReminderSettings(c *fiber.Ctx) error {
	set, err := s.svc.Reminders.Settings(c.UserContext(), principal(c).User.ID)
	if err != nil {
		return err
	}
	return c.JSON(s.toAPISettings(set))
}

func (s *server) putReminderSettings(c *fiber.Ctx) error {
	var in remind.SettingsInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	set, err := s.svc.Reminders.UpdateSettings(c.UserContext(), principal(c).User.ID, in)
	if err != nil {
		return err
	}
	return c.JSON(s.toAPISettings(set))
}

type apiNotification struct {
	ID      string         `json:"id"`
	Kind    string         `json:"kind"`
	Subject string         `json:"subject"`
	Text    string         `json:"text"`
	URL     string         `json:"url"`
	Data    map[string]any `json:"data"`
	SentAt  time.Time      `json:"sent_at"`
	ReadAt  *time.Time     `json:"read_at"`
}

func (s *server) listNotifications(c *fiber.Ctx) error {
	limit := remind.NotificationLimit
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > remind.NotificationLimit {
			var f apperr.Fields
			f.Add("limit", "must be a whole number from 1 to %d", remind.NotificationLimit)
			return f.Err()
		}
		limit = n
	}
	ns, unread, err := s.svc.Reminders.Notifications(c.UserContext(), principal(c).User.ID, limit)
	if err != nil {
		return err
	}
	items := mapAll(ns, func(n remind.Notification) apiNotification {
		data := n.Message.Data
		if data == nil {
			data = map[string]any{}
		}
		return apiNotification{ID: n.ID, Kind: n.Kind, Subject: n.Message.Subject, Text: n.Message.Text, URL: n.Message.Link,
			Data: data, SentAt: n.SentAt, ReadAt: n.ReadAt}
	})
	return c.JSON(fiber.Map{"items": items, "unread": unread})
}

func (s *server) readNotification(c *fiber.Ctx) error {
	id, err := pathID(c, "notification")
	if err != nil {
		return err
	}
	if err := s.svc.Reminders.Read(c.UserContext(), principal(c).User.ID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *server) readAllNotifications(c *fiber.Ctx) error {
	if err := s.svc.Reminders.Read(c.UserContext(), principal(c).User.ID, ""); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type apiWebhook struct {
	ID        string    `json:"id"`
	URL       string    `json:"url"`
	Events    []string  `json:"events"`
	LastError string    `json:"last_error"`
	CreatedAt time.Time `json:"created_at"`
	// Secret is shown once, when the webhook is made.
	Secret string `json:"secret,omitempty"`
}

func toAPIWebhook(w remind.WebhookInfo) apiWebhook {
	return apiWebhook{ID: w.ID, URL: w.URL, Events: w.Events, LastError: w.LastError, CreatedAt: w.CreatedAt}
}

func (s *server) createWebhook(c *fiber.Ctx) error {
	var req struct {
		URL    string   `json:"url"`
		Events []string `json:"events"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	w, secret, err := s.svc.Reminders.CreateWebhook(c.UserContext(), principal(c).User.ID, remind.WebhookInput{URL: req.URL, Events: req.Events})
	if err != nil {
		return err
	}
	out := toAPIWebhook(w)
	out.Secret = secret
	return c.Status(fiber.StatusCreated).JSON(out)
}

func (s *server) listWebhooks(c *fiber.Ctx) error {
	ws, err := s.svc.Reminders.Webhooks(c.UserContext(), principal(c).User.ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": mapAll(ws, toAPIWebhook)})
}

func (s *server) deleteWebhook(c *fiber.Ctx) error {
	id, err := pathID(c, "webhook")
	if err != nil {
		return err
	}
	if err := s.svc.Reminders.DeleteWebhook(c.UserContext(), principal(c).User.ID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type apiRecap struct {
	Subject string         `json:"subject"`
	Text    string         `json:"text"`
	HTML    string         `json:"html"`
	Data    map[string]any `json:"data"`
	// To are the attendees a send would reach.
	To           []string `json:"to"`
	EmailEnabled bool     `json:"email_enabled"`
}

func (s *server) previewRecap(c *fiber.Ctx) error {
	id, err := pathID(c, "meeting")
	if err != nil {
		return err
	}
	owner := principal(c).User.ID
	m, err := s.svc.Reminders.Recap(c.UserContext(), owner, id)
	if err != nil {
		return err
	}
	d, err := s.svc.Meetings.Get(c.UserContext(), owner, id)
	if err != nil {
		return err
	}
	to := []string{}
	for _, a := range d.Attendees {
		if a.Email != "" && !strings.EqualFold(a.Email, principal(c).User.Email) {
			to = append(to, a.Email)
		}
	}
	return c.JSON(apiRecap{Subject: m.Subject, Text: m.Text, HTML: m.HTML, Data: m.Data, To: to, EmailEnabled: s.svc.Reminders.EmailOn()})
}

func (s *server) sendRecap(c *fiber.Ctx) error {
	id, err := pathID(c, "meeting")
	if err != nil {
		return err
	}
	to, err := s.svc.Reminders.SendRecap(c.UserContext(), principal(c).User.ID, id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"sent_to": to})
}

// linkPage is the page a signed email link opens: it asks before it acts
// (mail scanners follow links), and says what happened.
var linkPage = template.Must(template.New("link").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Debrief</title></head>
<body>
<main>
<h1>Debrief</h1>
<p>{{.Message}}</p>
{{if .Confirm}}<form method="post"><button type="submit">{{.Confirm}}</button></form>{{end}}
<p><a href="/">Open Debrief</a></p>
</main>
</body></html>`))

func renderLinkPage(c *fiber.Ctx, status int, message, confirm string) error {
	var b strings.Builder
	_ = linkPage.Execute(&b, map[string]string{"Message": message, "Confirm": confirm})
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).SendString(b.String())
}

// linkConfirm shows what a link would do, with the button that does it.
func (s *server) linkConfirm(c *fiber.Ctx) error {
	l, err := s.svc.Reminders.ParseLink(c.Params("token"))
	if err != nil {
		return renderLinkPage(c, linkStatus(err), apperr.Message(err)+".", "")
	}
	confirm := "Yes"
	switch l.Action {
	case remind.LinkDone:
		confirm = "Mark done"
		if strings.HasPrefix(l.Ref, "question:") {
			confirm = "Mark answered"
		}
	case remind.LinkSnooze:
		confirm = "Snooze 1 day"
	case remind.LinkUnsubscribe:
		confirm = "Unsubscribe"
	}
	return renderLinkPage(c, fiber.StatusOK, l.Describe(), confirm)
}

// linkAct does what a link says: the confirmation page's button, or a
// mail client's one-click unsubscribe (RFC 8058), POST it.
func (s *server) linkAct(c *fiber.Ctx) error {
	l, err := s.svc.Reminders.ParseLink(c.Params("token"))
	if err == nil {
		var said string
		if said, err = s.svc.Reminders.Act(c.UserContext(), l); err == nil {
			return renderLinkPage(c, fiber.StatusOK, said, "")
		}
	}
	msg := apperr.Message(err)
	if apperr.Is(err, apperr.KindNotFound) {
		msg = "This link no longer works: what it was about is gone"
	}
	return renderLinkPage(c, linkStatus(err), msg+".", "")
}

func linkStatus(err error) int {
	switch apperr.KindOf(err) {
	case apperr.KindNotFound:
		return fiber.StatusNotFound
	case apperr.KindInvalid:
		return fiber.StatusGone
	}
	return fiber.StatusInternalServerError
}
