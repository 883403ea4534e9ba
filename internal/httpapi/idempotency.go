package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/idempotency"
)

// staleClaim is how old a claim from an older version (no resource, no
// response) must be before it is taken for a request that never finished.
const staleClaim = 2 * time.Minute

// idempotency makes a create retried with the same Idempotency-Key answer
// what the first request created, so a flaky network cannot create
// duplicates. The key is claimed in the create's own transaction (the
// store's writes find the claim in the context), so it exists exactly when
// the resource does; the response is recorded after, and when that record
// is lost (a crash between the two) a retry is answered from the resource.
func (s *server) idempotency(c *fiber.Ctx) error {
	key := c.Get("Idempotency-Key")
	if key == "" || s.opts.Idempotency == nil {
		return c.Next()
	}
	if len(key) > 255 || !printableASCII(key) {
		var f apperr.Fields
		f.Add("Idempotency-Key", "must be 1 to 255 printable ASCII characters")
		return f.Err()
	}
	owner := principal(c).User.ID
	h := sha256.New()
	h.Write([]byte(c.Method() + " " + c.Path() + "\n"))
	h.Write(c.Body())
	reqHash := hex.EncodeToString(h.Sum(nil))
	ctx := c.UserContext()
	store := s.opts.Idempotency
	prev, err := store.Idempotent(ctx, owner, key)
	if err != nil {
		return err
	}
	if prev != nil {
		if prev.Resource == "" && !prev.Completed && time.Since(prev.ClaimedAt) > staleClaim {
			if err := store.ForgetIdempotent(ctx, owner, key); err != nil {
				return err
			}
			prev = nil
		} else {
			return s.replay(c, owner, reqHash, prev)
		}
	}
	claim := &idempotency.Claim{Owner: owner, Key: key, RequestHash: reqHash}
	c.SetUserContext(idempotency.With(ctx, claim))
	err = c.Next()
	c.SetUserContext(ctx)
	if errors.Is(err, idempotency.ErrTaken) {
		// A request with the same key committed first: answer as it did.
		prev, perr := store.Idempotent(ctx, owner, key)
		if perr != nil || prev == nil {
			return err
		}
		c.Response().Reset()
		return s.replay(c, owner, reqHash, prev)
	}
	resource := claim.Resource()
	if err != nil {
		if resource == "" {
			return err
		}
		// The create committed and then its answer failed (reading it
		// back): what committed is the answer.
		s.log.Warn("a create committed but its response failed; answering from what it created", "resource", resource, "err", err)
		c.Response().Reset()
		return s.answerCreated(c, owner, resource)
	}
	res := c.Response()
	if res.StatusCode() >= 300 && resource == "" {
		return nil // nothing created: a retry runs again
	}
	// Best effort: without the record a retry is answered from the
	// resource the claim names.
	if err := store.CompleteIdempotent(context.WithoutCancel(ctx), owner, key, reqHash, res.StatusCode(),
		string(res.Header.ContentType()), append([]byte(nil), res.Body()...)); err != nil {
		s.log.Warn("could not record an idempotent response", "err", err)
	}
	return nil
}

// replay answers a request whose key was used before.
func (s *server) replay(c *fiber.Ctx, owner, reqHash string, prev *idempotency.Stored) error {
	switch {
	case prev.RequestHash != reqHash:
		return apperr.Invalid("this Idempotency-Key was already used for a different request; use a new key for a new request")
	case prev.Completed:
		c.Set("Idempotent-Replayed", "true")
		c.Set(fiber.HeaderContentType, prev.ContentType)
		return c.Status(prev.Status).Send(prev.Body)
	case prev.Resource != "":
		return s.answerCreated(c, owner, prev.Resource)
	}
	return apperr.Conflict("a request with this Idempotency-Key is still being processed; retry shortly")
}

// answerCreated answers a create from the resource it created, as it
// stands now.
func (s *server) answerCreated(c *fiber.Ctx, owner, resource string) error {
	kind, id, _ := strings.Cut(resource, ":")
	ctx := c.UserContext()
	var out any
	var err error
	switch kind {
	case "meeting":
		d, gerr := s.svc.Meetings.Get(ctx, owner, id)
		out, err = toAPIMeeting(d.Meeting), gerr
		c.Location("/api/v1/meetings/" + id)
	case "action_item":
		a, gerr := s.svc.ActionItems.Get(ctx, owner, id)
		out, err = toAPIActionItem(a), gerr
	case "decision":
		d, gerr := s.svc.Decisions.Get(ctx, owner, id)
		out, err = toAPIDecision(d), gerr
	case "connection":
		conn, gerr := s.svc.Calendar.Get(ctx, owner, id)
		out, err = toAPIConnection(conn), gerr
	default:
		return apperr.Internal(errors.New("idempotency key names an unknown resource " + resource))
	}
	if apperr.Is(err, apperr.KindNotFound) {
		return apperr.Conflict("the %s this Idempotency-Key created has since been deleted", strings.ReplaceAll(kind, "_", " "))
	}
	if err != nil {
		return err
	}
	c.Set("Idempotent-Replayed", "true")
	return c.Status(fiber.StatusCreated).JSON(out)
}
