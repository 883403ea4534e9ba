package store_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/meeting"
	"github.com/debrief-hq/debrief/internal/note"
	"github.com/debrief-hq/debrief/internal/store"
	"github.com/debrief-hq/debrief/internal/testutil"
)

// benchSetup makes one user with n meetings of 5 attendees and a note each.
func benchSetup(b *testing.B, n int) (*store.Store, string, []string) {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DataDir: b.TempDir(), SQLiteSync: os.Getenv("BENCH_SYNC")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx, nil); err != nil {
		b.Fatal(err)
	}
	st := store.New(db, testutil.Logger(b))
	u, err := st.CreateUser(ctx, "bench@example.com", "B", "UTC", "x")
	if err != nil {
		b.Fatal(err)
	}
	body := strings.Repeat("word ", 300)
	ids := make([]string, n)
	for i := range ids {
		att := make([]meeting.AttendeeInput, 5)
		for k := range att {
			p := (i*5 + k*397) % 2000
			att[k] = meeting.AttendeeInput{Email: fmt.Sprintf("p%d@org%d.example", p, p%150), ResponseStatus: "accepted"}
		}
		m, err := st.CreateMeeting(ctx, u.ID, meeting.CreateInput{Title: fmt.Sprint("m", i), StartsAt: time.Now(), EndsAt: time.Now(),
			TimeZone: "UTC", Status: "confirmed", Attendees: att})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.SaveNote(ctx, u.ID, note.OnMeeting, m.ID, note.SaveInput{Body: body}, note.Extraction{Location: time.UTC, Now: time.Now()}); err != nil {
			b.Fatal(err)
		}
		ids[i] = m.ID
	}
	return st, u.ID, ids
}

func BenchmarkCreateMeeting(b *testing.B) {
	st, owner, _ := benchSetup(b, 200)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		att := make([]meeting.AttendeeInput, 5)
		for k := range att {
			p := (i*5 + k*397) % 2000
			att[k] = meeting.AttendeeInput{Email: fmt.Sprintf("p%d@org%d.example", p, p%150), ResponseStatus: "accepted"}
		}
		if _, err := st.CreateMeeting(ctx, owner, meeting.CreateInput{Title: "x", StartsAt: time.Now(), EndsAt: time.Now(),
			TimeZone: "UTC", Status: "confirmed", Attendees: att}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetMeeting(b *testing.B) {
	st, owner, ids := benchSetup(b, 500)
	ctx := context.Background()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := st.GetMeeting(ctx, owner, ids[i%len(ids)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

func BenchmarkSaveNote(b *testing.B) {
	st, owner, ids := benchSetup(b, 500)
	ctx := context.Background()
	body := strings.Repeat("edited ", 300)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := st.SaveNote(ctx, owner, note.OnMeeting, ids[i%len(ids)], note.SaveInput{Body: body}, note.Extraction{Location: time.UTC, Now: time.Now()}); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

func BenchmarkGetMeetingSerial(b *testing.B) {
	st, owner, ids := benchSetup(b, 500)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := st.GetMeeting(ctx, owner, ids[i%len(ids)]); err != nil {
			b.Fatal(err)
		}
	}
}
