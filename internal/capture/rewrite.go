package capture

import "strings"

// RewriteAction changes the line of the action item with blockID so the note
// shows what happened to the item elsewhere (the API, the inbox, an email
// link): done flips its checkbox to [x] (a `!!` line becomes `- [x]`), open
// flips it back, title replaces its text, and remove deletes the line (a
// dropped item must not come back on the next save). It reports whether the
// item's line was found.
func RewriteAction(body, blockID, title string, done, remove bool) (string, bool) {
	for _, it := range Parse(body).Items {
		if it.Kind != KindAction || it.BlockID != blockID {
			continue
		}
		lines := strings.Split(body, "\n")
		if remove {
			lines = append(lines[:it.Line], lines[it.Line+1:]...)
			return strings.Join(lines, "\n"), true
		}
		indent := it.Prefix[:len(it.Prefix)-len(strings.TrimLeft(it.Prefix, " \t"))]
		marker := strings.TrimLeft(it.Prefix, " \t")
		switch {
		case strings.Contains(marker, "[ ]") && done:
			marker = strings.Replace(marker, "[ ]", "[x]", 1)
		case (strings.Contains(marker, "[x]") || strings.Contains(marker, "[X]")) && !done:
			marker = strings.Replace(strings.Replace(marker, "[x]", "[ ]", 1), "[X]", "[ ]", 1)
		case strings.Contains(marker, "!!") && done:
			marker = "- [x] "
		}
		title = strings.TrimSpace(strings.ReplaceAll(title, "\n", " "))
		return SetLine(body, it.Line, indent+marker+title+" ^"+blockID), true
	}
	return body, false
}
