package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/oklog/ulid/v2"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/cursor"
)

// decodeJSON strictly decodes the request body into v: one JSON object, no
// unknown fields, no trailing data, and a message a person can act on for
// every way it can be wrong.
func decodeJSON(c *fiber.Ctx, v any) error {
	if ct := c.Get(fiber.HeaderContentType); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return fiber.NewError(fiber.StatusUnsupportedMediaType, "send the body as application/json")
		}
	}
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return apperr.Invalid("the request body is empty; send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(replaceNUL(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.Invalid("malformed JSON: the body has data after its first value; send one JSON object")
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return apperr.Invalid("malformed JSON at byte %d: %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		if typ.Field == "" {
			return apperr.Invalid("the body must be a JSON object, not %s", typ.Value)
		}
		var f apperr.Fields
		f.Add(typ.Field, "must be %s, not %s", jsonKind(typ.Type.String()), typ.Value)
		return f.Err()
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.Invalid("malformed JSON: the body ends before the value does")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		var f apperr.Fields
		f.Add(name, "is not a field of this request; see /api/v1/openapi.yaml")
		return f.Err()
	case errors.Is(err, errInvalidTime):
		return err
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	return apperr.Invalid("malformed JSON: %s", err.Error())
}

func jsonKind(goType string) string {
	switch {
	case strings.Contains(goType, "string"), strings.HasSuffix(goType, "Time"):
		return "a string"
	case strings.Contains(goType, "int"), strings.Contains(goType, "float"):
		return "a number"
	case strings.Contains(goType, "bool"):
		return "true or false"
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	}
	return "an object"
}

// replaceNUL turns JSON \u0000 escapes into U+FFFD: PostgreSQL cannot store
// NUL in text, and both databases must keep the same text.
func replaceNUL(b []byte) []byte {
	const esc = `\u0000`
	if !bytes.Contains(b, []byte(esc)) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) {
			if bytes.HasPrefix(b[i:], []byte(esc)) {
				out = append(out, `\ufffd`...)
				i += len(esc) - 1
				continue
			}
			// Any other escape: copy both bytes so `\\u0000` stays text.
			out = append(out, b[i], b[i+1])
			i++
			continue
		}
		out = append(out, b[i])
	}
	return out
}

// Nullable is a JSON field that can be absent, null, or a value: PATCH needs
// all three.
type Nullable[T any] struct {
	Set   bool
	Null  bool
	Value T
}

func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	n.Set = true
	if string(b) == "null" {
		n.Null = true
		return nil
	}
	return json.Unmarshal(b, &n.Value)
}

// ptr returns the value when set and not null.
func (n Nullable[T]) ptr() *T {
	if !n.Set || n.Null {
		return nil
	}
	return &n.Value
}

var errInvalidTime = errors.New("invalid time")

// parseTime reads an RFC 3339 time, or a YYYY-MM-DD date (midnight in loc).
func parseTime(field, s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		if t.Year() < 1 || t.Year() > 9999 {
			return time.Time{}, timeError(field, s)
		}
		return t.UTC(), nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, timeError(field, s)
}

func timeError(field, s string) error {
	var f apperr.Fields
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	f.Add(field, "%q is not a time; use RFC 3339 (2026-03-01T09:30:00Z) or a date (2026-03-01)", s)
	return f.Err()
}

// times parses optional time fields, collecting every error.
type times struct {
	loc  *time.Location
	errs apperr.Fields
}

func (t *times) opt(field string, s *string) *time.Time {
	if s == nil {
		return nil
	}
	v, err := parseTime(field, *s, t.loc)
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			t.errs = append(t.errs, ae.Fields...)
		}
		return nil
	}
	return &v
}

func (t *times) req(field, s string) time.Time {
	if s == "" {
		t.errs.Add(field, "is required")
		return time.Time{}
	}
	v := t.opt(field, &s)
	if v == nil {
		return time.Time{}
	}
	return *v
}

// validID reports whether s is a ULID as this server hands out.
func validID(s string) bool {
	if len(s) != ulid.EncodedSize {
		return false
	}
	_, err := ulid.ParseStrict(s)
	return err == nil
}

// pathID reads and checks the :id path parameter.
func pathID(c *fiber.Ctx, what string) (string, error) {
	id := c.Params("id")
	if !validID(id) {
		return "", apperr.NotFound(what)
	}
	return id, nil
}

// query reads query parameters, collecting every error.
type query struct {
	c    *fiber.Ctx
	loc  *time.Location
	errs apperr.Fields
}

func newQuery(c *fiber.Ctx, loc *time.Location) *query { return &query{c: c, loc: loc} }

func (q *query) str(name string) string { return q.c.Query(name) }

// flag reads a true/false parameter (absent: false).
func (q *query) flag(name string) bool {
	switch v := q.c.Query(name); v {
	case "", "false", "0":
		return false
	case "true", "1":
		return true
	default:
		q.errs.Add(name, "%q is neither true nor false", clip(v))
		return false
	}
}

func (q *query) id(name string) string {
	v := q.c.Query(name)
	if v != "" && !(v == "me" && name == "owner_id") && !validID(v) {
		q.errs.Add(name, "%q is not an id this server hands out", clip(v))
	}
	return v
}

func (q *query) time(name string) *time.Time {
	v := q.c.Query(name)
	if v == "" {
		return nil
	}
	t, err := parseTime(name, v, q.loc)
	if err != nil {
		q.errs.Add(name, "%q is not a time; use RFC 3339 (2026-03-01T09:30:00Z) or a date (2026-03-01)", clip(v))
		return nil
	}
	return &t
}

// limit reads the limit parameter (0 when absent); its range is the
// list's to check.
func (q *query) limit() (int, bool) {
	limit := 0
	if v := q.c.Query("limit"); v != "" {
		if _, err := fmt.Sscanf(v, "%d", &limit); err != nil || fmt.Sprint(limit) != v {
			q.errs.Add("limit", "%q is not a whole number", clip(v))
			return 0, false
		}
		if limit < 1 {
			// 0 is not "the default": leave limit out for that.
			q.errs.Add("limit", "must be at least 1 (leave it out for the default)")
			return 0, false
		}
	}
	return limit, true
}

func (q *query) page() cursor.Page {
	limit, ok := q.limit()
	if !ok {
		return cursor.Page{Limit: cursor.DefaultLimit}
	}
	p, err := cursor.Parse(limit, q.c.Query("cursor"))
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			q.errs = append(q.errs, ae.Fields...)
		}
		return cursor.Page{Limit: cursor.DefaultLimit}
	}
	return p
}

func (q *query) err() error { return q.errs.Err() }

func clip(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "?")
	}
	return s
}
