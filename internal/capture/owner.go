package capture

import (
	"sort"
	"strings"
	"unicode"
)

// Owner finds who an action item's line says owns it: the mention after
// `owner:` anywhere in the line, else the mention the line starts with
// (`@anna send the deck`, `@anna: send the deck`). A mention elsewhere
// (`follow up with @anna`) names someone the item is about, not its owner:
// without an owner the item is the writer's. It returns the mention's index
// in it.Mentions, or -1.
func Owner(it Item) int {
	lead := -1
	for i, m := range it.Mentions {
		if m.At >= 6 && strings.EqualFold(it.Text[m.At-6:m.At], "owner:") && (m.At == 6 || !isASCIIWord(it.Text[m.At-7])) {
			return i
		}
		if m.At == 0 {
			lead = i
		}
	}
	return lead
}

// IsSelf reports whether a mention's handle names the writer ("@me").
func IsSelf(m Mention) bool {
	h := strings.ToLower(m.Handle)
	return h == "me" || h == "myself"
}

// ownerSpan is the byte range of the item's owner in its text: `owner:`
// with the mention, or the leading mention with a colon after it; words
// is how many of the words after the handle are part of the name.
func ownerSpan(it Item, words int) (start, end int, ok bool) {
	i := Owner(it)
	if i < 0 {
		return 0, 0, false
	}
	m := it.Mentions[i]
	start, end = m.At, m.End(words)
	if m.At >= 6 && strings.EqualFold(it.Text[m.At-6:m.At], "owner:") {
		start -= 6
	} else if end < len(it.Text) && it.Text[end] == ':' {
		end++
	}
	return start, end, true
}

// Title is what an item is called: its line without the syntax that says
// when it is due (`by friday`, `due:…`), when to remind (`remind:…`) and who
// owns it (`owner:@x`, or the mention it starts with, when that mention
// named someone: ownerWords is how many words after the handle belong to
// their name, named whether it named anyone). The words stay, mentions
// elsewhere included.
func Title(it Item, ownerWords int, named bool) string {
	type span struct{ start, end int }
	var cut []span
	if it.Kind == KindAction {
		if s, e, _ := dueSpan(it.Text); s >= 0 {
			cut = append(cut, span{s, e})
		}
		if named {
			if s, e, ok := ownerSpan(it, ownerWords); ok {
				cut = append(cut, span{s, e})
			}
		}
	}
	if it.Kind == KindAction || it.Kind == KindQuestion {
		if s, e, _ := remindSpan(it.Text); s >= 0 {
			cut = append(cut, span{s, e})
		}
	}
	if len(cut) == 0 {
		return tidy(it.Text, it.Text)
	}
	sort.Slice(cut, func(i, j int) bool { return cut[i].start > cut[j].start })
	t := it.Text
	last := len(t) + 1
	for _, c := range cut {
		if c.end > last { // overlapping spans: the later one covers it
			continue
		}
		t = t[:c.start] + " " + t[c.end:]
		last = c.start
	}
	return tidy(t, it.Text)
}

// tidy collapses spaces, closes the gaps a removed phrase left before
// punctuation and trims what dangles at the ends; an empty result falls
// back to the line as written.
func tidy(t, fallback string) string {
	t = strings.Join(strings.Fields(t), " ")
	for _, p := range []string{",", ".", ";", ":", "!", "?", ")"} {
		t = strings.ReplaceAll(t, " "+p, p)
	}
	t = strings.TrimLeftFunc(t, func(r rune) bool { return r == ':' || r == ',' || r == '-' || unicode.IsSpace(r) })
	t = strings.TrimRightFunc(t, func(r rune) bool { return r == ',' || r == ';' || r == ':' || r == '-' || unicode.IsSpace(r) })
	if t == "" {
		return strings.Join(strings.Fields(fallback), " ")
	}
	return t
}

// SetOwner rewrites an action item's line to say who owns it: handle (an
// @mention, "@Carol Danvers") takes the place of the owner the line names
// (words: the words after its handle that are part of the name), or starts
// the line when it names none; with handle "" the owner is removed (the item
// is the writer's).
func SetOwner(text string, words int, handle string) string {
	it := ItemOf(KindAction, text)
	start, end, ok := ownerSpan(it, words)
	switch {
	case !ok && handle == "":
		return text
	case !ok:
		return handle + " " + text
	case handle == "":
		return tidy(text[:start]+" "+text[end:], text)
	}
	if strings.HasPrefix(strings.ToLower(text[start:]), "owner:") {
		handle = "owner:" + handle
	} else if end > 0 && text[end-1] == ':' {
		handle += ":"
	}
	return text[:start] + handle + text[end:]
}

// ItemOf reads one line's text (without its marker and block id) as an item
// of kind: its mentions, due, remind and "next time" phrases.
func ItemOf(kind Kind, text string) Item {
	it := Item{Kind: kind, Text: text}
	it.Mentions = mentions(text, 0, nil)
	if kind == KindAction {
		it.Due = duePhrase(text)
		it.NextTime = NextTime(text)
	}
	if kind == KindAction || kind == KindQuestion {
		it.Remind = remindPhrase(text)
	}
	return it
}
