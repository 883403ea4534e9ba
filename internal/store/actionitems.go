package store

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/actionitem"
	"github.com/debrief-hq/debrief/ent/person"
	"github.com/debrief-hq/debrief/ent/predicate"
	"github.com/debrief-hq/debrief/ent/user"
	dactionitem "github.com/debrief-hq/debrief/internal/actionitem"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/capture"
	"github.com/debrief-hq/debrief/internal/cursor"
	dmeeting "github.com/debrief-hq/debrief/internal/meeting"
)

func toActionItem(a *ent.ActionItem) dactionitem.Item {
	it := dactionitem.Item{ID: a.ID, Title: a.Title, Status: dactionitem.Status(a.Status), DueAt: utc(a.DueAt),
		MeetingID: a.MeetingID, CreatedAt: a.CreatedAt.UTC(), CompletedAt: utc(a.CompletedAt),
		RemindAt: utc(a.RemindAt), NextMeeting: a.NextMeeting, InNote: a.NoteID != nil && a.DetachedAt == nil, PersonID: a.AboutPersonID}
	if p := a.Edges.Assignee; p != nil {
		it.Owner = &dactionitem.Owner{PersonID: p.ID, Name: p.Name, Email: p.Email}
	}
	return it
}

func (s *Store) CreateActionItem(ctx context.Context, owner string, in dactionitem.CreateInput) (dactionitem.Item, error) {
	var id string
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		if err := checkRefs(ctx, tx, owner, in.OwnerID, in.MeetingID); err != nil {
			return err
		}
		c := tx.ActionItem.Create().SetOwnerID(owner).SetTitle(in.Title).SetStatus(actionitem.Status(in.Status)).
			SetNillableAssigneeID(in.OwnerID).SetNillableDueAt(tsp(in.DueAt)).SetNillableMeetingID(in.MeetingID)
		if in.Status == dactionitem.StatusDone {
			c.SetCompletedAt(ts(time.Now()))
		}
		a, err := c.Save(ctx)
		if err != nil {
			return err
		}
		id = a.ID
		if err := claimIdempotency(ctx, tx, "action_item", a.ID); err != nil {
			return err
		}
		return s.markItem(ctx, tx, owner, a.MeetingID, a.ID)
	})
	if err != nil {
		return dactionitem.Item{}, err
	}
	return s.actionItem(ctx, owner, id)
}

// ActionItem reads one of the owner's action items.
func (s *Store) ActionItem(ctx context.Context, owner, id string) (dactionitem.Item, error) {
	return s.actionItem(ctx, owner, id)
}

func (s *Store) actionItem(ctx context.Context, owner, id string) (dactionitem.Item, error) {
	a, err := s.db.Ent.ActionItem.Query().Where(actionitem.OwnerID(owner), actionitem.ID(id)).WithAssignee().Only(ctx)
	if err != nil {
		return dactionitem.Item{}, notFound(err, "action item")
	}
	return toActionItem(a), nil
}

