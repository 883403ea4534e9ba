// Package decision owns decisions: what was decided, when, with whom, and
// which later decision superseded it.
package decision

import (
	"context"
	"strings"
	"time"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/cursor"
)

// PersonRef names a person involved in a decision.
type PersonRef struct {
	PersonID string
	Name     string
	Email    string
}

// Decision is something decided.
type Decision struct {
	ID             string
	Text           string
	DecidedAt      time.Time
	MeetingID      *string
	SupersededByID *string
	People         []PersonRef
	CreatedAt      time.Time
	// InNote is true while the decision's line is in its note.
	InNote bool
	// PersonID is the person whose note it came from (a 1:1 topic).
	PersonID *string
}

// CreateInput is a new decision.
type CreateInput struct {
	Text      string
	DecidedAt *time.Time // nil: now
	MeetingID *string
	PersonIDs []string
}

func checkText(f *apperr.Fields, t string) {
	if t == "" {
		f.Add("text", "is required")
	}
	f.MaxLen("text", t, 2000)
}

// Validate normalises and checks the input.
func (in *CreateInput) Validate() error {
	var f apperr.Fields
	in.Text = strings.TrimSpace(in.Text)
	checkText(&f, in.Text)
	if len(in.PersonIDs) > 100 {
		f.Add("person_ids", "must name at most 100 people")
	}
	return f.Err()
}

// UpdateInput changes a decision; nil fields stay.
type UpdateInput struct {
	Text              *string
	DecidedAt         *time.Time
	SupersededByID    *string
	ClearSupersededBy bool
	PersonIDs         *[]string
}

// Validate normalises and checks the input.
func (in *UpdateInput) Validate(id string) error {
	var f apperr.Fields
	if in.Text != nil {
		t := strings.TrimSpace(*in.Text)
		in.Text = &t
		checkText(&f, t)
	}
	if in.SupersededByID != nil && *in.SupersededByID == id {
		f.Add("superseded_by_id", "a decision cannot supersede itself")
	}
	if in.PersonIDs != nil && len(*in.PersonIDs) > 100 {
		f.Add("person_ids", "must name at most 100 people")
	}
	return f.Err()
}

// Filter narrows a list.
type Filter struct {
	MeetingID string
	PersonID  string
	// Current hides decisions that a later one superseded, and those whose
	// line left their note.
	Current bool
	Page    cursor.Page
}

// Store is what the service needs from the database.
type Store interface {
	CreateDecision(ctx context.Context, owner string, in CreateInput) (Decision, error)
	Decision(ctx context.Context, owner, id string) (Decision, error)
	UpdateDecision(ctx context.Context, owner, id string, in UpdateInput) (Decision, error)
	ListDecisions(ctx context.Context, owner string, f Filter) (cursor.Result[Decision], error)
}

// Service runs decisions.
type Service struct{ store Store }

// NewService builds the service.
func NewService(store Store) *Service { return &Service{store: store} }

// Create records a decision.
func (s *Service) Create(ctx context.Context, owner string, in CreateInput) (Decision, error) {
	if err := in.Validate(); err != nil {
		return Decision{}, err
	}
	if in.DecidedAt == nil {
		now := time.Now()
		in.DecidedAt = &now
	}
	return s.store.CreateDecision(ctx, owner, in)
}

// Get reads one decision.
func (s *Service) Get(ctx context.Context, owner, id string) (Decision, error) {
	return s.store.Decision(ctx, owner, id)
}

// Update changes a decision.
func (s *Service) Update(ctx context.Context, owner, id string, in UpdateInput) (Decision, error) {
	if err := in.Validate(id); err != nil {
		return Decision{}, err
	}
	return s.store.UpdateDecision(ctx, owner, id, in)
}

// List lists decisions, newest first.
func (s *Service) List(ctx context.Context, owner string, f Filter) (cursor.Result[Decision], error) {
	return s.store.ListDecisions(ctx, owner, f)
}
