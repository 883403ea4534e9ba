package store

import (
	"cmp"
	"context"
	stdsql "database/sql"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/actionitem"
	"github.com/debrief-hq/debrief/ent/attendance"
	"github.com/debrief-hq/debrief/ent/meeting"
	"github.com/debrief-hq/debrief/ent/note"
	"github.com/debrief-hq/debrief/ent/notification"
	"github.com/debrief-hq/debrief/ent/question"
	"github.com/debrief-hq/debrief/ent/user"
	"github.com/debrief-hq/debrief/ent/webhook"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/events"
	dmeeting "github.com/debrief-hq/debrief/internal/meeting"
	"github.com/debrief-hq/debrief/internal/remind"
)

// RemindQueue queues, in tx, the planning of owner's reminders for the
// changes of one window (numbered window, ending at end); the job queue
// sets it (nil: the hourly pass plans them).
type RemindQueue func(ctx context.Context, tx *stdsql.Tx, owner string, window int64, end time.Time) error

// DefaultReplanWindow gathers an owner's changes: those of one window
// share one planning, run just after it ends. (A reminder that comes
// meanwhile reads its item when it is sent: a ticked item is not reminded.)
const DefaultReplanWindow = 5 * time.Second

// WithReplanWindow sets the replan window (tests shorten it).
func WithReplanWindow(d time.Duration) Option { return func(s *Store) { s.replanWindow = d } }

// SetRemindQueue connects the store's writes to reminder planning.
func (s *Store) SetRemindQueue(q RemindQueue) { s.remindQueue = q }

// replan queues the planning of owner's reminders: a change to their
// items, meetings, notes or settings moves them. A window's planning is
// queued once per process (the first write of the window that commits;
// other instances' queues are the same job, which River keeps once).
func (s *Store) replan(ctx context.Context, owner string) error {
	st := txFrom(ctx)
	if s.remindQueue == nil || st == nil || st.remindQueued[owner] {
		return nil
	}
	size := int64(cmp.Or(s.replanWindow, DefaultReplanWindow))
	window := time.Now().UnixNano() / size
	if w, ok := s.replanned.Load(owner); ok && w.(int64) == window {
		return nil
	}
	if err := s.remindQueue(ctx, st.tx, owner, window, time.Unix(0, (window+1)*size)); err != nil {
		return err
	}
	st.remindQueued[owner] = true
	afterCommit(ctx, func() { s.replanned.Store(owner, window) })
	return nil
}

// RemindOwners lists user ids after `after`, in order.
func (s *Store) RemindOwners(ctx context.Context, after string, limit int) ([]string, error) {
	ids, err := s.db.Ent.User.Query().Where(user.IDGT(after)).Order(ent.Asc(user.FieldID)).Limit(limit).IDs(ctx)
	return ids, translate(err)
}

// remindChunk bounds the ids in one IN list.
const remindChunk = 500

