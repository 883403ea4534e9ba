package httpapi_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/testutil"
)

type savedNote struct {
	Body               string   `json:"body"`
	Version            int      `json:"version"`
	UnresolvedMentions []string `json:"unresolved_mentions"`
}

type pageItems struct {
	ActionItems []struct {
		ID     string `json:"id"`
		Title  string `json:"title"`
		Status string `json:"status"`
		Owner  *struct {
			Email string `json:"email"`
		} `json:"owner"`
		DueAt *time.Time `json:"due_at"`
	} `json:"action_items"`
	Decisions []struct {
		ID     string `json:"id"`
		Text   string `json:"text"`
		People []struct {
			Email string `json:"email"`
		} `json:"people"`
	} `json:"decisions"`
	Questions []struct {
		ID     string `json:"id"`
		Text   string `json:"text"`
		Status string `json:"status"`
	} `json:"questions"`
}

var blockIDAtEnd = regexp.MustCompile(` \^[a-z0-9]{4}$`)

// TestNoteCapture: saving a note turns its lines into items, in step with
// every later edit, and never duplicates them.
func TestNoteCapture(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP) // Europe/Berlin
		m := createMeeting(t, c, map[string]any{"title": "Vendor review", "starts_at": "2026-12-01T10:00:00Z",
			"attendees": []map[string]any{{"email": "alice@acme.com", "name": "Alice Liddell"}, {"email": "bob@acme.com", "name": "Bob Stone"}}})
		// Someone met elsewhere can be mentioned too.
		createMeeting(t, c, map[string]any{"title": "Other", "starts_at": "2026-11-01T10:00:00Z",
			"attendees": []map[string]any{{"email": "carol@globex.com", "name": "Carol Danvers"}}})
		path := "/api/v1/meetings/" + m.ID + "/note"
		body := strings.Join([]string{
			"# Vendor review",
			"!! @alice send the deck by friday",
			"- [ ] review contract due:2026-12-10",
			"- [x] booked the room",
			"?? does legal need to review?",
			"Decision: we go with vendor B with @Bob Stone and @carol",
			"@nobody said hi",
			"```",
			"!! not an item",
			"```",
		}, "\n")
		var s1 savedNote
		c.Do("PUT", path, map[string]any{"body": body}).Expect(t, 200).JSON(t, &s1)
		lines := strings.Split(s1.Body, "\n")
		for _, i := range []int{1, 2, 3, 4, 5} {
			if !blockIDAtEnd.MatchString(lines[i]) {
				t.Errorf("line %d has no block id: %q", i, lines[i])
			}
		}
		for _, i := range []int{0, 6, 8} {
			if strings.Contains(lines[i], "^") {
				t.Errorf("line %d got a block id: %q", i, lines[i])
			}
		}
		if fmt.Sprint(s1.UnresolvedMentions) != "[@nobody]" {
			t.Errorf("unresolved = %v, want [@nobody]", s1.UnresolvedMentions)
		}
		var p pageItems
		c.Do("GET", "/api/v1/meetings/"+m.ID, nil).Expect(t, 200).JSON(t, &p)
		if len(p.ActionItems) != 3 || len(p.Questions) != 1 || len(p.Decisions) != 1 {
			t.Fatalf("extracted %d actions, %d questions, %d decisions; want 3, 1, 1", len(p.ActionItems), len(p.Questions), len(p.Decisions))
		}
		deck, contract, room := p.ActionItems[0], p.ActionItems[1], p.ActionItems[2]
		berlin, _ := time.LoadLocation("Europe/Berlin")
		if deck.Owner == nil || deck.Owner.Email != "alice@acme.com" || deck.DueAt == nil || deck.DueAt.In(berlin).Weekday() != time.Friday ||
			deck.DueAt.In(berlin).Hour() != 0 || deck.DueAt.In(berlin).Format(time.DateOnly) != "2026-12-04" {
			// "by friday" in the notes of a past meeting: the Friday after it.
			t.Errorf("deck item: %+v (due %v)", deck, deck.DueAt)
		}
		if contract.Owner != nil || contract.DueAt == nil || contract.DueAt.In(berlin).Format(time.DateOnly) != "2026-12-10" || contract.Status != "open" {
			t.Errorf("contract item: %+v", contract)
		}
		if room.Status != "done" {
			t.Errorf("booked room: %+v", room)
		}
		var people []string
		for _, pp := range p.Decisions[0].People {
			people = append(people, pp.Email)
		}
		slices.Sort(people)
		if fmt.Sprint(people) != "[bob@acme.com carol@globex.com]" {
			t.Errorf("decision people = %v", people)
		}

		// The meeting exports as Markdown with what was captured.
		md := c.Do("GET", "/api/v1/meetings/"+m.ID+"/export.md", nil).Expect(t, 200)
		if ct := md.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/markdown") {
			t.Errorf("export content type %q", ct)
		}
		for _, want := range []string{"# Vendor review", "Tuesday, 1 December 2026, 11:00–11:00 (Europe/Berlin)", "- Alice Liddell <alice@acme.com>",
			"## Notes", "## Decisions\n\n- we go with vendor B with @Bob Stone and @carol",
			"- [ ] send the deck — Alice Liddell, due ", "- [ ] review contract — me, due 2026-12-10",
			"- [x] booked the room — me", "## Open questions\n\n- does legal need to review?"} {
			if !strings.Contains(string(md.Body), want) {
				t.Errorf("export lacks %q:\n%s", want, md.Body)
			}
		}

		// Saving the same text again changes nothing.
		var s2 savedNote
		c.Do("PUT", path, map[string]any{"body": s1.Body}).Expect(t, 200).JSON(t, &s2)
		if s2.Body != s1.Body {
			t.Errorf("re-save rewrote the body:\n%s", s2.Body)
		}
		var p2 pageItems
		c.Do("GET", "/api/v1/meetings/"+m.ID, nil).Expect(t, 200).JSON(t, &p2)
		if len(p2.ActionItems) != 3 || p2.ActionItems[0].ID != deck.ID {
			t.Errorf("re-save changed items: %+v", p2.ActionItems)
		}

		// Edit a line, reorder, delete others, add a new one.
		edited := strings.Replace(lines[1], "send the deck", "send the final deck", 1)
		newBody := strings.Join([]string{lines[0], lines[4], edited, "!! brand new item", lines[6]}, "\n")
		var s3 savedNote
		c.Do("PUT", path, map[string]any{"body": newBody}).Expect(t, 200).JSON(t, &s3)
		var p3 pageItems
		c.Do("GET", "/api/v1/meetings/"+m.ID, nil).Expect(t, 200).JSON(t, &p3)
		status := map[string]string{}
		titles := map[string]string{}
		for _, it := range p3.ActionItems {
			status[it.ID], titles[it.ID] = it.Status, it.Title
		}
		if titles[deck.ID] != "send the final deck" || status[deck.ID] != "open" {
			t.Errorf("edited line did not update its item: %+v", p3.ActionItems)
		}
		if status[contract.ID] != "dropped" {
			t.Errorf("deleted open item is %q, want dropped", status[contract.ID])
		}
		if status[room.ID] != "done" {
			t.Errorf("deleted done item is %q, want still done", status[room.ID])
		}
		if len(p3.ActionItems) != 4 || len(p3.Questions) != 1 || len(p3.Decisions) != 1 {
			t.Errorf("after edit: %d actions, %d questions, %d decisions; want 4 (one new), 1, 1 (kept)", len(p3.ActionItems), len(p3.Questions), len(p3.Decisions))
		}
		var detached int
		if err := a.DB.SQL.QueryRowContext(context.Background(), "SELECT count(*) FROM decisions WHERE detached_at IS NOT NULL").Scan(&detached); err != nil || detached != 1 {
			t.Errorf("deleted decision not marked as out of the note: %d %v", detached, err)
		}
		var flags struct {
			ActionItems []struct {
				ID     string `json:"id"`
				InNote bool   `json:"in_note"`
			} `json:"action_items"`
			Decisions []struct {
				InNote bool `json:"in_note"`
			} `json:"decisions"`
		}
		c.Do("GET", "/api/v1/meetings/"+m.ID, nil).Expect(t, 200).JSON(t, &flags)
		for _, it := range flags.ActionItems {
			if want := it.ID == deck.ID || (it.ID != contract.ID && it.ID != room.ID); it.InNote != want {
				t.Errorf("item %s in_note = %v, want %v", it.ID, it.InNote, want)
			}
		}
		if flags.Decisions[0].InNote {
			t.Error("deleted decision still in_note")
		}
		// Putting the deleted line back (with its id) brings its item back.
		back := newBody + "\n" + lines[2]
		c.Do("PUT", path, map[string]any{"body": back}).Expect(t, 200)
		var p4 pageItems
		c.Do("GET", "/api/v1/meetings/"+m.ID, nil).Expect(t, 200).JSON(t, &p4)
		for _, it := range p4.ActionItems {
			if it.ID == contract.ID && it.Status != "open" {
				t.Errorf("re-added line: item is %q, want open", it.Status)
			}
		}

		// Concurrent saves from two clients (no precondition): the note ends
		// as one of them, and its items are exactly its lines.
		other := *c
		var wg sync.WaitGroup
		for i := 0; i < 6; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				cl := c
				if i%2 == 1 {
					cl = &other
				}
				res := cl.Do("PUT", path, map[string]any{"body": fmt.Sprintf("!! task from writer %d\n?? question %d", i, i)})
				if res.Status != 200 {
					t.Errorf("concurrent save: %d %s", res.Status, res.Body)
				}
			}(i)
		}
		wg.Wait()
		var final struct{ Body string }
		c.Do("GET", path, nil).Expect(t, 200).JSON(t, &final)
		var open pageItems
		c.Do("GET", "/api/v1/meetings/"+m.ID, nil).Expect(t, 200).JSON(t, &open)
		openActions := 0
		for _, it := range open.ActionItems {
			if it.Status == "open" {
				openActions++
				if !strings.Contains(final.Body, it.Title) {
					t.Errorf("open item %q is not in the final note %q", it.Title, final.Body)
				}
			}
		}
		if openActions != 1 {
			t.Errorf("%d open action items after concurrent saves, want 1 (the final note's line)", openActions)
		}
	})
}

