package calendar

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/cursor"
)

// SyncResult is what one sync of a connection did.
type SyncResult struct {
	Summary
	Errors []Problem
}

// AddICS subscribes to a feed: the connection is saved and its first sync
// queued.
func (s *Service) AddICS(ctx context.Context, owner, rawURL, name string) (Connection, error) {
	u, err := FeedURL(rawURL)
	if err == nil {
		err = s.checkURL(ctx, u)
	}
	if err != nil {
		return Connection{}, err
	}
	// A feed that is not there (404, 410, 401, 403…) is refused now, with
	// its answer, rather than stored as active to fail every sync; one
	// that fails otherwise (a timeout, a 503) may recover and is kept.
	if s.fetch != nil {
		var st FeedStatus
		if _, err := s.fetch(ctx, u, "", ""); errors.As(err, &st) && st.Code >= 400 && st.Code < 500 && st.Code != 429 {
			return Connection{}, URLError("answered " + st.Status + ": is the address right (and the calendar shared)?")
		}
	}
	var f apperr.Fields
	f.MaxLen("name", name, 200)
	if err := f.Err(); err != nil {
		return Connection{}, err
	}
	if name = strings.TrimSpace(name); name == "" {
		if pu, err := url.Parse(u); err == nil {
			name = pu.Host
		}
	}
	c, err := s.store.CreateConnection(ctx, owner, Connection{Provider: ProviderICS, Name: name, FeedURL: u,
		Calendars: []Calendar{{ProviderID: u, Name: name, Selected: true}}})
	if err != nil {
		return Connection{}, err
	}
	s.queue(ctx, c.ID)
	return c, nil
}

func (s *Service) queue(ctx context.Context, id string) {
	if err := s.enqueue(ctx, id); err != nil {
		// The periodic scheduler picks the connection up anyway: its next
		// sync is due.
		s.log.Warn("could not queue a calendar sync", "connection", id, "err", err)
	}
}

func (s *Service) List(ctx context.Context, owner string, page cursor.Page) (cursor.Result[Connection], error) {
	return s.store.ListConnections(ctx, owner, page)
}

// All lists every connection of the owner.
func (s *Service) All(ctx context.Context, owner string) ([]Connection, error) {
	var out []Connection
	page := cursor.Page{Limit: cursor.MaxLimit}
	for {
		res, err := s.store.ListConnections(ctx, owner, page)
		if err != nil {
			return nil, err
		}
		out = append(out, res.Items...)
		if res.NextCursor == "" {
			return out, nil
		}
		if page, err = cursor.Parse(cursor.MaxLimit, res.NextCursor); err != nil {
			return nil, err
		}
	}
}

func (s *Service) Get(ctx context.Context, owner, id string) (Connection, error) {
	return s.store.GetConnection(ctx, owner, id)
}

// Update renames a connection and chooses which of its calendars sync; a
// change queues a sync.
func (s *Service) Update(ctx context.Context, owner, id string, name *string, selected map[string]bool) (Connection, error) {
	var f apperr.Fields
	if name != nil {
		trimmed := strings.TrimSpace(*name)
		name = &trimmed
		if trimmed == "" {
			f.Add("name", "must not be empty (leave it out to keep the name)")
		}
		f.MaxLen("name", trimmed, 200)
	}
	if err := f.Err(); err != nil {
		return Connection{}, err
	}
	c, err := s.store.UpdateConnection(ctx, owner, id, name, selected)
	if err == nil && len(selected) > 0 {
		s.queue(ctx, id)
	}
	return c, err
}

// Delete stops syncing a connection (and closes its Google push channels,
// best effort). Its meetings stay, notes and all.
func (s *Service) Delete(ctx context.Context, owner, id string) error {
	c, err := s.store.GetConnection(ctx, owner, id)
	if err != nil {
		return err
	}
	if c.Provider == ProviderGoogle && s.google != nil {
		s.stopWatches(ctx, c)
	}
	return s.store.DeleteConnection(ctx, owner, id)
}

func (s *Service) stopWatches(ctx context.Context, c Connection) {
	st, err := s.store.SyncState(ctx, c.ID)
	if err != nil {
		return
	}
	token, err := s.seal.open(st.OAuthToken)
	if err != nil {
		return
	}
	for _, cal := range c.Calendars {
		if w, err := s.store.WatchOf(ctx, cal.ID); err == nil && w.ChannelID != "" {
			if err := s.google.StopWatch(ctx, token, w.ChannelID, w.ResourceID); err != nil {
				s.log.Info("could not stop a Google push channel", "connection", c.ID, "err", err)
			}
		}
	}
}

// Due lists connections whose next sync is due.
func (s *Service) Due(ctx context.Context, limit int) ([]string, error) {
	return s.store.DueConnections(ctx, s.now(), limit)
}