// RemindSnapshots loads what planning needs of owners: their settings and
// webhooks, their open items that have a due date, a remind-me-at or
// people to wait for, and their meetings between from and to.
func (s *Store) RemindSnapshots(ctx context.Context, owners []string, from, to time.Time, emailOn bool) ([]remind.Snapshot, error) {
	byOwner := make(map[string]*remind.Snapshot, len(owners))
	var out []*remind.Snapshot
	for chunk := range slices.Chunk(owners, remindChunk) {
		users, err := s.db.Ent.User.Query().Where(user.IDIn(chunk...)).All(ctx)
		if err != nil {
			return nil, translate(err)
		}
		for _, u := range users {
			sn := &remind.Snapshot{Owner: toRemindOwner(u, emailOn)}
			byOwner[u.ID] = sn
			out = append(out, sn)
		}
		hooks, err := s.db.Ent.Webhook.Query().Where(webhook.OwnerIDIn(chunk...)).All(ctx)
		if err != nil {
			return nil, translate(err)
		}
		for _, h := range hooks {
			if sn := byOwner[h.OwnerID]; sn != nil {
				sn.Owner.Webhooks = append(sn.Owner.Webhooks, toHook(h))
			}
		}
		actions, err := s.db.Ent.ActionItem.Query().
			Where(actionitem.OwnerIDIn(chunk...), actionitem.StatusEQ(actionitem.StatusOpen),
				actionitem.Or(actionitem.DueAtNotNil(), actionitem.RemindAtNotNil(), actionitem.NextMeeting(true))).
			Select(actionitem.FieldID, actionitem.FieldOwnerID, actionitem.FieldAssigneeID, actionitem.FieldDueAt,
				actionitem.FieldRemindAt, actionitem.FieldNextMeeting, actionitem.FieldPeople, actionitem.FieldMeetingID,
				actionitem.FieldCreatedAt).All(ctx)
		if err != nil {
			return nil, translate(err)
		}
		for _, a := range actions {
			if sn := byOwner[a.OwnerID]; sn != nil {
				sn.Items = append(sn.Items, remind.Item{ID: a.ID, Mine: a.AssigneeID == nil, DueAt: a.DueAt, RemindAt: a.RemindAt,
					NextMeeting: a.NextMeeting, People: a.People, MeetingID: deref(a.MeetingID), CreatedAt: a.CreatedAt})
			}
		}
		qs, err := s.db.Ent.Question.Query().
			Where(question.OwnerIDIn(chunk...), question.StatusEQ(question.StatusOpen)).
			Select(question.FieldID, question.FieldOwnerID, question.FieldRemindAt, question.FieldPeople,
				question.FieldMeetingID, question.FieldCreatedAt).All(ctx)
		if err != nil {
			return nil, translate(err)
		}
		for _, q := range qs {
			if sn := byOwner[q.OwnerID]; sn != nil {
				sn.Items = append(sn.Items, remind.Item{ID: q.ID, Question: true, RemindAt: q.RemindAt, People: q.People,
					MeetingID: deref(q.MeetingID), CreatedAt: q.CreatedAt})
			}
		}
		ms, err := s.db.Ent.Meeting.Query().
			Where(meeting.OwnerIDIn(chunk...), meeting.StartsAtLT(ts(to)), meeting.EndsAtGT(ts(from)), meeting.HiddenAtIsNil()).
			Select(meeting.FieldID, meeting.FieldOwnerID, meeting.FieldStartsAt, meeting.FieldEndsAt, meeting.FieldAllDay, meeting.FieldStatus).
			Order(ent.Asc(meeting.FieldStartsAt), ent.Asc(meeting.FieldID)).All(ctx)
		if err != nil {
			return nil, translate(err)
		}
		ids := make([]string, len(ms))
		for i, m := range ms {
			ids[i] = m.ID
		}
		attendees, noted, err := s.meetingPeopleAndNotes(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if sn := byOwner[m.OwnerID]; sn != nil {
				sn.Meetings = append(sn.Meetings, remind.Meeting{ID: m.ID, Start: m.StartsAt, End: m.EndsAt, AllDay: m.AllDay,
					Cancelled: m.Status == meeting.StatusCancelled, Attendees: attendees[m.ID], HasNote: noted[m.ID]})
			}
		}
	}
	// Questions and next-time items that name nobody wait for the people
	// of the meeting they were written in, which may be long past.
	var sources []string
	for _, sn := range out {
		for _, it := range sn.Items {
			if len(it.People) == 0 && it.MeetingID != "" && (it.Question || it.NextMeeting) {
				sources = append(sources, it.MeetingID)
			}
		}
	}
	slices.Sort(sources)
	sources = slices.Compact(sources)
	people := map[string][]string{}
	for chunk := range slices.Chunk(sources, remindChunk) {
		rows, err := s.db.Ent.Attendance.Query().Where(attendance.MeetingIDIn(chunk...)).
			Select(attendance.FieldMeetingID, attendance.FieldPersonID).All(ctx)
		if err != nil {
			return nil, translate(err)
		}
		for _, r := range rows {
			people[r.MeetingID] = append(people[r.MeetingID], r.PersonID)
		}
	}
	snaps := make([]remind.Snapshot, len(out))
	for i, sn := range out {
		for j, it := range sn.Items {
			if len(it.People) == 0 && it.MeetingID != "" {
				sn.Items[j].People = people[it.MeetingID]
			}
		}
		snaps[i] = *sn
	}
	return snaps, nil
}

