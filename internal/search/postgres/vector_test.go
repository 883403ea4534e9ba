package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/debrief-hq/debrief/internal/search/postgres"
	"github.com/debrief-hq/debrief/internal/testutil"
)

// TestEnglishVector: the vectors the index reads in Go are the ones
// PostgreSQL's to_tsvector('english', …) makes of the same text — for
// hand-picked cases, every turn of the QMSum transcripts and thousands of
// random texts of words, numbers, hyphens and punctuation — and text the
// Go reader does not take (addresses, times, other scripts) is left to
// the database. The database here agrees, so the index reads in Go.
func TestEnglishVector(t *testing.T) { testutil.OnPostgres(t, englishVector) }

func englishVector(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	if !postgres.VectorsInGo(ctx, postgres.New(db.SQL)) {
		t.Fatal("this database's to_tsvector('english') differs from the vectors read in Go: the index builds them all in the database")
	}
	plain := []string{
		"Don't stop: the Q3 plan. (x) \"quoted\" [a] *b* - end; c,d!e?f it's 'quoted'",
		"1,000 people, 007 and 42. The frozen roadmap was written",
		"\n- contract legal vendor timeline\n- risk metric quarter goal design\n- feedback release api migration ",
		"Überweisung, naïve café", // accents are folded first
		"RUNNING Runs ran generalizations communism's abc123def v2",
		strings.Repeat("word ", 255),
		"the bi-weekly sync: state-of-the-art, Up-To-Date e-mail. (self-made) re-run's a-b-c-d",
		"{vocalsound} #tag x^it01 50% $5 a=b x|y, at 10:30",
		strings.Repeat("9", 64) + " " + strings.Repeat("abcdefgh", 8) + " a\rb x''y", // the longest words read here
		"!! send the deck to @priya by friday ^it00\n- [ ] review the draft (@bo) ^it01\n?? does legal need it\nDecision: we go",
	}
	notPlain := []string{
		"anna.berg@example.com", "x-1", "q3-plan", "a-b-", "a--b", "-x", "v2.3", "9:05am", "a:b", "due:2026-12-10", "http://example.com/a",
		"1e5", "2nd", "-5", "a/b", "snake_case", "提高价格", "Ωmega", "~home",
		"the and of a", // no word to index: the database's empty vector costs it nothing
		strings.Repeat("word ", 256), strings.Repeat("a ", 16384), strings.Repeat("x", 65),
	}
	var texts, lits, names []string
	check := func(name, s string, wantOK *bool) {
		text, lit, ok := postgres.Vector(s)
		if wantOK != nil && ok != *wantOK {
			t.Errorf("%s: %.60q read in Go: %v, want %v", name, s, ok, *wantOK)
		}
		if ok {
			texts, lits, names = append(texts, text), append(lits, lit), append(names, name)
		}
	}
	yes, no := true, false
	for _, s := range plain {
		check("plain", s, &yes)
	}
	for _, s := range notPlain {
		check("not plain", s, &no)
	}

	// Every turn of the transcripts: real text, much of it plain.
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "testdata", "qmsum", "val", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no QMSum transcripts (%v)", err)
	}
	turns, before := 0, len(texts)
	var counts []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Transcript []struct{ Content string } `json:"meeting_transcripts"`
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for _, turn := range m.Transcript {
			check(filepath.Base(f), turn.Content, nil)
			turns++
		}
	}
	if read := len(texts) - before; read < turns/2 {
		t.Errorf("read in Go %d of %d transcript turns, want at least half", read, turns)
	} else {
		counts = append(counts, fmt.Sprintf("%d of %d transcript turns", read, turns))
	}

	// Random texts: words (stop words among them, any case), numbers,
	// words with digits, and every kind of punctuation, with and without
	// spaces between.
	rng := rand.New(rand.NewPCG(7, 11))
	words := `the The a and it's don't running RAN frozen meeting meetings decided budget q3 Q3 v2 x1y2 2026 007 42 1e5 2nd 10 `
	seps := []string{" ", " ", " ", "", "\n", "\t", ". ", ", ", "-", "-"}
	for _, mix := range []struct {
		name, parts string
		min         int // of 1000 read in Go, at least
	}{
		{"random", words + `. , : ; ! ? ( ) " ' - -- [ ] * / @ # _ + = & % $ ~ { } < > | \ ^ ...`, 50},
		// Only what the Go reader takes, in every order: "q3.", "42:", "- -".
		{"random, punctuation read in Go", words + `. , : ; ! ? ( ) " ' - [ ] *`, 150},
		{"random, symbols", words + `% $ = { } # | ^ %% $$ {} ## 5% $5 #1 {x} a=b x|y a^b 10:30 9:05 1:2:3 : 7: @ann @person1 x@y @@ (@bo) @1 @`, 150},
	} {
		parts := strings.Fields(mix.parts)
		before = len(texts)
		const random = 5000
		for i := 0; i < random; i++ {
			var b strings.Builder
			for n := 1 + rng.IntN(12); n > 0; n-- {
				b.WriteString(parts[rng.IntN(len(parts))])
				b.WriteString(seps[rng.IntN(len(seps))])
			}
			check(mix.name, b.String(), nil)
		}
		if read := len(texts) - before; read < random*mix.min/1000 {
			t.Errorf("%s: read in Go %d of %d, want at least %d", mix.name, read, random, random*mix.min/1000)
		} else {
			counts = append(counts, fmt.Sprintf("%d of %d %s texts", read, random, mix.name))
		}
	}

	hyphenated := regexp.MustCompile(`[a-zA-Z]-[a-zA-Z]`)
	n := 0
	for _, text := range texts {
		if hyphenated.MatchString(text) {
			n++
		}
	}
	if n < 500 {
		t.Errorf("%d texts with a hyphenated word read in Go, want at least 500", n)
	}
	counts = append(counts, fmt.Sprintf("%d of them with a hyphenated word", n))

	rows, err := db.SQL.QueryContext(ctx, `SELECT i, t.lit, to_tsvector('english', t.text)::text FROM unnest($1::text[], $2::text[])
		WITH ORDINALITY AS t(lit, text, i) WHERE t.lit::tsvector <> to_tsvector('english', t.text)`, lits, texts)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var i int
		var lit, pg string
		if err := rows.Scan(&i, &lit, &pg); err != nil {
			t.Fatal(err)
		}
		t.Errorf("%s: %.200q\nread in Go  %.300s\nPostgreSQL %.300s", names[i-1], texts[i-1], lit, pg)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("read in Go, each the vector PostgreSQL makes: %s", strings.Join(counts, ", "))
}
