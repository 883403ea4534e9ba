package search

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-hq/debrief/internal/apperr"
)

// Result pages: how many hits a page holds, and how deep pages go (ranked
// results past the first thousand are not worth reading, and each page
// costs the backend its offset).
const (
	DefaultLimit = 20
	MaxLimit     = 100
	MaxOffset    = 1000
)

// Service answers people's searches over their own documents.
type Service struct {
	idx      Index
	attended Attended
}

// Attended finds the meetings people attended (the graph's attendances).
type Attended interface {
	MeetingsWith(ctx context.Context, owner string, personIDs []string, limit int) ([]string, error)
}

// How far a person: or org: filter reaches: the people a name names (an
// org: of a large company is many), and the meetings they were in, the
// latest first.
const (
	maxInvolvedPeople   = 1000
	maxInvolvedMeetings = 10_000
)

// NewService is the service on an index; without one (another process on
// the same data dir holds it) searches are unavailable. attended resolves
// person: and org: filters to meetings.
func NewService(idx Index, attended Attended) *Service { return &Service{idx: idx, attended: attended} }

// Resolve fills q.Involved from q's person: and org: filters: the people
// they name, by the index's person documents, and the meetings those
// people attended (attended may be nil: the people only).
func Resolve(ctx context.Context, idx Index, attended Attended, owner string, q *Query) error {
	resolve := func(text string, byOrg bool) (Involvement, error) {
		people, err := idx.People(ctx, owner, text, byOrg, maxInvolvedPeople)
		if err != nil || len(people) == 0 {
			return Involvement{}, err
		}
		var meetings []string
		if attended != nil {
			if meetings, err = attended.MeetingsWith(ctx, owner, people, maxInvolvedMeetings); err != nil {
				return Involvement{}, err
			}
		}
		return Involvement{PersonIDs: people, MeetingIDs: meetings}, nil
	}
	q.Involved = nil
	for _, p := range q.People {
		inv, err := resolve(p, false)
		if err != nil {
			return err
		}
		q.Involved = append(q.Involved, inv)
	}
	for _, o := range q.Orgs {
		inv, err := resolve(o, true)
		if err != nil {
			return err
		}
		q.Involved = append(q.Involved, inv)
	}
	return nil
}

// Request is one search as asked: the query as typed, a page size (0: the
// default), the cursor of the page (""), and the zone before:/after: dates
// are read in.
type Request struct {
	Q      string
	Limit  int
	Cursor string
	Loc    *time.Location
	// Prefix asks for search as you type: a last word with no space after
	// it matches the words it starts.
	Prefix bool
}

// Answer is one page of hits, best first.
type Answer struct {
	Total      int
	Hits       []Hit
	NextCursor string
	// AnyWord: the best hit lacks some of the words (hits are ranked by
	// how well they match, and need not have every word).
	AnyWord bool
	// Corrected: nothing matched the words as typed, and these hits match
	// them with a letter or two off (a typo).
	Corrected bool
}

// Search runs a query for owner. A query it cannot read, a bad limit or a
// foreign cursor is a field error that says what is wrong.
func (s *Service) Search(ctx context.Context, owner string, r Request) (Answer, error) {
	var f apperr.Fields
	limit := r.Limit
	switch {
	case limit == 0:
		limit = DefaultLimit
	case limit < 0 || limit > MaxLimit:
		f.Add("limit", "must be between 1 and %d", MaxLimit)
	}
	offset := 0
	if r.Cursor != "" {
		var ok bool
		if offset, ok = decodeCursor(r.Cursor); !ok {
			f.Add("cursor", "is not a cursor this server handed out")
		}
	}
	if err := f.Err(); err != nil {
		return Answer{}, err
	}
	if strings.TrimSpace(r.Q) == "" {
		f.Add("q", "is required: the words to look for")
		return Answer{}, f.Err()
	}
	loc := r.Loc
	if loc == nil {
		loc = time.UTC
	}
	q, err := ParseQuery(r.Q, loc)
	if err != nil {
		return Answer{}, err
	}
	q.Now = time.Now()
	q.Prefix = r.Prefix && q.open
	if s.idx == nil {
		return Answer{}, &apperr.Error{Kind: apperr.KindUnavailable,
			Message: "search is served by the other debrief process on this data dir (several processes need DEBRIEF_SEARCH=postgres)"}
	}
	if err := Resolve(ctx, s.idx, s.attended, owner, &q); err != nil {
		return Answer{}, err
	}
	res, err := s.idx.Search(ctx, owner, q, Page{Offset: offset, Limit: limit})
	if err == nil && res.Total == 0 && q.Typos() {
		// Nothing matches as typed: words of five letters or more are
		// looked for again with a letter or two off, and the answer says so.
		q.Fuzzy = true
		res, err = s.idx.Search(ctx, owner, q, Page{Offset: offset, Limit: limit})
	}
	if err != nil {
		return Answer{}, err
	}
	out := Answer{Total: res.Total, Hits: res.Hits, Corrected: q.Fuzzy && res.Total > 0,
		AnyWord: len(q.Words) > 1 && len(res.Hits) > 0 && res.Hits[0].Partial}
	if out.Hits == nil {
		out.Hits = []Hit{}
	}
	if next := offset + len(res.Hits); next < res.Total && next < MaxOffset && len(res.Hits) > 0 {
		out.NextCursor = encodeCursor(next)
	}
	return out, nil
}

// A cursor is the offset of its page, opaque to clients.
const cursorPrefix = "s1:"

func encodeCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(offset)))
}

func decodeCursor(c string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) {
		return 0, false
	}
	n, err := strconv.Atoi(string(b[len(cursorPrefix):]))
	if err != nil || n <= 0 || n >= MaxOffset {
		return 0, false
	}
	return n, true
}
