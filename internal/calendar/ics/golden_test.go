package ics

import (
	"cmp"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/calendar"
)

var update = flag.Bool("update", false, "rewrite testdata/ics/expected.txt from what the parser reads now")

// TestFixturesOccurrenceByOccurrence reads every ICS fixture in one window
// and compares each occurrence (start, end, zone, status, UID, original
// start, title, attendees) and each problem with testdata/ics/expected.txt.
// The expectations were reviewed by hand when written (the RFC 5545 series,
// EXDATE/RDATE/RECURRENCE-ID files and zone files against the tests above,
// the rest against the files themselves); a change in what the parser reads
// shows up as a diff to review, and `go test -run Occurrence -update`
// writes the new expectations once it is understood.
func TestFixturesOccurrenceByOccurrence(t *testing.T) {
	files, err := filepath.Glob(fixtures + "*/*.ics")
	if err != nil || len(files) < 70 {
		t.Fatalf("found %d fixtures (%v)", len(files), err)
	}
	var sb strings.Builder
	for _, path := range files {
		name := strings.TrimPrefix(path, fixtures)
		describe(&sb, name, parseFile(t, name, wide, time.UTC))
	}
	got := sb.String()
	path := fixtures + "expected.txt"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		shown := 0
		for i := 0; i < max(len(gl), len(wl)) && shown < 20; i++ {
			g, w := "", ""
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Errorf("line %d:\n got %s\nwant %s", i+1, g, w)
				shown++
			}
		}
	}
}

// TestDeferredSeriesExpandAlike reads every fixture as a sync does (series
// deferred, expanded when applied) and checks that it gives exactly the
// occurrences and problems of a parse that expands everything at once.
func TestDeferredSeriesExpandAlike(t *testing.T) {
	files, err := filepath.Glob(fixtures + "*/*.ics")
	if err != nil || len(files) < 70 {
		t.Fatalf("found %d fixtures (%v)", len(files), err)
	}
	deferred := 0
	for _, path := range files {
		name := strings.TrimPrefix(path, fixtures)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var want, got strings.Builder
		all := Parse(data, Options{Window: wide, Floating: time.UTC})
		byStartAndID(all.Events)
		describe(&want, name, all)
		f := Read(data, wide, time.UTC)
		deferred += len(f.Series)
		count := len(f.Events)
		for _, d := range f.Series {
			count += d.Count
		}
		f.Flatten()
		byStartAndID(f.Events)
		if len(f.Events) != count {
			t.Errorf("%s: deferred series counted %d occurrences, expanded to %d", name, count, len(f.Events))
		}
		describe(&got, name, f)
		if got.String() != want.String() {
			t.Errorf("%s read deferred:\n%s\nread at once:\n%s", name, got.String(), want.String())
		}
	}
	if deferred < 20 {
		t.Errorf("only %d series were deferred: the fixtures have more", deferred)
	}
}

// byStartAndID orders events of the same start (which the two reads list
// in different orders) by identity.
func byStartAndID(evs []calendar.Event) {
	slices.SortStableFunc(evs, func(a, b calendar.Event) int {
		return cmp.Or(a.Start.Compare(b.Start), strings.Compare(a.UID, b.UID), a.OriginalStart.Compare(b.OriginalStart))
	})
}

// describe writes what f holds, as expected.txt lists it.
func describe(sb *strings.Builder, name string, f *Feed) {
	const perFile = 60 // occurrences listed per file; the count covers the rest
	fmt.Fprintf(sb, "== %s: %d events\n", name, len(f.Events))
	for i, e := range f.Events {
		if i == perFile && len(f.Events) > perFile+5 {
			fmt.Fprintf(sb, "   … %d more\n", len(f.Events)-perFile-5)
		}
		if i >= perFile && i < len(f.Events)-5 {
			continue
		}
		orig := "-"
		if e.Recurring() {
			orig = e.OriginalStart.Format("20060102T150405Z")
		}
		fmt.Fprintf(sb, "   %s %s %s %s %s %s orig=%s %q att=%d\n", e.Start.Format("2006-01-02T15:04Z07:00"),
			e.End.Format("2006-01-02T15:04Z07:00"), map[bool]string{true: "allday", false: "timed"}[e.AllDay],
			orDash(e.TimeZone), e.Status, clip(e.UID), orig, clip(e.Title), len(e.Attendees))
	}
	for _, c := range f.Cancellations {
		fmt.Fprintf(sb, "   cancel %s %s\n", c.UID, c.OriginalStart.Format(time.RFC3339))
	}
	for _, p := range f.Problems {
		fmt.Fprintf(sb, "   ! %d skipped=%v %s\n", p.Line, p.Skipped, p.Reason)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
