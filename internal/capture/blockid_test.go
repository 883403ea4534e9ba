package capture

import (
	"fmt"
	"strings"
	"testing"
)

func TestAssignBlockIDs(t *testing.T) {
	n := 0
	seq := func() string { n++; return fmt.Sprintf("id%02d", n) }
	body := "# Notes\n!! one\r\n- [ ] two ^keep\nprose\n?? three   \n!! copy ^keep\nDecision: four"
	out, items := AssignBlockIDs(body, Parse(body).Items, seq)
	want := "# Notes\n!! one ^id01\r\n- [ ] two ^keep\nprose\n?? three ^id02\n!! copy ^id03\nDecision: four ^id04"
	if out != want {
		t.Errorf("body:\n%q\nwant\n%q", out, want)
	}
	ids := []string{}
	for _, it := range items {
		ids = append(ids, it.BlockID)
	}
	if strings.Join(ids, ",") != "id01,keep,id02,id03,id04" {
		t.Errorf("ids = %v", ids)
	}
	// Saving the rewritten body again changes nothing.
	again, items2 := AssignBlockIDs(out, Parse(out).Items, seq)
	if again != out || len(items2) != 5 || items2[0].BlockID != "id01" {
		t.Errorf("second pass changed the note:\n%q", again)
	}
	// Parsing the rewritten body gives the same items with those ids.
	for i, it := range Parse(out).Items {
		if it.BlockID != ids[i] || it.Text != items[i].Text {
			t.Errorf("reparse item %d: %+v", i, it)
		}
	}
	// A generator that collides is not trusted.
	same := func() string { return "keep" }
	_, items3 := AssignBlockIDs("!! a ^keep\n!! b", Parse("!! a ^keep\n!! b").Items, same)
	if items3[1].BlockID == "keep" || !IsBlockID(items3[1].BlockID) {
		t.Errorf("colliding id reused: %+v", items3)
	}
	if NewBlockID() == NewBlockID() && NewBlockID() == NewBlockID() {
		t.Error("NewBlockID is not random")
	}
}

func TestWithoutBlockIDs(t *testing.T) {
	in := "# Notes\n!! send the deck ^k3x9\n- [x] done ^ab12cd\nnot an id^abcd\nshort ^abc\ntext ^ABCD\n?? who ^q1w2\r\n"
	want := "# Notes\n!! send the deck\n- [x] done\nnot an id^abcd\nshort ^abc\ntext ^ABCD\n?? who\n"
	if got := WithoutBlockIDs(in); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}
