package capture

import "strings"

// Person is someone a mention may name: an id, a name, addresses.
type Person struct {
	ID     string
	Name   string
	Emails []string // lower-case
}

// Directory finds the person a mention names among a set of people, in
// time independent of how many there are: each way a mention can name
// someone is a map.
type Directory struct {
	byEmail, byLocal, byFull, byFirst map[string][]string
}

// NewDirectory indexes people.
func NewDirectory(people []Person) *Directory {
	d := &Directory{byEmail: map[string][]string{}, byLocal: map[string][]string{}, byFull: map[string][]string{}, byFirst: map[string][]string{}}
	for _, p := range people {
		d.Add(p)
	}
	return d
}

// Add indexes one more person.
func (d *Directory) Add(p Person) {
	add := func(m map[string][]string, k string) {
		// Two people under a key make it ambiguous, which is all Match
		// asks: a third is not kept (a directory of 2,000 people sharing a
		// first name made each Add scan the list, 4 million comparisons a
		// save).
		ids := m[k]
		if k == "" || len(ids) >= 2 || len(ids) == 1 && ids[0] == p.ID {
			return
		}
		m[k] = append(ids, p.ID)
	}
	for _, e := range p.Emails {
		e = strings.ToLower(e)
		add(d.byEmail, e)
		local, _, _ := strings.Cut(e, "@")
		add(d.byLocal, local)
	}
	name := strings.ToLower(p.Name)
	add(d.byFull, name)
	first, _, _ := strings.Cut(name, " ")
	add(d.byFirst, first)
}

// Match finds the one person a mention names, trying the most specific
// reading first: the address; the full name with the capitalised words
// that follow the handle (as many as fit); the full name; the first name;
// the address's local part. Two people at the same level are ambiguous: no
// match. words is how many of m.Next the name took.
func (d *Directory) Match(m Mention) (id string, words int) {
	h := strings.ToLower(m.Handle)
	if strings.Contains(h, "@") {
		return one(d.byEmail[h]), 0
	}
	for k := len(m.Next); k >= 0; k-- {
		full := strings.ToLower(strings.Join(append([]string{m.Handle}, m.Next[:k]...), " "))
		if ids := d.byFull[full]; len(ids) > 0 {
			return one(ids), k
		}
	}
	if ids := d.byFirst[h]; len(ids) > 0 {
		return one(ids), 0
	}
	return one(d.byLocal[h]), 0
}

// one is the only id of a level, or "" when it has several.
func one(ids []string) string {
	if len(ids) == 1 {
		return ids[0]
	}
	return ""
}
