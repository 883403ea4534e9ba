// Package note owns notes: Markdown text on a meeting, on a person, or
// alone, saved with an optimistic lock (its version).
package note

import (
	"context"
	"time"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/capture"
)

// Note is a note as stored.
type Note struct {
	ID        string
	Body      string
	Version   int
	MeetingID *string
	PersonID  *string
	UpdatedAt time.Time
}

// Subject says what a note is attached to.
type Subject int

const (
	OnMeeting Subject = iota
	OnPerson
)

// SaveInput replaces a note's body.
type SaveInput struct {
	Body string
	// IfVersion, when set, makes the save fail with PreconditionFailed unless
	// the stored version is this one (0 = the note must not exist yet).
	IfVersion *int
}

// Extraction is what a save must bring the graph in step with: the note's
// parsed item lines and mentions. In the save's transaction the store gives
// each line without a block id the id of the note's item it continues
// (capture.Match) or a new one, appended to the saved body.
type Extraction struct {
	Items    []capture.Item
	Mentions []capture.Mention
	// Location and Now resolve due dates ("by friday") for the user.
	Location *time.Location
	Now      time.Time
	// MorningHour is when a `remind:<date>` without a time reminds (the
	// person's reminder settings; the store fills it in).
	MorningHour int
	// MeetingStart is when the note's meeting starts (the store fills it
	// in; nil for a note on a person).
	MeetingStart *time.Time
}

// DueFrom is the moment relative due dates count from: the meeting's start
// when the note belongs to a meeting of an earlier day ("by friday" in the
// notes of last Tuesday's meeting is the Friday after it), else now.
func (ex Extraction) DueFrom() time.Time {
	if ex.MeetingStart == nil {
		return ex.Now
	}
	loc := ex.Location
	if loc == nil {
		loc = time.UTC
	}
	now := ex.Now.In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	if ex.MeetingStart.Before(today) {
		return *ex.MeetingStart
	}
	return ex.Now
}

// Saved is a saved note, the @mentions that matched nobody and what the
// save could not read as meant (a due date that is no date).
type Saved struct {
	Note
	Unresolved []string
	Warnings   []capture.Warning
}

// Store is what the service needs from the database.
type Store interface {
	// GetNote returns the note on a meeting or person: NoneYet when the
	// subject exists but has no note yet, NotFound when the subject does not.
	GetNote(ctx context.Context, owner string, on Subject, id string) (Note, error)
	// SaveNote saves the body and reconciles the extracted items in the same
	// transaction.
	SaveNote(ctx context.Context, owner string, on Subject, id string, in SaveInput, ex Extraction) (Saved, error)
}

// MaxItems bounds the items one note may hold: every save reconciles all of
// them inside the single writer's transaction.
const MaxItems = 2000

// Service runs notes.
type Service struct {
	store Store
	limit int
}

// NewService builds the service; maxBytes caps a note's size.
func NewService(store Store, maxBytes int) *Service { return &Service{store: store, limit: maxBytes} }

// Get returns a subject's note (NoneYet when it has none).
func (s *Service) Get(ctx context.Context, owner string, on Subject, id string) (Note, error) {
	return s.store.GetNote(ctx, owner, on, id)
}

// NoneYet is the NotFound of a meeting or person that has no note yet (a
// PUT makes one).
func NoneYet(on Subject) error {
	what := "meeting"
	if on == OnPerson {
		what = "person"
	}
	return apperr.NotFound("note (this " + what + " has none yet; PUT one)")
}

// Save replaces a subject's note: the body is parsed, each extracted line
// without a block id gets one (its item's, when the note already has the
// line, else a new one; the saved body is returned), and action items,
// questions and decisions are created, updated or closed to match. loc is
// the user's time zone, for due dates.
func (s *Service) Save(ctx context.Context, owner string, loc *time.Location, on Subject, id string, in SaveInput) (Saved, error) {
	var f apperr.Fields
	if len(in.Body) > s.limit {
		f.Add("body", "is %d bytes; a note may be at most %d", len(in.Body), s.limit)
	}
	if in.IfVersion != nil && *in.IfVersion < 0 {
		f.Add("If-Match", "must be a version number")
	}
	if err := f.Err(); err != nil {
		return Saved{}, err
	}
	if loc == nil {
		loc = time.UTC
	}
	parsed := capture.Parse(in.Body)
	if len(parsed.Items) > MaxItems {
		var f apperr.Fields
		f.Add("body", "has %d action items, questions and decisions; a note may hold at most %d (split it into several notes)", len(parsed.Items), MaxItems)
		return Saved{}, f.Err()
	}
	now := time.Now()
	saved, err := s.store.SaveNote(ctx, owner, on, id, in, Extraction{Items: parsed.Items, Mentions: parsed.Mentions, Location: loc, Now: now})
	if err != nil {
		return saved, err
	}
	saved.Warnings = capture.DueWarnings(parsed.Items, now, loc)
	return saved, nil
}
