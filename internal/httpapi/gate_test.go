package httpapi

import (
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// TestReadGate checks that the read gate bounds concurrent GETs and leaves
// writes alone.
func TestReadGate(t *testing.T) {
	app := fiber.New()
	app.Use(readGate(2))
	var running, peakGet, peakPost atomic.Int32
	handler := func(peak *atomic.Int32) fiber.Handler {
		return func(c *fiber.Ctx) error {
			n := running.Add(1)
			defer running.Add(-1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(20 * time.Millisecond)
			return c.SendStatus(200)
		}
	}
	app.Get("/r", handler(&peakGet))
	app.Post("/w", handler(&peakPost))

	fire := func(method, path string, n int) {
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, err := app.Test(httptest.NewRequest(method, path, nil), -1)
				if err != nil || resp.StatusCode != 200 {
					t.Errorf("%s %s: %v %v", method, path, err, resp)
				}
			}()
		}
		wg.Wait()
	}
	fire("GET", "/r", 12)
	if p := peakGet.Load(); p != 2 {
		t.Errorf("at most %d GETs ran at once, want exactly the gate's 2", p)
	}
	fire("POST", "/w", 12)
	if p := peakPost.Load(); p <= 2 {
		t.Errorf("writes were gated: at most %d ran at once", p)
	}
}
