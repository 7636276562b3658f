package views

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// CityReportRow is a city report in a list, with its city.
type CityReportRow struct {
	Report models.CityReport
	City   models.City
}

// CityReportsPage is the data of the list of city reports.
type CityReportsPage struct {
	Rows    []CityReportRow
	Cities  []models.City
	Periods []models.Period
	Errors  models.FieldErrors
}

// CityReportPage is the data of one city report.
type CityReportPage struct {
	Report   *models.CityReport
	City     *models.City
	Live     *models.Report
	Frozen   *models.Report
	Steps    []models.ReportStep
	Stories  []models.Story // the city's published stories, to pick from or show
	Events   []models.Event // the city's held events of the period
	Form     CityReportForm
	Errors   models.FieldErrors
	Conflict bool
	// ConfirmSubmit asks the coordinator to confirm sending a report
	// with gaps (Report.Gaps).
	ConfirmSubmit bool
	Now           time.Time
}

// CityReportForm is what the report form posts.
type CityReportForm struct {
	Version  int      `form:"version"`
	Worked   string   `form:"worked"`
	Hard     string   `form:"hard"`
	Plans    string   `form:"plans"`
	Stories  []string `form:"stories"`
	Events   []string `form:"events"`
	Scores   []string `form:"score"`
	Comments []string `form:"comment"`
	Review   string   `form:"review"`
	Decision string   `form:"decision"`
}

// NetworkReportsPage is the staff's view of who has reported for a period.
type NetworkReportsPage struct {
	// Period is the period shown (models.Period.String), one of Periods.
	Period    string
	Periods   []models.Period
	Reporting models.NetworkReporting
	// Problem says why a reminder was refused.
	Problem string
	// Today is the day (UTC, 2006-01-02) reminders are counted by.
	Today string
}

// RemindButton reports whether the row offers "Send a reminder": the
// city can be reminded and was not today.
func (p NetworkReportsPage) RemindButton(r models.CityReporting) bool {
	return r.Remindable() && (r.RemindedAt == nil || r.RemindedAt.UTC().Format("2006-01-02") != p.Today)
}

// CityReportURL is the page of a city report.
func CityReportURL(id uint) string { return "/manage/city-reports/" + uitoa(id) }

// PeriodLabel names a report period: "2026", "Q1 2026" or "#LearnThroughLife".
func PeriodLabel(ctx context.Context, p models.Period) string {
	switch p.Kind {
	case models.PeriodQuarter:
		y, q, _ := strings.Cut(p.Key, "-Q")
		return Tf(ctx, "city_reports.quarter", map[string]any{"Q": q, "Year": y})
	case models.PeriodCampaign:
		return hashtag("#" + p.Key)
	}
	return p.Key
}

// periodOptions offers periods with their names.
func periodOptions(ctx context.Context, ps []models.Period) []option {
	out := make([]option, len(ps))
	for i, p := range ps {
		out[i] = option{Value: p.String(), Label: PeriodLabel(ctx, p)}
	}
	return out
}

func cityReportTitle(ctx context.Context, p CityReportPage) string {
	return Tf(ctx, "city_reports.report_title", map[string]any{"City": p.City.Name, "Period": PeriodLabel(ctx, p.Report.Period())})
}

// cityReportFigures are the headline figures of a city report.
func cityReportFigures() []models.Figure {
	return []models.Figure{models.FigureEventsHeld, models.FigureParticipants, models.FigureStoriesPublished, models.FigurePartnersEngaged}
}

// liveDiff says how much a live figure differs from the frozen one.
func liveDiff(live models.Totals, f models.Figure, frozen int64) string {
	if v := live.Value(f); v != frozen {
		return fmt.Sprintf("%+d", v-frozen)
	}
	return ""
}

// reportOf is the report's figures to chart: frozen, else live.
func reportOf(p CityReportPage) *models.Report {
	if p.Frozen != nil {
		return p.Frozen
	}
	return p.Live
}

