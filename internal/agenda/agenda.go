// Package agenda owns the views that put the graph to work for a day: what
// is on today, what is open, what is overdue.
package agenda

import (
	"context"
	"time"

	"github.com/debrief-hq/debrief/internal/actionitem"
	"github.com/debrief-hq/debrief/internal/meeting"
	"github.com/debrief-hq/debrief/internal/question"
)

// Today is one day in the user's time zone.
type Today struct {
	Date     string // YYYY-MM-DD
	Meetings []meeting.Meeting
	// OpenActionItems are open items the user owes that are not overdue,
	// soonest due first, undated last.
	OpenActionItems []actionitem.Item
	// Overdue are open items due before the day, whoever owes them.
	Overdue       []actionitem.Item
	OpenQuestions []question.Question
}

// ListLimit bounds each list of the day.
const ListLimit = 100

// Store is what the service needs from the database.
type Store interface {
	// Day returns the day from start (inclusive) to end (exclusive).
	Day(ctx context.Context, owner string, start, end time.Time) (Today, error)
}

// Service builds the views.
type Service struct{ store Store }

// NewService builds the service.
func NewService(store Store) *Service { return &Service{store: store} }

// Today returns the day containing date in loc (a zero date means now).
func (s *Service) Today(ctx context.Context, owner string, date time.Time, loc *time.Location) (Today, error) {
	if date.IsZero() {
		date = time.Now()
	}
	date = date.In(loc)
	start := time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, loc)
	t, err := s.store.Day(ctx, owner, start, start.AddDate(0, 0, 1))
	t.Date = start.Format(time.DateOnly)
	return t, err
}
