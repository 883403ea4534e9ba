package httpapi_test

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/debrief-hq/debrief/internal/testutil"
	"github.com/debrief-hq/debrief/web"
)

// TestClientServed: the browser client's files, with their caching, and
// the app for every client path; API paths stay JSON.
func TestClientServed(t *testing.T) {
	a := testutil.NewApp(t, testutil.SQLite)
	anon := testutil.NewClient(t, a.HTTP)
	assets, err := fs.Glob(web.Files(), "assets/index-*.js")
	if err != nil || len(assets) != 1 {
		t.Fatalf("the bundle's entry script: %v %v", assets, err)
	}
	for _, p := range []string{"/", "/meetings/01ABC", "/search?q=x", "/settings", "/people/x/y"} {
		res := anon.Do("GET", p, nil).Expect(t, 200)
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(res.Body), `<div id="app">`) ||
			res.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("%s: %s %s", p, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
		}
		// The page loads no script but the bundle's, from this origin.
		if strings.Contains(string(res.Body), "<script>") || strings.Contains(string(res.Body), "http") {
			t.Errorf("%s: inline script or another origin in the page", p)
		}
	}
	res := anon.Do("GET", "/"+assets[0], nil).Expect(t, 200)
	if !strings.Contains(res.Header.Get("Content-Type"), "javascript") || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("asset: %s %s", res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
	}
	anon.Do("GET", "/assets/missing-123.js", nil).Expect(t, 404)
	anon.Do("GET", "/favicon.svg", nil).Expect(t, 200)
	if res := anon.Do("GET", "/api/nothing-here", nil).Expect(t, 404); !strings.Contains(res.Header.Get("Content-Type"), "problem+json") {
		t.Errorf("an unknown API path: %s", res.Header.Get("Content-Type"))
	}
	var opts struct {
		Signup string `json:"signup"`
		Google bool   `json:"google"`
	}
	anon.Do("GET", "/api/v1/auth/options", nil).Expect(t, 200).JSON(t, &opts)
	if opts.Signup != "open" || opts.Google {
		t.Errorf("options: %+v", opts)
	}
}
