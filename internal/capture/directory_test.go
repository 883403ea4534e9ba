package capture

import (
	"fmt"
	"testing"
)

func TestDirectoryMatch(t *testing.T) {
	d := NewDirectory([]Person{
		{ID: "ann", Name: "Ann Lee", Emails: []string{"ann@acme.com", "a.lee@home.org"}},
		{ID: "ann2", Name: "Ann Smith", Emails: []string{"asmith@acme.com"}},
		{ID: "bob", Name: "Bob Stone", Emails: []string{"bob@acme.com"}},
		{ID: "carol", Name: "", Emails: []string{"carol@globex.com"}},
		{ID: "bob2", Name: "Robert", Emails: []string{"bob@other.org"}},
	})
	cases := []struct {
		handle string
		next   []string
		id     string
		words  int
	}{
		{"ann@acme.com", nil, "ann", 0},
		{"A.Lee@home.org", nil, "ann", 0},
		{"nobody@acme.com", nil, "", 0},
		{"Ann", []string{"Lee", "Monday"}, "ann", 1}, // the full name takes one word
		{"ann", []string{"Smith"}, "ann2", 1},
		{"Ann", nil, "", 0},        // two Anns: ambiguous
		{"Bob", nil, "bob", 0},     // first name beats the local part bob2 shares
		{"carol", nil, "carol", 0}, // local part
		{"bob", []string{"Stone"}, "bob", 1},
		{"robert", nil, "bob2", 0},
		{"dave", []string{"Who"}, "", 0},
	}
	for _, c := range cases {
		id, words := d.Match(Mention{Handle: c.handle, Next: c.next})
		if id != c.id || words != c.words {
			t.Errorf("@%s %v: %q %d, want %q %d", c.handle, c.next, id, words, c.id, c.words)
		}
	}
}

// BenchmarkDirectoryMatch: a mention costs the same among 10 people or
// 100,000.
func BenchmarkDirectoryMatch(b *testing.B) {
	for _, n := range []int{10, 100_000} {
		people := make([]Person, n)
		for i := range people {
			people[i] = Person{ID: fmt.Sprint(i), Name: fmt.Sprintf("Person%d Surname%d", i, i), Emails: []string{fmt.Sprintf("p%d@example.com", i)}}
		}
		d := NewDirectory(people)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				d.Match(Mention{Handle: "unknown", Next: []string{"Words", "After"}})
			}
		})
	}
}
