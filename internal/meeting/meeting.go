// Package meeting owns meetings: their times, status, series and attendees,
// and the meeting page that gathers the note and items extracted from it.
package meeting

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/debrief-hq/debrief/internal/account"
	"github.com/debrief-hq/debrief/internal/actionitem"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/cursor"
	"github.com/debrief-hq/debrief/internal/decision"
	"github.com/debrief-hq/debrief/internal/note"
	"github.com/debrief-hq/debrief/internal/question"
)

// Status is whether a meeting happens.
type Status string

// Status values.
const (
	StatusConfirmed Status = "confirmed"
	StatusTentative Status = "tentative"
	StatusCancelled Status = "cancelled"
)

// Response status values of an attendee.
const (
	ResponseNeedsAction = "needs_action"
	ResponseAccepted    = "accepted"
	ResponseDeclined    = "declined"
	ResponseTentative   = "tentative"
)

// MaxAttendees bounds one meeting's attendee list.
const MaxAttendees = 500

// Attendee is a person at a meeting.
type Attendee struct {
	PersonID       string
	Email          string
	Name           string
	ResponseStatus string
	Organizer      bool
	Optional       bool
}

// Meeting is one meeting.
type Meeting struct {
	ID          string
	Title       string
	Description string
	Location    string
	VideoURL    string
	StartsAt    time.Time
	EndsAt      time.Time
	TimeZone    string
	AllDay      bool
	Status      Status
	SeriesID    *string
	Attendees   []Attendee
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Hidden is set while its person keeps it out of their views.
	Hidden bool
	// CalendarSays is, for a meeting from a calendar, what the calendar says
	// of each field its person changed ("title", "starts_at", …; times in
	// RFC 3339): their values stay across syncs.
	CalendarSays map[string]string
}

// Detail is the meeting page: the meeting, its note and what was extracted.
type Detail struct {
	Meeting
	// AgendaTemplate is its series' agenda: what its note starts from
	// while it has none ("" when none).
	AgendaTemplate string
	Note           *note.Note
	ActionItems    []actionitem.Item
	Decisions      []decision.Decision
	Questions      []question.Question
}

// AttendeeInput names an attendee by email, or by name alone (a person of
// that name, else a new one); the person is found or created.
type AttendeeInput struct {
	Email          string
	Name           string
	ResponseStatus string
	Organizer      bool
	Optional       bool
}

// CreateInput is a new meeting.
type CreateInput struct {
	Title       string
	Description string
	Location    string
	VideoURL    string
	StartsAt    time.Time
	EndsAt      time.Time
	TimeZone    string
	AllDay      bool
	Status      Status
	SeriesID    *string
	Attendees   []AttendeeInput
}

// Validate normalises and checks the input.
func (in *CreateInput) Validate() error {
	var f apperr.Fields
	in.Title = strings.TrimSpace(in.Title)
	checkText(&f, in.Title, in.Location, in.VideoURL, in.Description)
	if in.EndsAt.IsZero() {
		in.EndsAt = in.StartsAt
	}
	if err := CheckTimes(in.StartsAt, in.EndsAt); err != nil && !in.StartsAt.IsZero() {
		f.Add("ends_at", "must not be before starts_at")
	}
	if in.TimeZone == "" {
		in.TimeZone = "UTC"
	}
	if !account.ValidTimeZone(in.TimeZone) {
		f.Add("time_zone", "%q is not an IANA time zone such as Europe/Berlin", in.TimeZone)
	}
	if in.Status == "" {
		in.Status = StatusConfirmed
	} else if !ValidStatus(in.Status) {
		f.Add("status", "must be confirmed, tentative or cancelled")
	}
	checkAttendees(&f, in.Attendees)
	return f.Err()
}

