// Package note owns notes: Markdown text on a meeting, on a person, or
// alone, saved with an optimistic lock (its version).
package note

import (
	"context"
	"time"

	"github.com/debrief-hq/debrief/internal/apperr"
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

// Store is what the service needs from the database.
type Store interface {
	// GetNote returns the note on a meeting or person; (nil, nil) when the
	// subject exists but has no note yet, NotFound when the subject does not.
	GetNote(ctx context.Context, owner string, on Subject, id string) (*Note, error)
	SaveNote(ctx context.Context, owner string, on Subject, id string, in SaveInput) (Note, error)
}

// Service runs notes.
type Service struct {
	store Store
	limit int
}

// NewService builds the service; maxBytes caps a note's size.
func NewService(store Store, maxBytes int) *Service { return &Service{store: store, limit: maxBytes} }

// Get returns a subject's note, or nil when it has none yet.
func (s *Service) Get(ctx context.Context, owner string, on Subject, id string) (*Note, error) {
	return s.store.GetNote(ctx, owner, on, id)
}

// Save replaces a subject's note.
func (s *Service) Save(ctx context.Context, owner string, on Subject, id string, in SaveInput) (Note, error) {
	var f apperr.Fields
	if len(in.Body) > s.limit {
		f.Add("body", "is %d bytes; a note may be at most %d", len(in.Body), s.limit)
	}
	if in.IfVersion != nil && *in.IfVersion < 0 {
		f.Add("If-Match", "must be a version number")
	}
	if err := f.Err(); err != nil {
		return Note{}, err
	}
	return s.store.SaveNote(ctx, owner, on, id, in)
}
