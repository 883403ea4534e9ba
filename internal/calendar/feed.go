package calendar

import (
	"net/url"
	"strings"

	"github.com/debrief-hq/debrief/internal/apperr"
)

// FeedURL checks a feed address and normalises webcal:// to https://.
func FeedURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return "", URLError("is not an address (http, https or webcal)")
	}
	switch strings.ToLower(u.Scheme) {
	case "webcal", "webcals":
		u.Scheme = "https"
	case "http", "https":
		u.Scheme = strings.ToLower(u.Scheme)
	default:
		return "", URLError("must be an http, https or webcal address")
	}
	if len(u.String()) > 2048 {
		return "", URLError("is longer than 2048 characters")
	}
	return u.String(), nil
}

// Fetched is a feed's body, or word that it has not changed.
type Fetched struct {
	Body         []byte
	ETag         string
	LastModified string
	NotModified  bool
}

// FeedStatus is a feed's answer other than 200 OK or 304 Not Modified.
type FeedStatus struct {
	Code   int
	Status string // "404 Not Found"
}

func (e FeedStatus) Error() string { return "the feed answered " + e.Status }

// URLError is a field error on a feed's url.
func URLError(msg string) error {
	var f apperr.Fields
	f.Add("url", "%s", msg)
	return f.Err()
}
