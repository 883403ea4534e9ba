package remind

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/debrief-hq/debrief/internal/actionitem"
	"github.com/debrief-hq/debrief/internal/agenda"
	"github.com/debrief-hq/debrief/internal/meeting"
	"github.com/debrief-hq/debrief/internal/question"
)

// Content is what a reminder is about, read from the graph when it is
// sent (so a digest lists what is overdue then, and a recap the note as it
// ended up).
type Content struct {
	Kind     string
	Owner    Owner
	BaseURL  string
	Now      time.Time
	Action   *actionitem.Item
	Question *question.Question
	// Meeting is a recap's, a prep's, or the next meeting's.
	Meeting *meeting.Meeting
	// Detail is the recap's meeting with its note and items.
	Detail *meeting.Detail
	// Brief is the prep's.
	Brief *agenda.Brief
	// Day is the digests' day.
	Day *agenda.Today
	// AttendeeRecap: the recap offers to email the attendees.
	AttendeeRecap bool
	// ForAttendees: the recap goes to the attendees, without links into
	// the owner's Debrief.
	ForAttendees bool
}

// Message is a rendered reminder.
type Message struct {
	Kind    string `json:"kind"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html"`
	// Link opens what it is about in the client.
	Link string `json:"link"`
	// Data is the structured form webhooks receive.
	Data map[string]any `json:"data"`
	// ItemRef is the item a Done or Snooze link acts on ("" when none).
	ItemRef string `json:"item_ref,omitempty"`
}

// line is one entry of a message's list.
type line struct {
	Text string
	Note string // owner, due date, meeting
	Link string
}

type section struct {
	Title string
	Lines []line
}

