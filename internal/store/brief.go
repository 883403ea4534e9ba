package store

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/actionitem"
	"github.com/debrief-hq/debrief/ent/decision"
	"github.com/debrief-hq/debrief/ent/meeting"
	"github.com/debrief-hq/debrief/ent/predicate"
	"github.com/debrief-hq/debrief/ent/question"
	"github.com/debrief-hq/debrief/internal/agenda"
)

// briefRelated bounds the meetings sharing attendees a brief keeps (the
// latest that have started; agenda.PickRelated).
const briefRelated = 300

func (s *Store) BriefData(ctx context.Context, owner, id string) (agenda.BriefData, error) {
	var d agenda.BriefData
	m, err := s.meeting(ctx, owner, id)
	if err != nil {
		return d, err
	}
	d.Meeting = m
	people := make([]string, len(m.Attendees))
	for i, a := range m.Attendees {
		people[i] = a.PersonID
	}
	// Meetings sharing attendees, with how many they share and when.
	now := ts(time.Now())
	d.Now = now
	cands, err := s.briefCandidates(ctx, owner, id, people)
	if err != nil {
		return d, err
	}
	common := make(map[string]int, len(cands))
	for _, c := range cands {
		common[c.ID] = c.Common
	}
	ids := agenda.PickRelated(cands, now, briefRelated, agenda.BriefUpcoming)
	related := []*ent.Meeting{}
	if len(ids) > 0 {
		// By primary key only: the ids come from the owner's own attendances,
		// and with owner_id (or an ORDER BY) in the query SQLite may walk all
		// of the owner's meetings instead.
		if related, err = s.db.Ent.Meeting.Query().Where(meeting.IDIn(ids...)).
			Select(meeting.FieldID, meeting.FieldTitle, meeting.FieldStartsAt, meeting.FieldEndsAt, meeting.FieldSeriesID, meeting.FieldStatus).All(ctx); err != nil {
			return d, translate(err)
		}
		sort.Slice(related, func(i, j int) bool { return related[i].StartsAt.After(related[j].StartsAt) })
	}
	notes, err := s.noteStarts(ctx, owner, ids)
	if err != nil {
		return d, err
	}
	cutoff := agenda.PreviousBefore(m.StartsAt, now)
	var series []*ent.Meeting
	if m.SeriesID != nil {
		if series, err = s.db.Ent.Meeting.Query().
			Where(meeting.OwnerID(owner), meeting.SeriesID(*m.SeriesID), meeting.IDNEQ(id), meeting.StartsAtLT(cutoff), meeting.HiddenAtIsNil()).
			Order(ent.Desc(meeting.FieldStartsAt)).Limit(agenda.BriefPrevious).WithNote().All(ctx); err != nil {
			return d, translate(err)
		}
	}
	seriesMeetings, err := s.withAttendees(ctx, series)
	if err != nil {
		return d, err
	}
	scope := []string{id}
	seen := map[string]bool{id: true}
	for i, sm := range series {
		r := agenda.Related{Meeting: seriesMeetings[i], SameSeries: true, Common: common[sm.ID]}
		if sm.Edges.Note != nil {
			r.NoteBody = sm.Edges.Note.Body
		}
		d.Related = append(d.Related, r)
		scope, seen[sm.ID] = append(scope, sm.ID), true
	}
	for _, rm := range related {
		if seen[rm.ID] {
			continue
		}
		sameSeries := m.SeriesID != nil && rm.SeriesID != nil && *rm.SeriesID == *m.SeriesID
		d.Related = append(d.Related, agenda.Related{Meeting: toMeetingWith(rm, nil), SameSeries: sameSeries, Common: common[rm.ID], NoteBody: notes[rm.ID]})
		scope, seen[rm.ID] = append(scope, rm.ID), true
	}

	// What is open: from the meetings in scope, from any earlier occurrence
	// of the series (carried over however long ago), and from the attendees'
	// own notes (a 1:1's topics).
	itemScope := []predicate.ActionItem{actionitem.MeetingIDIn(scope...)}
	questionScope := []predicate.Question{question.MeetingIDIn(scope...)}
	if m.SeriesID != nil {
		earlier := meeting.And(meeting.OwnerID(owner), meeting.SeriesID(*m.SeriesID), meeting.StartsAtLT(cutoff))
		itemScope = append(itemScope, actionitem.HasMeetingWith(earlier))
		questionScope = append(questionScope, question.HasMeetingWith(earlier))
	}
	if len(people) > 0 {
		itemScope = append(itemScope, actionitem.AboutPersonIDIn(people...))
		questionScope = append(questionScope, question.AboutPersonIDIn(people...))
	}
	iOwe, err := s.db.Ent.ActionItem.Query().Where(actionitem.OwnerID(owner), actionitem.StatusEQ(actionitem.StatusOpen),
		actionitem.AssigneeIDIsNil(), actionitem.Or(itemScope...)).Limit(briefRelated).All(ctx)
	if err != nil {
		return d, translate(err)
	}
	d.IOwe = mapSlice(iOwe, toActionItem)
	if len(people) > 0 {
		owed, err := s.db.Ent.ActionItem.Query().Where(actionitem.OwnerID(owner), actionitem.StatusEQ(actionitem.StatusOpen),
			actionitem.AssigneeIDIn(people...)).WithAssignee().Limit(briefRelated).All(ctx)
		if err != nil {
			return d, translate(err)
		}
		d.OwedToMe = mapSlice(owed, toActionItem)
	}
	qs, err := s.db.Ent.Question.Query().Where(question.OwnerID(owner), question.StatusEQ(question.StatusOpen),
		question.Or(questionScope...)).Limit(briefRelated).All(ctx)
	if err != nil {
		return d, translate(err)
	}
	d.Questions = mapSlice(qs, toQuestion)
	ds, err := s.db.Ent.Decision.Query().Where(decision.OwnerID(owner), decision.SupersededByIDIsNil(),
		decision.DetachedAtIsNil(), decision.MeetingIDIn(scope...)).Order(ent.Desc(decision.FieldDecidedAt)).Limit(briefRelated).WithPeople().All(ctx)
	if err != nil {
		return d, translate(err)
	}
	d.Decisions = mapSlice(ds, toDecision)
	return d, nil
}

