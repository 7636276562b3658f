package handlers

// The to-do list at the top of the home page (issue 13): what waits for
// a coordinator in their cities, or for staff across the network. Each
// part reads only what it shows, through indexes, the roll-ups or the
// report cache.

import (
	"time"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// todoHeadlineCities is how many of a coordinator's cities get their
// headline figures on the home page.
const todoHeadlineCities = 3

// quietMonths is how long a city without activity counts as quiet.
const quietMonths = 3

// staffTodo gathers staff's to-do list; backlog is the network's stories
// waiting, already counted by the dashboard.
func (h *Handler) staffTodo(c echo.Context, backlog int64) (views.Todo, error) {
	ctx := c.Request().Context()
	now := h.cfg.Now()
	todo := views.Todo{Backlog: backlog, Now: now, QuietSince: now.AddDate(0, -quietMonths, 0)}
	submitted, err := h.store.CityReports(ctx, models.CityReportFilter{Status: models.ReportSubmitted})
	if err != nil {
		return todo, err
	}
	todo.ToReview = len(submitted)
	status, err := h.networkStatus(c)
	if err != nil {
		return todo, err
	}
	todo.Late, todo.LatePeriod = status.Reporting.Counts[models.ReportingLate], status.Period
	followUp, err := h.reports.FollowUp(ctx, report.Query{}, todo.QuietSince)
	if err != nil {
		return todo, err
	}
	todo.Quiet = len(followUp.Quiet)
	return todo, nil
}

// coordinatorTodo gathers a coordinator's to-do list for their cities;
// pending are their stories waiting, counted by the dashboard.
func (h *Handler) coordinatorTodo(c echo.Context, cities []models.City, pending map[uint]int64) (views.Todo, error) {
	ctx := c.Request().Context()
	now := h.cfg.Now()
	todo := views.Todo{Now: now}
	ids, _ := cityIndex(cities)
	if len(ids) == 0 {
		return todo, nil
	}
	for _, n := range pending {
		todo.Pending += n
	}
	var err error
	if todo.Pending > 0 {
		if todo.OldestPending, err = h.store.OldestPending(ctx, ids); err != nil {
			return todo, err
		}
	}
	for _, city := range cities {
		n, err := h.store.CountEventsWithoutAttendance(ctx, []uint{city.ID}, now)
		if err != nil {
			return todo, err
		}
		if n > 0 {
			todo.Attendance = append(todo.Attendance, views.TodoCount{City: city, N: n})
		}
	}
	if todo.Reports, err = h.reportsTodo(c, cities); err != nil {
		return todo, err
	}
	week, err := h.store.Events(ctx, models.EventFilter{CityIDs: ids, From: now, To: now.AddDate(0, 0, 7), Sort: "start", Brief: true},
		models.Page{Size: 10, NoTotal: true})
	if err != nil {
		return todo, err
	}
	todo.ThisWeek = week.Items
	for _, city := range cities[:min(len(cities), todoHeadlineCities)] {
		hl, err := h.headline(c, city, now)
		if err != nil {
			return todo, err
		}
		todo.Headlines = append(todo.Headlines, hl)
	}
	return todo, nil
}

// reportsTodo lists the cities' reports of the current reporting period
// that are sent back (with staff's comment), late, or due.
func (h *Handler) reportsTodo(c echo.Context, cities []models.City) ([]views.TodoReport, error) {
	ctx := c.Request().Context()
	ids, _ := cityIndex(cities)
	var out []views.TodoReport
	// Reports sent back, whatever their period.
	asked, err := h.store.CityReports(ctx, models.CityReportFilter{CityIDs: ids, Status: models.ReportChangesRequested})
	if err != nil {
		return nil, err
	}
	byID := map[uint]models.City{}
	for _, city := range cities {
		byID[city.ID] = city
	}
	for i := range asked {
		r := &asked[i]
		steps, err := h.store.CityReportSteps(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		row := views.TodoReport{City: byID[r.CityID], Report: r, Period: r.Period(), State: "changes"}
		if step := models.ChangesAsked(steps); step != nil {
			row.Comment = step.Comment
		}
		out = append(out, row)
	}
	// The last period that has ended: its reports are due, then late.
	p := models.YearPeriod(h.cfg.Now().Year() - 1)
	due, err := h.store.PeriodDue(ctx, p)
	if err != nil || due == nil {
		return out, err
	}
	reports, err := h.store.CityReports(ctx, models.CityReportFilter{CityIDs: ids, Period: &p})
	if err != nil {
		return nil, err
	}
	of := map[uint]*models.CityReport{}
	for i := range reports {
		of[reports[i].CityID] = &reports[i]
	}
	for _, city := range cities {
		r := of[city.ID]
		if r != nil && (r.Status == models.ReportChangesRequested || !r.Status.Editable()) {
			continue // listed above, or with UNESCO
		}
		state := "due"
		if r.Late(due, h.cfg.Now()) {
			state = "late"
		}
		out = append(out, views.TodoReport{City: city, Report: r, Period: p, State: state, Due: due})
	}
	return out, nil
}

// headline is a city's figures from the first of January to today,
// against the same days of last year, from the report engine (cached).
func (h *Handler) headline(c echo.Context, city models.City, now time.Time) (views.Headline, error) {
	ctx := c.Request().Context()
	local := now.In(city.Location())
	from := time.Date(local.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	hl := views.Headline{City: city, Year: local.Year()}
	this, err := h.reports.Report(ctx, report.Query{CityID: city.ID, From: from, To: to})
	if err != nil {
		return hl, err
	}
	last, err := h.reports.Report(ctx, report.Query{CityID: city.ID, From: from.AddDate(-1, 0, 0), To: to.AddDate(-1, 0, 0)})
	if err != nil {
		return hl, err
	}
	hl.This, hl.Last = this.Totals, last.Totals
	return hl, nil
}
