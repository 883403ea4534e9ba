package capture

import (
	"strings"
	"testing"
	"time"
)

// FuzzParse: any input parses without panicking, and what comes back is
// made of the input (substrings on the lines it names).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "!!", "!! a ^k3x9", "- [ ] x", "- [x] @bob by friday", "?? q", "Decision: d", "**Decided**: e",
		"```\n!! x\n```", "`@a` @b@c.de", "@ @@ @a@ @.x", "!! due:2026-02-30 by next week", "1. [X] y",
		"\r\n\r\n!! z\r", "שלום @דנה", "!! a\x00b @\xff", strings.Repeat("!! x\n", 50),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := Parse(body)
		lines := strings.Split(body, "\n")
		for _, it := range r.Items {
			if it.Kind < KindAction || it.Kind > KindDecision {
				t.Fatalf("bad kind %v", it.Kind)
			}
			if it.Line < 0 || it.Line >= len(lines) {
				t.Fatalf("line %d out of range (%d lines)", it.Line, len(lines))
			}
			if it.Text == "" || !strings.Contains(lines[it.Line], it.Text) {
				t.Fatalf("text %q is not on line %d %q", it.Text, it.Line, lines[it.Line])
			}
			if it.BlockID != "" && !IsBlockID(it.BlockID) {
				t.Fatalf("bad block id %q", it.BlockID)
			}
			if it.Due != "" {
				if !strings.Contains(it.Text, it.Due) {
					t.Fatalf("due %q not in %q", it.Due, it.Text)
				}
				ResolveDue(it.Due, time.Now(), time.UTC)
			}
		}
		// Assigning block ids keeps every item, gives each a unique id, and
		// is stable: the rewritten note parses to the same items with the ids.
		out, items := AssignBlockIDs(body, r.Items, nil)
		again := Parse(out).Items
		if len(again) != len(items) {
			t.Fatalf("%d items after assigning ids, %d before:\n%q", len(again), len(items), out)
		}
		ids := map[string]bool{}
		for i, it := range again {
			if it.BlockID != items[i].BlockID || it.Text != items[i].Text || it.Kind != items[i].Kind || ids[it.BlockID] {
				t.Fatalf("item %d changed or id repeated after assigning ids: %+v vs %+v", i, it, items[i])
			}
			ids[it.BlockID] = true
		}
		// Flipping an action item through RewriteAction shows in the note.
		for _, it := range items {
			if it.Kind != KindAction {
				continue
			}
			flipped, ok := RewriteAction(out, it.BlockID, it.Text, !it.Done, false)
			if !ok {
				t.Fatalf("action %q not found for rewriting", it.BlockID)
			}
			var back *Item
			for _, b := range Parse(flipped).Items {
				if b.BlockID == it.BlockID {
					back = &b
				}
			}
			if back == nil || back.Done == it.Done || back.Kind != KindAction || back.Text != strings.TrimSpace(it.Text) {
				t.Fatalf("after flipping %q: %+v\n%q", it.BlockID, back, flipped)
			}
			break
		}
		for _, m := range r.Mentions {
			if m.Handle == "" || m.Line < 0 || m.Line >= len(lines) || !strings.Contains(lines[m.Line], "@"+m.Handle) {
				t.Fatalf("mention %+v not on its line", m)
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	// A realistic note: prose, bullets, markers, mentions, a code block.
	var sb strings.Builder
	for i := 0; sb.Len() < 64<<10; i++ {
		sb.WriteString("## Topic\nWe discussed the roadmap with @alice and @Bob Stone; pricing is still open.\n")
		sb.WriteString("- notes about the launch plan and the budget for next quarter\n")
		sb.WriteString("!! send the deck to @alice by friday ^k3x9\n- [ ] review contract due:2026-03-01\n")
		sb.WriteString("- [x] book the room\n?? does legal need to review?\nDecision: we go with vendor B\n")
		sb.WriteString("```\n!! not an item\n```\n\n")
	}
	body := sb.String()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Parse(body)
	}
}
