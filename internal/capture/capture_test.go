package capture

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

type want struct {
	kind    Kind
	done    bool
	text    string
	line    int
	block   string
	due     string
	handles []string
}

func check(t *testing.T, body string, wants []want) {
	t.Helper()
	r := Parse(body)
	if len(r.Items) != len(wants) {
		t.Fatalf("Parse(%q): %d items, want %d: %+v", body, len(r.Items), len(wants), r.Items)
	}
	for i, w := range wants {
		it := r.Items[i]
		var hs []string
		for _, m := range it.Mentions {
			hs = append(hs, m.Handle)
		}
		if it.Kind != w.kind || it.Done != w.done || it.Text != w.text || it.Line != w.line ||
			it.BlockID != w.block || it.Due != w.due || strings.Join(hs, ",") != strings.Join(w.handles, ",") {
			t.Errorf("item %d of %q:\n got %v done=%v %q line %d block %q due %q mentions %v\nwant %v done=%v %q line %d block %q due %q mentions %v",
				i, body, it.Kind, it.Done, it.Text, it.Line, it.BlockID, it.Due, hs, w.kind, w.done, w.text, w.line, w.block, w.due, w.handles)
		}
	}
}

func TestParse(t *testing.T) {
	cases := []struct {
		name string
		body string
		want []want
	}{
		{"empty", "", nil},
		{"plain prose", "We talked about pricing.\nNothing decided.", nil},
		{"bang action", "!! send the deck to @alice by friday", []want{{kind: KindAction, text: "send the deck to @alice by friday", due: "friday", handles: []string{"alice"}}}},
		{"checkbox open", "- [ ] write summary", []want{{kind: KindAction, text: "write summary"}}},
		{"checkbox done", "* [x] booked room\n+ [X] sent invite", []want{{kind: KindAction, done: true, text: "booked room"}, {kind: KindAction, done: true, text: "sent invite", line: 1}}},
		{"numbered checkbox", "1. [ ] first\n2) [x] second", []want{{kind: KindAction, text: "first"}, {kind: KindAction, done: true, text: "second", line: 1}}},
		{"indented", "  - [ ] nested task\n\t?? indented question", []want{{kind: KindAction, text: "nested task"}, {kind: KindQuestion, text: "indented question", line: 1}}},
		{"question", "?? does legal need to review?", []want{{kind: KindQuestion, text: "does legal need to review?"}}},
		{"bullet question", "- ?? who owns QA", []want{{kind: KindQuestion, text: "who owns QA"}}},
		{"decision", "Decision: we go with vendor B", []want{{kind: KindDecision, text: "we go with vendor B"}}},
		{"decided any case", "DECIDED: ship it\ndecision:lower", []want{{kind: KindDecision, text: "ship it"}, {kind: KindDecision, text: "lower", line: 1}}},
		{"bold decision", "**Decision:** bold one\n**Decided**: other\n- Decision: bullet", []want{
			{kind: KindDecision, text: "bold one"}, {kind: KindDecision, text: "other", line: 1}, {kind: KindDecision, text: "bullet", line: 2}}},
		{"not a decision", "Decisions: plural\nDecision maker: Bob\nDecisionless", nil},
		{"block ids", "!! call Bob ^k3x9\n- [x] done thing ^a1b2c3\n?? q ^ABCD\nDecision: d^abcd", []want{
			{kind: KindAction, text: "call Bob", block: "k3x9"}, {kind: KindAction, done: true, text: "done thing", line: 1, block: "a1b2c3"},
			{kind: KindQuestion, text: "q ^ABCD", line: 2}, {kind: KindDecision, text: "d^abcd", line: 3}}},
		{"empty markers", "!!\n- [ ]\n??   \nDecision:", nil},
		{"fenced code", "```\n!! not an item\n```\n!! real\n~~~go\n?? nope\n~~~", []want{{kind: KindAction, text: "real", line: 3}}},
		{"fence needs same char", "```\n~~~\n!! still code\n```\n!! out", []want{{kind: KindAction, text: "out", line: 4}}},
		{"unclosed fence", "```\n!! code forever", nil},
		{"inline code", "`!! not an item`\n!! run `@notme` with @bob", []want{{kind: KindAction, text: "run `@notme` with @bob", line: 1, handles: []string{"bob"}}}},
		{"email is not a mention", "!! mail bob@acme.com and @carol@acme.com.", []want{{kind: KindAction, text: "mail bob@acme.com and @carol@acme.com.", handles: []string{"carol@acme.com"}}}},
		{"due forms", "!! a due:2026-03-01\n!! b by tomorrow\n!! c by next week\n!! d by end of week\n!! e by Fri\n!! f by the way\n!! g standby monday", []want{
			{kind: KindAction, text: "a due:2026-03-01", due: "2026-03-01"}, {kind: KindAction, text: "b by tomorrow", line: 1, due: "tomorrow"},
			{kind: KindAction, text: "c by next week", line: 2, due: "next week"}, {kind: KindAction, text: "d by end of week", line: 3, due: "end of week"},
			{kind: KindAction, text: "e by Fri", line: 4, due: "Fri"}, {kind: KindAction, text: "f by the way", line: 5}, {kind: KindAction, text: "g standby monday", line: 6}}},
		{"last due wins", "!! by monday, no wait, by 2026-05-02", []want{{kind: KindAction, text: "by monday, no wait, by 2026-05-02", due: "2026-05-02"}}},
		{"windows newlines", "!! one\r\n?? two\r\n", []want{{kind: KindAction, text: "one"}, {kind: KindQuestion, text: "two", line: 1}}},
		{"unicode", "!! שלום @דנה 👋🏽\n?? 会议什么时候？", []want{{kind: KindAction, text: "שלום @דנה 👋🏽", handles: []string{"דנה"}}, {kind: KindQuestion, text: "会议什么时候？", line: 1}}},
		{"nul and junk", "!! a\x00b\n\xff\xfe?? c", []want{{kind: KindAction, text: "a\x00b"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { check(t, c.body, c.want) })
	}
}

func TestMentions(t *testing.T) {
	r := Parse("Met @Alice Smith and @bob.\nAlso @Carol Ann Jones, @dave_99 and (@eve)\n```\n@hidden\n```\nemail me@x.io")
	got := []string{}
	for _, m := range r.Mentions {
		got = append(got, fmt.Sprintf("%s%v@%d", m.Handle, m.Next, m.Line))
	}
	want := []string{"Alice[Smith]@0", "bob[]@0", "Carol[Ann Jones]@1", "dave_99[]@1", "eve[]@1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("mentions = %v, want %v", got, want)
	}
}

func TestResolveDue(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	// Wednesday 2026-03-04, 23:30 in Berlin (22:30 UTC): "today" is the 4th there.
	now := time.Date(2026, 3, 4, 22, 30, 0, 0, time.UTC)
	for phrase, want := range map[string]string{
		"today": "2026-03-04", "tomorrow": "2026-03-05", "Friday": "2026-03-06", "fri": "2026-03-06",
		"wednesday": "2026-03-11", "monday": "2026-03-09", "next week": "2026-03-09", "end of week": "2026-03-06",
		"EOW": "2026-03-06", "2026-12-24": "2026-12-24",
	} {
		got, ok := ResolveDue(phrase, now, berlin)
		if !ok || got.Format(time.DateOnly) != want || got.Location() != berlin || got.Hour() != 0 {
			t.Errorf("ResolveDue(%q) = %v %v, want %s 00:00 Berlin", phrase, got, ok, want)
		}
	}
	saturday := time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC)
	if got, _ := ResolveDue("end of week", saturday, time.UTC); got.Format(time.DateOnly) != "2026-03-13" {
		t.Errorf("end of week on a Saturday = %v, want next Friday", got)
	}
	for _, bad := range []string{"", "someday", "2026-02-30", "next month"} {
		if _, ok := ResolveDue(bad, now, berlin); ok {
			t.Errorf("ResolveDue(%q) resolved", bad)
		}
	}
}

// markerLine is an independent description of the marker syntax.
var markerLine = regexp.MustCompile(`(?i)^\s*(([-*+]|\d+[.)])\s+\[[ x]\]|([-*+]\s+|\d+[.)]\s+)?(!!|\?\?|(\*\*)?decid(ed|sion)(\*\*)?:))`)

var tableRow = regexp.MustCompile(`^\|\s*(?:\*\*)?[\w.]+(?:\*\*)?\s*\|\s*(.*?)\s*\|?\s*$`)

// rewrite turns the "Decisions Made" / "Actions Required" sections of a
// real call note into Debrief markers, and returns the rewritten note with
// the lines it expects the parser to find.
func rewrite(note string) (string, []want) {
	lines := strings.Split(note, "\n")
	var wants []want
	var kind Kind
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "#") {
			switch h := strings.ToLower(strings.TrimLeft(t, "# ")); {
			case strings.HasPrefix(h, "decisions made"):
				kind = KindDecision
			case strings.HasPrefix(h, "actions required"):
				kind = KindAction
			default:
				kind = 0
			}
			continue
		}
		if kind == 0 || t == "" || strings.HasPrefix(t, "---") {
			continue
		}
		var text string
		if m := tableRow.FindStringSubmatch(t); m != nil && !strings.HasPrefix(m[1], "-") && !strings.Contains(strings.ToLower(t), "| description") && !strings.Contains(strings.ToLower(t), "| decision |") && !strings.Contains(strings.ToLower(t), "| action") {
			text = strings.TrimSpace(strings.Trim(m[1], "| "))
		} else if strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") {
			text = strings.TrimSpace(t[2:])
		}
		// Keep only text the parser returns unchanged (no inline code or
		// trailing block-id look-alikes in these notes).
		if text == "" || strings.ContainsAny(text, "`^") {
			continue
		}
		if kind == KindDecision {
			lines[i] = "Decision: " + text
		} else {
			lines[i] = "!! " + text
		}
		w := want{kind: kind, text: text, line: i}
		if kind == KindAction {
			w.due = duePhrase(text)
		}
		wants = append(wants, w)
	}
	return strings.Join(lines, "\n"), wants
}