// meetingPeopleAndNotes reads the attendees of meetings, and which have a note.
func (s *Store) meetingPeopleAndNotes(ctx context.Context, ids []string) (map[string][]string, map[string]bool, error) {
	attendees, noted := map[string][]string{}, map[string]bool{}
	for chunk := range slices.Chunk(ids, remindChunk) {
		rows, err := s.db.Ent.Attendance.Query().Where(attendance.MeetingIDIn(chunk...)).
			Select(attendance.FieldMeetingID, attendance.FieldPersonID).All(ctx)
		if err != nil {
			return nil, nil, translate(err)
		}
		for _, r := range rows {
			attendees[r.MeetingID] = append(attendees[r.MeetingID], r.PersonID)
		}
		withNote, err := s.db.Ent.Note.Query().Where(note.MeetingIDIn(chunk...)).Select(note.FieldMeetingID).Strings(ctx)
		if err != nil {
			return nil, nil, translate(err)
		}
		for _, id := range withNote {
			noted[id] = true
		}
	}
	return attendees, noted, nil
}

func toRemindOwner(u *ent.User, emailOn bool) remind.Owner {
	loc, err := time.LoadLocation(u.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	return remind.Owner{ID: u.ID, Name: u.Name, Email: u.Email, Location: loc,
		Settings: remind.LoadSettings(u.ReminderSettings, emailOn), EmailOn: emailOn}
}

func toHook(h *ent.Webhook) remind.Hook {
	var events []string
	_ = json.Unmarshal([]byte(h.Events), &events)
	return remind.Hook{ID: h.ID, Events: events}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// RemindOwner reads one owner with their settings and webhooks.
func (s *Store) RemindOwner(ctx context.Context, id string, emailOn bool) (remind.Owner, error) {
	u, err := s.db.Ent.User.Get(ctx, id)
	if err != nil {
		return remind.Owner{}, notFound(err, "user")
	}
	o := toRemindOwner(u, emailOn)
	hooks, err := s.db.Ent.Webhook.Query().Where(webhook.OwnerID(id)).All(ctx)
	if err != nil {
		return o, translate(err)
	}
	for _, h := range hooks {
		o.Webhooks = append(o.Webhooks, toHook(h))
	}
	return o, nil
}

// withdrawn marks a delivery cancelled by a later plan: the same key
// planned again brings it back.
const withdrawn = "withdrawn"

// RecordPlan reconciles each owner's pending deliveries with their new
// plan, in one transaction: what the plan dropped is withdrawn, what moved
// is moved, what is new is inserted, each key once per owner ever.
func (s *Store) RecordPlan(ctx context.Context, plans map[string][]remind.Delivery) (remind.Recorded, error) {
	var rec remind.Recorded
	owners := make([]string, 0, len(plans))
	for o := range plans {
		owners = append(owners, o)
	}
	slices.Sort(owners)
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		rec = remind.Recorded{}
		// The owners' pending deliveries, read by the range of their ids: a
		// planning pass's batch is a run of consecutive ids, and a range
		// costs the database two comparisons a row where a list of 500 ids
		// cost 500 (PostgreSQL scanned a growing table with it: 21 s of a
		// 33 s pass). Rows of an owner in the range but not in the batch
		// (one who signed up meanwhile) are left as they are.
		pending := map[string][]remind.Pending{}
		if len(owners) > 0 {
			// On SQLite "+status" keeps the planner off the (status, …)
			// index, which it would pick while the table's statistics
			// are older than its rows (after a first pass, a scan of
			// every pending row per batch: 12 s of a 12 s pass).
			q := `SELECT id, owner_id, dedupe_key, scheduled_at, attempts FROM notifications WHERE owner_id >= ` + s.placeholder(1) +
				` AND owner_id <= ` + s.placeholder(2) + ` AND +status = 'pending'`
			if s.db.Dialect == dialect.Postgres {
				q = strings.Replace(q, "+status", "status", 1)
			}
			rows, err := tx.QueryContext(ctx, q, owners[0], owners[len(owners)-1])
			if err != nil {
				return err
			}
			for rows.Next() {
				var p remind.Pending
				var owner string
				var attempts int
				if err := rows.Scan(&p.ID, &owner, &p.Key, &p.At, &attempts); err != nil {
					rows.Close()
					return err
				}
				p.Retrying = attempts > 0
				pending[owner] = append(pending[owner], p)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		var cancel []string
		var insert [][]any
		now := ts(time.Now())
		for _, o := range owners {
			c := remind.Reconcile(pending[o], plans[o])
			cancel = append(cancel, c.Cancel...)
			for _, m := range c.Move {
				if err := tx.Notification.Update().Where(notification.ID(m.ID), notification.StatusEQ(notification.StatusPending)).
					SetScheduledAt(ts(m.At)).Exec(ctx); err != nil {
					return err
				}
			}
			rec.Moved += len(c.Move)
			for _, d := range c.Insert {
				var hook any
				if d.WebhookID != "" {
					hook = d.WebhookID
				}
				insert = append(insert, []any{notification.DefaultID(), o, d.Kind, string(d.Channel), d.Ref, d.Key, ts(d.At), hook})
			}
		}
		for chunk := range slices.Chunk(cancel, remindChunk) {
			n, err := tx.Notification.Update().Where(notification.IDIn(chunk...), notification.StatusEQ(notification.StatusPending)).
				SetStatus(notification.StatusCancelled).SetLastError(withdrawn).SetUpdatedAt(now).Save(ctx)
			if err != nil {
				return err
			}
			rec.Cancelled += n
		}
		if len(insert) == 0 {
			return nil
		}
		cols := []string{notification.FieldCreatedAt, notification.FieldUpdatedAt, notification.FieldID, notification.FieldOwnerID,
			notification.FieldKind, notification.FieldChannel, notification.FieldSubjectRef, notification.FieldDedupeKey,
			notification.FieldScheduledAt, notification.FieldWebhookID}
		// A key recorded before stays as it is (sent, failed, cancelled by
		// its send), unless a plan withdrew it: then it is due again.
		suffix := ` ON CONFLICT (owner_id, dedupe_key) DO UPDATE SET status = 'pending', last_error = '', scheduled_at = excluded.scheduled_at` +
			` WHERE "notifications".status = 'cancelled' AND "notifications".last_error = '` + withdrawn + `'`
		rec.Inserted = len(insert)
		if s.db.Dialect == dialect.Postgres {
			return insertDeliveriesPG(ctx, tx, now, insert, suffix)
		}
		return bulkInsertSuffix(ctx, tx, s.db.Dialect, notification.Table, cols, []any{now, now}, insert, suffix)
	})
	return rec, err
}

// ClaimDeliveries takes deliveries due at now for this instance: pending
// ones, and ones claimed before staleBefore whose instance never finished
// them (it stopped mid-send). On PostgreSQL instances skip each other's
// rows; SQLite has one writer.
func (s *Store) ClaimDeliveries(ctx context.Context, now, staleBefore time.Time, limit int) ([]remind.Claim, error) {
	var out []remind.Claim
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		out = nil
		q := `SELECT id, status FROM notifications WHERE (status = 'pending' AND scheduled_at <= ` + s.placeholder(1) +
			`) OR (status = 'sending' AND claimed_at < ` + s.placeholder(2) + `) ORDER BY scheduled_at LIMIT ` + s.placeholder(3)
		if s.db.Dialect == dialect.Postgres {
			q += " FOR UPDATE SKIP LOCKED"
		}
		rows, err := tx.QueryContext(ctx, q, ts(now), ts(staleBefore), limit)
		if err != nil {
			return err
		}
		resend := map[string]bool{}
		var ids []string
		for rows.Next() {
			var id, status string
			if err := rows.Scan(&id, &status); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
			resend[id] = status == string(notification.StatusSending)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		at := ts(now)
		if err := tx.Notification.Update().Where(notification.IDIn(ids...)).SetStatus(notification.StatusSending).
			SetClaimedAt(at).AddAttempts(1).SetUpdatedAt(at).Exec(ctx); err != nil {
			return err
		}
		ns, err := tx.Notification.Query().Where(notification.IDIn(ids...)).Order(ent.Asc(notification.FieldScheduledAt)).All(ctx)
		if err != nil {
			return err
		}
		for _, n := range ns {
			c := remind.Claim{ID: n.ID, OwnerID: n.OwnerID, Kind: n.Kind, Channel: string(n.Channel), Ref: n.SubjectRef,
				Key: n.DedupeKey, WebhookID: deref(n.WebhookID), At: n.ScheduledAt, Attempts: n.Attempts, Resend: resend[n.ID]}
			if n.Body != "" {
				var m remind.Message
				if json.Unmarshal([]byte(n.Body), &m) == nil {
					c.Message = &m
				}
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// SaveMessage keeps a claimed delivery's rendered message, so a resend
// says the same thing.
func (s *Store) SaveMessage(ctx context.Context, id string, m remind.Message) error {
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		subject := m.Subject
		if len([]rune(subject)) > 1000 {
			subject = string([]rune(subject)[:999]) + "…"
		}
		return tx.Notification.UpdateOneID(id).SetSubject(storable(subject)).SetBody(storable(string(mustJSON(m)))).Exec(ctx)
	})
}

// FinishDelivery records how a claimed delivery ended; an in-app one that
// is sent reaches the owner's open tabs.
func (s *Store) FinishDelivery(ctx context.Context, c remind.Claim, o remind.Outcome) error {
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		now := ts(time.Now())
		u := tx.Notification.Update().Where(notification.ID(c.ID), notification.StatusEQ(notification.StatusSending)).
			SetStatus(notification.Status(o.Status)).SetUpdatedAt(now).SetLastError(o.Reason)
		switch o.Status {
		case remind.StatusSent:
			u.SetSentAt(now)
		case remind.StatusPending:
			u.SetScheduledAt(ts(o.RetryAt))
		}
		n, err := u.Save(ctx)
		if err != nil || n == 0 || o.Status != remind.StatusSent || c.Channel != remind.InApp {
			return err
		}
		return s.publish(ctx, tx, events.Event{Owner: c.OwnerID, Type: events.Notification, ID: c.ID})
	})
}

// Notifications lists owner's in-app notifications: unread first, then
// newest first, up to limit; and how many are unread.
func (s *Store) Notifications(ctx context.Context, owner string, limit int) ([]remind.Notification, int, error) {
	inApp := s.db.Ent.Notification.Query().Where(notification.OwnerID(owner), notification.ChannelEQ(notification.ChannelInApp),
		notification.StatusEQ(notification.StatusSent))
	unread, err := inApp.Clone().Where(notification.ReadAtIsNil()).Count(ctx)
	if err != nil {
		return nil, 0, translate(err)
	}
	rows, err := inApp.Clone().Where(notification.ReadAtIsNil()).Order(ent.Desc(notification.FieldSentAt), ent.Desc(notification.FieldID)).Limit(limit).All(ctx)
	if err != nil {
		return nil, 0, translate(err)
	}
	if len(rows) < limit {
		read, err := inApp.Clone().Where(notification.ReadAtNotNil()).Order(ent.Desc(notification.FieldSentAt), ent.Desc(notification.FieldID)).
			Limit(limit - len(rows)).All(ctx)
		if err != nil {
			return nil, 0, translate(err)
		}
		rows = append(rows, read...)
	}
	out := make([]remind.Notification, len(rows))
	for i, r := range rows {
		out[i] = remind.Notification{ID: r.ID, Kind: r.Kind, ReadAt: utc(r.ReadAt)}
		if r.SentAt != nil {
			out[i].SentAt = r.SentAt.UTC()
		}
		_ = json.Unmarshal([]byte(r.Body), &out[i].Message)
	}
	return out, unread, nil
}

// ReadNotifications marks owner's in-app notifications read: the one
// named, or all of them when id is "".
func (s *Store) ReadNotifications(ctx context.Context, owner, id string) error {
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		u := tx.Notification.Update().Where(notification.OwnerID(owner), notification.ChannelEQ(notification.ChannelInApp),
			notification.StatusEQ(notification.StatusSent), notification.ReadAtIsNil())
		if id != "" {
			ok, err := tx.Notification.Query().Where(notification.OwnerID(owner), notification.ID(id),
				notification.ChannelEQ(notification.ChannelInApp), notification.StatusEQ(notification.StatusSent)).Exist(ctx)
			if err != nil {
				return err
			}
			if !ok {
				return apperr.NotFound("notification")
			}
			u.Where(notification.ID(id))
		}
		n, err := u.SetReadAt(ts(time.Now())).Save(ctx)
		if err != nil || n == 0 {
			return err
		}
		return s.publish(ctx, tx, events.Event{Owner: owner, Type: events.Notification, ID: id})
	})
}

