package capture

import (
	"strings"
	"time"
)

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "sun": time.Sunday, "monday": time.Monday, "mon": time.Monday,
	"tuesday": time.Tuesday, "tue": time.Tuesday, "tues": time.Tuesday, "wednesday": time.Wednesday,
	"wed": time.Wednesday, "thursday": time.Thursday, "thu": time.Thursday, "thurs": time.Thursday,
	"friday": time.Friday, "fri": time.Friday, "saturday": time.Saturday, "sat": time.Saturday,
}

// duePhrase finds the last `due:<date>` or `by <date>` in an action item's
// text and returns the date phrase ("" when there is none).
func duePhrase(s string) string {
	_, _, p := dueSpan(s)
	return p
}

// dueSpan finds the last `due:<date>` or `by <date>` in s: its byte range,
// keyword included, and the date phrase; start is -1 when there is none.
func dueSpan(s string) (start, end int, phrase string) {
	start = -1
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20 // ASCII lower case
		if c != 'd' && c != 'b' {
			continue
		}
		if i > 0 && isASCIIWord(s[i-1]) {
			continue
		}
		rest := s[i:]
		var after string
		switch {
		case len(rest) > 4 && strings.EqualFold(rest[:4], "due:"):
			after = strings.TrimLeft(rest[4:], " ")
		case len(rest) > 3 && strings.EqualFold(rest[:3], "by "):
			after = rest[3:]
		default:
			continue
		}
		if p := datePhrase(after); p != "" {
			start, end, phrase = i, len(s)-len(after)+len(p), p
		}
	}
	return start, end, phrase
}

// SetDue rewrites an action item's text to say it is due on iso (a
// YYYY-MM-DD date): its due phrase becomes `due:<iso>`, one is appended
// when it has none, and with iso "" the phrase is removed.
func SetDue(text, iso string) string {
	start, end, _ := dueSpan(text)
	return setPhrase(text, start, end, "due:", iso)
}

// setPhrase puts keyword+value where text[start:end] is (appended when
// start < 0; with value "" the phrase is removed).
func setPhrase(text string, start, end int, keyword, value string) string {
	switch {
	case start < 0 && value == "":
		return text
	case start < 0:
		return strings.TrimRight(text, " \t") + " " + keyword + value
	case value == "":
		return strings.TrimSpace(strings.TrimRight(text[:start], " \t") + text[end:])
	}
	return text[:start] + keyword + value + text[end:]
}

func isASCIIWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// datePhrase returns the date phrase at the start of s: an ISO date, a
// weekday, today, tomorrow, "next week" or "end of week"; else "".
func datePhrase(s string) string {
	for _, p := range []string{"next week", "end of week", "end of the week"} {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) && (len(s) == len(p) || !isASCIIWord(s[len(p)])) {
			return s[:len(p)]
		}
	}
	n := 0
	for n < len(s) && (isASCIIWord(s[n]) || s[n] == '-') {
		n++
	}
	w := s[:n]
	if _, ok := isoDate(w); ok {
		return w
	}
	lw := strings.ToLower(w)
	if _, ok := weekdays[lw]; ok || lw == "today" || lw == "tomorrow" || lw == "eow" {
		return w
	}
	return ""
}

func isoDate(s string) (time.Time, bool) {
	if len(s) != 10 {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// ResolveDue turns a due phrase into the start of that day in loc, counted
// from now: a weekday is the next one after today, "next week" is next
// Monday, "end of week" is this week's Friday (next week's once it has
// passed).
func ResolveDue(phrase string, now time.Time, loc *time.Location) (time.Time, bool) {
	if loc == nil {
		loc = time.UTC
	}
	now = now.In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	p := strings.ToLower(strings.Join(strings.Fields(phrase), " "))
	if d, ok := isoDate(p); ok {
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc), true
	}
	switch p {
	case "today":
		return today, true
	case "tomorrow":
		return today.AddDate(0, 0, 1), true
	case "next week":
		return today.AddDate(0, 0, daysUntil(today.Weekday(), time.Monday, false)), true
	case "end of week", "end of the week", "eow":
		return today.AddDate(0, 0, daysUntil(today.Weekday(), time.Friday, true)), true
	}
	if wd, ok := weekdays[p]; ok {
		return today.AddDate(0, 0, daysUntil(today.Weekday(), wd, false)), true
	}
	return time.Time{}, false
}

// daysUntil counts days from one weekday to the next occurrence of another;
// with orToday, today itself counts.
func daysUntil(from, to time.Weekday, orToday bool) int {
	d := (int(to) - int(from) + 7) % 7
	if d == 0 && !orToday {
		d = 7
	}
	return d
}
