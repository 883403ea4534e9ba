package store

import (
	"context"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/debrief-hq/debrief/ent"
	entcal "github.com/debrief-hq/debrief/ent/calendar"
	"github.com/debrief-hq/debrief/ent/connection"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/calendar"
	"github.com/debrief-hq/debrief/internal/cursor"
	"github.com/debrief-hq/debrief/internal/events"
)

func toConnection(c *ent.Connection) calendar.Connection {
	out := calendar.Connection{ID: c.ID, Provider: string(c.Provider), Name: c.Name, FeedURL: c.FeedURL,
		Status: string(c.Status), LastError: c.LastError, LastSyncedAt: utc(c.LastSyncedAt), NextSyncAt: utc(c.NextSyncAt),
		CreatedAt: c.CreatedAt.UTC(), Calendars: []calendar.Calendar{}}
	for _, cl := range c.Edges.Calendars {
		out.Calendars = append(out.Calendars, calendar.Calendar{ID: cl.ID, ProviderID: cl.ProviderID, Name: cl.Name,
			TimeZone: cl.TimeZone, Selected: cl.Selected})
	}
	return out
}

func calendarsByName(q *ent.CalendarQuery) {
	q.Order(ent.Asc(entcal.FieldName), ent.Asc(entcal.FieldID))
}

// CreateConnection adds a connection with its calendars; its first sync is
// due at once.
func (s *Store) CreateConnection(ctx context.Context, owner string, c calendar.Connection) (calendar.Connection, error) {
	var id string
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		now := time.Now().UTC()
		create := tx.Connection.Create().SetOwnerID(owner).SetProvider(connection.Provider(c.Provider)).SetName(c.Name).
			SetFeedURL(c.FeedURL).SetNextSyncAt(now)
		if c.OAuthToken != nil {
			create.SetOauthToken(c.OAuthToken)
		}
		row, err := create.Save(ctx)
		if err != nil {
			return err
		}
		id = row.ID
		if err := claimIdempotency(ctx, tx, "connection", row.ID); err != nil {
			return err
		}
		for _, cl := range c.Calendars {
			if err := tx.Calendar.Create().SetOwnerID(owner).SetConnectionID(row.ID).SetProviderID(cl.ProviderID).
				SetName(storable(cl.Name)).SetTimeZone(cl.TimeZone).SetSelected(cl.Selected).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return calendar.Connection{}, err
	}
	return s.GetConnection(ctx, owner, id)
}

func (s *Store) ListConnections(ctx context.Context, owner string, page cursor.Page) (cursor.Result[calendar.Connection], error) {
	q := s.db.Ent.Connection.Query().Where(connection.OwnerID(owner))
	if page.After != nil {
		q = q.Where(connection.IDGT(page.After.ID))
	}
	rows, err := q.WithCalendars(calendarsByName).Order(ent.Asc(connection.FieldID)).Limit(page.Limit + 1).All(ctx)
	if err != nil {
		return cursor.Result[calendar.Connection]{}, translate(err)
	}
	return cursor.Cut(mapSlice(rows, toConnection), page.Limit, idKey(func(c calendar.Connection) string { return c.ID })), nil
}

func (s *Store) GetConnection(ctx context.Context, owner, id string) (calendar.Connection, error) {
	row, err := s.db.Ent.Connection.Query().Where(connection.OwnerID(owner), connection.ID(id)).WithCalendars(calendarsByName).Only(ctx)
	if err != nil {
		return calendar.Connection{}, notFound(err, "connection")
	}
	return toConnection(row), nil
}

