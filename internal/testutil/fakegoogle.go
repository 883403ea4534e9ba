package testutil

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// FakeGoogle is a local Google: OAuth (consent, code exchange with PKCE,
// refresh, revocation) and the parts of Calendar API v3 Debrief uses
// (calendarList, events list with syncToken and paging, get), serving
// events given as Google's own JSON — the recorded payloads under
// testdata/gcal. It can inject faults: 5xx, 429, 403 rate limits and
// dropped connections.
type FakeGoogle struct {
	URL string // base: /o/oauth2/auth, /token, /calendar/v3/
	srv *httptest.Server

	mu        sync.Mutex
	seq       int
	calendars []map[string]any
	events    map[string][]*fakeEvent // by calendar id
	expired   int                     // sync tokens at or below this seq answer 410
	codes     map[string]string       // code → PKCE challenge
	access    map[string]bool
	refresh   map[string]bool
	revoked   bool
	PageSize  int
	// Faults is the share of API requests answered with a fault.
	Faults    float64
	rng       *rand.Rand
	Requests  int // API requests served, faults included
	FaultsHit int
	// Channels are the push channels opened (as sent, with resourceId and
	// expiration added); Stopped the ids of those closed.
	Channels     []map[string]any
	Stopped      []string
	WatchExpires time.Time
	// failNext are statuses the next API requests are answered with, in
	// order (a 429 with Retry-After: 0).
	failNext []int
}

type fakeEvent struct {
	seq  int
	data map[string]any
}

// NewFakeGoogle starts a fake with one primary calendar.
func NewFakeGoogle(t testing.TB) *FakeGoogle {
	f := &FakeGoogle{events: map[string][]*fakeEvent{}, codes: map[string]string{}, access: map[string]bool{},
		refresh: map[string]bool{}, PageSize: 50, rng: rand.New(rand.NewPCG(1, 2)), WatchExpires: time.Now().Add(7 * 24 * time.Hour)}
	f.calendars = []map[string]any{{"kind": "calendar#calendarListEntry", "id": "primary@example.com", "summary": "primary@example.com",
		"timeZone": "America/Chicago", "accessRole": "owner", "primary": true, "selected": true}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	f.URL = f.srv.URL
	t.Cleanup(f.srv.Close)
	return f
}

// AddCalendar adds a calendar to the account's list.
func (f *FakeGoogle) AddCalendar(entry map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calendars = append(f.calendars, entry)
}

// Put creates or replaces events (Google JSON) in a calendar.
func (f *FakeGoogle) Put(calID string, events ...map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, e := range events {
		f.seq++
		id, _ := e["id"].(string)
		list := f.events[calID]
		replaced := false
		for _, old := range list {
			if old.data["id"] == id {
				old.seq, old.data, replaced = f.seq, e, true
			}
		}
		if !replaced {
			f.events[calID] = append(list, &fakeEvent{seq: f.seq, data: e})
		}
	}
}

// Delete cancels an event as Google does: it stays, as a cancelled stub.
func (f *FakeGoogle) Delete(calID, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, e := range f.events[calID] {
		if e.data["id"] == id {
			f.seq++
			e.seq = f.seq
			e.data = map[string]any{"kind": "calendar#event", "id": id, "status": "cancelled",
				"iCalUID": e.data["iCalUID"], "recurringEventId": e.data["recurringEventId"], "originalStartTime": e.data["originalStartTime"]}
		}
	}
}

// Remove drops an event without a trace (as Google does once a deleted
// event is old): only a full listing can tell it is gone.
func (f *FakeGoogle) Remove(calID, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	list := f.events[calID][:0]
	for _, e := range f.events[calID] {
		if e.data["id"] != id {
			list = append(list, e)
		}
	}
	f.events[calID] = list
}

// Unrevoke accepts refresh tokens again (after the person consents anew).
func (f *FakeGoogle) Unrevoke() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revoked = false
}

// SetFaults sets the share of API requests answered with a fault.
func (f *FakeGoogle) SetFaults(p float64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Faults = p
}

// FailNext answers the next API requests with these statuses, one each:
// a scripted fault, where SetFaults is a random one.
func (f *FakeGoogle) FailNext(statuses ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failNext = append(f.failNext, statuses...)
}

// Watches returns the channels opened and the ids of those stopped.
func (f *FakeGoogle) Watches() ([]map[string]any, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.Channels...), append([]string(nil), f.Stopped...)
}

// SetWatchExpiry sets when channels opened from now on expire.
func (f *FakeGoogle) SetWatchExpiry(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.WatchExpires = t
}

