package ics

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/calendar"
)

// FuzzParse: any bytes read without panicking, within the limits, and every
// event that comes out is well formed. The seed corpus is every ICS fixture.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(fixtures + "*/*.ics")
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Nowhere:20260101T100000\r\nRRULE:FREQ=MINUTELY\r\nEND:VEVENT\r\n"))
	w := calendar.Window{From: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)}
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		feed := Parse(data, Options{Window: w, Floating: time.UTC})
		// A feed of a few kilobytes that takes seconds is a hang waiting
		// for a bigger one (the bound is loose: fuzzing shares the CPU).
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("parsing %d bytes took %v", len(data), d)
		}
		if len(feed.Events) > maxOccurrence {
			t.Fatalf("%d events", len(feed.Events))
		}
		for _, e := range feed.Events {
			if e.UID == "" || e.End.Before(e.Start) {
				t.Fatalf("malformed event %+v", e)
			}
			if e.Recurring() && e.SeriesKey == "" {
				t.Fatalf("occurrence without a series %+v", e)
			}
		}
		for _, p := range feed.Problems {
			if p.Reason == "" {
				t.Fatal("problem without a reason")
			}
		}
	})
}
