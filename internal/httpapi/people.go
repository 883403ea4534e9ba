package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/debrief-hq/debrief/internal/agenda"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/cursor"
	"github.com/debrief-hq/debrief/internal/person"
)

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

func (s *server) getSeries(c *fiber.Ctx) error {
	id, err := pathID(c, "series")
	if err != nil {
		return err
	}
	q := newQuery(c, s.userLoc(c))
	page := q.page()
	if err := q.err(); err != nil {
		return err
	}
	sr, err := s.svc.Series.Get(c.UserContext(), principal(c).User.ID, id, page)
	if err != nil {
		return err
	}
	return c.JSON(toAPISeries(sr))
}

func (s *server) updateSeries(c *fiber.Ctx) error {
	id, err := pathID(c, "series")
	if err != nil {
		return err
	}
	var req struct {
		AgendaTemplate *string `json:"agenda_template"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	sr, err := s.svc.Series.Update(c.UserContext(), principal(c).User.ID, id, agenda.SeriesUpdate{AgendaTemplate: req.AgendaTemplate},
		cursor.Page{Limit: cursor.DefaultLimit})
	if err != nil {
		return err
	}
	return c.JSON(toAPISeries(sr))
}

func (s *server) listPeople(c *fiber.Ctx) error {
	q := newQuery(c, s.userLoc(c))
	f := person.Filter{Q: q.str("q"), OrganizationID: q.id("organization_id"), Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	res, err := s.svc.People.List(c.UserContext(), principal(c).User.ID, f)
	if err != nil {
		return err
	}
	return c.JSON(toList(res, toAPIPerson))
}

func (s *server) getPerson(c *fiber.Ctx) error {
	id, err := pathID(c, "person")
	if err != nil {
		return err
	}
	d, err := s.svc.People.Get(c.UserContext(), principal(c).User.ID, id)
	if err != nil {
		return err
	}
	return c.JSON(toAPIPersonDetail(d))
}

func (s *server) updatePerson(c *fiber.Ctx) error {
	id, err := pathID(c, "person")
	if err != nil {
		return err
	}
	var req struct {
		Name   *string   `json:"name"`
		Emails *[]string `json:"emails"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	p, err := s.svc.People.Update(c.UserContext(), principal(c).User.ID, id, person.UpdateInput{Name: req.Name, Emails: req.Emails})
	if err != nil {
		return err
	}
	return c.JSON(toAPIPerson(p))
}

func (s *server) listOrganizations(c *fiber.Ctx) error {
	q := newQuery(c, s.userLoc(c))
	page := q.page()
	if err := q.err(); err != nil {
		return err
	}
	res, err := s.svc.People.ListOrganizations(c.UserContext(), principal(c).User.ID, page)
	if err != nil {
		return err
	}
	return c.JSON(toList(res, toAPIOrg))
}

func (s *server) getOrganization(c *fiber.Ctx) error {
	id, err := pathID(c, "organization")
	if err != nil {
		return err
	}
	d, err := s.svc.People.GetOrganization(c.UserContext(), principal(c).User.ID, id)
	if err != nil {
		return err
	}
	return c.JSON(apiOrgDetail{apiOrganization: toAPIOrg(d.Organization), People: mapAll(d.People, toAPIPerson)})
}
