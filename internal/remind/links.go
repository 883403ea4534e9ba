package remind

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/debrief-hq/debrief/internal/apperr"
)

// Link actions: what a signed link in an email does once confirmed.
const (
	LinkDone        = "done"
	LinkSnooze      = "snooze"
	LinkUnsubscribe = "unsubscribe"
)

// Link is what a signed link says: who, what, on what, until when.
type Link struct {
	Action string `json:"a"`
	Owner  string `json:"o"`
	// Ref is the item ("item:<id>", "question:<id>") of done and snooze,
	// the kind of unsubscribe.
	Ref string `json:"r"`
	// Title is what the confirmation page names.
	Title   string `json:"t,omitempty"`
	Expires int64  `json:"e"`
}

// How long links work: a mail scanner or a forwarded email cannot act
// after that.
const (
	actionLinkTTL      = 14 * 24 * time.Hour
	unsubscribeLinkTTL = 90 * 24 * time.Hour
)

func (s *Service) linkKey() []byte {
	m := hmac.New(sha256.New, s.o.Secret)
	m.Write([]byte("debrief reminder links v1"))
	return m.Sum(nil)
}

// LinkURL signs a link.
func (s *Service) LinkURL(l Link) string {
	body, _ := json.Marshal(l)
	m := hmac.New(sha256.New, s.linkKey())
	m.Write(body)
	enc := base64.RawURLEncoding
	return s.o.BaseURL + "/r/" + enc.EncodeToString(body) + "." + enc.EncodeToString(m.Sum(nil))
}

// ParseLink checks a link's signature and expiry.
func (s *Service) ParseLink(token string) (Link, error) {
	bad := apperr.NotFound("link")
	body64, sig64, ok := strings.Cut(token, ".")
	if !ok {
		return Link{}, bad
	}
	enc := base64.RawURLEncoding
	body, err1 := enc.DecodeString(body64)
	sig, err2 := enc.DecodeString(sig64)
	if err1 != nil || err2 != nil {
		return Link{}, bad
	}
	m := hmac.New(sha256.New, s.linkKey())
	m.Write(body)
	if !hmac.Equal(sig, m.Sum(nil)) {
		return Link{}, bad
	}
	var l Link
	if json.Unmarshal(body, &l) != nil {
		return Link{}, bad
	}
	if s.o.Now().Unix() > l.Expires {
		return Link{}, apperr.Invalid("this link has expired; open Debrief to do it there")
	}
	return l, nil
}

// emailLinks are the one-click links of a reminder email.
func (s *Service) emailLinks(owner string, kind string, m Message) ([]Action, string) {
	now := s.o.Now()
	var actions []Action
	if m.ItemRef != "" {
		title := strings.TrimPrefix(strings.TrimPrefix(m.Subject, "Reminder: "), "Open question: ")
		done := "Done"
		if strings.HasPrefix(m.ItemRef, "question:") {
			done = "Answered"
		}
		exp := now.Add(actionLinkTTL).Unix()
		actions = append(actions,
			Action{Label: done, URL: s.LinkURL(Link{Action: LinkDone, Owner: owner, Ref: m.ItemRef, Title: title, Expires: exp})},
			Action{Label: "Snooze 1 day", URL: s.LinkURL(Link{Action: LinkSnooze, Owner: owner, Ref: m.ItemRef, Title: title, Expires: exp})})
	}
	unsub := s.LinkURL(Link{Action: LinkUnsubscribe, Owner: owner, Ref: kind, Expires: now.Add(unsubscribeLinkTTL).Unix()})
	return actions, unsub
}

// Describe is what the confirmation page asks.
func (l Link) Describe() string {
	switch l.Action {
	case LinkDone:
		if strings.HasPrefix(l.Ref, "question:") {
			return "Mark “" + l.Title + "” answered?"
		}
		return "Mark “" + l.Title + "” done?"
	case LinkSnooze:
		return "Remind you of “" + l.Title + "” again in a day?"
	case LinkUnsubscribe:
		return "Stop emails about " + kindName(l.Ref) + "? They still appear in the app."
	}
	return ""
}

func kindName(kind string) string {
	switch kind {
	case KindDue:
		return "due items and reminders"
	case KindOverdue:
		return "overdue items"
	case KindMorning:
		return "your day (the morning digest)"
	case KindRecap:
		return "meeting recaps"
	case KindPrep:
		return "meeting preparation"
	case KindNextMeeting:
		return "things to bring up at your next meetings"
	}
	return kind
}

// Act does what a confirmed link says, and returns what to tell the person.
func (s *Service) Act(ctx context.Context, l Link) (string, error) {
	kind, id, _ := strings.Cut(l.Ref, ":")
	switch l.Action {
	case LinkDone:
		if err := s.items.Done(ctx, l.Owner, kind, id); err != nil {
			return "", err
		}
		return "Done: “" + l.Title + "”.", nil
	case LinkSnooze:
		until := s.o.Now().Add(24 * time.Hour).Truncate(time.Minute)
		if err := s.items.Snooze(ctx, l.Owner, kind, id, until); err != nil {
			return "", err
		}
		return "You will be reminded of “" + l.Title + "” again in a day.", nil
	case LinkUnsubscribe:
		raw, err := s.store.ReminderSettings(ctx, l.Owner)
		if err != nil {
			return "", err
		}
		set := LoadSettings(raw, s.EmailOn())
		set.Channels[l.Ref] = slices.DeleteFunc(set.Channels[l.Ref], func(c string) bool { return c == Email })
		if err := s.store.SaveReminderSettings(ctx, l.Owner, set.Store()); err != nil {
			return "", err
		}
		return "You will no longer get emails about " + kindName(l.Ref) + ".", nil
	}
	return "", apperr.NotFound("link")
}
