package store

import (
	"cmp"
	"context"
	stdsql "database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"entgo.io/ent/dialect"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/actionitem"
	"github.com/debrief-hq/debrief/ent/attendance"
	"github.com/debrief-hq/debrief/ent/decision"
	"github.com/debrief-hq/debrief/ent/meeting"
	"github.com/debrief-hq/debrief/ent/note"
	"github.com/debrief-hq/debrief/ent/person"
	"github.com/debrief-hq/debrief/ent/question"
	"github.com/debrief-hq/debrief/ent/user"
	"github.com/debrief-hq/debrief/internal/capture"
	"github.com/debrief-hq/debrief/internal/search"
)

// searchPage is how many meetings (or people) one step of SearchDocuments
// reads.
const searchPage = 200

// SearchDocuments builds an owner's search documents from the graph and
// hands them to fn a page at a time: each meeting with its note, decisions,
// action items and questions, then each person. It is what a reindex
// writes, and what start-up repair compares with the index.
func (s *Store) SearchDocuments(ctx context.Context, owner string, fn func([]search.Document) error) error {
	after := ""
	for {
		q := s.db.Ent.Meeting.Query().Where(meeting.OwnerID(owner))
		if after != "" {
			q = q.Where(meeting.IDGT(after))
		}
		ms, err := withSearchEdges(q.Order(ent.Asc(meeting.FieldID)).Limit(searchPage), owner).All(ctx)
		if err != nil {
			return translate(err)
		}
		if len(ms) == 0 {
			break
		}
		var docs []search.Document
		for _, m := range ms {
			docs = append(docs, meetingDocs(owner, m)...)
		}
		if err := fn(docs); err != nil {
			return err
		}
		after = ms[len(ms)-1].ID
	}
	// What belongs to no meeting: items and decisions made by hand, and
	// people.
	loose, err := s.looseDocs(ctx, owner)
	if err != nil {
		return err
	}
	if len(loose) > 0 {
		if err := fn(loose); err != nil {
			return err
		}
	}
	after = ""
	for {
		q := s.db.Ent.Person.Query().Where(person.OwnerID(owner))
		if after != "" {
			q = q.Where(person.IDGT(after))
		}
		ps, err := q.Order(ent.Asc(person.FieldID)).Limit(searchPage).WithOrganization().All(ctx)
		if err != nil {
			return translate(err)
		}
		if len(ps) == 0 {
			return nil
		}
		if err := fn(personDocs(owner, ps)); err != nil {
			return err
		}
		after = ps[len(ps)-1].ID
	}
}

func personDocs(owner string, ps []*ent.Person) []search.Document {
	docs := make([]search.Document, 0, len(ps))
	for _, p := range ps {
		d := search.Document{ID: p.ID, Type: search.TypePerson, Owner: owner, Title: cmp.Or(p.Name, p.Email),
			Body: strings.Join(emailsOf(p), " "), PersonIDs: []string{p.ID}, When: p.CreatedAt}
		d.Orgs = orgTerms(p)
		docs = append(docs, d)
	}
	return docs
}

// PersonSearchDocuments are the documents of some of an owner's people as
// they are now (none for one that is gone).
func (s *Store) PersonSearchDocuments(ctx context.Context, owner string, ids ...string) ([]search.Document, error) {
	ps, err := s.db.Ent.Person.Query().Where(person.OwnerID(owner), person.IDIn(ids...)).WithOrganization().All(ctx)
	if err != nil {
		return nil, translate(err)
	}
	return personDocs(owner, ps), nil
}

// LooseSearchDocuments are the documents of some of an owner's decisions,
// action items and questions that belong to no meeting, as they are now
// (none for one that is gone or belongs to a meeting: the meeting's update
// writes those).
func (s *Store) LooseSearchDocuments(ctx context.Context, owner string, ids ...string) ([]search.Document, error) {
	return s.loose(ctx, owner, ids)
}