func checkText(f *apperr.Fields, title, location, videoURL, description string) {
	f.MaxLen("title", title, 1000)
	f.MaxLen("location", location, 1000)
	if videoURL != "" {
		u, err := url.Parse(videoURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(videoURL) > 2048 {
			f.Add("video_url", "must be an http(s) URL of at most 2048 characters")
		}
	}
	_ = description // any length: bounded by the request body limit
}

func checkAttendees(f *apperr.Fields, as []AttendeeInput) {
	if len(as) > MaxAttendees {
		f.Add("attendees", "must list at most %d people", MaxAttendees)
		return
	}
	seen := map[string]bool{}
	for i := range as {
		a := &as[i]
		a.Email = account.NormalizeEmail(a.Email)
		a.Name = strings.TrimSpace(a.Name)
		field := fmt.Sprintf("attendees[%d]", i)
		switch {
		case a.Email == "" && a.Name == "":
			f.Add(field, "needs an email address or a name")
		case a.Email == "":
			key := "name:" + strings.ToLower(a.Name)
			if seen[key] {
				f.Add(field+".name", "%s is listed twice", a.Name)
			}
			seen[key] = true
		case !account.ValidEmail(a.Email):
			f.Add(field+".email", "must be an email address such as ada@example.com")
		case seen[a.Email]:
			f.Add(field+".email", "%s is listed twice", a.Email)
		}
		seen[a.Email] = true
		f.MaxLen(field+".name", a.Name, 200)
		if a.ResponseStatus == "" {
			a.ResponseStatus = ResponseNeedsAction
		} else if !validResponse(a.ResponseStatus) {
			f.Add(field+".response_status", "must be needs_action, accepted, declined or tentative")
		}
	}
}

func validResponse(s string) bool {
	return s == ResponseNeedsAction || s == ResponseAccepted || s == ResponseDeclined || s == ResponseTentative
}

// ValidStatus reports whether s is a meeting status.
func ValidStatus(s Status) bool {
	return s == StatusConfirmed || s == StatusTentative || s == StatusCancelled
}

// CheckTimes reports an invalid time range.
func CheckTimes(start, end time.Time) error {
	if end.Before(start) {
		var f apperr.Fields
		f.Add("ends_at", "must not be before starts_at")
		return f.Err()
	}
	return nil
}

// UpdateInput changes a meeting; nil fields stay.
type UpdateInput struct {
	Title       *string
	Description *string
	Location    *string
	VideoURL    *string
	StartsAt    *time.Time
	EndsAt      *time.Time
	TimeZone    *string
	AllDay      *bool
	Status      *Status
	SeriesID    *string
	ClearSeries bool
	Attendees   *[]AttendeeInput
	// Hidden hides the meeting from its person's views (true) or shows it
	// again (false).
	Hidden *bool
}

// Validate normalises and checks the input.
func (in *UpdateInput) Validate() error {
	var f apperr.Fields
	if in.Title != nil {
		t := strings.TrimSpace(*in.Title)
		in.Title = &t
	}
	checkText(&f, deref(in.Title), deref(in.Location), deref(in.VideoURL), deref(in.Description))
	if in.TimeZone != nil && !account.ValidTimeZone(*in.TimeZone) {
		f.Add("time_zone", "%q is not an IANA time zone such as Europe/Berlin", *in.TimeZone)
	}
	if in.Status != nil && !ValidStatus(*in.Status) {
		f.Add("status", "must be confirmed, tentative or cancelled")
	}
	if in.Attendees != nil {
		checkAttendees(&f, *in.Attendees)
	}
	return f.Err()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Filter narrows a list of meetings, ordered by start time.
type Filter struct {
	From     *time.Time // meetings ending after
	To       *time.Time // meetings starting before
	PersonID string
	SeriesID string
	Status   Status
	// Hidden lists the hidden meetings (only those) instead of the others.
	Hidden bool
	Page   cursor.Page
}

// Store is what the service needs from the database.
type Store interface {
	CreateMeeting(ctx context.Context, owner string, in CreateInput) (Meeting, error)
	GetMeeting(ctx context.Context, owner, id string) (Detail, error)
	UpdateMeeting(ctx context.Context, owner, id string, in UpdateInput) (Meeting, error)
	DeleteMeeting(ctx context.Context, owner, id string) error
	ListMeetings(ctx context.Context, owner string, f Filter) (cursor.Result[Meeting], error)
	// NextMeeting is the owner's meeting not cancelled that ends after now
	// and starts first (all-day ones aside).
	NextMeeting(ctx context.Context, owner string, now time.Time) (Meeting, error)
}

// Service runs meetings.
type Service struct{ store Store }

// NewService builds the service.
func NewService(store Store) *Service { return &Service{store: store} }

// Create adds a meeting; an empty time zone takes the user's.
// A meeting without a start is an ad-hoc one: it starts now (to the
// minute) and, without an end, lasts AdHocLength.
func (s *Service) Create(ctx context.Context, owner, userTZ string, in CreateInput) (Meeting, error) {
	if in.TimeZone == "" {
		in.TimeZone = userTZ
	}
	if in.StartsAt.IsZero() {
		in.StartsAt = time.Now().UTC().Truncate(time.Minute)
		if in.EndsAt.IsZero() {
			in.EndsAt = in.StartsAt.Add(AdHocLength)
		}
	}
	if err := in.Validate(); err != nil {
		return Meeting{}, err
	}
	return s.store.CreateMeeting(ctx, owner, in)
}

// AdHocLength is how long a meeting started now without an end lasts.
const AdHocLength = 30 * time.Minute

// Next is the meeting going on now, else the next one to start (cancelled
// ones are not happening); NotFound when none lies ahead.
func (s *Service) Next(ctx context.Context, owner string) (Meeting, error) {
	return s.store.NextMeeting(ctx, owner, time.Now())
}

// Get returns the meeting page.
func (s *Service) Get(ctx context.Context, owner, id string) (Detail, error) {
	return s.store.GetMeeting(ctx, owner, id)
}

// Update changes a meeting.
func (s *Service) Update(ctx context.Context, owner, id string, in UpdateInput) (Meeting, error) {
	if err := in.Validate(); err != nil {
		return Meeting{}, err
	}
	return s.store.UpdateMeeting(ctx, owner, id, in)
}

// Delete removes a meeting and its note; extracted items stay, unlinked.
func (s *Service) Delete(ctx context.Context, owner, id string) error {
	return s.store.DeleteMeeting(ctx, owner, id)
}

// List lists meetings by start time.
func (s *Service) List(ctx context.Context, owner string, f Filter) (cursor.Result[Meeting], error) {
	var fe apperr.Fields
	if f.Status != "" && !ValidStatus(f.Status) {
		fe.Add("status", "must be confirmed, tentative or cancelled")
	}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		fe.Add("to", "must not be before from")
	}
	if err := fe.Err(); err != nil {
		return cursor.Result[Meeting]{}, err
	}
	return s.store.ListMeetings(ctx, owner, f)
}
