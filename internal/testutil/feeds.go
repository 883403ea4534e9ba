package testutil

import (
	"fmt"
	"strings"
	"time"
)

// ICSFeed writes n weekly series (a year and more of occurrences each),
// with the given number of attendees and a description that brings each
// series to about 2.5 KB: the load for the calendar benchmarks (in tests
// and bench/calsync).
func ICSFeed(n, attendees int, now time.Time) string {
	var sb strings.Builder
	sb.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n")
	days := []string{"MO", "TU", "WE", "TH", "FR"}
	for i := 0; i < n; i++ {
		start := now.AddDate(0, 0, -80+i%60).Truncate(24 * time.Hour).Add(time.Duration(8+i%9) * time.Hour)
		fmt.Fprintf(&sb, "BEGIN:VEVENT\r\nUID:series-%d@bench.example\r\nSUMMARY:Weekly sync %d\r\n", i, i)
		fmt.Fprintf(&sb, "DTSTART;TZID=Europe/Berlin:%s\r\nDTEND;TZID=Europe/Berlin:%s\r\n", start.Format("20060102T150405"), start.Add(45*time.Minute).Format("20060102T150405"))
		fmt.Fprintf(&sb, "RRULE:FREQ=WEEKLY;BYDAY=%s\r\n", days[i%5])
		if attendees > 0 {
			fmt.Fprintf(&sb, "ORGANIZER;CN=Person %d:mailto:p%d@org%d.example\r\n", i%2000, i%2000, i%150)
		}
		for k := 0; k < attendees; k++ {
			p := (i*5 + k*397) % 2000
			fmt.Fprintf(&sb, "ATTENDEE;CN=Person %d;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:p%d@org%d.example\r\n", p, p, p%150)
		}
		desc := "DESCRIPTION:" + strings.Repeat("Agenda: numbers\\, risks\\, decisions and who owes what by when. ", 28+8*(5-attendees)/5)
		for first := true; len(desc) > 0; first = false {
			n := min(len(desc), 74)
			if !first {
				sb.WriteString(" ")
			}
			sb.WriteString(desc[:n] + "\r\n")
			desc = desc[n:]
		}
		sb.WriteString("END:VEVENT\r\n")
	}
	sb.WriteString("END:VCALENDAR\r\n")
	return sb.String()
}