// ReminderSettings reads owner's stored settings ("" when never set).
func (s *Store) ReminderSettings(ctx context.Context, owner string) (string, error) {
	u, err := s.db.Ent.User.Query().Where(user.ID(owner)).Select(user.FieldReminderSettings).Only(ctx)
	if err != nil {
		return "", notFound(err, "user")
	}
	return u.ReminderSettings, nil
}

// SaveReminderSettings stores owner's settings and plans their reminders again.
func (s *Store) SaveReminderSettings(ctx context.Context, owner, settings string) error {
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		if err := tx.User.UpdateOneID(owner).SetReminderSettings(settings).Exec(ctx); err != nil {
			return notFound(err, "user")
		}
		return s.replan(ctx, owner)
	})
}

// MeetingAt is owner's meeting starting at t (the earliest id when several
// do; a cancelled one last).
func (s *Store) MeetingAt(ctx context.Context, owner string, t time.Time) (dmeeting.Meeting, error) {
	m, err := s.db.Ent.Meeting.Query().Where(meeting.OwnerID(owner), meeting.StartsAt(ts(t))).
		Order(ent.Asc(meeting.FieldStatus), ent.Asc(meeting.FieldID)).First(ctx)
	if err != nil {
		return dmeeting.Meeting{}, notFound(err, "meeting")
	}
	return s.meeting(ctx, owner, m.ID)
}

