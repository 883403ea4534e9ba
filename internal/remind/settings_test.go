package remind

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/debrief-hq/debrief/internal/actionitem"
	"github.com/debrief-hq/debrief/internal/agenda"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/decision"
	"github.com/debrief-hq/debrief/internal/meeting"
	"github.com/debrief-hq/debrief/internal/note"
	"github.com/debrief-hq/debrief/internal/question"
)

func TestDefaults(t *testing.T) {
	s := Defaults(true)
	if !slices.Equal(s.Channels[KindDue], []string{InApp, Email, Webhook}) || len(s.Channels[KindPrep]) != 0 || len(s.Channels[KindMorning]) != 0 {
		t.Errorf("defaults with email: %v", s.Channels)
	}
	if s := Defaults(false); slices.Contains(s.Channels[KindRecap], Email) {
		t.Errorf("defaults without email: %v", s.Channels)
	}
	// Stored settings read back; email goes when the server can no longer send it.
	s.MorningHour, s.QuietHours = 7, &Quiet{Start: "22:00", End: "06:30"}
	back := LoadSettings(s.Store(), false)
	if back.MorningHour != 7 || back.QuietHours == nil || back.QuietHours.End != "06:30" || slices.Contains(back.Channels[KindDue], Email) {
		t.Errorf("round trip: %+v", back)
	}
	if got := LoadSettings("{not json", true); got.MorningHour != 9 {
		t.Errorf("unreadable settings: %+v", got)
	}
}

func TestSettingsInput(t *testing.T) {
	apply := func(body string, emailOn bool) (Settings, error) {
		var in SettingsInput
		if err := json.Unmarshal([]byte(body), &in); err != nil {
			t.Fatal(err)
		}
		return in.Apply(Defaults(emailOn), emailOn)
	}
	s, err := apply(`{"morning_hour":8,"quiet_hours":{"start":"22:00","end":"07:00"},"recap_delay_minutes":0,
		"channels":{"meeting.prep":["in_app","in_app","webhook"],"reminder.due":[]}}`, true)
	if err != nil {
		t.Fatal(err)
	}
	if s.MorningHour != 8 || s.RecapDelay != 0 || s.QuietHours.Start != "22:00" ||
		!slices.Equal(s.Channels[KindPrep], []string{InApp, Webhook}) || len(s.Channels[KindDue]) != 0 ||
		!slices.Equal(s.Channels[KindRecap], []string{InApp, Email, Webhook}) {
		t.Errorf("applied: %+v", s)
	}
	s, err = (SettingsInput{QuietHours: json.RawMessage("null")}).Apply(s, true)
	if err != nil || s.QuietHours != nil {
		t.Errorf("quiet hours off: %+v %v", s.QuietHours, err)
	}

	_, err = apply(`{"morning_hour":24,"quiet_hours":{"start":"25:00","end":"7"},"recap_delay_minutes":-1,"prep_minutes":0,
		"channels":{"meeting.lunch":["in_app"],"reminder.due":["pigeon","email"]}}`, false)
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != apperr.KindInvalid {
		t.Fatalf("bad settings: %v", err)
	}
	var fields []string
	for _, f := range ae.Fields {
		fields = append(fields, f.Field)
	}
	want := []string{"morning_hour", "quiet_hours.start", "quiet_hours.end", "recap_delay_minutes", "prep_minutes",
		"channels.meeting.lunch", "channels.reminder.due[0]", "channels.reminder.due[1]"}
	if !slices.Equal(fields, want) {
		t.Errorf("fields %q, want %q", fields, want)
	}
	if !strings.Contains(ae.Fields[len(ae.Fields)-1].Message, "email is off") {
		t.Errorf("email without SMTP: %q", ae.Fields[len(ae.Fields)-1].Message)
	}
}

