package httpapi

import (
	"bufio"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/debrief-hq/debrief/internal/apperr"
)

// Event streams last under the server's write timeout; the browser's
// EventSource reconnects (after the retry the stream asks for) and the
// client reloads what it shows.
const (
	streamLength = 50 * time.Second
	streamPing   = 20 * time.Second
)

// events streams the signed-in person's events (Server-Sent Events): a
// saved note, changed items, a finished calendar sync. The first is
// "ready", once the stream listens.
func (s *server) events(c *fiber.Ctx) error {
	if s.opts.Events == nil {
		return &apperr.Error{Kind: apperr.KindUnavailable, Message: "events are not served by this process"}
	}
	sub := s.opts.Events.Subscribe(principal(c).User.ID)
	c.Set(fiber.HeaderContentType, "text/event-stream; charset=utf-8")
	c.Set("X-Accel-Buffering", "no") // a proxy in front must not hold them back
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer sub.Close()
		fmt.Fprint(w, "retry: 1000\nevent: ready\ndata: {}\n\n")
		if w.Flush() != nil {
			return
		}
		ping := time.NewTicker(streamPing)
		defer ping.Stop()
		end := time.NewTimer(streamLength)
		defer end.Stop()
		for {
			select {
			case e, ok := <-sub.C:
				if !ok {
					return
				}
				fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Type, e.Data())
			case <-ping.C:
				fmt.Fprint(w, ": ping\n\n")
			case <-end.C:
				return
			}
			if w.Flush() != nil {
				return
			}
		}
	})
	return nil
}
