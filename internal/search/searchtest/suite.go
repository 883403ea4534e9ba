// Package searchtest is the conformance suite every search backend passes.
package searchtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/search"
)

const (
	alice = "01ALICE0000000000000000000"
	bob   = "01BOB000000000000000000000"
	carol = "01CAROL0000000000000000000" // whose documents the refresh case replaces
	dave  = "01DAVE00000000000000000000" // the replace case's
	erin  = "01ERIN00000000000000000000" // the long snippets case's
	frank = "01FRANK0000000000000000000" // the word forms case's
	gina  = "01GINA00000000000000000000" // the ranked words case's
	hana  = "01HANA00000000000000000000" // the occurrences case's
)

// Owners are the accounts the suite's documents belong to (a backend that
// checks owners against accounts must know them).
var Owners = []string{alice, bob, carol, dave, erin, frank, gina, hana}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// corpus is alice's documents; bob has one look-alike of each, so that a
// leak across owners shows in any query.
func corpus() []search.Document {
	docs := []search.Document{
		{ID: "m1", Type: search.TypeMeeting, Title: "Pricing review with Acme", Body: "Agenda: the price increase for 2027",
			People: []string{"Ada Lovelace", "ada@acme.com"}, Orgs: []string{"Acme", "acme.com"}, Series: "Acme monthly", MeetingID: "m1", When: at("2026-03-02T10:00:00Z")},
		{ID: "n1", Type: search.TypeNote, Title: "Pricing review with Acme", Body: "We discussed pricing. Ada decided the price increase waits for Q3. <script>alert(1)</script>",
			People: []string{"Ada Lovelace", "ada@acme.com"}, Orgs: []string{"Acme", "acme.com"}, Series: "Acme monthly", MeetingID: "m1", When: at("2026-03-02T10:00:00Z")},
		{ID: "d1", Type: search.TypeDecision, Title: "Price increase postponed to Q3", People: []string{"Ada Lovelace"}, PersonIDs: []string{"p1"},
			MeetingID: "m1", When: at("2026-03-02T10:00:00Z")},
		{ID: "a1", Type: search.TypeActionItem, Title: "Send Ada the revised price list", People: []string{"Ada Lovelace", "ada@acme.com"},
			PersonIDs: []string{"p1"}, MeetingID: "m1", When: at("2026-03-02T10:00:00Z"), Status: "open"},
		{ID: "a2", Type: search.TypeActionItem, Title: "Book the venue for the offsite", Status: "done", When: at("2026-02-01T09:00:00Z")},
		{ID: "q1", Type: search.TypeQuestion, Title: "Who owns the pricing page?", Status: "open", MeetingID: "m2", When: at("2026-04-10T09:00:00Z")},
		{ID: "m2", Type: search.TypeMeeting, Title: "Weekly sync", Body: "Überweisung der Rechnung; café budget", People: []string{"Bo Chen", "bo@globex.com"},
			Orgs: []string{"Globex", "globex.com"}, Series: "Weekly sync", MeetingID: "m2", When: at("2026-04-10T09:00:00Z")},
		{ID: "n2", Type: search.TypeNote, Title: "产品定价会议", Body: "我们决定提高价格。下周再讨论。", MeetingID: "m3", When: at("2026-05-01T09:00:00Z")},
		{ID: "p1", Type: search.TypePerson, Title: "Ada Lovelace", Body: "ada@acme.com", Orgs: []string{"Acme", "acme.com"}, PersonIDs: []string{"p1"},
			When: at("2026-01-01T00:00:00Z")},
		{ID: "p2", Type: search.TypePerson, Title: "Bo Chen", Body: "bo@globex.com", Orgs: []string{"Globex", "globex.com"}, PersonIDs: []string{"p2"},
			When: at("2026-03-15T00:00:00Z")},
	}
	var out []search.Document
	for _, d := range docs {
		d.Owner = alice
		out = append(out, d)
		twin := d
		twin.ID, twin.Owner = "bob-"+d.ID, bob
		if d.MeetingID != "" {
			twin.MeetingID = "bob-" + d.MeetingID
		}
		twin.PersonIDs = nil
		for _, id := range d.PersonIDs {
			twin.PersonIDs = append(twin.PersonIDs, "bob-"+id)
		}
		out = append(out, twin)
	}
	return out
}

// attendance is who attended the corpus' meetings: what the graph's
// attendances tell the service when it resolves person: and org:.
var attendance attended

type attended struct{}

func (attended) MeetingsWith(_ context.Context, _ string, people []string, _ int) ([]string, error) {
	meetings := map[string]string{"p1": "m1", "p2": "m2", "bob-p1": "bob-m1", "bob-p2": "bob-m2"}
	var out []string
	for _, p := range people {
		if m, ok := meetings[p]; ok {
			out = append(out, m)
		}
	}
	return out, nil
}

