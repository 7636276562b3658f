package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

func TestCoordinatorHomeIsAToDoList(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	f := validStoryForm()
	f.Set("city", "agadir")
	a.submit(t, f, nil)
	a.pastEvent(t, a.agadir, "Uncounted workshop", 2, models.StatusPlanned)
	soon := a.pastEvent(t, a.agadir, "Book swap on Friday", -2, models.StatusPlanned)
	a.pastEvent(t, a.fez, "Fez uncounted", 2, models.StatusPlanned)
	// A report of last year, sent back with a comment.
	r, err := a.store.StartCityReport(ctx, models.CLIActor(), a.agadir.ID, models.YearPeriod(time.Now().Year()-2))
	must(t, err)
	must(t, a.store.SubmitCityReport(ctx, models.CLIActor(), r, r.Version, report.Frozen[*store.Store](a.reports, context.Background(), r)))
	r, err = a.store.CityReport(ctx, r.ID)
	must(t, err)
	must(t, a.store.ReviewCityReport(ctx, models.CLIActor(), r, r.Version, false, "Please add the festival’s highlights."))

	res := a.loggedIn(t, "agadir@example.org").get(t, "/dashboard")
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	todo := doc.Find("[data-testid=todo]")
	if got := todo.Find("[data-testid=todo-pending]").Text(); !strings.Contains(got, "1 story waits") && !strings.Contains(got, "1 stor") {
		t.Errorf("pending: %q", got)
	}
	if got := todo.Find("[data-testid=todo-pending]").Text(); !strings.Contains(got, "the oldest has waited 0 days") {
		t.Errorf("oldest pending: %q", got)
	}
	att := todo.Find("[data-testid=todo-attendance]")
	if href, _ := att.Find("a").Attr("href"); href != "/manage/cities/agadir/attendance" || !strings.Contains(att.Text(), "1 past event without a participant count") {
		t.Errorf("attendance item %q → %q", att.Text(), href)
	}
	if strings.Contains(todo.Text(), "Fez") {
		t.Error("another city's work is listed")
	}
	back := todo.Find("[data-testid=dashboard-changes-asked]")
	if href, _ := back.Find("a").Attr("href"); href != fmt.Sprintf("/manage/city-reports/%d", r.ID) {
		t.Errorf("sent-back report links to %q", href)
	}
	if got := back.Find("[data-testid=todo-comment]").Text(); got != "Please add the festival’s highlights." {
		t.Errorf("staff comment quoted: %q", got)
	}
	// Last year's report is not started and its due day has passed.
	if got := todo.Find("[data-testid=todo-report-late]").Text(); !strings.Contains(got, "Agadir") {
		t.Errorf("late report: %q", got)
	}
	if got := todo.Find("[data-testid=todo-week]").Text(); !strings.Contains(got, soon.Title) {
		t.Errorf("this week: %q", got)
	}
	if todo.Find("[data-testid=todo-headline]").Length() != 1 {
		t.Error("no headline figures")
	}
}

func TestStaffHomeIsAToDoList(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	r, err := a.store.StartCityReport(ctx, models.CLIActor(), a.fez.ID, models.YearPeriod(time.Now().Year()-1))
	must(t, err)
	must(t, a.store.SubmitCityReport(ctx, models.CLIActor(), r, r.Version, report.Frozen[*store.Store](a.reports, context.Background(), r)))
	quiet := &models.City{Name: "Ifrane", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2022}
	must(t, a.store.CreateCity(ctx, models.CLIActor(), quiet, nil))

	doc := a.loggedIn(t, "staff@example.org").get(t, "/dashboard").doc(t)
	for id, want := range map[string]string{
		"todo-review": "1 city report waiting for review",
		"todo-quiet":  "1 city quiet for three months",
		// Agadir and Ifrane have not reported on last year, now past due.
		"todo-late":    "2 cities late",
		"todo-backlog": "stories wait",
	} {
		if got := doc.Find("[data-testid=" + id + "]").Text(); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	if href, _ := doc.Find("[data-testid=todo-quiet] a").Attr("href"); href != "/reports?quiet=3" {
		t.Errorf("quiet cities link to %q", href)
	}
}
