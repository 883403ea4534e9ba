package agenda

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/actionitem"
	"github.com/debrief-hq/debrief/internal/meeting"
)

func TestExcerpt(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"!! call bob ^k3x9\n\n  ?? why ^ab12\n```\ncode\n```", "!! call bob · ?? why · code"},
		{strings.Repeat("word ", 100), strings.TrimSpace(strings.Repeat("word ", 56)) + "…"},
		{strings.Repeat("ü", 300), strings.Repeat("ü", 280) + "…"},
	} {
		if got := Excerpt(c.in, 280); got != c.want {
			t.Errorf("Excerpt(%.30q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestRank: same series beats attendees in common, which beat recency; ties
// break by id, so the order never depends on the database's.
func TestRank(t *testing.T) {
	at := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.UTC) }
	ref := func(id string) *string { return &id }
	d := BriefData{
		Meeting: meeting.Meeting{ID: "M", StartsAt: at(20)},
		Related: []Related{
			{Meeting: meeting.Meeting{ID: "series-old", StartsAt: at(1)}, SameSeries: true, Common: 1},
			{Meeting: meeting.Meeting{ID: "many-common", StartsAt: at(5)}, Common: 3},
			{Meeting: meeting.Meeting{ID: "one-common-recent", StartsAt: at(18)}, Common: 1},
			{Meeting: meeting.Meeting{ID: "one-common-old", StartsAt: at(2)}, Common: 1},
		},
		IOwe: []actionitem.Item{
			{ID: "a", MeetingID: ref("one-common-old")}, {ID: "b", MeetingID: ref("one-common-recent")},
			{ID: "c", MeetingID: ref("many-common")}, {ID: "d", MeetingID: ref("series-old")},
			{ID: "e", MeetingID: ref("M")}, {ID: "f", MeetingID: nil}, {ID: "g", MeetingID: ref("many-common")},
		},
	}
	var got []string
	for _, it := range Rank(d).IOwe {
		got = append(got, it.ID)
	}
	if strings.Join(got, "") != "edgcbaf" {
		t.Errorf("rank = %v, want e d g c b a f", got)
	}
}

// TestPickRelated: the past newest first up to its bound, then the next few
// to come, however many more lie ahead.
func TestPickRelated(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	var cands []Candidate
	for i := 1; i <= 400; i++ { // a year of weekly occurrences ahead
		cands = append(cands, Candidate{ID: fmt.Sprintf("f%03d", i), Common: 1, StartsAt: now.Add(time.Duration(i) * 7 * 24 * time.Hour)})
	}
	cands = append(cands,
		Candidate{ID: "kickoff", Common: 2, StartsAt: now.AddDate(0, -4, 0)},
		Candidate{ID: "last-week", Common: 1, StartsAt: now.AddDate(0, 0, -7)},
		Candidate{ID: "just-now", Common: 1, StartsAt: now},
	)
	got := PickRelated(cands, now, 2, 1)
	if strings.Join(got, " ") != "just-now last-week f001" {
		t.Errorf("PickRelated = %v", got)
	}
	if got := PickRelated(cands, now, 300, 2); len(got) != 5 || got[2] != "kickoff" {
		t.Errorf("PickRelated with room = %v, want the three past and two to come", got)
	}
}

// TestPrevious: earlier meetings with the same people, of the series or
// not, none to come and none cancelled; those with notes first, then of
// the series, then sharing the most attendees, then the latest.
func TestPrevious(t *testing.T) {
	at := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.UTC) }
	rel := func(id string, d int, series bool, common int, note string) Related {
		return Related{Meeting: meeting.Meeting{ID: id, StartsAt: at(d), Status: "confirmed"}, SameSeries: series, Common: common, NoteBody: note}
	}
	cancelled := rel("cancelled", 19, true, 2, "x")
	cancelled.Meeting.Status = "cancelled"
	d := BriefData{
		Now:     at(20),
		Meeting: meeting.Meeting{ID: "M", StartsAt: at(25)},
		Related: []Related{
			rel("future-empty", 22, true, 2, ""), // after now: not previous
			rel("series-empty", 18, true, 2, ""),
			rel("call", 15, false, 2, "pricing"),
			rel("series-old", 1, true, 1, "roadmap"),
			rel("standup", 17, false, 1, "standup notes"),
			rel("other-empty", 16, false, 1, ""),
			rel("big-old", 3, false, 3, "kickoff"),
			cancelled,
		},
	}
	var got []string
	for _, p := range Rank(d).Previous {
		got = append(got, p.Meeting.ID)
	}
	// With notes: series-old (series), big-old (3 in common), call, standup;
	// then the best without: series-empty.
	if strings.Join(got, " ") != "series-old big-old call standup series-empty" {
		t.Errorf("previous = %v", got)
	}
}