func (s *Store) UpdateActionItem(ctx context.Context, owner, id string, in dactionitem.UpdateInput) (dactionitem.Item, error) {
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		a, err := tx.ActionItem.Query().Where(actionitem.OwnerID(owner), actionitem.ID(id)).Only(ctx)
		if err != nil {
			return notFound(err, "action item")
		}
		if err := checkRefs(ctx, tx, owner, in.OwnerID, nil); err != nil {
			return err
		}
		due := tsp(in.DueAt)
		ownerChanged := in.ClearOwner && a.AssigneeID != nil || in.OwnerID != nil && !eqPtr(a.AssigneeID, in.OwnerID)
		dueChanged := in.ClearDue && a.DueAt != nil || due != nil && !eqTime(a.DueAt, due)
		inNote := a.NoteID != nil && a.BlockID != nil && a.DetachedAt == nil
		title, line := a.Title, a.Title
		if a.Line != nil {
			line = *a.Line
		}
		oldLine := line
		reworded := in.Title != nil && *in.Title != a.Title
		if in.Title != nil {
			title = *in.Title
		}
		remindChanged := in.ClearRemind && a.RemindAt != nil || in.RemindAt != nil && !eqTime(a.RemindAt, tsp(in.RemindAt))
		if inNote && (ownerChanged || dueChanged || reworded || remindChanged) {
			// The note line says who owns the item, when it is due and when
			// to remind, and the next save of the note reads them from there:
			// write them in. New words keep the line's phrases.
			assignee, dueAt, remindAt := a.AssigneeID, a.DueAt, a.RemindAt
			if ownerChanged {
				assignee = in.OwnerID
			}
			if dueChanged {
				dueAt = due
			}
			if remindChanged {
				remindAt = tsp(in.RemindAt)
			}
			if reworded {
				line = *in.Title
			}
			var err error
			if line, dueAt, err = s.retargetLine(ctx, tx, owner, a.MeetingID, line, ownerChanged || reworded, assignee, dueChanged || reworded, dueAt); err != nil {
				return err
			}
			if dueChanged {
				due = dueAt
			}
			if remindChanged || reworded && capture.HasRemind(oldLine) {
				// A line that says when to remind says the new moment.
				if line, err = s.remindLine(ctx, tx, owner, line, remindAt, reworded); err != nil {
					return err
				}
			}
			if title, err = s.titleOf(ctx, owner, a.MeetingID, line); err != nil {
				return err
			}
			in.Title = &title
		}
		u := tx.ActionItem.UpdateOne(a).SetNillableTitle(in.Title).SetNillableAssigneeID(in.OwnerID).SetNillableDueAt(due).
			SetNillableRemindAt(tsp(in.RemindAt))
		if in.ClearRemind {
			u.ClearRemindAt()
		}
		if in.ClearOwner {
			u.ClearAssigneeID()
		}
		if in.ClearDue {
			u.ClearDueAt()
		}
		statusChanged := in.Status != nil && *in.Status != dactionitem.Status(a.Status)
		if statusChanged {
			u.SetStatus(actionitem.Status(*in.Status))
			if *in.Status == dactionitem.StatusDone {
				u.SetCompletedAt(ts(time.Now()))
			} else {
				u.ClearCompletedAt()
			}
			if *in.Status == dactionitem.StatusDropped && a.NoteID != nil {
				u.SetDetachedAt(ts(time.Now())) // its line leaves the note below
			}
		}
		if inNote && line != oldLine {
			u.SetLine(line)
		}
		if err := u.Exec(ctx); err != nil {
			return err
		}
		if err := s.markItem(ctx, tx, owner, a.MeetingID, a.ID); err != nil {
			return err
		}
		if !inNote || !(statusChanged || line != oldLine) {
			return nil
		}
		status := dactionitem.Status(a.Status)
		if in.Status != nil {
			status = *in.Status
		}
		return s.syncNoteLine(ctx, tx, owner, *a.NoteID, *a.BlockID, line, status)
	})
	if err != nil {
		return dactionitem.Item{}, err
	}
	return s.actionItem(ctx, owner, id)
}

func (s *Store) ListActionItems(ctx context.Context, owner string, f dactionitem.Filter) (cursor.Result[dactionitem.Item], error) {
	ps := []predicate.ActionItem{actionitem.OwnerID(owner)}
	if f.Status != "" {
		ps = append(ps, actionitem.StatusEQ(actionitem.Status(f.Status)))
	}
	switch f.OwnerID {
	case "":
	case "me":
		ps = append(ps, actionitem.AssigneeIDIsNil())
	default:
		ps = append(ps, actionitem.AssigneeID(f.OwnerID))
	}
	if f.MeetingID != "" {
		ps = append(ps, actionitem.MeetingID(f.MeetingID))
	}
	if f.DueBefore != nil {
		ps = append(ps, actionitem.DueAtLT(ts(*f.DueBefore)))
	}
	if f.DueAfter != nil {
		ps = append(ps, actionitem.DueAtGTE(ts(*f.DueAfter)))
	}
	if f.Page.After != nil {
		ps = append(ps, actionitem.IDGT(f.Page.After.ID))
	}
	rows, err := s.db.Ent.ActionItem.Query().Where(ps...).WithAssignee().
		Order(ent.Asc(actionitem.FieldID)).Limit(f.Page.Limit + 1).All(ctx)
	if err != nil {
		return cursor.Result[dactionitem.Item]{}, translate(err)
	}
	return cursor.Cut(mapSlice(rows, toActionItem), f.Page.Limit, idKey(func(i dactionitem.Item) string { return i.ID })), nil
}