// Stats returns the API requests served and the faults among them.
func (f *FakeGoogle) Stats() (requests, faults int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Requests, f.FaultsHit
}

// ExpireSyncTokens makes every sync token handed out so far answer 410.
func (f *FakeGoogle) ExpireSyncTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.expired = f.seq
}

// Revoke makes the refresh token invalid (invalid_grant) and expires access.
func (f *FakeGoogle) Revoke() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revoked = true
	f.access = map[string]bool{}
}

// ExpireAccess forces the next API call to refresh its token.
func (f *FakeGoogle) ExpireAccess() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.access = map[string]bool{}
}

// Token returns a valid token, as the consent flow would have given.
func (f *FakeGoogle) Token() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, r := f.newToken("access"), f.newToken("refresh")
	f.access[a], f.refresh[r] = true, true
	b, _ := json.Marshal(map[string]any{"access_token": a, "refresh_token": r, "token_type": "Bearer", "expiry": "2999-01-01T00:00:00Z"})
	return b
}

func (f *FakeGoogle) newToken(kind string) string {
	f.seq++
	return fmt.Sprintf("%s-%d-%d", kind, f.seq, f.rng.Int64())
}

// LoadGoogleEvents reads the items of a recorded events.list payload.
func LoadGoogleEvents(t testing.TB, path string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(b, &page); err != nil {
		t.Fatal(err)
	}
	return page.Items
}

func (f *FakeGoogle) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/o/oauth2/auth":
		f.consent(w, r)
	case r.URL.Path == "/token":
		f.token(w, r)
	case strings.HasPrefix(r.URL.Path, "/calendar/v3/"):
		f.api(w, r)
	default:
		http.NotFound(w, r)
	}
}

