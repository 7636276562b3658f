package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// The design walk's dates (issue 32), typed for 9 December 2030, 14:00,
// in Agadir: each read as meant, or refused with the code of its reason.
var walkDates = []struct {
	typed string
	h, m  int    // the time read, on 9 December unless day says otherwise
	day   int    // 0: the 9th
	code  string // the refusal, when not read
}{
	{typed: "9/12/2030 14:00", h: 14},
	{typed: "2030-12-09T14:00", h: 14},
	{typed: "9/12/2030 14h", h: 14},
	{typed: "09/12/2030 14.30", h: 14, m: 30},
	{typed: "9.12.2030 14:00", h: 14},
	{typed: "9-12-2030 14:00", h: 14},
	{typed: "09/12/30 14:00", h: 14},
	{typed: "2030-12-09 14:00", h: 14},
	{typed: "١٢/١٢/٢٠٣٠ ١٠:٠٠", h: 10, day: 12},
	{typed: "۱۲/۱۲/۲۰۳۰ ۱۰:۰۰", h: 10, day: 12},
	{typed: "9/12/2030 14h30", h: 14, m: 30},
	{typed: "9/12/2030 1430", h: 14, m: 30},
	{typed: "9/12/2030 2:30 pm", h: 14, m: 30},
	{typed: "9/12/2030, 2 PM", h: 14},
	{typed: "9,12,2030 14,30", h: 14, m: 30},
	{typed: "9/12/2030", code: "time_missing"},
	{typed: "31/02/2030 14:00", code: "date_impossible"},
	{typed: "9/13/2030 14:00", code: "date_impossible"},
	{typed: "9/12/2030 25:00", code: "time_unreadable"},
	{typed: "9/12/2030 13 pm", code: "time_unreadable"},
	{typed: "December 9 2030 14:00", code: "date_unreadable"},
	{typed: "9/12 14:00", code: "date_unreadable"},
}

// dateCode is the code of an English date problem: the messages of
// validation.date_unreadable, date_impossible, time_missing (a value typed
// whole, or a time field left empty) and time_unreadable.
func dateCode(message string) string {
	for code, words := range map[string][]string{
		"date_unreadable": {"is not a date we can read"}, "date_impossible": {"is not a day of the calendar"},
		"time_missing": {"has no time: add it after the date", "Add the time of day"}, "time_unreadable": {"cannot be read: write it like"},
	} {
		for _, w := range words {
			if strings.Contains(message, w) {
				return code
			}
		}
	}
	if message == "" {
		return ""
	}
	return "?" + message
}

