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

// BriefData is what the store gathers for a brief, before ranking.
type BriefData struct {
	Meeting   meeting.Meeting
	Related   []Related
	IOwe      []actionitem.Item // open, owed by the user, from this or a related meeting
	OwedToMe  []actionitem.Item // open, owed by an attendee
	Questions []question.Question
	Decisions []decision.Decision
}

// Previous is an earlier occurrence of the series, with the start of its note.
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
	for _, r := range d.Related {
		if r.SameSeries && r.Meeting.StartsAt.Before(d.Meeting.StartsAt) {
			b.Previous = append(b.Previous, Previous{Meeting: r.Meeting, NoteExcerpt: Excerpt(r.NoteBody, ExcerptRunes)})
		}
	}
	sort.SliceStable(b.Previous, func(i, j int) bool {
		return b.Previous[i].Meeting.StartsAt.After(b.Previous[j].Meeting.StartsAt)
	})
	if len(b.Previous) > BriefPrevious {
		b.Previous = b.Previous[:BriefPrevious]
	}
	if b.Previous == nil {
		b.Previous = []Previous{}
	}
	return b
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
