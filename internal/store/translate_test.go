package store

import (
	"errors"
	"fmt"
	"testing"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/internal/apperr"
)

// TestTranslate: errors from the database become the application's kinds,
// wrapped or not (a wrapped validation error used to panic).
func TestTranslate(t *testing.T) {
	for _, tc := range []struct {
		err  error
		kind apperr.Kind
	}{
		{&ent.ValidationError{Name: "title"}, apperr.KindInvalid},
		{fmt.Errorf("saving: %w", &ent.ValidationError{Name: "title"}), apperr.KindInvalid},
		{fmt.Errorf("reading: %w", &ent.NotFoundError{}), apperr.KindNotFound},
		{apperr.NotFound("meeting"), apperr.KindNotFound},
	} {
		var ae *apperr.Error
		if got := translate(tc.err); !errors.As(got, &ae) || ae.Kind != tc.kind {
			t.Errorf("translate(%v) = %v, want kind %v", tc.err, got, tc.kind)
		}
	}
	if translate(nil) != nil {
		t.Error("translate(nil) is not nil")
	}
}