// Run runs the suite against a fresh, empty index from open.
//
// A backend that cuts snippets from the graph's text gets it from texts:
// the bodies of the documents the suite has written.
func Run(t *testing.T, open func(t *testing.T, texts search.Texts) search.Index) {
	ctx := context.Background()
	tx := &texts{body: map[string]string{}}
	var idx search.Index = recording{open(t, tx), tx}
	if err := idx.Put(ctx, corpus()...); err != nil {
		t.Fatal(err)
	}
	ids := func(owner, q string) []string {
		t.Helper()
		parsed, err := search.ParseQuery(q, time.UTC)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		if err := search.Resolve(ctx, idx, attendance, owner, &parsed); err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		res, err := idx.Search(ctx, owner, parsed, search.Page{Limit: 50})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		out := IDs(res.Hits)
		if res.Total != len(res.Hits) {
			t.Errorf("%q: total %d, %d hits", q, res.Total, len(res.Hits))
		}
		return out
	}
	cases := []struct {
		q    string
		want []string // alice's hits, any order
	}{
		// Stemmed: pricing, price and priced are one word.
		{"pricing", []string{"m1", "n1", "q1", "d1", "a1"}},
		{"priced", []string{"m1", "n1", "q1", "d1", "a1"}},
		{"decide", []string{"n1"}},                                  // decided
		{`"price increase"`, []string{"m1", "n1", "d1"}},            // phrase
		{`"increase price"`, nil},                                   // order matters in a phrase
		{"price -postponed", []string{"m1", "n1", "q1", "a1"}},      // exclude
		{"price -\"price list\"", []string{"m1", "n1", "q1", "d1"}}, // exclude a phrase
		{"type:decision price", []string{"d1"}},
		{"type:action_item type:question", []string{"a1", "a2", "q1"}},
		// person: and org: reach what names the people, and what belongs
		// to the meetings they attended (Ada: m1; Bo, of Globex: m2).
		{"person:ada@acme.com type:action_item", []string{"a1"}},
		{`person:"Ada Lovelace" type:decision`, []string{"d1"}},
		{"person:ada", []string{"m1", "n1", "d1", "a1", "p1"}},
		{"person:bo@globex.com", []string{"m2", "q1", "p2"}},
		{"person:nobody", nil},
		{"person:ada person:bo", nil},
		{"org:globex.com", []string{"q1", "m2", "p2"}},
		{"org:Acme type:person", []string{"p1"}},
		{"org:acme pricing", []string{"m1", "n1", "d1", "a1"}},
		{`series:"weekly sync"`, []string{"m2"}},
		{"is:open", []string{"a1", "q1"}},
		{"is:done", []string{"a2"}},
		{"after:2026-04-01", []string{"q1", "m2", "n2"}},
		{"before:2026-03-01", []string{"a2", "p1"}},
		{"type:person", []string{"p1", "p2"}},
		{"after:2026-03-01 before:2026-04-01 type:note", []string{"n1"}},
		{"uberweisung", []string{"m2"}}, // accents folded
		{"Überweisung", []string{"m2"}},
		{"cafe", []string{"m2"}},
		{"价格", []string{"n2"}}, // CJK by its words
		{"定价", []string{"n2"}},
		{"nothing-like-this", nil},
	}
	for _, c := range cases {
		got := ids(alice, c.q)
		if !sameSet(got, c.want) {
			t.Errorf("%q: got %v, want %v", c.q, got, c.want)
		}
		// Owner isolation, inside the backend: bob's twin documents, only.
		for _, id := range ids(bob, c.q) {
			if !strings.HasPrefix(id, "bob-") {
				t.Errorf("%q as bob returned alice's %s", c.q, id)
			}
		}
		if n := len(ids(bob, c.q)); n != len(c.want) {
			t.Errorf("%q as bob: %d hits, want %d", c.q, n, len(c.want))
		}
		if got := ids("01NOBODY000000000000000000", c.q); len(got) != 0 {
			t.Errorf("%q as a stranger: %v", c.q, got)
		}
	}

	t.Run("any word", func(t *testing.T) {
		// A question typed as a sentence: what has one of the words is a
		// hit, what has more of them ranks higher, and only the owner's.
		anyOf := func(owner string, words ...string) []string {
			t.Helper()
			res, err := idx.Search(ctx, owner, search.Query{Words: words}, search.Page{Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			return IDs(res.Hits)
		}
		if got := anyOf(alice, "pricing", "uberweisung"); !sameSet(got, []string{"m1", "n1", "q1", "d1", "a1", "m2"}) {
			t.Errorf("pricing or uberweisung: %v", got)
		}
		got := anyOf(alice, "increase", "price")
		if !sameSet(got, []string{"m1", "n1", "q1", "d1", "a1"}) {
			t.Fatalf("increase or price: %v", got)
		}
		for _, both := range []string{"m1", "n1", "d1"} {
			for _, one := range []string{"q1", "a1"} {
				if slices.Index(got, both) > slices.Index(got, one) {
					t.Errorf("%s (both words) ranks below %s (one): %v", both, one, got)
				}
			}
		}
		for _, id := range anyOf(bob, "increase", "price") {
			if !strings.HasPrefix(id, "bob-") {
				t.Errorf("bob finds alice's %s", id)
			}
		}
	})

	t.Run("ranking", func(t *testing.T) {
		// A title match outranks a body match; the decision (title) comes
		// before the note that mentions the same words in its body.
		got := ids(alice, `"price increase"`)
		if len(got) != 3 || slices.Index(got, "d1") > slices.Index(got, "n1") {
			t.Errorf("ranking: %v", got)
		}
	})

	t.Run("snippets", func(t *testing.T) {
		parsed, _ := search.ParseQuery("decided", time.UTC)
		res, err := idx.Search(ctx, alice, parsed, search.Page{Limit: 5})
		if err != nil || len(res.Hits) != 1 {
			t.Fatalf("%v %+v", err, res)
		}
		h := res.Hits[0]
		if !strings.Contains(h.Snippet, "<mark>decided</mark>") || strings.Contains(h.Snippet, "<script>") ||
			h.Type != search.TypeNote || h.MeetingID != "m1" || h.Title != "Pricing review with Acme" ||
			h.StartsAt == nil || !h.StartsAt.Equal(at("2026-03-02T10:00:00Z")) || h.Score <= 0 {
			t.Errorf("hit: %+v", h)
		}
		// A match in the title alone (a decision has no body) is its snippet.
		parsed, _ = search.ParseQuery("type:decision price", time.UTC)
		res, err = idx.Search(ctx, alice, parsed, search.Page{Limit: 5})
		if err != nil || len(res.Hits) != 1 || !strings.Contains(res.Hits[0].Snippet, "<mark>") {
			t.Errorf("title snippet: %v %+v", err, res.Hits)
		}
		parsed, _ = search.ParseQuery("alert", time.UTC)
		res, _ = idx.Search(ctx, alice, parsed, search.Page{Limit: 5})
		// Escaped, the match marked (a snippet may end a fragment before the
		// last '>').
		if len(res.Hits) != 1 || !strings.Contains(res.Hits[0].Snippet, "&lt;script&gt;<mark>alert</mark>(1)&lt;/script") ||
			strings.Contains(res.Hits[0].Snippet, "<script") || strings.Contains(res.Hits[0].Snippet, "</script") {
			t.Errorf("escaping: %+v", res.Hits)
		}
	})

	t.Run("paging", func(t *testing.T) {
		parsed, _ := search.ParseQuery("price", time.UTC)
		all, _ := idx.Search(ctx, alice, parsed, search.Page{Limit: 50})
		var paged []string
		for off := 0; off < all.Total; off += 2 {
			res, err := idx.Search(ctx, alice, parsed, search.Page{Offset: off, Limit: 2})
			if err != nil || res.Total != all.Total {
				t.Fatalf("page at %d: %v, total %d", off, err, res.Total)
			}
			for _, h := range res.Hits {
				paged = append(paged, h.ID)
			}
		}
		var want []string
		for _, h := range all.Hits {
			want = append(want, h.ID)
		}
		if !slices.Equal(paged, want) {
			t.Errorf("pages %v, whole %v", paged, want)
		}
	})

	t.Run("update and delete", func(t *testing.T) {
		d := corpus()[0] // alice's m1
		d.Title, d.Body = "Renamed meeting", "nothing about money"
		if err := idx.Put(ctx, d); err != nil {
			t.Fatal(err)
		}
		if got := ids(alice, "pricing"); !sameSet(got, []string{"n1", "q1", "d1", "a1"}) {
			t.Errorf("after an update: %v", got)
		}
		if err := idx.Delete(ctx, "n1", "q1"); err != nil {
			t.Fatal(err)
		}
		if got := ids(alice, "pricing"); !sameSet(got, []string{"d1", "a1"}) {
			t.Errorf("after delete: %v", got)
		}
		if got := ids(bob, "pricing"); len(got) != 5 {
			t.Errorf("bob's documents were touched: %v", got)
		}
		n, err := idx.Count(ctx)
		if err != nil || n != uint64(len(corpus())-2) {
			t.Errorf("count %d %v", n, err)
		}
		// A meeting goes with everything under it, and only the owner's.
		if err := idx.Replace(ctx, alice, []string{"m1"}, nil, nil); err != nil {
			t.Fatal(err)
		}
		if got := ids(alice, "price"); len(got) != 0 {
			t.Errorf("after deleting meeting m1: %v", got)
		}
		if got := ids(alice, "type:person"); !sameSet(got, []string{"p1", "p2"}) {
			t.Errorf("a person went with the meeting: %v", got)
		}
		if got := ids(bob, "price"); len(got) != 5 {
			t.Errorf("bob's copy of m1 went too: %v", got)
		}
	})

	t.Run("past first", func(t *testing.T) { pastFirst(t, idx) })
	t.Run("occurrences", func(t *testing.T) { occurrences(t, idx) })
	t.Run("prefix", func(t *testing.T) { prefix(t, idx) })
	t.Run("refresh", func(t *testing.T) { refresh(t, idx, ids) })
	t.Run("replace", func(t *testing.T) { replace(t, idx, ids) })
	t.Run("long snippets", func(t *testing.T) { longSnippets(t, idx) })
	t.Run("word forms", func(t *testing.T) { wordForms(t, idx) })
	t.Run("typos", func(t *testing.T) { typos(t, idx) })
	t.Run("ranked", func(t *testing.T) { rankedWords(t, idx) })
}

// longSnippets: in a long transcript the snippet is cut around the match,
// wherever it is (a backend may read only part of the text for it).
func longSnippets(t *testing.T, idx search.Index) {
	ctx := context.Background()
	// ~100 KB, ~16,000 words: PostgreSQL's positions stop at 16,383, so
	// the phrase comes earlier than that.
	filler := strings.Repeat("we went through the quarterly numbers and the hiring plan again. ", 1500)
	half := filler[:len(filler)/2]
	docs := []search.Document{
		{ID: "e1", Type: search.TypeNote, Owner: erin, Title: "All hands", Body: half + "Finally the invoicing backlog was discussed. " + filler, When: at("2026-07-01T09:00:00Z")},
		{ID: "e2", Type: search.TypeNote, Owner: erin, Title: "Offsite", Body: filler + "Ärger über die Überweisung. " + filler, When: at("2026-07-02T09:00:00Z")},
	}
	if err := idx.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{"invoicing": "<mark>invoicing</mark>", "invoices": "<mark>invoicing</mark>",
		`"invoicing backlog"`: "<mark>backlog</mark>", "Überweisung": "<mark>Überweisung</mark>"} {
		parsed, err := search.ParseQuery(q, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		res, err := idx.Search(ctx, erin, parsed, search.Page{Limit: 5})
		if err != nil || len(res.Hits) != 1 {
			t.Errorf("%q: %v, %+v", q, err, res)
			continue
		}
		if sn := res.Hits[0].Snippet; !strings.Contains(sn, want) || len(sn) > 2000 {
			t.Errorf("%q: snippet of %d bytes without %s: %.300q", q, len(sn), want, sn)
		}
	}
}

// replace: Replace swaps a meeting's documents (and documents by id) for
// new ones, leaving what did not change found, and no one else's.
func replace(t *testing.T, idx search.Index, ids func(owner, q string) []string) {
	ctx := context.Background()
	doc := func(id, typ, meeting, body string) search.Document {
		return search.Document{ID: id, Type: typ, Owner: dave, Title: "Board " + typ, Body: body, MeetingID: meeting, When: at("2026-06-01T09:00:00Z")}
	}
	meeting := doc("dm", search.TypeMeeting, "dm", "agenda for the board")
	if err := idx.Put(ctx, meeting, doc("dn", search.TypeNote, "dm", "minutes of the board"), doc("di", search.TypeActionItem, "dm", ""),
		doc("dp", search.TypePerson, "", "dave@example.com")); err != nil {
		t.Fatal(err)
	}
	owned := func() []string {
		t.Helper()
		got, err := idx.OwnerIDs(ctx, dave)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	// The note changes and the item is gone; the meeting is the same.
	if err := idx.Replace(ctx, dave, []string{"dm"}, nil, []search.Document{meeting, doc("dn", search.TypeNote, "dm", "revised minutes")}); err != nil {
		t.Fatal(err)
	}
	if got := owned(); !sameSet(got, []string{"dm", "dn", "dp"}) {
		t.Errorf("after replacing the meeting: %v", got)
	}
	if got := ids(dave, "revised"); !sameSet(got, []string{"dn"}) {
		t.Errorf("the new note: %v", got)
	}
	if got := ids(dave, "agenda"); !sameSet(got, []string{"dm"}) {
		t.Errorf("the unchanged meeting: %v", got)
	}
	// The same documents again change nothing.
	if err := idx.Replace(ctx, dave, []string{"dm"}, nil, []search.Document{meeting, doc("dn", search.TypeNote, "dm", "revised minutes")}); err != nil {
		t.Fatal(err)
	}
	if got := ids(dave, "board"); !sameSet(got, []string{"dm", "dn", "dp"}) {
		t.Errorf("after the same replacement: %v", got)
	}
	// A document named twice in one write is its last version.
	if err := idx.Replace(ctx, dave, []string{"dm"}, nil, []search.Document{meeting, doc("dn", search.TypeNote, "dm", "first draft"),
		doc("dn", search.TypeNote, "dm", "final minutes")}); err != nil {
		t.Fatal(err)
	}
	if got, first := ids(dave, "final"), ids(dave, "draft"); !sameSet(got, []string{"dn"}) || len(first) != 0 {
		t.Errorf("a document written twice at once: final %v, first %v", got, first)
	}
	// Another owner's replacement of the same meeting id touches nothing of dave's.
	if err := idx.Replace(ctx, alice, []string{"dm"}, []string{"dp"}, nil); err != nil {
		t.Fatal(err)
	}
	if got := owned(); !sameSet(got, []string{"dm", "dn", "dp"}) {
		t.Errorf("alice's replacement touched dave's documents: %v", got)
	}
	// By id: the person is gone.
	if err := idx.Replace(ctx, dave, nil, []string{"dp"}, nil); err != nil {
		t.Fatal(err)
	}
	if got := owned(); !sameSet(got, []string{"dm", "dn"}) {
		t.Errorf("after removing the person: %v", got)
	}
}

// texts is the suite's graph for a backend's snippets: the latest body of
// each document written, by owner and id.
type texts struct {
	mu   sync.Mutex
	body map[string]string
}

func (x *texts) note(docs []search.Document) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, d := range docs {
		x.body[d.Owner+"/"+d.ID] = d.Body
	}
}

func (x *texts) SearchTexts(_ context.Context, owner string, idsByType map[string][]string) (map[string]string, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := map[string]string{}
	for _, ids := range idsByType {
		for _, id := range ids {
			if b, ok := x.body[owner+"/"+id]; ok {
				out[id] = b
			}
		}
	}
	return out, nil
}

// recording is an index that notes the bodies it is given.
type recording struct {
	search.Index
	t *texts
}

func (r recording) Put(ctx context.Context, docs ...search.Document) error {
	r.t.note(docs)
	return r.Index.Put(ctx, docs...)
}

func (r recording) Replace(ctx context.Context, owner string, meetingIDs, ids []string, docs []search.Document) error {
	r.t.note(docs)
	return r.Index.Replace(ctx, owner, meetingIDs, ids, docs)
}

// source is a Source of fixed documents for one owner.
type source struct {
	owner string
	docs  []search.Document
}

func (s source) SearchDocuments(_ context.Context, owner string, fn func([]search.Document) error) error {
	if owner != s.owner {
		return nil
	}
	for d := range slices.Chunk(s.docs, 2) {
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

func (s source) UserIDs(context.Context) ([]string, error) { return []string{s.owner}, nil }

// refresh: Refresh writes an owner's documents again and deletes those the
// graph no longer has, and no one else's.
func refresh(t *testing.T, idx search.Index, ids func(owner, q string) []string) {
	ctx := context.Background()
	doc := func(id, title string) search.Document {
		return search.Document{ID: id, Type: search.TypeNote, Owner: carol, Title: title, Body: "quarterly " + title, When: at("2026-05-01T09:00:00Z")}
	}
	if err := idx.Put(ctx, doc("c1", "budget"), doc("c2", "hiring"), doc("c3", "offsite")); err != nil {
		t.Fatal(err)
	}
	bobBefore, err := idx.OwnerIDs(ctx, bob)
	if err != nil || len(bobBefore) == 0 {
		t.Fatalf("bob's ids: %v %v", bobBefore, err)
	}
	src := source{owner: carol, docs: []search.Document{doc("c1", "forecast"), doc("c2", "hiring"), doc("c4", "roadmap"), doc("c5", "launch")}}
	n, err := search.Refresh(ctx, src, idx, carol, search.Pace{})
	if err != nil || n != 4 {
		t.Fatalf("refresh: %d documents, %v", n, err)
	}
	got, err := idx.OwnerIDs(ctx, carol)
	if err != nil || !sameSet(got, []string{"c1", "c2", "c4", "c5"}) {
		t.Errorf("carol's ids after the refresh: %v %v", got, err)
	}
	if got := ids(carol, "quarterly"); !sameSet(got, []string{"c1", "c2", "c4", "c5"}) {
		t.Errorf("carol finds %v", got)
	}
	if got := ids(carol, "budget"); len(got) != 0 {
		t.Errorf("c1's old text is still found: %v", got)
	}
	if got := ids(carol, "forecast"); !sameSet(got, []string{"c1"}) {
		t.Errorf("c1's new text: %v", got)
	}
	if bobAfter, err := idx.OwnerIDs(ctx, bob); err != nil || !sameSet(bobAfter, bobBefore) {
		t.Errorf("bob's ids changed: %v, before %v (%v)", bobAfter, bobBefore, err)
	}
}

// IDs are the ids of hits, in their order.
func IDs(hits []search.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// pastFirst: a query of filters alone ranks what happened above what is to
// come, and what was written above bare meetings, whatever their dates (a
// calendar expands a series a year ahead; its empty occurrences used to
// come first, newest first).
func pastFirst(t *testing.T, idx search.Index) {
	ctx := context.Background()
	now := at("2026-06-01T00:00:00Z")
	var docs []search.Document
	for i, when := range []string{"2026-07-06T09:00:00Z", "2027-05-31T09:00:00Z", "2026-05-25T09:00:00Z", "2026-05-18T09:00:00Z"} {
		id := fmt.Sprintf("pf-m%d", i)
		docs = append(docs, search.Document{ID: id, Owner: alice, Type: search.TypeMeeting, Title: "Lena / Priya 1:1",
			Series: "Lena Priya one on one", MeetingID: id, When: at(when)})
	}
	docs = append(docs, search.Document{ID: "pf-n3", Owner: alice, Type: search.TypeNote, Title: "Lena / Priya 1:1", Body: "hiring plan",
		Series: "Lena Priya one on one", MeetingID: "pf-m3", When: at("2026-05-18T09:00:00Z")})
	if err := idx.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	q, err := search.ParseQuery(`series:"Lena Priya one on one"`, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	q.Now = now
	res, err := idx.Search(ctx, alice, q, search.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	got := IDs(res.Hits)
	// The note; the past meetings, newest first; then what is to come.
	if strings.Join(got, " ") != "pf-n3 pf-m2 pf-m3 pf-m1 pf-m0" {
		t.Errorf("series: query: %v", got)
	}
	// Words that match the occurrences alike: the past ones come first.
	q, err = search.ParseQuery("priya", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	q.Now = now
	if res, err = idx.Search(ctx, alice, q, search.Page{Limit: 10}); err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, h := range res.Hits {
		pos[h.ID] = i
	}
	for _, past := range []string{"pf-m2", "pf-m3"} {
		for _, future := range []string{"pf-m0", "pf-m1"} {
			if pos[past] > pos[future] {
				t.Errorf("%q: %s (past) ranks below %s (to come): %v", "priya", past, future, res.Hits)
			}
		}
	}
}

// occurrences: a weekly series' occurrences match a query of words alike;
// they come as they happened, the latest first, then as they are to come,
// the soonest first — more of them than a page's search fetches — and
// every page is the same slice of the whole list.
func occurrences(t *testing.T, idx search.Index) {
	ctx := context.Background()
	now := at("2026-06-01T12:00:00Z")
	var docs []search.Document
	var want []string
	for i := range 45 {
		id := fmt.Sprintf("oc%02d", i)
		docs = append(docs, search.Document{ID: id, Owner: hana, Type: search.TypeMeeting, Title: "Quokka sync",
			MeetingID: id, When: now.Add(time.Duration(i-20)*7*24*time.Hour - time.Hour)})
	}
	for i := 20; i >= 0; i-- { // oc20 was an hour ago
		want = append(want, fmt.Sprintf("oc%02d", i))
	}
	for i := 21; i < 45; i++ {
		want = append(want, fmt.Sprintf("oc%02d", i))
	}
	// Notes that score apart, some of them with the series' word.
	words := []string{"roadmap", "budget", "quokka", "hiring", "sync", "launch"}
	for i := range 30 {
		body := strings.Repeat(words[i%len(words)]+" ", 1+i%4) + strings.Repeat("and more words ", i%7) + words[(i+1)%len(words)]
		docs = append(docs, search.Document{ID: fmt.Sprintf("on%02d", i), Owner: hana, Type: search.TypeNote,
			Title: fmt.Sprintf("Notes %d", i), Body: body, When: now.Add(time.Duration(i-15) * 24 * time.Hour)})
	}
	// Not in order of their dates.
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	if err := idx.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	find := func(text string, page search.Page) []string {
		t.Helper()
		q, err := search.ParseQuery(text, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		q.Now = now
		res, err := idx.Search(ctx, hana, q, page)
		if err != nil {
			t.Fatal(err)
		}
		return IDs(res.Hits)
	}
	// The occurrences in the whole list of their word.
	var occ []string
	for _, id := range find("quokka", search.Page{Limit: 500}) {
		if strings.HasPrefix(id, "oc") {
			occ = append(occ, id)
		}
	}
	if !slices.Equal(occ, want) {
		t.Errorf("quokka: the occurrences %v, want %v", occ, want)
	}
	// Every page is the same slice of the whole list: inside and across
	// the occurrences' tie (longer than a page's search fetches), and
	// among notes that score apart.
	pages := []search.Page{{Limit: 10}, {Limit: 10, Offset: 10}, {Limit: 5, Offset: 5}, {Limit: 10, Offset: 15}, {Limit: 20},
		{Limit: 5, Offset: 35}, {Limit: 3, Offset: 18}, {Limit: 7, Offset: 40}, {Limit: 10, Offset: 60}}
	compared := 0
	for _, text := range []string{"quokka", "quokka sync", "roadmap", "budget hiring", "launch sync", "notes", "words"} {
		all := find(text, search.Page{Limit: 500})
		for _, page := range pages {
			want := all[min(page.Offset, len(all)):min(page.Offset+page.Limit, len(all))]
			if got := find(text, page); !slices.Equal(got, want) {
				t.Errorf("%q %+v: %v, want %v", text, page, got, want)
			}
			compared += len(want)
		}
	}
	if compared < 150 {
		t.Fatalf("the pages held %d hits in all", compared)
	}
}

// prefix: as you type, the last word matches the words it starts; a
// single letter is only itself. (Bob's documents: the suite has deleted
// some of alice's by now.)
func prefix(t *testing.T, idx search.Index) {
	ctx := context.Background()
	find := func(text string, asTyped bool) []string {
		t.Helper()
		q, err := search.ParseQuery(text, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		q.Prefix = asTyped
		res, err := idx.Search(ctx, bob, q, search.Page{Limit: 50})
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		return IDs(res.Hits)
	}
	if got := find("pric", true); !sameSet(got, []string{"bob-m1", "bob-n1", "bob-q1", "bob-d1", "bob-a1"}) {
		t.Errorf("pric as typed: %v, want what pricing finds", got)
	}
	if got := find("pric", false); len(got) != 0 {
		t.Errorf("pric as a word: %v", got)
	}
	if got := find("venue off", true); !sameSet(got, []string{"bob-a2"}) {
		t.Errorf("venue off as typed: %v", got)
	}
	if got := find("type:person lovel", true); !sameSet(got, []string{"bob-p1"}) {
		t.Errorf("type:person lovel as typed: %v", got)
	}
	if got := find("p", true); len(got) != 0 {
		t.Errorf("one letter as typed matched %v", got)
	}
}

// wordForms: words as people write them find each other — hyphenated,
// joined and apart; irregular forms; versions, quarters, addresses and
// handles; CJK.
func wordForms(t *testing.T, idx search.Index) {
	ctx := context.Background()
	docs := []search.Document{
		{ID: "f1", Title: "Bi-weekly sync moved to Thursday"},
		{ID: "f2", Title: "The biweekly report is late"},
		{ID: "f3", Body: "a bi weekly budget check with finance"},
		{ID: "f4", Body: "The release is frozen until Monday"},
		{ID: "f5", Title: "Ship v2.3 before Q3", Body: "v2.4 waits for Q4"},
		{ID: "f6", Body: "Ping @priya and write to anna.berg@example.com about the e-mail template"},
		{ID: "f7", Body: "We chose the vendor; the contract was written and sent"},
		{ID: "f8", Title: "定价会议", Body: "我们决定提高价格"},
		{ID: "f9", Body: "Weekly numbers, state-of-the-art dashboards"},
	}
	for i := range docs {
		docs[i].Owner, docs[i].Type, docs[i].When = frank, search.TypeNote, at("2026-08-01T09:00:00Z")
	}
	if err := idx.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		q    string
		want []string // every hit, any order
		top  []string // the first hits, any order
	}{
		{q: "bi-weekly", want: []string{"f1", "f2", "f3"}},
		{q: "biweekly", want: []string{"f1", "f2"}},
		{q: "bi weekly", top: []string{"f1", "f2", "f3"}}, // and f9, by "weekly" alone, below
		{q: "freeze", want: []string{"f4"}},
		{q: "froze", want: []string{"f4"}},
		{q: "frozen", want: []string{"f4"}},
		{q: "choose", want: []string{"f7"}},
		{q: "written", want: []string{"f6", "f7"}}, // "write to anna"
		{q: "send", want: []string{"f7"}},
		{q: "v2.3", want: []string{"f5"}},
		{q: "Q3", want: []string{"f5"}},
		{q: "q4", want: []string{"f5"}},
		{q: "anna.berg@example.com", want: []string{"f6"}},
		{q: "@priya", want: []string{"f6"}},
		{q: "priya", want: []string{"f6"}},
		{q: "email", want: []string{"f6"}},
		{q: "e-mail", want: []string{"f6"}},
		{q: "stateoftheart", want: []string{"f9"}},
		{q: "价格", want: []string{"f8"}},
		{q: "定价", want: []string{"f8"}},
	} {
		parsed, err := search.ParseQuery(c.q, time.UTC)
		if err != nil {
			t.Fatalf("%q: %v", c.q, err)
		}
		res, err := idx.Search(ctx, frank, parsed, search.Page{Limit: 20})
		if err != nil {
			t.Fatalf("%q: %v", c.q, err)
		}
		got := IDs(res.Hits)
		if c.want != nil && !sameSet(got, c.want) {
			t.Errorf("%q: got %v, want %v", c.q, got, c.want)
		}
		if c.top != nil && (len(got) < len(c.top) || !sameSet(got[:len(c.top)], c.top)) {
			t.Errorf("%q: got %v, want %v first", c.q, got, c.top)
		}
	}
}

// typos: a fuzzy query (the service's retry when nothing matched) finds
// words of five letters a letter off, longer ones two; as typed, nothing.
func typos(t *testing.T, idx search.Index) {
	ctx := context.Background()
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"contarct", []string{"f7"}}, // transposed: two letters off
		{"vendr", []string{"f7"}},
		{"relase monday", []string{"f4"}},
		{"recieve", nil}, // nothing like it
		{"budge", nil},   // a letter off budget? no: "budget" is not in these documents
	} {
		parsed, err := search.ParseQuery(c.q, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		res, err := idx.Search(ctx, frank, parsed, search.Page{Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		if c.q != "relase monday" && res.Total != 0 {
			t.Errorf("%q as typed: %d hits", c.q, res.Total)
		}
		parsed.Fuzzy = true
		if res, err = idx.Search(ctx, frank, parsed, search.Page{Limit: 20}); err != nil {
			t.Fatal(err)
		}
		got := IDs(res.Hits)
		if !sameSet(got, c.want) {
			t.Errorf("%q with typos forgiven: %v, want %v", c.q, got, c.want)
		}
	}
}

// rankedWords: a question typed as a sentence finds what has its words,
// those with more of them (and those side by side) first, without needing
// its stop words or the words that only frame it; +word and AND require.
func rankedWords(t *testing.T, idx search.Index) {
	ctx := context.Background()
	docs := []search.Document{
		{ID: "r1", Body: "The remote's battery lasts a year; we decided on a rechargeable battery"},
		{ID: "r2", Body: "Battery suppliers were compared"},
		{ID: "r3", Body: "The remote needs fewer buttons"},
		{ID: "r4", Body: "Budget for the launch party"},
		{ID: "r5", Body: "the battery of the remote was discussed at length, the remote and the battery"},
	}
	for i := range docs {
		docs[i].Owner, docs[i].Type, docs[i].When = gina, search.TypeNote, at("2026-08-01T09:00:00Z")
	}
	if err := idx.Put(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	search1 := func(q string) ([]string, search.Result) {
		t.Helper()
		parsed, err := search.ParseQuery(q, time.UTC)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		res, err := idx.Search(ctx, gina, parsed, search.Page{Limit: 20})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		got := IDs(res.Hits)
		return got, res
	}
	got, res := search1("what was said about the remote's battery?")
	if !sameSet(got, []string{"r1", "r2", "r3", "r5"}) {
		t.Errorf("question: got %v, want r1, r2, r3, r5", got)
	}
	if len(got) == 4 && (!sameSet(got[:2], []string{"r1", "r5"})) {
		t.Errorf("question: %v, want r1 and r5 (remote and battery) first", got)
	}
	for _, h := range res.Hits {
		if want := h.ID == "r2" || h.ID == "r3"; h.Partial != want {
			t.Errorf("question: %s partial %v, want %v", h.ID, h.Partial, want)
		}
	}
	if got, _ := search1("remote battery"); len(got) < 3 || got[0] != "r5" && got[0] != "r1" {
		t.Errorf("remote battery: %v, want r1 or r5 (side by side) first", got)
	}
	if got, _ := search1("+remote battery"); !sameSet(got, []string{"r1", "r3", "r5"}) {
		t.Errorf("+remote battery: %v, want what has remote", got)
	}
	if got, _ := search1("remote AND battery"); !sameSet(got, []string{"r1", "r5"}) {
		t.Errorf("remote AND battery: %v", got)
	}
	if got, _ := search1("the of and"); len(got) != 0 {
		t.Errorf("stop words alone: %v", got)
	}
	if got, _ := search1("discussion"); !sameSet(got, []string{"r5"}) {
		t.Errorf("discussion alone is looked for: %v", got)
	}
	if got, _ := search1(`budget "launch party"`); !sameSet(got, []string{"r4"}) {
		t.Errorf("a phrase is required: %v", got)
	}
}
