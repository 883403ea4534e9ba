package agenda

import (
	"context"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/debrief-hq/debrief/internal/actionitem"
	"github.com/debrief-hq/debrief/internal/decision"
	"github.com/debrief-hq/debrief/internal/meeting"
	"github.com/debrief-hq/debrief/internal/question"
)

// Related is a meeting that shares a series or attendees with the one being
// prepared for.
type Related struct {
	Meeting meeting.Meeting
	// SameSeries is set for another occurrence of the meeting's series.
	SameSeries bool
	// Common counts the attendees it shares.
	Common int
	// NoteBody is its note ("" when it has none).
	NoteBody string
}

// Candidate is a meeting that shares attendees with the one being prepared
// for: how many, and when it starts.
type Candidate struct {
	ID       string
	Common   int
	StartsAt time.Time
}

// PickRelated chooses the meetings sharing attendees that a brief looks at:
// those that have started (by now), newest first, at most past of them, and
// the next few to come, at most next. A calendar expands series a year
// ahead; their empty occurrences are no one's history, and before this rule
// they filled the brief's window (a 1:1's brief lost the kickoff the other
// person was at).
func PickRelated(cands []Candidate, now time.Time, past, next int) []string {
	var before, after []Candidate
	for _, c := range cands {
		if c.StartsAt.After(now) {
			after = append(after, c)
		} else {
			before = append(before, c)
		}
	}
	byTime := func(xs []Candidate, newest bool) {
		sort.Slice(xs, func(i, j int) bool {
			if !xs[i].StartsAt.Equal(xs[j].StartsAt) {
				return xs[i].StartsAt.After(xs[j].StartsAt) == newest
			}
			return xs[i].ID > xs[j].ID
		})
	}
	byTime(before, true)
	byTime(after, false)
	ids := make([]string, 0, min(len(before), past)+min(len(after), next))
	for _, c := range before[:min(len(before), past)] {
		ids = append(ids, c.ID)
	}
	for _, c := range after[:min(len(after), next)] {
		ids = append(ids, c.ID)
	}
	return ids
}

// BriefData is what the store gathers for a brief, before ranking.
type BriefData struct {
	// Now is when the brief is asked for: "previous" is before it.
	Now       time.Time
	Meeting   meeting.Meeting
	Related   []Related
	IOwe      []actionitem.Item // open, owed by the user, from this or a related meeting
	OwedToMe  []actionitem.Item // open, owed by an attendee
	Questions []question.Question
	Decisions []decision.Decision
}

// Previous is an earlier meeting with the same people (of the series, or
// sharing attendees), with the start of its note.
type Previous struct {
	Meeting     meeting.Meeting
	NoteExcerpt string
}

// Brief is the prep pack for a meeting.
type Brief struct {
	Meeting       meeting.Meeting
	Previous      []Previous
	IOwe          []actionitem.Item
	OwedToMe      []actionitem.Item
	OpenQuestions []question.Question
	Decisions     []decision.Decision
}

// Brief limits.
const (
	BriefPrevious  = 5
	BriefUpcoming  = 2
	BriefListLimit = 20
	ExcerptRunes   = 280
)

// BriefStore is what the brief needs from the database.
type BriefStore interface {
	BriefData(ctx context.Context, owner, meetingID string) (BriefData, error)
}

// BriefService builds prep packs.
type BriefService struct{ store BriefStore }

// NewBriefService builds the service.
func NewBriefService(store BriefStore) *BriefService { return &BriefService{store: store} }

// Brief returns the prep pack for a meeting.
func (s *BriefService) Brief(ctx context.Context, owner, meetingID string) (Brief, error) {
	d, err := s.store.BriefData(ctx, owner, meetingID)
	if err != nil {
		return Brief{}, err
	}
	return Rank(d), nil
}