// TestPersonNoteCapture: a note on a person extracts items with no meeting.
func TestPersonNoteCapture(t *testing.T) {
	a := testutil.NewApp(t, testutil.SQLite)
	c := testutil.SignUp(t, a.HTTP)
	m := createMeeting(t, c, map[string]any{"title": "1:1", "starts_at": "2026-12-01T10:00:00Z",
		"attendees": []map[string]any{{"email": "dana@acme.com", "name": "Dana Scully"}}})
	pid := m.Attendees[0].PersonID
	var s savedNote
	c.Do("PUT", "/api/v1/people/"+pid+"/note", map[string]any{"body": "- [ ] ask @dana about her goals\n- [ ] @dana: send her self-review\n?? promotion timeline\nDecision: monthly check-ins"}).Expect(t, 200).JSON(t, &s)
	if len(s.UnresolvedMentions) != 0 {
		t.Errorf("unresolved: %v", s.UnresolvedMentions)
	}
	type ref struct {
		PersonID string `json:"person_id"`
	}
	var items page[struct {
		Title     string  `json:"title"`
		MeetingID *string `json:"meeting_id"`
		PersonID  *string `json:"person_id"`
		Owner     *ref    `json:"owner"`
	}]
	c.Do("GET", "/api/v1/action-items", nil).Expect(t, 200).JSON(t, &items)
	// Both items are Dana's topics; the one that starts with her is hers to do.
	if len(items.Items) != 2 {
		t.Fatalf("person-note items: %+v", items.Items)
	}
	for _, it := range items.Items {
		if it.MeetingID != nil || it.PersonID == nil || *it.PersonID != pid {
			t.Errorf("person-note item %q: meeting %v, person %v; want Dana's note", it.Title, it.MeetingID, it.PersonID)
		}
	}
	if a, b := items.Items[0], items.Items[1]; a.Owner != nil || b.Owner == nil || b.Owner.PersonID != pid || b.Title != "send her self-review" {
		t.Errorf("owners: %+v %+v", a, b)
	}
	var qs page[struct {
		PersonID *string `json:"person_id"`
	}]
	c.Do("GET", "/api/v1/questions", nil).Expect(t, 200).JSON(t, &qs)
	var ds page[struct {
		PersonID *string `json:"person_id"`
	}]
	c.Do("GET", "/api/v1/decisions", nil).Expect(t, 200).JSON(t, &ds)
	if len(qs.Items) != 1 || qs.Items[0].PersonID == nil || *qs.Items[0].PersonID != pid || len(ds.Items) != 1 || ds.Items[0].PersonID == nil {
		t.Errorf("the question and decision of Dana's note: %+v %+v", qs.Items, ds.Items)
	}
	// What I owe from Dana's note is grouped under Dana.
	var g struct {
		Groups []struct {
			Person *ref `json:"person"`
			Items  []struct{ Title string }
		} `json:"groups"`
	}
	c.Do("GET", "/api/v1/action-items?view=i_owe", nil).Expect(t, 200).JSON(t, &g)
	if len(g.Groups) != 1 || g.Groups[0].Person == nil || g.Groups[0].Person.PersonID != pid {
		t.Errorf("i_owe groups: %+v", g.Groups)
	}
}

