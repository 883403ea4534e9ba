package capture

import (
	"strings"
	"time"
)

// remindSpan finds the last `remind:<when>` in s: its byte range, keyword
// included, and the phrase after the colon; start is -1 when there is none.
// <when> is a date phrase (as for due dates) with an optional time of day
// ("tomorrow 15:00", "2026-03-02 9:30", "friday"), or a time alone ("15:00").
func remindSpan(s string) (start, end int, phrase string) {
	start = -1
	for i := 0; i+7 <= len(s); i++ {
		if (s[i]|0x20) != 'r' || (i > 0 && isASCIIWord(s[i-1])) || !strings.EqualFold(s[i:i+7], "remind:") {
			continue
		}
		after := s[i+7:]
		n := 0
		if c := clockAt(after); c > 0 {
			n = c
		} else if p := datePhrase(after); p != "" {
			n = len(p)
			if len(after) > n+1 && after[n] == ' ' {
				if c := clockAt(after[n+1:]); c > 0 {
					n += 1 + c
				}
			}
		}
		if n > 0 {
			start, end, phrase = i, i+7+n, after[:n]
		}
	}
	return start, end, phrase
}

// clockAt is the length of the H:MM or HH:MM time of day at the start of
// s, or 0.
func clockAt(s string) int {
	for _, n := range []int{5, 4} {
		if len(s) < n || (len(s) > n && isASCIIWord(s[n])) {
			continue
		}
		if _, err := time.Parse("15:04", s[:n]); err == nil && strings.IndexByte(s[:n], ':') == n-3 {
			return n
		}
	}
	return 0
}

func remindPhrase(s string) string {
	_, _, p := remindSpan(s)
	return p
}

// ResolveRemind turns a remind phrase into a moment in loc: its date (today
// when it names only a time, tomorrow when that time has passed) at its
// time of day, or at morningHour when it names none.
func ResolveRemind(phrase string, now time.Time, loc *time.Location, morningHour int) (time.Time, bool) {
	if loc == nil {
		loc = time.UTC
	}
	phrase = strings.TrimSpace(phrase)
	hour, minute := morningHour, 0
	datePart := phrase
	if i := strings.LastIndexByte(phrase, ' '); i >= 0 && clockAt(phrase[i+1:]) == len(phrase)-i-1 {
		t, _ := time.Parse("15:04", padClock(phrase[i+1:]))
		hour, minute, datePart = t.Hour(), t.Minute(), phrase[:i]
	} else if clockAt(phrase) == len(phrase) {
		t, _ := time.Parse("15:04", padClock(phrase))
		local := now.In(loc)
		at := time.Date(local.Year(), local.Month(), local.Day(), t.Hour(), t.Minute(), 0, 0, loc)
		if !at.After(now) {
			at = time.Date(local.Year(), local.Month(), local.Day()+1, t.Hour(), t.Minute(), 0, 0, loc)
		}
		return at, true
	}
	day, ok := ResolveDue(datePart, now, loc)
	if !ok {
		return time.Time{}, false
	}
	return time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, loc), true
}

func padClock(s string) string {
	if len(s) == 4 {
		return "0" + s
	}
	return s
}

// SetRemind rewrites a line's text to remind at when ("2026-03-02 15:00"):
// its remind phrase becomes `remind:<when>`, one is appended when it has
// none, and with when "" the phrase is removed.
func SetRemind(text, when string) string {
	start, end, _ := remindSpan(text)
	return setPhrase(text, start, end, "remind:", when)
}

// NextTime reports whether a line says "next time": it waits for the next
// meeting with the people it names.
func NextTime(s string) bool {
	for i := 0; i+9 <= len(s); i++ {
		if (s[i]|0x20) == 'n' && (i == 0 || !isASCIIWord(s[i-1])) && strings.EqualFold(s[i:i+9], "next time") &&
			(i+9 == len(s) || !isASCIIWord(s[i+9])) {
			return true
		}
	}
	return false
}

// HasRemind reports whether a line has a remind phrase.
func HasRemind(s string) bool {
	start, _, _ := remindSpan(s)
	return start >= 0
}
