package remind

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/debrief-hq/debrief/internal/actionitem"
	"github.com/debrief-hq/debrief/internal/agenda"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/meeting"
	"github.com/debrief-hq/debrief/internal/question"
)

// Claim is a delivery one instance took to send: due and pending, or
// claimed earlier by an instance that stopped mid-send.
type Claim struct {
	ID        string
	OwnerID   string
	Kind      string
	Channel   string
	Ref       string
	Key       string
	WebhookID string
	At        time.Time
	Attempts  int
	// Resend: an earlier claim of it stopped mid-send, so it may have gone
	// out; it goes again with the same id for the receiver to drop.
	Resend bool
	// Message is what an earlier attempt rendered (nil: not rendered yet).
	Message *Message
}

// Delivery states.
const (
	StatusPending   = "pending"
	StatusSent      = "sent"
	StatusFailed    = "failed"
	StatusCancelled = "cancelled"
)

// Outcome is how a delivery ended, or when it is tried again.
type Outcome struct {
	// Status is sent, pending (a retry at RetryAt), failed or cancelled.
	Status  string
	RetryAt time.Time
	Reason  string
}

// Store is what reminders need of the database.
type Store interface {
	// RemindOwners lists user ids after `after`, in order, up to limit.
	RemindOwners(ctx context.Context, after string, limit int) ([]string, error)
	// RemindSnapshots loads owners' planning snapshots, meetings from
	// `from` to `to`.
	RemindSnapshots(ctx context.Context, owners []string, from, to time.Time, emailOn bool) ([]Snapshot, error)
	// RecordPlan reconciles each owner's pending deliveries with their plan.
	RecordPlan(ctx context.Context, plans map[string][]Delivery) (Recorded, error)
	// ClaimDeliveries takes up to limit deliveries due at now (pending, or
	// claimed before staleBefore and never finished).
	ClaimDeliveries(ctx context.Context, now, staleBefore time.Time, limit int) ([]Claim, error)
	// SaveMessage keeps a claimed delivery's rendered message.
	SaveMessage(ctx context.Context, id string, m Message) error
	// FinishDelivery records an outcome (an in-app one that is sent is
	// pushed to the owner's open tabs).
	FinishDelivery(ctx context.Context, c Claim, o Outcome) error
	// RemindOwner is one owner with their settings and webhooks.
	RemindOwner(ctx context.Context, id string, emailOn bool) (Owner, error)
	AccountStore
}

// Recorded counts what recording plans changed.
type Recorded struct{ Inserted, Moved, Cancelled int }

// Graph reads what a message is about.
type Graph struct {
	ActionItem func(ctx context.Context, owner, id string) (actionitem.Item, error)
	Question   func(ctx context.Context, owner, id string) (question.Question, error)
	Meeting    func(ctx context.Context, owner, id string) (meeting.Detail, error)
	// MeetingAt is the owner's meeting starting at t (a next-meeting
	// reminder's).
	MeetingAt func(ctx context.Context, owner string, t time.Time) (meeting.Meeting, error)
	Brief     func(ctx context.Context, owner, meetingID string) (agenda.Brief, error)
	Day       func(ctx context.Context, owner string, date time.Time, loc *time.Location) (agenda.Today, error)
}

// Outgoing is a message on its way out on one channel.
type Outgoing struct {
	// ID identifies the delivery: the email's Message-ID and the webhook's
	// delivery id, the same on every attempt.
	ID        string
	Owner     Owner
	Kind      string
	WebhookID string
	At        time.Time
	Message   Message
	Attempt   int
	Resend    bool
	// Actions are signed one-click links (Done, Snooze 1 day) for email.
	Actions []Action
	// Unsubscribe is the signed link that stops this kind by email.
	Unsubscribe string
}

// Action is a labelled link.
type Action struct {
	Label string
	URL   string
}

// Sender sends on one channel. An error wrapped by Permanent is not tried
// again.
type Sender interface {
	Send(ctx context.Context, o Outgoing) error
}

type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// Permanent marks an error that a retry cannot fix (a refused address, a
// deleted webhook, a 4xx).
func Permanent(err error) error { return permanent{err} }

// Options configure the service.
type Options struct {
	Log *slog.Logger
	// Secret signs email links and seals webhook secrets (the server's).
	Secret []byte
	// CheckURL refuses webhook addresses outbound requests may not reach.
	CheckURL func(ctx context.Context, rawURL string) error
	// Recaps emails recaps to attendees (nil: email is off).
	Recaps RecapMailer
	// BaseURL is the client's address, for links in messages.
	BaseURL string
	// Email sends email (nil: email is off).
	Email Sender
	// Webhooks posts to webhooks (nil: webhooks are off).
	Webhooks Sender
	// Now is the clock (tests drive it).
	Now func() time.Time
	// RetryFor is how long a failing delivery is retried (0: a day).
	RetryFor time.Duration
	// StaleAfter is how long a claim may run before another instance takes
	// the delivery over (0: two minutes; sends time out well before).
	StaleAfter time.Duration
	// Batch is how many owners a planning pass reads at once, and how many
	// deliveries a claim takes (0: 500 and 200).
	PlanBatch, ClaimBatch int
	// Parallel is how many deliveries are sent at once (0: 16).
	Parallel int
}

