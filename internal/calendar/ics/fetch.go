package ics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/calendar"
)

// Fetcher downloads feeds: conditional GET, a size cap, a time limit, and
// no way to reach private, loopback or link-local addresses unless allowed
// (a feed URL must not become a probe of the server's own network). The
// check runs on the address actually dialled, after DNS and on every
// redirect, so a name that resolves inside cannot slip past it.
type Fetcher struct {
	client   *http.Client
	maxBytes int64
}

// NewFetcher builds a Fetcher.
func NewFetcher(maxBytes int64, allowPrivate bool, timeout time.Duration) *Fetcher {
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	if !allowPrivate {
		dialer.Control = refusePrivate
	}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would dial for us, past the check
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
	}
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
	}
}

// errPrivate marks a refused address.
var errPrivate = errors.New("private address")

func refusePrivate(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot read %q", errPrivate, address)
	}
	ip := ap.Addr().Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() || sharedSpace.Contains(ip) {
		return fmt.Errorf("%w %s", errPrivate, ip)
	}
	return nil
}

// sharedSpace is carrier-grade NAT space (RFC 6598), private in practice.
var sharedSpace = netip.MustParsePrefix("100.64.0.0/10")

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
		return Fetched{}, apperr.Upstream(nil, "the feed answered %s", resp.Status)
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
	var ne net.Error
	switch {
	case errors.Is(err, errPrivate):
		return calendar.URLError("points at a private, loopback or link-local address, which feeds may not reach (DEBRIEF_ALLOW_PRIVATE_FETCH)")
	case errors.As(err, &ne) && ne.Timeout():
		return apperr.Upstream(err, "the feed did not answer in time")
	}
	return apperr.Upstream(err, "the feed could not be fetched: %s", calendar.Clip(err.Error(), 200))
}
