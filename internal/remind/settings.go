package remind

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/debrief-hq/debrief/internal/apperr"
)

// Kinds of reminder: the event types of webhooks and of the event stream.
const (
	// KindDue is an action item due today (at the morning hour), or an
	// item or question at its remind_at.
	KindDue = "reminder.due"
	// KindOverdue is the daily list of overdue items.
	KindOverdue = "digest.overdue"
	// KindMorning is the opt-in morning digest: today's meetings, what is
	// due today, what is overdue.
	KindMorning = "digest.morning"
	// KindRecap follows a meeting whose note has content.
	KindRecap = "meeting.recap"
	// KindPrep comes a few minutes before a meeting with people.
	KindPrep = "meeting.prep"
	// KindNextMeeting is a question, or an item marked "next time",
	// reminded when the next meeting with the people it names starts.
	KindNextMeeting = "reminder.next_meeting"
)

// Kinds lists every kind.
var Kinds = []string{KindDue, KindOverdue, KindMorning, KindRecap, KindPrep, KindNextMeeting}

// Channels a reminder goes out on.
const (
	InApp   = "in_app"
	Email   = "email"
	Webhook = "webhook"
)

// ChannelNames lists every channel.
var ChannelNames = []string{InApp, Email, Webhook}

// Quiet is a daily span ("22:00" to "07:00", local) in which reminders
// that are not tied to a moment the person chose or a meeting they are in
// wait for its end.
type Quiet struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Settings are one person's reminder choices.
type Settings struct {
	// MorningHour is the local hour (0-23) due reminders and digests come at.
	MorningHour int `json:"morning_hour"`
	// QuietHours, when set, hold reminders back.
	QuietHours *Quiet `json:"quiet_hours"`
	// RecapDelay is how many minutes after a meeting ends its recap comes.
	RecapDelay int `json:"recap_delay_minutes"`
	// PrepMinutes is how many minutes before a meeting its prep comes.
	PrepMinutes int `json:"prep_minutes"`
	// Channels maps each kind to the channels it goes to (an empty list:
	// that kind is off).
	Channels map[string][]string `json:"channels"`
	// RecapSeries are the series whose recaps offer to email the attendees
	// (a preview, sent only when asked).
	RecapSeries []string `json:"recap_attendees_series"`
}

// Defaults are the settings of someone who chose nothing: every kind but
// the prep message and the morning digest goes in the app, by email when
// the server can send it, and to the webhooks that subscribe to it.
func Defaults(emailOn bool) Settings {
	all := []string{InApp}
	if emailOn {
		all = append(all, Email)
	}
	all = append(all, Webhook)
	ch := map[string][]string{}
	for _, k := range Kinds {
		ch[k] = slices.Clone(all)
	}
	ch[KindPrep], ch[KindMorning] = []string{}, []string{}
	return Settings{MorningHour: 9, RecapDelay: 10, PrepMinutes: 5, Channels: ch, RecapSeries: []string{}}
}

// LoadSettings reads stored settings over the defaults; what is missing
// or unreadable keeps its default, and email is dropped while the server
// cannot send it.
func LoadSettings(stored string, emailOn bool) Settings {
	s := Defaults(emailOn)
	if stored == "" {
		return s
	}
	var in Settings
	if json.Unmarshal([]byte(stored), &in) != nil {
		return s
	}
	if in.MorningHour >= 0 && in.MorningHour <= 23 {
		s.MorningHour = in.MorningHour
	}
	if in.QuietHours != nil && validClock(in.QuietHours.Start) && validClock(in.QuietHours.End) {
		s.QuietHours = in.QuietHours
	}
	if in.RecapDelay >= 0 && in.RecapDelay <= maxRecapDelay {
		s.RecapDelay = in.RecapDelay
	}
	if in.PrepMinutes >= 1 && in.PrepMinutes <= maxPrep {
		s.PrepMinutes = in.PrepMinutes
	}
	for k, chs := range in.Channels {
		if _, ok := s.Channels[k]; !ok {
			continue
		}
		s.Channels[k] = slices.DeleteFunc(slices.Clone(chs), func(c string) bool {
			return !slices.Contains(ChannelNames, c) || c == Email && !emailOn
		})
	}
	if in.RecapSeries != nil {
		s.RecapSeries = in.RecapSeries
	}
	return s
}

// Store is the settings as kept.
func (s Settings) Store() string {
	b, _ := json.Marshal(s)
	return string(b)
}

const (
	maxRecapDelay = 24 * 60
	maxPrep       = 24 * 60
	maxSeries     = 500
)

