package httpapi_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/debrief-hq/debrief/internal/testutil"
)

// meetingLines is a meeting's items as the two-device test reads them.
type meetingLines struct {
	ActionItems []struct {
		ID     string `json:"id"`
		Title  string `json:"title"`
		Status string `json:"status"`
		InNote bool   `json:"in_note"`
	} `json:"action_items"`
	Decisions []struct {
		ID     string `json:"id"`
		Text   string `json:"text"`
		InNote bool   `json:"in_note"`
	} `json:"decisions"`
	Questions []struct {
		ID     string `json:"id"`
		Text   string `json:"text"`
		Status string `json:"status"`
		InNote bool   `json:"in_note"`
	} `json:"questions"`
}

var anyBlockID = regexp.MustCompile(`\^[a-z0-9]{4}\b`)

// TestNoteSavedWithoutBlockIDs: a note saved 100 times from two devices,
// one of which never sends the block ids the server adds (it strips them,
// as an editor that missed the rewrite or a script would), ends with each
// of its lines' items exactly once — lines added, ticked, retyped and moved
// on either device — and with no item closed that is still in the note.
func TestNoteSavedWithoutBlockIDs(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		laptop := testutil.SignUp(t, a.HTTP)
		phone := *laptop // the same person on a second device
		m := createMeeting(t, laptop, map[string]any{"title": "Planning", "starts_at": "2026-12-01T10:00:00Z"})
		path := "/api/v1/meetings/" + m.ID + "/note"
		laptop.Do("PUT", path, map[string]any{"body": strings.Join([]string{
			"# Planning",
			"- [ ] draft the budget for spring",
			"- [ ] email the venue about parking",
			"?? who signs the contract",
			"Decision: we meet on Tuesdays",
		}, "\n")}).Expect(t, 200)

		rng := rand.New(rand.NewPCG(7, 11))
		words := strings.Fields("apple birch cedar delta ember fjord grove harbor island jasper kettle lagoon meadow nectar orchard prairie quartz river summit tundra umber valley willow xenon yarrow zephyr")
		fresh := 0
		newLine := func() string {
			fresh++
			w := words[fresh%len(words)] + " " + words[(fresh*7+3)%len(words)]
			switch fresh % 4 {
			case 1:
				return "?? what about " + w + fmt.Sprint(fresh)
			case 2:
				return "Decision: go with " + w + fmt.Sprint(fresh)
			}
			return "- [ ] prepare " + w + fmt.Sprint(fresh)
		}
		isItem := func(l string) bool {
			return strings.HasPrefix(l, "- [") || strings.HasPrefix(l, "??") || strings.HasPrefix(l, "Decision:")
		}
		for i := range 100 {
			dev, name := laptop, "laptop"
			if i%2 == 1 {
				dev, name = &phone, "phone"
			}
			var cur savedNote
			dev.Do("GET", path, nil).Expect(t, 200).JSON(t, &cur)
			body := cur.Body
			if dev == &phone {
				body = anyBlockID.ReplaceAllString(body, "")
				body = strings.ReplaceAll(body, " \n", "\n")
				body = strings.TrimRight(body, " ")
			}
			lines := strings.Split(body, "\n")
			var items []int
			for n, l := range lines {
				if isItem(l) {
					items = append(items, n)
				}
			}
			pick := items[rng.IntN(len(items))]
			switch op := rng.IntN(4); op {
			case 0: // add a line
				lines = append(lines, newLine())
			case 1: // tick or untick an action
				l := lines[pick]
				switch {
				case strings.HasPrefix(l, "- [ ]"):
					lines[pick] = "- [x]" + l[5:]
				case strings.HasPrefix(l, "- [x]"):
					lines[pick] = "- [ ]" + l[5:]
				}
			case 2: // retype: one more word
				l := lines[pick]
				id := ""
				if k := strings.LastIndex(l, " ^"); k >= 0 {
					l, id = l[:k], l[k:]
				}
				lines[pick] = l + " " + words[rng.IntN(len(words))] + id
			case 3: // move a line up
				other := items[rng.IntN(len(items))]
				lines[pick], lines[other] = lines[other], lines[pick]
			}
			res := dev.Do("PUT", path, map[string]any{"body": strings.Join(lines, "\n")})
			if res.Status != 200 {
				t.Fatalf("save %d from the %s: %d %s", i, name, res.Status, res.Body)
			}
		}

		var final savedNote
		laptop.Do("GET", path, nil).Expect(t, 200).JSON(t, &final)
		want := map[string]int{} // each item line's text, as the items hold it
		for _, l := range strings.Split(final.Body, "\n") {
			if !isItem(l) {
				continue
			}
			l = anyBlockID.ReplaceAllString(l, "")
			l = strings.TrimSpace(l)
			for _, p := range []string{"- [ ] ", "- [x] ", "?? ", "Decision: "} {
				l = strings.TrimPrefix(l, p)
			}
			want[l]++
		}
		var got meetingLines
		laptop.Do("GET", "/api/v1/meetings/"+m.ID, nil).Expect(t, 200).JSON(t, &got)
		have := map[string]int{}
		count := func(text string, inNote bool, status string) {
			have[text]++
			if !inNote || status == "dropped" {
				t.Errorf("item %q: in_note %v, status %q; its line is in the note", text, inNote, status)
			}
			if anyBlockID.MatchString(text) {
				t.Errorf("item text %q carries a block id", text)
			}
		}
		for _, it := range got.ActionItems {
			count(it.Title, it.InNote, it.Status)
		}
		for _, it := range got.Questions {
			count(it.Text, it.InNote, it.Status)
		}
		for _, it := range got.Decisions {
			count(it.Text, it.InNote, "")
		}
		if fmt.Sprint(have) != fmt.Sprint(want) {
			var extra []string
			for k, n := range have {
				if want[k] != n {
					extra = append(extra, fmt.Sprintf("%q: %d items, %d lines", k, n, want[k]))
				}
			}
			for k, n := range want {
				if _, ok := have[k]; !ok {
					extra = append(extra, fmt.Sprintf("%q: no item, %d lines", k, n))
				}
			}
			slices.Sort(extra)
			t.Errorf("items do not match the note's lines one to one:\n%s\nnote:\n%s", strings.Join(extra, "\n"), final.Body)
		}
		if len(want) < 20 {
			t.Errorf("the note ends with %d item lines; the run should have added more", len(want))
		}

		// A line gone closes its item whatever its kind: the phone deletes
		// the first question and decision lines (saving without ids).
		var cur savedNote
		phone.Do("GET", path, nil).Expect(t, 200).JSON(t, &cur)
		var kept []string
		var goneQ, goneD string
		for _, l := range strings.Split(anyBlockID.ReplaceAllString(cur.Body, ""), "\n") {
			l = strings.TrimRight(l, " ")
			switch {
			case goneQ == "" && strings.HasPrefix(l, "?? "):
				goneQ = strings.TrimPrefix(l, "?? ")
				continue
			case goneD == "" && strings.HasPrefix(l, "Decision: "):
				goneD = strings.TrimPrefix(l, "Decision: ")
				continue
			}
			kept = append(kept, l)
		}
		phone.Do("PUT", path, map[string]any{"body": strings.Join(kept, "\n")}).Expect(t, 200)
		var open struct {
			Items []struct{ Text, Status string } `json:"items"`
		}
		laptop.Do("GET", "/api/v1/questions?status=open&limit=200", nil).Expect(t, 200).JSON(t, &open)
		for _, q := range open.Items {
			if q.Text == goneQ {
				t.Errorf("question %q still open after its line was deleted", goneQ)
			}
		}
		var dropped struct {
			Items []struct{ Text string } `json:"items"`
		}
		laptop.Do("GET", "/api/v1/questions?status=dropped&limit=200", nil).Expect(t, 200).JSON(t, &dropped)
		if len(dropped.Items) != 1 || dropped.Items[0].Text != goneQ {
			t.Errorf("dropped questions = %+v, want the deleted %q", dropped.Items, goneQ)
		}
		var current struct {
			Items []struct{ Text string } `json:"items"`
		}
		laptop.Do("GET", "/api/v1/decisions?current=true&limit=200", nil).Expect(t, 200).JSON(t, &current)
		for _, d := range current.Items {
			if d.Text == goneD {
				t.Errorf("decision %q still current after its line was deleted", goneD)
			}
		}
		if len(current.Items) != countPrefix(final.Body, "Decision: ")-1 {
			t.Errorf("%d current decisions, want %d (the note's decision lines)", len(current.Items), countPrefix(final.Body, "Decision: ")-1)
		}

		// What people read carries no block ids.
		md := laptop.Do("GET", "/api/v1/meetings/"+m.ID+"/export.md", nil).Expect(t, 200)
		if anyBlockID.Match(md.Body) {
			t.Errorf("export.md shows block ids:\n%s", md.Body)
		}
	})
}

// countPrefix counts a body's lines that start with prefix.
func countPrefix(body, prefix string) int {
	n := 0
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}
