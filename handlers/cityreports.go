package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// reportPeriods are the periods a report can be started for, as the
// campaigns that are not archived say: the campaigns cities report on as a
// whole, and the quarters of this year and last and both years when a
// campaign asks for quarterly or yearly reports.
func (h *Handler) reportPeriods(c echo.Context) ([]models.Period, error) {
	campaigns, err := h.store.Campaigns(c.Request().Context())
	if err != nil {
		return nil, err
	}
	var out []models.Period
	kinds := map[models.PeriodKind]bool{}
	for _, cp := range campaigns {
		if cp.Archived() {
			continue
		}
		for _, k := range cp.Periods() {
			kinds[k] = true
		}
		if slices.Contains(cp.Periods(), models.PeriodCampaign) {
			out = append(out, models.CampaignPeriod(cp.Hashtag))
		}
	}
	year := h.cfg.Now().Year()
	for _, y := range []int{year, year - 1} {
		if kinds[models.PeriodYear] {
			out = append(out, models.YearPeriod(y))
		}
		for q := 4; q >= 1 && kinds[models.PeriodQuarter]; q-- {
			out = append(out, models.QuarterPeriod(y, q))
		}
	}
	return out, nil
}

// listCityReports lists the reports the user may see, newest first, and
// offers to start one.
func (h *Handler) listCityReports(c echo.Context) error {
	return h.renderCityReports(c, http.StatusOK, nil)
}

func (h *Handler) renderCityReports(c echo.Context, status int, fe models.FieldErrors) error {
	ctx := c.Request().Context()
	cities, err := h.store.ManagedCities(ctx, currentUser(c))
	if err != nil {
		return err
	}
	ids, _ := cityIndex(cities)
	filter := models.CityReportFilter{CityIDs: ids}
	if currentUser(c).IsStaff() {
		filter.CityIDs = nil
	}
	reports, err := h.store.CityReports(ctx, filter)
	if err != nil {
		return err
	}
	byID := map[uint]models.City{}
	for _, city := range cities {
		byID[city.ID] = city
	}
	page := views.CityReportsPage{Cities: cities, Errors: fe}
	// Reports waiting for review come first: staff's queue.
	slices.SortStableFunc(reports, func(x, y models.CityReport) int {
		return boolRank(y.Status == models.ReportSubmitted) - boolRank(x.Status == models.ReportSubmitted)
	})
	for _, r := range reports {
		page.Rows = append(page.Rows, views.CityReportRow{Report: r, City: byID[r.CityID]})
	}
	if page.Periods, err = h.reportPeriods(c); err != nil {
		return err
	}
	return h.render(c, status, views.CityReportsView(page))
}

// startCityReport opens the draft of a city and period (or the report
// that exists) and goes to it.
func (h *Handler) startCityReport(c echo.Context) error {
	ctx := c.Request().Context()
	city, err := h.cityFor(c, c.FormValue("city"))
	if errors.Is(err, models.ErrNotFound) {
		return h.renderCityReports(c, http.StatusUnprocessableEntity, models.FieldErrors{"city": {Code: "oneof"}})
	}
	if err != nil {
		return err
	}
	p, err := models.ParsePeriod(c.FormValue("period"))
	if err != nil {
		return h.renderCityReports(c, http.StatusUnprocessableEntity, models.FieldErrors{"period": {Code: "oneof"}})
	}
	r, err := h.store.StartCityReport(ctx, currentUser(c).Actor(), city.ID, p)
	if fe, ok := models.AsFieldErrors(err); ok {
		return h.renderCityReports(c, http.StatusUnprocessableEntity, fe)
	}
	if err != nil {
		return err
	}
	return redirect(c, views.CityReportURL(r.ID))
}

// showCityReport shows a report: its figures (frozen and live), the form
// while it can be edited, the review form for staff, and its history.
func (h *Handler) showCityReport(c echo.Context) error {
	r, city, err := h.cityReportFor(c)
	if err != nil {
		return err
	}
	return h.renderCityReport(c, http.StatusOK, r, city, formOf(r), nil, false)
}