// Service plans and delivers reminders.
type Service struct {
	store Store
	graph Graph
	items Items
	o     Options
	log   *slog.Logger
}

// NewService builds the service.
func NewService(st Store, g Graph, items Items, o Options) *Service {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.RetryFor <= 0 {
		o.RetryFor = 24 * time.Hour
	}
	if o.StaleAfter <= 0 {
		o.StaleAfter = 2 * time.Minute
	}
	if o.PlanBatch <= 0 {
		o.PlanBatch = 500
	}
	if o.ClaimBatch <= 0 {
		o.ClaimBatch = 200
	}
	if o.Parallel <= 0 {
		o.Parallel = 16
	}
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	return &Service{store: st, graph: g, items: items, o: o, log: o.Log.With("component", "remind")}
}

// UseWebhooks sets what posts to webhooks (it reads their targets from
// the service, so it is made after it).
func (s *Service) UseWebhooks(w Sender) { s.o.Webhooks = w }

// EmailOn reports whether the server sends email.
func (s *Service) EmailOn() bool { return s.o.Email != nil }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.o.Now() }

// PlanAll is the daily pass, run every hour: every owner's reminders for
// the next Ahead are recorded, what changed since withdrawn or moved.
func (s *Service) PlanAll(ctx context.Context) (Recorded, error) {
	var total Recorded
	after := ""
	for {
		owners, err := s.store.RemindOwners(ctx, after, s.o.PlanBatch)
		if err != nil {
			return total, err
		}
		if len(owners) == 0 {
			return total, nil
		}
		r, err := s.plan(ctx, owners)
		if err != nil {
			return total, err
		}
		total.Inserted += r.Inserted
		total.Moved += r.Moved
		total.Cancelled += r.Cancelled
		after = owners[len(owners)-1]
	}
}

// PlanOwner plans one owner again (their graph or settings changed).
func (s *Service) PlanOwner(ctx context.Context, owner string) (Recorded, error) {
	return s.plan(ctx, []string{owner})
}

func (s *Service) plan(ctx context.Context, owners []string) (Recorded, error) {
	now := s.o.Now()
	snaps, err := s.store.RemindSnapshots(ctx, owners, now.Add(-Late-24*time.Hour), now.Add(Ahead), s.EmailOn())
	if err != nil {
		return Recorded{}, err
	}
	plans := make(map[string][]Delivery, len(owners))
	for _, id := range owners {
		plans[id] = nil // an owner with nothing planned has everything pending withdrawn
	}
	for _, sn := range snaps {
		plans[sn.Owner.ID] = Fanout(sn.Owner, Plan(sn, now))
	}
	return s.store.RecordPlan(ctx, plans)
}

// Deliver sends what is due, in batches, until nothing due is left. Each
// delivery is claimed by one instance: several can run at once.
func (s *Service) Deliver(ctx context.Context) (int, error) {
	sent := 0
	for {
		now := s.o.Now()
		claims, err := s.store.ClaimDeliveries(ctx, now, now.Add(-s.o.StaleAfter), s.o.ClaimBatch)
		if err != nil {
			return sent, err
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		var firstErr error
		sem := make(chan struct{}, s.o.Parallel)
		for _, c := range claims {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				ok, err := s.deliver(ctx, c)
				mu.Lock()
				defer mu.Unlock()
				if ok {
					sent++
				}
				if err != nil && firstErr == nil {
					firstErr = err
				}
			}()
		}
		wg.Wait()
		if firstErr != nil {
			return sent, firstErr
		}
		if len(claims) < s.o.ClaimBatch {
			return sent, nil
		}
	}
}

