package models

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The dates and times people type: one reader for the forms, the import and
// the filters, so that what one accepts the others accept too. Every
// language of the interface writes the day before the month (25/03/2026),
// so a date is day/month/year unless it starts with a four-digit year
// (2026-03-25, ISO).

// DateError says why a typed date or time could not be read; Value is what
// was typed, for the message to quote.
type DateError struct {
	Code  string // date_unreadable, date_impossible, time_missing, time_unreadable or month_unreadable
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

// The separators: / . - and the comma, which a phone's decimal keypad
// offers in place of the point in French or Spanish.
var (
	isoDate = regexp.MustCompile(`^(\d{4})[-/.,](\d{1,2})[-/.,](\d{1,2})$`)
	dmyDate = regexp.MustCompile(`^(\d{1,2})[-/.,](\d{1,2})[-/.,](\d{2}|\d{4})$`)
	// A clock: 14:30, 14.30, 14,30, 14h30, 14h, 14, 1430, 2:30 pm, 14:30:00.
	clock      = regexp.MustCompile(`^(\d{1,2})(?:[:.,h](\d{2})?)?(?::(\d{2}))?(am|pm)?$`)
	clockDigit = regexp.MustCompile(`^(\d{1,2})(\d{2})(am|pm)?$`)
)

// ParseDate reads a date typed as day/month/year (separated by /, ., - or ,,
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

// ParseClock reads a time of day: 14:30, 14.30, 14,30, 14h30, 14h, 1430, 14:30:00,
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
	datePart, timePart := SplitDateTime(s)
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

// SplitDateTime cuts a date and time typed together into the date and the
// time of day, as ParseDateTime reads them: at the T of ISO
// (2026-12-09T14:00), else at the first space ("9/12/2026, 2 PM"), else at
// the last comma ("9/12/2026,14:00"). A date alone has an empty time. The
// event form shows a value sent whole (an old link, the API's way) in its
// two fields this way: the parts are as typed, in their own digits.
func SplitDateTime(s string) (date, clock string) {
	v := strings.TrimSpace(s)
	isDate := func(d string) bool { d = LatinDigits(d); return isoDate.MatchString(d) || dmyDate.MatchString(d) }
	if i := strings.IndexAny(v, "Tt"); i > 0 && isoDate.MatchString(LatinDigits(v[:i])) {
		return v[:i], v[i+1:]
	}
	if i := strings.IndexFunc(v, unicode.IsSpace); i >= 0 {
		return strings.TrimRight(v[:i], ",،"), strings.TrimLeftFunc(v[i:], func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == '،' })
	}
	if i := strings.LastIndexAny(v, ",،"); i > 0 && isDate(v[:i]) {
		_, n := utf8.DecodeRuneInString(v[i:])
		return v[:i], v[i+n:]
	}
	return v, ""
}

// ParseMonth reads a month typed as people write it: 2025-03, 3/2025,
// 03.2025, 03-2025, or its name in English, French, Spanish or Arabic,
// whole or shortened, with or without accents, before or after the year
// ("March 2025", "mars 2025", "marzo de 2025", "Sept. 2025", "مارس ٢٠٢٥").
// The year has four digits: 03/25 could be a day. It returns the month's
// first day, in UTC; a refusal is a DateError month_unreadable.
func ParseMonth(s string) (time.Time, error) {
	v := strings.Join(strings.Fields(LatinDigits(s)), " ")
	refuse := &DateError{"month_unreadable", strings.TrimSpace(s)}
	var y, m int
	if p := isoMonth.FindStringSubmatch(strings.ReplaceAll(v, " ", "")); p != nil {
		y, m = atoi(p[1]), atoi(p[2])
	} else if p := myMonth.FindStringSubmatch(strings.ReplaceAll(v, " ", "")); p != nil {
		m, y = atoi(p[1]), atoi(p[2])
	} else {
		// A name and a year, in either order, with "de" or punctuation
		// between them.
		words := strings.Fields(strings.Map(func(r rune) rune {
			switch r {
			case '.', ',', '/', '-':
				return ' '
			case '\u0640': // the tatweel that stretches an Arabic word
				return -1
			}
			return r
		}, NormalizeHeader(v)))
		for i := 0; i < len(words); i++ {
			w := words[i]
			if i+1 < len(words) && monthNames[w+" "+words[i+1]] != 0 {
				w, i = w+" "+words[i+1], i+1 // كانون الثاني
			}
			switch {
			case len(w) == 4 && strings.Trim(w, "0123456789") == "" && y == 0:
				y = atoi(w)
			case monthNames[w] != 0 && m == 0:
				m = monthNames[w]
			case w == "de" || w == "del" || w == "of":
			default:
				return time.Time{}, refuse
			}
		}
	}
	if m < 1 || m > 12 || y < 1900 {
		return time.Time{}, refuse
	}
	return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC), nil
}

// ParseDayOrMonth reads a bound of a report's period: a day as ParseDate
// reads it (25/03/2026), else a whole month as ParseMonth does (03/2026,
// mars 2026). A refusal is ParseMonth's, month_unreadable.
func ParseDayOrMonth(s string) (t time.Time, wholeMonth bool, err error) {
	if t, err := ParseDate(s); err == nil {
		return t, false, nil
	}
	t, err = ParseMonth(s)
	return t, err == nil, err
}

var (
	isoMonth = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})$`)
	myMonth  = regexp.MustCompile(`^(\d{1,2})[-/.,](\d{4})$`)
)

// monthNames are the months' names and their usual shortenings in the
// interface's languages, folded as NormalizeHeader folds them (no case,
// accents or hamza): English, French, Spanish, and Arabic as written in
// the Mashreq and Egypt (يناير), the Levant (كانون الثاني), Algeria and
// Tunisia (جانفي) and Morocco (يوليوز).
var monthNames = func() map[string]int {
	names := [12]string{
		"january jan janvier janv enero ene يناير كانون_الثاني جانفي",
		"february feb fevrier fevr fev febrero فبراير شباط فيفري",
		"march mar mars marzo مارس اذار",
		"april apr avril avr abril abr ابريل نيسان افريل",
		"may mai mayo ماي مايو ايار",
		"june jun juin junio يونيو يونيه حزيران جوان",
		"july jul juillet juil julio يوليو يوليه تموز جويلية يوليوز",
		"august aug aout agosto ago اغسطس اب اوت غشت",
		"september sep sept septembre septiembre setiembre set سبتمبر ايلول شتنبر",
		"october oct octobre octubre اكتوبر تشرين_الاول",
		"november nov novembre noviembre نوفمبر تشرين_الثاني نونبر",
		"december dec decembre diciembre dic ديسمبر كانون_الاول دجنبر",
	}
	out := map[string]int{}
	for i, ns := range names {
		for _, n := range strings.Fields(ns) {
			out[NormalizeHeader(strings.ReplaceAll(n, "_", " "))] = i + 1
		}
	}
	return out
}()

// atoi reads digits the patterns above have checked; empty is 0.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