// formOf fills the report form with the report as saved.
func formOf(r *models.CityReport) views.CityReportForm {
	f := views.CityReportForm{Version: r.Version, Worked: r.Worked, Hard: r.Hard, Plans: r.Plans}
	for _, id := range r.FeaturedStories() {
		f.Stories = append(f.Stories, strconv.FormatUint(uint64(id), 10))
	}
	for _, id := range r.FeaturedEvents() {
		f.Events = append(f.Events, strconv.FormatUint(uint64(id), 10))
	}
	for _, rt := range r.Ratings() {
		f.Scores = append(f.Scores, strconv.Itoa(rt.Score))
		f.Comments = append(f.Comments, rt.Comment)
	}
	return f
}

func (h *Handler) renderCityReport(c echo.Context, status int, r *models.CityReport, city *models.City, f views.CityReportForm, fe models.FieldErrors, conflict bool) error {
	page, err := h.cityReportPage(c, r, city)
	if err != nil {
		return err
	}
	page.Form, page.Errors, page.Conflict = f, fe, conflict
	return h.render(c, status, views.CityReportView(page))
}

// reportChoices is how many of the newest stories and events a report's
// form offers to feature, beside those it features already.
const reportChoices = 40

// cityReportPage gathers what a report's pages show: its figures frozen
// and live, its history, and the city's published stories and held events
// (to pick from, or to show the picked ones).
func (h *Handler) cityReportPage(c echo.Context, r *models.CityReport, city *models.City) (views.CityReportPage, error) {
	ctx := c.Request().Context()
	page := views.CityReportPage{Report: r, City: city, Frozen: r.Frozen(), Now: h.cfg.Now()}
	var err error
	if page.Live, err = h.reports.CityReport(ctx, r); err != nil {
		return page, err
	}
	if page.Steps, err = h.store.CityReportSteps(ctx, r.ID); err != nil {
		return page, err
	}
	if page.Stories, err = h.store.FeaturableStories(ctx, r, reportChoices); err != nil {
		return page, err
	}
	page.Events, err = h.store.FeaturableEvents(ctx, r, reportChoices)
	return page, err
}

