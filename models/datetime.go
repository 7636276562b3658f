package models

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The dates and times people type: one reader for the forms, the import and
// the filters, so that what one accepts the others accept too. Every
// language of the interface writes the day before the month (25/03/2026),
// so a date is day/month/year unless it starts with a four-digit year
// (2026-03-25, ISO).

// DateError says why a typed date or time could not be read; Value is what
// was typed, for the message to quote.
type DateError struct {
	Code  string // date_unreadable, date_impossible, time_missing or time_unreadable
	Value string
}

func (e *DateError) Error() string { return e.Code + ": " + strconv.Quote(e.Value) }

// Problem is the error as a field's problem, quoting the value.
func (e *DateError) Problem() Problem { return Problem{Code: e.Code, Param: e.Value} }

// LatinDigits writes the Eastern Arabic (٠–٩) and Persian (۰–۹) digits of s
// as 0–9, and the Arabic comma and decimal separator as their Latin forms.
func LatinDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return '0' + (r - '٠')
		case r >= '۰' && r <= '۹':
			return '0' + (r - '۰')
		case r == '٫':
			return '.'
		case r == '،':
			return ','
		}
		return r
	}, s)
}

var (
	isoDate = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$`)
	dmyDate = regexp.MustCompile(`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$`)
	// A clock: 14:30, 14.30, 14h30, 14h, 14, 1430, 2:30 pm, 14:30:00.
	clock      = regexp.MustCompile(`^(\d{1,2})(?:[:.h](\d{2})?)?(?::(\d{2}))?(am|pm)?$`)
	clockDigit = regexp.MustCompile(`^(\d{1,2})(\d{2})(am|pm)?$`)
)

// ParseDate reads a date typed as day/month/year (separated by /, . or -,
// with one- or two-digit days and months, a two- or four-digit year) or as
// ISO year-month-day, in any digits. It refuses what is no day of the
// calendar (31/02/2026).
func ParseDate(s string) (time.Time, error) {
	v := strings.Join(strings.Fields(LatinDigits(s)), "")
	var y, m, d int
	if p := isoDate.FindStringSubmatch(v); p != nil {
		y, m, d = atoi(p[1]), atoi(p[2]), atoi(p[3])
	} else if p := dmyDate.FindStringSubmatch(v); p != nil {
		d, m, y = atoi(p[1]), atoi(p[2]), atoi(p[3])
		if len(p[3]) == 2 {
			y += 2000
		}
	} else {
		return time.Time{}, &DateError{"date_unreadable", strings.TrimSpace(s)}
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if y < 1900 || t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, &DateError{"date_impossible", strings.TrimSpace(s)}
	}
	return t, nil
}

// ParseClock reads a time of day: 14:30, 14.30, 14h30, 14h, 1430, 14:30:00,
// 2:30 pm, 2 pm (also a.m./p.m. and the Arabic ص/م), in any digits. It
// returns the hour and the minute.
func ParseClock(s string) (hour, minute int, err error) {
	v := strings.ToLower(LatinDigits(s))
	v = strings.NewReplacer("a.m.", "am", "p.m.", "pm", "a.m", "am", "p.m", "pm", "ص", "am", "م", "pm").Replace(v)
	v = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, v)
	var hs, ms, half string
	if p := clock.FindStringSubmatch(v); p != nil {
		hs, ms, half = p[1], p[2], p[4]
	} else if p := clockDigit.FindStringSubmatch(v); p != nil {
		hs, ms, half = p[1], p[2], p[3]
	} else {
		return 0, 0, &DateError{"time_unreadable", strings.TrimSpace(s)}
	}
	hour, minute = atoi(hs), atoi(ms)
	switch {
	case half != "" && (hour < 1 || hour > 12):
		return 0, 0, &DateError{"time_unreadable", strings.TrimSpace(s)}
	case half == "pm" && hour < 12:
		hour += 12
	case half == "am" && hour == 12:
		hour = 0
	}
	if hour > 23 || minute > 59 {
		return 0, 0, &DateError{"time_unreadable", strings.TrimSpace(s)}
	}
	return hour, minute, nil
}

// ParseDateTime reads a date and a time of day typed together ("9/12/2026
// 14h", "2026-12-09T14:00", "١٢/١٢/٢٠٢٦ ١٠:٠٠") as a wall-clock time in
// loc. A date without its time is refused with time_missing: an event at
// midnight is nearly always a time left out.
func ParseDateTime(s string, loc *time.Location) (time.Time, error) {
	v := strings.TrimSpace(LatinDigits(s))
	datePart, timePart := v, ""
	if i := strings.IndexAny(v, "Tt"); i == 10 && isoDate.MatchString(v[:i]) {
		datePart, timePart = v[:i], v[i+1:]
	} else if i := strings.IndexFunc(v, func(r rune) bool { return unicode.IsSpace(r) || r == ',' }); i >= 0 {
		datePart, timePart = v[:i], strings.TrimLeft(v[i:], " \t,")
	}
	d, err := ParseDate(datePart)
	if err != nil {
		if de, ok := err.(*DateError); ok {
			de.Value = strings.TrimSpace(s)
		}
		return time.Time{}, err
	}
	if timePart == "" {
		return time.Time{}, &DateError{"time_missing", strings.TrimSpace(s)}
	}
	h, m, err := ParseClock(timePart)
	if err != nil {
		return time.Time{}, &DateError{"time_unreadable", strings.TrimSpace(s)}
	}
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, loc), nil
}

// atoi reads digits the patterns above have checked; empty is 0.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
