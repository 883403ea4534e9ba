package httpapi

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/debrief-hq/debrief/internal/agenda"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/capture"
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
		Status      meeting.Status    `json:"status"`
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
		SeriesID: q.id("series_id"), Status: meeting.Status(q.str("status")), Hidden: q.str("hidden") == "true", Page: q.page()}
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
		Status      *meeting.Status    `json:"status"`
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

type apiAttendee struct {
	PersonID       string `json:"person_id"`
	Email          string `json:"email"`
	Name           string `json:"name"`
	ResponseStatus string `json:"response_status"`
	Organizer      bool   `json:"organizer"`
	Optional       bool   `json:"optional"`
}

type apiMeeting struct {
	ID          string        `json:"id"`
	Title       string        `json:"title"`
	StartsAt    time.Time     `json:"starts_at"`
	EndsAt      time.Time     `json:"ends_at"`
	TimeZone    string        `json:"time_zone"`
	AllDay      bool          `json:"all_day"`
	Status      string        `json:"status"`
	Description string        `json:"description"`
	Location    string        `json:"location"`
	VideoURL    string        `json:"video_url"`
	SeriesID    *string       `json:"series_id"`
	Attendees   []apiAttendee `json:"attendees"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
	Hidden      bool          `json:"hidden"`
	// CalendarSays is what the calendar says of the fields its person
	// changed (null when none).
	CalendarSays map[string]string `json:"calendar_says"`
}

func toAPIMeeting(m meeting.Meeting) apiMeeting {
	out := apiMeeting{ID: m.ID, Title: m.Title, StartsAt: m.StartsAt, EndsAt: m.EndsAt, TimeZone: m.TimeZone,
		AllDay: m.AllDay, Status: string(m.Status), Description: m.Description, Location: m.Location, VideoURL: m.VideoURL,
		SeriesID: m.SeriesID, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, Hidden: m.Hidden}
	if len(m.CalendarSays) > 0 {
		out.CalendarSays = m.CalendarSays
	}
	out.Attendees = mapAll(m.Attendees, func(a meeting.Attendee) apiAttendee {
		return apiAttendee{PersonID: a.PersonID, Email: a.Email, Name: a.Name, ResponseStatus: a.ResponseStatus,
			Organizer: a.Organizer, Optional: a.Optional}
	})
	return out
}

type apiMeetingDetail struct {
	apiMeeting
	AgendaTemplate string          `json:"agenda_template"`
	Note           *apiNote        `json:"note"`
	ActionItems    []apiActionItem `json:"action_items"`
	Decisions      []apiDecision   `json:"decisions"`
	Questions      []apiQuestion   `json:"questions"`
}

func toAPIMeetingDetail(d meeting.Detail) apiMeetingDetail {
	out := apiMeetingDetail{
		apiMeeting: toAPIMeeting(d.Meeting), AgendaTemplate: d.AgendaTemplate,
		ActionItems: mapAll(d.ActionItems, toAPIActionItem),
		Decisions:   mapAll(d.Decisions, toAPIDecision),
		Questions:   mapAll(d.Questions, toAPIQuestion),
	}
	if d.Note != nil {
		n := toAPINote(*d.Note)
		out.Note = &n
	}
	return out
}

type apiNote struct {
	ID        string    `json:"id"`
	Body      string    `json:"body"`
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// apiSavedNote is the answer to a note save: the saved body (with the block
// ids the server appended), the @mentions that matched nobody and what it
// could not read as meant.
type apiSavedNote struct {
	apiNote
	UnresolvedMentions []string     `json:"unresolved_mentions"`
	Warnings           []apiWarning `json:"warnings"`
}

type apiWarning struct {
	Line    int    `json:"line"`
	Text    string `json:"text"`
	Message string `json:"message"`
}

func toAPIWarning(w capture.Warning) apiWarning {
	return apiWarning{Line: w.Line + 1, Text: w.Text, Message: w.Message}
}

func toAPINote(n note.Note) apiNote {
	return apiNote{ID: n.ID, Body: n.Body, Version: n.Version, UpdatedAt: n.UpdatedAt}
}

type apiPrevious struct {
	Meeting     apiMeeting `json:"meeting"`
	NoteExcerpt string     `json:"note_excerpt"`
}

type apiBrief struct {
	Meeting       apiMeeting      `json:"meeting"`
	Previous      []apiPrevious   `json:"previous"`
	IOwe          []apiActionItem `json:"i_owe"`
	OwedToMe      []apiActionItem `json:"owed_to_me"`
	OpenQuestions []apiQuestion   `json:"open_questions"`
	Decisions     []apiDecision   `json:"decisions"`
}

func toAPIBrief(b agenda.Brief) apiBrief {
	return apiBrief{
		Meeting: toAPIMeeting(b.Meeting),
		Previous: mapAll(b.Previous, func(p agenda.Previous) apiPrevious {
			return apiPrevious{Meeting: toAPIMeeting(p.Meeting), NoteExcerpt: p.NoteExcerpt}
		}),
		IOwe: mapAll(b.IOwe, toAPIActionItem), OwedToMe: mapAll(b.OwedToMe, toAPIActionItem),
		OpenQuestions: mapAll(b.OpenQuestions, toAPIQuestion), Decisions: mapAll(b.Decisions, toAPIDecision),
	}
}