// TestTwoWaySync: completing, reopening, retitling or dropping an action
// item through the API rewrites its line and bumps the note's version.
func TestTwoWaySync(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		m := createMeeting(t, c, map[string]any{"title": "Sync", "starts_at": "2026-12-01T10:00:00Z"})
		path := "/api/v1/meetings/" + m.ID + "/note"
		var s savedNote
		c.Do("PUT", path, map[string]any{"body": "Intro\n- [ ] write summary\n!! call the vendor\n!! obsolete task"}).Expect(t, 200).JSON(t, &s)
		var p pageItems
		c.Do("GET", "/api/v1/meetings/"+m.ID, nil).Expect(t, 200).JSON(t, &p)
		summary, vendor, obsolete := p.ActionItems[0], p.ActionItems[1], p.ActionItems[2]
		lines := strings.Split(s.Body, "\n")
		id := func(l string) string { return l[strings.LastIndex(l, "^")+1:] }

		noteNow := func() (string, string) {
			res := c.Do("GET", path, nil).Expect(t, 200)
			var n struct{ Body string }
			res.JSON(t, &n)
			return n.Body, res.Header.Get("ETag")
		}
		c.Do("PATCH", "/api/v1/action-items/"+summary.ID, map[string]any{"status": "done"}).Expect(t, 200)
		body, tag := noteNow()
		if !strings.Contains(body, "- [x] write summary ^"+id(lines[1])) || tag != `"2"` {
			t.Errorf("after completing: %s %q", tag, body)
		}
		// A client holding the old version is told to reload.
		c.Do("PUT", path, map[string]any{"body": s.Body}, `If-Match: "1"`).Expect(t, 412)

		c.Do("PATCH", "/api/v1/action-items/"+vendor.ID, map[string]any{"status": "done", "title": "call the vendor back"}).Expect(t, 200)
		body, _ = noteNow()
		if !strings.Contains(body, "- [x] call the vendor back ^"+id(lines[2])) {
			t.Errorf("after completing a !! line with a new title: %q", body)
		}
		c.Do("PATCH", "/api/v1/action-items/"+summary.ID, map[string]any{"status": "open"}).Expect(t, 200)
		c.Do("PATCH", "/api/v1/action-items/"+obsolete.ID, map[string]any{"status": "dropped"}).Expect(t, 200)
		body, tag = noteNow()
		if !strings.Contains(body, "- [ ] write summary ^") || strings.Contains(body, "obsolete") || tag != `"5"` {
			t.Errorf("after reopening and dropping: %s %q", tag, body)
		}
		// Saving the synced note keeps every item as the API left it.
		c.Do("PUT", path, map[string]any{"body": body}, "If-Match: "+tag).Expect(t, 200)
		var after pageItems
		c.Do("GET", "/api/v1/meetings/"+m.ID, nil).Expect(t, 200).JSON(t, &after)
		got := map[string]string{}
		for _, it := range after.ActionItems {
			got[it.ID] = it.Status + " " + it.Title
		}
		want := map[string]string{summary.ID: "open write summary", vendor.ID: "done call the vendor back", obsolete.ID: "dropped obsolete task"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("items after saving the synced note:\n got %v\nwant %v", got, want)
		}
		// Changing only the due date of an item no longer in the note leaves
		// the note alone.
		_, before := noteNow()
		c.Do("PATCH", "/api/v1/action-items/"+obsolete.ID, map[string]any{"due_at": "2026-12-24"}).Expect(t, 200)
		if _, tag := noteNow(); tag != before {
			t.Errorf("a due-date change of a dropped item bumped the note: %s → %s", before, tag)
		}
	})
}