// Rank orders what the store gathered, deterministically: items from the
// same series first, then from meetings with the most attendees in common,
// then the most recent; ties by id.
func Rank(d BriefData) Brief {
	rank := map[string]Related{}
	for _, r := range d.Related {
		rank[r.Meeting.ID] = r
	}
	// The meeting itself ranks above everything.
	self := Related{Meeting: d.Meeting, SameSeries: true, Common: len(d.Meeting.Attendees) + 1}
	rank[d.Meeting.ID] = self
	less := func(am, bm *string, aID, bID string) bool {
		ra, rb := rankOf(rank, am), rankOf(rank, bm)
		if ra.SameSeries != rb.SameSeries {
			return ra.SameSeries
		}
		if ra.Common != rb.Common {
			return ra.Common > rb.Common
		}
		if !ra.Meeting.StartsAt.Equal(rb.Meeting.StartsAt) {
			return ra.Meeting.StartsAt.After(rb.Meeting.StartsAt)
		}
		return aID > bID
	}
	b := Brief{Meeting: d.Meeting}
	b.IOwe = sortCut(d.IOwe, func(x, y actionitem.Item) bool { return less(x.MeetingID, y.MeetingID, x.ID, y.ID) })
	b.OwedToMe = sortCut(d.OwedToMe, func(x, y actionitem.Item) bool { return less(x.MeetingID, y.MeetingID, x.ID, y.ID) })
	b.OpenQuestions = sortCut(d.Questions, func(x, y question.Question) bool { return less(x.MeetingID, y.MeetingID, x.ID, y.ID) })
	b.Decisions = sortCut(d.Decisions, func(x, y decision.Decision) bool { return less(x.MeetingID, y.MeetingID, x.ID, y.ID) })
	b.Previous = previous(d)
	return b
}

// PreviousBefore is when the meetings a brief calls previous end: before
// the meeting starts, and before now (a meeting a month ahead has no past
// after today).
func PreviousBefore(start, now time.Time) time.Time {
	if !now.IsZero() && now.Before(start) {
		return now
	}
	return start
}

// previous picks the earlier meetings with the same people a brief shows,
// most telling first: those before the meeting that have started, with a
// note before those without, then of the series (the latest first), then
// sharing the most attendees, then the latest.
func previous(d BriefData) []Previous {
	cutoff := PreviousBefore(d.Meeting.StartsAt, d.Now)
	var earlier []Related
	for _, r := range d.Related {
		if r.Meeting.StartsAt.Before(cutoff) && (r.SameSeries || r.Common > 0) && r.Meeting.Status != "cancelled" {
			earlier = append(earlier, r)
		}
	}
	sort.SliceStable(earlier, func(i, j int) bool {
		a, b := earlier[i], earlier[j]
		if (a.NoteBody != "") != (b.NoteBody != "") {
			return a.NoteBody != ""
		}
		if a.SameSeries != b.SameSeries {
			return a.SameSeries
		}
		if a.Common != b.Common && !a.SameSeries { // a series' occurrences: the latest first
			return a.Common > b.Common
		}
		if !a.Meeting.StartsAt.Equal(b.Meeting.StartsAt) {
			return a.Meeting.StartsAt.After(b.Meeting.StartsAt)
		}
		return a.Meeting.ID > b.Meeting.ID
	})
	earlier = earlier[:min(len(earlier), BriefPrevious)]
	out := make([]Previous, len(earlier))
	for i, r := range earlier {
		out[i] = Previous{Meeting: r.Meeting, NoteExcerpt: Excerpt(r.NoteBody, ExcerptRunes)}
	}
	return out
}

func rankOf(rank map[string]Related, meetingID *string) Related {
	if meetingID == nil {
		return Related{Meeting: meeting.Meeting{StartsAt: time.Time{}}}
	}
	return rank[*meetingID]
}

func sortCut[T any](xs []T, less func(a, b T) bool) []T {
	out := append([]T{}, xs...)
	sort.SliceStable(out, func(i, j int) bool { return less(out[i], out[j]) })
	if len(out) > BriefListLimit {
		out = out[:BriefListLimit]
	}
	return out
}

// Excerpt is the start of a note as plain text: block ids dropped, lines
// joined, at most n runes (cut at a word, with an ellipsis).
func Excerpt(body string, n int) string {
	var parts []string
	for _, l := range strings.Split(body, "\n") {
		l = strings.TrimSpace(l)
		if i := strings.LastIndex(l, " ^"); i >= 0 && len(l)-i <= 14 {
			l = strings.TrimSpace(l[:i])
		}
		if l != "" && !strings.HasPrefix(l, "```") {
			parts = append(parts, l)
		}
	}
	s := strings.Join(parts, " · ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ·") + "…"
}