// Render turns content into a message; ok is false when there is nothing
// to say (the item was done, nothing is overdue any more, the note is
// empty), and the reminder is dropped.
func Render(c Content) (m Message, ok bool) {
	loc := c.Owner.Location
	if loc == nil {
		loc = time.UTC
	}
	r := renderer{c: c, loc: loc}
	m.Kind = c.Kind
	var intro string
	var secs []section
	data := map[string]any{}
	switch c.Kind {
	case KindDue, KindNextMeeting:
		switch {
		case c.Action != nil && c.Action.Status == actionitem.StatusOpen:
			m.ItemRef = "item:" + c.Action.ID
			m.Subject = "Reminder: " + c.Action.Title
			if c.Kind == KindDue && c.Action.DueAt != nil {
				intro = "Due " + r.day(*c.Action.DueAt) + "."
			}
			m.Link = r.itemLink(c.Action.MeetingID)
			data["action_item"] = r.apiItem(*c.Action)
		case c.Question != nil && c.Question.Status == question.StatusOpen:
			m.ItemRef = "question:" + c.Question.ID
			m.Subject = "Open question: " + c.Question.Text
			m.Link = r.itemLink(c.Question.MeetingID)
			data["question"] = map[string]any{"id": c.Question.ID, "text": c.Question.Text, "meeting_id": c.Question.MeetingID}
		default:
			return Message{}, false
		}
		if c.Kind == KindNextMeeting {
			if c.Meeting == nil || c.Meeting.Status == "cancelled" {
				return Message{}, false
			}
			intro = fmt.Sprintf("You are meeting %s now (%s): bring this up.", r.title(*c.Meeting), r.clock(c.Meeting.StartsAt))
			m.Link = c.BaseURL + "/meetings/" + c.Meeting.ID
			data["meeting"] = r.apiMeeting(*c.Meeting)
		}
	case KindOverdue:
		if c.Day == nil {
			return Message{}, false
		}
		var mine, theirs []line
		for _, a := range c.Day.Overdue {
			if a.Owner == nil {
				mine = append(mine, r.actionLine(a))
			} else {
				theirs = append(theirs, r.actionLine(a))
			}
		}
		if len(mine) == 0 {
			return Message{}, false
		}
		m.Subject = plural(len(mine), "overdue item", "overdue items")
		m.Link = c.BaseURL + "/action-items"
		secs = append(secs, section{Title: "You owe", Lines: mine})
		if len(theirs) > 0 {
			secs = append(secs, section{Title: "Waiting on others", Lines: theirs})
		}
		data["overdue"] = r.apiItems(c.Day.Overdue)
	case KindMorning:
		if c.Day == nil {
			return Message{}, false
		}
		var meetings, due, overdue []line
		for _, mt := range c.Day.Meetings {
			if mt.Status == "cancelled" {
				continue
			}
			meetings = append(meetings, line{Text: r.title(mt), Note: r.span(mt), Link: c.BaseURL + "/meetings/" + mt.ID})
		}
		today := dayOf(c.Now, loc)
		for _, a := range c.Day.OpenActionItems {
			if a.DueAt != nil && !dayOf(*a.DueAt, loc).After(today) {
				due = append(due, r.actionLine(a))
			}
		}
		for _, a := range c.Day.Overdue {
			if a.Owner == nil {
				overdue = append(overdue, r.actionLine(a))
			}
		}
		if len(meetings)+len(due)+len(overdue) == 0 {
			return Message{}, false
		}
		m.Subject = fmt.Sprintf("Your day: %s, %s due", plural(len(meetings), "meeting", "meetings"), plural(len(due), "item", "items"))
		if len(overdue) > 0 {
			m.Subject += fmt.Sprintf(", %d overdue", len(overdue))
		}
		m.Link = c.BaseURL + "/"
		secs = append(secs, section{"Meetings", meetings}, section{"Due today", due}, section{"Overdue", overdue})
		data["date"], data["meetings"] = c.Day.Date, len(meetings)
		data["due_today"], data["overdue"] = len(due), len(overdue)
	case KindRecap:
		d := c.Detail
		if d == nil || d.Status == "cancelled" || d.Note == nil || strings.TrimSpace(d.Note.Body) == "" {
			return Message{}, false
		}
		m.Subject = "Recap: " + r.title(d.Meeting)
		m.Link = c.BaseURL + "/meetings/" + d.ID
		intro = r.span(d.Meeting) + attendeeList(d.Meeting)
		secs = recapSections(r, d)
		data["meeting"] = r.apiMeeting(d.Meeting)
		data["decisions"], data["action_items"], data["questions"] = len(d.Decisions), len(d.ActionItems), len(d.Questions)
		if c.AttendeeRecap && !c.ForAttendees && len(d.Attendees) > 0 {
			data["send_to_attendees"] = c.BaseURL + "/api/v1/meetings/" + d.ID + "/recap/send"
			intro += "\nReview this recap on the meeting page and send it to the attendees from there."
		}
	case KindPrep:
		b := c.Brief
		if b == nil || b.Meeting.Status == "cancelled" {
			return Message{}, false
		}
		var iowe, owed, qs []line
		for _, a := range b.IOwe {
			iowe = append(iowe, r.actionLine(a))
		}
		for _, a := range b.OwedToMe {
			owed = append(owed, r.actionLine(a))
		}
		for _, q := range b.OpenQuestions {
			qs = append(qs, line{Text: q.Text})
		}
		if len(iowe)+len(owed)+len(qs) == 0 {
			return Message{}, false
		}
		m.Subject = fmt.Sprintf("Next: %s at %s", r.title(b.Meeting), r.clock(b.Meeting.StartsAt))
		m.Link = c.BaseURL + "/meetings/" + b.Meeting.ID
		intro = r.span(b.Meeting) + attendeeList(b.Meeting)
		secs = append(secs, section{"You owe", iowe}, section{"They owe you", owed}, section{"Open questions from last time", qs})
		data["meeting"] = r.apiMeeting(b.Meeting)
		data["i_owe"], data["owed_to_me"], data["open_questions"] = len(iowe), len(owed), len(qs)
	default:
		return Message{}, false
	}
	if c.ForAttendees {
		m.Link = ""
		delete(data, "send_to_attendees")
		for i := range secs {
			for j := range secs[i].Lines {
				secs[i].Lines[j].Link = ""
			}
		}
	}
	m.Data = data
	m.Text = plainText(m.Subject, intro, secs, m.Link)
	m.HTML = htmlText(m.Subject, intro, secs, m.Link)
	return m, true
}

func recapSections(r renderer, d *meeting.Detail) []section {
	var decisions, qs []line
	for _, x := range d.Decisions {
		if x.SupersededByID == nil {
			decisions = append(decisions, line{Text: x.Text})
		}
	}
	secs := []section{{"Decisions", decisions}}
	// Action items by who owes them: the user first, then by name.
	byOwner := map[string][]line{}
	var owners []string
	for _, a := range d.ActionItems {
		if a.Status == actionitem.StatusDropped {
			continue
		}
		who := "You"
		if r.c.ForAttendees {
			// The attendees read it: "you" is the person who wrote it.
			who = cmp.Or(r.c.Owner.Name, r.c.Owner.Email, "Organizer")
		}
		if a.Owner != nil {
			who = a.Owner.Name
			if who == "" {
				who = a.Owner.Email
			}
		}
		if _, ok := byOwner[who]; !ok {
			owners = append(owners, who)
		}
		l := line{Text: a.Title}
		if a.DueAt != nil {
			l.Note = "due " + r.day(*a.DueAt)
		}
		if a.Status == actionitem.StatusDone {
			l.Note = strings.TrimPrefix(l.Note+", done", ", ")
		}
		byOwner[who] = append(byOwner[who], l)
	}
	for _, who := range owners {
		secs = append(secs, section{"Action items: " + who, byOwner[who]})
	}
	for _, q := range d.Questions {
		if q.Status == question.StatusOpen {
			qs = append(qs, line{Text: q.Text})
		}
	}
	return append(secs, section{"Open questions", qs})
}

