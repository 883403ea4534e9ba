package capture

import (
	"strconv"
	"strings"
	"time"
)

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "sun": time.Sunday, "monday": time.Monday, "mon": time.Monday,
	"tuesday": time.Tuesday, "tue": time.Tuesday, "tues": time.Tuesday, "wednesday": time.Wednesday,
	"wed": time.Wednesday, "thursday": time.Thursday, "thu": time.Thursday, "thurs": time.Thursday,
	"friday": time.Friday, "fri": time.Friday, "saturday": time.Saturday, "sat": time.Saturday,
}

var months = map[string]time.Month{
	"january": time.January, "jan": time.January, "february": time.February, "feb": time.February,
	"march": time.March, "mar": time.March, "april": time.April, "apr": time.April, "may": time.May,
	"june": time.June, "jun": time.June, "july": time.July, "jul": time.July, "august": time.August,
	"aug": time.August, "september": time.September, "sep": time.September, "sept": time.September,
	"october": time.October, "oct": time.October, "november": time.November, "nov": time.November,
	"december": time.December, "dec": time.December,
}

var counts = map[string]int{
	"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10,
}

// duePhrase finds an action item's due phrase (dueSpan) and returns it, ""
// when there is none.
func duePhrase(s string) string {
	_, _, p := dueSpan(s)
	return p
}

// dueSpan finds the last due phrase in an action item's text: `due:<date>`
// or `by <date>` (any date phrase), or a phrase that says a due date on its
// own — "tomorrow", "next tuesday", "in 2 days", "eod", "end of month".
// It returns the phrase's byte range, keyword included, and the date
// phrase; start is -1 when there is none.
func dueSpan(s string) (start, end int, phrase string) {
	start = -1
	for i := 0; i < len(s); i++ {
		if i > 0 && isASCIIWord(s[i-1]) || !isASCIIWord(s[i]) {
			continue
		}
		rest := s[i:]
		var after string
		switch {
		case len(rest) > 7 && strings.EqualFold(rest[:7], "remind:"):
			// A reminder's moment is not a due date.
			if _, e, p := remindSpan(rest); p != "" {
				i += e - 1
			}
			continue
		case len(rest) > 4 && strings.EqualFold(rest[:4], "due:"):
			after = strings.TrimLeft(rest[4:], " ")
		case len(rest) > 3 && strings.EqualFold(rest[:3], "by "):
			after = rest[3:]
		}
		if after != "" {
			if p := datePhrase(after); p != "" {
				start, end, phrase = i, len(s)-len(after)+len(p), p
				i = end - 1
				continue
			}
		}
		if p := ownPhrase(rest); p != "" {
			start, end, phrase = i, i+len(p), p
			i += len(p) - 1
		}
	}
	return start, end, phrase
}

// DueProblem is the text of a phrase that looks like a due date but is not
// one this parser reads — `due:someday`, `by 31.02.`, `by next fortnight`
// — or "": a save says so instead of dropping it silently.
func DueProblem(text string) string {
	if _, _, p := dueSpan(text); p != "" {
		return ""
	}
	for i := 0; i < len(text); i++ {
		if i > 0 && isASCIIWord(text[i-1]) {
			continue
		}
		rest := text[i:]
		switch {
		case len(rest) > 4 && strings.EqualFold(rest[:4], "due:"):
			return "due:" + firstWords(strings.TrimLeft(rest[4:], " "), 1)
		case len(rest) > 3 && strings.EqualFold(rest[:3], "by "):
			w := firstWords(rest[3:], 1)
			lw := strings.ToLower(w)
			_, month := months[strings.TrimRight(lw, ".,")]
			if lw == "next" || lw == "end" || month || strings.ContainsAny(w, "0123456789") && strings.ContainsAny(w, "./-") {
				return "by " + firstWords(rest[3:], 2)
			}
		}
	}
	return ""
}

