package httpapi

import (
	"mime"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/calendar"
)

// importICS imports an uploaded iCalendar file.
func (s *server) importICS(c *fiber.Ctx) error {
	ct, _, _ := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if ct != "text/calendar" && ct != "text/plain" && ct != "application/octet-stream" {
		return &apperr.Error{Kind: apperr.KindUnsupportedMedia,
			Message: "send the file as text/calendar (Content-Type: " + clip(c.Get(fiber.HeaderContentType)) + ")"}
	}
	w, err := s.window(c)
	if err != nil {
		return err
	}
	u := principal(c).User
	res, err := s.svc.Calendar.ImportICS(c.UserContext(), calendar.User{ID: u.ID, Email: u.Email, TimeZone: u.TimeZone}, c.Body(), w)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// window reads the optional from/to dates of an expansion window.
func (s *server) window(c *fiber.Ctx) (calendar.Window, error) {
	loc := s.userLoc(c)
	var f apperr.Fields
	date := func(name string) *time.Time {
		v := strings.TrimSpace(c.Query(name))
		if v == "" {
			return nil
		}
		d, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			f.Add(name, "%q is not a date such as 2026-03-01", clip(v))
			return nil
		}
		return &d
	}
	from, to := date("from"), date("to")
	if err := f.Err(); err != nil {
		return calendar.Window{}, err
	}
	return s.svc.Calendar.Window(from, to)
}
