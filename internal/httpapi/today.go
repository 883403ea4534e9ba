package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/debrief-hq/debrief/internal/agenda"
	"github.com/debrief-hq/debrief/internal/apperr"
)

// today answers GET /api/v1/today?date=: one day in the user's time zone.
func (s *server) today(c *fiber.Ctx) error {
	var date time.Time
	loc := s.userLoc(c)
	if v := c.Query("date"); v != "" {
		d, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			var f apperr.Fields
			f.Add("date", "%q is not a date such as 2026-03-01", clip(v))
			return f.Err()
		}
		date = d
	}
	t, err := s.svc.Agenda.Today(c.UserContext(), principal(c).User.ID, date, loc)
	if err != nil {
		return err
	}
	return c.JSON(toAPIToday(t))
}

type apiToday struct {
	Date            string          `json:"date"`
	Meetings        []apiMeeting    `json:"meetings"`
	OpenActionItems []apiActionItem `json:"open_action_items"`
	Overdue         []apiActionItem `json:"overdue"`
	OpenQuestions   []apiQuestion   `json:"open_questions"`
}

func toAPIToday(t agenda.Today) apiToday {
	return apiToday{Date: t.Date, Meetings: mapAll(t.Meetings, toAPIMeeting), OpenActionItems: mapAll(t.OpenActionItems, toAPIActionItem),
		Overdue: mapAll(t.Overdue, toAPIActionItem), OpenQuestions: mapAll(t.OpenQuestions, toAPIQuestion)}
}