// labelledAreas copies the learning-area rows with their names.
func labelledAreas(ctx context.Context, rows []models.Row) []models.Row {
	out := append([]models.Row(nil), rows...)
	for i := range out {
		out[i].Label = T(ctx, "area."+out[i].Key)
	}
	return out
}

// pick is ss[i], or "" past its end.
func pick(ss []string, i int) string {
	if i < len(ss) {
		return ss[i]
	}
	return ""
}

func storyOptions(stories []models.Story) []option {
	out := make([]option, len(stories))
	for i, st := range stories {
		out[i] = option{Value: uitoa(st.ID), Label: st.Title}
	}
	return out
}

func eventOptions(ctx context.Context, events []models.Event, loc *time.Location) []option {
	out := make([]option, len(events))
	for i, e := range events {
		out[i] = option{Value: uitoa(e.ID), Label: e.Title + " (" + Date(ctx, e.StartsAt.In(loc)) + ")"}
	}
	return out
}

// pickedStories and pickedEvents keep the records whose ids were picked.
func pickedStories(all []models.Story, ids []uint) []models.Story {
	return picked(all, ids, func(st models.Story) uint { return st.ID })
}

func pickedEvents(all []models.Event, ids []uint) []models.Event {
	return picked(all, ids, func(e models.Event) uint { return e.ID })
}

func picked[T any](all []T, ids []uint, id func(T) uint) []T {
	var out []T
	for _, x := range all {
		if contains(ids, id(x)) {
			out = append(out, x)
		}
	}
	return out
}

// reviewErrors shows the review's comment problem beside its field.
func reviewErrors(errs models.FieldErrors) models.FieldErrors {
	if p, ok := errs["comment"]; ok {
		return models.FieldErrors{"review": p}
	}
	return errs
}

// periodReportURL is the live report page of a city for a report period.
func periodReportURL(city *models.City, p models.Period) string {
	q := url.Values{"city": {city.Slug}}
	if p.Kind == models.PeriodCampaign {
		q.Set("campaign", p.Key)
	} else {
		q.Set("from", p.From.Format("2006-01"))
		q.Set("to", p.To.AddDate(0, 0, -1).Format("2006-01"))
	}
	return "/reports?" + q.Encode()
}

// startReportLabels names the fields of the form that starts a city report.
func startReportLabels(ctx context.Context) fieldLabels {
	return fieldLabels{{"city", T(ctx, "story.city")}, {"period", T(ctx, "city_reports.period")}}
}

// reportLabels names the city report form's fields for its error summary,
// the review's comment and each building block's rating included.
func reportLabels(ctx context.Context) fieldLabels {
	labels := fieldLabels{
		{"review", T(ctx, "city_reports.review_comment")},
		{"worked", T(ctx, "city_reports.worked")}, {"hard", T(ctx, "city_reports.hard")}, {"plans", T(ctx, "city_reports.plans")},
	}
	for _, a := range models.LearningAreas() {
		labels = append(labels, fieldLabel{"rating_" + string(a), label(ctx, "area", a)})
	}
	return append(labels, fieldLabel{"stories", T(ctx, "city_reports.pick_stories")}, fieldLabel{"events", T(ctx, "city_reports.pick_events")})
}

// cityReportContents are the sections of a city's report page, as
// CityReportView shows them.
func cityReportContents(ctx context.Context, p CityReportPage) []tocItem {
	items := []tocItem{{"figures-heading", T(ctx, "city_reports.figures")}}
	staff := req(ctx).User.IsStaff()
	if p.Report.Status.Editable() && !staff {
		items = append(items, tocItem{"edit-heading", T(ctx, "city_reports.edit")})
	} else {
		items = append(items, tocItem{"content-heading", T(ctx, "city_reports.content")})
	}
	if staff && p.Report.Status == models.ReportSubmitted {
		items = append(items, tocItem{"review-heading", T(ctx, "city_reports.review")})
	}
	return append(items, tocItem{"history", T(ctx, "city_reports.history")})
}
