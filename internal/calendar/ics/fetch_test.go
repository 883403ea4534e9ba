package ics

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/calendar"
	"github.com/debrief-hq/debrief/internal/egress"
)

func TestFetch(t *testing.T) {
	const body = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.ics":
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Last-Modified", "Tue, 01 Dec 2026 10:00:00 GMT")
			w.Write([]byte(body))
		case "/big.ics":
			w.Write([]byte(strings.Repeat("X", 2048)))
		case "/slow.ics":
			time.Sleep(500 * time.Millisecond)
			w.Write([]byte(body))
		case "/redirect":
			http.Redirect(w, r, "/feed.ics", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	f := NewFetcher(1024, egress.New(true), 200*time.Millisecond)

	got, err := f.Fetch(ctx, srv.URL+"/feed.ics", "", "")
	if err != nil || string(got.Body) != body || got.ETag != `"v1"` || got.LastModified == "" || got.NotModified {
		t.Fatalf("first fetch: %+v %v", got, err)
	}
	got, err = f.Fetch(ctx, strings.Replace(srv.URL, "http://", "webcal://", 1)+"/feed.ics", got.ETag, got.LastModified)
	if err == nil || !strings.Contains(err.Error(), "could not be fetched") {
		// webcal:// becomes https://, which the plain-HTTP test server
		// cannot answer: the scheme was rewritten.
		t.Errorf("webcal: %+v %v", got, err)
	}
	got, err = f.Fetch(ctx, srv.URL+"/feed.ics", `"v1"`, "")
	if err != nil || !got.NotModified || got.Body != nil {
		t.Errorf("conditional fetch: %+v %v", got, err)
	}
	if got, err = f.Fetch(ctx, srv.URL+"/redirect", "", ""); err != nil || string(got.Body) != body {
		t.Errorf("redirect: %+v %v", got, err)
	}
	for path, want := range map[string]string{
		"/big.ics":  "larger than 1024 bytes",
		"/slow.ics": "did not answer in time",
		"/missing":  "answered 404",
	} {
		if _, err := f.Fetch(ctx, srv.URL+path, "", ""); err == nil || !strings.Contains(err.Error(), want) || !apperr.Is(err, apperr.KindUpstream) {
			t.Errorf("%s: %v, want %q", path, err, want)
		}
	}

	// Without permission, loopback and private addresses are refused, also
	// behind a name or a redirect.
	strict := NewFetcher(1024, egress.New(false), time.Second)
	for _, u := range []string{srv.URL + "/feed.ics", strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/feed.ics",
		"http://10.1.2.3/x.ics", "http://[::1]/x.ics", "http://169.254.169.254/latest/meta-data",
		// Every special-purpose range, not only the private ones: this
		// host answered on 192.0.2.2.
		"http://0.0.0.1/x.ics", "http://100.64.0.1/x.ics", "http://192.0.0.8/x.ics", "http://192.0.2.2/x.ics",
		"http://198.18.0.1/x.ics", "http://198.51.100.7/x.ics", "http://203.0.113.5/x.ics", "http://240.0.0.1/x.ics",
		"http://255.255.255.255/x.ics", "http://[64:ff9b::7f00:1]/x.ics", "http://[2002:7f00:1::1]/x.ics", "http://[fc00::1]/x.ics",
		"http://[fe80::1]/x.ics", "http://[::ffff:127.0.0.1]/x.ics", "http://[2001:db8::1]/x.ics"} {
		if _, err := strict.Fetch(ctx, u, "", ""); err == nil || !strings.Contains(err.Error(), "special-purpose address") || !apperr.Is(err, apperr.KindInvalid) {
			t.Errorf("%s: %v", u, err)
		}
		// And refused before it is subscribed to.
		if err := strict.Check(ctx, u); err == nil || !apperr.Is(err, apperr.KindInvalid) {
			t.Errorf("Check(%s): %v", u, err)
		}
	}
	if err := strict.Check(ctx, "https://8.8.8.8/x.ics"); err != nil {
		t.Errorf("a public address is refused: %v", err)
	}
	for _, u := range []string{"ftp://example.com/x.ics", "file:///etc/passwd", "not a url", "https://" + strings.Repeat("a", 2050) + ".com/"} {
		if _, err := calendar.FeedURL(u); err == nil || !apperr.Is(err, apperr.KindInvalid) {
			t.Errorf("FeedURL(%.40q): %v", u, err)
		}
	}
}
