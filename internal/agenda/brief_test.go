package agenda

import (
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
