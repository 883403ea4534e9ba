// Package google syncs Google Calendar: OAuth 2.0 with PKCE and offline
// access (golang.org/x/oauth2), then calendar/v3 — a full listing of each
// calendar's series and events, incremental ones with syncToken after it, a
// new full listing when Google answers 410, and retries with backoff on rate
// limits, 5xx and dropped connections. Every URL is configurable, so tests
// run against a local fake that serves recorded payloads.
package google

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"
	gcal "google.golang.org/api/calendar/v3"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/calendar"
)

// Options configure the provider.
type Options struct {
	ClientID, ClientSecret string
	AuthURL, TokenURL      string
	APIURL                 string // calendar/v3 base, ending in /
	RedirectURL            string
	// Transport is the base transport (tests inject faults here).
	Transport http.RoundTripper
	// Attempts and Delay shape retries (default 6 tries from 500 ms).
	Attempts int
	Delay    time.Duration
}

// Provider talks to Google.
type Provider struct {
	oauth  *oauth2.Config
	apiURL string
	http   *http.Client // retrying, unauthenticated
}

// New builds the provider.
func New(o Options) *Provider {
	if o.Transport == nil {
		o.Transport = http.DefaultTransport
	}
	if o.Attempts <= 0 {
		o.Attempts = 6
	}
	if o.Delay <= 0 {
		o.Delay = 500 * time.Millisecond
	}
	rt := &retrying{base: o.Transport, attempts: o.Attempts, delay: o.Delay, maxDelay: 30 * time.Second}
	return &Provider{
		oauth: &oauth2.Config{ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: o.RedirectURL,
			Scopes:   []string{gcal.CalendarReadonlyScope},
			Endpoint: oauth2.Endpoint{AuthURL: o.AuthURL, TokenURL: o.TokenURL}},
		apiURL: o.APIURL,
		http:   &http.Client{Transport: rt, Timeout: 2 * time.Minute},
	}
}

// AuthCodeURL is the consent page: offline access (a refresh token), PKCE.
func (p *Provider) AuthCodeURL(state, verifier string) string {
	return p.oauth.AuthCodeURL(state, oauth2.AccessTypeOffline, oauth2.ApprovalForce, oauth2.S256ChallengeOption(verifier))
}

// Exchange trades the callback's code for a token (JSON).
func (p *Provider) Exchange(ctx context.Context, code, verifier string) ([]byte, error) {
	tok, err := p.oauth.Exchange(p.ctx(ctx), code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, authError(err)
	}
	return json.Marshal(tok)
}

func (p *Provider) ctx(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, p.http)
}

// session is an authorised calendar client and the token source behind it,
// whose token may be refreshed along the way.
type session struct {
	svc *gcal.Service
	ts  oauth2.TokenSource
	was string // the access token it started with
}

// session builds a client on the stored token; stale forces a refresh
// first (Google refused the access token before it said it would expire).
func (p *Provider) session(ctx context.Context, token []byte, stale bool) (*session, error) {
	var tok oauth2.Token
	if err := json.Unmarshal(token, &tok); err != nil {
		return nil, apperr.Unauthenticated("the stored Google sign-in is unreadable; connect the account again")
	}
	if stale {
		tok.Expiry = time.Unix(1, 0)
	}
	ts := oauth2.ReuseTokenSource(&tok, p.oauth.TokenSource(p.ctx(ctx), &tok))
	client := &http.Client{Transport: &oauth2.Transport{Source: ts, Base: p.http.Transport}, Timeout: p.http.Timeout}
	svc, err := gcal.NewService(ctx, option.WithHTTPClient(client), option.WithEndpoint(p.apiURL))
	if err != nil {
		return nil, err
	}
	return &session{svc: svc, ts: ts, was: tok.AccessToken}, nil
}

// token returns the session's token if it was refreshed, else nil.
func (s *session) token() []byte {
	tok, err := s.ts.Token()
	if err != nil || tok.AccessToken == s.was {
		return nil
	}
	b, _ := json.Marshal(tok)
	return b
}