func (s *Store) GroupActionItems(ctx context.Context, owner, view string) ([]dactionitem.Group, error) {
	q := s.db.Ent.ActionItem.Query().Where(actionitem.OwnerID(owner), actionitem.StatusEQ(actionitem.StatusOpen))
	if view == dactionitem.ViewOwedToMe {
		q = q.Where(actionitem.AssigneeIDNotNil()).WithAssignee()
	} else {
		q = q.Where(actionitem.AssigneeIDIsNil())
	}
	rows, err := q.Order(actionitem.ByDueAt(sql.OrderNullsLast()), actionitem.ByID()).Limit(dactionitem.GroupLimit).All(ctx)
	if err != nil {
		return nil, translate(err)
	}
	groups := map[string]*dactionitem.Group{}
	add := func(p *dactionitem.Owner, it dactionitem.Item) {
		key := ""
		if p != nil {
			key = p.PersonID
		}
		g := groups[key]
		if g == nil {
			g = &dactionitem.Group{Person: p}
			groups[key] = g
		}
		g.Items = append(g.Items, it)
	}
	if view == dactionitem.ViewOwedToMe {
		for _, r := range rows {
			it := toActionItem(r)
			add(it.Owner, it)
		}
	} else {
		var mids, about []string
		for _, r := range rows {
			if r.MeetingID != nil {
				mids = append(mids, *r.MeetingID)
			}
			if r.AboutPersonID != nil {
				about = append(about, *r.AboutPersonID)
			}
		}
		att, err := s.loadAttendees(ctx, dedupe(mids)...)
		if err != nil {
			return nil, err
		}
		// An item from a person's note is owed to that person.
		notedFor := map[string]dmeeting.Attendee{}
		for chunk := range slices.Chunk(dedupe(about), applyChunk) {
			ps, err := s.db.Ent.Person.Query().Where(person.OwnerID(owner), person.IDIn(chunk...)).All(ctx)
			if err != nil {
				return nil, translate(err)
			}
			for _, p := range ps {
				notedFor[p.ID] = dmeeting.Attendee{PersonID: p.ID, Name: p.Name, Email: p.Email}
			}
		}
		for _, r := range rows {
			it := toActionItem(r)
			var people []dmeeting.Attendee
			if r.MeetingID != nil {
				people = att[*r.MeetingID]
			}
			if p, ok := notedFor[deref(r.AboutPersonID)]; ok && r.MeetingID == nil {
				people = []dmeeting.Attendee{p}
			}
			if len(people) == 0 {
				add(nil, it)
			}
			for _, a := range people {
				add(&dactionitem.Owner{PersonID: a.PersonID, Name: a.Name, Email: a.Email}, it)
			}
		}
	}
	out := make([]dactionitem.Group, 0, len(groups))
	for _, g := range groups {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Person, out[j].Person
		if (a == nil) != (b == nil) {
			return b == nil
		}
		if a == nil {
			return false
		}
		if an, bn := strings.ToLower(a.Name+" "+a.Email), strings.ToLower(b.Name+" "+b.Email); an != bn {
			return an < bn
		}
		return a.PersonID < b.PersonID
	})
	return out, nil
}

