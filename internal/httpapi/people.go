package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/debrief-hq/debrief/internal/agenda"
	"github.com/debrief-hq/debrief/internal/cursor"
	"github.com/debrief-hq/debrief/internal/person"
)

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

type apiOrgRef struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Domain string `json:"domain"`
}

type apiPerson struct {
	ID           string     `json:"id"`
	Name         string     `json:"name"`
	Email        string     `json:"email"`
	Emails       []string   `json:"emails"`
	Organization *apiOrgRef `json:"organization"`
	CreatedAt    time.Time  `json:"created_at"`
}

func toAPIPerson(p person.Person) apiPerson {
	out := apiPerson{ID: p.ID, Name: p.Name, Email: p.Email, Emails: p.Emails, CreatedAt: p.CreatedAt}
	if o := p.Organization; o != nil {
		out.Organization = &apiOrgRef{ID: o.ID, Name: o.Name, Domain: o.Domain}
	}
	return out
}

type apiPersonDetail struct {
	apiPerson
	RecentMeetings   []apiMeeting    `json:"recent_meetings"`
	UpcomingMeetings []apiMeeting    `json:"upcoming_meetings"`
	OpenActionItems  []apiActionItem `json:"open_action_items"`
	Decisions        []apiDecision   `json:"decisions"`
	Timeline         []apiEvent      `json:"timeline"`
}

type apiEvent struct {
	Type  string    `json:"type"`
	ID    string    `json:"id"`
	At    time.Time `json:"at"`
	Title string    `json:"title"`
}

func toAPIPersonDetail(d person.Detail) apiPersonDetail {
	return apiPersonDetail{apiPerson: toAPIPerson(d.Person),
		RecentMeetings:   mapAll(d.RecentMeetings, toAPIMeeting),
		UpcomingMeetings: mapAll(d.UpcomingMeetings, toAPIMeeting),
		OpenActionItems:  mapAll(d.OpenActionItems, toAPIActionItem),
		Decisions:        mapAll(d.Decisions, toAPIDecision),
		Timeline: mapAll(d.Timeline, func(e person.Event) apiEvent {
			return apiEvent{Type: e.Type, ID: e.ID, At: e.At, Title: e.Title}
		})}
}

type apiOrganization struct {
	ID        string    `json:"id"`
	Domain    string    `json:"domain"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

func toAPIOrg(o person.Organization) apiOrganization {
	return apiOrganization{ID: o.ID, Domain: o.Domain, Name: o.Name, CreatedAt: o.CreatedAt}
}

type apiOccurrence struct {
	Meeting     apiMeeting      `json:"meeting"`
	Note        *apiNote        `json:"note"`
	ActionItems []apiActionItem `json:"action_items"`
	Decisions   []apiDecision   `json:"decisions"`
	Questions   []apiQuestion   `json:"questions"`
}

type apiSeries struct {
	ID              string          `json:"id"`
	Title           string          `json:"title"`
	AgendaTemplate  string          `json:"agenda_template"`
	Occurrences     []apiOccurrence `json:"occurrences"`
	NextCursor      *string         `json:"next_cursor"`
	Upcoming        []apiOccurrence `json:"upcoming"`
	OpenActionItems []apiActionItem `json:"open_action_items"`
	OpenQuestions   []apiQuestion   `json:"open_questions"`
}

func toAPIOccurrence(o agenda.Occurrence) apiOccurrence {
	out := apiOccurrence{Meeting: toAPIMeeting(o.Meeting), ActionItems: mapAll(o.ActionItems, toAPIActionItem),
		Decisions: mapAll(o.Decisions, toAPIDecision), Questions: mapAll(o.Questions, toAPIQuestion)}
	if o.Note != nil {
		n := toAPINote(*o.Note)
		out.Note = &n
	}
	return out
}

func toAPISeries(s agenda.Series) apiSeries {
	past := toList(s.Past, toAPIOccurrence)
	return apiSeries{ID: s.ID, Title: s.Title, AgendaTemplate: s.AgendaTemplate, Occurrences: past.Items, NextCursor: past.NextCursor,
		Upcoming:        mapAll(s.Upcoming, toAPIOccurrence),
		OpenActionItems: mapAll(s.OpenActionItems, toAPIActionItem), OpenQuestions: mapAll(s.OpenQuestions, toAPIQuestion)}
}

type apiOrgDetail struct {
	apiOrganization
	People []apiPerson `json:"people"`
}
