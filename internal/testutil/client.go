package testutil

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/gofiber/fiber/v2"

	"github.com/debrief-hq/debrief/api"
)

// Host is the host test requests are addressed to.
const Host = "debrief.test"

var (
	specOnce   sync.Once
	specDoc    *openapi3.T
	specRouter routers.Router
	specErr    error
)

// Spec loads api/openapi.yaml once and validates it.
func Spec(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	specOnce.Do(func() {
		// Text bodies are checked as strings.
		for _, ct := range []string{"text/markdown", "application/yaml"} {
			openapi3filter.RegisterBodyDecoder(ct, func(r io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
				b, err := io.ReadAll(r)
				return string(b), err
			})
		}
		loader := openapi3.NewLoader()
		specDoc, specErr = loader.LoadFromData(api.OpenAPI)
		if specErr != nil {
			return
		}
		if specErr = specDoc.Validate(context.Background()); specErr != nil {
			return
		}
		specDoc.Servers = openapi3.Servers{{URL: "http://" + Host}}
		specRouter, specErr = gorillamux.NewRouter(specDoc)
	})
	if specErr != nil {
		t.Fatalf("api/openapi.yaml: %v", specErr)
	}
	return specDoc, specRouter
}

// Client calls the API in-process through Fiber's app.Test and checks every
// response against the OpenAPI document.
type Client struct {
	t     testing.TB
	app   *fiber.App
	Token string // bearer token, if any
	// Cookie and CSRF are set by SignUp/Login for cookie sessions.
	Cookie string
	CSRF   string
	// Headers are sent with every request.
	Headers map[string]string
}

// NewClient returns an anonymous client.
func NewClient(t testing.TB, app *fiber.App) *Client {
	return &Client{t: t, app: app, Headers: map[string]string{}}
}

// Response is a checked response.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test on error.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Map decodes the body as an object.
func (r *Response) Map(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// On is a copy of the client that talks to another app (another instance
// on the same database).
func (c *Client) On(app *fiber.App) *Client {
	cp := *c
	cp.app = app
	return &cp
}

// Do sends a request. body may be nil, a string or []byte (sent as is), or
// anything else (sent as JSON). Extra headers come as "Name: value" strings.
func (c *Client) Do(method, path string, body any, headers ...string) *Response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, "http://"+Host+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	if c.Cookie != "" {
		req.AddCookie(&http.Cookie{Name: "debrief_session", Value: c.Cookie})
		if c.CSRF != "" && method != http.MethodGet {
			req.Header.Set("X-CSRF-Token", c.CSRF)
		}
	}
	for k, v := range c.Headers {
		req.Header.Set(k, v)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		if v = strings.TrimSpace(v); v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := c.app.Test(req, -1)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	r := &Response{Status: res.StatusCode, Header: res.Header, Body: out}
	CheckResponse(c.t, req, r)
	return r
}

// CheckResponse fails the test when the response does not match the OpenAPI
// document: an undocumented route, method or status, or a body that breaks
// its schema. Errors must be problem+json.
func CheckResponse(t testing.TB, req *http.Request, r *Response) {
	t.Helper()
	// Errors are problem+json, but for the pages of email links, which a
	// person opens in a browser.
	if r.Status >= 400 && !strings.HasPrefix(req.URL.Path, "/r/") && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("%s %s → %d with Content-Type %q, want application/problem+json: %s", req.Method, req.URL.Path, r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	if !strings.HasPrefix(req.URL.Path, "/api/") && !strings.HasPrefix(req.URL.Path, "/healthz") &&
		!strings.HasPrefix(req.URL.Path, "/readyz") && !strings.HasPrefix(req.URL.Path, "/metrics") {
		return // the browser client's files
	}
	_, router := Spec(t)
	route, params, err := router.FindRoute(req)
	if err != nil {
		if r.Status == http.StatusNotFound || r.Status == http.StatusMethodNotAllowed {
			return // an unknown route, answered as such
		}
		t.Errorf("%s %s answered %d but is not in api/openapi.yaml: %v", req.Method, req.URL.Path, r.Status, err)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 r.Status,
		Header:                 r.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(r.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s → %d does not match api/openapi.yaml: %v\nbody: %s", req.Method, req.URL.Path, r.Status, err, clip(r.Body))
	}
}

func clip(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

// Expect fails the test unless the response has the status.
func (r *Response) Expect(t testing.TB, status int) *Response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, clip(r.Body))
	}
	return r
}

var userSeq struct {
	sync.Mutex
	n int
}

// SignUp creates a fresh user through the API and returns a client that
// uses a bearer token for them (and keeps the session cookie and CSRF token
// for cookie tests).
func SignUp(t testing.TB, app *fiber.App) *Client {
	t.Helper()
	userSeq.Lock()
	userSeq.n++
	n := userSeq.n
	userSeq.Unlock()
	c := NewClient(t, app)
	res := c.Do("POST", "/api/v1/auth/signup", map[string]any{
		"email": fmt.Sprintf("user%d@example.com", n), "password": "correct horse battery", "name": fmt.Sprintf("User %d", n),
		"time_zone": "Europe/Berlin",
	}).Expect(t, http.StatusCreated)
	var auth struct {
		CSRFToken string `json:"csrf_token"`
	}
	res.JSON(t, &auth)
	for _, ck := range (&http.Response{Header: res.Header}).Cookies() {
		if ck.Name == "debrief_session" {
			c.Cookie = ck.Value
		}
	}
	c.CSRF = auth.CSRFToken
	tok := c.Do("POST", "/api/v1/tokens", map[string]any{"name": "tests"}).Expect(t, http.StatusCreated)
	var tk struct {
		Token string `json:"token"`
	}
	tok.JSON(t, &tk)
	bearer := &Client{t: t, app: app, Token: tk.Token, Cookie: c.Cookie, CSRF: c.CSRF, Headers: map[string]string{}}
	return bearer
}

// Scenario is one row of an API table test.
type Scenario struct {
	Name    string
	Method  string
	Path    string
	Body    any
	Headers []string
	Status  int
	// Contains are substrings the body must contain.
	Contains []string
	// Problem is the problem type slug expected (e.g. "invalid-input").
	Problem string
}

// Run runs scenarios as subtests with client c.
func Run(t *testing.T, c *Client, scenarios []Scenario) {
	t.Helper()
	for _, s := range scenarios {
		t.Run(s.Name, func(t *testing.T) {
			cc := *c
			cc.t = t
			res := cc.Do(s.Method, s.Path, s.Body, s.Headers...)
			if res.Status != s.Status {
				t.Fatalf("%s %s: status %d, want %d: %s", s.Method, s.Path, res.Status, s.Status, clip(res.Body))
			}
			for _, want := range s.Contains {
				if !bytes.Contains(res.Body, []byte(want)) {
					t.Errorf("%s %s: body lacks %q: %s", s.Method, s.Path, want, clip(res.Body))
				}
			}
			if s.Problem != "" {
				var p struct {
					Type string `json:"type"`
				}
				res.JSON(t, &p)
				if p.Type != "urn:debrief:problem:"+s.Problem {
					t.Errorf("%s %s: problem type %q, want %q", s.Method, s.Path, p.Type, s.Problem)
				}
			}
		})
	}
}
