package httpapi

import (
	"time"

	"github.com/debrief-hq/debrief/internal/account"
	"github.com/debrief-hq/debrief/internal/actionitem"
	"github.com/debrief-hq/debrief/internal/agenda"
	"github.com/debrief-hq/debrief/internal/capture"
	"github.com/debrief-hq/debrief/internal/cursor"
	"github.com/debrief-hq/debrief/internal/decision"
	"github.com/debrief-hq/debrief/internal/meeting"
	"github.com/debrief-hq/debrief/internal/note"
	"github.com/debrief-hq/debrief/internal/person"
	"github.com/debrief-hq/debrief/internal/question"
)

// The JSON shapes of API v1 (api/openapi.yaml) and the conversions into them.

type listResponse[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func toList[A, B any](r cursor.Result[A], f func(A) B) listResponse[B] {
	out := listResponse[B]{Items: make([]B, len(r.Items))}
	for i, a := range r.Items {
		out.Items[i] = f(a)
	}
	if r.NextCursor != "" {
		out.NextCursor = &r.NextCursor
	}
	return out
}

func mapAll[A, B any](in []A, f func(A) B) []B {
	out := make([]B, len(in))
	for i, a := range in {
		out[i] = f(a)
	}
	return out
}

type apiUser struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	TimeZone  string    `json:"time_zone"`
	CreatedAt time.Time `json:"created_at"`
}

func toAPIUser(u account.User) apiUser {
	return apiUser{ID: u.ID, Email: u.Email, Name: u.Name, TimeZone: u.TimeZone, CreatedAt: u.CreatedAt}
}

type apiAuth struct {
	User      apiUser   `json:"user"`
	CSRFToken string    `json:"csrf_token"`
	ExpiresAt time.Time `json:"expires_at"`
}

type apiMe struct {
	apiUser
	// CSRFToken is present when the request came with the session cookie, so a
	// reloaded page can recover it.
	CSRFToken *string `json:"csrf_token,omitempty"`
}

type apiToken struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	Token      string     `json:"token,omitempty"`
}

func toAPIToken(t account.Token) apiToken {
	return apiToken{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt}
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
		AllDay: m.AllDay, Status: m.Status, Description: m.Description, Location: m.Location, VideoURL: m.VideoURL,
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

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func toAPINote(n note.Note) apiNote {
	return apiNote{ID: n.ID, Body: n.Body, Version: n.Version, UpdatedAt: n.UpdatedAt}
}

type apiPersonRef struct {
	PersonID string `json:"person_id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
}

type apiActionItem struct {
	ID          string        `json:"id"`
	Title       string        `json:"title"`
	Status      string        `json:"status"`
	Owner       *apiPersonRef `json:"owner"`
	DueAt       *time.Time    `json:"due_at"`
	MeetingID   *string       `json:"meeting_id"`
	CreatedAt   time.Time     `json:"created_at"`
	CompletedAt *time.Time    `json:"completed_at"`
	RemindAt    *time.Time    `json:"remind_at"`
	NextMeeting bool          `json:"next_meeting"`
	InNote      bool          `json:"in_note"`
	PersonID    *string       `json:"person_id"`
}

func toAPIActionItem(a actionitem.Item) apiActionItem {
	out := apiActionItem{ID: a.ID, Title: a.Title, Status: a.Status, DueAt: a.DueAt, MeetingID: a.MeetingID,
		CreatedAt: a.CreatedAt, CompletedAt: a.CompletedAt, RemindAt: a.RemindAt, NextMeeting: a.NextMeeting, InNote: a.InNote, PersonID: a.PersonID}
	if a.Owner != nil {
		out.Owner = &apiPersonRef{PersonID: a.Owner.PersonID, Name: a.Owner.Name, Email: a.Owner.Email}
	}
	return out
}

type apiGroup struct {
	Person *apiPersonRef   `json:"person"`
	Items  []apiActionItem `json:"items"`
}

type apiGrouped struct {
	View   string     `json:"view"`
	Groups []apiGroup `json:"groups"`
}

func toAPIGroups(view string, gs []actionitem.Group) apiGrouped {
	return apiGrouped{View: view, Groups: mapAll(gs, func(g actionitem.Group) apiGroup {
		out := apiGroup{Items: mapAll(g.Items, toAPIActionItem)}
		if g.Person != nil {
			out.Person = &apiPersonRef{PersonID: g.Person.PersonID, Name: g.Person.Name, Email: g.Person.Email}
		}
		return out
	})}
}

type apiDecision struct {
	ID             string         `json:"id"`
	Text           string         `json:"text"`
	DecidedAt      time.Time      `json:"decided_at"`
	MeetingID      *string        `json:"meeting_id"`
	SupersededByID *string        `json:"superseded_by_id"`
	People         []apiPersonRef `json:"people"`
	CreatedAt      time.Time      `json:"created_at"`
	InNote         bool           `json:"in_note"`
	PersonID       *string        `json:"person_id"`
}

func toAPIDecision(d decision.Decision) apiDecision {
	return apiDecision{ID: d.ID, Text: d.Text, DecidedAt: d.DecidedAt, MeetingID: d.MeetingID,
		SupersededByID: d.SupersededByID, CreatedAt: d.CreatedAt, InNote: d.InNote, PersonID: d.PersonID,
		People: mapAll(d.People, func(p decision.PersonRef) apiPersonRef {
			return apiPersonRef{PersonID: p.PersonID, Name: p.Name, Email: p.Email}
		})}
}

type apiQuestion struct {
	ID         string     `json:"id"`
	Text       string     `json:"text"`
	Status     string     `json:"status"`
	MeetingID  *string    `json:"meeting_id"`
	CreatedAt  time.Time  `json:"created_at"`
	AnsweredAt *time.Time `json:"answered_at"`
	RemindAt   *time.Time `json:"remind_at"`
	InNote     bool       `json:"in_note"`
	PersonID   *string    `json:"person_id"`
	Answer     *string    `json:"answer"`
}

func toAPIQuestion(q question.Question) apiQuestion {
	return apiQuestion{ID: q.ID, Text: q.Text, Status: q.Status, MeetingID: q.MeetingID, CreatedAt: q.CreatedAt,
		AnsweredAt: q.AnsweredAt, RemindAt: q.RemindAt, InNote: q.InNote, PersonID: q.PersonID, Answer: q.Answer}
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
