package account

import (
	"sync"
	"time"
)

// principalCache remembers who a session or token hash belongs to for a
// short time, so a busy client costs one query per TTL rather than one per
// request.
type principalCache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[string]cached
}

type cached struct {
	user    User
	expires time.Time
}

// maxCached bounds memory: past it the cache starts over.
const maxCached = 10000

func newPrincipalCache(ttl time.Duration) *principalCache {
	if ttl == 0 {
		ttl = DefaultAuthCacheTTL
	}
	return &principalCache{ttl: ttl, m: map[string]cached{}}
}

func (c *principalCache) get(key string) (User, bool) {
	if c.ttl < 0 {
		return User{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || time.Now().After(e.expires) {
		return User{}, false
	}
	return e.user, true
}

func (c *principalCache) put(key string, u User) {
	if c.ttl < 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxCached {
		c.m = map[string]cached{}
	}
	c.m[key] = cached{user: u, expires: time.Now().Add(c.ttl)}
}

func (c *principalCache) forget(match func(key string, u User) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.m {
		if match(k, e.user) {
			delete(c.m, k)
		}
	}
}
