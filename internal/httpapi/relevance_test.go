package httpapi_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/testutil"
)

// minRecallAt5 is what TestSearchRelevance requires of each backend: the
// figures measured (docs/performance.md) less a small margin.
var minRecallAt5 = map[testutil.Backend]float64{testutil.SQLite: 0.72, testutil.Postgres: 0.69}

// TestSearchRelevance loads the QMSum validation meetings (35 transcripts,
// testdata/qmsum) as meetings whose notes are their transcripts, runs their
// 237 specific queries through GET /api/v1/search as a person would type
// them ("What did F think about the XML format?"), and measures how often
// the meeting a query was asked about is among the first five meetings
// found (recall@5).
func TestSearchRelevance(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "qmsum")
	files, err := filepath.Glob(filepath.Join(dir, "val", "*.json"))
	if err != nil || len(files) != 35 {
		t.Fatalf("%d meetings in %s (%v)", len(files), dir, err)
	}
	queries := readQueries(t, filepath.Join(dir, "queries-val-specific.tsv"))
	if len(queries) != 237 {
		t.Fatalf("%d queries", len(queries))
	}
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := searchApp(t, b, testutil.Config(t, b))
		c := testutil.SignUp(t, a.HTTP)
		ids := map[string]string{} // QMSum meeting → Debrief meeting
		for i, f := range files {
			name := strings.TrimSuffix(filepath.Base(f), ".json")
			m := createMeeting(t, c, map[string]any{"title": name,
				"starts_at": time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC).AddDate(0, 0, 7*i).Format(time.RFC3339)})
			ids[name] = m.ID
			c.Do("PUT", "/api/v1/meetings/"+m.ID+"/note", map[string]any{"body": transcript(t, f)}).Expect(t, 200)
		}
		eventually(t, c, "type:note", func(r searchJSON) bool { return r.Total == len(files) })

		found, rr := 0, 0.0
		for _, q := range queries {
			var r searchJSON
			c.Do("GET", "/api/v1/search?limit=20&q="+url.QueryEscape(q.text), nil).Expect(t, 200).JSON(t, &r)
			var top []string // meetings, best first
			for _, h := range r.Items {
				if h.MeetingID != "" && !slices.Contains(top, h.MeetingID) && len(top) < 5 {
					top = append(top, h.MeetingID)
				}
			}
			if i := slices.Index(top, ids[q.meeting]); i >= 0 {
				found++
				rr += 1 / float64(i+1)
			} else if testing.Verbose() && os.Getenv("DEBRIEF_RELEVANCE_MISSES") != "" {
				t.Logf("missed %s: %q", q.meeting, q.text)
			}
		}
		recall := float64(found) / float64(len(queries))
		t.Logf("%s: recall@5 %.3f (%d of %d queries), MRR@5 %.3f", b, recall, found, len(queries), rr/float64(len(queries)))
		if recall < minRecallAt5[b] {
			t.Errorf("%s: recall@5 %.3f, below %.2f", b, recall, minRecallAt5[b])
		}
	})
}

type qmsumQuery struct{ meeting, text string }

func readQueries(t *testing.T, path string) []qmsumQuery {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = '\t', true, -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []qmsumQuery
	for _, row := range rows[1:] { // meeting_id split domain query_type query …
		out = append(out, qmsumQuery{meeting: row[0], text: row[4]})
	}
	return out
}

// transcript is a QMSum meeting as notes: one "Speaker: words" line a turn.
func transcript(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Turns []struct {
			Speaker string `json:"speaker"`
			Content string `json:"content"`
		} `json:"meeting_transcripts"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, turn := range m.Turns {
		fmt.Fprintf(&sb, "%s: %s\n", turn.Speaker, turn.Content)
	}
	return sb.String()
}
