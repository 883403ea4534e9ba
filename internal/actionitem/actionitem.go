// Package actionitem owns action items: things someone owes, with an owner
// (a Person, or nobody meaning the user), a due date and a status.
package actionitem

import (
	"context"
	"strings"
	"time"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/cursor"
)

// Status is where an item stands.
type Status string

// Status values.
const (
	StatusOpen    Status = "open"
	StatusDone    Status = "done"
	StatusDropped Status = "dropped"
)

// ValidStatus reports whether s is a status.
func ValidStatus(s Status) bool { return s == StatusOpen || s == StatusDone || s == StatusDropped }

// Owner is the person who owes an item.
type Owner struct {
	PersonID string
	Name     string
	Email    string
}

// Item is an action item.
type Item struct {
	ID          string
	Title       string
	Status      Status
	Owner       *Owner // nil: the user owes it
	DueAt       *time.Time
	MeetingID   *string
	CreatedAt   time.Time
	CompletedAt *time.Time
	// RemindAt is when the user is reminded of it (nil: on its due day).
	RemindAt *time.Time
	// NextMeeting: it waits for the next meeting with the people it names.
	NextMeeting bool
	// InNote is true while the item's line is in its note.
	InNote bool
	// PersonID is the person whose note it came from (a 1:1 topic).
	PersonID *string
}

// CreateInput is a new action item.
type CreateInput struct {
	Title     string
	OwnerID   *string // person id; nil for me
	DueAt     *time.Time
	MeetingID *string
	Status    Status
}

// Validate normalises and checks the input.
func (in *CreateInput) Validate() error {
	var f apperr.Fields
	in.Title = strings.TrimSpace(in.Title)
	checkTitle(&f, in.Title)
	if in.Status == "" {
		in.Status = StatusOpen
	} else if !ValidStatus(in.Status) {
		f.Add("status", "must be open, done or dropped")
	}
	return f.Err()
}

func checkTitle(f *apperr.Fields, t string) {
	if t == "" {
		f.Add("title", "is required")
	}
	f.MaxLen("title", t, 2000)
}

// UpdateInput changes an item; nil fields stay, Clear* fields empty them.
type UpdateInput struct {
	Title      *string
	Status     *Status
	OwnerID    *string
	ClearOwner bool
	DueAt      *time.Time
	ClearDue   bool
	// RemindAt reminds the user then (a snooze moves it); ClearRemind
	// removes it.
	RemindAt    *time.Time
	ClearRemind bool
}

// Validate normalises and checks the input.
func (in *UpdateInput) Validate() error {
	var f apperr.Fields
	if in.Title != nil {
		t := strings.TrimSpace(*in.Title)
		in.Title = &t
		checkTitle(&f, t)
	}
	if in.Status != nil && !ValidStatus(*in.Status) {
		f.Add("status", "must be open, done or dropped")
	}
	return f.Err()
}

// Filter narrows a list.
type Filter struct {
	Status    Status
	OwnerID   string // a person id, or "me"
	MeetingID string
	DueBefore *time.Time
	DueAfter  *time.Time
	Page      cursor.Page
}

// Validate checks the filter.
func (fl Filter) Validate() error {
	var f apperr.Fields
	if fl.Status != "" && !ValidStatus(fl.Status) {
		f.Add("status", "must be open, done or dropped")
	}
	return f.Err()
}

// Views group open items by person.
const (
	// ViewIOwe groups what the user owes by the people of the meeting each
	// item came from (an item from a meeting with two people is under both).
	ViewIOwe = "i_owe"
	// ViewOwedToMe groups what others owe by who owes it.
	ViewOwedToMe = "owed_to_me"
)

// GroupLimit bounds the items a grouped view reads.
const GroupLimit = 500

// Group is one person's items in a view; Person is nil for items tied to
// nobody (no meeting, or a meeting without attendees).
type Group struct {
	Person *Owner
	Items  []Item
}

// Store is what the service needs from the database.
type Store interface {
	GroupActionItems(ctx context.Context, owner, view string) ([]Group, error)
	CreateActionItem(ctx context.Context, owner string, in CreateInput) (Item, error)
	ActionItem(ctx context.Context, owner, id string) (Item, error)
	UpdateActionItem(ctx context.Context, owner, id string, in UpdateInput) (Item, error)
	ListActionItems(ctx context.Context, owner string, f Filter) (cursor.Result[Item], error)
}

// Service runs action items.
type Service struct{ store Store }

// NewService builds the service.
func NewService(store Store) *Service { return &Service{store: store} }

// Create adds an item.
func (s *Service) Create(ctx context.Context, owner string, in CreateInput) (Item, error) {
	if err := in.Validate(); err != nil {
		return Item{}, err
	}
	return s.store.CreateActionItem(ctx, owner, in)
}

// Get reads one item.
func (s *Service) Get(ctx context.Context, owner, id string) (Item, error) {
	return s.store.ActionItem(ctx, owner, id)
}

// Update changes an item.
func (s *Service) Update(ctx context.Context, owner, id string, in UpdateInput) (Item, error) {
	if err := in.Validate(); err != nil {
		return Item{}, err
	}
	return s.store.UpdateActionItem(ctx, owner, id, in)
}

// Grouped returns the open items of a view, grouped by person (by name,
// nobody last).
func (s *Service) Grouped(ctx context.Context, owner, view string) ([]Group, error) {
	if view != ViewIOwe && view != ViewOwedToMe {
		var f apperr.Fields
		f.Add("view", "must be i_owe or owed_to_me")
		return nil, f.Err()
	}
	return s.store.GroupActionItems(ctx, owner, view)
}

// List lists items.
func (s *Service) List(ctx context.Context, owner string, f Filter) (cursor.Result[Item], error) {
	if err := f.Validate(); err != nil {
		return cursor.Result[Item]{}, err
	}
	return s.store.ListActionItems(ctx, owner, f)
}