func TestRender(t *testing.T) {
	owner := Owner{Name: "Me", Location: berlin}
	mid := "m1"
	due := at("2027-03-24 00:00")
	mt := meeting.Meeting{ID: mid, Title: "Budget <review>", StartsAt: at("2027-03-24 10:00"), EndsAt: at("2027-03-24 10:30"),
		Attendees: []meeting.Attendee{{Name: "Alice", Email: "alice@example.com"}}}
	recap := Content{Kind: KindRecap, Owner: owner, BaseURL: "https://debrief.example", Detail: &meeting.Detail{Meeting: mt,
		Note:        &note.Note{Body: "notes"},
		Decisions:   []decision.Decision{{Text: "Ship in April"}},
		ActionItems: []actionitem.Item{{Title: "Send the deck", Status: "open", DueAt: &due}, {Title: "Book the room", Status: "open", Owner: &actionitem.Owner{Name: "Alice"}}},
		Questions:   []question.Question{{Text: "Who signs off?", Status: "open"}, {Text: "Old", Status: "answered"}}}}
	m, ok := Render(recap)
	if !ok {
		t.Fatal("recap not rendered")
	}
	for _, want := range []string{"Recap: Budget <review>", "Wed 24 Mar, 10:00–10:30 with Alice", "Decisions:\n• Ship in April",
		"Action items: You:\n• Send the deck (due Wed 24 Mar)", "Action items: Alice:\n• Book the room", "Open questions:\n• Who signs off?",
		"https://debrief.example/meetings/m1"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("recap text lacks %q:\n%s", want, m.Text)
		}
	}
	if strings.Contains(m.Text, "Old") || !strings.Contains(m.HTML, "Budget &lt;review&gt;") || strings.Contains(m.HTML, "<review>") {
		t.Errorf("recap: answered question or unescaped HTML:\n%s", m.HTML)
	}
	// An empty note, a done item, a day with nothing overdue: nothing to say.
	recap.Detail.Note.Body = "  \n"
	if _, ok := Render(recap); ok {
		t.Error("recap of an empty note")
	}
	if _, ok := Render(Content{Kind: KindDue, Owner: owner, Action: &actionitem.Item{Title: "x", Status: "done"}}); ok {
		t.Error("reminder of a done item")
	}
	day := &agenda.Today{Overdue: []actionitem.Item{{Title: "theirs", Owner: &actionitem.Owner{Name: "Bob"}, DueAt: &due}}}
	if _, ok := Render(Content{Kind: KindOverdue, Owner: owner, Day: day}); ok {
		t.Error("overdue digest with only others' items")
	}
	day.Overdue = append(day.Overdue, actionitem.Item{Title: "mine", DueAt: &due})
	m, ok = Render(Content{Kind: KindOverdue, Owner: owner, Day: day, Now: at("2027-03-26 09:00")})
	if !ok || m.Subject != "1 overdue item" || !strings.Contains(m.Text, "You owe:\n• mine (due Wed 24 Mar)") || !strings.Contains(m.Text, "Waiting on others:\n• theirs (Bob, due Wed 24 Mar)") {
		t.Errorf("overdue digest: %v %q", ok, m.Text)
	}
}

func TestRenderForAttendees(t *testing.T) {
	due := at("2027-03-24 00:00")
	c := Content{Kind: KindRecap, Owner: Owner{Name: "Ada", Location: berlin}, BaseURL: "https://debrief.example", ForAttendees: true, AttendeeRecap: true,
		Detail: &meeting.Detail{Meeting: meeting.Meeting{ID: "m", Title: "Sync", StartsAt: due, EndsAt: due},
			Note: &note.Note{Body: "x"}, ActionItems: []actionitem.Item{{Title: "write it up", Status: "open", MeetingID: ptr("m")}}}}
	m, ok := Render(c)
	if !ok || !strings.Contains(m.Text, "Action items: Ada:\n• write it up") || strings.Contains(m.Text, "debrief.example") ||
		strings.Contains(m.HTML, "debrief.example") || m.Data["send_to_attendees"] != nil {
		t.Errorf("attendees' recap: %v\n%s\n%s", ok, m.Text, m.HTML)
	}
}

func TestRenderDigestsAndPrep(t *testing.T) {
	owner := Owner{Location: berlin}
	today, yesterday := at("2027-03-24 00:00"), at("2027-03-23 00:00")
	mt := meeting.Meeting{ID: "m", Title: "Standup", StartsAt: at("2027-03-24 10:00"), EndsAt: at("2027-03-24 10:15"),
		Attendees: []meeting.Attendee{{Name: "Bob"}}}
	day := &agenda.Today{Date: "2027-03-24", Meetings: []meeting.Meeting{mt, {ID: "x", Title: "Gone", Status: "cancelled", StartsAt: mt.StartsAt, EndsAt: mt.EndsAt}},
		OpenActionItems: []actionitem.Item{{Title: "due today", DueAt: &today}, {Title: "undated"}},
		Overdue:         []actionitem.Item{{Title: "late", DueAt: &yesterday}}}
	m, ok := Render(Content{Kind: KindMorning, Owner: owner, Now: at("2027-03-24 09:00"), Day: day})
	if !ok || m.Subject != "Your day: 1 meeting, 1 item due, 1 overdue" || !strings.Contains(m.Text, "Meetings:\n• Standup (Wed 24 Mar, 10:00–10:15)") ||
		!strings.Contains(m.Text, "Due today:\n• due today") || strings.Contains(m.Text, "undated") || strings.Contains(m.Text, "Gone") {
		t.Errorf("morning digest: %v %q\n%s", ok, m.Subject, m.Text)
	}
	if _, ok := Render(Content{Kind: KindMorning, Owner: owner, Now: at("2027-03-24 09:00"), Day: &agenda.Today{}}); ok {
		t.Error("a morning digest of an empty day")
	}
	b := &agenda.Brief{Meeting: mt, IOwe: []actionitem.Item{{Title: "send the numbers"}},
		OwedToMe: []actionitem.Item{{Title: "review", Owner: &actionitem.Owner{Name: "Bob"}}}, OpenQuestions: []question.Question{{Text: "who decides?"}}}
	m, ok = Render(Content{Kind: KindPrep, Owner: owner, Brief: b})
	if !ok || m.Subject != "Next: Standup at 10:00" || !strings.Contains(m.Text, "You owe:\n• send the numbers") ||
		!strings.Contains(m.Text, "They owe you:\n• review (Bob)") || !strings.Contains(m.Text, "Open questions from last time:\n• who decides?") {
		t.Errorf("prep: %v %q\n%s", ok, m.Subject, m.Text)
	}
	if _, ok := Render(Content{Kind: KindPrep, Owner: owner, Brief: &agenda.Brief{Meeting: mt}}); ok {
		t.Error("a prep with nothing open")
	}
}