// TestOwnerAndDueWriteBack: changing an action item's owner or due date
// through the API writes them into its note line, so the next save of the
// note keeps them instead of reading the old ones back.
func TestOwnerAndDueWriteBack(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		m := createMeeting(t, c, map[string]any{"title": "Plan", "starts_at": "2026-12-01T10:00:00Z",
			"attendees": []map[string]any{{"email": "bob@acme.com", "name": "Bob Stone"}, {"email": "carol@acme.com", "name": "Carol Danvers"},
				{"email": "dana1@acme.com", "name": "Dana Scully"}, {"email": "dana2@acme.com", "name": "Dana Scully"}}})
		path := "/api/v1/meetings/" + m.ID + "/note"
		c.Do("PUT", path, map[string]any{"body": "!! @Bob Stone send the deck by 2026-12-04, cc @nobody\n- [ ] book the room"}).Expect(t, 200)
		var p pageItems
		c.Do("GET", "/api/v1/meetings/"+m.ID, nil).Expect(t, 200).JSON(t, &p)
		deck, room := p.ActionItems[0], p.ActionItems[1]
		if deck.Owner == nil || deck.Owner.Email != "bob@acme.com" {
			t.Fatalf("deck owner before: %+v", deck.Owner)
		}
		var people page[struct {
			ID    string `json:"id"`
			Email string `json:"email"`
		}]
		c.Do("GET", "/api/v1/people?limit=50", nil).Expect(t, 200).JSON(t, &people)
		ids := map[string]string{}
		for _, p := range people.Items {
			ids[p.Email] = p.ID
		}
		line := func(body, id string) string {
			for _, l := range strings.Split(body, "\n") {
				if strings.Contains(l, id) {
					return l
				}
			}
			return ""
		}
		noteNow := func() (string, string) {
			res := c.Do("GET", path, nil).Expect(t, 200)
			var n struct{ Body string }
			res.JSON(t, &n)
			return n.Body, res.Header.Get("ETag")
		}
		body, _ := noteNow()
		deckBlock := line(body, "send the deck")[strings.LastIndex(line(body, "send the deck"), "^"):]
		roomBlock := line(body, "book the room")[strings.LastIndex(line(body, "book the room"), "^"):]

		steps := []struct {
			name, item string
			patch      map[string]any
			line       string // the item's line afterwards
			title      string // its title afterwards
			owner      string // its owner's address ("" = me)
			due        string // its due date ("" = none)
		}{
			{"new owner by name", deck.ID, map[string]any{"owner_id": ids["carol@acme.com"]},
				"!! @Carol Danvers send the deck by 2026-12-04, cc @nobody " + deckBlock, "send the deck, cc @nobody", "carol@acme.com", "2026-12-03T23:00:00Z"},
			{"new due date, a day later in the user's zone than in UTC", deck.ID, map[string]any{"due_at": "2026-12-24T23:30:00Z"},
				"!! @Carol Danvers send the deck due:2026-12-25, cc @nobody " + deckBlock, "send the deck, cc @nobody", "carol@acme.com", "2026-12-24T23:00:00Z"},
			{"owner whose name is ambiguous is named by address", deck.ID, map[string]any{"owner_id": ids["dana2@acme.com"]},
				"!! @dana2@acme.com send the deck due:2026-12-25, cc @nobody " + deckBlock, "send the deck, cc @nobody", "dana2@acme.com", "2026-12-24T23:00:00Z"},
			{"back to me, due date cleared", deck.ID, map[string]any{"owner_id": nil, "due_at": nil},
				"!! send the deck, cc @nobody " + deckBlock, "send the deck, cc @nobody", "", ""},
			{"an owner for a line without mentions", room.ID, map[string]any{"owner_id": ids["bob@acme.com"], "due_at": "2026-12-10"},
				"- [ ] @Bob Stone book the room due:2026-12-10 " + roomBlock, "book the room", "bob@acme.com", "2026-12-09T23:00:00Z"},
			{"new words keep the owner and the due date", room.ID, map[string]any{"title": "book the big room"},
				"- [ ] @Bob Stone book the big room due:2026-12-10 " + roomBlock, "book the big room", "bob@acme.com", "2026-12-09T23:00:00Z"},
		}
		for _, st := range steps {
			_, before := noteNow()
			c.Do("PATCH", "/api/v1/action-items/"+st.item, st.patch).Expect(t, 200)
			body, tag := noteNow()
			if got := line(body, st.line[len(st.line)-len(deckBlock):]); got != st.line {
				t.Errorf("%s: line is\n %q\nwant\n %q", st.name, got, st.line)
			}
			if tag == before {
				t.Errorf("%s: the note's version did not change (%s)", st.name, tag)
			}
			// Saving the note as it now reads keeps the item as the API left it.
			c.Do("PUT", path, map[string]any{"body": body}, "If-Match: "+tag).Expect(t, 200)
			var after pageItems
			c.Do("GET", "/api/v1/meetings/"+m.ID, nil).Expect(t, 200).JSON(t, &after)
			for _, it := range after.ActionItems {
				if it.ID != st.item {
					continue
				}
				owner, due := "", ""
				if it.Owner != nil {
					owner = it.Owner.Email
				}
				if it.DueAt != nil {
					due = it.DueAt.UTC().Format(time.RFC3339)
				}
				if owner != st.owner || due != st.due || it.Title != st.title {
					t.Errorf("%s: after saving the note the item is owner %q due %q title %q; want %q %q %q", st.name, owner, due, it.Title, st.owner, st.due, st.title)
				}
			}
		}
	})
}

