package httpapi_test

import (
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/app"
	"github.com/debrief-hq/debrief/internal/testutil"
)

// peakRSS is this process's high-water resident set (VmHWM), in MB.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// heapPeak samples the heap while fn runs and returns how far it rose
// above where it started, in MB: the memory fn itself needs (the fake
// servers' data, already in the heap, is not counted).
func heapPeak(fn func()) float64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	peak := base
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak {
				peak = v
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	fn()
	close(done)
	<-stopped
	return float64(peak-base) / (1 << 20)
}

// googleEvents makes n single events of an hour, 5 attendees each (from
// 2,000 people), spread over the sync window around gcalNow.
func googleEvents(n int) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		start := gcalNow.Add(-60*24*time.Hour + time.Duration(i)*47*time.Minute).Truncate(time.Minute)
		att := make([]map[string]any, 5)
		for k := range att {
			p := (i*5 + k*397) % 2000
			att[k] = map[string]any{"email": fmt.Sprintf("p%d@org%d.example", p, p%150), "displayName": fmt.Sprintf("Person %d", p), "responseStatus": "accepted"}
		}
		out[i] = map[string]any{"kind": "calendar#event", "id": fmt.Sprintf("ev%05d", i), "iCalUID": fmt.Sprintf("ev%05d@google.com", i),
			"status": "confirmed", "summary": fmt.Sprintf("Meeting %d", i), "description": "Agenda: review the numbers and decide.",
			"start":     map[string]any{"dateTime": start.Format(time.RFC3339), "timeZone": "Europe/Berlin"},
			"end":       map[string]any{"dateTime": start.Add(time.Hour).Format(time.RFC3339), "timeZone": "Europe/Berlin"},
			"organizer": map[string]any{"email": fmt.Sprintf("p%d@org%d.example", i%2000, i%150)}, "attendees": att}
	}
	return out
}

// BenchmarkGoogleSync: the first sync of a calendar of 10,000 events with 5
// attendees each from the fake Google (through the real calendar/v3 client,
// pages of 2,500), then a sync that finds nothing changed.
func BenchmarkGoogleSync(b *testing.B) {
	events := googleEvents(10_000)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		fake := testutil.NewFakeGoogle(b)
		fake.PageSize = 2500
		fake.Put(primary, events...)
		a := googleApp(b, testutil.SQLite, fake)
		c := testutil.SignUp(b, a.HTTP)
		id := connectGoogle(b, c, fake)
		b.StartTimer()
		start := time.Now()
		var r importJSON
		heap := heapPeak(func() { r = syncNow(b, c, id, 200) })
		initial := time.Since(start)
		b.ReportMetric(heap, "MB-heap-rise")
		if r.Created != 10_000 {
			b.Fatalf("initial sync: %+v", r)
		}
		start = time.Now()
		const rounds = 20
		for k := 0; k < rounds; k++ {
			if r := syncNow(b, c, id, 200); r.Created+r.Updated+r.Cancelled != 0 {
				b.Fatalf("no-change sync: %+v", r)
			}
		}
		incremental := time.Since(start) / rounds
		b.ReportMetric(float64(initial.Milliseconds()), "ms-initial-10k")
		b.ReportMetric(float64(incremental.Microseconds())/1000, "ms-no-change")
		b.ReportMetric(peakRSS(), "MB-peak-RSS")
	}
}

// BenchmarkICSFeed: a feed of 2,000 weekly series (about 5 MB), fetched,
// expanded over the window and upserted (in transactions of about a
// thousand meetings; the feed is past the default meeting limit). Published
// calendars (Outlook, Apple, Fastmail) usually carry no attendees; the
// second case gives every series 5, which multiplies the rows written.
func BenchmarkICSFeed(b *testing.B) {
	for _, attendees := range []int{0, 5} {
		b.Run(fmt.Sprintf("attendees=%d", attendees), func(b *testing.B) {
			feed := testutil.ICSFeed(2000, attendees, gcalNow)
			b.ReportMetric(float64(len(feed))/(1<<20), "MB-feed")
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				srv := newFeedServer(b, feed)
				a := testutil.NewAppWith(b, testutil.SQLite, app.Options{CalendarNow: func() time.Time { return gcalNow }},
					func(c *config) { c.AllowPrivateFetch, c.CalendarMeetingLimit = true, 200_000 })
				c := testutil.SignUp(b, a.HTTP)
				var conn connectionJSON
				c.Do("POST", "/api/v1/connections/ics", map[string]any{"url": srv.srv.URL + "/big.ics"}).Expect(b, 201).JSON(b, &conn)
				b.StartTimer()
				start := time.Now()
				var r importJSON
				heap := heapPeak(func() { r = syncNow(b, c, conn.ID, 200) })
				first := time.Since(start)
				if r.Created < 100_000 {
					b.Fatalf("feed sync: %+v", r)
				}
				b.ReportMetric(heap, "MB-heap-rise")
				b.ReportMetric(float64(r.Created), "meetings")
				b.ReportMetric(float64(first.Milliseconds()), "ms-first-sync")
			}
		})
	}
}
