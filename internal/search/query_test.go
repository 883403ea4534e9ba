package search

import (
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/debrief-hq/debrief/internal/apperr"
)

func TestParseQuery(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	day := func(s string) *time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, s, berlin)
		return &d
	}
	cases := []struct {
		in   string
		want Query
	}{
		{"pricing", Query{Words: []string{"pricing"}}},
		{"  pricing   Acme  ", Query{Words: []string{"pricing", "Acme"}}},
		{`"price increase" acme`, Query{Phrases: []string{"price increase"}, Words: []string{"acme"}}},
		{`pricing -draft -"old deck"`, Query{Words: []string{"pricing"}, Exclude: []string{"draft", "old deck"}}},
		{"type:decision pricing", Query{Types: []string{TypeDecision}, Words: []string{"pricing"}}},
		{"TYPE:Action_Item type:action type:note", Query{Types: []string{TypeActionItem, TypeNote}}},
		{`person:"Ada Lovelace" person:bob@acme.com`, Query{People: []string{"Ada Lovelace", "bob@acme.com"}}},
		{"org:acme.com series:standup", Query{Orgs: []string{"acme.com"}, Series: []string{"standup"}}},
		{`series:"Weekly sync" is:open`, Query{Series: []string{"Weekly sync"}, Status: "open"}},
		{"is:done is:closed", Query{Status: "done"}},
		{"after:2026-03-01 before:2026-04-01 budget", Query{After: day("2026-03-01"), Before: day("2026-04-01"), Words: []string{"budget"}}},
		// Not filters: a colon in a word, an unknown key, a lone dash.
		{"10:30 https://acme.com/x - ok", Query{Words: []string{"10:30", "https://acme.com/x", "-", "ok"}}},
		{"note: follow up", Query{Words: []string{"note:", "follow", "up"}}},
		// Required words: +word, and words joined by AND; OR is what words do.
		{"+budget q3", Query{Words: []string{"budget", "q3"}, Must: []string{"budget"}}},
		{"budget AND q3 review", Query{Words: []string{"budget", "q3", "review"}, Must: []string{"budget", "q3"}}},
		{"a AND b AND c", Query{Words: []string{"a", "b", "c"}, Must: []string{"a", "b", "c"}}},
		{"budget OR q3", Query{Words: []string{"budget", "q3"}}},
		{"AND budget and q3 AND", Query{Words: []string{"AND", "budget", "and", "q3", "AND"}}},
		{`type:note AND budget`, Query{Types: []string{TypeNote}, Words: []string{"AND", "budget"}}},
		{`it's "" 定价 Überweisung`, Query{Words: []string{"it's", "定价", "Überweisung"}}},
	}
	for _, c := range cases {
		got, err := ParseQuery(c.in, berlin)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		got.open = false // TestPrefixOpen covers it
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", c.in, got, c.want)
		}
	}
}

func TestParseQueryErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", "is empty"},
		{"   ", "is empty"},
		{"-draft", "only what to leave out"},
		{`"price increase`, "never closed"},
		{`person:"Ada`, "never closed"},
		{"type:", "needs a value, as in type:decision"},
		{"type:memo", "type:memo is not one of meeting, note, decision, action_item, question, person"},
		{"is:pending", "neither is:open nor is:done"},
		{"is:open is:done", "match nothing"},
		{"before:yesterday", "before:yesterday is not a date such as before:2026-03-01"},
		{"after:2026-02-30", "is not a date"},
		{"after:2026-03-01 before:2026-03-01", "is not after"},
		{"-type:note x", "filters cannot be excluded"},
		{strings.Repeat("a ", 40), "more than 32 terms"},
		{strings.Repeat("a", MaxQueryLen+1), "longer than 500"},
		{"bad \xff", "UTF-8"},
		{"nul \x00", "NUL"},
	}
	for _, c := range cases {
		_, err := ParseQuery(c.in, time.UTC)
		if err == nil || !apperr.Is(err, apperr.KindInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want an invalid-input error containing %q", c.in, err, c.want)
		}
	}
}