// withSearchEdges loads what an owner's meetings' documents are made of.
// The items are read with the owner: their index is (owner_id,
// meeting_id), and by meeting_id alone SQLite read all of the table for
// every page of meetings (two thirds of an index update's time).
func withSearchEdges(q *ent.MeetingQuery, owner string) *ent.MeetingQuery {
	return q.WithSeries().WithNote().
		WithPeople(func(q *ent.PersonQuery) { q.WithOrganization() }).
		WithDecisions(func(q *ent.DecisionQuery) { q.Where(decision.OwnerID(owner)).WithPeople() }).
		WithActionItems(func(q *ent.ActionItemQuery) { q.Where(actionitem.OwnerID(owner)).WithAssignee() }).
		WithQuestions(func(q *ent.QuestionQuery) { q.Where(question.OwnerID(owner)) })
}

// MeetingSearchDocuments are the documents of some of an owner's meetings
// as they are now (none for a meeting that is gone): what an index update
// writes after it has deleted the meetings' old documents.
func (s *Store) MeetingSearchDocuments(ctx context.Context, owner string, ids ...string) ([]search.Document, error) {
	var docs []search.Document
	for chunk := range slices.Chunk(ids, searchPage) {
		ms, err := withSearchEdges(s.db.Ent.Meeting.Query().Where(meeting.OwnerID(owner), meeting.IDIn(chunk...)), owner).All(ctx)
		if err != nil {
			return nil, translate(err)
		}
		for _, m := range ms {
			docs = append(docs, meetingDocs(owner, m)...)
		}
	}
	return docs, nil
}

// NoteSearchDocuments are the documents of some of an owner's meetings'
// notes as they are now (none for an empty note), with the ids of all
// those notes: what an index update writes after deleting those ids.
func (s *Store) NoteSearchDocuments(ctx context.Context, owner string, meetingIDs ...string) ([]search.Document, []string, error) {
	var docs []search.Document
	var ids []string
	for chunk := range slices.Chunk(meetingIDs, searchPage) {
		ms, err := s.noteMeetings(ctx, owner, chunk)
		if err != nil {
			return nil, nil, err
		}
		for _, m := range ms {
			ids = append(ids, m.Edges.Note.ID)
			// Its items not loaded, the meeting's documents are its own and
			// its note's (if the note has text).
			for _, d := range meetingDocs(owner, m) {
				if d.Type == search.TypeNote {
					docs = append(docs, d)
				}
			}
		}
	}
	return docs, ids, nil
}

// noteMeetings are those of some of an owner's meetings that have a note,
// with the note, series and people (and their organizations) a note's
// document is made of. On PostgreSQL they are read in one query
// (noteDocsQuery): under a stream of saves each round trip of an index
// update waits its turn for the CPU, and ent's eager loads are six
// (docs/performance.md).
func (s *Store) noteMeetings(ctx context.Context, owner string, ids []string) ([]*ent.Meeting, error) {
	if s.db.Dialect != dialect.Postgres {
		ms, err := s.db.Ent.Meeting.Query().Where(meeting.OwnerID(owner), meeting.IDIn(ids...), meeting.HasNote()).
			WithSeries().WithNote().WithPeople(func(q *ent.PersonQuery) { q.WithOrganization() }).All(ctx)
		return ms, translate(err)
	}
	rows, err := s.db.SQL.QueryContext(ctx, noteDocsQuery, owner, ids)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var ms []*ent.Meeting
	for rows.Next() {
		m, n := &ent.Meeting{}, &ent.Note{}
		var seriesID, seriesTitle stdsql.NullString
		var people []byte
		if err := rows.Scan(&m.ID, &m.Title, &m.StartsAt, &seriesID, &seriesTitle, &n.ID, &n.Body, &people); err != nil {
			return nil, translate(err)
		}
		m.Edges.Note = n
		if seriesID.Valid {
			m.Edges.Series = &ent.Series{ID: seriesID.String, Title: seriesTitle.String}
		}
		if m.Edges.People, err = unpackPeople(people); err != nil {
			return nil, fmt.Errorf("meeting %s: %w", m.ID, err)
		}
		ms = append(ms, m)
	}
	return ms, translate(rows.Err())
}

