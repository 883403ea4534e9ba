package capture

import "testing"

func TestRewriteAction(t *testing.T) {
	body := "# x\n  - [ ] write summary ^aaaa\r\n!! call bob ^bbbb\n* [X] done one ^cccc\n?? q ^dddd"
	cases := []struct {
		name         string
		id, title    string
		done, remove bool
		want         string
		found        bool
	}{
		{"complete checkbox", "aaaa", "write summary", true, false, "# x\n  - [x] write summary ^aaaa\r\n!! call bob ^bbbb\n* [X] done one ^cccc\n?? q ^dddd", true},
		{"complete bang line", "bbbb", "call bob", true, false, "# x\n  - [ ] write summary ^aaaa\r\n- [x] call bob ^bbbb\n* [X] done one ^cccc\n?? q ^dddd", true},
		{"reopen", "cccc", "done one", false, false, "# x\n  - [ ] write summary ^aaaa\r\n!! call bob ^bbbb\n* [ ] done one ^cccc\n?? q ^dddd", true},
		{"retitle keeps bang", "bbbb", "call Bob about\nthe deck", false, false, "# x\n  - [ ] write summary ^aaaa\r\n!! call Bob about the deck ^bbbb\n* [X] done one ^cccc\n?? q ^dddd", true},
		{"drop removes line", "aaaa", "", false, true, "# x\n!! call bob ^bbbb\n* [X] done one ^cccc\n?? q ^dddd", true},
		{"question is not an action", "dddd", "x", true, false, body, false},
		{"unknown id", "zzzz", "x", true, false, body, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, found := RewriteAction(body, c.id, c.title, c.done, c.remove)
			if got != c.want || found != c.found {
				t.Errorf("got %q (%v)\nwant %q (%v)", got, found, c.want, c.found)
			}
			// The rewritten note parses back to the item as the API left it.
			if found && !c.remove {
				for _, it := range Parse(got).Items {
					if it.BlockID == c.id && it.Done != c.done {
						t.Errorf("reparsed done = %v, want %v", it.Done, c.done)
					}
				}
			}
		})
	}
}

func TestSetDue(t *testing.T) {
	for _, tc := range []struct{ text, iso, want string }{
		{"send the deck by friday", "2026-12-11", "send the deck due:2026-12-11"},
		{"send the deck due: 2026-12-01 please", "2026-12-11", "send the deck due:2026-12-11 please"},
		{"send the deck", "2026-12-11", "send the deck due:2026-12-11"},
		{"by tomorrow send the deck", "", "send the deck"},
		{"send the deck by next week, then rest", "", "send the deck, then rest"},
		{"send the deck", "", "send the deck"},
		// The last due phrase is the one that counts, and the one replaced.
		{"by monday draft, due:2026-12-03 final", "2026-12-04", "by monday draft, due:2026-12-04 final"},
		// "by" without a date is prose.
		{"reviewed by legal", "2026-12-04", "reviewed by legal due:2026-12-04"},
	} {
		got := SetDue(tc.text, tc.iso)
		if got != tc.want {
			t.Errorf("SetDue(%q, %q) = %q, want %q", tc.text, tc.iso, got, tc.want)
		}
		if d := duePhrase(got); (tc.iso == "") != (d == "") || tc.iso != "" && d != tc.iso {
			t.Errorf("SetDue(%q, %q) = %q, which parses as due %q", tc.text, tc.iso, got, d)
		}
	}
}

func TestMentionEnd(t *testing.T) {
	text := "ask @Bob Stone and @carol@acme.com, then @dan"
	ms := Mentions(text)
	if len(ms) != 3 {
		t.Fatalf("%d mentions in %q, want 3", len(ms), text)
	}
	for i, want := range []struct {
		words int
		span  string
	}{{1, "@Bob Stone"}, {0, "@carol@acme.com"}, {0, "@dan"}} {
		if got := text[ms[i].At:ms[i].End(want.words)]; got != want.span {
			t.Errorf("mention %d spans %q, want %q", i, got, want.span)
		}
	}
	if got := text[ms[0].At:ms[0].End(0)]; got != "@Bob" {
		t.Errorf("first mention without its next word spans %q", got)
	}
	if got := text[ms[0].At:ms[0].End(5)]; got != "@Bob Stone" {
		t.Errorf("first mention asked for more words than it has spans %q", got)
	}
}
