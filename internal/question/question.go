// Package question owns open questions (`??` in notes) and their answers.
package question

import (
	"context"
	"strings"
	"time"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/cursor"
)

// Status is where a question stands.
type Status string

// Status values.
const (
	StatusOpen     Status = "open"
	StatusAnswered Status = "answered"
	// StatusDropped is an open question whose line left its note.
	StatusDropped Status = "dropped"
)

// ValidStatus reports whether s is a question status.
func ValidStatus(s Status) bool { return s == StatusOpen || s == StatusAnswered || s == StatusDropped }

// Question is an open question to follow up.
type Question struct {
	ID         string
	Text       string
	Status     Status
	MeetingID  *string
	CreatedAt  time.Time
	AnsweredAt *time.Time
	// RemindAt is when the user is reminded of it.
	RemindAt *time.Time
	// InNote is true while the question's line is in its note.
	InNote bool
	// PersonID is the person whose note it came from (a 1:1 topic).
	PersonID *string
	// Answer is the answer: the `A: …` line under it in its note, or set
	// through the API.
	Answer *string
}

// UpdateInput changes a question; nil fields stay.
type UpdateInput struct {
	Text   *string
	Status *Status
	// RemindAt reminds the user then (a snooze moves it); ClearRemind
	// removes it.
	RemindAt    *time.Time
	ClearRemind bool
	// Answer answers it (and writes `A: …` under its line in its note);
	// "" takes the answer back.
	Answer *string
}

// Validate normalises and checks the input.
func (in *UpdateInput) Validate() error {
	var f apperr.Fields
	if in.Text != nil {
		t := strings.TrimSpace(*in.Text)
		in.Text = &t
		if t == "" {
			f.Add("text", "must not be empty")
		}
		f.MaxLen("text", t, 2000)
	}
	if in.Answer != nil {
		a := strings.Join(strings.Fields(*in.Answer), " ")
		in.Answer = &a
		f.MaxLen("answer", a, 2000)
	}
	if in.Status != nil && !ValidStatus(*in.Status) {
		f.Add("status", "must be open, answered or dropped")
	}
	return f.Err()
}

// Filter narrows a list.
type Filter struct {
	Status    Status
	MeetingID string
	Page      cursor.Page
}

// Store is what the service needs from the database.
type Store interface {
	Question(ctx context.Context, owner, id string) (Question, error)
	UpdateQuestion(ctx context.Context, owner, id string, in UpdateInput) (Question, error)
	ListQuestions(ctx context.Context, owner string, f Filter) (cursor.Result[Question], error)
}

// Service runs questions.
type Service struct{ store Store }

// NewService builds the service.
func NewService(store Store) *Service { return &Service{store: store} }

// Get reads one question.
func (s *Service) Get(ctx context.Context, owner, id string) (Question, error) {
	return s.store.Question(ctx, owner, id)
}

// Update changes a question.
func (s *Service) Update(ctx context.Context, owner, id string, in UpdateInput) (Question, error) {
	if err := in.Validate(); err != nil {
		return Question{}, err
	}
	return s.store.UpdateQuestion(ctx, owner, id, in)
}

// List lists questions.
func (s *Service) List(ctx context.Context, owner string, f Filter) (cursor.Result[Question], error) {
	if f.Status != "" && !ValidStatus(f.Status) {
		var fe apperr.Fields
		fe.Add("status", "must be open, answered or dropped")
		return cursor.Result[Question]{}, fe.Err()
	}
	return s.store.ListQuestions(ctx, owner, f)
}