// syncNoteLine shows an action item's new state in its note's line (checkbox,
// text; a dropped item's line is removed) and bumps the note's version, so
// an editor holding the old version gets 412 and reloads.
// retargetLine rewrites an action item's line text so that it names the
// new owner (its first resolved @mention; none for me) and the new due
// date (`due:YYYY-MM-DD` in the user's time zone). It returns the text and
// the due time as the line will read back: the start of that day.
func (s *Store) retargetLine(ctx context.Context, tx *ent.Client, owner string, meetingID *string, text string,
	setOwner bool, ownerID *string, setDue bool, due *time.Time) (string, *time.Time, error) {
	if setDue {
		iso := ""
		if due != nil {
			zone, err := tx.User.Query().Where(user.ID(owner)).Select(user.FieldTimeZone).String(ctx)
			if err != nil {
				return "", nil, err
			}
			loc, err := time.LoadLocation(zone)
			if err != nil {
				loc = time.UTC
			}
			day := due.In(loc)
			iso = day.Format(time.DateOnly)
			start := ts(time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc))
			due = &start
		}
		text = capture.SetDue(text, iso)
	}
	if !setOwner {
		return text, due, nil
	}
	// The owner the line names now, and how many words its name takes.
	it := capture.ItemOf(capture.KindAction, text)
	words := 0
	if i := capture.Owner(it); i >= 0 {
		res, err := s.resolveMentions(ctx, owner, meetingID, it.Mentions[i:i+1], 1)
		if err != nil {
			return "", nil, err
		}
		words = res.lookup(it.Mentions[i]).words
	}
	handle := ""
	if ownerID != nil {
		var err error
		if handle, err = s.handleFor(ctx, tx, owner, meetingID, *ownerID); err != nil {
			return "", nil, err
		}
	}
	return capture.SetOwner(text, words, handle), due, nil
}

// titleOf is the title of an action item's line (capture.Title), its owner
// mention resolved as a save resolves it.
func (s *Store) titleOf(ctx context.Context, owner string, meetingID *string, line string) (string, error) {
	it := capture.ItemOf(capture.KindAction, line)
	res, err := s.resolveMentions(ctx, owner, meetingID, it.Mentions, len(it.Mentions))
	if err != nil {
		return "", err
	}
	if res.self, err = s.selfPeople(ctx, owner, []capture.Item{it}); err != nil {
		return "", err
	}
	_, named, words := res.ownerOf(it)
	return capture.Title(it, words, named), nil
}

func (s *Store) remindLine(ctx context.Context, tx *ent.Client, owner, text string, at *time.Time, add bool) (string, error) {
	if !capture.HasRemind(text) && !(add && at != nil) {
		return text, nil // no phrase in the line: the note is left alone
	}
	if at == nil {
		return capture.SetRemind(text, ""), nil
	}
	zone, err := tx.User.Query().Where(user.ID(owner)).Select(user.FieldTimeZone).String(ctx)
	if err != nil {
		return "", err
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	return capture.SetRemind(text, at.In(loc).Format("2006-01-02 15:04")), nil
}

// handleFor is how a note line names a person: "@Full Name" when that reads
// back as them, else "@address".
func (s *Store) handleFor(ctx context.Context, tx *ent.Client, owner string, meetingID *string, personID string) (string, error) {
	p, err := tx.Person.Query().Where(person.OwnerID(owner), person.ID(personID)).Only(ctx)
	if err != nil {
		return "", notFound(err, "person")
	}
	if name := strings.TrimSpace(p.Name); name != "" {
		if ms := capture.Mentions("@" + name); len(ms) == 1 && ms[0].End(len(ms[0].Next)) == len(name)+1 {
			res, err := s.resolveMentions(ctx, owner, meetingID, ms, len(ms))
			if err != nil {
				return "", err
			}
			if got := res.lookup(ms[0]); got.id == personID && got.words == len(ms[0].Next) {
				return "@" + name, nil
			}
		}
	}
	if p.Email == "" {
		var f apperr.Fields
		f.Add("owner_id", "names a person with neither a name nor an address a note line can show")
		return "", f.Err()
	}
	return "@" + p.Email, nil
}

func (s *Store) syncNoteLine(ctx context.Context, tx *ent.Client, owner, noteID, blockID, line string, status dactionitem.Status) error {
	return s.rewriteNote(ctx, tx, owner, noteID, func(body string) (string, bool) {
		return capture.RewriteAction(body, blockID, line, status == dactionitem.StatusDone, status == dactionitem.StatusDropped)
	})
}