func TestLargeNotes(t *testing.T) {
	a := testutil.NewApp(t, testutil.SQLite)
	c := testutil.SignUp(t, a.HTTP)
	m := createMeeting(t, c, map[string]any{"title": "Big", "starts_at": "2026-12-01T10:00:00Z"})
	path := "/api/v1/meetings/" + m.ID + "/note"
	var sb strings.Builder
	for i := 0; i < 1990; i++ {
		fmt.Fprintf(&sb, "!! task %d for @someone by friday\n", i)
	}
	for i := 0; i < 8000; i++ {
		fmt.Fprintf(&sb, "plain line %d with ?? and !! inside and `code` and @mention\n", i)
	}
	var s savedNote
	c.Do("PUT", path, map[string]any{"body": sb.String()}).Expect(t, 200).JSON(t, &s)
	if strings.Count(s.Body, " ^") != 1990 || len(s.UnresolvedMentions) != 2 {
		t.Errorf("big note: %d block ids, unresolved %v", strings.Count(s.Body, " ^"), s.UnresolvedMentions)
	}
	var items page[struct{ ID string }]
	c.Do("GET", "/api/v1/action-items?limit=200&meeting_id="+m.ID, nil).Expect(t, 200).JSON(t, &items)
	if len(items.Items) != 200 || items.NextCursor == nil {
		t.Errorf("expected a full first page of the note's 1990 items, got %d", len(items.Items))
	}
	// Over the item limit: refused with a reason, nothing changed.
	res := c.Do("PUT", path, map[string]any{"body": strings.Repeat("?? why\n", 2001)}).Expect(t, 400)
	if !strings.Contains(string(res.Body), "at most 2000") {
		t.Errorf("over-limit note: %s", res.Body)
	}
	var n struct{ Version int }
	c.Do("GET", path, nil).Expect(t, 200).JSON(t, &n)
	if n.Version != 1 {
		t.Errorf("refused save changed the note: version %d", n.Version)
	}
}

