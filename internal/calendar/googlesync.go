package calendar

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/seal"
)

// Changes is what a provider's listing of one calendar brings.
type Changes struct {
	Events []Event
	Cancel []Cancellation
	// Full: the listing is complete, so the calendar's meetings it lacks
	// are swept.
	Full bool
	// SweepUIDs are series listed whole: their meetings the listing lacks
	// are swept.
	SweepUIDs     []string
	NextSyncToken string
	Problems      []Problem
}

// Google is the Google Calendar provider (calendar/google implements it).
// Tokens are OAuth tokens as JSON; a call that refreshed the token returns
// the new one (else nil).
type Google interface {
	AuthCodeURL(state, verifier string) string
	Exchange(ctx context.Context, code, verifier string) ([]byte, error)
	Calendars(ctx context.Context, token []byte) ([]Calendar, []byte, error)
	Changes(ctx context.Context, token []byte, cal Calendar, syncToken string, w Window, u User) (Changes, []byte, error)
	Watch(ctx context.Context, token []byte, calID, channelID, address, secret string) (resourceID string, expires time.Time, fresh []byte, err error)
	StopWatch(ctx context.Context, token []byte, channelID, resourceID string) error
}

// Watch is a calendar's push channel.
type Watch struct {
	CalendarID   string
	ConnectionID string
	ChannelID    string
	ResourceID   string
	Token        string
	Expires      time.Time
}

// renewBefore is how long before it expires a channel is replaced.
const renewBefore = 24 * time.Hour

// tokenSealer encrypts OAuth tokens at rest; a token that does not open
// asks for the account to be connected again.
type tokenSealer struct{ seal.Sealer }

func newSealer(secret []byte) tokenSealer {
	return tokenSealer{seal.New(secret, "debrief oauth token v1")}
}

func (s tokenSealer) seal(plain []byte) []byte { return s.Seal(plain) }

func (s tokenSealer) open(sealed []byte) ([]byte, error) {
	plain, err := s.Open(sealed)
	if err != nil {
		return nil, apperr.Unauthenticated("the stored Google sign-in cannot be decrypted (was the secret key changed?); connect the account again")
	}
	return plain, nil
}

// syncGoogle lists each selected calendar's changes and applies each in
// its own transaction with the calendar's new sync token.
func (s *Service) syncGoogle(ctx context.Context, st SyncState) (SyncResult, error) {
	res := SyncResult{Errors: []Problem{}}
	if s.google == nil {
		return res, apperr.Conflict("Google Calendar is not configured on this server (DEBRIEF_GOOGLE_CLIENT_ID)")
	}
	token, err := s.seal.open(st.OAuthToken)
	if err != nil {
		return res, err
	}
	now := s.now()
	w := DefaultWindow(now)
	// Calendars the person added to the account since: listed (new ones
	// unselected unless Google shows them), so they can be chosen.
	listed, fresh, err := s.google.Calendars(ctx, token)
	if fresh != nil {
		token = fresh
		if err := s.store.SaveToken(ctx, st.ID, s.seal.seal(fresh)); err != nil {
			return res, err
		}
	}
	if err != nil {
		return res, err
	}
	cals, err := s.store.RefreshCalendars(ctx, st.Owner.ID, st.ID, listed)
	if err != nil {
		return res, err
	}
	applied := 0
	for _, cal := range cals {
		if !cal.Selected {
			continue
		}
		ch, fresh, err := s.google.Changes(ctx, token, cal, st.SyncTokens[cal.ID], w, st.Owner)
		outcome := &SyncOutcome{ConnectionID: st.ID, CalendarID: cal.ID, SyncToken: ch.NextSyncToken, SyncedAt: now, NextSyncAt: now.Add(s.interval)}
		if fresh != nil {
			token = fresh
			outcome.OAuthToken = s.seal.seal(fresh)
		}
		if err != nil {
			if fresh != nil {
				// Keep the refreshed token even though the listing failed.
				_ = s.store.SaveToken(ctx, st.ID, outcome.OAuthToken)
			}
			return res, err
		}
		for _, p := range ch.Problems {
			if len(res.Errors) < maxReported {
				res.Errors = append(res.Errors, p)
			}
		}
		b := Batch{Owner: st.Owner.ID, UserEmail: st.Owner.Email, UserTZ: st.Owner.TimeZone, CalendarID: cal.ID,
			Events: ch.Events, Cancel: ch.Cancel, Sweep: ch.Full, SweepWindow: w, SweepUIDs: ch.SweepUIDs, Outcome: outcome}
		ch.Events = nil
		// The connection's calendars share its limit.
		if _, p := b.Limit(max(s.limit-applied, 0)); p != nil {
			res.Errors = append(res.Errors, *p)
		}
		applied += b.Size()
		for _, p := range ch.Problems {
			if p.Skipped && p.UID != "" {
				b.Keep = append(b.Keep, p.UID)
			}
		}
		sum, err := s.store.ApplyEvents(ctx, &b)
		if err != nil {
			return res, err
		}
		res.Summary.Add(sum)
		if t := s.ensureWatch(ctx, token, st, cal); t != nil {
			token = t
		}
	}
	return res, nil
}

