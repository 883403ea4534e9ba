package store

import (
	"context"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/debrief-hq/debrief/ent"
	"github.com/debrief-hq/debrief/ent/apitoken"
	"github.com/debrief-hq/debrief/ent/idempotencykey"
	"github.com/debrief-hq/debrief/ent/schema"
	"github.com/debrief-hq/debrief/ent/session"
	"github.com/debrief-hq/debrief/ent/user"
	"github.com/debrief-hq/debrief/internal/account"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/cursor"
	"github.com/debrief-hq/debrief/internal/idempotency"
)

func toUser(u *ent.User) account.User {
	return account.User{ID: u.ID, Email: u.Email, Name: u.Name, TimeZone: u.TimeZone, CreatedAt: u.CreatedAt.UTC()}
}

func (s *Store) CreateUser(ctx context.Context, email, name, tz, hash string) (account.User, error) {
	var u *ent.User
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) (err error) {
		u, err = tx.User.Create().SetEmail(email).SetName(name).SetTimeZone(tz).SetPasswordHash(hash).Save(ctx)
		return err
	})
	if err != nil {
		if ent.IsConstraintError(err) {
			return account.User{}, apperr.Conflict("an account with email %s already exists", email)
		}
		return account.User{}, translate(err)
	}
	return toUser(u), nil
}

func (s *Store) UserByEmail(ctx context.Context, email string) (account.User, string, error) {
	u, err := s.db.Ent.User.Query().Where(user.Email(email)).Only(ctx)
	if err != nil {
		return account.User{}, "", notFound(err, "user")
	}
	return toUser(u), u.PasswordHash, nil
}

func (s *Store) UpdateUser(ctx context.Context, id string, name, tz *string) (account.User, error) {
	var u *ent.User
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) (err error) {
		before, err := tx.User.Get(ctx, id)
		if err != nil {
			return err
		}
		u, err = tx.User.UpdateOneID(id).SetNillableName(name).SetNillableTimeZone(tz).Save(ctx)
		if err != nil || u.TimeZone == before.TimeZone {
			return err
		}
		// A new zone: due dates stay on their dates, reminders move with them.
		from, err1 := time.LoadLocation(before.TimeZone)
		to, err2 := time.LoadLocation(u.TimeZone)
		if err1 == nil && err2 == nil {
			if err := shiftDueDates(ctx, tx, id, from, to); err != nil {
				return err
			}
		}
		return s.replan(ctx, id)
	})
	if err != nil {
		return account.User{}, notFound(err, "user")
	}
	return toUser(u), nil
}

func (s *Store) CreateSession(ctx context.Context, userID, hash string, expires time.Time, ua string) error {
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		return tx.Session.Create().SetOwnerID(userID).SetTokenHash(hash).SetExpiresAt(ts(expires)).SetUserAgent(ua).Exec(ctx)
	})
}

// SessionUser finds the user of a live session in one query: it runs on
// every cookie-authenticated request.
func (s *Store) SessionUser(ctx context.Context, hash string, now time.Time) (account.User, error) {
	u, err := s.db.Ent.User.Query().
		Where(user.HasSessionsWith(session.TokenHash(hash), session.ExpiresAtGT(ts(now)))).Only(ctx)
	if err != nil {
		return account.User{}, notFound(err, "session")
	}
	return toUser(u), nil
}

func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		_, err := tx.Session.Delete().Where(session.TokenHash(hash)).Exec(ctx)
		return err
	})
}

func toToken(t *ent.APIToken) account.Token {
	return account.Token{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt.UTC(), LastUsedAt: utc(t.LastUsedAt)}
}

func (s *Store) CreateAPIToken(ctx context.Context, userID, name, hash string) (account.Token, error) {
	var t *ent.APIToken
	err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) (err error) {
		t, err = tx.APIToken.Create().SetOwnerID(userID).SetName(name).SetTokenHash(hash).Save(ctx)
		return err
	})
	if err != nil {
		return account.Token{}, translate(err)
	}
	return toToken(t), nil
}

// tokenTouchInterval bounds how often a token's last_used_at is written, so
// a script hammering the API does not turn every read into a write.
const tokenTouchInterval = time.Minute

// APITokenUser finds a token's user in one query (it runs on every
// bearer-authenticated request) and records the token's use at most once a
// minute per process.
func (s *Store) APITokenUser(ctx context.Context, hash string) (account.User, error) {
	u, err := s.db.Ent.User.Query().Where(user.HasAPITokensWith(apitoken.TokenHash(hash))).Only(ctx)
	if err != nil {
		return account.User{}, notFound(err, "token")
	}
	now := time.Now()
	if last, ok := s.tokenTouched.Load(hash); !ok || now.Sub(last.(time.Time)) > tokenTouchInterval {
		s.tokenTouched.Store(hash, now)
		err := s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
			return tx.APIToken.Update().Where(apitoken.TokenHash(hash)).SetLastUsedAt(ts(now)).Exec(ctx)
		})
		if err != nil {
			s.log.Warn("record token use", "err", err)
		}
	}
	return toUser(u), nil
}