// TestMentionsByName: outside the meeting's attendees a mention is matched
// against the names of everyone met before, whatever their case, and a
// handle's "_" or a name's "%" is a character, not a pattern.
func TestMentionsByName(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		createMeeting(t, c, map[string]any{"title": "earlier", "starts_at": "2026-11-01T10:00:00Z", "attendees": []map[string]any{
			{"email": "am@acme.com", "name": "Ann_Marie Lee"}, {"email": "ax@acme.com", "name": "AnnXMarie Roe"},
			{"email": "pc@acme.com", "name": "100% Pat"}, {"email": "zoe@acme.com", "name": "Zoë Quinn"}}})
		m := createMeeting(t, c, map[string]any{"title": "now", "starts_at": "2026-12-01T10:00:00Z"})
		var s savedNote
		c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "!! @ann_marie sends the deck\n!! @ANNXMARIE reviews it\n!! @ZOË books the room\n!! @ann_ signs\n"}).
			Expect(t, 200).JSON(t, &s)
		var items page[struct {
			Title string `json:"title"`
			Owner *struct {
				Email string `json:"email"`
			} `json:"owner"`
		}]
		c.Do("GET", "/api/v1/action-items?meeting_id="+m.ID, nil).Expect(t, 200).JSON(t, &items)
		owners := map[string]string{}
		for _, it := range items.Items {
			if it.Owner != nil {
				owners[it.Title] = it.Owner.Email
			}
		}
		// The owner a line starts with leaves the title.
		want := map[string]string{"sends the deck": "am@acme.com", "reviews it": "ax@acme.com", "books the room": "zoe@acme.com"}
		for title, email := range want {
			if owners[title] != email {
				t.Errorf("%q owned by %q, want %q (all: %v)", title, owners[title], email, owners)
			}
		}
		if owners["@ann_ signs"] != "" || !slices.Contains(s.UnresolvedMentions, "@ann_") {
			t.Errorf("@ann_ matched %q (unresolved %v)", owners["@ann_ signs"], s.UnresolvedMentions)
		}
		// The names read for one save are kept, but not past a change: a
		// person met since, or renamed since, is found by the next save.
		other := createMeeting(t, c, map[string]any{"title": "other", "starts_at": "2026-12-02T10:00:00Z"})
		note := func(body string) savedNote {
			var s savedNote
			c.Do("PUT", "/api/v1/meetings/"+other.ID+"/note", map[string]any{"body": body}).Expect(t, 200).JSON(t, &s)
			return s
		}
		if s := note("!! @zed plans it\n"); !slices.Contains(s.UnresolvedMentions, "@zed") {
			t.Fatalf("@zed resolved before anyone is called Zed: %v", s.UnresolvedMentions)
		}
		met := createMeeting(t, c, map[string]any{"title": "later", "starts_at": "2026-11-02T10:00:00Z",
			"attendees": []map[string]any{{"email": "z1@acme.com", "name": "Zed Alpha"}}})
		if s := note("!! @zed plans it\n"); len(s.UnresolvedMentions) != 0 {
			t.Errorf("@zed after meeting Zed Alpha: unresolved %v", s.UnresolvedMentions)
		}
		c.Do("PATCH", "/api/v1/people/"+met.Attendees[0].PersonID, map[string]any{"name": "Yan Alpha"}).Expect(t, 200)
		if s := note("!! @yan plans it\n"); len(s.UnresolvedMentions) != 0 {
			t.Errorf("@yan after the rename: unresolved %v", s.UnresolvedMentions)
		}
	})
}