// Calendars lists the account's calendars: the primary one and the ones
// the person shows in Google Calendar come selected.
func (p *Provider) Calendars(ctx context.Context, token []byte) ([]calendar.Calendar, []byte, error) {
	var out []calendar.Calendar
	fresh, err := p.withSession(ctx, token, func(s *session) error {
		out = nil
		return s.svc.CalendarList.List().MaxResults(250).Pages(ctx, func(l *gcal.CalendarList) error {
			for _, c := range l.Items {
				out = append(out, calendar.Calendar{ProviderID: c.Id, Name: cmp.Or(c.SummaryOverride, c.Summary, c.Id),
					TimeZone: c.TimeZone, Selected: c.Primary || (c.Selected && (c.AccessRole == "owner" || c.AccessRole == "writer"))})
			}
			return nil
		})
	})
	return out, fresh, err
}

// withSession runs fn with an authorised client; when Google answers 401
// it refreshes the token once and tries again (a refused refresh is an
// invalid_grant: the connection needs consent again). It returns the
// token if it was refreshed.
func (p *Provider) withSession(ctx context.Context, token []byte, fn func(*session) error) ([]byte, error) {
	var fresh []byte
	for _, stale := range []bool{false, true} {
		s, err := p.session(ctx, token, stale)
		if err != nil {
			return fresh, err
		}
		err = fn(s)
		if t := s.token(); t != nil {
			fresh, token = t, t
		}
		var ge *googleapi.Error
		if errors.As(err, &ge) && ge.Code == http.StatusUnauthorized && !stale {
			continue
		}
		return fresh, apiError(err)
	}
	return fresh, nil
}

// Changes lists what changed in a calendar since syncToken ("" or one
// Google no longer honours: everything, and the listing is complete).
func (p *Provider) Changes(ctx context.Context, token []byte, cal calendar.Calendar, syncToken string, w calendar.Window, u calendar.User) (calendar.Changes, []byte, error) {
	var ch calendar.Changes
	fresh, err := p.withSession(ctx, token, func(s *session) (err error) {
		ch, err = p.changes(ctx, s, cal, syncToken, w, u)
		return err
	})
	return ch, fresh, err
}

func (p *Provider) changes(ctx context.Context, s *session, cal calendar.Calendar, syncToken string, w calendar.Window, u calendar.User) (calendar.Changes, error) {
	items, next, err := list(ctx, s.svc, cal.ProviderID, syncToken)
	full := syncToken == ""
	if isGone(err) && !full {
		// The token expired: list everything, and let the sweep cancel
		// what the complete listing no longer has.
		full = true
		items, next, err = list(ctx, s.svc, cal.ProviderID, "")
	}
	if err != nil {
		return calendar.Changes{}, err
	}
	ch := calendar.Changes{Full: full, NextSyncToken: next}
	if !full {
		// An incremental listing names what changed in a series, not the
		// series: fetch each touched series whole (master and exceptions)
		// and let its meetings be swept against it.
		var touched []string
		seen := map[string]bool{}
		changed := map[string][]*gcal.Event{}
		var rest []*gcal.Event
		for _, e := range items {
			id := e.RecurringEventId
			if id == "" && len(e.Recurrence) > 0 {
				id = e.Id
			}
			if id == "" && e.Status == "cancelled" && e.ICalUID == "" {
				id = e.Id // a deleted event, series or not: ask what it was
			}
			if id == "" {
				rest = append(rest, e)
				continue
			}
			changed[id] = append(changed[id], e)
			if !seen[id] {
				seen[id] = true
				touched = append(touched, id)
			}
		}
		items = rest
		for _, id := range touched {
			series, uid, err := p.series(ctx, s.svc, cal.ProviderID, id)
			if err != nil {
				return calendar.Changes{}, err
			}
			items = append(items, withChanged(series, changed[id])...)
			ch.SweepUIDs = append(ch.SweepUIDs, uid)
		}
	}
	ch.Events, ch.Cancel, ch.Problems = expand(items, w, cal.TimeZone, u)
	return ch, nil
}

// withChanged adds to a fetched series the changed items it lacks: Google's
// iCalUID query may leave out a cancelled exception that carries no UID.
func withChanged(series, changed []*gcal.Event) []*gcal.Event {
	have := map[string]bool{}
	for _, e := range series {
		have[e.Id] = true
	}
	for _, e := range changed {
		if !have[e.Id] && e.RecurringEventId != "" {
			series = append(series, e)
		}
	}
	return series
}