// TestRealCallNotes runs the parser on real meeting notes (Ethereum core
// dev calls) whose decision and action sections are rewritten into markers.
func TestRealCallNotes(t *testing.T) {
	files, err := filepath.Glob("../../testdata/acd_notes/*/*.md")
	if err != nil || len(files) < 40 {
		t.Fatalf("fixtures: %d files (%v)", len(files), err)
	}
	total := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		body, wants := rewrite(string(b))
		total += len(wants)
		got := Parse(body)
		byLine := map[int]Item{}
		for _, it := range got.Items {
			byLine[it.Line] = it
		}
		for _, w := range wants {
			it, ok := byLine[w.line]
			if !ok || it.Kind != w.kind || it.Text != w.text || it.Due != w.due {
				t.Errorf("%s line %d: got %+v, want %v %q", filepath.Base(f), w.line+1, it, w.kind, w.text)
			}
		}
		// Lines the notes already had in marker form (task lists, "Decision:")
		// are found too; nothing else is.
		lines := strings.Split(body, "\n")
		for _, it := range got.Items {
			if _, rewritten := byLine[it.Line]; !rewritten && !markerLine.MatchString(lines[it.Line]) {
				t.Errorf("%s line %d extracted without a marker: %q", filepath.Base(f), it.Line+1, lines[it.Line])
			}
		}
	}
	if total < 150 {
		t.Errorf("only %d decision/action lines rewritten from the fixtures; the rewriter is broken", total)
	}
	t.Logf("%d files, %d rewritten decision/action lines checked", len(files), total)
}

