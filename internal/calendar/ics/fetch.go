package ics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/calendar"
	"github.com/debrief-hq/debrief/internal/egress"
)

// Fetcher downloads feeds: conditional GET, a size cap, a time limit, and
// no way to reach private, loopback, link-local or other special-purpose
// addresses unless allowed (package egress: a feed URL must not become a
// probe of the server's own network). The
// check runs on the address actually dialled, after DNS and on every
// redirect, so a name that resolves inside cannot slip past it.
type Fetcher struct {
	client   *http.Client
	maxBytes int64
	policy   *egress.Policy
}

// NewFetcher builds a Fetcher; policy says which addresses feeds may be
// on.
func NewFetcher(maxBytes int64, policy *egress.Policy, timeout time.Duration) *Fetcher {
	tr := policy.Transport(timeout)
	return &Fetcher{
		client: &http.Client{Transport: tr, Timeout: timeout, CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("more than 5 redirects")
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to a %s: address", req.URL.Scheme)
			}
			return nil
		}},
		maxBytes: maxBytes,
		policy:   policy,
	}
}

// Check refuses a feed URL on an address feeds may not reach, before it
// is subscribed to.
func (f *Fetcher) Check(ctx context.Context, rawURL string) error {
	if err := f.policy.CheckURL(ctx, rawURL); err != nil {
		return fetchError(err)
	}
	return nil
}

// Fetched is the calendar package's.
type Fetched = calendar.Fetched

// Fetch GETs a feed, sending the validators of the last fetch.
func (f *Fetcher) Fetch(ctx context.Context, rawURL, etag, lastModified string) (Fetched, error) {
	u, err := calendar.FeedURL(rawURL)
	if err != nil {
		return Fetched{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return Fetched{}, calendar.URLError("is not an address")
	}
	req.Header.Set("Accept", "text/calendar, text/plain;q=0.5, */*;q=0.1")
	req.Header.Set("User-Agent", "Debrief calendar sync")
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		req.Header.Set("If-Modified-Since", lastModified)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return Fetched{}, fetchError(err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return Fetched{NotModified: true, ETag: etag, LastModified: lastModified}, nil
	case resp.StatusCode != http.StatusOK:
		return Fetched{}, apperr.Upstream(calendar.FeedStatus{Code: resp.StatusCode, Status: resp.Status}, "the feed answered %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxBytes+1))
	if err != nil {
		return Fetched{}, fetchError(err)
	}
	if int64(len(body)) > f.maxBytes {
		return Fetched{}, apperr.Upstream(nil, "the feed is larger than %d bytes (DEBRIEF_IMPORT_LIMIT)", f.maxBytes)
	}
	return Fetched{Body: body, ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}, nil
}

func fetchError(err error) error {
	// Go's client names the URL in its errors ("Get \"https://…\": …"), and
	// a feed's path or query is often its secret (Google's private
	// address, Outlook's published token): it goes neither into a
	// connection's last error nor into the log.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = fmt.Errorf("%s %s: %w", ue.Op, redact(ue.URL), ue.Err)
	}
	var ne net.Error
	switch {
	case errors.Is(err, egress.ErrRefused):
		return calendar.URLError("points at a private, loopback, link-local or other special-purpose address, which feeds may not reach (DEBRIEF_ALLOW_PRIVATE_FETCH)")
	case errors.As(err, &ne) && ne.Timeout():
		return apperr.Upstream(err, "the feed did not answer in time")
	}
	return apperr.Upstream(err, "the feed could not be fetched: %s", calendar.Clip(err.Error(), 200))
}

// redact is a URL without what may be its secret: the scheme and host
// stay, the path, query and user info go.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "the feed"
	}
	return u.Scheme + "://" + u.Host + "/…"
}
