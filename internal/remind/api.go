package remind

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/seal"
)

// Items is what links and snoozes do to items.
type Items interface {
	// Done completes an action item ("item") or answers a question.
	Done(ctx context.Context, owner, kind, id string) error
	// Snooze moves an item's or a question's remind-me-at.
	Snooze(ctx context.Context, owner, kind, id string, until time.Time) error
}

// AccountStore is what the settings, the in-app list and the webhooks
// need of the database.
type AccountStore interface {
	ReminderSettings(ctx context.Context, owner string) (string, error)
	SaveReminderSettings(ctx context.Context, owner, settings string) error
	Notifications(ctx context.Context, owner string, limit int) ([]Notification, int, error)
	ReadNotifications(ctx context.Context, owner, id string) error
	CreateWebhook(ctx context.Context, owner, url string, events []string, sealedSecret []byte, limit int) (WebhookInfo, error)
	Webhooks(ctx context.Context, owner string) ([]WebhookInfo, error)
	DeleteWebhook(ctx context.Context, owner, id string) error
	// WebhookTarget is where a webhook posts, and its sealed secret.
	WebhookTarget(ctx context.Context, owner, id string) (string, []byte, error)
	SetWebhookError(ctx context.Context, id, msg string) error
}

// Notification is one in-app notification.
type Notification struct {
	ID      string
	Kind    string
	Message Message
	SentAt  time.Time
	ReadAt  *time.Time
}

// WebhookInfo is a webhook as listed (never its secret).
type WebhookInfo struct {
	ID        string
	URL       string
	Events    []string
	LastError string
	CreatedAt time.Time
}

// Settings reads the owner's settings.
func (s *Service) Settings(ctx context.Context, owner string) (Settings, error) {
	raw, err := s.store.ReminderSettings(ctx, owner)
	if err != nil {
		return Settings{}, err
	}
	return LoadSettings(raw, s.EmailOn()), nil
}

// UpdateSettings applies a change to the owner's settings; their
// reminders are planned again.
func (s *Service) UpdateSettings(ctx context.Context, owner string, in SettingsInput) (Settings, error) {
	cur, err := s.Settings(ctx, owner)
	if err != nil {
		return Settings{}, err
	}
	next, err := in.Apply(cur, s.EmailOn())
	if err != nil {
		return Settings{}, err
	}
	if err := s.store.SaveReminderSettings(ctx, owner, next.Store()); err != nil {
		return Settings{}, err
	}
	return next, nil
}

// NotificationLimit bounds the in-app list.
const NotificationLimit = 200

// Notifications lists the owner's in-app notifications, unread first,
// and counts the unread.
func (s *Service) Notifications(ctx context.Context, owner string, limit int) ([]Notification, int, error) {
	if limit <= 0 || limit > NotificationLimit {
		limit = NotificationLimit
	}
	return s.store.Notifications(ctx, owner, limit)
}

// Read marks one notification read, or all with id "".
func (s *Service) Read(ctx context.Context, owner, id string) error {
	return s.store.ReadNotifications(ctx, owner, id)
}

// WebhookLimit is how many webhooks one person may have.
const WebhookLimit = 20

// WebhookInput is a new webhook.
type WebhookInput struct {
	URL string
	// Events are the kinds it receives (nil: every kind).
	Events []string
}

