package ics

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"
)

// zones resolves the TZID a feed names to a time.Location: an IANA name, a
// Windows name (Outlook), a vendor-prefixed IANA name
// (`/mozilla.org/20050126_1/America/New_York`), or a zone the feed defines
// only by its VTIMEZONE, which is compiled into a location. What cannot be
// resolved is read in the floating zone and reported.
type zones struct {
	defs  map[string]*ical.Component
	cache map[string]*time.Location
	// floating is the zone of date-times without one: the calendar's
	// (X-WR-TIMEZONE), else the user's.
	floating *time.Location
	// dates is the zone all-day dates start their day in: always the
	// user's, so that a date is the same date wherever the feed was made.
	dates *time.Location
	// compiled counts the VTIMEZONEs compiled, at most maxCompiledZones.
	compiled int
}

// maxCompiledZones bounds the zones one feed may define only by VTIMEZONE.
const maxCompiledZones = 100

func newZones(floating, dates *time.Location) *zones {
	return &zones{defs: map[string]*ical.Component{}, cache: map[string]*time.Location{}, floating: floating, dates: dates}
}

// lookup resolves tzid; ok is false when it fell back to the floating zone.
func (z *zones) lookup(tzid string) (*time.Location, bool) {
	tzid = strings.TrimSpace(strings.Trim(tzid, `"`))
	if tzid == "" {
		return z.floating, false
	}
	if loc, ok := z.cache[tzid]; ok {
		if loc == nil {
			return z.floating, false
		}
		return loc, true
	}
	loc := z.resolve(tzid)
	z.cache[tzid] = loc
	if loc == nil {
		return z.floating, false
	}
	return loc, true
}

func (z *zones) resolve(tzid string) *time.Location {
	if loc := ianaZone(tzid); loc != nil {
		return loc
	}
	if name, ok := windowsZones[tzid]; ok {
		if loc := ianaZone(name); loc != nil {
			return loc
		}
	}
	def := z.defs[tzid]
	if def != nil {
		if p := def.Props.Get("X-LIC-LOCATION"); p != nil {
			if loc := ianaZone(p.Value); loc != nil {
				return loc
			}
		}
	}
	// Vendor prefixes and legacy spellings: try the last one to three path
	// parts, and dashes for slashes (`US-Eastern`).
	parts := strings.Split(strings.Trim(tzid, "/"), "/")
	for n := 3; n >= 1; n-- {
		if len(parts) > n {
			if loc := ianaZone(strings.Join(parts[len(parts)-n:], "/")); loc != nil {
				return loc
			}
		}
	}
	if loc := ianaZone(strings.Replace(tzid, "-", "/", 1)); loc != nil {
		return loc
	}
	if def != nil && z.compiled < maxCompiledZones {
		z.compiled++
		if loc, err := compileZone(tzid, def); err == nil {
			return loc
		}
	}
	return nil
}

// ianaZone loads name from the time-zone database, refusing the names Go
// gives a special meaning ("", "Local").
func ianaZone(name string) *time.Location {
	name = strings.TrimSpace(name)
	if name == "" || name == "Local" || strings.ContainsAny(name, " ,;") {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}

// transition is one change of offset in a compiled VTIMEZONE.
type transition struct {
	at     int64 // Unix seconds
	from   int   // seconds east of UTC before it
	offset int   // seconds east of UTC after it
	dst    bool
	name   string
}

// compileZone turns a VTIMEZONE's STANDARD and DAYLIGHT observances into a
// time.Location, by listing their transitions from 1901 to 2037 and loading
// them as TZif data (RFC 8536, version 1), the form Go's time package reads.
func compileZone(tzid string, def *ical.Component) (*time.Location, error) {
	var ts []transition
	for _, ob := range def.Children {
		if ob.Name != "STANDARD" && ob.Name != "DAYLIGHT" {
			continue
		}
		from, err1 := parseOffset(propValue(ob, "TZOFFSETFROM"))
		to, err2 := parseOffset(propValue(ob, "TZOFFSETTO"))
		if err1 != nil || err2 != nil {
			continue
		}
		start, err := time.Parse("20060102T150405", strings.TrimSuffix(propValue(ob, "DTSTART"), "Z"))
		if err != nil {
			continue
		}
		name := propValue(ob, "TZNAME")
		onsets := []time.Time{start}
		if p := ob.Props.Get("RRULE"); p != nil {
			// Observances change once a year; any other rule is a mistake
			// or an attack, and costs its onset only.
			if opt, err := rrule.StrToROptionInLocation(p.Value, time.UTC); err == nil && opt.Freq == rrule.YEARLY {
				opt.Dtstart = start
				if opt.Until.IsZero() || opt.Until.Year() > 2037 {
					opt.Until = time.Date(2037, 12, 31, 0, 0, 0, 0, time.UTC)
				}
				onsets = append(onsets, yearlyOnsets(*opt)...)
			}
		}
		for _, p := range ob.Props.Values("RDATE") {
			for _, v := range strings.Split(p.Value, ",") {
				if t, err := time.Parse("20060102T150405", strings.TrimSuffix(v, "Z")); err == nil {
					onsets = append(onsets, t)
				}
			}
		}
		for _, t := range onsets {
			ts = append(ts, transition{at: t.Unix() - int64(from), from: from, offset: to, dst: ob.Name == "DAYLIGHT", name: name})
		}
	}
	if len(ts) == 0 {
		return nil, fmt.Errorf("VTIMEZONE %q has no usable observance", tzid)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].at < ts[j].at })
	// TZif version 1 holds 32-bit times (1901–2038): what comes before sets
	// the initial offset (Outlook starts its observances in 1601).
	initial := ts[0].from
	var kept []transition
	for _, t := range ts {
		switch {
		case t.at < math.MinInt32:
			initial = t.offset
		case t.at <= math.MaxInt32 && (len(kept) == 0 || kept[len(kept)-1].at != t.at):
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		return time.FixedZone(tzid, initial), nil
	}
	return time.LoadLocationFromTZData(tzid, tzif(kept, initial))
}

