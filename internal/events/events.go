// Package events carries what changed to the people whose data it is, as
// it happens: a saved note, a ticked item, a finished sync. Writes publish
// after they commit; the server streams each owner's events to their open
// tabs (Server-Sent Events). With several instances on one PostgreSQL the
// store sends events through the database (NOTIFY) and every instance's
// hub hears them, so a tab on one instance sees a save made on another.
package events

import (
	"encoding/json"
	"sync"
)

// Event types.
const (
	NoteSaved    = "note.saved"    // Subject, ID, Version
	ItemsChanged = "items.changed" // MeetingID (or none: loose items)
	SyncFinished = "sync.finished" // ID: the connection
	Notification = "notification"  // ID: the notification
)

// Event is one change, for one owner.
type Event struct {
	Owner     string `json:"owner,omitempty"`
	Type      string `json:"type"`
	Subject   string `json:"subject,omitempty"` // meeting or person, for a note
	ID        string `json:"id,omitempty"`
	MeetingID string `json:"meeting_id,omitempty"`
	Version   int    `json:"version,omitempty"`
}

// Data is the event as a client receives it (without the owner).
func (e Event) Data() []byte {
	e.Owner = ""
	b, _ := json.Marshal(e)
	return b
}

// Publisher takes events.
type Publisher interface{ Publish(Event) }

// Hub fans events out to the subscribers of their owner in this process.
type Hub struct {
	mu     sync.Mutex
	subs   map[string]map[*Subscription]struct{}
	closed bool
}

// NewHub makes a hub.
func NewHub() *Hub { return &Hub{subs: map[string]map[*Subscription]struct{}{}} }

// Subscription is one listener's events; C is closed when it ends.
type Subscription struct {
	C     chan Event
	owner string
	hub   *Hub
	once  sync.Once
}

// buffer is how many events a slow listener may fall behind by; past
// that it is dropped (its tab reconnects and reloads).
const buffer = 64

// Subscribe listens to owner's events.
func (h *Hub) Subscribe(owner string) *Subscription {
	s := &Subscription{C: make(chan Event, buffer), owner: owner, hub: h}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(s.C)
		return s
	}
	if h.subs[owner] == nil {
		h.subs[owner] = map[*Subscription]struct{}{}
	}
	h.subs[owner][s] = struct{}{}
	return s
}

// Close ends the subscription.
func (s *Subscription) Close() {
	s.once.Do(func() {
		h := s.hub
		h.mu.Lock()
		defer h.mu.Unlock()
		if set := h.subs[s.owner]; set != nil {
			if _, ok := set[s]; ok {
				delete(set, s)
				close(s.C)
			}
			if len(set) == 0 {
				delete(h.subs, s.owner)
			}
		}
	})
}

// Publish hands e to its owner's subscribers; one that cannot keep up is
// dropped rather than waited for.
func (h *Hub) Publish(e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs[e.Owner] {
		select {
		case s.C <- e:
		default:
			delete(h.subs[e.Owner], s)
			close(s.C)
		}
	}
}

// Close ends every subscription (the server is stopping).
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for owner, set := range h.subs {
		for s := range set {
			close(s.C)
		}
		delete(h.subs, owner)
	}
}
