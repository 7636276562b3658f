package models

import (
	"errors"
	"testing"
	"time"
)

// TestParseDateTime reads the entries a design walk typed into the event
// form (9 December 2026, 14:00, in Agadir), and the ones people write
// besides: each is read as meant, or refused with the reason and the value.
func TestParseDateTime(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Africa/Casablanca")
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, loc) }
	dec9 := at(2026, time.December, 9, 14, 0)
	for _, c := range []struct {
		in   string
		want time.Time
		code string // the refusal, when want is zero
	}{
		{in: "9/12/2026 14:00", want: dec9},
		{in: "2026-12-09T14:00", want: dec9},
		{in: "9/12/2026 14h", want: dec9},
		{in: "09/12/2026 14.30", want: at(2026, time.December, 9, 14, 30)},
		{in: "9.12.2026 14:00", want: dec9},
		{in: "9-12-2026 14:00", want: dec9},
		{in: "09/12/26 14:00", want: dec9},
		{in: "2026-12-09 14:00", want: dec9},
		{in: "2026-12-09T14:00:00", want: dec9},
		{in: "١٢/١٢/٢٠٢٦ ١٠:٠٠", want: at(2026, time.December, 12, 10, 0)},
		{in: "۱۲/۱۲/۲۰۲۶ ۱۰:۰۰", want: at(2026, time.December, 12, 10, 0)},
		{in: "9/12/2026 14h30", want: at(2026, time.December, 9, 14, 30)},
		{in: "9/12/2026 1430", want: at(2026, time.December, 9, 14, 30)},
		{in: "9/12/2026 2:30 pm", want: at(2026, time.December, 9, 14, 30)},
		{in: "9/12/2026, 2 PM", want: dec9},
		{in: "9/12/2026 12:15 a.m.", want: at(2026, time.December, 9, 0, 15)},
		{in: "  9/12/2026   14:00 ", want: dec9},
		{in: "9,12,2026 14,30", want: at(2026, time.December, 9, 14, 30)}, // a phone's decimal keypad in French
		{in: "9/12/2026", code: "time_missing"},
		{in: "31/02/2026 14:00", code: "date_impossible"},
		{in: "9/13/2026 14:00", code: "date_impossible"},
		{in: "9/12/2026 25:00", code: "time_unreadable"},
		{in: "9/12/2026 13 pm", code: "time_unreadable"},
		{in: "9/12/2026 14:5", code: "time_unreadable"},
		{in: "December 9 2026 14:00", code: "date_unreadable"},
		{in: "9/12/226 14:00", code: "date_unreadable"},
		{in: "9/12 14:00", code: "date_unreadable"},
	} {
		got, err := ParseDateTime(c.in, loc)
		if c.code == "" {
			if err != nil || !got.Equal(c.want) {
				t.Errorf("%q: got %v, %v; want %v", c.in, got, err, c.want)
			}
			continue
		}
		var de *DateError
		if !errors.As(err, &de) || de.Code != c.code {
			t.Errorf("%q: got %v, %v; want %s", c.in, got, err, c.code)
			continue
		}
		if de.Value != c.in && de.Value != trimmed(c.in) {
			t.Errorf("%q: the refusal quotes %q", c.in, de.Value)
		}
	}
}

func trimmed(s string) string {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return s
}

// TestParseDate reads the filters' and campaigns' dates in every form the
// date-time fields take, and refuses no day of the calendar.
func TestParseDate(t *testing.T) {
	t.Parallel()
	want := time.Date(2026, time.March, 5, 0, 0, 0, 0, time.UTC)
	for _, in := range []string{"5/3/2026", "05/03/2026", "5.3.2026", "5-3-2026", "05/03/26", "2026-03-05", "2026/3/5", "٥/٣/٢٠٢٦", " 5 / 3 / 2026 ", "5,3,2026"} {
		if got, err := ParseDate(in); err != nil || !got.Equal(want) {
			t.Errorf("%q: got %v, %v", in, got, err)
		}
	}
	for in, code := range map[string]string{"29/02/2026": "date_impossible", "0/3/2026": "date_impossible", "5/3": "date_unreadable", "March 5": "date_unreadable", "": "date_unreadable"} {
		var de *DateError
		if _, err := ParseDate(in); !errors.As(err, &de) || de.Code != code {
			t.Errorf("%q: got %v, want %s", in, err, code)
		}
	}
	if _, err := ParseDate("29/02/2028"); err != nil {
		t.Errorf("a leap day: %v", err)
	}
}