// deliver sends one claimed delivery and records how it ended; the error
// is the store's (a send that fails is retried or given up on).
func (s *Service) deliver(ctx context.Context, c Claim) (bool, error) {
	now := s.o.Now()
	if Folded(c.Kind, c.Key, c.At, now) {
		return false, s.store.FinishDelivery(ctx, c, Outcome{Status: StatusCancelled, Reason: "over a day late: the overdue digest lists it"})
	}
	owner, err := s.store.RemindOwner(ctx, c.OwnerID, s.EmailOn())
	if err != nil {
		return false, err
	}
	m := c.Message
	if m == nil {
		content, err := s.content(ctx, owner, c, now)
		if apperr.Is(err, apperr.KindNotFound) {
			return false, s.store.FinishDelivery(ctx, c, Outcome{Status: StatusCancelled, Reason: "what it was about is gone"})
		}
		if err != nil {
			return false, err
		}
		msg, ok := Render(content)
		if !ok {
			return false, s.store.FinishDelivery(ctx, c, Outcome{Status: StatusCancelled, Reason: "nothing to say any more"})
		}
		if err := s.store.SaveMessage(ctx, c.ID, msg); err != nil {
			return false, err
		}
		m = &msg
	}
	if c.Resend {
		s.log.Warn("sending again a delivery whose last attempt stopped mid-send; it carries the same id, for the receiver to drop if it got it",
			"id", c.ID, "channel", c.Channel, "kind", c.Kind, "attempt", c.Attempts)
	}
	out := Outgoing{ID: c.ID, Owner: owner, Kind: c.Kind, WebhookID: c.WebhookID, At: c.At, Message: *m, Attempt: c.Attempts, Resend: c.Resend}
	if c.Channel == Email {
		out.Actions, out.Unsubscribe = s.emailLinks(owner.ID, c.Kind, *m)
	}
	var sender Sender
	switch c.Channel {
	case InApp:
		return true, s.store.FinishDelivery(ctx, c, Outcome{Status: StatusSent})
	case Email:
		sender = s.o.Email
	case Webhook:
		sender = s.o.Webhooks
	}
	if sender == nil {
		return false, s.store.FinishDelivery(ctx, c, Outcome{Status: StatusCancelled, Reason: c.Channel + " is off on this server"})
	}
	// A send ends well before another instance would take it over.
	sendCtx, cancel := context.WithTimeout(ctx, min(time.Minute, s.o.StaleAfter*3/4))
	err = sender.Send(sendCtx, out)
	cancel()
	if err == nil {
		return true, s.store.FinishDelivery(ctx, c, Outcome{Status: StatusSent})
	}
	reason := err.Error()
	if len(reason) > 500 {
		reason = reason[:500]
	}
	var p permanent
	if errors.As(err, &p) || now.Sub(c.At) > s.o.RetryFor {
		s.log.Warn("reminder not delivered", "id", c.ID, "channel", c.Channel, "kind", c.Kind, "err", err)
		return false, s.store.FinishDelivery(ctx, c, Outcome{Status: StatusFailed, Reason: reason})
	}
	retry := now.Add(Backoff(c.Attempts))
	s.log.Info("reminder delivery failed; trying again", "id", c.ID, "channel", c.Channel, "at", retry, "err", err)
	return false, s.store.FinishDelivery(ctx, c, Outcome{Status: StatusPending, RetryAt: retry, Reason: reason})
}

// Backoff is the wait before attempt n+1: 30 s doubling to an hour.
func Backoff(attempt int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempt && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// content reads what a delivery is about.
func (s *Service) content(ctx context.Context, owner Owner, c Claim, now time.Time) (Content, error) {
	ct := Content{Kind: c.Kind, Owner: owner, BaseURL: s.o.BaseURL, Now: now}
	kind, id, _ := strings.Cut(c.Ref, ":")
	switch c.Kind {
	case KindDue, KindNextMeeting:
		switch kind {
		case "item":
			a, err := s.graph.ActionItem(ctx, owner.ID, id)
			if err != nil {
				return ct, err
			}
			ct.Action = &a
		case "question":
			q, err := s.graph.Question(ctx, owner.ID, id)
			if err != nil {
				return ct, err
			}
			ct.Question = &q
		default:
			return ct, apperr.NotFound("item")
		}
		if c.Kind == KindNextMeeting {
			m, err := s.graph.MeetingAt(ctx, owner.ID, c.At)
			if err != nil {
				return ct, err
			}
			ct.Meeting = &m
		}
	case KindRecap:
		d, err := s.graph.Meeting(ctx, owner.ID, id)
		if err != nil {
			return ct, err
		}
		ct.Detail = &d
		ct.AttendeeRecap = d.SeriesID != nil && slices.Contains(owner.Settings.RecapSeries, *d.SeriesID)
	case KindPrep:
		b, err := s.graph.Brief(ctx, owner.ID, id)
		if err != nil {
			return ct, err
		}
		ct.Brief = &b
	case KindOverdue, KindMorning:
		loc := owner.Location
		if loc == nil {
			loc = time.UTC
		}
		// The digest of the day it was planned for, as things stand now.
		d, err := s.graph.Day(ctx, owner.ID, c.At.In(loc), loc)
		if err != nil {
			return ct, err
		}
		ct.Day = &d
	default:
		return ct, fmt.Errorf("remind: unknown kind %q", c.Kind)
	}
	return ct, nil
}

// Recap previews the recap of a meeting as its attendees would get it.
func (s *Service) Recap(ctx context.Context, owner, meetingID string) (Message, error) {
	o, err := s.store.RemindOwner(ctx, owner, s.EmailOn())
	if err != nil {
		return Message{}, err
	}
	d, err := s.graph.Meeting(ctx, owner, meetingID)
	if err != nil {
		return Message{}, err
	}
	m, ok := Render(Content{Kind: KindRecap, Owner: o, BaseURL: s.o.BaseURL, Now: s.o.Now(), Detail: &d, ForAttendees: true})
	if !ok {
		return Message{}, apperr.Invalid("this meeting has nothing to recap yet: its note is empty")
	}
	return m, nil
}