// bindReportForm reads the report form; a malformed one is a 400.
func bindReportForm(c echo.Context) (views.CityReportForm, models.CityReportDraft, error) {
	var f views.CityReportForm
	if err := c.Bind(&f); err != nil {
		return f, models.CityReportDraft{}, echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	d := models.CityReportDraft{Worked: f.Worked, Hard: f.Hard, Plans: f.Plans}
	pe := parseErrors{}
	d.StoryIDs = pe.ids("stories", f.Stories)
	d.EventIDs = pe.ids("events", f.Events)
	for i, a := range models.LearningAreas() {
		rt := models.Rating{Area: a}
		if i < len(f.Scores) {
			rt.Score = pe.int("rating_"+string(a), f.Scores[i], false)
		}
		if i < len(f.Comments) {
			rt.Comment = strings.TrimSpace(f.Comments[i])
		}
		d.Ratings = append(d.Ratings, rt)
	}
	if len(pe) > 0 {
		return f, d, models.FieldErrors(pe)
	}
	return f, d, nil
}

// saveCityReport saves a draft; a form made from an older version is
// refused with the user's text kept.
func (h *Handler) saveCityReport(c echo.Context) error {
	r, city, err := h.cityReportFor(c)
	if err != nil {
		return err
	}
	f, d, err := bindReportForm(c)
	if err == nil {
		err = h.store.SaveCityReport(c.Request().Context(), currentUser(c).Actor(), r, f.Version, d)
	}
	return h.afterReportWrite(c, r, city, f, err, "city_reports.saved")
}

// submitCityReport sends the report to UNESCO, freezing its figures.
func (h *Handler) submitCityReport(c echo.Context) error {
	r, city, err := h.cityReportFor(c)
	if err != nil {
		return err
	}
	f, _, err := bindReportForm(c)
	if err == nil && len(r.Gaps()) > 0 && c.FormValue("confirm") != "yes" {
		// A report with gaps is sent only once the coordinator has seen
		// what it lacks and confirmed.
		page, err := h.cityReportPage(c, r, city)
		if err != nil {
			return err
		}
		page.Form, page.ConfirmSubmit = formOf(r), true
		return h.render(c, http.StatusOK, views.CityReportView(page))
	}
	if err == nil {
		err = h.store.SubmitCityReport(c.Request().Context(), currentUser(c).Actor(), r, f.Version, report.Frozen[*store.Store](h.reports, c.Request().Context(), r))
	}
	return h.afterReportWrite(c, r, city, formOf(r), err, "city_reports.submitted")
}

// reviewCityReport is staff's approval or request for changes.
func (h *Handler) reviewCityReport(c echo.Context) error {
	r, city, err := h.cityReportFor(c)
	if err != nil {
		return err
	}
	f, _, err := bindReportForm(c)
	if err == nil {
		switch f.Decision {
		case "approve", "changes":
			err = h.store.ReviewCityReport(c.Request().Context(), currentUser(c).Actor(), r, f.Version, f.Decision == "approve", f.Review)
		default:
			err = models.FieldErrors{"decision": {Code: "oneof"}}
		}
	}
	form := formOf(r)
	form.Review = f.Review
	return h.afterReportWrite(c, r, city, form, err, "city_reports.reviewed")
}

// afterReportWrite answers a report form: back to the report on success,
// the form again with problems, or the user's text kept when someone else
// changed the report meanwhile.
func (h *Handler) afterReportWrite(c echo.Context, r *models.CityReport, city *models.City, f views.CityReportForm, err error, done string) error {
	switch fe, ok := models.AsFieldErrors(err); {
	case ok:
		return h.renderCityReport(c, http.StatusUnprocessableEntity, r, city, f, fe, false)
	case errors.Is(err, models.ErrStale):
		current, cerr := h.store.CityReport(c.Request().Context(), r.ID)
		if cerr != nil {
			return cerr
		}
		f.Version = current.Version
		return h.renderCityReport(c, http.StatusConflict, current, city, f, nil, true)
	case errors.Is(err, models.ErrTransition):
		h.flash(c, h.t(c, "city_reports.not_now", nil))
		return redirect(c, views.CityReportURL(r.ID))
	case err != nil:
		return err
	}
	h.flash(c, h.t(c, done, nil))
	return redirect(c, views.CityReportURL(r.ID))
}

// printCityReport is the clean page of a report, to print or save as PDF.
func (h *Handler) printCityReport(c echo.Context) error {
	r, city, err := h.cityReportFor(c)
	if err != nil {
		return err
	}
	page, err := h.cityReportPage(c, r, city)
	if err != nil {
		return err
	}
	if page.Frozen != nil {
		page.Live = nil // the document shows the figures as submitted, nothing else
	}
	return h.render(c, http.StatusOK, views.CityReportPrintView(page))
}

// defaultPeriod is the period "who has reported" opens on: the first of
// periods (the running campaign, then this year's, newest first) that any
// city has a report of, else the first, else this year.
func (h *Handler) defaultPeriod(c echo.Context, periods []models.Period) (string, error) {
	if len(periods) == 0 {
		return models.YearPeriod(h.cfg.Now().Year()).String(), nil
	}
	withReports, err := h.store.ReportedPeriods(c.Request().Context())
	if err != nil {
		return "", err
	}
	reported := map[string]bool{}
	for _, p := range withReports {
		reported[p.String()] = true
	}
	for _, p := range periods {
		if reported[p.String()] {
			return p.String(), nil
		}
	}
	return periods[0].String(), nil
}

// networkStatus is who has reported on the period the query names
// ("period", else defaultPeriod): every city's state and the counts, as
// the store works them out at the handler's clock, with the periods to
// choose from.
func (h *Handler) networkStatus(c echo.Context) (views.NetworkReportsPage, error) {
	return h.networkStatusOf(c, c.QueryParam("period"))
}

// networkStatusOf is networkStatus for the period named period.
func (h *Handler) networkStatusOf(c echo.Context, period string) (views.NetworkReportsPage, error) {
	var page views.NetworkReportsPage
	var err error
	if page.Periods, err = h.reportPeriods(c); err != nil {
		return page, err
	}
	page.Period = period
	if page.Period == "" {
		if page.Period, err = h.defaultPeriod(c, page.Periods); err != nil {
			return page, err
		}
	}
	p, err := models.ParsePeriod(page.Period)
	if err != nil {
		return page, echo.NewHTTPError(http.StatusBadRequest, "bad period")
	}
	page.Today = h.cfg.Now().UTC().Format(time.DateOnly)
	page.Reporting, err = h.store.NetworkReporting(c.Request().Context(), p, h.cfg.Now())
	return page, err
}

// networkCityReports shows staff which cities have reported for a period.
func (h *Handler) networkCityReports(c echo.Context) error {
	page, err := h.networkStatus(c)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.NetworkReportsView(page))
}