// shiftDueDates keeps owner's open items due on the same local dates when
// their time zone changes: a due date is kept as the start of its day in
// the zone it was set in.
func shiftDueDates(ctx context.Context, tx *ent.Client, owner string, from, to *time.Location) error {
	items, err := tx.ActionItem.Query().Where(actionitem.OwnerID(owner), actionitem.StatusEQ(actionitem.StatusOpen), actionitem.DueAtNotNil()).
		Select(actionitem.FieldID, actionitem.FieldDueAt).All(ctx)
	if err != nil {
		return err
	}
	for _, a := range items {
		d := a.DueAt.In(from)
		if d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 {
			continue // a time of day, not a date
		}
		moved := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, to)
		if err := tx.ActionItem.UpdateOneID(a.ID).SetDueAt(ts(moved)).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// CreateWebhook adds a webhook, unless the owner has limit already.
func (s *Store) CreateWebhook(ctx context.Context, owner, url string, events []string, sealedSecret []byte, limit int) (remind.WebhookInfo, error) {
	var w *ent.Webhook
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		n, err := tx.Webhook.Query().Where(webhook.OwnerID(owner)).Count(ctx)
		if err != nil {
			return err
		}
		if n >= limit {
			return apperr.Conflict("you have %d webhooks, the most one account may have; delete one first", n)
		}
		w, err = tx.Webhook.Create().SetOwnerID(owner).SetURL(url).SetEvents(string(mustJSON(events))).SetSecret(sealedSecret).Save(ctx)
		if err != nil {
			return err
		}
		return s.replan(ctx, owner)
	})
	if err != nil {
		return remind.WebhookInfo{}, err
	}
	return toWebhookInfo(w), nil
}