// TestLineOwner: the owner of an action item is the person its line starts
// with or names with owner:, else the writer; a mention elsewhere does not
// make its person the owner, and mentioning oneself is the writer.
func TestLineOwner(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		me := c.Do("GET", "/api/v1/me", nil).Expect(t, 200).Map(t)
		email := me["email"].(string)
		m := createMeeting(t, c, map[string]any{"title": "Sync", "starts_at": "2026-12-01T10:00:00Z",
			"attendees": []map[string]any{{"email": "anna@acme.com", "name": "Anna Berg"}, {"email": email, "name": "Lena Vogt"}}})
		c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": strings.Join([]string{
			"!! follow up with @Anna",
			"!! @anna: send the minutes",
			"!! email the draft owner:@anna by 2026-12-09",
			"!! @me renew the domain",
			"!! @Lena Vogt book the flights",
			"- [ ] @nobody knows this",
		}, "\n")}).Expect(t, 200)
		var items page[struct {
			Title string `json:"title"`
			Owner *struct {
				Email string `json:"email"`
			} `json:"owner"`
		}]
		c.Do("GET", "/api/v1/action-items?meeting_id="+m.ID, nil).Expect(t, 200).JSON(t, &items)
		var got []string
		for _, it := range items.Items {
			owner := "me"
			if it.Owner != nil {
				owner = it.Owner.Email
			}
			got = append(got, it.Title+" — "+owner)
		}
		want := []string{
			"follow up with @Anna — me",
			"send the minutes — anna@acme.com",
			"email the draft — anna@acme.com",
			"renew the domain — me",
			"book the flights — me",
			"@nobody knows this — me",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("items:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// TestDueWarnings: a due phrase that is no date comes back as a warning on
// the save (the item is kept, without a due date); relative dates in the
// notes of a past meeting count from its day.
func TestDueWarnings(t *testing.T) {
	a := testutil.NewApp(t, testutil.SQLite)
	c := testutil.SignUp(t, a.HTTP)                                                                   // Europe/Berlin
	m := createMeeting(t, c, map[string]any{"title": "Finance", "starts_at": "2026-11-03T10:00:00Z"}) // a Tuesday
	var s struct {
		Warnings []struct {
			Line    int    `json:"line"`
			Text    string `json:"text"`
			Message string `json:"message"`
		} `json:"warnings"`
	}
	c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": strings.Join([]string{
		"# Finance",
		"!! pay the invoice due:someday",
		"!! file the report by 31.02.",
		"!! send the numbers in 2 days",
		"!! close the books end of month",
		"!! call the bank by next friday",
	}, "\n")}).Expect(t, 200).JSON(t, &s)
	if len(s.Warnings) != 2 || s.Warnings[0].Line != 2 || s.Warnings[0].Text != "due:someday" || s.Warnings[1].Line != 3 ||
		s.Warnings[1].Text != "by 31.02." || !strings.Contains(s.Warnings[1].Message, "no due date") {
		t.Errorf("warnings: %+v", s.Warnings)
	}
	var items page[struct {
		Title string     `json:"title"`
		DueAt *time.Time `json:"due_at"`
	}]
	c.Do("GET", "/api/v1/action-items?meeting_id="+m.ID, nil).Expect(t, 200).JSON(t, &items)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	var got []string
	for _, it := range items.Items {
		due := "-"
		if it.DueAt != nil {
			due = it.DueAt.In(berlin).Format(time.DateOnly)
		}
		got = append(got, it.Title+" "+due)
	}
	want := "pay the invoice due:someday -|file the report by 31.02. -|send the numbers 2026-11-05|close the books 2026-11-30|call the bank 2026-11-13"
	if strings.Join(got, "|") != want {
		t.Errorf("items:\n%s\nwant\n%s", strings.Join(got, "|"), want)
	}
}