// UpdateConnection renames a connection and chooses its calendars; a
// calendar id that is not the connection's is a field error.
func (s *Store) UpdateConnection(ctx context.Context, owner, id string, name *string, selected map[string]bool) (calendar.Connection, error) {
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		n, err := tx.Connection.Update().Where(connection.OwnerID(owner), connection.ID(id)).SetNillableName(name).
			SetNextSyncAt(time.Now().UTC()).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return apperr.NotFound("connection")
		}
		for calID, on := range selected {
			n, err := tx.Calendar.Update().Where(entcal.OwnerID(owner), entcal.ConnectionID(id), entcal.ID(calID)).SetSelected(on).Save(ctx)
			if err != nil {
				return err
			}
			if n == 0 {
				var f apperr.Fields
				f.Add("calendars", "%q is not a calendar of this connection", calendar.Clip(calID, 40))
				return f.Err()
			}
		}
		return nil
	})
	if err != nil {
		return calendar.Connection{}, err
	}
	return s.GetConnection(ctx, owner, id)
}

// DeleteConnection removes a connection and its calendars; its meetings
// stay (their calendar is cleared), notes and all.
func (s *Store) DeleteConnection(ctx context.Context, owner, id string) error {
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		n, err := tx.Connection.Delete().Where(connection.OwnerID(owner), connection.ID(id)).Exec(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return apperr.NotFound("connection")
		}
		return nil
	})
}

func (s *Store) SyncState(ctx context.Context, id string) (calendar.SyncState, error) {
	row, err := s.db.Ent.Connection.Query().Where(connection.ID(id)).WithCalendars(calendarsByName).WithOwner().Only(ctx)
	if err != nil {
		return calendar.SyncState{}, notFound(err, "connection")
	}
	st := calendar.SyncState{Connection: toConnection(row), ETag: row.Etag, LastModified: row.LastModified,
		OAuthToken: row.OauthToken, SyncTokens: map[string]string{}}
	if u := row.Edges.Owner; u != nil {
		st.Owner = calendar.User{ID: u.ID, Email: u.Email, TimeZone: u.TimeZone}
	}
	for _, cl := range row.Edges.Calendars {
		st.SyncTokens[cl.ID] = cl.SyncToken
	}
	return st, nil
}

func (s *Store) RecordSyncFailure(ctx context.Context, id, status, lastError string, next time.Time) error {
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		c, err := tx.Connection.UpdateOneID(id).SetStatus(connection.Status(status)).SetLastError(clipBytes(storable(lastError), 2000)).
			SetNextSyncAt(ts(next)).Save(ctx)
		if err != nil {
			return err
		}
		return s.publish(ctx, tx, events.Event{Owner: c.OwnerID, Type: events.SyncFinished, ID: id})
	})
}

func (s *Store) ConnectGoogle(ctx context.Context, owner, name string, sealedToken []byte, cals []calendar.Calendar) (calendar.Connection, error) {
	var id string
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		now := time.Now().UTC()
		row, err := tx.Connection.Query().Where(connection.OwnerID(owner), connection.ProviderEQ(connection.ProviderGoogle),
			connection.Name(name)).First(ctx)
		switch {
		case ent.IsNotFound(err):
			row, err = tx.Connection.Create().SetOwnerID(owner).SetProvider(connection.ProviderGoogle).SetName(storable(name)).
				SetOauthToken(sealedToken).SetNextSyncAt(now).Save(ctx)
		case err == nil:
			row, err = row.Update().SetOauthToken(sealedToken).SetStatus(connection.StatusActive).SetLastError("").
				SetNextSyncAt(now).Save(ctx)
		}
		if err != nil {
			return err
		}
		id = row.ID
		return upsertCalendars(ctx, tx, owner, row.ID, cals)
	})
	if err != nil {
		return calendar.Connection{}, err
	}
	return s.GetConnection(ctx, owner, id)
}

// upsertCalendars adds a connection's new calendars and renames the known
// ones; the person's choice of calendars is kept.
func upsertCalendars(ctx context.Context, tx *ent.Client, owner, connID string, cals []calendar.Calendar) error {
	for _, cl := range cals {
		err := tx.Calendar.Create().SetOwnerID(owner).SetConnectionID(connID).SetProviderID(cl.ProviderID).
			SetName(storable(cl.Name)).SetTimeZone(cl.TimeZone).SetSelected(cl.Selected).
			OnConflict(entsql.ConflictColumns(entcal.FieldConnectionID, entcal.FieldProviderID)).
			Update(func(u *ent.CalendarUpsert) { u.UpdateName().UpdateTimeZone() }).Exec(ctx)
		if err != nil {
			return err
		}
	}
	return nil
}