// list pages through a calendar's events (masters and exceptions, not
// expanded instances), returning the sync token of the last page.
func list(ctx context.Context, svc *gcal.Service, calID, syncToken string) ([]*gcal.Event, string, error) {
	call := svc.Events.List(calID).SingleEvents(false).MaxResults(2500)
	if syncToken != "" {
		call = call.SyncToken(syncToken)
	}
	var items []*gcal.Event
	next := ""
	err := call.Pages(ctx, func(page *gcal.Events) error {
		items = append(items, page.Items...)
		next = page.NextSyncToken
		return nil
	})
	return items, next, err
}

// series fetches a series (or a single event) by one of its ids: the event
// itself, then everything sharing its iCalUID, deleted exceptions included.
func (p *Provider) series(ctx context.Context, svc *gcal.Service, calID, id string) ([]*gcal.Event, string, error) {
	e, err := svc.Events.Get(calID, id).Context(ctx).Do()
	if isGone(err) || isNotFound(err) {
		// Gone for good: cancel by the UID Google's own events have.
		gone := &gcal.Event{Id: id, Status: "cancelled"}
		return []*gcal.Event{gone}, uidOf(gone), nil
	}
	if err != nil {
		return nil, "", err
	}
	uid := uidOf(e)
	if e.Status == "cancelled" || len(e.Recurrence) == 0 {
		return []*gcal.Event{e}, uid, nil
	}
	var items []*gcal.Event
	err = svc.Events.List(calID).ICalUID(e.ICalUID).ShowDeleted(true).SingleEvents(false).MaxResults(2500).
		Pages(ctx, func(page *gcal.Events) error {
			items = append(items, page.Items...)
			return nil
		})
	return items, uid, err
}

func isGone(err error) bool {
	var ge *googleapi.Error
	return errors.As(err, &ge) && ge.Code == http.StatusGone
}

func isNotFound(err error) bool {
	var ge *googleapi.Error
	return errors.As(err, &ge) && ge.Code == http.StatusNotFound
}

// apiError turns what Google (or the token endpoint) said into an apperr.
func apiError(err error) error {
	if err == nil {
		return nil
	}
	if ae := authError(err); apperr.Is(ae, apperr.KindUnauthenticated) {
		return ae
	}
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		if ge.Code == http.StatusUnauthorized {
			return apperr.Unauthenticated("Google no longer accepts this connection's sign-in; connect the account again")
		}
		return apperr.Upstream(err, "Google Calendar answered %d: %s", ge.Code, clip(ge.Message))
	}
	return apperr.Upstream(err, "Google Calendar could not be reached: %s", clip(err.Error()))
}

// authError recognises a refused grant (revoked, expired): the connection
// needs the person to consent again, and retrying will not help.
func authError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.ErrorCode == "invalid_grant" || re.ErrorCode == "unauthorized_client" || re.ErrorCode == "invalid_client" {
			return &apperr.Error{Kind: apperr.KindUnauthenticated, Err: err,
				Message: fmt.Sprintf("Google refused the stored sign-in (%s); connect the account again", re.ErrorCode)}
		}
		return apperr.Upstream(err, "Google's sign-in service answered %d", re.Response.StatusCode)
	}
	return apperr.Upstream(err, "Google's sign-in failed: %s", clip(err.Error()))
}

func clip(s string) string { return calendar.Clip(strings.TrimSpace(s), 200) }

// Watch opens a push channel on a calendar's events: Google will POST to
// address, echoing secret, when they change.
func (p *Provider) Watch(ctx context.Context, token []byte, calID, channelID, address, secret string) (string, time.Time, []byte, error) {
	var ch *gcal.Channel
	fresh, err := p.withSession(ctx, token, func(s *session) (err error) {
		ch, err = s.svc.Events.Watch(calID, &gcal.Channel{Id: channelID, Type: "web_hook", Address: address, Token: secret,
			Params: map[string]string{"ttl": "604800"}}).Context(ctx).Do()
		return err
	})
	if err != nil {
		return "", time.Time{}, fresh, err
	}
	return ch.ResourceId, time.UnixMilli(ch.Expiration), fresh, nil
}

// StopWatch closes a push channel (best effort: an expired one is gone).
func (p *Provider) StopWatch(ctx context.Context, token []byte, channelID, resourceID string) error {
	_, err := p.withSession(ctx, token, func(s *session) error {
		return s.svc.Channels.Stop(&gcal.Channel{Id: channelID, ResourceId: resourceID}).Context(ctx).Do()
	})
	return err
}