func toWebhookInfo(w *ent.Webhook) remind.WebhookInfo {
	return remind.WebhookInfo{ID: w.ID, URL: w.URL, Events: toHook(w).Events, LastError: w.LastError, CreatedAt: w.CreatedAt.UTC()}
}

// Webhooks lists owner's webhooks, oldest first.
func (s *Store) Webhooks(ctx context.Context, owner string) ([]remind.WebhookInfo, error) {
	ws, err := s.db.Ent.Webhook.Query().Where(webhook.OwnerID(owner)).Order(ent.Asc(webhook.FieldCreatedAt), ent.Asc(webhook.FieldID)).All(ctx)
	if err != nil {
		return nil, translate(err)
	}
	return mapSlice(ws, toWebhookInfo), nil
}

// DeleteWebhook removes a webhook and withdraws what it had pending.
func (s *Store) DeleteWebhook(ctx context.Context, owner, id string) error {
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		n, err := tx.Webhook.Delete().Where(webhook.OwnerID(owner), webhook.ID(id)).Exec(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return apperr.NotFound("webhook")
		}
		_, err = tx.Notification.Update().Where(notification.OwnerID(owner), notification.WebhookID(id),
			notification.StatusEQ(notification.StatusPending)).
			SetStatus(notification.StatusCancelled).SetLastError("the webhook was deleted").Save(ctx)
		return err
	})
}