// briefCandidates are the owner's meetings sharing attendees with a
// meeting: how many each shares, and when it starts (one grouped read).
func (s *Store) briefCandidates(ctx context.Context, owner, id string, people []string) ([]agenda.Candidate, error) {
	if len(people) == 0 {
		return nil, nil
	}
	args, in := s.inList([]any{owner, id}, people)
	q := `SELECT a.meeting_id, count(*), m.starts_at FROM attendances a JOIN meetings m ON m.id = a.meeting_id
	  WHERE a.owner_id = ` + s.placeholder(1) + ` AND a.meeting_id <> ` + s.placeholder(2) + ` AND a.person_id IN (` + in + `)
	    AND m.hidden_at IS NULL
	  GROUP BY a.meeting_id, m.starts_at`
	rows, err := s.db.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []agenda.Candidate
	for rows.Next() {
		var c agenda.Candidate
		if err := rows.Scan(&c.ID, &c.Common, &c.StartsAt); err != nil {
			return nil, translate(err)
		}
		out = append(out, c)
	}
	return out, translate(rows.Err())
}

// noteStarts are the first characters of the notes of some of the owner's
// meetings, by meeting id (enough for an excerpt, and to tell a meeting
// with notes from one without).
func (s *Store) noteStarts(ctx context.Context, owner string, meetingIDs []string) (map[string]string, error) {
	out := map[string]string{}
	for chunk := range slices.Chunk(meetingIDs, applyChunk) {
		args, in := s.inList([]any{owner}, chunk)
		q := `SELECT meeting_id, substr(body, 1, ` + strconv.Itoa(noteStartChars) + `) FROM notes
		  WHERE owner_id = ` + s.placeholder(1) + ` AND body <> '' AND meeting_id IN (` + in + `)`
		rows, err := s.db.SQL.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, translate(err)
		}
		for rows.Next() {
			var id, body string
			if err := rows.Scan(&id, &body); err != nil {
				rows.Close()
				return nil, translate(err)
			}
			if strings.TrimSpace(body) != "" {
				out[id] = body
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, translate(err)
		}
	}
	return out, nil
}

// noteStartChars is how much of a note a brief reads for its excerpt.
const noteStartChars = 2000
