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