// SettingsInput is a change to the settings: fields left out keep their
// value; quiet_hours null turns quiet hours off.
type SettingsInput struct {
	MorningHour *int                `json:"morning_hour"`
	QuietHours  json.RawMessage     `json:"quiet_hours"`
	RecapDelay  *int                `json:"recap_delay_minutes"`
	PrepMinutes *int                `json:"prep_minutes"`
	Channels    map[string][]string `json:"channels"`
	RecapSeries *[]string           `json:"recap_attendees_series"`
}

// Apply checks in and returns cur changed by it; every bad field is named.
func (in SettingsInput) Apply(cur Settings, emailOn bool) (Settings, error) {
	var f apperr.Fields
	out := cur
	out.Channels = make(map[string][]string, len(cur.Channels))
	for k, v := range cur.Channels {
		out.Channels[k] = slices.Clone(v)
	}
	if in.MorningHour != nil {
		if *in.MorningHour < 0 || *in.MorningHour > 23 {
			f.Add("morning_hour", "must be an hour from 0 to 23")
		} else {
			out.MorningHour = *in.MorningHour
		}
	}
	if len(in.QuietHours) > 0 {
		var q *Quiet
		if err := json.Unmarshal(in.QuietHours, &q); err != nil {
			f.Add("quiet_hours", `must be null or {"start":"HH:MM","end":"HH:MM"}`)
		} else if q != nil {
			ok := true
			if !validClock(q.Start) {
				f.Add("quiet_hours.start", "must be a time of day as HH:MM (00:00 to 23:59)")
				ok = false
			}
			if !validClock(q.End) {
				f.Add("quiet_hours.end", "must be a time of day as HH:MM (00:00 to 23:59)")
				ok = false
			}
			if ok && q.Start == q.End {
				f.Add("quiet_hours.end", "must differ from the start")
				ok = false
			}
			if ok {
				out.QuietHours = q
			}
		} else {
			out.QuietHours = nil
		}
	}
	if in.RecapDelay != nil {
		if *in.RecapDelay < 0 || *in.RecapDelay > maxRecapDelay {
			f.Add("recap_delay_minutes", "must be from 0 to %d minutes", maxRecapDelay)
		} else {
			out.RecapDelay = *in.RecapDelay
		}
	}
	if in.PrepMinutes != nil {
		if *in.PrepMinutes < 1 || *in.PrepMinutes > maxPrep {
			f.Add("prep_minutes", "must be from 1 to %d minutes", maxPrep)
		} else {
			out.PrepMinutes = *in.PrepMinutes
		}
	}
	kinds := make([]string, 0, len(in.Channels))
	for k := range in.Channels {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		field := "channels." + k
		if !slices.Contains(Kinds, k) {
			f.Add(field, "is not a kind of reminder (%s)", strings.Join(Kinds, ", "))
			continue
		}
		chs, ok := []string{}, true
		for i, c := range in.Channels[k] {
			switch {
			case !slices.Contains(ChannelNames, c):
				f.Add(fmt.Sprintf("%s[%d]", field, i), "must be in_app, email or webhook")
				ok = false
			case c == Email && !emailOn:
				f.Add(fmt.Sprintf("%s[%d]", field, i), "email is off on this server (it has no DEBRIEF_SMTP_URL)")
				ok = false
			case !slices.Contains(chs, c):
				chs = append(chs, c)
			}
		}
		if ok {
			out.Channels[k] = chs
		}
	}
	if in.RecapSeries != nil {
		switch {
		case len(*in.RecapSeries) > maxSeries:
			f.Add("recap_attendees_series", "must list at most %d series", maxSeries)
		case slices.ContainsFunc(*in.RecapSeries, func(id string) bool { return id == "" || len(id) > 64 }):
			f.Add("recap_attendees_series", "must list series ids")
		default:
			out.RecapSeries = slices.Compact(slices.Sorted(slices.Values(*in.RecapSeries)))
		}
	}
	if err := f.Err(); err != nil {
		return cur, err
	}
	return out, nil
}

func validClock(s string) bool {
	t, err := time.Parse("15:04", s)
	return err == nil && t.Format("15:04") == s
}

// clock is minutes after midnight of an HH:MM.
func clock(s string) int {
	t, _ := time.Parse("15:04", s)
	return t.Hour()*60 + t.Minute()
}

// after returns t, or when t falls in the quiet hours (in loc), the end
// of them.
func (q *Quiet) after(t time.Time, loc *time.Location) time.Time {
	if q == nil {
		return t
	}
	lt := t.In(loc)
	m := lt.Hour()*60 + lt.Minute()
	start, end := clock(q.Start), clock(q.End)
	var in bool
	if start < end {
		in = m >= start && m < end
	} else {
		in = m >= start || m < end
	}
	if !in {
		return t
	}
	day := lt
	if start >= end && m >= start {
		day = lt.AddDate(0, 0, 1)
	}
	return time.Date(day.Year(), day.Month(), day.Day(), end/60, end%60, 0, 0, loc)
}