// FuzzParseQuery: any text parses or is refused with a field error; never
// a panic, and what parses has something to look for.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"pricing", `"a b" -c`, `person:"Ada" type:note is:open after:2026-01-01`, `-"`, `a:b:c "`, "type:", "定价 -x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s, time.UTC)
		if err != nil {
			if !apperr.Is(err, apperr.KindInvalid) {
				t.Fatalf("%q: %v is not an invalid-input error", s, err)
			}
			return
		}
		if len(q.Words)+len(q.Phrases)+len(q.Types)+len(q.People)+len(q.Orgs)+len(q.Series) == 0 &&
			q.After == nil && q.Before == nil && q.Status == "" {
			t.Fatalf("%q parsed to nothing to look for", s)
		}
		for _, w := range append(append([]string{}, q.Words...), q.Phrases...) {
			if w == "" {
				t.Fatalf("%q gave an empty term", s)
			}
		}
	})
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"Überweisung café": "Uberweisung cafe",
		"我们决定提高价格。":        " 我们 们决 决定 定提 提高 高价 价格 。",
		"定价 meeting":       " 定价  meeting",
		"price":            "price",
		"日":                " 日 ",
		"frozen a\xffb":    "freeze a\ufffdb", // bytes that are not UTF-8 are written as U+FFFD
		"한국 tea":           " 한국  tea",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCJKFrom: isCJK answers below U+1100 without the tables; none of
// the scripts it looks for has a character there.
func TestCJKFrom(t *testing.T) {
	for r := rune(0); r < 0x1100; r++ {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			t.Fatalf("%U is CJK", r)
		}
	}
}

// TestNormalizeConcurrently: index updates and searches normalise text at
// once (go test -race found a shared transformer).
func TestNormalizeConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				if got := Normalize("Überweisung 提高价格"); got != "Uberweisung  提高 高价 价格 " {
					t.Errorf("Normalize: %q", got)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestPrefixOpen: only a query that ends with a bare word, no space after
// it, can have that word matched as a prefix.
func TestPrefixOpen(t *testing.T) {
	for in, want := range map[string]bool{
		"roadm": true, "budget roadm": true, "roadm ": false, `"road map"`: false, "type:note": false,
		"roadm type:note": false, "budget -roadm": false, "person:ada roadm": true,
	} {
		q, err := ParseQuery(in, time.UTC)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if q.open != want {
			t.Errorf("%q: open %v, want %v", in, q.open, want)
		}
	}
	q := Query{Words: []string{"a", "ro"}, Prefix: true}
	if q.PrefixWord() != "" {
		t.Error("a two-letter word is a prefix")
	}
	q.Words[1] = "roa"
	if q.PrefixWord() != "roa" {
		t.Error("a three-letter word is not a prefix")
	}
	q.Words[1] = "roadm"
	if q.PrefixWord() != "roadm" || !PlainWord("roadm") || PlainWord("v2.3") {
		t.Error("PrefixWord / PlainWord")
	}
}

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"reciev", "receiv", 2, 2}, {"budget", "budget", 2, 0}, {"budgte", "budget", 2, 2}, {"roadmap", "roadmaps", 1, 1},
		{"pricing", "prize", 2, 3}, {"", "abc", 5, 3}, {"café", "cafe", 1, 1}, {"kitten", "sitting", 3, 3}, {"kitten", "sitting", 2, 3},
	} {
		if got := Distance(c.a, c.b, c.limit); got != c.want {
			t.Errorf("Distance(%q, %q, %d) = %d, want %d", c.a, c.b, c.limit, got, c.want)
		}
	}
	for _, c := range []struct {
		w    string
		want int
	}{{"budge", 1}, {"budget", 2}, {"q3", 0}, {"fz1x0x5", 0}, {"tiny", 0}, {"v2.3.1", 0}, {"anna@x.com", 0}} {
		if got := Fuzziness(c.w); got != c.want {
			t.Errorf("Fuzziness(%q) = %d, want %d", c.w, got, c.want)
		}
	}
}

// TestJoined: words written with hyphens are also given as one, however
// many hyphens and wherever the word stands; a dash that joins nothing
// (a list's "- ", "x -", "-x") gives nothing.
func TestJoined(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"the bi-weekly sync", []string{"biweekly"}},
		{"state-of-the-art, and a--b", []string{"stateoftheart", "ab"}},
		{"a--b", []string{"ab"}},
		{"über-cool v2-3", []string{"übercool", "v23"}},
		{"bi-weekly", []string{"biweekly"}},
		{"\n- item one\n- item two -x x- - y", nil},
		{"-x- -- ---", nil},
		{"", nil},
	} {
		if got := Joined(c.text); !slices.Equal(got, c.want) {
			t.Errorf("Joined(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}
