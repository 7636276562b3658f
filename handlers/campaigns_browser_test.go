package handlers_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserCampaignsAndCalendar drives Chromium through a new campaign
// year: staff create a campaign with the keyboard-checked form (a refused
// form first), see it listed and on its public page, manage the global
// days and import a cohort of cities (a bad file first); visitors read the calendar on a phone, in Arabic and without
// JavaScript. Every page is checked with axe-core and the Nu HTML Checker.
func TestBrowserCampaignsAndCalendar(t *testing.T) {
	tools := needBrowser(t)
	a := newApp(t)
	c := &checks{t: t, tools: tools, dir: t.TempDir(), pages: map[string]string{}}
	a.plannedEvent(t, a.agadir, "Reading festival", time.Now().Add(3*24*time.Hour))

	staff := a.open(t, c, "staff", 1280, 900, true)
	login(staff, "staff@example.org")
	staff.visit("/manage/campaigns")
	staff.step("open the new campaign form", chromedp.Click(chromedp.CSS("[data-testid=new-campaign]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=campaign-form]")))
	staff.check("new campaign form")
	staff.keyboardWalk("campaign form")
	staff.step("send a bad hashtag",
		chromedp.SendKeys(chromedp.CSS("#hashtag"), "#not valid"),
		chromedp.SendKeys(chromedp.CSS("#name"), "Learning cities 2027"),
		chromedp.SendKeys(chromedp.CSS("#starts_on"), "2027-01-01"),
		chromedp.Click(chromedp.CSS("[data-testid=save-campaign]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=error-hashtag]")),
	)
	staff.check("campaign form with an error")
	staff.step("fix it and save",
		chromedp.SetValue(chromedp.CSS("#hashtag"), "#CitiesLearn2027"),
		chromedp.SendKeys(chromedp.CSS("#name_ar"), "مدن التعلم 2027"),
		chromedp.SendKeys(chromedp.CSS("#ends_on"), "2027-12-31"),
		chromedp.Click(chromedp.CSS(`input[name=co_leads]`)),
		chromedp.Click(chromedp.CSS("[data-testid=save-campaign]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=campaign-citieslearn2027]")),
	)
	staff.check("campaigns after creating one")
	cp, err := a.store.CampaignBySlug(context.Background(), "citieslearn2027")
	if err != nil || len(cp.CoLeads) != 1 || cp.NameIn("ar") != "مدن التعلم 2027" {
		t.Fatalf("stored campaign %+v, %v", cp, err)
	}
	staff.visit("/campaigns/citieslearn2027")
	if got := staff.text("[data-testid=campaign-hashtag]"); got != "#CitiesLearn2027" {
		t.Errorf("public page hashtag %q", got)
	}
	staff.visit("/manage/global-days")
	staff.visit("/manage/global-days/new")
	staff.keyboardWalk("global day form")

	// Admit a cohort: a file with a bad line first, then the good file.
	dir := t.TempDir()
	bad, good := filepath.Join(dir, "bad.csv"), filepath.Join(dir, "cohort.csv")
	must(t, os.WriteFile(bad, []byte("name,country,joined_year,co_lead\nSon La,VN,2024,maybe\n"), 0o644))
	must(t, os.WriteFile(good, []byte("name,country,joined_year,co_lead,latitude,longitude,time_zone\nSon La,VN,2024,yes,21.33,103.91,Asia/Ho_Chi_Minh\nYala,TH,2024,yes,6.54,101.28,Asia/Bangkok\n"), 0o644))
	staff.visit("/manage/cities")
	staff.step("open the cohort import", chromedp.Click(chromedp.CSS("[data-testid=cohort-import]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=cohort-form]")))
	staff.check("cohort import form")
	staff.step("send a file with a bad line",
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{bad}),
		chromedp.Click(chromedp.CSS("[data-testid=preview-import]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=cohort-problem]")),
	)
	staff.check("cohort with a bad line")
	staff.step("send the good file",
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{good}),
		chromedp.Click(chromedp.CSS("[data-testid=preview-import]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=cohort-preview]")),
	)
	staff.check("cohort preview")
	staff.step("confirm the import", chromedp.Click(chromedp.CSS("[data-testid=confirm-import]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=manage-city-table]")))
	staff.check("cities after the import")
	if _, err := a.store.CityBySlug(context.Background(), "son-la"); err != nil {
		t.Errorf("Son La not imported: %v", err)
	}

	for _, size := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"desktop", 1280, 900}} {
		visitor := a.open(t, c, "visitor on "+size.name, size.w, size.h, true)
		visitor.visit("/calendar")
		visitor.visit("/calendar?month=2027-09")
		if !strings.Contains(visitor.text("[data-testid=calendar-list]"), "International Literacy Day") {
			t.Errorf("%s: September's list lacks International Literacy Day", size.name)
		}
		visitor.visit("/campaigns/learnthroughlife")
	}

	arabic := a.open(t, c, "visitor in Arabic", 390, 844, true)
	arabic.visit("/")
	arabic.step("choose Arabic",
		chromedp.SetValue(chromedp.CSS("#language-choice"), "ar"),
		chromedp.Submit(chromedp.CSS("[data-testid=language-form]")),
		chromedp.WaitVisible(chromedp.CSS(`html[dir="rtl"][lang="ar"]`)),
	)
	arabic.visit("/calendar?month=2027-12")
	arabic.visit("/campaigns/learnthroughlife")
	// The hashtag reads left to right inside the right-to-left page.
	if dir := eval[string](arabic, `getComputedStyle(document.querySelector("[data-testid=campaign-hashtag] bdi")).direction`); dir != "ltr" {
		t.Errorf("hashtag direction in Arabic = %q", dir)
	}

	nojs := a.open(t, c, "visitor without JavaScript", 390, 844, false)
	nojs.visit("/calendar")
	nojs.step("filter the calendar without JavaScript",
		chromedp.SetValue(chromedp.CSS("#city"), "agadir"),
		chromedp.Submit(chromedp.CSS("[data-testid=calendar-filter]")),
		chromedp.WaitReady(chromedp.CSS(`#city option[selected][value="agadir"]`)),
	)
	if loc := nojs.location(); !strings.Contains(loc, "city=agadir") {
		t.Errorf("the calendar filter without JavaScript went to %q", loc)
	}

	c.validateHTML()
}