// noteDocsQuery reads some of an owner's meetings with a note ($1 the
// owner, $2 the meetings): the meeting, its series, its note, and its
// people (id, name, address, addresses, organization's name and domain)
// as JSON.
const noteDocsQuery = `SELECT m.id, m.title, m.starts_at, s.id, s.title, n.id, n.body,
	coalesce((SELECT json_agg(json_build_array(p.id, p.name, p.email, p.emails, o.name, o.domain))
		FROM attendances a JOIN persons p ON p.id = a.person_id LEFT JOIN organizations o ON o.id = p.organization_id
		WHERE a.meeting_id = m.id), '[]')
FROM meetings m JOIN notes n ON n.meeting_id = m.id LEFT JOIN series s ON s.id = m.series_id
WHERE m.owner_id = $1 AND m.id = ANY($2)`

// unpackPeople reads noteDocsQuery's people.
func unpackPeople(raw []byte) ([]*ent.Person, error) {
	var rows [][6]json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		return nil, err
	}
	out := make([]*ent.Person, len(rows))
	for i, r := range rows {
		p := &ent.Person{}
		var org, domain *string
		for k, dst := range []any{&p.ID, &p.Name, &p.Email, &p.Emails, &org, &domain} {
			if err := json.Unmarshal(r[k], dst); err != nil {
				return nil, err
			}
		}
		if org != nil || domain != nil {
			p.Edges.Organization = &ent.Organization{Name: deref(org), Domain: deref(domain)}
		}
		out[i] = p
	}
	return out, nil
}

// AttendeeSearchDocuments are the documents of the people attending some
// of an owner's meetings (a sync or an edit of the attendees may have
// added them).
func (s *Store) AttendeeSearchDocuments(ctx context.Context, owner string, meetingIDs ...string) ([]search.Document, error) {
	var docs []search.Document
	seen := map[string]bool{}
	for chunk := range slices.Chunk(meetingIDs, searchPage) {
		ps, err := s.db.Ent.Person.Query().Where(person.OwnerID(owner),
			person.HasAttendancesWith(attendance.OwnerID(owner), attendance.MeetingIDIn(chunk...))).WithOrganization().All(ctx)
		if err != nil {
			return nil, translate(err)
		}
		ps = slices.DeleteFunc(ps, func(p *ent.Person) bool { return seen[p.ID] })
		for _, p := range ps {
			seen[p.ID] = true
		}
		docs = append(docs, personDocs(owner, ps)...)
	}
	return docs, nil
}

func (s *Store) looseDocs(ctx context.Context, owner string) ([]search.Document, error) {
	return s.loose(ctx, owner, nil)
}

// loose reads the owner's documents of what belongs to no meeting: all of
// them, or those with the given ids.
func (s *Store) loose(ctx context.Context, owner string, ids []string) ([]search.Document, error) {
	var docs []search.Document
	iq := s.db.Ent.ActionItem.Query().Where(actionitem.OwnerID(owner), actionitem.MeetingIDIsNil())
	dq := s.db.Ent.Decision.Query().Where(decision.OwnerID(owner), decision.MeetingIDIsNil())
	qq := s.db.Ent.Question.Query().Where(question.OwnerID(owner), question.MeetingIDIsNil())
	if ids != nil {
		iq.Where(actionitem.IDIn(ids...))
		dq.Where(decision.IDIn(ids...))
		qq.Where(question.IDIn(ids...))
	}
	items, err := iq.WithAssignee().All(ctx)
	if err != nil {
		return nil, translate(err)
	}
	for _, a := range items {
		docs = append(docs, itemDoc(owner, a, search.Document{When: a.CreatedAt}))
	}
	ds, err := dq.WithPeople().All(ctx)
	if err != nil {
		return nil, translate(err)
	}
	for _, d := range ds {
		docs = append(docs, decisionDoc(owner, d, search.Document{When: d.DecidedAt}))
	}
	qs, err := qq.All(ctx)
	if err != nil {
		return nil, translate(err)
	}
	for _, q := range qs {
		docs = append(docs, questionDoc(owner, q, search.Document{When: q.CreatedAt}))
	}
	return docs, nil
}