// yearlyOnsets lists an observance rule's onsets (at most 500). rrule-go
// panics on some dates it cannot represent (year 0, found by FuzzParse):
// such a rule gives none.
func yearlyOnsets(opt rrule.ROption) (out []time.Time) {
	defer func() {
		if recover() != nil {
			out = nil
		}
	}()
	r, err := rrule.NewRRule(opt)
	if err != nil {
		return nil
	}
	next := r.Iterator()
	for i := 0; i < 500; i++ {
		t, ok := next()
		if !ok {
			break
		}
		out = append(out, t)
	}
	return out
}

// tzif encodes transitions as version-1 TZif data; initial is the offset
// before the first transition.
func tzif(ts []transition, initial int) []byte {
	type ttinfo struct {
		offset int
		dst    bool
		name   string
	}
	types := []ttinfo{{initial, false, "LMT"}}
	index := map[ttinfo]int{types[0]: 0}
	var abbrevs bytes.Buffer
	abbrevAt := map[string]int{}
	abbrev := func(s string) int {
		if s == "" {
			s = "-"
		}
		if i, ok := abbrevAt[s]; ok {
			return i
		}
		abbrevAt[s] = abbrevs.Len()
		abbrevs.WriteString(s)
		abbrevs.WriteByte(0)
		return abbrevAt[s]
	}
	idx := make([]byte, len(ts))
	for i, t := range ts {
		k := ttinfo{t.offset, t.dst, t.name}
		n, ok := index[k]
		if !ok {
			n = len(types)
			index[k] = n
			types = append(types, k)
		}
		idx[i] = byte(n)
	}
	var b bytes.Buffer
	b.WriteString("TZif")
	b.Write(make([]byte, 16)) // version 1, reserved
	be := func(v int32) { _ = binary.Write(&b, binary.BigEndian, v) }
	infos := make([][6]byte, len(types))
	for i, t := range types {
		binary.BigEndian.PutUint32(infos[i][:4], uint32(int32(t.offset)))
		if t.dst {
			infos[i][4] = 1
		}
		infos[i][5] = byte(abbrev(t.name))
	}
	for _, v := range []int{0, 0, 0, len(ts), len(types), abbrevs.Len()} {
		be(int32(v))
	}
	for _, t := range ts {
		be(int32(t.at))
	}
	b.Write(idx)
	for _, in := range infos {
		b.Write(in[:])
	}
	b.Write(abbrevs.Bytes())
	return b.Bytes()
}

// parseOffset reads a UTC offset (`+0530`, `-0800`, `+013000`) as seconds.
func parseOffset(s string) (int, error) {
	s = strings.TrimSpace(s)
	if len(s) != 5 && len(s) != 7 || (s[0] != '+' && s[0] != '-') {
		return 0, fmt.Errorf("bad UTC offset %q", s)
	}
	h, err1 := strconv.Atoi(s[1:3])
	m, err2 := strconv.Atoi(s[3:5])
	sec := 0
	var err3 error
	if len(s) == 7 {
		sec, err3 = strconv.Atoi(s[5:7])
	}
	if err1 != nil || err2 != nil || err3 != nil || h > 23 || m > 59 || sec > 59 {
		return 0, fmt.Errorf("bad UTC offset %q", s)
	}
	v := h*3600 + m*60 + sec
	if s[0] == '-' {
		v = -v
	}
	return v, nil
}

func propValue(c *ical.Component, name string) string {
	if p := c.Props.Get(name); p != nil {
		return strings.TrimSpace(p.Value)
	}
	return ""
}
