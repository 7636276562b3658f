package views

import (
	"context"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// Todo is what waits for the signed-in user, at the top of their home;
// each item links to the page where it gets done.
type Todo struct {
	// A coordinator's: stories waiting (and since when), past events
	// without a count, reports due, late or sent back, this week's events
	// and the headline figures of this year against last year's.
	Pending       int64
	OldestPending *time.Time
	Attendance    []TodoCount
	Reports       []TodoReport
	ThisWeek      []models.Event
	Headlines     []Headline
	// Staff's: reports to review, late cities for a period, the network's
	// moderation backlog and the cities quiet for three months.
	ToReview   int
	Late       int
	LatePeriod string
	Backlog    int64
	Quiet      int
	QuietSince time.Time
	Now        time.Time
}

// TodoCount is a number of things waiting in a city.
type TodoCount struct {
	City models.City
	N    int64
}

// TodoReport is a city report that needs its coordinator.
type TodoReport struct {
	City   models.City
	Report *models.CityReport // nil: not started
	Period models.Period
	// State is "changes" (sent back, with Comment), "late" or "due".
	State   string
	Due     *time.Time
	Comment string
}

// Headline is a city's figures so far this year, against the same days
// of last year.
type Headline struct {
	City       models.City
	This, Last models.Totals
	Year       int
}

// ageDays is how many whole days ago t was at now.
func ageDays(t *time.Time, now time.Time) int {
	if t == nil {
		return 0
	}
	return int(now.Sub(*t).Hours() / 24)
}

// change is a figure's change from last year, as "+12" or "−3" ("" when equal).
func change(ctx context.Context, this, last int64) string {
	switch {
	case this > last:
		return "+" + Num(ctx, this-last)
	case this < last:
		return "−" + Num(ctx, last-this)
	}
	return ""
}

// todoReportText says what a city report needs.
func todoReportText(ctx context.Context, r TodoReport) string {
	data := map[string]any{"City": r.City.Name, "Period": PeriodLabel(ctx, r.Period)}
	if r.Due != nil {
		data["Due"] = Date(ctx, *r.Due)
	}
	switch r.State {
	case "changes":
		return Tf(ctx, "todo.report_changes", data)
	case "late":
		return Tf(ctx, "todo.report_late", data)
	}
	return Tf(ctx, "todo.report_due", data)
}

// todoReportID is the test id of a report's to-do item.
func todoReportID(r TodoReport) string {
	if r.State == "changes" {
		return "dashboard-changes-asked"
	}
	return "todo-report-" + r.State
}
