package capture

import (
	"fmt"
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	known := []Known{
		{KindAction, "aaaa", "send the deck to @alice by friday", false},
		{KindAction, "bbbb", "book the room", false},
		{KindQuestion, "cccc", "does legal need to review?", false},
		{KindDecision, "dddd", "we go with vendor B", false},
		{KindAction, "eeee", "call the bank", true}, // its line left earlier
		{KindAction, "ffff", "renew the domain before it expires", true},
	}
	tests := []struct {
		name string
		body string
		want string // each item line's block id after matching, "-" for none
	}{
		{"lines without ids keep their items",
			"!! send the deck to @alice by friday\n- [x] book the room\n?? does legal need to review?\nDecision: we go with vendor B",
			"aaaa bbbb cccc dddd"},
		{"moved lines, case and spacing",
			"Decided: We go with  vendor B.\n!! Book the room\n!! send the deck to @alice by friday",
			"dddd bbbb aaaa"},
		{"a retyped line keeps its item",
			"!! send the final deck to @alice by friday\n!! book the big room",
			"aaaa bbbb"},
		{"an id on the line wins; the line that lost it is matched by text",
			"!! book the room ^aaaa\n!! send the deck to @alice by friday",
			"aaaa -"},
		{"a copied line: the second is new",
			"!! book the room ^bbbb\n!! book the room ^bbbb",
			"bbbb -"},
		{"another kind is never matched",
			"?? send the deck to @alice by friday\n!! we go with vendor B",
			"- -"},
		{"a new line is new",
			"!! order pizza for the offsite\n!! book the room",
			"- bbbb"},
		{"the same text twice: one item each, the rest new",
			"!! book the room\n!! book the room\n!! book the room",
			"bbbb - -"},
		{"a line put back takes the item it left",
			"!! call the bank",
			"eeee"},
		{"an item whose line left earlier takes no retyped line",
			"!! renew the domain before it expires soon",
			"-"},
		{"unrelated wording is not near",
			"!! send the invoice",
			"-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := Match(Parse(tt.body).Items, known)
			var got []string
			for _, it := range items {
				id := it.BlockID
				if id == "" {
					id = "-"
				}
				got = append(got, id)
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("got %s, want %s", g, tt.want)
			}
		})
	}
}

// TestMatchNoKnown: without items every line keeps what it has.
func TestMatchNoKnown(t *testing.T) {
	items := Parse("!! one ^abcd\n!! two").Items
	got := Match(items, nil)
	if got[0].BlockID != "abcd" || got[1].BlockID != "" {
		t.Errorf("got %+v", got)
	}
}

// TestMatchBounded: a note of thousands of new lines against thousands of
// items whose lines left is matched by text only (no quadratic near pass:
// "another task 1500 of the plan" would otherwise take item 1500), and
// still keeps every item whose text came back.
func TestMatchBounded(t *testing.T) {
	var known []Known
	var b strings.Builder
	for i := range 2000 {
		known = append(known, Known{KindAction, fmt.Sprintf("k%03d", i), fmt.Sprintf("task number %d of the plan", i), false})
		if i < 1000 {
			fmt.Fprintf(&b, "!! task number %d of the plan\n", i)
		}
	}
	for i := 1000; i < 3000; i++ {
		fmt.Fprintf(&b, "!! another task number %d of the plan\n", i)
	}
	items := Match(Parse(b.String()).Items, known)
	for i, it := range items {
		want := ""
		if i < 1000 {
			want = known[i].BlockID
		}
		if it.BlockID != want {
			t.Fatalf("line %d: %q, want %q", i, it.BlockID, want)
		}
	}
	// The same shape small enough is matched near.
	few := Match(Parse("!! another task number 5 of the plan").Items, known[5:6])
	if few[0].BlockID != known[5].BlockID {
		t.Errorf("near line not matched: %+v", few[0])
	}
}