// TestDatesFollowTheSameRulesOnEveryPath types the walk's dates into
// every place that takes a date and a time: the event form's two fields,
// its value sent whole (old links, scripts), a CSV cell of the events
// import, and the date into the report API's from (which takes a day
// alone). Each path reads what the others read, as the same moment, and
// refuses what they refuse with the same reason. The one difference is
// the import's: a date alone is that day's midnight there, as a
// spreadsheet's column of days reads. (The cohort import has no dates.)
func TestDatesFollowTheSameRulesOnEveryPath(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	loc := a.agadir.Location()
	c := a.loggedIn(t, "agadir@example.org")
	stored := func(title string) (time.Time, bool) {
		p, err := a.store.Events(ctx, models.EventFilter{CityIDs: []uint{a.agadir.ID}, Query: title}, models.Page{})
		must(t, err)
		if len(p.Items) != 1 {
			return time.Time{}, false
		}
		return p.Items[0].StartsAt, true
	}
	want := func(i int) time.Time {
		d := walkDates[i]
		return time.Date(2030, time.December, max(d.day, 9), d.h, d.m, 0, 0, loc)
	}

	// The event form, in its two fields and whole.
	for _, whole := range []bool{false, true} {
		for i, d := range walkDates {
			title := fmt.Sprintf("Walk %02d whole %v", i, whole)
			f := a.validEventForm(title)
			date, clock := models.SplitDateTime(d.typed)
			if whole {
				f.Set("starts_at", d.typed)
				f.Set("ends_at", d.typed)
			} else {
				f.Del("starts_at")
				f.Del("ends_at")
				for k, v := range map[string]string{"starts_at_date": date, "starts_at_time": clock, "ends_at_date": date, "ends_at_time": clock} {
					f.Set(k, v)
				}
			}
			res := c.post(t, "/manage/cities/agadir/events", f)
			if d.code == "" {
				wantStatus(t, res, http.StatusSeeOther)
				if got, ok := stored(title); !ok || !got.Equal(want(i)) {
					t.Errorf("form (whole %v) %q: stored %v, want %v", whole, d.typed, got, want(i))
				}
				continue
			}
			wantStatus(t, res, http.StatusUnprocessableEntity)
			doc := res.doc(t)
			// The half the reason is about has it, quoting that half; the
			// other half is judged on its own, as two fields are. The
			// moment as a whole has no problem of its own.
			half, quoted := "time", clock
			if strings.HasPrefix(d.code, "date_") {
				half, quoted = "date", date
			}
			msg := doc.Find("[data-testid=error-starts_at_" + half + "]").Text()
			if got := dateCode(msg); got != d.code || d.code != "time_missing" && !strings.Contains(msg, "“"+quoted+"”") {
				t.Errorf("form (whole %v) %q: the %s says %q, want %s quoting %q", whole, d.typed, half, msg, d.code, quoted)
			}
			_, _, clockErr := models.ParseClock(clock)
			if other := doc.Find("[data-testid=error-starts_at_time]").Text(); half == "date" && (other != "") != (clockErr != nil) {
				t.Errorf("form (whole %v) %q: the time %q says %q", whole, d.typed, clock, other)
			}
			if doc.Find("[data-testid=error-starts_at]").Length() != 0 {
				t.Errorf("form (whole %v) %q: a problem with the start as a whole", whole, d.typed)
			}
			if _, ok := stored(title); ok {
				t.Errorf("form (whole %v) %q: a refused date wrote an event", whole, d.typed)
			}
		}
	}

	// The events import: the dates read are imported, as the same
	// moments; the others are each a problem of their line, quoting the
	// cell, and nothing is written.
	var good, bad bytes.Buffer
	gw, bw := csv.NewWriter(&good), csv.NewWriter(&bad)
	head := []string{"Title", "Starts", "Format", "Status", "Learning areas"}
	must(t, gw.Write(head))
	must(t, bw.Write(head))
	var badLines []int
	for i, d := range walkDates {
		row := []string{fmt.Sprintf("Imported walk %02d", i), d.typed, "In person", "planned", "culture"}
		if d.code == "" || d.code == "time_missing" {
			must(t, gw.Write(row))
		} else {
			must(t, bw.Write(row))
			badLines = append(badLines, i)
		}
	}
	gw.Flush()
	bw.Flush()
	before := a.countEvents(t)
	res := c.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {"events"}}, "walk-bad.csv", bad.Bytes())
	wantStatus(t, res, http.StatusUnprocessableEntity)
	rows := res.doc(t).Find("[data-testid=problem-row]")
	if rows.Length() != len(badLines) {
		t.Errorf("import: %d problems for %d refused dates:\n%s", rows.Length(), len(badLines), rows.Text())
	}
	for n, i := range badLines {
		d := walkDates[i]
		row := rows.Eq(n)
		msg := row.Find("td").Eq(2).Text()
		if line := strings.TrimSpace(row.Find("td").Eq(0).Text()); line != fmt.Sprint(n+2) || dateCode(msg) != d.code || !strings.Contains(msg, "“"+d.typed+"”") {
			t.Errorf("import %q: line %s says %q, want %s on line %d quoting the cell", d.typed, line, msg, d.code, n+2)
		}
	}
	if a.countEvents(t) != before {
		t.Fatal("a refused import wrote events")
	}
	res = c.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {"events"}}, "walk-good.csv", good.Bytes())
	wantStatus(t, res, http.StatusOK)
	c.confirmImport(t, "/manage/cities/agadir/import/confirm", url.Values{"token": {importToken(t, res)}})
	for i, d := range walkDates {
		title := fmt.Sprintf("Imported walk %02d", i)
		w := want(i)
		if d.code == "time_missing" {
			w = time.Date(2030, time.December, 9, 0, 0, 0, 0, loc) // the import's midnight
		} else if d.code != "" {
			continue
		}
		if got, ok := stored(title); !ok || !got.Equal(w) {
			t.Errorf("import %q: stored %v, want %v", d.typed, got, w)
		}
	}

	// The report API's from takes the date alone: what the form reads as
	// a date, it reads, and it refuses the others.
	iso := a.client().get(t, "/api/v1/report?from=2030-12-09")
	wantStatus(t, iso, http.StatusOK)
	for _, d := range walkDates {
		date, _ := models.SplitDateTime(d.typed)
		res := a.client().get(t, "/api/v1/report?from="+url.QueryEscape(date))
		switch {
		case strings.HasPrefix(d.code, "date_"):
			wantStatus(t, res, http.StatusBadRequest)
		case strings.HasPrefix(models.LatinDigits(date), "12/12"):
			wantStatus(t, res, http.StatusOK)
		default:
			if wantStatus(t, res, http.StatusOK); res.body != iso.body {
				t.Errorf("report from %q: another period than 9 December 2030", date)
			}
		}
	}
}
