package agenda

import (
	"context"

	"github.com/debrief-hq/debrief/internal/actionitem"
	"github.com/debrief-hq/debrief/internal/meeting"
	"github.com/debrief-hq/debrief/internal/note"
)

// Occurrence is one meeting of a series with its note.
type Occurrence struct {
	Meeting meeting.Meeting
	Note    *note.Note
}

// Series is a recurring meeting's history.
type Series struct {
	ID    string
	Title string
	// Occurrences are newest first, at most SeriesOccurrences.
	Occurrences []Occurrence
	// OpenActionItems are still open from any occurrence: what carries over.
	OpenActionItems []actionitem.Item
}

// SeriesOccurrences bounds the occurrences a series page shows.
const SeriesOccurrences = 100

// SeriesStore is what the series page needs from the database.
type SeriesStore interface {
	Series(ctx context.Context, owner, id string) (Series, error)
}

// SeriesService serves series pages.
type SeriesService struct{ store SeriesStore }

// NewSeriesService builds the service.
func NewSeriesService(store SeriesStore) *SeriesService { return &SeriesService{store: store} }

// Get returns a series page.
func (s *SeriesService) Get(ctx context.Context, owner, id string) (Series, error) {
	return s.store.Series(ctx, owner, id)
}