// RefreshCalendars records the calendars a provider lists now and returns
// the connection's calendars with their selection.
func (s *Store) RefreshCalendars(ctx context.Context, owner, connID string, cals []calendar.Calendar) ([]calendar.Calendar, error) {
	if err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		return upsertCalendars(ctx, tx, owner, connID, cals)
	}); err != nil {
		return nil, err
	}
	c, err := s.GetConnection(ctx, owner, connID)
	return c.Calendars, err
}

func (s *Store) SaveToken(ctx context.Context, id string, sealed []byte) error {
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		return tx.Connection.UpdateOneID(id).SetOauthToken(sealed).Exec(ctx)
	})
}

func (s *Store) DueConnections(ctx context.Context, now time.Time, limit int) ([]string, error) {
	ids, err := s.db.Ent.Connection.Query().Where(connection.NextSyncAtLTE(ts(now)),
		connection.StatusIn(connection.StatusActive, connection.StatusError)).
		Order(ent.Asc(connection.FieldNextSyncAt)).Limit(limit).IDs(ctx)
	return ids, translate(err)
}

// saveOutcome records a successful sync in the transaction of its changes.
func (s *Store) saveOutcome(ctx context.Context, tx *ent.Client, owner string, o *calendar.SyncOutcome) error {
	if err := s.publish(ctx, tx, events.Event{Owner: owner, Type: events.SyncFinished, ID: o.ConnectionID}); err != nil {
		return err
	}
	u := tx.Connection.Update().Where(connection.OwnerID(owner), connection.ID(o.ConnectionID)).
		SetEtag(o.ETag).SetLastModified(o.LastModified).SetLastSyncedAt(ts(o.SyncedAt)).SetNextSyncAt(ts(o.NextSyncAt)).
		SetStatus(connection.StatusActive).SetLastError("")
	if o.OAuthToken != nil {
		u.SetOauthToken(o.OAuthToken)
	}
	err := u.Exec(ctx)
	if err != nil || o.CalendarID == "" {
		return err
	}
	return tx.Calendar.Update().Where(entcal.OwnerID(owner), entcal.ID(o.CalendarID)).SetSyncToken(o.SyncToken).Exec(ctx)
}

func (s *Store) WatchOf(ctx context.Context, calendarID string) (calendar.Watch, error) {
	c, err := s.db.Ent.Calendar.Get(ctx, calendarID)
	if err != nil {
		return calendar.Watch{}, translate(err)
	}
	return toWatch(c), nil
}

func (s *Store) WatchByChannel(ctx context.Context, channelID string) (calendar.Watch, error) {
	c, err := s.db.Ent.Calendar.Query().Where(entcal.WatchChannelID(channelID)).Only(ctx)
	if err != nil {
		return calendar.Watch{}, notFound(err, "channel")
	}
	return toWatch(c), nil
}

func toWatch(c *ent.Calendar) calendar.Watch {
	w := calendar.Watch{CalendarID: c.ID, ConnectionID: c.ConnectionID, ChannelID: c.WatchChannelID,
		ResourceID: c.WatchResourceID, Token: c.WatchToken}
	if c.WatchExpiresAt != nil {
		w.Expires = c.WatchExpiresAt.UTC()
	}
	return w
}

func (s *Store) SaveWatch(ctx context.Context, w calendar.Watch) error {
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		return tx.Calendar.UpdateOneID(w.CalendarID).SetWatchChannelID(w.ChannelID).SetWatchResourceID(w.ResourceID).
			SetWatchToken(w.Token).SetWatchExpiresAt(ts(w.Expires)).Exec(ctx)
	})
}
