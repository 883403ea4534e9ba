package httpapi_test

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/search"
	"github.com/debrief-hq/debrief/internal/search/bleve"
	"github.com/debrief-hq/debrief/internal/testutil"
)

// TestSearchDocuments: the graph, made through the API, indexed from the
// store's documents into bleve, is found by what people would type.
func TestSearchDocuments(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		other := testutil.SignUp(t, a.HTTP)
		m := createMeeting(t, c, map[string]any{"title": "Pricing review", "starts_at": "2026-03-02T10:00:00Z", "description": "Quarterly numbers",
			"attendees": []map[string]any{{"email": "ada@acme.com", "name": "Ada Lovelace"}, {"email": "bo@globex.com", "name": "Bo Chen"}}})
		c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "We went through the price list.\n" +
			"Decision: postpone the price increase to Q3\n!! @ada@acme.com send the revised list\n?? who owns the pricing page"}).Expect(t, 200)
		c.Do("POST", "/api/v1/action-items", map[string]any{"title": "Renew the office lease"}).Expect(t, 201)
		createMeeting(t, other, map[string]any{"title": "Pricing review", "starts_at": "2026-03-02T10:00:00Z"})

		var me struct {
			ID string `json:"id"`
		}
		c.Do("GET", "/api/v1/me", nil).Expect(t, 200).JSON(t, &me)
		idx, err := bleve.Open(filepath.Join(t.TempDir(), "index"))
		if err != nil {
			t.Fatal(err)
		}
		defer idx.Close()
		ctx := context.Background()
		n := 0
		if err := a.Store.SearchDocuments(ctx, me.ID, func(docs []search.Document) error {
			for _, d := range docs {
				if d.Owner != me.ID {
					t.Errorf("document %s of owner %s", d.ID, d.Owner)
				}
			}
			n += len(docs)
			return idx.Put(ctx, docs...)
		}); err != nil {
			t.Fatal(err)
		}
		// The meeting, its note, the decision, two items, the question and
		// the two people.
		if n != 8 {
			t.Errorf("%d documents", n)
		}
		find := func(q string) []string {
			t.Helper()
			parsed, err := search.ParseQuery(q, time.UTC)
			if err != nil {
				t.Fatal(err)
			}
			if err := search.Resolve(ctx, idx, a.Store, me.ID, &parsed); err != nil {
				t.Fatal(err)
			}
			res, err := idx.Search(ctx, me.ID, parsed, search.Page{Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, h := range res.Hits {
				out = append(out, h.Type)
			}
			slices.Sort(out)
			return out
		}
		// A meeting's documents as they are now, after an edit; none once
		// it is deleted.
		c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "Decision: raise prices in May"}).Expect(t, 200)
		docs, err := a.Store.MeetingSearchDocuments(ctx, me.ID, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, d := range docs {
			kinds = append(kinds, d.Type+":"+d.Title)
		}
		slices.Sort(kinds)
		// The decision of the first note stays (kept as no longer in the
		// note); the items are dropped but still documents.
		if !slices.Contains(kinds, "decision:raise prices in May") || !slices.Contains(kinds, "meeting:Pricing review") {
			t.Errorf("after the edit: %v", kinds)
		}
		if docs, _ := a.Store.MeetingSearchDocuments(ctx, me.ID, m.ID+"X"); len(docs) != 0 {
			t.Errorf("documents of a meeting that does not exist: %v", docs)
		}
		if docs, _ := a.Store.MeetingSearchDocuments(ctx, "01NOBODY000000000000000000", m.ID); len(docs) != 0 {
			t.Errorf("another owner's meeting: %v", docs)
		}
		for q, want := range map[string][]string{
			"type:decision price":                    {"decision"},
			"person:ada@acme.com is:open":            {"action_item", "question"},
			`person:"Ada Lovelace" type:action_item`: {"action_item"},
			"org:globex.com type:meeting":            {"meeting"},
			"lease":                                  {"action_item"},
			"quarterly":                              {"meeting"},
			"type:person org:acme.com":               {"person"},
			`"price list"`:                           {"note"},
			"revised":                                {"action_item", "note"},
		} {
			if got := find(q); !slices.Equal(got, want) {
				t.Errorf("%q: %v, want %v", q, got, want)
			}
		}
	})
}

// TestNoteDocumentsAsMeetings: a note's document is the same whether it
// is read with its meeting's (ent's loads) or alone, as an index update
// after a save reads it (on PostgreSQL, one query): title, series,
// people with their names and every address, organizations, in one
// order.
func TestNoteDocumentsAsMeetings(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		ctx := context.Background()
		var me struct {
			ID string `json:"id"`
		}
		c.Do("GET", "/api/v1/me", nil).Expect(t, 200).JSON(t, &me)
		m := createMeeting(t, c, map[string]any{"title": "Pricing review", "starts_at": "2026-03-02T10:00:00Z",
			"attendees": []map[string]any{{"email": "zoe@acme.com", "name": "Zoe Park"}, {"email": "ada@acme.com", "name": "Ada Lovelace"},
				{"email": "bo@globex.com"}, {"email": "cy@example.org", "name": "Cy"}}})
		c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": "We went through the price list\n- [ ] send it"}).Expect(t, 200)
		var people struct {
			Items []struct {
				ID    string `json:"id"`
				Email string `json:"email"`
			} `json:"items"`
		}
		c.Do("GET", "/api/v1/people", nil).Expect(t, 200).JSON(t, &people)
		for _, p := range people.Items {
			if p.Email == "ada@acme.com" {
				c.Do("PATCH", "/api/v1/people/"+p.ID, map[string]any{"emails": []string{"ada@acme.com", "ada.l@acme.com"}}).Expect(t, 200)
			}
		}
		series, err := a.DB.Ent.Series.Create().SetOwnerID(me.ID).SetTitle("Weekly with Acme").Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.DB.Ent.Meeting.UpdateOneID(m.ID).SetSeriesID(series.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}

		notes, ids, err := a.Store.NoteSearchDocuments(ctx, me.ID, m.ID)
		if err != nil || len(notes) != 1 || len(ids) != 1 {
			t.Fatalf("note documents %+v, ids %v, %v", notes, ids, err)
		}
		all, err := a.Store.MeetingSearchDocuments(ctx, me.ID, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(all, func(d search.Document) bool { return d.Type == search.TypeNote })
		if i < 0 {
			t.Fatalf("no note among the meeting's documents: %+v", all)
		}
		if !reflect.DeepEqual(notes[0], all[i]) || notes[0].Hash() != all[i].Hash() {
			t.Errorf("the note alone:\n%+v\nwith its meeting:\n%+v", notes[0], all[i])
		}
		want := []string{"Ada Lovelace", "ada@acme.com", "ada.l@acme.com", "Zoe Park", "zoe@acme.com", "bo@globex.com", "Cy", "cy@example.org"}
		for _, w := range want {
			if !slices.Contains(notes[0].People, w) {
				t.Errorf("people %q lack %q", notes[0].People, w)
			}
		}
		if notes[0].Series != "Weekly with Acme" || notes[0].Title != "Pricing review" || !strings.Contains(notes[0].Body, "price list") ||
			len(notes[0].Orgs) == 0 {
			t.Errorf("note document %+v", notes[0])
		}
	})
}