// TestAnswers: a line `A: …` or `-> …` under a `??` answers it (taking the
// line away opens it again), and an answer given through the API is
// written under the question's line.
func TestAnswers(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		m := createMeeting(t, c, map[string]any{"title": "Legal", "starts_at": "2026-12-01T10:00:00Z"})
		path := "/api/v1/meetings/" + m.ID + "/note"
		var s savedNote
		c.Do("PUT", path, map[string]any{"body": "?? who signs the contract\nA: Priya, on Monday\n?? is the budget approved\n?? which vendor"}).Expect(t, 200).JSON(t, &s)
		type q struct {
			ID, Text, Status string
			Answer           *string
			AnsweredAt       *time.Time `json:"answered_at"`
		}
		list := func() map[string]q {
			var qs page[q]
			c.Do("GET", "/api/v1/questions?meeting_id="+m.ID, nil).Expect(t, 200).JSON(t, &qs)
			out := map[string]q{}
			for _, x := range qs.Items {
				out[x.Text] = x
			}
			return out
		}
		got := list()
		if w := got["who signs the contract"]; w.Status != "answered" || w.Answer == nil || *w.Answer != "Priya, on Monday" || w.AnsweredAt == nil {
			t.Errorf("answered by its line: %+v", w)
		}
		if o := got["is the budget approved"]; o.Status != "open" || o.Answer != nil {
			t.Errorf("unanswered: %+v", o)
		}
		// The API answers the budget question: the note says so under it.
		var budget q
		c.Do("PATCH", "/api/v1/questions/"+got["is the budget approved"].ID, map[string]any{"answer": "yes, 40k"}).Expect(t, 200).JSON(t, &budget)
		if budget.Status != "answered" || budget.Answer == nil || *budget.Answer != "yes, 40k" {
			t.Errorf("answered through the API: %+v", budget)
		}
		var n savedNote
		c.Do("GET", path, nil).Expect(t, 200).JSON(t, &n)
		lines := strings.Split(n.Body, "\n")
		if len(lines) != 5 || !strings.HasPrefix(lines[2], "?? is the budget approved") || lines[3] != "A: yes, 40k" {
			t.Fatalf("note after the API's answer:\n%s", n.Body)
		}
		// Saving that note keeps it answered; an arrow answers too; taking
		// the first answer line away opens its question again.
		body := strings.Join([]string{lines[0], lines[2], lines[3], lines[4], "-> vendor B"}, "\n")
		c.Do("PUT", path, map[string]any{"body": body}, "If-Match: "+fmt.Sprint(n.Version)).Expect(t, 200)
		got = list()
		if w := got["who signs the contract"]; w.Status != "open" || w.Answer != nil {
			t.Errorf("answer line removed: %+v", w)
		}
		if b := got["is the budget approved"]; b.Status != "answered" || b.Answer == nil || *b.Answer != "yes, 40k" {
			t.Errorf("kept: %+v", b)
		}
		if v := got["which vendor"]; v.Status != "answered" || v.Answer == nil || *v.Answer != "vendor B" {
			t.Errorf("arrow answer: %+v", v)
		}
		// Taking the answer back through the API removes its line.
		c.Do("PATCH", "/api/v1/questions/"+got["which vendor"].ID, map[string]any{"answer": nil}).Expect(t, 200)
		c.Do("GET", path, nil).Expect(t, 200).JSON(t, &n)
		if strings.Contains(n.Body, "vendor B") || list()["which vendor"].Status != "open" {
			t.Errorf("answer taken back: %q %+v", n.Body, list()["which vendor"])
		}
		c.Do("PATCH", "/api/v1/questions/"+got["which vendor"].ID, map[string]any{"answer": strings.Repeat("x", 2001)}).Expect(t, 400)
	})
}
