package capture

import (
	"strings"
	"testing"
)

func TestOwnerAndTitle(t *testing.T) {
	tests := []struct {
		line  string
		owner string // the owner mention's handle, "" for the writer
		words int    // words of the owner's name after the handle
		title string
	}{
		{"!! follow up with @Anna", "", 0, "follow up with @Anna"},
		{"!! @anna send the deck by friday", "anna", 0, "send the deck"},
		{"!! @anna: send the deck", "anna", 0, "send the deck"},
		{"- [ ] @Anna Smith: book the room due:2026-12-10", "Anna", 1, "book the room"},
		{"!! send the deck to @Bob Stone by 2026-12-04, cc @nobody", "", 0, "send the deck to @Bob Stone, cc @nobody"},
		{"!! call the bank owner:@tom remind:tomorrow 15:00", "tom", 0, "call the bank"},
		{"!! ask @alice about the budget next time", "", 0, "ask @alice about the budget next time"},
		{"!! by friday", "", 0, "by friday"},
		{"?? who signs remind:friday", "", 0, "who signs"},
		{"!! @me renew the domain", "me", 0, "renew the domain"},
	}
	for _, tt := range tests {
		it := Parse(tt.line).Items[0]
		owner := ""
		if i := Owner(it); i >= 0 {
			owner = it.Mentions[i].Handle
		}
		if owner != tt.owner {
			t.Errorf("%q: owner %q, want %q", tt.line, owner, tt.owner)
		}
		if got := Title(it, tt.words, owner != ""); got != tt.title {
			t.Errorf("%q: title %q, want %q", tt.line, got, tt.title)
		}
	}
	// A leading mention that named nobody stays a word of the title.
	it := Parse("!! @nobody knows").Items[0]
	if got := Title(it, 0, false); got != "@nobody knows" {
		t.Errorf("unnamed owner: title %q", got)
	}
}

func TestSetOwner(t *testing.T) {
	tests := []struct {
		text   string
		words  int
		handle string
		want   string
	}{
		{"send the deck by friday", 0, "@carol", "@carol send the deck by friday"},
		{"@anna send the deck", 0, "@Carol Danvers", "@Carol Danvers send the deck"},
		{"@Anna Smith: send the deck", 1, "@bob", "@bob: send the deck"},
		{"send the deck owner:@anna, today", 0, "@bob", "send the deck owner:@bob, today"},
		{"@anna send the deck", 0, "", "send the deck"},
		{"@anna: send the deck", 0, "", "send the deck"},
		{"send the deck owner:@anna by friday", 0, "", "send the deck by friday"},
		{"follow up with @anna", 0, "", "follow up with @anna"},
	}
	for _, tt := range tests {
		if got := SetOwner(tt.text, tt.words, tt.handle); got != tt.want {
			t.Errorf("SetOwner(%q, %d, %q) = %q, want %q", tt.text, tt.words, tt.handle, got, tt.want)
		}
	}
}

func TestAnswers(t *testing.T) {
	body := "?? who signs the contract ^q111\nA: Priya, on Monday\n?? budget approved? ^q222\n\n-> yes\n- ?? which vendor ^q333\n  -> vendor B\n?? open one ^q444"
	var got []string
	for _, it := range Parse(body).Items {
		got = append(got, it.Answer)
	}
	if len(got) != 4 || got[0] != "Priya, on Monday" || got[1] != "" || got[2] != "vendor B" || got[3] != "" {
		t.Errorf("answers %q", got)
	}
	// Answer one that has none, replace one, remove one.
	b, ok := SetAnswer(body, "q444", "not yet")
	if !ok || !strings.HasSuffix(b, "?? open one ^q444\nA: not yet") {
		t.Errorf("answer added: %q", b)
	}
	b, _ = SetAnswer(b, "q333", "vendor C")
	if !strings.Contains(b, "- ?? which vendor ^q333\n  A: vendor C\n") {
		t.Errorf("answer replaced: %q", b)
	}
	b, _ = SetAnswer(b, "q111", "")
	if strings.Contains(b, "Priya") || !strings.HasPrefix(b, "?? who signs the contract ^q111\n?? budget") {
		t.Errorf("answer removed: %q", b)
	}
	if _, ok := SetAnswer(b, "zzzz", "x"); ok {
		t.Error("an unknown question was found")
	}
}