// remindCity sends, from "who has reported", a city's coordinators a
// reminder of its report of a period, each in their mail language: at
// most one per city, period and day. A city or period that is not on the
// page is refused (400); a reminder sent today, a report that reached
// UNESCO or a city with nobody to remind is answered with the page and
// why (409). Nothing is written then.
func (h *Handler) remindCity(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := models.ParsePeriod(c.FormValue("period"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "bad period")
	}
	periods, err := h.reportPeriods(c)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(periods, func(q models.Period) bool { return q.String() == p.String() }) {
		return echo.NewHTTPError(http.StatusBadRequest, "no reports for this period")
	}
	id, err := strconv.ParseUint(c.FormValue("city"), 10, 32)
	if err != nil || id == 0 {
		return echo.NewHTTPError(http.StatusBadRequest, "bad city")
	}
	city, err := h.store.City(ctx, uint(id))
	if errors.Is(err, models.ErrNotFound) {
		return echo.NewHTTPError(http.StatusBadRequest, "no such city")
	}
	if err != nil {
		return err
	}
	n, err := h.store.SendReportReminder(ctx, currentUser(c).Actor(), city.ID, p, h.cfg.Now(),
		func(u *models.User, city *models.City, due *time.Time, late bool, r *models.CityReport) (models.Mail, error) {
			return h.mail.StaffReminder(u, city, p, due, late, r)
		})
	var problem string
	switch {
	case errors.Is(err, models.ErrReminderSent):
		problem = "city_reports.remind_sent_today"
	case errors.Is(err, models.ErrReportSubmitted):
		problem = "city_reports.remind_submitted"
	case errors.Is(err, models.ErrNoActiveCoordinator):
		problem = "city_reports.remind_nobody"
	case err != nil:
		return err
	}
	if problem != "" {
		page, err := h.networkStatusOf(c, p.String())
		if err != nil {
			return err
		}
		page.Problem = h.t(c, problem, map[string]any{"City": city.Name})
		return h.render(c, http.StatusConflict, views.NetworkReportsView(page))
	}
	lctx := h.catalog.WithRequest(ctx, views.Request{Lang: h.language(c)})
	h.flash(c, views.Tnf(lctx, "city_reports.reminded", n, map[string]any{"City": city.Name}))
	return redirect(c, "/manage/city-reports/network?period="+url.QueryEscape(p.String())+"#city-"+city.Slug)
}

// networkCityReportsCSV is the same as CSV, with the frozen figures of
// the reports that have them.
func (h *Handler) networkCityReportsCSV(c echo.Context) error {
	page, err := h.networkStatus(c)
	if err != nil {
		return err
	}
	approvedOnly := c.QueryParam("approved") == "1"
	rows := [][]string{append([]string{"city", "slug", "country", "region", "joined_year", "status", "late", "submitted_at", "approved_at", "figures_at"},
		cityFigureHeader()...)}
	for _, r := range page.Reporting.Cities {
		status, submitted, approved, at := "not_started", "", "", ""
		figures := make([]string, len(cityFigures()))
		if r.Report != nil {
			status = string(r.Report.Status)
			submitted, approved, at = day(r.Report.SubmittedAt), day(r.Report.ApprovedAt), day(r.Report.FiguresAt)
			if frozen := r.Report.Frozen(); frozen != nil {
				for i, f := range cityFigures() {
					figures[i] = strconv.FormatInt(frozen.Totals.Value(f), 10)
				}
			}
		}
		if approvedOnly && r.State != models.ReportingApproved {
			continue
		}
		rows = append(rows, append([]string{r.City.Name, r.City.Slug, r.City.Country, string(r.City.Region), strconv.Itoa(r.City.JoinedYear),
			status, strconv.FormatBool(r.State == models.ReportingLate), submitted, approved, at}, figures...))
	}
	name := "city-reports-" + strings.ReplaceAll(page.Period, ":", "-") + ".csv"
	if approvedOnly {
		name = "approved-" + name
	}
	return writeCSV(c, name, rows)
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}