// RequestSync queues a sync of one of the owner's connections.
func (s *Service) RequestSync(ctx context.Context, owner, id string) error {
	if _, err := s.store.GetConnection(ctx, owner, id); err != nil {
		return err
	}
	return s.enqueue(ctx, id)
}

// SyncNow syncs one of the owner's connections and answers when it is done.
func (s *Service) SyncNow(ctx context.Context, owner, id string) (SyncResult, error) {
	if _, err := s.store.GetConnection(ctx, owner, id); err != nil {
		return SyncResult{}, err
	}
	return s.Sync(ctx, id)
}

// Sync runs one sync of a connection: fetch, expand, and apply in one
// transaction with the connection's new position. A failure is recorded on
// the connection (status, last error) and returned.
func (s *Service) Sync(ctx context.Context, id string) (SyncResult, error) {
	st, err := s.store.SyncState(ctx, id)
	if err != nil {
		return SyncResult{}, err
	}
	if st.Status == StatusPaused || st.Status == StatusNeedsReauth {
		return SyncResult{Errors: []Problem{}}, apperr.Conflict("the connection is %s; it does not sync", strings.ReplaceAll(st.Status, "_", " "))
	}
	var res SyncResult
	switch st.Provider {
	case ProviderICS:
		res, err = s.syncICS(ctx, st)
	case ProviderGoogle:
		res, err = s.syncGoogle(ctx, st)
	default:
		err = apperr.Invalid("the %s provider is not configured", st.Provider)
	}
	if err != nil && !errors.Is(ctx.Err(), context.Canceled) {
		status := StatusError
		if apperr.Is(err, apperr.KindUnauthenticated) {
			status = StatusNeedsReauth
		}
		if rerr := s.store.RecordSyncFailure(context.WithoutCancel(ctx), id, status, err.Error(), s.now().Add(s.interval)); rerr != nil {
			s.log.Error("could not record a failed sync", "connection", id, "err", rerr)
		}
		if status == StatusNeedsReauth {
			// Not the caller's credentials: the connection's. It waits
			// for the person to connect the account again.
			return res, &apperr.Error{Kind: apperr.KindConflict, Message: apperr.Message(err) + " (the connection now needs re-consent)", Err: err}
		}
	}
	return res, err
}

func (s *Service) syncICS(ctx context.Context, st SyncState) (SyncResult, error) {
	res := SyncResult{Errors: []Problem{}}
	now := s.now()
	outcome := &SyncOutcome{ConnectionID: st.ID, ETag: st.ETag, LastModified: st.LastModified, SyncedAt: now, NextSyncAt: now.Add(s.interval)}
	batch := Batch{Owner: st.Owner.ID, UserEmail: st.Owner.Email, UserTZ: st.Owner.TimeZone, Outcome: outcome}
	if len(st.Calendars) == 0 || !st.Calendars[0].Selected {
		// Not chosen: nothing to fetch, the position stays.
		sum, err := s.store.ApplyEvents(ctx, &batch)
		res.Summary = sum
		return res, err
	}
	fetched, err := s.fetch(ctx, st.FeedURL, st.ETag, st.LastModified)
	if err != nil {
		return res, err
	}
	outcome.ETag, outcome.LastModified = fetched.ETag, fetched.LastModified
	if fetched.NotModified {
		sum, err := s.store.ApplyEvents(ctx, &batch)
		res.Summary = sum
		return res, err
	}
	w := DefaultWindow(now)
	feed := s.parseICS(fetched.Body, w, st.Owner.Location())
	for _, p := range feed.Problems {
		if len(res.Errors) < maxReported {
			res.Errors = append(res.Errors, p)
		}
	}
	if feed.Components == 0 && len(feed.Events) == 0 && len(feed.Series) == 0 && len(feed.Problems) > 0 {
		// Not a calendar at all (an error page, a login form): keep every
		// meeting rather than sweep them away.
		return res, apperr.Upstream(nil, "the feed is not an iCalendar file: %s", feed.Problems[0].Reason)
	}
	batch.CalendarID = st.Calendars[0].ID
	batch.Events, batch.Series, batch.Cancel = feed.Events, feed.Series, feed.Cancellations
	feed.Events, feed.Series = nil, nil // the batch's now: ApplyEvents lets go of them once read
	batch.Sweep, batch.SweepWindow = true, w
	if _, p := batch.Limit(s.limit); p != nil {
		res.Errors = append(res.Errors, *p)
	}
	for _, p := range feed.Problems {
		if p.Skipped && p.UID == "" {
			// Something unnamed was left out: it may be any meeting, so
			// this sync cancels none for being absent.
			batch.Sweep = false
		}
		if p.Skipped && p.UID != "" {
			batch.Keep = append(batch.Keep, p.UID)
		}
	}
	sum, err := s.store.ApplyEvents(ctx, &batch)
	res.Summary = sum
	return res, err
}