// meetingDocs are a meeting's documents: itself, its note, and what was
// captured in it, each carrying its meeting and series so that filters
// find them. The attendees' names and organizations are words of the
// meeting and its note only; what was captured names its own people (an
// item of a meeting of 500 copied all 500 names, and a note of 2,000
// items made a meeting's documents a billion words): person: and org:
// find the rest by the meeting (search.Involvement).
func meetingDocs(owner string, m *ent.Meeting) []search.Document {
	// The people in one order, however they were read (a document's hash
	// follows the order of its words).
	slices.SortFunc(m.Edges.People, func(a, b *ent.Person) int { return strings.Compare(a.ID, b.ID) })
	ctx := search.Document{Owner: owner, MeetingID: m.ID, When: m.StartsAt, PersonIDs: []string{}}
	if m.Edges.Series != nil {
		ctx.Series = m.Edges.Series.Title
	}
	md := ctx
	seenOrg := map[string]bool{}
	for _, p := range m.Edges.People {
		md.People = append(md.People, personTerms(p)...)
		for _, o := range orgTerms(p) {
			if !seenOrg[o] {
				seenOrg[o] = true
				md.Orgs = append(md.Orgs, o)
			}
		}
	}
	md.ID, md.Type, md.Title, md.Body = m.ID, search.TypeMeeting, m.Title, m.Description
	if m.SharesDescription && m.Edges.Series != nil {
		md.Body = m.Edges.Series.Description
	}
	docs := []search.Document{md}
	if n := m.Edges.Note; n != nil && n.Body != "" {
		nd := md
		nd.ID, nd.Type, nd.Title, nd.Body = n.ID, search.TypeNote, m.Title, capture.WithoutBlockIDs(n.Body)
		docs = append(docs, nd)
	}
	for _, d := range m.Edges.Decisions {
		docs = append(docs, decisionDoc(owner, d, ctx))
	}
	for _, a := range m.Edges.ActionItems {
		docs = append(docs, itemDoc(owner, a, ctx))
	}
	for _, q := range m.Edges.Questions {
		docs = append(docs, questionDoc(owner, q, ctx))
	}
	return docs
}

func decisionDoc(owner string, d *ent.Decision, ctx search.Document) search.Document {
	doc := ctx
	doc.ID, doc.Type, doc.Owner, doc.Title, doc.Body = d.ID, search.TypeDecision, owner, d.Text, ""
	doc.People, doc.Orgs, doc.PersonIDs = nil, nil, []string{}
	for _, p := range d.Edges.People {
		doc.People = append(doc.People, personTerms(p)...)
		doc.PersonIDs = append(doc.PersonIDs, p.ID)
	}
	return doc
}

func itemDoc(owner string, a *ent.ActionItem, ctx search.Document) search.Document {
	doc := ctx
	doc.ID, doc.Type, doc.Owner, doc.Title, doc.Body = a.ID, search.TypeActionItem, owner, a.Title, ""
	doc.Status = string(a.Status) // open, done or dropped: is:open and is:done leave dropped out
	doc.People, doc.Orgs, doc.PersonIDs = nil, nil, []string{}
	if p := a.Edges.Assignee; p != nil {
		doc.People = personTerms(p)
		doc.PersonIDs = []string{p.ID}
	}
	return doc
}

func questionDoc(owner string, q *ent.Question, ctx search.Document) search.Document {
	doc := ctx
	doc.ID, doc.Type, doc.Owner, doc.Title, doc.Body = q.ID, search.TypeQuestion, owner, q.Text, ""
	doc.People, doc.Orgs, doc.PersonIDs = nil, nil, []string{}
	switch q.Status {
	case question.StatusAnswered:
		doc.Status = "done"
	case question.StatusDropped:
		doc.Status = "dropped" // its line left the note: neither is:open nor is:done
	default:
		doc.Status = "open"
	}
	return doc
}

func personTerms(p *ent.Person) []string {
	out := []string{}
	if p.Name != "" {
		out = append(out, p.Name)
	}
	return append(out, emailsOf(p)...)
}

