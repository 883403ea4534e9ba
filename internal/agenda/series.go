package agenda

import (
	"context"
	"time"

	"github.com/debrief-hq/debrief/internal/actionitem"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/cursor"
	"github.com/debrief-hq/debrief/internal/decision"
	"github.com/debrief-hq/debrief/internal/meeting"
	"github.com/debrief-hq/debrief/internal/note"
	"github.com/debrief-hq/debrief/internal/question"
)

// Occurrence is one meeting of a series with its note and what it
// captured.
type Occurrence struct {
	Meeting     meeting.Meeting
	Note        *note.Note
	ActionItems []actionitem.Item
	Decisions   []decision.Decision // current ones: not superseded, their line in the note
	Questions   []question.Question
}

// Series is a recurring meeting's history: the past a page at a time,
// newest first, and what comes next.
type Series struct {
	ID    string
	Title string
	// AgendaTemplate is what a new occurrence's empty note starts from.
	AgendaTemplate string
	// Past are the occurrences that have started, newest first, a page at a
	// time.
	Past cursor.Result[Occurrence]
	// Upcoming are the next SeriesUpcoming occurrences, soonest first (on
	// the first page only): the year of empty occurrences a calendar
	// expands is not history.
	Upcoming []Occurrence
	// OpenActionItems and OpenQuestions are still open from occurrences
	// that have started: what the next one carries over.
	OpenActionItems []actionitem.Item
	OpenQuestions   []question.Question
}

// SeriesUpcoming is how many occurrences to come a series page shows.
const SeriesUpcoming = 2

// SeriesStore is what the series page needs from the database.
type SeriesStore interface {
	// Series reads a series: its occurrences started by now (a page of
	// them), the next ones when the page is the first, and what is open.
	Series(ctx context.Context, owner, id string, now time.Time, page cursor.Page) (Series, error)
	UpdateSeries(ctx context.Context, owner, id string, in SeriesUpdate) error
}

// SeriesUpdate changes a series; nil fields stay.
type SeriesUpdate struct {
	AgendaTemplate *string
}

// MaxAgendaTemplate bounds a series' agenda template.
const MaxAgendaTemplate = 64 << 10

// Validate normalises and checks the input.
func (in *SeriesUpdate) Validate() error {
	var f apperr.Fields
	if in.AgendaTemplate != nil && len(*in.AgendaTemplate) > MaxAgendaTemplate {
		f.Add("agenda_template", "is %d bytes; at most %d", len(*in.AgendaTemplate), MaxAgendaTemplate)
	}
	return f.Err()
}

// Update changes a series' agenda template and returns its first page.
func (s *SeriesService) Update(ctx context.Context, owner, id string, in SeriesUpdate, page cursor.Page) (Series, error) {
	if err := in.Validate(); err != nil {
		return Series{}, err
	}
	if err := s.store.UpdateSeries(ctx, owner, id, in); err != nil {
		return Series{}, err
	}
	return s.Get(ctx, owner, id, page)
}

// SeriesService serves series pages.
type SeriesService struct{ store SeriesStore }

// NewSeriesService builds the service.
func NewSeriesService(store SeriesStore) *SeriesService { return &SeriesService{store: store} }

// Get returns a page of a series.
func (s *SeriesService) Get(ctx context.Context, owner, id string, page cursor.Page) (Series, error) {
	return s.store.Series(ctx, owner, id, time.Now(), page)
}