// CreateWebhook adds a webhook and returns its secret, shown this once.
func (s *Service) CreateWebhook(ctx context.Context, owner string, in WebhookInput) (WebhookInfo, string, error) {
	var f apperr.Fields
	in.URL = strings.TrimSpace(in.URL)
	u, err := url.Parse(in.URL)
	switch {
	case in.URL == "":
		f.Add("url", "is required")
	case len(in.URL) > 2048:
		f.Add("url", "must be at most 2048 characters")
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		f.Add("url", "must be an http or https address")
	case u.User != nil:
		f.Add("url", "must not carry a user name or password")
	case s.o.CheckURL != nil:
		if err := s.o.CheckURL(ctx, in.URL); err != nil {
			f.Add("url", "is on a private or reserved network address, which webhooks may not reach on this server")
		}
	}
	if in.Events == nil {
		in.Events = slices.Clone(Kinds)
	}
	if len(in.Events) == 0 {
		f.Add("events", "must list at least one of %s", strings.Join(Kinds, ", "))
	}
	for i, e := range in.Events {
		if !slices.Contains(Kinds, e) {
			f.Add("events["+strconv.Itoa(i)+"]", "is not a kind of reminder (%s)", strings.Join(Kinds, ", "))
		}
	}
	if err := f.Err(); err != nil {
		return WebhookInfo{}, "", err
	}
	in.Events = slices.Compact(slices.Sorted(slices.Values(in.Events)))
	raw := make([]byte, 24)
	rand.Read(raw)
	secret := "whsec_" + hex.EncodeToString(raw)
	w, err := s.store.CreateWebhook(ctx, owner, in.URL, in.Events, s.webhookSealer().Seal([]byte(secret)), WebhookLimit)
	if err != nil {
		return WebhookInfo{}, "", err
	}
	return w, secret, nil
}

// Webhooks lists the owner's webhooks.
func (s *Service) Webhooks(ctx context.Context, owner string) ([]WebhookInfo, error) {
	return s.store.Webhooks(ctx, owner)
}

// DeleteWebhook removes a webhook; what it had pending is not sent.
func (s *Service) DeleteWebhook(ctx context.Context, owner, id string) error {
	return s.store.DeleteWebhook(ctx, owner, id)
}

func (s *Service) webhookSealer() seal.Sealer {
	return seal.New(s.o.Secret, "debrief webhook secret v1")
}

// WebhookTarget is where a delivery posts and the secret it signs with.
func (s *Service) WebhookTarget(ctx context.Context, owner, id string) (string, []byte, error) {
	u, sealed, err := s.store.WebhookTarget(ctx, owner, id)
	if err != nil {
		return "", nil, err
	}
	secret, err := s.webhookSealer().Open(sealed)
	if err != nil {
		return "", nil, err
	}
	return u, secret, nil
}

// WebhookFailed notes a webhook's last failure, for its owner to see.
func (s *Service) WebhookFailed(ctx context.Context, id, msg string) error {
	return s.store.SetWebhookError(ctx, id, msg)
}

// RecapMailer emails a recap to attendees.
type RecapMailer interface {
	SendRecap(ctx context.Context, id string, owner Owner, to []string, m Message) error
}

// SendRecap emails a meeting's recap to its attendees (those with an
// address), with the owner as Reply-To; it returns whom it went to.
func (s *Service) SendRecap(ctx context.Context, owner, meetingID string) ([]string, error) {
	if s.o.Recaps == nil {
		return nil, apperr.Invalid("email is off on this server (it has no DEBRIEF_SMTP_URL), so recaps cannot be sent")
	}
	o, err := s.store.RemindOwner(ctx, owner, s.EmailOn())
	if err != nil {
		return nil, err
	}
	d, err := s.graph.Meeting(ctx, owner, meetingID)
	if err != nil {
		return nil, err
	}
	m, ok := Render(Content{Kind: KindRecap, Owner: o, BaseURL: s.o.BaseURL, Now: s.o.Now(), Detail: &d, ForAttendees: true})
	if !ok {
		return nil, apperr.Invalid("this meeting has nothing to recap yet: its note is empty")
	}
	var to []string
	for _, a := range d.Attendees {
		if a.Email != "" && !strings.EqualFold(a.Email, o.Email) && !slices.Contains(to, a.Email) {
			to = append(to, a.Email)
		}
	}
	if len(to) == 0 {
		return nil, apperr.Invalid("this meeting has no attendees with an email address")
	}
	raw := make([]byte, 12)
	rand.Read(raw)
	if err := s.o.Recaps.SendRecap(ctx, "recap-"+meetingID+"-"+hex.EncodeToString(raw), o, to, m); err != nil {
		return nil, apperr.Upstream(err, "the mail server did not take the recap: %v", err)
	}
	return to, nil
}
