package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/debrief-hq/debrief/internal/search"
)

type apiSearch struct {
	Total      int      `json:"total"`
	Items      []apiHit `json:"items"`
	NextCursor *string  `json:"next_cursor"`
	AnyWord    bool     `json:"any_word"`
	Corrected  bool     `json:"corrected"`
}

type apiHit struct {
	Type      string     `json:"type"`
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Snippet   string     `json:"snippet"`
	MeetingID string     `json:"meeting_id,omitempty"`
	StartsAt  *time.Time `json:"starts_at,omitempty"`
	Score     float64    `json:"score"`
	Partial   bool       `json:"partial"`
}

func toAPIHit(h search.Hit) apiHit {
	return apiHit{Type: h.Type, ID: h.ID, Title: h.Title, Snippet: h.Snippet, MeetingID: h.MeetingID, StartsAt: h.StartsAt, Score: h.Score, Partial: h.Partial}
}

// search answers GET /api/v1/search?q=…&prefix=&limit=&cursor=: the caller's own
// documents only (the owner filter is part of the backend's query).
func (s *server) search(c *fiber.Ctx) error {
	q := newQuery(c, s.userLoc(c))
	limit, _ := q.limit()
	prefix := q.flag("prefix")
	if err := q.err(); err != nil {
		return err
	}
	res, err := s.svc.Search.Search(c.UserContext(), principal(c).User.ID,
		search.Request{Q: c.Query("q"), Limit: limit, Cursor: c.Query("cursor"), Loc: q.loc, Prefix: prefix})
	if err != nil {
		return err
	}
	out := apiSearch{Total: res.Total, Items: mapAll(res.Hits, toAPIHit), AnyWord: res.AnyWord, Corrected: res.Corrected}
	if res.NextCursor != "" {
		out.NextCursor = &res.NextCursor
	}
	return c.JSON(out)
}