// consent approves at once: back to the redirect with a code bound to the
// PKCE challenge.
func (f *FakeGoogle) consent(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("access_type") != "offline" {
		http.Error(w, "PKCE (S256) and offline access are required", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	code := f.newToken("code")
	f.codes[code] = q.Get("code_challenge")
	f.mu.Unlock()
	u, _ := url.Parse(q.Get("redirect_uri"))
	v := u.Query()
	v.Set("code", code)
	v.Set("state", q.Get("state"))
	u.RawQuery = v.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func (f *FakeGoogle) token(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f.mu.Lock()
	defer f.mu.Unlock()
	bad := func(code string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"error": %q, "error_description": "Bad Request"}`, code)
	}
	switch r.Form.Get("grant_type") {
	case "authorization_code":
		challenge, ok := f.codes[r.Form.Get("code")]
		sum := sha256.Sum256([]byte(r.Form.Get("code_verifier")))
		if !ok || base64.RawURLEncoding.EncodeToString(sum[:]) != challenge {
			bad("invalid_grant")
			return
		}
		delete(f.codes, r.Form.Get("code"))
		a, rt := f.newToken("access"), f.newToken("refresh")
		f.access[a], f.refresh[rt] = true, true
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": a, "refresh_token": rt, "token_type": "Bearer", "expires_in": 3600})
	case "refresh_token":
		if f.revoked || !f.refresh[r.Form.Get("refresh_token")] {
			bad("invalid_grant")
			return
		}
		a := f.newToken("access")
		f.access[a] = true
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": a, "token_type": "Bearer", "expires_in": 3600})
	default:
		bad("unsupported_grant_type")
	}
}

// fault answers some requests with what Google answers under load.
func (f *FakeGoogle) fault(w http.ResponseWriter) bool {
	if len(f.failNext) > 0 {
		status := f.failNext[0]
		f.failNext = f.failNext[1:]
		f.FaultsHit++
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "0")
			writeGoogleError(w, status, "usageLimits", "rateLimitExceeded", "Rate Limit Exceeded")
		} else {
			w.WriteHeader(status)
		}
		return true
	}
	if f.Faults <= 0 || f.rng.Float64() >= f.Faults {
		return false
	}
	f.FaultsHit++
	switch f.rng.IntN(5) {
	case 0:
		w.WriteHeader(http.StatusInternalServerError)
	case 1:
		w.WriteHeader(http.StatusServiceUnavailable)
	case 2:
		w.Header().Set("Retry-After", "0")
		writeGoogleError(w, 429, "usageLimits", "rateLimitExceeded", "Rate Limit Exceeded")
	case 3:
		writeGoogleError(w, 403, "usageLimits", "userRateLimitExceeded", "User Rate Limit Exceeded")
	case 4:
		// A dropped connection: no answer at all.
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return true
			}
		}
		w.WriteHeader(http.StatusBadGateway)
	}
	return true
}

func writeGoogleError(w http.ResponseWriter, code int, domain, reason, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"errors": []map[string]any{{"domain": domain, "reason": reason, "message": msg}}, "code": code, "message": msg}})
}

func (f *FakeGoogle) api(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Requests++
	if f.fault(w) {
		return
	}
	if !f.access[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")] {
		writeGoogleError(w, 401, "global", "authError", "Invalid Credentials")
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/calendar/v3/")
	parts := strings.Split(path, "/")
	w.Header().Set("Content-Type", "application/json")
	switch {
	case path == "users/me/calendarList":
		f.page(w, r, f.calendars, map[string]any{"kind": "calendar#calendarList"}, 0)
	case len(parts) == 3 && parts[0] == "calendars" && parts[2] == "events":
		f.list(w, r, parts[1])
	case len(parts) == 4 && parts[0] == "calendars" && parts[3] == "watch" && r.Method == http.MethodPost:
		var ch map[string]any
		json.NewDecoder(r.Body).Decode(&ch)
		f.seq++
		ch["resourceId"] = fmt.Sprintf("resource-%d", f.seq)
		ch["expiration"] = strconv.FormatInt(f.WatchExpires.UnixMilli(), 10)
		ch["calendarId"] = parts[1]
		f.Channels = append(f.Channels, ch)
		json.NewEncoder(w).Encode(ch)
	case path == "channels/stop" && r.Method == http.MethodPost:
		var ch map[string]any
		json.NewDecoder(r.Body).Decode(&ch)
		f.Stopped = append(f.Stopped, fmt.Sprint(ch["id"]))
		w.WriteHeader(http.StatusNoContent)
	case len(parts) == 4 && parts[0] == "calendars" && parts[2] == "events":
		for _, e := range f.events[parts[1]] {
			if e.data["id"] == parts[3] {
				json.NewEncoder(w).Encode(e.data)
				return
			}
		}
		writeGoogleError(w, 404, "global", "notFound", "Not Found")
	default:
		writeGoogleError(w, 404, "global", "notFound", "Not Found")
	}
}

func (f *FakeGoogle) list(w http.ResponseWriter, r *http.Request, calID string) {
	q := r.URL.Query()
	since := -1
	if tok := q.Get("syncToken"); tok != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(tok, "sync-"))
		if err != nil || n <= f.expired {
			writeGoogleError(w, 410, "calendar", "fullSyncRequired", "Sync token is no longer valid, a full sync is required.")
			return
		}
		since = n
	}
	var items []map[string]any
	evs := append([]*fakeEvent(nil), f.events[calID]...)
	sort.Slice(evs, func(i, j int) bool { return evs[i].seq < evs[j].seq })
	for _, e := range evs {
		cancelled := e.data["status"] == "cancelled"
		switch {
		case since >= 0 && e.seq <= since:
		case since < 0 && cancelled && q.Get("showDeleted") != "true" && (e.data["recurringEventId"] == nil || q.Get("singleEvents") == "true"):
			// Google leaves deleted events out of a full listing, but for
			// the cancelled exceptions of a series (listed with
			// singleEvents=false).
		case q.Get("iCalUID") != "" && e.data["iCalUID"] != q.Get("iCalUID"):
		default:
			items = append(items, e.data)
		}
	}
	f.page(w, r, items, map[string]any{"kind": "calendar#events", "timeZone": "America/Chicago"}, f.seq)
}

// page answers one page of items; the last carries the sync token (when
// syncSeq > 0).
func (f *FakeGoogle) page(w http.ResponseWriter, r *http.Request, items []map[string]any, head map[string]any, syncSeq int) {
	size := f.PageSize
	if m, err := strconv.Atoi(r.URL.Query().Get("maxResults")); err == nil && m > 0 && m < size {
		size = m
	}
	off, _ := strconv.Atoi(r.URL.Query().Get("pageToken"))
	if off > len(items) {
		off = len(items)
	}
	end := min(off+size, len(items))
	out := map[string]any{}
	for k, v := range head {
		out[k] = v
	}
	out["items"] = items[off:end]
	if end < len(items) {
		out["nextPageToken"] = strconv.Itoa(end)
	} else if syncSeq > 0 {
		out["nextSyncToken"] = fmt.Sprintf("sync-%d", syncSeq)
	}
	json.NewEncoder(w).Encode(out)
}