// WebhookTarget is a webhook's address and sealed secret.
func (s *Store) WebhookTarget(ctx context.Context, owner, id string) (string, []byte, error) {
	w, err := s.db.Ent.Webhook.Query().Where(webhook.OwnerID(owner), webhook.ID(id)).Only(ctx)
	if err != nil {
		return "", nil, notFound(err, "webhook")
	}
	return w.URL, w.Secret, nil
}

// SetWebhookError keeps a webhook's last failure ("" once it works again).
func (s *Store) SetWebhookError(ctx context.Context, id, msg string) error {
	if len([]rune(msg)) > 2000 {
		msg = string([]rune(msg)[:2000])
	}
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		_, err := tx.Webhook.Update().Where(webhook.ID(id), webhook.LastErrorNEQ(msg)).SetLastError(storable(msg)).Save(ctx)
		return err
	})
}

// insertDeliveriesPG inserts planned deliveries on PostgreSQL as columns
// of arrays, unnested: one statement of a few parameters per 20,000 rows,
// where multi-row VALUES took one of ~9 parameters per row, 562 rows a
// statement (the first pass over 10,000 people spent 5-6 s there).
func insertDeliveriesPG(ctx context.Context, tx *ent.Client, now time.Time, rows [][]any, suffix string) error {
	const q = `INSERT INTO notifications (created_at, updated_at, id, owner_id, kind, channel, subject_ref, dedupe_key, scheduled_at, webhook_id)
		SELECT $1, $1, x.id, x.owner, x.kind, x.channel, x.ref, x.key, x.at, NULLIF(x.hook, '')
		FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[])
			AS x(id, owner, kind, channel, ref, key, at, hook)`
	for chunk := range slices.Chunk(rows, 20_000) {
		cols := make([][]string, 6)
		at := make([]time.Time, len(chunk))
		hooks := make([]string, len(chunk))
		for i := range cols {
			cols[i] = make([]string, len(chunk))
		}
		for r, row := range chunk {
			for i := range cols {
				cols[i][r] = row[i].(string)
			}
			at[r] = row[6].(time.Time)
			if h, ok := row[7].(string); ok {
				hooks[r] = h
			}
		}
		if _, err := tx.ExecContext(ctx, q+suffix, now, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], at, hooks); err != nil {
			return err
		}
	}
	return nil
}