func emailsOf(p *ent.Person) []string {
	out := []string{p.Email}
	for _, e := range p.Emails {
		if e != p.Email {
			out = append(out, e)
		}
	}
	return out
}

func orgTerms(p *ent.Person) []string {
	if o := p.Edges.Organization; o != nil {
		return []string{o.Name, o.Domain}
	}
	return nil
}

// SearchTexts are the bodies of an owner's documents by id, as their
// documents carry them (notes, meetings' descriptions, people's
// addresses; decisions, items and questions have none), for the snippets
// of a backend that does not store them. Ids come from the owner's search
// hits, by type; each kind is read by primary key.
func (s *Store) SearchTexts(ctx context.Context, owner string, idsByType map[string][]string) (map[string]string, error) {
	out := map[string]string{}
	if ids := idsByType[search.TypeNote]; len(ids) > 0 {
		notes, err := s.db.Ent.Note.Query().Where(note.OwnerID(owner), note.IDIn(ids...)).Select(note.FieldID, note.FieldBody).All(ctx)
		if err != nil {
			return nil, translate(err)
		}
		for _, n := range notes {
			out[n.ID] = capture.WithoutBlockIDs(n.Body) // as indexed
		}
	}
	if ids := idsByType[search.TypeMeeting]; len(ids) > 0 {
		ms, err := s.db.Ent.Meeting.Query().Where(meeting.OwnerID(owner), meeting.IDIn(ids...)).
			Select(meeting.FieldID, meeting.FieldDescription, meeting.FieldSharesDescription, meeting.FieldSeriesID).All(ctx)
		if err != nil {
			return nil, translate(err)
		}
		if err := withSeriesDescriptions(ctx, s.db.Ent, ms...); err != nil {
			return nil, err
		}
		for _, m := range ms {
			out[m.ID] = m.Description
		}
	}
	if ids := idsByType[search.TypePerson]; len(ids) > 0 {
		ps, err := s.db.Ent.Person.Query().Where(person.OwnerID(owner), person.IDIn(ids...)).Select(person.FieldID, person.FieldEmail, person.FieldEmails).All(ctx)
		if err != nil {
			return nil, translate(err)
		}
		for _, p := range ps {
			out[p.ID] = strings.Join(emailsOf(p), " ")
		}
	}
	return out, nil
}

// MeetingsWith are the ids of the owner's meetings that any of the people
// attended, the latest first, at most limit: what person: and org:
// filters reach beyond the documents that name those people.
func (s *Store) MeetingsWith(ctx context.Context, owner string, personIDs []string, limit int) ([]string, error) {
	if len(personIDs) == 0 {
		return nil, nil
	}
	args, in := s.inList([]any{owner}, personIDs)
	args = append(args, limit)
	q := `SELECT a.meeting_id FROM attendances a JOIN meetings m ON m.id = a.meeting_id
		WHERE a.owner_id = ` + s.placeholder(1) + ` AND a.person_id IN (` + in + `)
		GROUP BY a.meeting_id ORDER BY max(m.starts_at) DESC LIMIT ` + s.placeholder(len(args))
	rows, err := s.db.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, translate(err)
		}
		ids = append(ids, id)
	}
	return ids, translate(rows.Err())
}

// placeholder is the n-th bind parameter in the database's dialect.
func (s *Store) placeholder(n int) string {
	if s.db.Dialect == dialect.Postgres {
		return "$" + strconv.Itoa(n)
	}
	return "?" + strconv.Itoa(n)
}

// inList appends values to a query's arguments and returns the
// placeholders of an IN list naming them.
func (s *Store) inList(args []any, values []string) ([]any, string) {
	var in strings.Builder
	for i, v := range values {
		if i > 0 {
			in.WriteString(", ")
		}
		args = append(args, v)
		in.WriteString(s.placeholder(len(args)))
	}
	return args, in.String()
}

// UserIDs lists every account's id, in id order (for a full reindex).
func (s *Store) UserIDs(ctx context.Context) ([]string, error) {
	ids, err := s.db.Ent.User.Query().Order(ent.Asc(user.FieldID)).IDs(ctx)
	return ids, translate(err)
}