type renderer struct {
	c   Content
	loc *time.Location
}

func (r renderer) day(t time.Time) string   { return dayOf(t, r.loc).Format("Mon 2 Jan") }
func (r renderer) clock(t time.Time) string { return t.In(r.loc).Format("15:04") }

func (r renderer) title(m meeting.Meeting) string {
	if strings.TrimSpace(m.Title) == "" {
		return "Untitled meeting"
	}
	return m.Title
}

// span is when a meeting is, in the owner's zone.
func (r renderer) span(m meeting.Meeting) string {
	if m.AllDay {
		return r.day(m.StartsAt) + ", all day"
	}
	return fmt.Sprintf("%s, %s–%s", r.day(m.StartsAt), r.clock(m.StartsAt), r.clock(m.EndsAt))
}

func attendeeList(m meeting.Meeting) string {
	var names []string
	for _, a := range m.Attendees {
		n := a.Name
		if n == "" {
			n = a.Email
		}
		names = append(names, n)
	}
	if len(names) == 0 {
		return ""
	}
	return " with " + strings.Join(names, ", ")
}

func (r renderer) itemLink(meetingID *string) string {
	if meetingID != nil {
		return r.c.BaseURL + "/meetings/" + *meetingID
	}
	return r.c.BaseURL + "/action-items"
}

func (r renderer) actionLine(a actionitem.Item) line {
	l := line{Text: a.Title, Link: r.itemLink(a.MeetingID)}
	var notes []string
	if a.Owner != nil {
		n := a.Owner.Name
		if n == "" {
			n = a.Owner.Email
		}
		notes = append(notes, n)
	}
	if a.DueAt != nil {
		notes = append(notes, "due "+r.day(*a.DueAt))
	}
	l.Note = strings.Join(notes, ", ")
	return l
}

func (r renderer) apiItem(a actionitem.Item) map[string]any {
	out := map[string]any{"id": a.ID, "title": a.Title, "status": a.Status, "meeting_id": a.MeetingID}
	if a.DueAt != nil {
		out["due_at"] = a.DueAt.UTC().Format(time.RFC3339)
	}
	if a.Owner != nil {
		out["owner"] = map[string]any{"person_id": a.Owner.PersonID, "name": a.Owner.Name}
	}
	return out
}

func (r renderer) apiItems(as []actionitem.Item) []map[string]any {
	out := make([]map[string]any, 0, len(as))
	for _, a := range as {
		out = append(out, r.apiItem(a))
	}
	return out
}

func (r renderer) apiMeeting(m meeting.Meeting) map[string]any {
	return map[string]any{"id": m.ID, "title": m.Title, "starts_at": m.StartsAt.UTC().Format(time.RFC3339),
		"ends_at": m.EndsAt.UTC().Format(time.RFC3339), "url": r.c.BaseURL + "/meetings/" + m.ID}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// plainText is the text part of an email, a webhook's text and the in-app
// body.
func plainText(subject, intro string, secs []section, link string) string {
	var b strings.Builder
	b.WriteString(subject)
	b.WriteString("\n")
	if intro != "" {
		b.WriteString(intro)
		b.WriteString("\n")
	}
	for _, s := range secs {
		if len(s.Lines) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s:\n", s.Title)
		for _, l := range s.Lines {
			b.WriteString("• ")
			b.WriteString(l.Text)
			if l.Note != "" {
				fmt.Fprintf(&b, " (%s)", l.Note)
			}
			b.WriteString("\n")
		}
	}
	if link != "" {
		fmt.Fprintf(&b, "\nOpen in Debrief: %s\n", link)
	}
	return b.String()
}

var mailHTML = template.Must(template.New("mail").Parse(`<!doctype html>
<html><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#1b1b1f;max-width:640px">
<h2 style="font-size:18px;margin:0 0 8px">{{.Subject}}</h2>
{{with .Intro}}<p style="margin:0 0 12px;white-space:pre-line">{{.}}</p>{{end}}
{{range .Sections}}{{if .Lines}}<h3 style="font-size:14px;margin:16px 0 4px">{{.Title}}</h3>
<ul style="margin:0;padding-left:20px">{{range .Lines}}<li>{{if .Link}}<a href="{{.Link}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}{{with .Note}} <span style="color:#666">({{.}})</span>{{end}}</li>{{end}}</ul>{{end}}{{end}}
{{with .Link}}<p style="margin-top:16px"><a href="{{.}}">Open in Debrief</a></p>{{end}}
</body></html>`))

func htmlText(subject, intro string, secs []section, link string) string {
	var b bytes.Buffer
	_ = mailHTML.Execute(&b, map[string]any{"Subject": subject, "Intro": intro, "Sections": secs, "Link": link})
	return b.String()
}
