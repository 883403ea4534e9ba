// Package idempotency owns Idempotency-Key semantics: a create retried with
// the same key answers what the first one created instead of creating it
// again. The key is claimed inside the write transaction that creates the
// resource, so a key exists exactly when its resource committed: a crash
// between the commit and the recorded response leaves a claim that names
// the resource, and a retry answers from it.
package idempotency

import (
	"context"
	"errors"
	"sync/atomic"
	"time"
)

// ErrTaken is returned by a write whose key another request claimed (and
// committed) first: the write is rolled back and the caller replays the
// other request's answer.
var ErrTaken = errors.New("idempotency key already claimed")

// Stored is what a claimed key holds.
type Stored struct {
	RequestHash string
	// Resource names what the request created ("meeting:<id>"), recorded
	// in the creating transaction; "" for a claim of an older version.
	Resource string
	// Completed: the response below was recorded after the commit.
	Completed   bool
	Status      int
	ContentType string
	Body        []byte
	ClaimedAt   time.Time
}

// Claim is a request's key, carried in its context to the write that
// creates the resource.
type Claim struct {
	Owner, Key, RequestHash string
	resource                atomic.Pointer[string]
}

// Claimed records that the write claiming the key committed, creating
// resource.
func (c *Claim) Claimed(resource string) { c.resource.Store(&resource) }

// Resource is what the committed write created, or "" when none committed
// under this claim.
func (c *Claim) Resource() string {
	if r := c.resource.Load(); r != nil {
		return *r
	}
	return ""
}

type claimKey struct{}

// With returns ctx carrying c.
func With(ctx context.Context, c *Claim) context.Context {
	return context.WithValue(ctx, claimKey{}, c)
}

// From is the claim ctx carries, or nil.
func From(ctx context.Context) *Claim {
	c, _ := ctx.Value(claimKey{}).(*Claim)
	return c
}

// Resource names a created resource of a kind.
func Resource(kind, id string) string { return kind + ":" + id }
