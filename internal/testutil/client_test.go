package testutil

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed bool
	msgs   []string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Errorf(f string, a ...any) { r.failed = true; r.msgs = append(r.msgs, f) }
func (r *recorder) Fatalf(f string, a ...any) { r.failed = true; r.msgs = append(r.msgs, f) }

// TestCheckResponseCatchesMismatches proves the contract check can fail: a
// body that breaks the schema, an undocumented status, an undocumented
// route, and an error that is not problem+json are each reported.
func TestCheckResponseCatchesMismatches(t *testing.T) {
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	problem := http.Header{"Content-Type": {"application/problem+json"}}
	cases := []struct {
		name   string
		method string
		path   string
		res    Response
		bad    bool
	}{
		{"valid healthz", "GET", "/healthz", Response{200, jsonHeader, []byte(`{"status":"ok","version":"x"}`)}, false},
		{"missing field", "GET", "/healthz", Response{200, jsonHeader, []byte(`{"status":"ok"}`)}, true},
		{"wrong enum", "GET", "/healthz", Response{200, jsonHeader, []byte(`{"status":"fine","version":"x"}`)}, true},
		{"undocumented status", "GET", "/healthz", Response{418, problem, []byte(`{"type":"t","title":"t","status":418,"detail":"d"}`)}, true},
		{"undocumented route", "GET", "/api/v1/secret", Response{200, jsonHeader, []byte(`{}`)}, true},
		{"error not problem+json", "GET", "/api/v1/me", Response{401, jsonHeader, []byte(`{"type":"t","title":"t","status":401,"detail":"d"}`)}, true},
		{"meeting missing attendees", "GET", "/api/v1/meetings/01ARZ3NDEKTSV4RRFFQ69G5FAV", Response{200, jsonHeader, []byte(`{"id":"x"}`)}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := &recorder{TB: t}
			req := httptest.NewRequest(c.method, "http://"+Host+c.path, nil)
			CheckResponse(r, req, &c.res)
			if r.failed != c.bad {
				t.Errorf("reported failure = %v, want %v (%v)", r.failed, c.bad, r.msgs)
			}
		})
	}
}
