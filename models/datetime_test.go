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
	for _, in := range []string{"5/3/2026", "05/03/2026", "5.3.2026", "5-3-2026", "05/03/26", "2026-03-05", "2026/3/5", "٥/٣/٢٠٢٦", " 5 / 3 / 2026 "} {
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
