package capture

import (
	"testing"
	"time"
)

// TestDuePhrases: the due phrases people write, resolved from a Wednesday
// night in Berlin (and New York, where months come first).
func TestDuePhrases(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	newYork, _ := time.LoadLocation("America/New_York")
	now := time.Date(2026, 3, 4, 22, 30, 0, 0, time.UTC) // Wednesday, 23:30 in Berlin
	tests := []struct {
		phrase string
		loc    *time.Location
		want   string // "" = not a date
	}{
		{"next friday", berlin, "2026-03-13"},
		{"next Monday", berlin, "2026-03-09"},
		{"next wed", berlin, "2026-03-11"},
		{"in 2 days", berlin, "2026-03-06"},
		{"in two weeks", berlin, "2026-03-18"},
		{"in a week", berlin, "2026-03-11"},
		{"in 1 day", berlin, "2026-03-05"},
		{"end of month", berlin, "2026-03-31"},
		{"end of the month", berlin, "2026-03-31"},
		{"EOM", berlin, "2026-03-31"},
		{"eod", berlin, "2026-03-04"},
		{"end of day", berlin, "2026-03-04"},
		{"2026-12-24", berlin, "2026-12-24"},
		{"24.12.", berlin, "2026-12-24"},
		{"24.12.2026", berlin, "2026-12-24"},
		{"24.12.27", berlin, "2027-12-24"},
		{"24/12", berlin, "2026-12-24"},
		{"3/5", berlin, "2026-05-03"},
		{"3/5", newYork, "2026-03-05"},
		{"3.5.", newYork, "2026-05-03"}, // dots are day first everywhere
		{"1.3.", berlin, "2027-03-01"},  // already past this year: next year's
		{"24 Dec", berlin, "2026-12-24"},
		{"24 December 2027", berlin, "2027-12-24"},
		{"Dec 24", berlin, "2026-12-24"},
		{"December 24, 2027", berlin, "2027-12-24"},
		{"31.02.", berlin, ""},
		{"30/2", berlin, ""},
		{"next fortnight", berlin, ""},
		{"in many days", berlin, ""},
		{"13/13", berlin, ""},
	}
	for _, tt := range tests {
		got, ok := ResolveDue(tt.phrase, now, tt.loc)
		g := ""
		if ok {
			g = got.Format(time.DateOnly)
			if got.Hour() != 0 || got.Location() != tt.loc {
				t.Errorf("ResolveDue(%q) = %v: not the start of a day in %v", tt.phrase, got, tt.loc)
			}
		}
		if g != tt.want {
			t.Errorf("ResolveDue(%q, %v) = %q, want %q", tt.phrase, tt.loc, g, tt.want)
		}
	}
}

// TestDueInLines: which phrase of a line is its due date, what its title
// keeps, and what is reported as unreadable.
func TestDueInLines(t *testing.T) {
	tests := []struct {
		line, due, title, problem string
	}{
		{"!! send the deck by next friday", "next friday", "send the deck", ""},
		{"!! send the deck in 2 days", "in 2 days", "send the deck", ""},
		{"!! call Bob next tuesday", "next tuesday", "call Bob", ""},
		{"!! close the books end of month", "end of month", "close the books", ""},
		{"!! reply to legal eod", "eod", "reply to legal", ""},
		{"!! renew the domain by 24.12.", "24.12.", "renew the domain", ""},
		{"!! renew the domain due:2026-12-24", "2026-12-24", "renew the domain", ""},
		{"!! ship it tomorrow", "tomorrow", "ship it", ""},
		{"!! review tomorrow's agenda", "", "review tomorrow's agenda", ""},
		{"!! review the Monday report", "", "review the Monday report", ""},
		{"!! send it by email", "", "send it by email", ""},
		{"!! send it by friday remind:tomorrow 9:00", "friday", "send it", ""},
		{"!! pay the invoice due:someday", "", "pay the invoice due:someday", "due:someday"},
		{"!! pay the invoice by 31.02.", "", "pay the invoice by 31.02.", "by 31.02."},
		{"!! pay the invoice by next fortnight", "", "pay the invoice by next fortnight", "by next fortnight"},
		{"!! ask @alice about the budget next time", "", "ask @alice about the budget next time", ""},
	}
	for _, tt := range tests {
		it := Parse(tt.line).Items[0]
		if it.Due != tt.due {
			t.Errorf("%q: due %q, want %q", tt.line, it.Due, tt.due)
		}
		if got := Title(it, 0, false); got != tt.title {
			t.Errorf("%q: title %q, want %q", tt.line, got, tt.title)
		}
		if got := DueProblem(it.Text); got != tt.problem {
			t.Errorf("%q: problem %q, want %q", tt.line, got, tt.problem)
		}
	}
}

// TestMonthFirstLine: "5/13" is a date in New York (May 13th) though not
// in Berlin.
func TestMonthFirstLine(t *testing.T) {
	it := Parse("!! file the taxes by 5/13").Items[0]
	newYork, _ := time.LoadLocation("America/New_York")
	got, ok := ResolveDue(it.Due, time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC), newYork)
	if it.Due != "5/13" || !ok || got.Format(time.DateOnly) != "2026-05-13" {
		t.Errorf("due %q → %v %v", it.Due, got, ok)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	if _, ok := ResolveDue(it.Due, time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC), berlin); ok {
		t.Error("5/13 resolved in Berlin")
	}
}
