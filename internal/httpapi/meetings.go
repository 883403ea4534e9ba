package httpapi

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/meeting"
	"github.com/debrief-hq/debrief/internal/note"
)

type attendeeRequest struct {
	Email          string `json:"email"`
	Name           string `json:"name"`
	ResponseStatus string `json:"response_status"`
	Organizer      bool   `json:"organizer"`
	Optional       bool   `json:"optional"`
}

func toAttendeeInputs(as []attendeeRequest) []meeting.AttendeeInput {
	return mapAll(as, func(a attendeeRequest) meeting.AttendeeInput {
		return meeting.AttendeeInput{Email: a.Email, Name: a.Name, ResponseStatus: a.ResponseStatus, Organizer: a.Organizer, Optional: a.Optional}
	})
}

func checkOptionalID(f *apperr.Fields, field string, id *string) {
	if id != nil && !validID(*id) {
		f.Add(field, "%q is not an id this server hands out", clip(*id))
	}
}

func (s *server) createMeeting(c *fiber.Ctx) error {
	var req struct {
		Title       string            `json:"title"`
		Description string            `json:"description"`
		Location    string            `json:"location"`
		VideoURL    string            `json:"video_url"`
		StartsAt    *string           `json:"starts_at"`
		EndsAt      *string           `json:"ends_at"`
		TimeZone    string            `json:"time_zone"`
		AllDay      bool              `json:"all_day"`
		Status      string            `json:"status"`
		SeriesID    *string           `json:"series_id"`
		Attendees   []attendeeRequest `json:"attendees"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	p := principal(c)
	t := times{loc: s.userLoc(c)}
	in := meeting.CreateInput{Title: req.Title, Description: req.Description, Location: req.Location,
		VideoURL: req.VideoURL, TimeZone: req.TimeZone,
		AllDay: req.AllDay, Status: req.Status, SeriesID: req.SeriesID, Attendees: toAttendeeInputs(req.Attendees)}
	if st := t.opt("starts_at", req.StartsAt); st != nil {
		in.StartsAt = *st // without it the meeting starts now
	}
	if e := t.opt("ends_at", req.EndsAt); e != nil {
		in.EndsAt = *e
	}
	checkOptionalID(&t.errs, "series_id", req.SeriesID)
	if err := t.errs.Err(); err != nil {
		return err
	}
	m, err := s.svc.Meetings.Create(c.UserContext(), p.User.ID, p.User.TimeZone, in)
	if err != nil {
		return err
	}
	c.Location("/api/v1/meetings/" + m.ID)
	return c.Status(fiber.StatusCreated).JSON(toAPIMeeting(m))
}

func (s *server) listMeetings(c *fiber.Ctx) error {
	q := newQuery(c, s.userLoc(c))
	f := meeting.Filter{From: q.time("from"), To: q.time("to"), PersonID: q.id("person_id"),
		SeriesID: q.id("series_id"), Status: q.str("status"), Hidden: q.str("hidden") == "true", Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	res, err := s.svc.Meetings.List(c.UserContext(), principal(c).User.ID, f)
	if err != nil {
		return err
	}
	return c.JSON(toList(res, toAPIMeeting))
}

func (s *server) getMeeting(c *fiber.Ctx) error {
	id, err := pathID(c, "meeting")
	if err != nil {
		return err
	}
	d, err := s.svc.Meetings.Get(c.UserContext(), principal(c).User.ID, id)
	if err != nil {
		return err
	}
	return c.JSON(toAPIMeetingDetail(d))
}

func (s *server) brief(c *fiber.Ctx) error {
	id, err := pathID(c, "meeting")
	if err != nil {
		return err
	}
	b, err := s.svc.Briefs.Brief(c.UserContext(), principal(c).User.ID, id)
	if err != nil {
		return err
	}
	return c.JSON(toAPIBrief(b))
}

func (s *server) exportMeeting(c *fiber.Ctx) error {
	id, err := pathID(c, "meeting")
	if err != nil {
		return err
	}
	d, err := s.svc.Meetings.Get(c.UserContext(), principal(c).User.ID, id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/markdown; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="meeting-`+id+`.md"`)
	return c.SendString(meeting.Markdown(d))
}

