// Package webhook posts reminders to the webhooks people register: one
// JSON body per delivery, signed with the webhook's secret
// (X-Debrief-Signature: sha256=<hex HMAC-SHA256 of the body>), with a
// Slack-compatible top-level "text" so a Slack or Mattermost incoming
// webhook shows it as it is. Outbound requests go through the egress
// policy: a webhook cannot probe the server's own network.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/egress"
	"github.com/debrief-hq/debrief/internal/remind"
)

// Targets finds where a webhook posts and the secret it signs with, and
// keeps its last failure for its owner to see.
type Targets interface {
	WebhookTarget(ctx context.Context, owner, id string) (string, []byte, error)
	WebhookFailed(ctx context.Context, id, msg string) error
}

// Poster sends deliveries to webhooks.
type Poster struct {
	client  *http.Client
	targets Targets
}

// New builds a poster whose requests the policy guards.
func New(policy *egress.Policy, targets Targets, timeout time.Duration) *Poster {
	return &Poster{targets: targets, client: &http.Client{
		Transport: policy.Transport(timeout),
		Timeout:   timeout,
		// A redirect is an answer, not a delivery: a POST is not re-sent
		// to wherever it points.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Payload is the JSON a webhook receives.
type Payload struct {
	Type string `json:"type"`
	// ID is the delivery's: the same on a retry, for the receiver to drop
	// a second copy.
	ID         string         `json:"id"`
	OccurredAt time.Time      `json:"occurred_at"`
	Data       map[string]any `json:"data"`
	// Text is the message as Slack and Mattermost show it.
	Text string `json:"text"`
}

// Body is the exact bytes a delivery posts.
func Body(o remind.Outgoing) []byte {
	data := o.Message.Data
	if data == nil {
		data = map[string]any{}
	}
	data["subject"], data["url"] = o.Message.Subject, o.Message.Link
	b, _ := json.Marshal(Payload{Type: o.Kind, ID: o.ID, OccurredAt: o.At.UTC(), Data: data, Text: o.Message.Text})
	return b
}

// Sign is the X-Debrief-Signature of a body.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Send posts one delivery. A 2xx is delivered; a 408, 429 or 5xx, or no
// answer, is tried again; any other answer is final.
func (p *Poster) Send(ctx context.Context, o remind.Outgoing) error {
	target, secret, err := p.targets.WebhookTarget(ctx, o.Owner.ID, o.WebhookID)
	if apperr.Is(err, apperr.KindNotFound) {
		return remind.Permanent(err)
	}
	if err != nil {
		return err
	}
	body := Body(o)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return remind.Permanent(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Debrief-Webhook/1")
	req.Header.Set("X-Debrief-Event", o.Kind)
	req.Header.Set("X-Debrief-Delivery", o.ID)
	req.Header.Set("X-Debrief-Signature", Sign(secret, body))
	res, err := p.client.Do(req)
	if err != nil {
		_ = p.targets.WebhookFailed(ctx, o.WebhookID, err.Error())
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	switch code := res.StatusCode; {
	case code >= 200 && code < 300:
		_ = p.targets.WebhookFailed(ctx, o.WebhookID, "")
		return nil
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500:
		err = fmt.Errorf("the webhook answered %s", res.Status)
		_ = p.targets.WebhookFailed(ctx, o.WebhookID, err.Error())
		return err
	default:
		err = fmt.Errorf("the webhook answered %s", res.Status)
		_ = p.targets.WebhookFailed(ctx, o.WebhookID, err.Error())
		return remind.Permanent(err)
	}
}