func (s *Store) ListAPITokens(ctx context.Context, userID string, page cursor.Page) (cursor.Result[account.Token], error) {
	q := s.db.Ent.APIToken.Query().Where(apitoken.OwnerID(userID))
	if page.After != nil {
		q = q.Where(apitoken.IDGT(page.After.ID))
	}
	rows, err := q.Order(ent.Asc(apitoken.FieldID)).Limit(page.Limit + 1).All(ctx)
	if err != nil {
		return cursor.Result[account.Token]{}, translate(err)
	}
	return cursor.Cut(mapSlice(rows, toToken), page.Limit, func(t account.Token) cursor.Key { return cursor.Key{ID: t.ID} }), nil
}

func (s *Store) DeleteAPIToken(ctx context.Context, userID, id string) error {
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		n, err := tx.APIToken.Delete().Where(apitoken.OwnerID(userID), apitoken.ID(id)).Exec(ctx)
		if err == nil && n == 0 {
			return apperr.NotFound("token")
		}
		return err
	})
}

// claimIdempotency claims the request's Idempotency-Key (when it has one)
// in the write that creates resource kind/id: the key and what it created
// commit together. A key another request committed first is
// idempotency.ErrTaken, and this write rolls back.
func claimIdempotency(ctx context.Context, tx *ent.Client, kind, id string) error {
	c := idempotency.From(ctx)
	if c == nil {
		return nil
	}
	resource := idempotency.Resource(kind, id)
	rowID := schema.NewID()
	err := tx.IdempotencyKey.Create().SetID(rowID).SetOwnerID(c.Owner).SetKey(c.Key).SetRequestHash(c.RequestHash).
		SetResource(resource).OnConflict(sql.ConflictColumns(idempotencykey.FieldOwnerID, idempotencykey.FieldKey), sql.DoNothing()).
		Exec(ctx)
	if err != nil && !isNoRows(err) {
		return err
	}
	got, err := tx.IdempotencyKey.Query().Where(idempotencykey.OwnerID(c.Owner), idempotencykey.Key(c.Key)).
		Select(idempotencykey.FieldID).String(ctx)
	if err != nil {
		return err
	}
	if got != rowID {
		return &apperr.Error{Kind: apperr.KindConflict, Message: "this Idempotency-Key was used by another request", Err: idempotency.ErrTaken}
	}
	afterCommit(ctx, func() { c.Claimed(resource) })
	return nil
}

// Idempotent is what an owner's key holds, or nil when it is unused.
func (s *Store) Idempotent(ctx context.Context, owner, key string) (*idempotency.Stored, error) {
	row, err := s.db.Ent.IdempotencyKey.Query().Where(idempotencykey.OwnerID(owner), idempotencykey.Key(key)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, translate(err)
	}
	return &idempotency.Stored{RequestHash: row.RequestHash, Resource: row.Resource, Completed: row.Completed,
		Status: row.StatusCode, ContentType: row.ContentType, Body: row.ResponseBody, ClaimedAt: row.CreatedAt}, nil
}

// CompleteIdempotent records the response to a key its request claimed,
// or, for a request that created nothing under it, claims the key with
// its response.
func (s *Store) CompleteIdempotent(ctx context.Context, owner, key, requestHash string, status int, contentType string, body []byte) error {
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		n, err := tx.IdempotencyKey.Update().Where(idempotencykey.OwnerID(owner), idempotencykey.Key(key)).
			SetCompleted(true).SetStatusCode(status).SetContentType(contentType).SetResponseBody(body).Save(ctx)
		if err != nil || n > 0 {
			return err
		}
		return tx.IdempotencyKey.Create().SetOwnerID(owner).SetKey(key).SetRequestHash(requestHash).SetCompleted(true).
			SetStatusCode(status).SetContentType(contentType).SetResponseBody(body).
			OnConflict(sql.ConflictColumns(idempotencykey.FieldOwnerID, idempotencykey.FieldKey), sql.DoNothing()).Exec(ctx)
	})
}

// ForgetIdempotent drops a claim that names no resource and holds no
// response (left by an older version whose request never finished).
func (s *Store) ForgetIdempotent(ctx context.Context, owner, key string) error {
	return s.inTx(ctx, func(ctx context.Context, tx *ent.Client) error {
		_, err := tx.IdempotencyKey.Delete().Where(idempotencykey.OwnerID(owner), idempotencykey.Key(key),
			idempotencykey.Completed(false), idempotencykey.Or(idempotencykey.ResourceIsNil(), idempotencykey.Resource(""))).Exec(ctx)
		if isNoRows(err) {
			return nil
		}
		return err
	})
}

func mapSlice[A, B any](in []A, f func(A) B) []B {
	out := make([]B, len(in))
	for i, a := range in {
		out[i] = f(a)
	}
	return out
}
