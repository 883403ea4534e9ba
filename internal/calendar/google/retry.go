package google

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// retrying retries what Google asks to be retried: 429, 5xx, a 403 whose
// reason is a rate limit, and requests that never got an answer (a dropped
// connection). It waits with exponential backoff and full jitter, or as long
// as Retry-After says.
type retrying struct {
	base     http.RoundTripper
	attempts int           // tries in all
	delay    time.Duration // first backoff
	maxDelay time.Duration
}

func (r *retrying) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	for attempt := 1; ; attempt++ {
		try := req.Clone(req.Context())
		if body != nil {
			try.Body = io.NopCloser(bytes.NewReader(body))
		}
		resp, err := r.base.RoundTrip(try)
		retry, wait := r.verdict(resp, err, attempt)
		if !retry || attempt >= r.attempts {
			return resp, err
		}
		if resp != nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
		}
		if err := sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

// verdict says whether to retry, and after how long.
func (r *retrying) verdict(resp *http.Response, err error, attempt int) (bool, time.Duration) {
	backoff := min(r.delay<<(attempt-1), r.maxDelay)
	jittered := time.Duration(rand.Int64N(int64(backoff) + 1))
	if err != nil {
		return true, jittered
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
	case resp.StatusCode == http.StatusForbidden && rateLimited(resp):
	default:
		return false, 0
	}
	if ra := retryAfter(resp.Header.Get("Retry-After")); ra > 0 {
		return true, min(ra, r.maxDelay)
	}
	return true, jittered
}

// rateLimited reads a 403's reason (and puts the body back).
func rateLimited(resp *http.Response) bool {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	var e struct {
		Error struct {
			Errors []struct {
				Reason string `json:"reason"`
			} `json:"errors"`
		} `json:"error"`
	}
	if json.Unmarshal(b, &e) != nil {
		return false
	}
	for _, x := range e.Error.Errors {
		if x.Reason == "rateLimitExceeded" || x.Reason == "userRateLimitExceeded" {
			return true
		}
	}
	return false
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
