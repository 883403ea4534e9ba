package httpapi

import (
	"github.com/gofiber/fiber/v2"

	"github.com/debrief-hq/debrief/internal/search"
)

type apiSearch struct {
	Total      int          `json:"total"`
	Items      []search.Hit `json:"items"`
	NextCursor *string      `json:"next_cursor"`
}

// search answers GET /api/v1/search?q=…&limit=&cursor=: the caller's own
// documents only (the owner filter is part of the backend's query).
func (s *server) search(c *fiber.Ctx) error {
	q := newQuery(c, s.userLoc(c))
	limit, _ := q.limit()
	if err := q.err(); err != nil {
		return err
	}
	res, err := s.svc.Search.Search(c.UserContext(), principal(c).User.ID,
		search.Request{Q: c.Query("q"), Limit: limit, Cursor: c.Query("cursor"), Loc: q.loc})
	if err != nil {
		return err
	}
	out := apiSearch{Total: res.Total, Items: res.Hits}
	if res.NextCursor != "" {
		out.NextCursor = &res.NextCursor
	}
	return c.JSON(out)
}