func (s *server) updateMeeting(c *fiber.Ctx) error {
	id, err := pathID(c, "meeting")
	if err != nil {
		return err
	}
	var req struct {
		Title       *string            `json:"title"`
		Description *string            `json:"description"`
		Location    *string            `json:"location"`
		VideoURL    *string            `json:"video_url"`
		StartsAt    *string            `json:"starts_at"`
		EndsAt      *string            `json:"ends_at"`
		TimeZone    *string            `json:"time_zone"`
		AllDay      *bool              `json:"all_day"`
		Status      *string            `json:"status"`
		SeriesID    Nullable[string]   `json:"series_id"`
		Attendees   *[]attendeeRequest `json:"attendees"`
		Hidden      *bool              `json:"hidden"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	t := times{loc: s.userLoc(c)}
	in := meeting.UpdateInput{Title: req.Title, Description: req.Description, Location: req.Location,
		VideoURL: req.VideoURL, StartsAt: t.opt("starts_at", req.StartsAt), EndsAt: t.opt("ends_at", req.EndsAt),
		TimeZone: req.TimeZone, AllDay: req.AllDay, Status: req.Status,
		SeriesID: req.SeriesID.ptr(), ClearSeries: req.SeriesID.Null, Hidden: req.Hidden}
	if req.Attendees != nil {
		as := toAttendeeInputs(*req.Attendees)
		in.Attendees = &as
	}
	checkOptionalID(&t.errs, "series_id", in.SeriesID)
	if err := t.errs.Err(); err != nil {
		return err
	}
	m, err := s.svc.Meetings.Update(c.UserContext(), principal(c).User.ID, id, in)
	if err != nil {
		return err
	}
	return c.JSON(toAPIMeeting(m))
}

func (s *server) deleteMeeting(c *fiber.Ctx) error {
	id, err := pathID(c, "meeting")
	if err != nil {
		return err
	}
	if err := s.svc.Meetings.Delete(c.UserContext(), principal(c).User.ID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type noteSubject struct {
	on   note.Subject
	what string
}

var (
	noteOnMeeting = noteSubject{note.OnMeeting, "meeting"}
	noteOnPerson  = noteSubject{note.OnPerson, "person"}
)

func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// ifVersion reads the optimistic-lock precondition: If-Match with the
// version's ETag, or If-None-Match: * for "only if there is no note yet".
func ifVersion(c *fiber.Ctx) (*int, error) {
	if c.Get(fiber.HeaderIfNoneMatch) == "*" {
		zero := 0
		return &zero, nil
	}
	h := strings.TrimSpace(c.Get(fiber.HeaderIfMatch))
	if h == "" || h == "*" {
		return nil, nil
	}
	v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(h, "W/"), `"`))
	if err != nil || v < 0 {
		var f apperr.Fields
		f.Add("If-Match", "must be the note's ETag, such as \"3\"")
		return nil, f.Err()
	}
	return &v, nil
}

func (s *server) getNote(sub noteSubject) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, sub.what)
		if err != nil {
			return err
		}
		n, err := s.svc.Notes.Get(c.UserContext(), principal(c).User.ID, sub.on, id)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderETag, etag(n.Version))
		return c.JSON(toAPINote(n))
	}
}

func (s *server) putNote(sub noteSubject) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, sub.what)
		if err != nil {
			return err
		}
		var req struct {
			Body *string `json:"body"`
		}
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		if req.Body == nil {
			var f apperr.Fields
			f.Add("body", "is required (send \"\" to empty the note)")
			return f.Err()
		}
		v, err := ifVersion(c)
		if err != nil {
			return err
		}
		p := principal(c)
		n, err := s.svc.Notes.Save(c.UserContext(), p.User.ID, s.userLoc(c), sub.on, id, note.SaveInput{Body: *req.Body, IfVersion: v})
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderETag, etag(n.Version))
		return c.JSON(apiSavedNote{apiNote: toAPINote(n.Note), UnresolvedMentions: orEmpty(n.Unresolved),
			Warnings: mapAll(n.Warnings, toAPIWarning)})
	}
}

// nextMeeting answers the meeting going on now, else the next one.
func (s *server) nextMeeting(c *fiber.Ctx) error {
	m, err := s.svc.Meetings.Next(c.UserContext(), principal(c).User.ID)
	if err != nil {
		return err
	}
	return c.JSON(toAPIMeeting(m))
}
