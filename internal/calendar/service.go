package calendar

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/debrief-hq/debrief/internal/apperr"
)

// User is the account a sync or import works for.
type User struct {
	ID       string
	Email    string
	TimeZone string
}

// ParseICS reads an iCalendar feed (calendar/ics provides it).
type ParseICS func(data []byte, w Window, floating *time.Location) *Feed

// Fetch downloads a feed with conditional GET (calendar/ics provides it).
type Fetch func(ctx context.Context, url, etag, lastModified string) (Fetched, error)

// CheckURL refuses a feed URL before it is subscribed to (an address feeds
// may not reach).
type CheckURL func(ctx context.Context, url string) error

// Enqueue asks for a connection to be synced in the background.
type Enqueue func(ctx context.Context, connectionID string) error

// Stores is everything the service keeps.
type Stores interface {
	Store
	ConnectionStore
}

// Options configure the service.
type Options struct {
	ParseICS ParseICS
	Fetch    Fetch
	CheckURL CheckURL
	// Interval is how often a connection is polled.
	Interval time.Duration
	Log      *slog.Logger
	// Google is nil when Google Calendar is not configured.
	Google Google
	// Secret keys the encryption of OAuth tokens at rest.
	Secret []byte
	// Now is the clock (tests replay recorded calendars at their dates).
	Now func() time.Time
	// WebhookURL is where Google pushes changes ("" = poll only).
	WebhookURL string
	// MeetingLimit bounds the meetings one import, or one sync of a
	// connection, applies (0: DefaultMeetingLimit).
	MeetingLimit int
}

// DefaultMeetingLimit is the meetings an import or a connection's sync may
// apply unless configured: about 200 a day over the sync window, for a
// calendar shared by a large team.
const DefaultMeetingLimit = 100_000

// Service imports and syncs calendars.
type Service struct {
	store      Stores
	parseICS   ParseICS
	fetch      Fetch
	checkURL   CheckURL
	enqueue    Enqueue
	interval   time.Duration
	log        *slog.Logger
	google     Google
	seal       tokenSealer
	webhookURL string
	now        func() time.Time
	limit      int
}

// NewService builds the service.
func NewService(store Stores, o Options) *Service {
	if o.Interval <= 0 {
		o.Interval = 15 * time.Minute
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MeetingLimit <= 0 {
		o.MeetingLimit = DefaultMeetingLimit
	}
	if o.CheckURL == nil {
		o.CheckURL = func(context.Context, string) error { return nil }
	}
	return &Service{store: store, parseICS: o.ParseICS, fetch: o.Fetch, checkURL: o.CheckURL, interval: o.Interval, log: o.Log, now: o.Now,
		google: o.Google, seal: newSealer(o.Secret), webhookURL: o.WebhookURL, limit: o.MeetingLimit, enqueue: unwired}
}

// SetEnqueue connects the service to the job queue (which, in turn, runs
// the service's syncs): app.New wires the two side by side. Until then a
// sync asked for is an error, never silently dropped.
func (s *Service) SetEnqueue(e Enqueue) { s.enqueue = e }

// errUnwired is what asking for a sync returns before the queue is wired.
var errUnwired = errors.New("calendar: no job queue wired to run syncs")

func unwired(context.Context, string) error { return errUnwired }

// MaxWindow bounds how far an import may expand series.
const MaxWindow = 5 * 366 * 24 * time.Hour

// maxReported is how many problems an import lists; the rest are counted.
const maxReported = 100

// ImportResult is what an import did and what it could not.
type ImportResult struct {
	Summary
	Skipped int
	Errors  []Problem
}

// Window returns the expansion window for optional from/to bounds: the
// default (90 days back, 365 ahead) where one is missing.
func (s *Service) Window(from, to *time.Time) (Window, error) {
	w := DefaultWindow(s.now())
	if from != nil {
		w.From = *from
	}
	if to != nil {
		w.To = *to
	}
	var f apperr.Fields
	switch {
	case !w.To.After(w.From):
		f.Add("to", "must be after from (%s)", w.From.Format("2006-01-02"))
	case w.To.Sub(w.From) > MaxWindow:
		f.Add("to", "must be within 5 years of from")
	}
	return w, f.Err()
}

// ImportICS imports an iCalendar file: its meetings are created or updated
// (never deleted), and what could not be read is reported, not fatal.
func (s *Service) ImportICS(ctx context.Context, u User, data []byte, w Window) (ImportResult, error) {
	feed := s.parseICS(data, w, u.Location())
	res := ImportResult{Errors: []Problem{}}
	for _, p := range feed.Problems {
		if p.Skipped {
			res.Skipped++
		}
		if len(res.Errors) < maxReported {
			res.Errors = append(res.Errors, p)
		}
	}
	if len(feed.Events) == 0 && len(feed.Series) == 0 && len(feed.Cancellations) == 0 {
		return res, nil
	}
	b := &Batch{Owner: u.ID, UserEmail: u.Email, UserTZ: u.TimeZone, Events: feed.Events, Series: feed.Series, Cancel: feed.Cancellations}
	feed.Events, feed.Series = nil, nil
	if left, p := b.Limit(s.limit); p != nil {
		res.Skipped += left
		res.Errors = append(res.Errors, *p)
	}
	sum, err := s.store.ApplyEvents(ctx, b)
	res.Summary = sum
	return res, err
}
