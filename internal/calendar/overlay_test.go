package calendar

import (
	"testing"
	"time"
)

// TestOverlay: a person's edits survive syncs, the calendar's changes to
// the other fields come through, and what the calendar says of an edited
// field is kept beside it; editing back to the calendar's value gives the
// field back to the calendar.
func TestOverlay(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 12, 7, h, 0, 0, 0, time.UTC) }
	synced := Fields{Title: "Weekly", Description: "Agenda: status", Status: "confirmed", Start: at(9), End: at(10)}

	// The person moves it to 11:00 and renames it.
	edited := synced
	edited.Title, edited.Start, edited.End = "Weekly (moved)", at(11), at(12)
	says := Edit(synced, edited, nil)
	if len(says) != 3 || says["title"] != "Weekly" || says["starts_at"] != stamp(at(9)) || says["ends_at"] != stamp(at(10)) {
		t.Fatalf("says after the edit: %v", says)
	}

	// The organizer changes the description and moves it to 14:00.
	event := synced
	event.Description, event.Start, event.End = "Agenda: budget", at(14), at(15)
	out, says := Overlay(event, edited, says)
	if out.Title != "Weekly (moved)" || !out.Start.Equal(at(11)) || !out.End.Equal(at(12)) || out.Description != "Agenda: budget" {
		t.Errorf("after the sync: %+v", out)
	}
	if says["starts_at"] != stamp(at(14)) || says["title"] != "Weekly" {
		t.Errorf("what the calendar says: %v", says)
	}
	cal := Says(out, says)
	if !cal.Start.Equal(at(14)) || cal.Title != "Weekly" || cal.Description != "Agenda: budget" {
		t.Errorf("Says: %+v", cal)
	}

	// Back to the calendar's title: the calendar speaks for it again.
	back := out
	back.Title = "Weekly"
	says = Edit(out, back, says)
	if _, ok := says["title"]; ok || len(says) != 2 {
		t.Errorf("says after editing back: %v", says)
	}
	// Nothing edited: the event as it is.
	if got, s := Overlay(event, synced, nil); got != event || s != nil {
		t.Errorf("no edits: %+v %v", got, s)
	}
}