func TestRemindPhrases(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, loc) // a Monday
	for _, c := range []struct {
		line, phrase string
		want         time.Time
		next         bool
	}{
		{"!! call the bank remind:tomorrow 15:00", "tomorrow 15:00", time.Date(2026, 12, 8, 15, 0, 0, 0, loc), false},
		{"!! call the bank remind:2026-12-20", "2026-12-20", time.Date(2026, 12, 20, 9, 0, 0, 0, loc), false},
		{"!! send it remind:friday 9:30 please", "friday 9:30", time.Date(2026, 12, 11, 9, 30, 0, 0, loc), false},
		{"?? who signs remind:16:00", "16:00", time.Date(2026, 12, 7, 16, 0, 0, 0, loc), false},
		{"?? who signs remind:08:00", "08:00", time.Date(2026, 12, 8, 8, 0, 0, 0, loc), false},
		{"!! ask @alice about the budget next time", "", time.Time{}, true},
		{"!! the next timetable reminder:soon", "", time.Time{}, false},
		{"- [ ] Next time, bring the deck remind:someday", "", time.Time{}, true},
	} {
		r := Parse(c.line)
		if len(r.Items) != 1 {
			t.Fatalf("%q: %d items", c.line, len(r.Items))
		}
		it := r.Items[0]
		if it.Remind != c.phrase || it.NextTime != c.next {
			t.Errorf("%q: remind %q next %v, want %q %v", c.line, it.Remind, it.NextTime, c.phrase, c.next)
		}
		if c.phrase == "" {
			continue
		}
		got, ok := ResolveRemind(it.Remind, now, loc, 9)
		if !ok || !got.Equal(c.want) {
			t.Errorf("%q: resolves to %v %v, want %v", c.line, got, ok, c.want)
		}
	}
	for in, want := range map[string]string{
		"!! call the bank remind:tomorrow 15:00 ok": "!! call the bank remind:2026-12-09 10:00 ok",
		"!! call the bank":                          "!! call the bank remind:2026-12-09 10:00",
	} {
		if got := SetRemind(in, "2026-12-09 10:00"); got != want {
			t.Errorf("SetRemind(%q) = %q", in, got)
		}
	}
	if got := SetRemind("!! call remind:friday now", ""); got != "!! call now" {
		t.Errorf("SetRemind clear = %q", got)
	}
}