// firstWords is the first n space-separated words of s.
func firstWords(s string, n int) string {
	f := strings.Fields(s)
	return strings.TrimRight(strings.Join(f[:min(n, len(f))], " "), ",;")
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

// wordAt reports whether s starts with word (any case) ending at a word
// boundary.
func wordAt(s, word string) bool {
	return len(s) >= len(word) && strings.EqualFold(s[:len(word)], word) && (len(s) == len(word) || !isASCIIWord(s[len(word)]))
}

// ownPhrase is the date phrase at the start of s that says a due date
// without `by`: relative ones ("tomorrow", "next friday", "in 2 weeks",
// "eod", "end of month"); a bare weekday or date needs `by`.
func ownPhrase(s string) string {
	switch s[0] | 0x20 { // tomorrow, eod, eow, eom, end of…, next…, in…
	case 't', 'e', 'n', 'i':
	default:
		return ""
	}
	p := datePhrase(s)
	lp := strings.ToLower(p)
	switch {
	case p == "":
		return ""
	case lp == "tomorrow" || lp == "eod" || lp == "eow" || lp == "eom",
		strings.HasPrefix(lp, "next ") || strings.HasPrefix(lp, "in ") || strings.HasPrefix(lp, "end of"):
		if len(s) > len(p) && s[len(p)] == '\'' { // "tomorrow's"
			return ""
		}
		return p
	}
	return ""
}

// datePhrase returns the date phrase at the start of s, or "": an ISO date;
// a day and month as people write them (24.12., 24.12.2026, 24/12, 12/24
// where months come first, 24 Dec, December 24, 2026); a weekday, "next
// friday"; today, tomorrow, eod; "in 3 days", "in two weeks"; "next week",
// "end of week", "end of month" (eow, eom).
func datePhrase(s string) string {
	for _, p := range []string{"next week", "end of the week", "end of week", "end of the month", "end of month",
		"end of the day", "end of day"} {
		if wordAt(s, p) {
			return s[:len(p)]
		}
	}
	if wordAt(s, "next") && len(s) > 5 && s[4] == ' ' {
		if w := leadingWord(s[5:]); w != "" {
			if _, ok := weekdays[strings.ToLower(w)]; ok {
				return s[:5+len(w)]
			}
		}
	}
	if wordAt(s, "in") && len(s) > 3 && s[2] == ' ' {
		if n, unit := leadingWord(s[3:]), ""; n != "" {
			rest := s[3+len(n):]
			if len(rest) > 1 && rest[0] == ' ' {
				unit = leadingWord(rest[1:])
			}
			if _, ok := countOf(n); ok && isUnit(unit) {
				return s[:3+len(n)+1+len(unit)]
			}
		}
	}
	if p := dayMonthPhrase(s); p != "" {
		// Only a day that exists (in a leap year: 29.2. is one), read day
		// first or month first.
		leap := time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
		if _, ok := dayMonth(strings.ToLower(p), leap, time.UTC); ok {
			return p
		}
		if _, ok := dayMonth(strings.ToLower(p), leap, usZone); ok {
			return p
		}
		return ""
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
	if _, ok := weekdays[lw]; ok || lw == "today" || lw == "tomorrow" || lw == "eow" || lw == "eod" || lw == "eom" {
		return w
	}
	return ""
}

func leadingWord(s string) string {
	n := 0
	for n < len(s) && isASCIIWord(s[n]) {
		n++
	}
	return s[:n]
}

func countOf(w string) (int, bool) {
	if n, ok := counts[strings.ToLower(w)]; ok {
		return n, true
	}
	n, err := strconv.Atoi(w)
	return n, err == nil && n >= 0 && n <= 366
}

func isUnit(w string) bool {
	switch strings.ToLower(w) {
	case "day", "days", "week", "weeks":
		return true
	}
	return false
}

// dayMonthPhrase is a day and month at the start of s: numeric (24.12.,
// 24.12.2026, 24/12, 24/12/26) or with the month's name (24 Dec, 24
// December 2026, Dec 24, December 24, 2026). Whether a valid date is left
// to ResolveDue.
func dayMonthPhrase(s string) string {
	// Numeric: 1-2 digits, a separator, 1-2 digits, then the same separator
	// and a 2- or 4-digit year, or a trailing dot.
	if n := digits(s); n >= 1 && n <= 2 && n < len(s) && (s[n] == '.' || s[n] == '/') {
		sep := s[n]
		m := digits(s[n+1:])
		if m >= 1 && m <= 2 {
			end := n + 1 + m
			if end < len(s) && s[end] == sep {
				if y := digits(s[end+1:]); y == 2 || y == 4 {
					end += 1 + y
				} else if sep == '.' {
					end++ // "24.12."
				} else {
					return ""
				}
			} else if sep == '.' {
				return "" // "1.5" is a number
			}
			if end < len(s) && (isASCIIWord(s[end]) || s[end] == '/' || s[end] == '.' && sep == '/') {
				return ""
			}
			return s[:end]
		}
		return ""
	}
	// "24 Dec [2026]"
	if n := digits(s); n >= 1 && n <= 2 && n+1 < len(s) && s[n] == ' ' {
		if w := leadingWord(s[n+1:]); w != "" {
			if _, ok := months[strings.ToLower(w)]; ok {
				end := n + 1 + len(w)
				if end+5 <= len(s) && s[end] == ' ' && digits(s[end+1:]) == 4 {
					end += 5
				}
				return s[:end]
			}
		}
	}
	// "Dec 24[, 2026]"
	if w := leadingWord(s); w != "" {
		if _, ok := months[strings.ToLower(w)]; ok && len(w)+1 < len(s) && s[len(w)] == ' ' {
			rest := s[len(w)+1:]
			if n := digits(rest); n >= 1 && n <= 2 && (n == len(rest) || !isASCIIWord(rest[n])) {
				end := len(w) + 1 + n
				tail := s[end:]
				if strings.HasPrefix(tail, ", ") && digits(tail[2:]) == 4 {
					end += 6
				} else if strings.HasPrefix(tail, " ") && digits(tail[1:]) == 4 {
					end += 5
				}
				return s[:end]
			}
		}
	}
	return ""
}

func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

func isoDate(s string) (time.Time, bool) {
	if len(s) != 10 {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// ResolveDue turns a due phrase into the start of that day in loc, counted
// from now: a weekday is the next one after today, "next friday" the Friday
// of next week (weeks start on Monday), "next week" next Monday, "end of
// week" this week's Friday (next week's once it has passed), "end of
// month" its last day, "in 2 days" two days on, eod today. A day and month
// without a year is the next such day from today; a numeric one is read
// day first, or month first where loc's people write it so (the United
// States).
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
	case "today", "eod", "end of day", "end of the day":
		return today, true
	case "tomorrow":
		return today.AddDate(0, 0, 1), true
	case "next week":
		return today.AddDate(0, 0, daysUntil(today.Weekday(), time.Monday, false)), true
	case "end of week", "end of the week", "eow":
		return today.AddDate(0, 0, daysUntil(today.Weekday(), time.Friday, true)), true
	case "end of month", "end of the month", "eom":
		return time.Date(today.Year(), today.Month()+1, 0, 0, 0, 0, 0, loc), true
	}
	if wd, ok := weekdays[p]; ok {
		return today.AddDate(0, 0, daysUntil(today.Weekday(), wd, false)), true
	}
	if rest, ok := strings.CutPrefix(p, "next "); ok {
		if wd, ok := weekdays[rest]; ok {
			monday := today.AddDate(0, 0, daysUntil(today.Weekday(), time.Monday, false))
			return monday.AddDate(0, 0, (int(wd)-int(time.Monday)+7)%7), true
		}
		return time.Time{}, false
	}
	if rest, ok := strings.CutPrefix(p, "in "); ok {
		f := strings.Fields(rest)
		if len(f) == 2 && isUnit(f[1]) {
			if n, ok := countOf(f[0]); ok {
				if strings.HasPrefix(f[1], "week") {
					n *= 7
				}
				return today.AddDate(0, 0, n), true
			}
		}
		return time.Time{}, false
	}
	return dayMonth(p, today, loc)
}

// dayMonth resolves a day-and-month phrase (dayMonthPhrase).
func dayMonth(p string, today time.Time, loc *time.Location) (time.Time, bool) {
	var day, month, year int
	f := strings.FieldsFunc(strings.TrimSuffix(p, "."), func(r rune) bool { return r == '.' || r == '/' || r == ' ' || r == ',' })
	switch {
	case len(f) >= 2 && digits(f[0]) == len(f[0]) && digits(f[1]) == len(f[1]):
		a, _ := strconv.Atoi(f[0])
		b, _ := strconv.Atoi(f[1])
		day, month = a, b
		if strings.Contains(p, "/") && monthFirst(loc) {
			day, month = b, a
		}
	case len(f) >= 2 && digits(f[0]) == len(f[0]):
		m, ok := months[f[1]]
		if !ok {
			return time.Time{}, false
		}
		day, _ = strconv.Atoi(f[0])
		month = int(m)
	case len(f) >= 2:
		m, ok := months[f[0]]
		if !ok || digits(f[1]) != len(f[1]) {
			return time.Time{}, false
		}
		day, _ = strconv.Atoi(f[1])
		month = int(m)
	default:
		return time.Time{}, false
	}
	if len(f) == 3 {
		if digits(f[2]) != len(f[2]) {
			return time.Time{}, false
		}
		year, _ = strconv.Atoi(f[2])
		if len(f[2]) == 2 {
			year += 2000
		}
	} else if len(f) > 3 {
		return time.Time{}, false
	}
	y := year
	if y == 0 {
		y = today.Year()
	}
	d := time.Date(y, time.Month(month), day, 0, 0, 0, 0, loc)
	if month < 1 || month > 12 || d.Day() != day {
		return time.Time{}, false // 31.02. is no day
	}
	if year == 0 && d.Before(today) {
		d = time.Date(y+1, time.Month(month), day, 0, 0, 0, 0, loc)
		if d.Day() != day {
			return time.Time{}, false
		}
	}
	return d, true
}

// usZone is a zone whose people write the month first.
var usZone = time.FixedZone("US/Eastern", -5*3600)

// monthFirst reports whether people in loc write the month before the day
// (5/6 is May 6th): the zones of the United States.
func monthFirst(loc *time.Location) bool {
	name := loc.String()
	if strings.HasPrefix(name, "US/") || name == "Pacific/Honolulu" {
		return true
	}
	rest, ok := strings.CutPrefix(name, "America/")
	if !ok {
		return false
	}
	if strings.HasPrefix(rest, "Indiana/") || strings.HasPrefix(rest, "Kentucky/") || strings.HasPrefix(rest, "North_Dakota/") {
		return true
	}
	switch rest {
	case "New_York", "Chicago", "Denver", "Los_Angeles", "Phoenix", "Anchorage", "Detroit", "Boise", "Juneau",
		"Adak", "Nome", "Sitka", "Yakutat", "Metlakatla", "Menominee":
		return true
	}
	return false
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

// Warning is something in a note a save could not read as its writer meant.
type Warning struct {
	Line    int // 0-based
	Text    string
	Message string
}

// DueWarnings are the action items' due phrases that look like dates but
// are not ones this parser reads, or name no day (in loc, from now): the
// save keeps the item without a due date and says why.
func DueWarnings(items []Item, now time.Time, loc *time.Location) []Warning {
	var out []Warning
	for _, it := range items {
		if it.Kind != KindAction {
			continue
		}
		switch {
		case it.Due != "":
			if _, ok := ResolveDue(it.Due, now, loc); !ok {
				out = append(out, Warning{Line: it.Line, Text: it.Due,
					Message: "“" + it.Due + "” is not a day here; the item has no due date"})
			}
		default:
			if p := DueProblem(it.Text); p != "" {
				out = append(out, Warning{Line: it.Line, Text: p,
					Message: "“" + p + "” is not a date Debrief reads (try by friday, by next tuesday, in 2 days, by 24.12., due:2026-12-24); the item has no due date"})
			}
		}
	}
	return out
}
