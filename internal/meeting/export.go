package meeting

import (
	"fmt"
	"strings"
	"time"

	"github.com/debrief-hq/debrief/internal/capture"
)

// Markdown renders the meeting page as a Markdown document: title, time in
// the meeting's zone, attendees, the note, decisions, action items with
// owners and due dates, and open questions.
func Markdown(d Detail) string {
	var b strings.Builder
	title := d.Title
	if title == "" {
		title = "Untitled meeting"
	}
	fmt.Fprintf(&b, "# %s\n\n", oneLine(title))
	loc, err := time.LoadLocation(d.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	start, end := d.StartsAt.In(loc), d.EndsAt.In(loc)
	switch {
	case d.AllDay:
		fmt.Fprintf(&b, "%s (all day)\n", start.Format("Monday, 2 January 2006"))
	case start.YearDay() == end.YearDay() && start.Year() == end.Year():
		fmt.Fprintf(&b, "%s, %s–%s (%s)\n", start.Format("Monday, 2 January 2006"), start.Format("15:04"), end.Format("15:04"), oneLine(d.TimeZone))
	default:
		fmt.Fprintf(&b, "%s – %s (%s)\n", start.Format("Monday, 2 January 2006 15:04"), end.Format("Monday, 2 January 2006 15:04"), d.TimeZone)
	}
	if d.Status != StatusConfirmed {
		fmt.Fprintf(&b, "Status: %s\n", d.Status)
	}
	if d.Location != "" {
		fmt.Fprintf(&b, "Location: %s\n", oneLine(d.Location))
	}
	if d.VideoURL != "" {
		fmt.Fprintf(&b, "Video: %s\n", oneLine(d.VideoURL))
	}
	if len(d.Attendees) > 0 {
		b.WriteString("\n## Attendees\n\n")
		for _, a := range d.Attendees {
			name := a.Name
			if name == "" {
				name = a.Email
			}
			fmt.Fprintf(&b, "- %s <%s>", oneLine(name), oneLine(a.Email))
			if a.Organizer {
				b.WriteString(" (organizer)")
			}
			b.WriteString("\n")
		}
	}
	if d.Note != nil && strings.TrimSpace(d.Note.Body) != "" {
		b.WriteString("\n## Notes\n\n")
		b.WriteString(strings.TrimRight(capture.WithoutBlockIDs(d.Note.Body), "\n"))
		b.WriteString("\n")
	}
	if len(d.Decisions) > 0 {
		b.WriteString("\n## Decisions\n\n")
		for _, dec := range d.Decisions {
			fmt.Fprintf(&b, "- %s", oneLine(dec.Text))
			if dec.SupersededByID != nil {
				b.WriteString(" (superseded)")
			}
			b.WriteString("\n")
		}
	}
	if len(d.ActionItems) > 0 {
		b.WriteString("\n## Action items\n\n")
		for _, it := range d.ActionItems {
			box := "[ ]"
			switch it.Status {
			case "done":
				box = "[x]"
			case "dropped":
				box = "[-]"
			}
			owner := "me"
			if it.Owner != nil {
				owner = it.Owner.Name
				if owner == "" {
					owner = it.Owner.Email
				}
			}
			fmt.Fprintf(&b, "- %s %s — %s", box, oneLine(it.Title), oneLine(owner))
			if it.DueAt != nil {
				fmt.Fprintf(&b, ", due %s", it.DueAt.In(loc).Format(time.DateOnly))
			}
			b.WriteString("\n")
		}
	}
	var open []string
	for _, q := range d.Questions {
		if q.Status == "open" {
			open = append(open, q.Text)
		}
	}
	if len(open) > 0 {
		b.WriteString("\n## Open questions\n\n")
		for _, q := range open {
			fmt.Fprintf(&b, "- %s\n", oneLine(q))
		}
	}
	return b.String()
}

// oneLine is a field of the meeting (from a calendar, or typed) on one
// line, its HTML escaped: a Markdown renderer shows the text of a title
// like `<img src=x onerror=…>` instead of making it markup. The note body
// is the person's own Markdown and goes as it is.
func oneLine(s string) string { return markup.Replace(strings.Join(strings.Fields(s), " ")) }

var markup = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