// ensureWatch keeps a push channel open on a calendar, replacing it a day
// before it expires. Push is an optimisation over polling: a failure is
// logged, never fatal. It returns a refreshed token, if any.
func (s *Service) ensureWatch(ctx context.Context, token []byte, st SyncState, cal Calendar) []byte {
	if s.webhookURL == "" {
		return nil
	}
	old, err := s.store.WatchOf(ctx, cal.ID)
	if err != nil || (old.ChannelID != "" && old.Expires.After(s.now().Add(renewBefore))) {
		return nil
	}
	w := Watch{CalendarID: cal.ID, ConnectionID: st.ID, ChannelID: randomToken(), Token: randomToken()}
	res, exp, fresh, err := s.google.Watch(ctx, token, cal.ProviderID, w.ChannelID, s.webhookURL, w.Token)
	if fresh != nil {
		token = fresh
		_ = s.store.SaveToken(ctx, st.ID, s.seal.seal(fresh))
	}
	if err != nil {
		s.log.Warn("could not open a Google push channel; polling continues", "connection", st.ID, "err", err)
		return fresh
	}
	w.ResourceID, w.Expires = res, exp
	if err := s.store.SaveWatch(ctx, w); err != nil {
		s.log.Warn("could not save a Google push channel", "connection", st.ID, "err", err)
		return fresh
	}
	if old.ChannelID != "" {
		if err := s.google.StopWatch(ctx, token, old.ChannelID, old.ResourceID); err != nil {
			s.log.Info("could not stop a replaced Google push channel", "err", err)
		}
	}
	return fresh
}

// Notify handles a push from Google: a known channel with its token queues
// a sync of its connection; anything else is refused.
func (s *Service) Notify(ctx context.Context, channelID, token, resourceID, state string) error {
	if channelID == "" {
		return apperr.Forbidden("unknown push channel or wrong token")
	}
	w, err := s.store.WatchByChannel(ctx, channelID)
	if err != nil || subtle.ConstantTimeCompare([]byte(w.Token), []byte(token)) != 1 || (resourceID != "" && resourceID != w.ResourceID) {
		return apperr.Forbidden("unknown push channel or wrong token")
	}
	if state == "sync" {
		return nil // the handshake that opens a channel
	}
	return s.enqueue(ctx, w.ConnectionID)
}

// oauthState travels in the OAuth cookie, sealed: it binds the callback to
// the browser and the account that started the flow.
type oauthState struct {
	State    string `json:"s"`
	Verifier string `json:"v"`
	UserID   string `json:"u"`
	Expires  int64  `json:"e"`
}

// OAuthCookieTTL is how long a consent may take.
const OAuthCookieTTL = 10 * time.Minute

// GoogleAuthorize starts connecting a Google account: the consent page to
// send the person to, and the sealed cookie value the callback checks.
func (s *Service) GoogleAuthorize(ctx context.Context, userID string) (redirect, cookie string, err error) {
	if s.google == nil {
		return "", "", apperr.Conflict("Google Calendar is not configured on this server (DEBRIEF_GOOGLE_CLIENT_ID)")
	}
	st := oauthState{State: randomToken(), Verifier: randomToken() + randomToken(), UserID: userID,
		Expires: s.now().Add(OAuthCookieTTL).Unix()}
	b, _ := json.Marshal(st)
	return s.google.AuthCodeURL(st.State, st.Verifier), base64.RawURLEncoding.EncodeToString(s.seal.seal(b)), nil
}

func randomToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// GoogleCallback finishes connecting: it checks the state against the
// cookie, exchanges the code (with the PKCE verifier), lists the calendars
// and saves the connection with its token sealed — or, for an account
// already connected, renews it (the way back from needs_reauth) — and
// queues the first sync.
func (s *Service) GoogleCallback(ctx context.Context, cookie, state, code, oauthErr string) (Connection, error) {
	if s.google == nil {
		return Connection{}, apperr.Conflict("Google Calendar is not configured on this server (DEBRIEF_GOOGLE_CLIENT_ID)")
	}
	raw, err := base64.RawURLEncoding.DecodeString(cookie)
	var st oauthState
	if err == nil {
		raw, err = s.seal.open(raw)
	}
	if err == nil {
		err = json.Unmarshal(raw, &st)
	}
	switch {
	case cookie == "" || err != nil:
		return Connection{}, apperr.Invalid("this sign-in was not started in this browser (or took more than %v); start again from Debrief", OAuthCookieTTL)
	case s.now().Unix() > st.Expires:
		return Connection{}, apperr.Invalid("this sign-in took more than %v; start again from Debrief", OAuthCookieTTL)
	case subtle.ConstantTimeCompare([]byte(st.State), []byte(state)) != 1:
		return Connection{}, apperr.Invalid("the sign-in's state does not match; start again from Debrief")
	case oauthErr != "":
		return Connection{}, apperr.Invalid("Google did not grant access (%s)", Clip(oauthErr, 100))
	case code == "":
		return Connection{}, apperr.Invalid("Google's answer has no code")
	}
	token, err := s.google.Exchange(ctx, code, st.Verifier)
	if err != nil {
		return Connection{}, err
	}
	cals, fresh, err := s.google.Calendars(ctx, token)
	if err != nil {
		return Connection{}, err
	}
	if fresh != nil {
		token = fresh
	}
	name := "Google"
	for _, c := range cals {
		if c.Selected && strings.Contains(c.ProviderID, "@") {
			name = c.ProviderID
			break
		}
	}
	c, err := s.store.ConnectGoogle(ctx, st.UserID, name, s.seal.seal(token), cals)
	if err != nil {
		return Connection{}, err
	}
	s.queue(ctx, c.ID)
	return c, nil
}
