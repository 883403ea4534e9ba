package httpapi_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/debrief-hq/debrief/internal/testutil"
)

// The defects found by attacking Debrief and feeding it real calendars,
// one test each, on both databases.

// TestImportOutlookAllDayExceptions: an Outlook all-day series whose
// EXDATE and RECURRENCE-ID are local midnight in a Windows zone, imported
// by someone in New York: the excluded day is not a meeting and the moved
// one is one meeting, on its new day.
func TestImportOutlookAllDayExceptions(t *testing.T) {
	body, err := os.ReadFile("../../testdata/ics/debrief/outlook-allday-exceptions.ics")
	if err != nil {
		t.Fatal(err)
	}
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		c := testutil.SignUp(t, a.HTTP)
		c.Do("PATCH", "/api/v1/me", map[string]any{"time_zone": "America/New_York"}).Expect(t, 200)
		r := importICS(t, c, "?from=2021-04-01&to=2021-05-01", string(body))
		if r.Created != 6 || len(r.Errors) != 0 {
			t.Fatalf("import: %+v", r)
		}
		var got []string
		for _, m := range listAll(t, c, "&from=2021-04-01&to=2021-05-01") {
			got = append(got, m.StartsAt+" "+m.Status+" "+m.Title)
		}
		slices.Sort(got)
		// Midnight in New York (EDT) is 04:00 UTC.
		want := []string{"2021-04-05T04:00:00Z confirmed Offsite", "2021-04-06T04:00:00Z confirmed Offsite",
			"2021-04-08T04:00:00Z confirmed Offsite", "2021-04-10T04:00:00Z confirmed Offsite",
			"2021-04-11T04:00:00Z confirmed Offsite", "2021-04-13T04:00:00Z confirmed Offsite (moved)"}
		if !slices.Equal(got, want) {
			t.Errorf("meetings:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}
