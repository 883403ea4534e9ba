// Package egress is how Debrief reaches addresses that people give it —
// calendar feeds, and later webhooks: the special-purpose ranges of IPv4
// and IPv6 (private, loopback, link-local, shared, documentation,
// benchmarking, reserved, NAT64, 6to4, …) are refused, as IANA's
// special-purpose registries list them (code.dny.dev/ssrf keeps the list),
// unless the server is configured to allow them (DEBRIEF_ALLOW_PRIVATE_FETCH).
// The check runs on every connection the dialer makes, so a redirect or a
// DNS answer that changes after the check cannot get past it.
package egress

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"

	"code.dny.dev/ssrf"
)

// ErrRefused marks an address outbound requests may not reach.
var ErrRefused = errors.New("refused address")

// Policy says which addresses outbound requests may reach.
type Policy struct {
	allowPrivate bool
	guard        *ssrf.Guardian
}

// New is the policy: every special-purpose range refused, or, with
// allowPrivate, nothing refused (tests, private networks).
func New(allowPrivate bool) *Policy {
	return &Policy{allowPrivate: allowPrivate, guard: ssrf.New(ssrf.WithAnyPort())}
}

// AllowsPrivate reports whether the policy lets requests reach private
// addresses.
func (p *Policy) AllowsPrivate() bool { return p.allowPrivate }

// Dialer is a dialer that refuses what the policy refuses, connection by
// connection.
func (p *Policy) Dialer(timeout time.Duration) *net.Dialer {
	d := &net.Dialer{Timeout: timeout}
	if !p.allowPrivate {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			if err := p.guard.Safe(network, address, nil); err != nil {
				return fmt.Errorf("%w: %v", ErrRefused, err)
			}
			return nil
		}
	}
	return d
}

// Transport is an HTTP transport that dials through the policy and never
// through a proxy (a proxy would dial for it, past the check).
func (p *Policy) Transport(responseTimeout time.Duration) *http.Transport {
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           p.Dialer(10 * time.Second).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: responseTimeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
	}
}

// CheckURL refuses, before anything is saved, a URL whose host is or
// resolves to a refused address. A host that does not resolve now is not
// refused here: the fetch will say what happens then.
func (p *Policy) CheckURL(ctx context.Context, raw string) error {
	if p.allowPrivate {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		return p.checkAddr(ip)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil
	}
	for _, ip := range ips {
		if err := p.checkAddr(ip); err != nil {
			return err
		}
	}
	return nil
}

func (p *Policy) checkAddr(ip netip.Addr) error {
	if err := p.guard.SafeAddr(ip); err != nil {
		return fmt.Errorf("%w: %s", ErrRefused, ip.Unmap())
	}
	return nil
}