// TestParseMonth reads the report filters' months as people type them,
// in the four languages of the interface, and refuses what is no month.
func TestParseMonth(t *testing.T) {
	t.Parallel()
	march := time.Date(2025, time.March, 1, 0, 0, 0, 0, time.UTC)
	for _, in := range []string{
		"2025-03", "2025-3", "2025/03", "3/2025", "03/2025", "03.2025", "03-2025", "3,2025", " 03 / 2025 ",
		"March 2025", "march 2025", "Mar 2025", "Mar. 2025", "2025 March", "March, 2025", "MARCH 2025",
		"mars 2025", "Mars 2025", "marzo 2025", "marzo de 2025", "Marzo De 2025",
		"مارس 2025", "مارس ٢٠٢٥", "آذار ٢٠٢٥", "اذار 2025", "مـارس 2025", "۰۳/۲۰۲۵", "٣/٢٠٢٥",
	} {
		if got, err := ParseMonth(in); err != nil || !got.Equal(march) {
			t.Errorf("%q: got %v, %v", in, got, err)
		}
	}
	for in, want := range map[string]time.Month{
		"février 2026": time.February, "fevrier 2026": time.February, "févr. 2026": time.February, "Feb 2026": time.February,
		"août 2026": time.August, "aout 2026": time.August, "agosto 2026": time.August, "أغسطس 2026": time.August, "غشت 2026": time.August,
		"décembre 2026": time.December, "decembre 2026": time.December, "dic 2026": time.December, "كانون الأول 2026": time.December,
		"Sept 2026": time.September, "setiembre 2026": time.September, "septiembre de 2026": time.September,
		"janv. 2026": time.January, "ene 2026": time.January, "كانون الثاني 2026": time.January, "جانفي 2026": time.January,
		"abril 2026": time.April, "avr 2026": time.April, "أبريل 2026": time.April, "إبريل 2026": time.April,
		"juillet 2026": time.July, "juil. 2026": time.July, "يوليوز 2026": time.July, "mai 2026": time.May, "mayo 2026": time.May,
	} {
		if got, err := ParseMonth(in); err != nil || got.Month() != want || got.Year() != 2026 {
			t.Errorf("%q: got %v, %v; want %v 2026", in, got, err, want)
		}
	}
	for _, in := range []string{"", "2025", "13/2025", "0/2025", "2025-13", "03/25", "3/2025/1", "Marchh 2025", "March", "March 2025 2026", "March April 2025", "mars 20255", "1/3/2025", "0999-03"} {
		var de *DateError
		if _, err := ParseMonth(in); !errors.As(err, &de) || de.Code != "month_unreadable" || de.Value != trimmed(in) {
			t.Errorf("%q: got %v, want month_unreadable quoting it", in, err)
		}
	}
}

// TestSplitDateTime cuts a date and time typed together where
// ParseDateTime reads them, for the event form's two fields.
func TestSplitDateTime(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][2]string{
		"9/12/2026 14:00":   {"9/12/2026", "14:00"},
		"2026-12-09T14:00":  {"2026-12-09", "14:00"},
		"9/12/2026, 2 PM":   {"9/12/2026", "2 PM"},
		"9/12/2026,14h":     {"9/12/2026", "14h"},
		"9,12,2026 14,30":   {"9,12,2026", "14,30"},
		"9/12/2026":         {"9/12/2026", ""},
		"9,12,2026":         {"9,12,2026", ""},
		" ٩/١٢/٢٠٢٦  ١٤:٠٠": {"٩/١٢/٢٠٢٦", "١٤:٠٠"},
		"٢٠٢٦-١٢-٠٩T١٤:٠٠":  {"٢٠٢٦-١٢-٠٩", "١٤:٠٠"},
		"٩/١٢/٢٠٢٦،١٤:٠٠":   {"٩/١٢/٢٠٢٦", "١٤:٠٠"},
		"":                  {"", ""},
	} {
		if d, c := SplitDateTime(in); d != want[0] || c != want[1] {
			t.Errorf("%q: %q and %q, want %q", in, d, c, want)
		}
	}
}
